"""Every read the knowledge pages need, each in a fixed number of queries whatever the number
of rows."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from areas.models import Area, SubGoal
from core.models import AuditEntry

from .models import Contact, Document, Lesson, Member, Recipe


@dataclass
class Responsibility:
    """Who is responsible, as the public page and the staff page show it."""

    board_leader: Member | None = None
    board: list[Member] = field(default_factory=list)
    committee: list[Member] = field(default_factory=list)
    secretariat: list[Member] = field(default_factory=list)
    programme_contacts: list[Contact] = field(default_factory=list)
    # [(district, [contact, …])] and [(area, [contact, …])], in district and area order.
    district_contacts: list = field(default_factory=list)
    area_contacts: list = field(default_factory=list)


def responsibility() -> Responsibility:
    """The bodies, their members and every contact: two queries."""
    found = Responsibility()
    for member in Member.objects.order_by("-role", "sort_order", "organisation", "pk"):
        if member.body == Member.Body.BOARD and member.role == Member.Role.LEADER:
            found.board_leader = member
        elif member.body == Member.Body.BOARD:
            found.board.append(member)
        elif member.body == Member.Body.COMMITTEE:
            found.committee.append(member)
        else:
            found.secretariat.append(member)
    contacts = Contact.objects.select_related("district", "area__district").order_by(
        "district__number", "area__district__number", "area__name", "sort_order", "name", "pk"
    )
    districts: dict = {}
    areas: dict = {}
    for contact in contacts:
        if contact.area_id:
            areas.setdefault(contact.area, []).append(contact)
        elif contact.district_id:
            districts.setdefault(contact.district, []).append(contact)
        else:
            found.programme_contacts.append(contact)
    found.district_contacts = list(districts.items())
    found.area_contacts = list(areas.items())
    return found


def contacts_for_area(area: Area) -> list[Contact]:
    """The area's own contacts first, then its district's: one query."""
    contacts = Contact.objects.filter(Q(area=area) | Q(district_id=area.district_id))
    return sorted(
        contacts.order_by("sort_order", "name", "pk"), key=lambda c: 0 if c.area_id else 1
    )


# --- Documents ----------------------------------------------------------------------------------


def document_list(scope: QuerySet[Document]) -> QuerySet[Document]:
    """Documents for a list page: their place and programme joined, the PDF's text left out
    (it can be long, and no list shows it)."""
    return scope.select_related(
        "programme", "district", "area__district", "programme_version__programme__area"
    ).defer("text")


def document_detail(scope: QuerySet[Document], pk: int) -> Document:
    """One document with everything its page shows; raises Document.DoesNotExist."""
    return document_list(scope).get(pk=pk)


# --- Lessons learned and method recipes --------------------------------------------------------


# Lessons newest published first, then the drafts (never published) newest first.
NEWEST_FIRST = (F("published_at").desc(nulls_last=True), "-created_at", "-pk")


def lesson_list(scope: QuerySet[Lesson]) -> QuerySet[Lesson]:
    """Lessons for a list page with their project, place, sub-goals and methods: three
    queries whatever the number."""
    return scope.select_related("project__area__district").prefetch_related(
        Prefetch("sub_goals", queryset=SubGoal.objects.order_by("number")),
        Prefetch(
            "methods", queryset=Recipe.objects.order_by("title").only("title", "slug", "status")
        ),
    )


def lesson_detail(scope: QuerySet[Lesson], pk: int) -> Lesson:
    """One lesson with everything its page shows; raises Lesson.DoesNotExist."""
    return lesson_list(scope).select_related("written_by").get(pk=pk)


def lessons_of_project(scope: QuerySet[Lesson], project) -> list[Lesson]:
    """The lessons of ``project`` that the scope allows, newest first: one query."""
    return list(
        scope.filter(project=project)
        .only("title", "status", "published_at", "created_at", "project_id")
        .order_by(*NEWEST_FIRST)
    )


def recipe_list(scope: QuerySet[Recipe]) -> QuerySet[Recipe]:
    """Recipes for a list page, with their district: one query (and the page's count)."""
    return scope.select_related("district")


def recipe_detail(
    scope: QuerySet[Recipe],
    slug: str,
    *,
    projects: QuerySet,
    lessons: QuerySet[Lesson],
) -> Recipe:
    """One recipe, with the projects that used it and the lessons tagged with it that the
    reader may see (``projects``, ``lessons``): three queries. Raises Recipe.DoesNotExist."""
    return (
        scope.select_related("district")
        .prefetch_related(
            Prefetch(
                "projects",
                queryset=projects.select_related("area").order_by("title"),
                to_attr="visible_projects",
            ),
            Prefetch(
                "lessons",
                queryset=lesson_list(lessons).order_by(*NEWEST_FIRST),
                to_attr="visible_lessons",
            ),
        )
        .get(slug=slug)
    )


# The history keys of the lessons and recipes (the audit's), in words.
HISTORY_LABELS = {
    "lesson_created": _("Recorded as an internal draft"),
    "lesson_changed": _("Changed"),
    "lesson_published": _("Published"),
    "lesson_unpublished": _("Made internal again"),
    "recipe_created": _("Written as a draft"),
    "recipe_changed": _("Changed"),
    "recipe_published": _("Published"),
    "recipe_unpublished": _("Taken back to draft"),
}


@dataclass
class HistoryLine:
    at: object
    actor: object
    text: str


def history(obj, *, limit: int = 50) -> list[HistoryLine]:
    """What happened to a lesson or recipe, newest first, in the reader's language: one
    query."""
    entries = (
        AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            target_id=str(obj.pk),
        )
        .select_related("actor")
        .order_by("-at", "-pk")[:limit]
    )
    return [
        HistoryLine(at=e.at, actor=e.actor, text=str(HISTORY_LABELS.get(e.action, e.action)))
        for e in entries
    ]
