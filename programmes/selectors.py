"""Reads for the programme's staff pages, each in a fixed number of queries whatever the number
of programmes, measures or history rows. Every read starts from the user's scope
(``permissions.programmes_visible_to``)."""

from django.db.models import Count, QuerySet

from accounts.permissions import AnyUser
from areas.models import SubGoal
from projects.models import Project

from .models import ActionProgramme, Measure, ProgrammeChange, ProgrammeVersion, Rendering
from .permissions import programmes_visible_to


def programme_list(queryset: QuerySet[ActionProgramme]) -> QuerySet[ActionProgramme]:
    """The list page's rows: the area and district, and the count of measures."""
    return (
        queryset.select_related("area__district")
        .annotate(measure_count=Count("measures"))
        # An aggregate drops the model's ordering: say it again.
        .order_by("-year", "area__district__number", "area__name", "pk")
    )


def staff_programme(user: AnyUser, pk: int) -> ActionProgramme:
    """The programme ``pk`` if the user may see it; ``DoesNotExist`` otherwise (a 404)."""
    return (
        programmes_visible_to(user)
        .select_related("area__district", "area__sub_programme")
        .get(pk=pk)
    )


def measures(programme: ActionProgramme) -> list[Measure]:
    """The programme's measures in their order, with their projects."""
    return list(
        Measure.objects.filter(programme=programme)
        .select_related("project")
        .order_by("position", "pk")
    )


def addable_projects(programme: ActionProgramme) -> QuerySet[Project]:
    """The area's projects that are not measures of the programme yet."""
    return (
        Project.objects.filter(area_id=programme.area_id)
        .exclude(programme_measures__programme=programme)
        .order_by("title")
    )


def sub_goals(programme: ActionProgramme) -> list[SubGoal]:
    """The delmål the programme writes goals and strategies under: the area's own, or else all
    of its sub-programme's, and any it already has a goal under (as ``compose`` shows them)."""
    area = programme.area
    shown = {g.pk: g for g in area.sub_goals.all()} or {
        g.pk: g for g in SubGoal.objects.filter(sub_programme=area.sub_programme_id)
    }
    for goal in programme.goals.select_related("sub_goal"):
        shown.setdefault(goal.sub_goal_id, goal.sub_goal)
    return sorted(shown.values(), key=lambda g: g.number)


def current_rendering(programme: ActionProgramme) -> Rendering | None:
    """The PDF the programme's page reports on: for an adopted or published programme the one
    of its adopted version, otherwise the one asked for last."""
    if programme.is_frozen:
        version = (
            ProgrammeVersion.objects.filter(programme=programme, number=programme.version)
            .select_related("rendering")
            .first()
        )
        if version is not None:
            return version.rendering
    return Rendering.objects.filter(programme=programme).order_by("-requested_at", "-pk").first()


def changes(programme: ActionProgramme) -> QuerySet[ProgrammeChange]:
    """The programme's history, newest first, with who made each change."""
    return (
        ProgrammeChange.objects.filter(programme=programme)
        .select_related("actor")
        .order_by("-at", "-pk")
    )


def goals_by_sub_goal(programme: ActionProgramme) -> dict[int, object]:
    """The programme's written goals, by the pk of their delmål."""
    return {goal.sub_goal_id: goal for goal in programme.goals.all()}
