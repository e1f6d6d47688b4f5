"""Every read the public programme pages need, scoped by ``permissions.programmes_public``,
each in a fixed number of queries whatever the number of measures or comments."""

from functools import lru_cache

from django.db.models import Prefetch, Q, QuerySet

from participation.models import Input

from .compose import compose, queryset_for_compose
from .models import ActionProgramme, ProgrammeComment, ProgrammeVersion
from .permissions import programmes_public

S = ActionProgramme.Status


def published_versions(programme: ActionProgramme) -> QuerySet[ProgrammeVersion]:
    """The programme's published versions, newest first, with their PDF's row (without the
    copy of the content the PDF was made from: the version holds the same)."""
    return (
        ProgrammeVersion.objects.filter(programme=programme, published_at__isnull=False)
        .select_related("rendering")
        .defer("rendering__content")
        .order_by("-number")
    )


def public_programme(area_slug: str, year: int) -> ActionProgramme:
    """The programme anyone may read; raises ActionProgramme.DoesNotExist otherwise."""
    return (
        queryset_for_compose()
        .filter(pk__in=programmes_public())
        .get(area__slug=area_slug, year=year)
    )


# The contents of published versions this process read last. A version's content is frozen
# when it is adopted, so an entry never goes out of date; it is keyed by the version and the
# hash of its content (its PDF's). A large area's programme is hundreds of kilobytes of JSON:
# read and decoded once, not for every page of its measures.
@lru_cache(maxsize=32)
def _frozen_content(version_pk: int, content_hash: str) -> dict:
    return ProgrammeVersion.objects.values_list("content", flat=True).get(pk=version_pk)


def public_content(programme: ActionProgramme) -> tuple[dict, ProgrammeVersion | None, bool]:
    """What the public page shows: ``(content, latest published version, on hearing)``. A
    draft out for comments shows the live composition; otherwise the latest published
    version's frozen one (shared by every request: not to be changed)."""
    latest = published_versions(programme).defer("content").first()
    if programme.status == S.HEARING:
        return compose(programme), latest, True
    return _frozen_content(latest.pk, latest.rendering.content_hash), latest, False


def shown_comments(programme: ActionProgramme, measures) -> tuple[dict, dict]:
    """The comments moderation has shown on the version out for comments, as
    ``({section: [input, …]}, {measure number: [input, …]})`` for the page's sections and
    ``measures`` (the composition's measures on the page shown; comments on the others wait
    for their page). The giver is never loaded."""
    numbers = {m["measure_id"]: m["number"] for m in measures}
    comments = (
        ProgrammeComment.objects.filter(
            programme=programme,
            version=programme.version,
            input__moderation=Input.Moderation.APPROVED,
        )
        .filter(Q(measure__isnull=True) | Q(measure_id__in=list(numbers)))
        .select_related("input")
        .only(
            "section",
            "measure_id",
            "created_at",
            "input__text",
            "input__follow_up",
            "input__response",
            "input__created_at",
        )
        .order_by("created_at", "pk")
    )
    by_section: dict[str, list] = {}
    by_measure: dict[int, list] = {}
    for comment in comments:
        number = numbers.get(comment.measure_id)
        if number is not None:
            by_measure.setdefault(number, []).append(comment.input)
        else:
            by_section.setdefault(comment.section, []).append(comment.input)
    return by_section, by_measure


def public_programmes_for_area(area) -> list[ActionProgramme]:
    """The area's programmes anyone may read, newest year first, each with
    ``latest_version`` (the latest published one, or None) and ``on_hearing``."""
    programmes = list(
        ActionProgramme.objects.filter(pk__in=programmes_public(), area=area)
        .select_related("area")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=ProgrammeVersion.objects.filter(published_at__isnull=False)
                .only("pk", "programme_id", "number", "published_at")
                .order_by("-number"),
                to_attr="published",
            )
        )
        .order_by("-year")
    )
    for programme in programmes:
        programme.latest_version = programme.published[0] if programme.published else None
        programme.on_hearing = programme.status == S.HEARING
    return programmes
