"""Every write to projects. Each records a ProjectChange in the same transaction.

The history row holds an action key, the action's particulars and each changed field's old and
new value as codes; ``projects.history`` words it in the reader's language when it is shown.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from accounts.models import User
from core import versions
from core.audit import as_code
from core.slugs import unique_slug

from . import tallies
from .models import (
    BudgetLine,
    Indicator,
    IndicatorValue,
    Milestone,
    Partner,
    Project,
    ProjectChange,
    ProjectImage,
    StatusUpdate,
)
from .permissions import can_edit_project

PROJECT_FIELDS = [
    "area",
    "title",
    "summary",
    "description",
    "status",
    "start_date",
    "end_date",
    "participation_step",
    "owner",
    "manager",
    "steering_group",
    "benefit_owner",
    "is_public",
]


Action = ProjectChange.Action


def _record(project: Project, actor: User, action: str, data=None, changes=None) -> None:
    versions.bump(versions.PROJECTS)
    ProjectChange.objects.create(
        project=project, actor=actor, action=action, data=data or {}, changes=changes or {}
    )


def _require_edit(actor: User, project: Project) -> None:
    if not can_edit_project(actor, project):
        raise PermissionDenied


def _unique_slug(title: str, exclude_pk: int | None = None) -> str:
    return unique_slug(Project, title, fallback="prosjekt", max_length=170, exclude_pk=exclude_pk)


def _check_dates(start, end) -> None:
    if start and end and end < start:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


@transaction.atomic
def project_create(*, actor: User, sub_goals, **fields) -> Project:
    """Create a project in an area the actor may edit. Raises PermissionDenied, ValidationError."""
    project = Project(**{k: v for k, v in fields.items() if k in PROJECT_FIELDS})
    _require_edit(actor, project)
    _check_dates(project.start_date, project.end_date)
    if not sub_goals:
        raise ValidationError({"sub_goals": _("Choose at least one sub-goal.")})
    project.slug = _unique_slug(project.title)
    project.full_clean(exclude=["sub_goals", "slug"])
    for _attempt in range(5):
        try:
            # Another request may take the same slug between the check and the insert.
            with transaction.atomic():
                project.save()
            break
        except IntegrityError:
            project.pk = None
            project.slug = _unique_slug(f"{project.title} {get_random_string(4).lower()}")
    else:
        raise ValidationError(_("The project could not be saved. Please try again."))
    project.sub_goals.set(sub_goals)
    tallies.refresh(project.area_id)
    _record(project, actor, Action.CREATED)
    return project


@transaction.atomic
def project_update(*, project: Project, actor: User, sub_goals=None, **fields) -> Project:
    """Change a project's fields; the history row lists each field's old and new value.

    Moving a project to an area in another district needs edit rights in both.
    """
    locked = Project.objects.select_for_update().get(pk=project.pk)
    _require_edit(actor, locked)
    old_area = locked.area_id
    changes = {}
    for name, value in fields.items():
        if name not in PROJECT_FIELDS:
            continue
        old = getattr(locked, name)
        if old != value:
            changes[name] = [as_code(old), as_code(value)]
            setattr(locked, name, value)
    _require_edit(actor, locked)
    _check_dates(locked.start_date, locked.end_date)
    if sub_goals is not None:
        old_goals = sorted(locked.sub_goals.values_list("number", flat=True))
        new_goals = sorted(g.number for g in sub_goals)
        if not new_goals:
            raise ValidationError({"sub_goals": _("Choose at least one sub-goal.")})
        if old_goals != new_goals:
            changes["sub_goals"] = [old_goals, new_goals]
            locked.sub_goals.set(sub_goals)
    if not changes:
        return locked
    locked.full_clean(exclude=["sub_goals", "slug"])
    locked.save()
    tallies.refresh(old_area, locked.area_id)
    _record(locked, actor, Action.UPDATED, changes=changes)
    return locked


@transaction.atomic
def milestone_add(*, project: Project, actor: User, title: str, due_date: date) -> Milestone:
    _require_edit(actor, project)
    milestone = Milestone(project=project, title=title, due_date=due_date)
    milestone.full_clean()
    milestone.save()
    _record(project, actor, Action.MILESTONE_ADDED, {"milestone": milestone.pk, "title": title})
    return milestone


@transaction.atomic
def milestone_complete(*, milestone: Milestone, actor: User, done_date: date) -> Milestone:
    _require_edit(actor, milestone.project)
    if milestone.done_date == done_date:
        return milestone
    previous = milestone.done_date
    milestone.done_date = done_date
    milestone.save(update_fields=["done_date"])
    _record(
        milestone.project,
        actor,
        Action.MILESTONE_DONE,
        {"milestone": milestone.pk, "title": milestone.title},
        {"done_date": [as_code(previous), as_code(done_date)]},
    )
    return milestone


@transaction.atomic
def budget_line_set(
    *, project: Project, actor: User, year: int, source: str, planned, spent
) -> BudgetLine:
    """Create or change the budget line for (year, source)."""
    _require_edit(actor, project)
    if planned < 0 or spent < 0:
        raise ValidationError(_("Amounts cannot be negative."))
    line = BudgetLine.objects.filter(project=project, year=year, source=source).first()
    old = {"planned": None, "spent": None}
    if line is None:
        line = BudgetLine(project=project, year=year, source=source, planned=planned, spent=spent)
    else:
        if line.planned == planned and line.spent == spent:
            return line
        old = {"planned": line.planned, "spent": line.spent}
        line.planned, line.spent = planned, spent
    line.full_clean(validate_unique=False)
    line.save()
    # The area as it is now, not as the caller read it: a move may have come in between.
    tallies.refresh(Project.objects.filter(pk=project.pk).values_list("area_id", flat=True).get())
    new = {"planned": line.planned, "spent": line.spent}
    _record(
        project,
        actor,
        Action.BUDGET,
        {"year": year, "source": source},
        {
            name: [as_code(old[name]), as_code(new[name])]
            for name in new
            if old[name] is None or old[name] != new[name]
        },
    )
    return line


@transaction.atomic
def indicator_add(
    *, project: Project, actor: User, name: str, unit: str, baseline=None, target=None
) -> Indicator:
    _require_edit(actor, project)
    indicator = Indicator(project=project, name=name, unit=unit, baseline=baseline, target=target)
    indicator.full_clean()
    indicator.save()
    _record(project, actor, Action.INDICATOR_ADDED, {"indicator": indicator.pk, "name": name})
    return indicator


@transaction.atomic
def indicator_value_add(
    *, indicator: Indicator, actor: User, date: date, value, note: str = ""
) -> IndicatorValue:
    _require_edit(actor, indicator.project)
    measured = IndicatorValue.objects.create(indicator=indicator, date=date, value=value, note=note)
    _record(
        indicator.project,
        actor,
        Action.INDICATOR_VALUE,
        {
            "indicator": indicator.pk,
            "name": indicator.name,
            "value": as_code(value),
            "unit": indicator.unit,
            "date": as_code(date),
        },
    )
    return measured


@transaction.atomic
def status_update_add(
    *, project: Project, actor: User, date: date, text: str, is_public: bool
) -> StatusUpdate:
    _require_edit(actor, project)
    update = StatusUpdate.objects.create(
        project=project, date=date, text=text, is_public=is_public, author=actor
    )
    _record(project, actor, Action.UPDATE_ADDED, {"update": update.pk, "public": is_public})
    return update


@transaction.atomic
def partner_add(*, project: Project, actor: User, name: str, kind: str) -> Partner:
    _require_edit(actor, project)
    partner = Partner(project=project, name=name, kind=kind)
    partner.full_clean()
    partner.save()
    _record(project, actor, Action.PARTNER_ADDED, {"name": name, "kind": kind})
    return partner


@transaction.atomic
def image_add(
    *, project: Project, actor: User, image, alt_text: str, caption: str = ""
) -> ProjectImage:
    """Attach an image. The alternative text is required (universal design); blank is refused."""
    _require_edit(actor, project)
    if not alt_text.strip():
        raise ValidationError({"alt_text": _("Describe what the image shows.")})
    picture = ProjectImage(project=project, image=image, alt_text=alt_text.strip(), caption=caption)
    picture.full_clean()
    picture.save()
    _record(project, actor, Action.IMAGE_ADDED, {"alt_text": picture.alt_text})
    return picture
