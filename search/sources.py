"""What search looks in, each source scoped to what the searcher may see.

A source gives the queryset the searcher may read (public rows for everyone; for staff also
the internal rows of their scope), the text fields to match with their weights, and how a row
reads as a hit. Every source costs two queries per search (the hits shown and their count),
whatever the volume.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Value
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from areas.selectors import areas_public
from grants.models import GrantRound
from knowledge import permissions as knowledge
from participation.models import Event
from participation.permissions import events_public
from projects.models import Project
from projects.permissions import projects_public, projects_visible_to

SNIPPET_WORDS = 30


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    snippet: str
    meta: str = ""
    internal: bool = False


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    queryset: Callable[[object], QuerySet]  # user -> what they may read
    fields: tuple[tuple[str, str], ...]
    hit: Callable[[object], Hit]


def _snippet(*texts: str) -> str:
    text = next((t for t in texts if t), "")
    return Truncator(" ".join(text.split())).words(SNIPPET_WORDS)


def _area_hit(area) -> Hit:
    return Hit(
        title=area.name,
        url=area.get_absolute_url(),
        snippet=_snippet(area.summary, area.description),
        meta=area.district.name,
    )


def _projects(user) -> QuerySet:
    public = projects_public()
    if getattr(user, "is_authenticated", False):
        visible = projects_visible_to(user)
        qs = Project.objects.filter(pk__in=public.values("pk")) | Project.objects.filter(
            pk__in=visible.values("pk")
        )
    else:
        qs = Project.objects.filter(pk__in=public.values("pk"))
    return qs.select_related("area").only(
        "title", "slug", "summary", "is_public", "area__name", "area__is_published"
    )


def _project_hit(project) -> Hit:
    internal = not (project.is_public and project.area.is_published)
    url = reverse("projects:staff_detail" if internal else "projects:detail", args=[project.slug])
    return Hit(
        title=project.title,
        url=url,
        snippet=_snippet(project.summary),
        meta=project.area.name,
        internal=internal,
    )


def _events(user) -> QuerySet:
    return Event.objects.filter(pk__in=events_public().values("pk")).only(
        "title", "slug", "description", "starts_at", "place", "status"
    )


def _event_hit(event) -> Hit:
    when = formats.date_format(timezone.localtime(event.starts_at), "j. F Y")
    return Hit(
        title=event.title,
        url=reverse("participation:event_detail", args=[event.slug]),
        snippet=_snippet(event.description),
        meta=f"{when}, {event.place}",
    )


def _rounds(user) -> QuerySet:
    return GrantRound.objects.filter(is_published=True).only(
        "title", "slug", "criteria", "opens_at", "closes_at"
    )


def _round_hit(grant_round) -> Hit:
    closes = formats.date_format(timezone.localtime(grant_round.closes_at), "j. F Y")
    return Hit(
        title=grant_round.title,
        url=reverse("grants:round_detail", args=[grant_round.slug]),
        snippet=_snippet(grant_round.criteria),
        meta=str(_("Closes %(date)s") % {"date": closes}),
    )


def _documents(user) -> QuerySet:
    # The PDF's text is matched in the database, never loaded: a hit shows the summary.
    return knowledge.documents_visible_to(user).only(
        "title", "summary", "kind", "year", "is_public", "language"
    )


def _document_hit(document) -> Hit:
    internal = not document.is_public
    url = (
        reverse("knowledge:staff_document", args=[document.pk])
        if internal
        else document.get_absolute_url()
    )
    return Hit(
        title=document.title,
        url=url,
        snippet=_snippet(document.summary),
        meta=f"{document.get_kind_display()}, {document.year}",
        internal=internal,
    )


def _lessons(user) -> QuerySet:
    public = knowledge.lessons_public()
    if knowledge.is_staff(user):
        # Staff read every lesson; the public ones are marked so a hit links to the open page.
        qs = knowledge.lessons_visible_to(user).annotate(
            is_open=Exists(public.filter(pk=OuterRef("pk")))
        )
    else:
        qs = public.annotate(is_open=Value(True))
    return qs.select_related("project").only(
        "title", "worked", "status", "project__title", "project__slug"
    )


def _lesson_hit(lesson) -> Hit:
    internal = not lesson.is_open
    url = (
        reverse("knowledge:staff_lesson", args=[lesson.pk])
        if internal
        else lesson.get_absolute_url()
    )
    return Hit(
        title=lesson.title,
        url=url,
        snippet=_snippet(lesson.worked),
        meta=lesson.project.title,
        internal=internal,
    )


def _recipes(user) -> QuerySet:
    return knowledge.recipes_visible_to(user).only("title", "slug", "summary", "status")


def _recipe_hit(recipe) -> Hit:
    internal = not recipe.is_published
    url = (
        reverse("knowledge:staff_recipe", args=[recipe.slug])
        if internal
        else recipe.get_absolute_url()
    )
    return Hit(
        title=recipe.title,
        url=url,
        snippet=_snippet(recipe.summary),
        internal=internal,
    )


SOURCES: list[Source] = [
    Source(
        "omrader",
        _("Areas"),
        lambda user: areas_public(),
        (("name", "A"), ("summary", "B"), ("description", "C")),
        _area_hit,
    ),
    Source(
        "prosjekter",
        _("Projects"),
        _projects,
        (("title", "A"), ("summary", "B"), ("description", "C")),
        _project_hit,
    ),
    Source(
        "arrangementer",
        _("Events"),
        _events,
        (("title", "A"), ("description", "B"), ("place", "C")),
        _event_hit,
    ),
    Source(
        "tilskudd",
        _("Grant rounds"),
        _rounds,
        (("title", "A"), ("criteria", "C")),
        _round_hit,
    ),
    Source(
        "dokumenter",
        _("Documents"),
        _documents,
        (("title", "A"), ("summary", "B"), ("text", "D")),
        _document_hit,
    ),
    Source(
        "erfaringer",
        _("Lessons learned"),
        _lessons,
        (("title", "A"), ("worked", "B"), ("did_not_work", "B"), ("advice", "B")),
        _lesson_hit,
    ),
    Source(
        "oppskrifter",
        _("Method recipes"),
        _recipes,
        (
            ("title", "A"),
            ("summary", "B"),
            ("introduction", "C"),
            ("ingredients", "C"),
            ("steps", "C"),
        ),
        _recipe_hit,
    ),
]


def source(key: str) -> Source | None:
    return next((s for s in SOURCES if s.key == key), None)
