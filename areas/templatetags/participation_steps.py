"""The brochure's deltakelsestrappa on a page: the partial
``templates/areas/partials/_participation_steps.html`` lists the four steps and marks the one a
project, event or programme is on."""

from dataclasses import dataclass

from django import template

from areas.models import ParticipationStep

register = template.Library()


@dataclass(frozen=True)
class StepRow:
    number: int
    label: str
    aim: str
    practice: str
    is_current: bool


def _as_step(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number in ParticipationStep.values else None


@register.simple_tag
def participation_step_rows(current=None) -> list[StepRow]:
    """The four steps in order, in the reader's language, ``current`` (a step or its number)
    marked. Nothing is marked for a value that is not a step."""
    current = _as_step(current)
    return [
        StepRow(
            number=step.value,
            label=str(step.label),
            aim=step.aim,
            practice=step.practice,
            is_current=step.value == current,
        )
        for step in ParticipationStep
    ]
