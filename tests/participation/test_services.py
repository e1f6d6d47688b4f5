"""Events on the staff side: create, change, publish, cancel, attendance and check-in. Each write:
the happy path, each refusal (which writes nothing) and the ``EventChange`` row it leaves."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from core.actions import ActionRefused
from participation import services
from participation.models import Event, EventChange, Registration
from tests.projects.factories import ProjectFactory

from .factories import (
    ALNA_AREA,
    BJERKE_OTHER_AREA,
    EventFactory,
    RegistrationFactory,
    area,
    participation_rows,
    record_tasks,
)

pytestmark = pytest.mark.django_db

R = Registration.Status
REFUSED_EDITORS = ("resident", "case_handler", "board", "other_district_leader")


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in the source language, whatever the catalogues say."""
    with translation.override("en"):
        yield


@pytest.fixture
def queued(monkeypatch):
    return record_tasks(monkeypatch)


def changes(event, action=None) -> list[EventChange]:
    qs = EventChange.objects.filter(event=event)
    return list(qs.filter(action=action) if action else qs)


def only_change(event, action) -> EventChange:
    rows = changes(event, action)
    assert len(rows) == 1, rows
    return rows[0]


def event_fields(**overrides) -> dict:
    starts = timezone.now() + timedelta(days=14)
    fields = {
        "title": "Trygghetsvandring på Sletteløkka",
        "description": "Vi går rundt og ser etter mørke steder.",
        "kind": Event.Kind.SAFETY_WALK,
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "place": "Sletteløkka torg",
        "step_free": True,
        "languages": "norsk, urdu",
        "target_groups": ["kvinner", "eldre"],
        "capacity": 20,
        "registration": Event.Registration.OPEN,
        "organiser": "Bydel Bjerke",
    }
    fields.update(overrides)
    return fields


def waitlisted(event, people=1, minutes=0) -> Registration:
    return RegistrationFactory(
        event=event,
        people=people,
        status=R.WAITLISTED,
        confirmed_at=None,
        queued_at=timezone.now() + timedelta(minutes=minutes),
    )


# event_create ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["project_leader", "programme_leader"])
def test_event_create_makes_a_draft_in_the_actors_district_and_records_it(users, role):
    actor = users[role]
    project = ProjectFactory(area=area())
    fields = event_fields(project=project)

    event = services.event_create(actor=actor, areas=[area(), area(BJERKE_OTHER_AREA)], **fields)

    event = Event.objects.get(pk=event.pk)
    assert event.status == Event.Status.DRAFT
    assert event.slug.startswith("trygghetsvandring-pa-slettelokka-")
    assert event.slug.endswith(f"{timezone.localtime(fields['starts_at']):%Y-%m-%d}")
    assert {a.slug for a in event.areas.all()} == {area().slug, BJERKE_OTHER_AREA}
    assert event.project == project
    assert event.target_groups == ["kvinner", "eldre"]
    assert event.created_by == actor
    change = only_change(event, "created")
    assert change.actor == actor


def test_event_create_by_the_secretariat_in_any_area(users):
    event = services.event_create(
        actor=users["secretariat"], areas=[area(ALNA_AREA)], **event_fields()
    )

    assert list(event.areas.all()) == [area(ALNA_AREA)]


def test_event_create_gives_the_same_title_on_the_same_day_its_own_slug(users):
    first = services.event_create(actor=users["project_leader"], areas=[area()], **event_fields())
    second = services.event_create(actor=users["project_leader"], areas=[area()], **event_fields())

    assert first.slug != second.slug
    assert second.slug.startswith(first.slug)


def test_event_create_takes_no_registration_and_no_capacity(users):
    event = services.event_create(
        actor=users["project_leader"],
        areas=[area()],
        **event_fields(registration=Event.Registration.NONE, capacity=None),
    )

    assert event.registration == Event.Registration.NONE
    assert event.capacity is None


@pytest.mark.parametrize(
    ("areas", "overrides", "field", "text"),
    [
        ([ALNA_AREA], {}, "areas", "your own district"),
        ([BJERKE_OTHER_AREA, ALNA_AREA], {}, "areas", "your own district"),
        ([], {}, "areas", "at least one area"),
        (None, {"ends_before_start": True}, "ends_at", "cannot end before it starts"),
        (None, {"capacity": 0}, "capacity", "at least one place"),
        (None, {"target_groups": ["alle", "pensjonister"]}, "target_groups", "Unknown target"),
        (None, {"project_in": ALNA_AREA}, "project", "another area"),
        (None, {"project_in": BJERKE_OTHER_AREA}, "project", "another area"),
    ],
)
def test_event_create_refusals_name_the_field_and_write_nothing(
    users, areas, overrides, field, text
):
    overrides = dict(overrides)
    fields = event_fields()
    if overrides.pop("ends_before_start", False):
        fields["ends_at"] = fields["starts_at"] - timedelta(minutes=1)
    if "project_in" in overrides:
        fields["project"] = ProjectFactory(area=area(overrides.pop("project_in")))
    fields.update(overrides)
    chosen = [area()] if areas is None else [area(slug) for slug in areas]
    before = participation_rows()

    with pytest.raises(ValidationError) as excinfo:
        services.event_create(actor=users["project_leader"], areas=chosen, **fields)

    errors = excinfo.value.message_dict
    assert field in errors
    assert text in errors[field][0]
    assert participation_rows() == before


@pytest.mark.parametrize("role", ["resident", "case_handler", "board"])
def test_event_create_refused_for_roles_that_do_not_run_events(users, role):
    before = participation_rows()

    with pytest.raises(PermissionDenied):
        services.event_create(actor=users[role], areas=[area()], **event_fields())

    assert participation_rows() == before


def test_event_create_by_another_districts_leader_refuses_bjerkes_areas(users):
    before = participation_rows()

    with pytest.raises(ValidationError) as excinfo:
        services.event_create(
            actor=users["other_district_leader"], areas=[area()], **event_fields()
        )

    assert "your own district" in excinfo.value.message_dict["areas"][0]
    assert participation_rows() == before


# event_update ----------------------------------------------------------------------------------


def test_event_update_changes_fields_and_records_each_old_and_new_value(users):
    event = EventFactory(status=Event.Status.DRAFT, title="Gammelt navn", place="Veitvet")
    actor = users["programme_leader"]

    updated = services.event_update(
        actor=actor,
        event=event,
        areas=[area(), area(BJERKE_OTHER_AREA)],
        title="Nytt navn",
        place="Linderud gård",
        capacity=30,  # unchanged
    )

    event.refresh_from_db()
    assert updated.title == event.title == "Nytt navn"
    assert event.place == "Linderud gård"
    assert event.slug.startswith("folkemote-slettelokka-")  # links keep working
    assert event.areas.count() == 2
    change = only_change(event, "updated")
    assert change.actor == actor
    assert sorted(change.data["changes"], key=lambda c: c["field"]) == [
        {"field": "place", "old": "Veitvet", "new": "Linderud gård"},
        {"field": "title", "old": "Gammelt navn", "new": "Nytt navn"},
    ]


def test_event_update_with_more_capacity_moves_the_waiting_list_up_in_order(
    users, queued, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=2)
    RegistrationFactory(event=event, people=2)
    first = waitlisted(event, people=1, minutes=1)
    second = waitlisted(event, people=2, minutes=2)
    third = waitlisted(event, people=1, minutes=3)

    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(
            actor=users["project_leader"], event=event, areas=[area()], capacity=4
        )

    statuses = {r.pk: r.status for r in Registration.objects.filter(event=event)}
    assert statuses[first.pk] == R.CONFIRMED
    # One place is left; the party of two ahead in line keeps the one behind it waiting.
    assert statuses[second.pk] == R.WAITLISTED
    assert statuses[third.pk] == R.WAITLISTED
    assert queued == [("send_registration_email", first.pk, "promoted", {})]
    assert [c.data["pk"] for c in changes(event, "promoted")] == [first.pk]
    assert Registration.objects.get(pk=first.pk).promoted_at is not None


def test_event_update_to_unlimited_capacity_confirms_the_whole_waiting_list(
    users, queued, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    waiting = [waitlisted(event, people=4, minutes=n) for n in range(3)]

    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(
            actor=users["project_leader"], event=event, areas=[area()], capacity=None
        )

    assert set(
        Registration.objects.filter(pk__in=[r.pk for r in waiting]).values_list("status", flat=True)
    ) == {R.CONFIRMED}
    assert [call[1] for call in queued] == [r.pk for r in waiting]


def test_event_update_with_less_capacity_takes_no_place_away(users, queued):
    event = EventFactory(capacity=3)
    held = [RegistrationFactory(event=event) for _ in range(3)]

    services.event_update(actor=users["project_leader"], event=event, areas=[area()], capacity=1)

    assert set(
        Registration.objects.filter(pk__in=[r.pk for r in held]).values_list("status", flat=True)
    ) == {R.CONFIRMED}
    assert changes(event, "promoted") == []


@pytest.mark.parametrize("role", REFUSED_EDITORS)
def test_event_update_refused_for_roles_that_may_not_edit_the_event(users, role):
    event = EventFactory()
    before = participation_rows()

    with pytest.raises(PermissionDenied):
        services.event_update(actor=users[role], event=event, areas=[area()], title="Kapret")

    assert participation_rows() == before


@pytest.mark.parametrize(
    ("areas", "fields", "field"),
    [
        ([ALNA_AREA], {}, "areas"),
        ([BJERKE_OTHER_AREA], {"ends_at": timezone.now()}, "ends_at"),
        ([BJERKE_OTHER_AREA], {"capacity": 0}, "capacity"),
        ([BJERKE_OTHER_AREA], {"project": "elsewhere"}, "project"),
    ],
)
def test_event_update_refusals_write_nothing(users, areas, fields, field):
    event = EventFactory()
    if fields.get("project") == "elsewhere":
        fields = {"project": ProjectFactory(area=area())}  # in Veitvet, the event moves to Linderud
    before = participation_rows()

    with pytest.raises(ValidationError) as excinfo:
        services.event_update(
            actor=users["project_leader"],
            event=event,
            areas=[area(slug) for slug in areas],
            **fields,
        )

    assert field in excinfo.value.message_dict
    assert participation_rows() == before


def test_event_update_by_the_secretariat_may_move_an_event_to_another_district(users):
    event = EventFactory()

    services.event_update(actor=users["secretariat"], event=event, areas=[area(ALNA_AREA)])

    assert list(event.areas.all()) == [area(ALNA_AREA)]


# event_publish ---------------------------------------------------------------------------------


def test_event_publish_publishes_a_draft_and_records_it(users):
    event = EventFactory(status=Event.Status.DRAFT)

    services.event_publish(actor=users["project_leader"], event=event)

    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert only_change(event, "published").actor == users["project_leader"]


@pytest.mark.parametrize("status", [Event.Status.PUBLISHED, Event.Status.CANCELLED])
def test_event_publish_refuses_what_is_not_a_draft(users, status):
    event = EventFactory(status=status)
    before = participation_rows()

    with pytest.raises(ActionRefused) as excinfo:
        services.event_publish(actor=users["project_leader"], event=event)

    assert str(excinfo.value.refusal) == "Only a draft can be published."
    assert participation_rows() == before


@pytest.mark.parametrize("role", REFUSED_EDITORS)
def test_event_publish_refused_for_roles_that_may_not_edit_the_event(users, role):
    event = EventFactory(status=Event.Status.DRAFT)
    before = participation_rows()

    with pytest.raises(PermissionDenied):
        services.event_publish(actor=users[role], event=event)

    assert participation_rows() == before


def test_event_in_two_districts_may_be_published_by_either_districts_leader(users):
    event = EventFactory(status=Event.Status.DRAFT, areas=[area(), area(ALNA_AREA)])

    services.event_publish(actor=users["other_district_leader"], event=event)

    assert Event.objects.get(pk=event.pk).status == Event.Status.PUBLISHED


# event_cancel ----------------------------------------------------------------------------------


def test_event_cancel_tells_everyone_registered_with_the_reason(
    users, queued, django_capture_on_commit_callbacks
):
    event = EventFactory()
    confirmed = RegistrationFactory(event=event)
    waiting = waitlisted(event)
    pending = RegistrationFactory(event=event, status=R.PENDING, queued_at=None, confirmed_at=None)
    RegistrationFactory(event=event, status=R.CANCELLED)

    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(actor=users["project_leader"], event=event, reason="  Sykdom. ")

    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    reason = {"reason": "Sykdom."}
    assert sorted(queued) == sorted(
        ("send_registration_email", r.pk, "event_cancelled", reason)
        for r in (confirmed, waiting, pending)
    )
    change = only_change(event, "cancelled")
    assert change.actor == users["project_leader"]
    assert change.data == {"old": Event.Status.PUBLISHED, "new": Event.Status.CANCELLED, **reason}


def test_event_cancel_sends_nothing_when_the_transaction_rolls_back(
    users, queued, django_capture_on_commit_callbacks
):
    event = EventFactory()
    RegistrationFactory(event=event)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.event_cancel(actor=users["project_leader"], event=event, reason="Sykdom.")

    assert queued == []  # handed over only when the transaction commits
    for callback in callbacks:  # the commit: the letters to the registered go out, once
        callback()
    assert len(queued) == 1


def test_a_cancelled_event_takes_no_more_registrations(users):
    event = EventFactory()
    services.event_cancel(actor=users["project_leader"], event=event, reason="Sykdom.")

    with pytest.raises(ValidationError):
        services.registration_create(
            event=event, actor=None, name="Kari", email="kari@example.org", people=1
        )


@pytest.mark.parametrize(
    ("status", "reason", "text"),
    [
        (Event.Status.PUBLISHED, "   ", "Say why"),
        (Event.Status.CANCELLED, "Sykdom.", "already cancelled"),
        # A draft that was never announced has nobody to tell.
        (Event.Status.DRAFT, "Sykdom.", "Only a published event"),
    ],
)
def test_event_cancel_refusals_write_nothing(users, queued, status, reason, text):
    event = EventFactory(status=status)
    before = participation_rows()

    with pytest.raises((ValidationError, ActionRefused)) as excinfo:
        services.event_cancel(actor=users["project_leader"], event=event, reason=reason)

    message = excinfo.value.messages[0] if excinfo.type is ValidationError else str(excinfo.value)
    assert text in message
    assert participation_rows() == before
    assert queued == []


@pytest.mark.parametrize("role", REFUSED_EDITORS)
def test_event_cancel_refused_for_roles_that_may_not_edit_the_event(users, role, queued):
    event = EventFactory()
    RegistrationFactory(event=event)
    before = participation_rows()

    with pytest.raises(PermissionDenied):
        services.event_cancel(actor=users[role], event=event, reason="Sykdom.")

    assert participation_rows() == before
    assert queued == []


# attendance_record -----------------------------------------------------------------------------


def started(**kwargs) -> Event:
    starts = timezone.now() - timedelta(hours=3)
    return EventFactory(starts_at=starts, ends_at=starts + timedelta(hours=2), **kwargs)


def test_attendance_record_stores_counts_only_and_records_them(users):
    event = started()
    RegistrationFactory(event=event, name="Kari Nordmann", email="kari@example.org")
    actor = users["project_leader"]

    services.attendance_record(
        actor=actor,
        event=event,
        total=25,
        by_group={"barn_unge": 10, "eldre": 25, "kvinner": None, "pensjonister": 4},
    )

    event.refresh_from_db()
    assert event.attendance_total == 25
    # Empty and unknown groups are left out.
    assert event.attendance_by_group == {"barn_unge": 10, "eldre": 25}
    assert event.attendance_recorded_by == actor
    assert event.attendance_recorded_at is not None
    change = only_change(event, "attendance")
    assert change.actor == actor
    assert change.data == {"total": 25, "by_group": {"barn_unge": 10, "eldre": 25}}
    assert "Kari" not in str(change.data) and "kari@" not in str(change.data)


def test_attendance_record_may_be_corrected(users):
    event = started()
    services.attendance_record(actor=users["project_leader"], event=event, total=25, by_group={})

    services.attendance_record(actor=users["secretariat"], event=event, total=27, by_group={})

    event.refresh_from_db()
    assert event.attendance_total == 27
    assert event.attendance_recorded_by == users["secretariat"]
    assert len(changes(event, "attendance")) == 2


def test_attendance_record_while_the_event_is_under_way(users):
    starts = timezone.now() - timedelta(minutes=30)
    event = EventFactory(starts_at=starts, ends_at=starts + timedelta(hours=2))

    services.attendance_record(actor=users["project_leader"], event=event, total=12, by_group={})

    assert Event.objects.get(pk=event.pk).attendance_total == 12


@pytest.mark.parametrize(
    ("total", "by_group", "field", "text"),
    [
        (None, {}, "total", "how many came"),
        (-1, {}, "total", "how many came"),
        (10, {"barn_unge": 11}, "group_barn_unge", "larger than the total"),
        (10, {"eldre": -1}, "group_eldre", ""),
    ],
)
def test_attendance_record_refusals_write_nothing(users, total, by_group, field, text):
    event = started()
    before = participation_rows()

    with pytest.raises(ValidationError) as excinfo:
        services.attendance_record(
            actor=users["project_leader"], event=event, total=total, by_group=by_group
        )

    assert text in excinfo.value.message_dict[field][0]
    assert participation_rows() == before


def test_attendance_record_refused_before_the_event_starts(users):
    event = EventFactory()
    before = participation_rows()

    with pytest.raises(ActionRefused) as excinfo:
        services.attendance_record(actor=users["project_leader"], event=event, total=5, by_group={})

    assert "once the event has started" in str(excinfo.value.refusal)
    assert participation_rows() == before


@pytest.mark.parametrize("role", REFUSED_EDITORS)
def test_attendance_record_refused_for_roles_that_may_not_edit_the_event(users, role):
    event = started()
    before = participation_rows()

    with pytest.raises(PermissionDenied):
        services.attendance_record(actor=users[role], event=event, total=5, by_group={})

    assert participation_rows() == before


# registration_check_in -------------------------------------------------------------------------


def test_registration_check_in_ticks_a_confirmed_registration_and_undoes_it(users):
    registration = RegistrationFactory(event=started())

    services.registration_check_in(actor=users["project_leader"], registration=registration)
    registration.refresh_from_db()
    assert registration.checked_in_at is not None

    services.registration_check_in(
        actor=users["project_leader"], registration=registration, present=False
    )
    registration.refresh_from_db()
    assert registration.checked_in_at is None


@pytest.mark.parametrize("status", [R.PENDING, R.WAITLISTED, R.CANCELLED])
def test_registration_check_in_only_for_confirmed_registrations(users, status):
    registration = RegistrationFactory(event=started(), status=status)
    before = participation_rows()

    with pytest.raises(ActionRefused) as excinfo:
        services.registration_check_in(actor=users["project_leader"], registration=registration)

    assert "Only confirmed" in str(excinfo.value.refusal)
    assert participation_rows() == before


@pytest.mark.parametrize("role", REFUSED_EDITORS)
def test_registration_check_in_refused_for_roles_that_may_not_edit_the_event(users, role):
    registration = RegistrationFactory(event=started())
    before = participation_rows()

    with pytest.raises(PermissionDenied):
        services.registration_check_in(actor=users[role], registration=registration)

    assert participation_rows() == before


def test_an_editor_changes_their_districts_areas_and_keeps_the_other_districts(users, alna):
    from areas.models import Area
    from participation.services import event_update

    bjerke_area = Area.objects.get(slug="veitvet-og-slettelokka")
    alna_area = Area.objects.filter(district=alna).first()
    event = EventFactory(areas=[bjerke_area, alna_area])
    linderud = Area.objects.get(slug="linderud")

    event_update(actor=users["programme_leader"], event=event, areas=[linderud], title="Nytt navn")

    assert set(event.areas.all()) == {linderud, alna_area}
