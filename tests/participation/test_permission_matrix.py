"""Roles × every participation URL. Other districts' events and input are out of scope (404);
the board reads lists but never personal data; residents and case handlers have no staff pages."""

import pytest
from django.urls import reverse

from participation.actions import INPUT_ACTIONS
from participation.models import Event
from tests.matrix import LOGIN, ROLES, Row, assert_matrix
from tests.participation.factories import EventFactory, InputFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _expect(default, **overrides):
    return {role: overrides.get(role, default) for role in ROLES}


def url(name, **kwargs):
    return lambda: reverse(f"participation:{name}", kwargs=kwargs)


def staff_readers(ok=200, **overrides):
    """Bjerke's editors, the board and the secretariat read; Alna's leader gets 404 (out of
    scope); residents and case handlers 403; anonymous is sent to log in."""
    base = _expect(
        ok,
        anonymous=LOGIN,
        resident=403,
        case_handler=403,
        other_district_leader=404,
    )
    base.update(overrides)
    return base


def editors_only(ok=200, **overrides):
    return staff_readers(ok, board=403, **overrides)


def test_public_participation_pages(users):
    event = EventFactory()
    registration = RegistrationFactory(event=event)
    rows = [
        Row("participation:events", _expect(200)),
        Row(url("event_detail", slug=event.slug), _expect(200)),
        Row(url("event_ics", slug=event.slug), _expect(200)),
        Row(url("area_calendar", slug="veitvet-og-slettelokka"), _expect(200)),
        Row(url("area_inputs", slug="veitvet-og-slettelokka"), _expect(200)),
        Row("participation:input_create", _expect(200)),
        Row(url("registration_status", token=registration.token), _expect(200)),
        Row(url("registration_cancel", token=registration.token), _expect(200)),
        Row(url("registration_status", token="no-such-token"), _expect(404)),
        Row("participation:my_registrations", _expect(200, anonymous=LOGIN)),
    ]
    assert_matrix(users, rows)


def test_draft_events_are_not_public(users):
    event = EventFactory(status=Event.Status.DRAFT)
    rows = [
        Row(url("event_detail", slug=event.slug), _expect(404)),
        Row(url("event_ics", slug=event.slug), _expect(404)),
        Row(url("staff_event", slug=event.slug), staff_readers()),
    ]
    assert_matrix(users, rows)


def test_staff_participation_pages(users):
    event = EventFactory()
    item = InputFactory()
    rows = [
        Row(
            "participation:staff_events",
            staff_readers(other_district_leader=200),
        ),
        Row(
            "participation:staff_inputs",
            staff_readers(other_district_leader=200),
        ),
        Row(
            "participation:staff_attendance_csv",
            staff_readers(other_district_leader=200),
        ),
        Row(
            "participation:staff_inputs_csv",
            staff_readers(other_district_leader=200),
        ),
        Row(
            "participation:staff_event_create",
            editors_only(other_district_leader=200),
        ),
        Row(
            "participation:staff_input_create",
            editors_only(other_district_leader=200),
        ),
        Row(url("staff_event", slug=event.slug), staff_readers()),
        Row(url("staff_event_edit", slug=event.slug), editors_only()),
        Row(url("staff_event_registrations_csv", slug=event.slug), editors_only()),
        Row(url("staff_input", pk=item.pk), staff_readers()),
    ]
    assert_matrix(users, rows)


def test_staff_actions_by_role(users):
    """POSTs: out of scope 404 whatever the action; in scope without the right 403."""
    event = EventFactory()
    item = InputFactory()
    registration = RegistrationFactory(event=event)
    actions = [
        url("staff_event_publish", slug=event.slug),
        url("staff_event_cancel", slug=event.slug),
        url("staff_attendance", slug=event.slug),
        url("staff_check_in", slug=event.slug, registration_pk=registration.pk),
        *(url(f"staff_input_{action.name}", pk=item.pk) for action in INPUT_ACTIONS),
    ]
    expect = {
        "anonymous": LOGIN,
        "resident": 403,
        "case_handler": 403,
        "other_district_leader": 404,
        "board": 403,
    }
    assert_matrix(users, [Row(action, expect, method="post") for action in actions])
