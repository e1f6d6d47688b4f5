"""The follow-up of an input and the status of an event, as data: named transitions, the
statuses each starts from, where it leads and the roles that may make it.

Every follow-up step and every publish or cancel goes through ``apply`` of its table, which
checks it, saves the status and writes the history row; the models refuse a status change that
did not (``core.workflow.StatusGuard``).
"""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.permissions import has_role, is_secretariat
from core import versions
from core.workflow import SYSTEM, Transition, Workflow

from .models import Event, EventChange, Input, InputChange

F = Input.FollowUp
E = Event.Status

# The roles that work on participation: the district's project and programme leaders, and the
# secretariat everywhere. Case handlers and the board do not.
EDITORS = frozenset({Role.PROJECT_LEADER, Role.PROGRAMME_LEADER, Role.SECRETARIAT})


def _roles_in(user, district_ids: set[int]) -> set[str]:
    if user is None:
        return {SYSTEM}
    roles = {Role.SECRETARIAT} if is_secretariat(user) else set()
    for role in (Role.PROJECT_LEADER, Role.PROGRAMME_LEADER):
        if any(has_role(user, role, district=d) for d in district_ids):
            roles.add(role)
    return roles


def input_roles(user, item: Input) -> set[str]:
    """The workflow roles ``user`` holds for ``item``: those held in the input's district."""
    return _roles_in(user, {item.area.district_id})


def event_roles(user, event: Event) -> set[str]:
    """The workflow roles ``user`` holds for ``event``: those held in any of its districts."""
    if event.pk is None:
        return _roles_in(user, set())
    return _roles_in(user, {a.district_id for a in event.areas.all()})


# --- An input's follow-up -----------------------------------------------------------------------


def _record_input(item, transition, actor, old, new, *, note="", notified=False, **data):
    versions.bump(versions.PARTICIPATION)
    return InputChange.objects.create(
        input=item,
        actor=actor,
        action=transition.name,
        data={"old": old, "new": new, **data},
        note=note,
        notified=notified,
    )


INPUT_FOLLOW_UP = Workflow(
    model=Input,
    transitions=[
        Transition(
            "consider",
            sources=[F.RECEIVED],
            to=F.CONSIDERING,
            roles=EDITORS,
            label=_("Consider the input"),
        ),
        Transition(
            "take_up",
            sources=[F.RECEIVED, F.CONSIDERING],
            to=F.TAKEN_UP,
            roles=EDITORS,
            label=_("Take up the input"),
        ),
        Transition(
            "not_take_up",
            sources=[F.RECEIVED, F.CONSIDERING],
            to=F.NOT_TAKEN_UP,
            roles=EDITORS,
            label=_("Do not take up the input"),
        ),
        Transition(
            "done",
            sources=[F.TAKEN_UP],
            to=F.DONE,
            roles=EDITORS,
            label=_("Mark the input as done"),
        ),
        # A decision may be reconsidered; what is done is done.
        Transition(
            "reconsider",
            sources=[F.TAKEN_UP, F.NOT_TAKEN_UP],
            to=F.CONSIDERING,
            roles=EDITORS,
            label=_("Reconsider the input"),
        ),
    ],
    roles_of=input_roles,
    record=_record_input,
    status_label=lambda value: str(F(value).label),
)


# --- An event's status --------------------------------------------------------------------------

# The history keys of the transitions (``published`` reads better than ``publish`` in a log, and
# it is the key the history has always had).
EVENT_HISTORY_KEYS = {"publish": "published", "cancel": "cancelled"}


def _record_event(event, transition, actor, old, new, **data):
    versions.bump(versions.PARTICIPATION)
    return EventChange.objects.create(
        event=event,
        actor=actor,
        action=EVENT_HISTORY_KEYS[transition.name],
        data={"old": old, "new": new, **data},
    )


EVENT_STATUS = Workflow(
    model=Event,
    transitions=[
        Transition("publish", sources=[E.DRAFT], to=E.PUBLISHED, roles=EDITORS, label=_("Publish")),
        # A draft that was never announced has nobody to tell: it is not cancelled, just left.
        Transition(
            "cancel",
            sources=[E.PUBLISHED],
            to=E.CANCELLED,
            roles=EDITORS,
            label=_("Cancel the event"),
        ),
    ],
    roles_of=event_roles,
    record=_record_event,
    status_label=lambda value: str(E(value).label),
)
