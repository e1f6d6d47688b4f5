"""Event and input history as a reader sees it: each row's key and codes put into words in the
reader's language when the page is shown, never when the row was written.

Writes are in the services (``record`` for events, the workflows for an input's follow-up);
this module only reads.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from projects.models import Project

from .models import Event, EventChange, Input, InputChange, TargetGroup

# --- Input --------------------------------------------------------------------------------------

# What kind of step a key is: the "What" column.
INPUT_STEPS = {
    "received": gettext_lazy("Received"),
    "shown": gettext_lazy("Moderation"),
    "hidden": gettext_lazy("Moderation"),
    "project_linked": gettext_lazy("Project"),
}
FOLLOW_UP_STEP = gettext_lazy("Follow-up")


def input_step_label(action: str) -> str:
    return str(INPUT_STEPS.get(action, FOLLOW_UP_STEP))


def _status_label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else str(value or "")


def input_values(change: InputChange, projects: dict[int, str]) -> tuple[str, str]:
    """The old and new value of a step, in words."""
    data = change.data or {}
    if change.action == "project_linked":
        return (
            projects.get(data.get("old"), "") if data.get("old") else "",
            projects.get(data.get("new"), "–") if data.get("new") else "–",
        )
    choices = Input.Moderation if change.action in ("shown", "hidden") else Input.FollowUp
    old, new = data.get("old"), data.get("new")
    return (_status_label(choices, old) if old else "", _status_label(choices, new))


def _project_titles(changes) -> dict[int, str]:
    ids = set()
    for change in changes:
        if change.action == "project_linked":
            ids |= {v for v in (change.data.get("old"), change.data.get("new")) if v}
    if not ids:
        return {}
    return dict(Project.objects.filter(pk__in=ids).values_list("pk", "title"))


def input_rows(item: Input, personal: bool) -> list[dict]:
    """The input's history for its staff page. Input given online is recorded as the giver's own
    step: only those who may see personal data see who."""
    changes = list(item.changes.all())
    projects = _project_titles(changes)
    rows = []
    for change in changes:
        by_giver = change.actor_id is not None and change.actor_id == item.author_id
        old, new = input_values(change, projects)
        rows.append(
            {
                "change": change,
                "what": input_step_label(change.action),
                "old": old,
                "new": new,
                "who": change.actor if personal or not by_giver else None,
                "hidden": not personal and by_giver,
                "follow_up": change.action not in INPUT_STEPS,
            }
        )
    return rows


# --- Events -------------------------------------------------------------------------------------

EVENT_STEPS = {
    "created": gettext_lazy("Event created"),
    "updated": gettext_lazy("Event changed"),
    "published": gettext_lazy("Event published"),
    "cancelled": gettext_lazy("Event cancelled"),
    "attendance": gettext_lazy("Attendance recorded"),
    "registered": gettext_lazy("Registration received"),
    "confirmed": gettext_lazy("Registration confirmed by email"),
    "promoted": gettext_lazy("Moved up from the waiting list"),
    "cancelled_registration": gettext_lazy("Registration cancelled"),
    "checked_in": gettext_lazy("Checked in"),
    "check_in_undone": gettext_lazy("Check-in undone"),
}
# Rows whose actor is the person registered, not staff: the board does not see who.
REGISTRANT_STEPS = {"cancelled_registration"}
# Long texts: the history says that they changed, not what they say.
_TEXT_FIELDS = {"description", "accessibility_notes"}


def event_step_label(change: EventChange) -> str:
    if change.action in EVENT_STEPS:
        return str(EVENT_STEPS[change.action])
    return str((change.data or {}).get("summary") or change.action)


def event_code(value):
    """A field's value as the history stores it: a code, an id, an ISO time, a list of codes."""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return value


def _event_value(name: str, value, projects: dict[int, str]) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name == "project":
        return projects.get(value, "–")
    if name == "target_groups":
        return ", ".join(_status_label(TargetGroup, v) for v in value)
    if name in ("starts_at", "ends_at"):
        moment = parse_datetime(str(value))
        if moment is None:
            return str(value)
        return date_format(timezone.localtime(moment), "d.m.Y H:i")
    field = Event._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


# Labels that read better in a history line than the field's own name.
_FIELD_LABELS = {"participation_step": gettext_lazy("Participation step")}


def _field_name(name: str) -> str:
    if name in _FIELD_LABELS:
        return str(_FIELD_LABELS[name])
    try:
        return str(Event._meta.get_field(name).verbose_name).capitalize()
    except Exception:  # a field since removed
        return name


def _changes_text(changes: list[dict], projects: dict[int, str]) -> str:
    parts = []
    for change in changes:
        name = change.get("field", "")
        if "new" in change and name not in _TEXT_FIELDS:
            old = _event_value(name, change.get("old"), projects)
            new = _event_value(name, change.get("new"), projects)
            parts.append(f"{_field_name(name)}: {old} → {new}")
        else:
            parts.append(_field_name(name))
    return "; ".join(parts)


def _event_detail(change: EventChange, registrations: dict, personal: bool, projects) -> str:
    data = change.data or {}
    parts = []
    if data.get("reason"):
        parts.append(data["reason"])
    if data.get("changes"):
        parts.append(_changes_text(data["changes"], projects))
    if "total" in data:
        parts.append(_("%(total)s came") % {"total": data["total"]})
    if personal and data.get("pk") in registrations:
        parts.append(registrations[data["pk"]].name)
    return " · ".join(parts)


def _event_projects(changes) -> dict[int, str]:
    ids = set()
    for change in changes:
        for item in (change.data or {}).get("changes", []):
            if item.get("field") == "project":
                ids |= {v for v in (item.get("old"), item.get("new")) if v}
    if not ids:
        return {}
    return dict(Project.objects.filter(pk__in=ids).values_list("pk", "title"))


def event_rows(event: Event, registrations: dict, personal: bool) -> list[dict]:
    """The event's history for its staff page, in the reader's language."""
    changes = list(event.changes.all())
    projects = _event_projects(changes)
    rows = []
    for change in changes:
        hidden = not personal and change.action in REGISTRANT_STEPS
        rows.append(
            {
                "change": change,
                "what": event_step_label(change),
                "who": None if hidden else change.actor,
                "hidden": hidden and change.actor_id is not None,
                "detail": _event_detail(change, registrations, personal, projects),
            }
        )
    return rows
