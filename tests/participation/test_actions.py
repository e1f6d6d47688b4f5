"""Participation's staff actions × every role × every state: an action is offered on the staff
page exactly when its service accepts it, and a refused call writes nothing.

Each action is one object (``participation.actions``): the page lists those whose check passes,
the service refuses with the same check. This matrix holds them to it from the outside: what
the page shows against what the service does.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participation import services
from participation.actions import CHECK_IN, EVENT_ACTIONS, INPUT_ACTIONS, UNDO_CHECK_IN
from participation.models import Event, EventChange, Input, InputChange, Registration
from participation.workflow import INPUT_FOLLOW_UP
from tests.accounts.factories import make_user
from tests.projects.factories import ProjectFactory

from .factories import EventFactory, InputFactory, RegistrationFactory, area

pytestmark = pytest.mark.django_db

E, F, M, R = Event.Status, Input.FollowUp, Input.Moderation, Registration.Status

# Who acts: nobody signed in, a resident, the district's (Bjerke's) staff, a project leader of
# another district (Alna), and the board and the secretariat.
ROLES = (
    "anonymous",
    "resident",
    "project_leader",
    "other_district_project_leader",
    "case_handler",
    "programme_leader",
    "board",
    "secretariat",
)
EDITORS = {"project_leader", "programme_leader", "secretariat"}


@pytest.fixture
def actors(users, alna):
    return {
        **users,
        "anonymous": AnonymousUser(),
        "other_district_project_leader": make_user("project_leader", alna),
    }


def page_html(user, path: str) -> str:
    """The staff page as ``user`` sees it; empty when they may not open it at all."""
    client = Client()
    if user.is_authenticated:
        client.force_login(user)
    response = client.get(path)
    return response.content.decode() if response.status_code == 200 else ""


def offered(html: str, url: str) -> bool:
    return f'action="{url}"' in html


def outcome(service, *args, **kwargs) -> bool:
    """True when the service accepted the call, False when it refused it."""
    try:
        service(*args, **kwargs)
    except PermissionDenied:  # ActionRefused is one
        return False
    return True


def compare(failures, label, shown, accepted, before, after):
    if shown != accepted:
        failures.append(f"{label}: offered={shown}, service accepted={accepted}")
    if not accepted and before != after:
        failures.append(f"{label}: refused, yet something was written")


# --- Events -------------------------------------------------------------------------------------

EVENT_STATES = {
    f"{status}{'-started' if started else ''}": (status, started)
    for status in E.values
    for started in (False, True)
}


def event_in(state: str) -> Event:
    status, started = EVENT_STATES[state]
    starts = timezone.now() + (timedelta(hours=-1) if started else timedelta(days=7))
    event = EventFactory(status=status, starts_at=starts, ends_at=starts + timedelta(hours=3))
    RegistrationFactory(event=event)
    return event


def event_written(event: Event):
    return (
        Event.objects.filter(pk=event.pk).values().get(),
        EventChange.objects.filter(event=event).count(),
        list(event.registrations.order_by("pk").values()),
    )


EVENT_CALLS = {
    "publish": lambda actor, event: services.event_publish(actor=actor, event=event),
    "attendance": lambda actor, event: services.attendance_record(
        actor=actor, event=event, total=12, by_group={}
    ),
    "cancel": lambda actor, event: services.event_cancel(
        actor=actor, event=event, reason="Sykdom."
    ),
}


def test_every_event_action_is_offered_exactly_when_its_service_accepts_it(actors):
    assert set(EVENT_CALLS) == set(EVENT_ACTIONS.names())
    failures, accepted_somewhere = [], set()
    for state in EVENT_STATES:
        for role in ROLES:
            actor = actors[role]
            shown_on = event_in(state)
            html = page_html(actor, reverse("participation:staff_event", args=[shown_on.slug]))
            for action in EVENT_ACTIONS:
                event = event_in(state)
                shown = offered(html, action.url(shown_on))
                before = event_written(event)
                accepted = outcome(EVENT_CALLS[action.name], actor, event)
                compare(
                    failures,
                    f"{action.name} as {role} on {state}",
                    shown,
                    accepted,
                    before,
                    event_written(event),
                )
                if accepted:
                    accepted_somewhere.add((action.name, role))
    assert not failures, "\n".join(failures)
    # Only the district's editors and the secretariat ever get to act.
    assert {role for _name, role in accepted_somewhere} == EDITORS
    assert {name for name, _role in accepted_somewhere} == set(EVENT_ACTIONS.names())


# --- Check-in at the door -----------------------------------------------------------------------

DOOR_STATES = {
    "confirmed": {"status": R.CONFIRMED},
    "checked_in": {"status": R.CONFIRMED, "checked_in_at": timezone.now},
    "waitlisted": {"status": R.WAITLISTED, "confirmed_at": None},
    "pending": {"status": R.PENDING, "confirmed_at": None},
}


def registration_in(state: str) -> Registration:
    starts = timezone.now() - timedelta(minutes=10)
    event = EventFactory(starts_at=starts, ends_at=starts + timedelta(hours=2))
    fields = {k: (v() if callable(v) else v) for k, v in DOOR_STATES[state].items()}
    return RegistrationFactory(event=event, name="Kari Nordmann", **fields)


def door_offered(html: str, registration: Registration, action) -> bool:
    row = re.search(rf'<tr id="registration-{registration.pk}">(.*?)</tr>', html, re.S)
    if row is None or "<form" not in row.group(1):
        return False
    present = re.search(r'name="present" value="(\d)"', row.group(1)).group(1)
    return present == ("1" if action is CHECK_IN else "0")


def test_check_in_and_its_undo_are_offered_exactly_when_the_service_accepts_them(actors):
    failures, accepted_somewhere = [], set()
    for state in DOOR_STATES:
        for role in ROLES:
            actor = actors[role]
            for action in (CHECK_IN, UNDO_CHECK_IN):
                registration = registration_in(state)
                html = page_html(
                    actor, reverse("participation:staff_event", args=[registration.event.slug])
                )
                shown = door_offered(html, registration, action)
                before = event_written(registration.event)
                accepted = outcome(
                    services.registration_check_in,
                    actor=actor,
                    registration=registration,
                    present=action is CHECK_IN,
                )
                compare(
                    failures,
                    f"{action.name} as {role} on {state}",
                    shown,
                    accepted,
                    before,
                    event_written(registration.event),
                )
                if accepted:
                    accepted_somewhere.add((action.name, state))
    assert not failures, "\n".join(failures)
    assert accepted_somewhere == {("check_in", "confirmed"), ("undo_check_in", "checked_in")}


# --- Input --------------------------------------------------------------------------------------

# Every follow-up status (shown input), and every moderation state (input just received).
INPUT_STATES = {
    **{f"follow_up={s}": {"follow_up": s} for s in F.values},
    **{f"moderation={m}": {"moderation": m} for m in M.values},
}


def input_in(state: str) -> Input:
    fields = dict(INPUT_STATES[state])
    if fields.get("follow_up") in (F.NOT_TAKEN_UP, F.DONE):
        fields["response"] = "Svar til innbyggerne."
    return InputFactory(**fields)


def input_written(item: Input):
    return (
        Input.objects.filter(pk=item.pk).values().get(),
        InputChange.objects.filter(input=item).count(),
    )


def input_call(name: str, actor, item: Input, project):
    if name == "show":
        return services.input_moderate(actor=actor, item=item, show=True)
    if name == "hide":
        return services.input_moderate(actor=actor, item=item, show=False, reason="Spam.")
    if name == "link_project":
        return services.input_link_project(actor=actor, item=item, project=project)
    return services.input_follow_up(
        actor=actor,
        item=item,
        transition=name,
        response="Svar.",
        project=project if name == "take_up" else None,
    )


def test_every_input_action_is_offered_exactly_when_its_service_accepts_it(actors):
    project = ProjectFactory(area=area(), title="Benker på torget")
    failures, accepted_somewhere = [], set()
    for state in INPUT_STATES:
        for role in ROLES:
            actor = actors[role]
            shown_on = input_in(state)
            html = page_html(actor, reverse("participation:staff_input", args=[shown_on.pk]))
            for action in INPUT_ACTIONS:
                item = input_in(state)
                shown = offered(html, action.url(shown_on))
                before = input_written(item)
                accepted = outcome(input_call, action.name, actor, item, project)
                compare(
                    failures,
                    f"{action.name} as {role} on {state}",
                    shown,
                    accepted,
                    before,
                    input_written(item),
                )
                if accepted:
                    accepted_somewhere.add((action.name, role))
    assert not failures, "\n".join(failures)
    assert {role for _name, role in accepted_somewhere} == EDITORS
    assert {name for name, _role in accepted_somewhere} == set(INPUT_ACTIONS.names())


def test_each_edge_of_the_follow_up_table_is_one_action():
    steps = [a for a in INPUT_ACTIONS if a.name in INPUT_FOLLOW_UP.names()]
    assert sorted(a.name for a in steps) == sorted(INPUT_FOLLOW_UP.names())
    edges = [(old, new) for old, _name, new in INPUT_FOLLOW_UP.edges()]
    assert len(edges) == len(set(edges))  # no two transitions share an edge
