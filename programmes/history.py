"""A programme's history in words, in the reader's language.

A ``ProgrammeChange`` stores an action key and its codes (the fields that changed, a delmål's
number, a project's id, the old and new status). Here, when the page shows it, the key becomes a
sentence and the codes their names: a status by its label, a field by its label, a project by
its title. Nothing here writes.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import FieldDoesNotExist
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from areas.models import ParticipationStep
from projects.models import Project

from .models import ActionProgramme, ProgrammeChange

S = ActionProgramme.Status

# What happened, by key: the "What" column.
TITLES = {
    "created": gettext_lazy("The programme was started"),
    "updated": gettext_lazy("The text was changed"),
    "goal_saved": gettext_lazy("Goals and strategies were written"),
    "measure_added": gettext_lazy("A measure was added"),
    "measure_removed": gettext_lazy("A measure was removed"),
    "measure_commented": gettext_lazy("A measure's comment was written"),
    "measure_moved": gettext_lazy("A measure was moved"),
    "hearing": gettext_lazy("Put out for comments"),
    "review": gettext_lazy("Sent for consideration"),
    "to_draft": gettext_lazy("Taken back to draft"),
    "adopt": gettext_lazy("Adopted"),
    "publish": gettext_lazy("Published"),
    "revise": gettext_lazy("A new version was started"),
}
STATUS_CHANGES = {"hearing", "review", "to_draft", "adopt", "publish", "revise"}
PROJECT_KEYS = {"measure_added", "measure_removed", "measure_commented", "measure_moved"}


@dataclass
class HistoryRow:
    at: datetime
    actor: object  # None: the system
    what: str
    detail: str
    version: int | None


def describe(changes: Iterable[ProgrammeChange]) -> list[HistoryRow]:
    """Each row put into words in the active language. At most one query (the titles of the
    projects the rows name), whatever the number of rows."""
    changes = list(changes)
    ids = {
        change.data.get("project")
        for change in changes
        if change.action in PROJECT_KEYS and isinstance((change.data or {}).get("project"), int)
    }
    titles = dict(Project.objects.filter(pk__in=ids).values_list("pk", "title")) if ids else {}
    return [
        HistoryRow(
            at=change.at,
            actor=change.actor,
            what=title(change),
            detail=detail(change, titles),
            version=(change.data or {}).get("version"),
        )
        for change in changes
    ]


def title(change: ProgrammeChange) -> str:
    label = TITLES.get(change.action)
    return str(label) if label else change.action


def _status(code) -> str:
    return str(S(code).label) if code in S.values else str(code or "")


def _field_label(name: str) -> str:
    try:
        return str(ActionProgramme._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _step(number) -> str:
    try:
        return str(ParticipationStep(number).label)
    except ValueError:
        return str(number)


def _date(value) -> str:
    try:
        return date_format(date.fromisoformat(value))
    except (TypeError, ValueError):
        return str(value or "")


def detail(change: ProgrammeChange, titles: dict[int, str]) -> str:
    """The particulars of a row, as a sentence; empty when there are none."""
    data = change.data or {}
    action = change.action
    if action == "created":
        if data.get("from_last_year"):
            return _("For %(year)s, starting from last year's programme.") % {
                "year": data.get("year")
            }
        return _("For %(year)s.") % {"year": data.get("year")}
    if action == "updated":
        parts = [
            _("Changed: %(fields)s.")
            % {"fields": ", ".join(_field_label(n) for n in data.get("fields", []))}
        ]
        step = data.get("step")
        if isinstance(step, list) and len(step) == 2:
            parts.append(
                _("The municipality's role: from %(old)s to %(new)s.")
                % {"old": _step(step[0]), "new": _step(step[1])}
            )
        return " ".join(parts)
    if action == "goal_saved":
        return _("Sub-goal %(number)s.") % {"number": data.get("sub_goal")}
    if action in PROJECT_KEYS:
        project = titles.get(data.get("project")) or _("a project that no longer exists")
        if action == "measure_moved":
            direction = _("up") if data.get("up") else _("down")
            return _("%(project)s, one place %(direction)s.") % {
                "project": project,
                "direction": direction,
            }
        return project
    if action in STATUS_CHANGES:
        text = _("From %(old)s to %(new)s.") % {
            "old": _status(data.get("old")),
            "new": _status(data.get("new")),
        }
        if action == "hearing" and data.get("until"):
            text += " " + _("Comments until %(date)s.") % {"date": _date(data["until"])}
        return text
    return ""
