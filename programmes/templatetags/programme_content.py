"""Putting a composition's codes into words: the labels of statuses, sources, steps and target
groups, and ISO dates as dates, in the reader's language."""

from datetime import date

from django import template

from areas.models import Area, ParticipationStep
from participation.models import Input, TargetGroup
from projects.models import BudgetLine, Project

register = template.Library()


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


@register.filter
def project_status(code) -> str:
    return _label(Project.Status, code)


@register.filter
def budget_source(code) -> str:
    return _label(BudgetLine.Source, code)


@register.filter
def participation_step(number) -> str:
    return _label(ParticipationStep, number)


@register.filter
def step_aim(number) -> str:
    try:
        return ParticipationStep(number).aim
    except ValueError:
        return ""


@register.filter
def target_group(code) -> str:
    return _label(TargetGroup, code)


@register.filter
def follow_up(code) -> str:
    return _label(Input.FollowUp, code)


@register.filter
def area_phase(code) -> str:
    return _label(Area.Phase, code)


@register.filter
def iso_date(value) -> date | None:
    """``"2026-09-01"`` → a date the ``date`` filter can format; None for nothing."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@register.filter
def get(mapping, key):
    """``mapping|get:key`` — a dict's value in a template (0 for a missing amount)."""
    if isinstance(mapping, dict):
        return mapping.get(key, mapping.get(str(key), 0))
    return 0


@register.filter
def sub_goal_title(number, goals) -> str:
    """The delmål's title by its number, from the composition's goals."""
    for goal in goals or ():
        if goal.get("number") == number:
            return goal.get("title", "")
    return ""
