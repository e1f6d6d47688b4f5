"""A project's history in words, in the reader's language.

A ``ProjectChange`` stores an action key, its particulars and each changed field's old and new
value as codes. Here, when a page shows it, the key becomes a sentence and each field its label
and its value as a reader writes it: a date as "1. september 2019", a status by its name, an
amount in kroner.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import date_format, number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from areas.models import Area
from core.formatting import kroner

from .models import BudgetLine, Milestone, Project, ProjectChange

Action = ProjectChange.Action

# Which model's fields a row's changes name, by action.
_FIELDS_OF = {Action.MILESTONE_DONE: Milestone, Action.BUDGET: BudgetLine}

# Labels that read better in a history line than the field's own name.
_LABELS = {
    (Milestone, "done_date"): gettext_lazy("Done on"),
    (BudgetLine, "planned"): gettext_lazy("Planned"),
    (BudgetLine, "spent"): gettext_lazy("Spent"),
    (Project, "sub_goals"): gettext_lazy("Sub-goals"),
    (Project, "participation_step"): gettext_lazy("Participation step"),
}


@dataclass
class FieldChange:
    label: str
    old: str | None  # None: the field was empty
    new: str | None


@dataclass
class HistoryEntry:
    at: datetime
    actor: object
    title: str
    rows: list[FieldChange]


def describe(changes: Iterable[ProjectChange]) -> list[HistoryEntry]:
    """Each row put into words in the active language. At most one query (the areas a moved
    project was in), whatever the number of rows."""
    changes = list(changes)
    area_ids = {
        value
        for change in changes
        if change.action == Action.UPDATED and "area" in change.changes
        for value in change.changes["area"]
        if isinstance(value, int)
    }
    areas = Area.objects.in_bulk(area_ids) if area_ids else {}
    return [
        HistoryEntry(
            at=change.at,
            actor=change.actor,
            title=title(change),
            rows=field_changes(change, areas),
        )
        for change in changes
    ]


def title(change: ProjectChange) -> str:
    """What happened, as a sentence."""
    data = change.data or {}
    if set(data) == {"text"}:  # an early row whose sentence could not be read back into codes
        return data["text"]
    name = data.get("title") or data.get("name") or data.get("alt_text") or ""
    match change.action:
        case Action.CREATED:
            return _("Project created")
        case Action.UPDATED:
            return _("Project details changed")
        case Action.MILESTONE_ADDED:
            return _("Milestone added: %s") % name
        case Action.MILESTONE_DONE:
            return _("Milestone done: %s") % name
        case Action.BUDGET:
            source = data.get("source", "")
            label = (
                BudgetLine.Source(source).label if source in BudgetLine.Source.values else source
            )
            return _("Budget %(year)s, %(source)s") % {"year": data.get("year"), "source": label}
        case Action.INDICATOR_ADDED:
            return _("Indicator added: %s") % name
        case Action.INDICATOR_VALUE:
            return _("Measured %(name)s: %(value)s %(unit)s") % {
                "name": name,
                "value": _number(data.get("value")),
                "unit": data.get("unit", ""),
            }
        case Action.UPDATE_ADDED:
            if data.get("public"):
                return _("Public status update added")
            return _("Internal status update added")
        case Action.PARTNER_ADDED:
            return _("Partner added: %s") % name
        case Action.IMAGE_ADDED:
            return _("Image added: %s") % name
    return change.get_action_display()


def field_changes(change: ProjectChange, areas: dict | None = None) -> list[FieldChange]:
    """Each changed field with its label and its old and new value in words."""
    model = _FIELDS_OF.get(change.action, Project)
    rows = []
    for name, pair in (change.changes or {}).items():
        old, new = (list(pair) + [None, None])[:2]
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        rows.append(
            FieldChange(
                label=str(_label(model, name, field)),
                old=_value(model, field, old, areas or {}),
                new=_value(model, field, new, areas or {}),
            )
        )
    return rows


def _label(model, name: str, field) -> str:
    if (model, name) in _LABELS:
        return _LABELS[model, name]
    if field is None:
        return name
    return str(field.verbose_name).capitalize()


def _number(value) -> str:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return number_format(number.normalize() if number == number.to_integral() else number)


def _value(model, field, value, areas: dict) -> str | None:
    if value is None or value == "" or value == []:
        return None
    if field is None:
        return str(value)
    if field.many_to_many:  # the sub-goals, by number
        return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if field.is_relation:
        if isinstance(value, int) and value in areas:
            return areas[value].name
        return str(value)
    if field.choices:
        labels = {str(code): str(label) for code, label in field.flatchoices}
        return labels.get(str(value), str(value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value in (True, "True") else _("No")
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        try:
            return date_format(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if isinstance(field, models.DecimalField) and model is BudgetLine:
        try:
            return kroner(Decimal(str(value)))
        except InvalidOperation:
            return str(value)
    if isinstance(field, models.TextField):
        return Truncator(str(value)).chars(200)
    return str(value)
