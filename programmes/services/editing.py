"""Writing a programme's content: its prose, its goals and strategies, its measures.

Only a programme that is not adopted can be written to (draft, out for comments, under
consideration); an adopted one waits for its next version (``programme_revise``).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.models import User
from areas.models import Area, ParticipationStep, SubGoal
from core.actions import require
from projects.models import Project

from .. import actions, permissions
from ..models import PROSE_FIELDS, ActionProgramme, Measure, ProgrammeGoal
from ._common import lock, record

# Projects that belong in this year's measures: those not over, cancelled or never begun.
ACTIVE_PROJECTS = [Project.Status.IDEA, Project.Status.PLANNED, Project.Status.ONGOING]


@transaction.atomic
def programme_create(
    *, actor: User, area: Area, year: int, copy_from_last_year: bool = True
) -> ActionProgramme:
    """Start the programme of ``area`` for ``year`` as a draft.

    Its measures are the area's active projects; with ``copy_from_last_year`` the prose,
    goals, strategies and participation step of last year's programme are carried over as a
    starting point. Raises PermissionDenied outside the actor's districts and ValidationError
    when the area already has a programme that year (nothing is written then).
    """
    if not permissions.areas_for_editor(actor).filter(pk=area.pk).exists():
        raise PermissionDenied
    previous = (
        ActionProgramme.objects.filter(area=area, year=year - 1).first()
        if copy_from_last_year
        else None
    )
    fields = {name: getattr(previous, name) for name in PROSE_FIELDS} if previous else {}
    step = previous.participation_step if previous else ParticipationStep.PROACTIVE
    try:
        with transaction.atomic():
            programme = ActionProgramme.objects.create(
                area=area, year=year, participation_step=step, **fields
            )
    except IntegrityError:
        raise ValidationError(
            {
                "year": _("%(area)s already has an action programme for %(year)s.")
                % {"area": area.name, "year": year}
            }
        ) from None
    if previous:
        ProgrammeGoal.objects.bulk_create(
            ProgrammeGoal(
                programme=programme,
                sub_goal_id=goal.sub_goal_id,
                local_goal=goal.local_goal,
                strategies=goal.strategies,
            )
            for goal in previous.goals.all()
        )
    projects = (
        Project.objects.filter(area=area, status__in=ACTIVE_PROJECTS)
        .order_by("start_date", "title")
        .values_list("pk", flat=True)
    )
    Measure.objects.bulk_create(
        Measure(programme=programme, project_id=pk, position=i)
        for i, pk in enumerate(projects, start=1)
    )
    record(programme, actor, "created", year=year, from_last_year=bool(previous))
    return programme


@transaction.atomic
def programme_update(*, actor: User, programme: ActionProgramme, **fields) -> ActionProgramme:
    """Change the programme's prose and participation step (``PROSE_FIELDS`` and
    ``participation_step``). Records which fields changed; a change of the step keeps its
    old and new code."""
    programme = lock(programme)
    require(actions.EDIT, actor, programme)
    allowed = {*PROSE_FIELDS, "participation_step"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown programme fields: {sorted(unknown)}")
    changed = [name for name, value in fields.items() if getattr(programme, name) != value]
    if not changed:
        return programme
    data = {"fields": changed}
    if "participation_step" in changed:
        data["step"] = [programme.participation_step, int(fields["participation_step"])]
    for name in changed:
        setattr(programme, name, fields[name])
    programme.save(update_fields=[*changed, "updated_at"])
    record(programme, actor, "updated", **data)
    return programme


@transaction.atomic
def goal_save(
    *, actor: User, programme: ActionProgramme, sub_goal: SubGoal, local_goal: str, strategies: str
) -> ProgrammeGoal:
    """Write the area's local goal and strategies under ``sub_goal``."""
    programme = lock(programme)
    require(actions.EDIT, actor, programme)
    goal, _created = ProgrammeGoal.objects.update_or_create(
        programme=programme,
        sub_goal=sub_goal,
        defaults={"local_goal": local_goal, "strategies": strategies},
    )
    record(programme, actor, "goal_saved", sub_goal=sub_goal.number)
    return goal


@transaction.atomic
def measure_add(*, actor: User, programme: ActionProgramme, project: Project) -> Measure:
    """Add ``project`` to the year's measures, last. Raises ValidationError for a project of
    another area or one already in the programme."""
    programme = lock(programme)
    require(actions.EDIT, actor, programme)
    if project.area_id != programme.area_id:
        raise ValidationError(
            {"project": _("Only the area's own projects can be measures in its programme.")}
        )
    if programme.measures.filter(project=project).exists():
        raise ValidationError({"project": _("The project is already a measure this year.")})
    last = programme.measures.aggregate(last=Max("position"))["last"] or 0
    measure = Measure.objects.create(programme=programme, project=project, position=last + 1)
    record(programme, actor, "measure_added", project=project.pk)
    return measure


@transaction.atomic
def measure_remove(*, actor: User, measure: Measure) -> None:
    """Take a measure out of the programme (its project stays as it is)."""
    programme = lock(measure.programme)
    require(actions.EDIT, actor, programme)
    project_id = measure.project_id
    measure.delete()
    record(programme, actor, "measure_removed", project=project_id)


@transaction.atomic
def measure_comment(*, actor: User, measure: Measure, comment: str) -> Measure:
    """Write what the programme says of a measure this year."""
    programme = lock(measure.programme)
    require(actions.EDIT, actor, programme)
    if measure.comment != comment:
        measure.comment = comment
        measure.save(update_fields=["comment"])
        record(programme, actor, "measure_commented", project=measure.project_id)
    return measure


@transaction.atomic
def measure_move(*, actor: User, measure: Measure, up: bool) -> None:
    """Move a measure one place up or down in the programme's order."""
    programme = lock(measure.programme)
    require(actions.EDIT, actor, programme)
    ordered = list(programme.measures.order_by("position", "pk"))
    index = next(i for i, m in enumerate(ordered) if m.pk == measure.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    record(programme, actor, "measure_moved", project=measure.project_id, up=up)
