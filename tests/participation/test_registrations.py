"""Registrations: places given in order, counted in people, a strict first-come-first-served
waiting list that moves up when places free, confirmation of guests by link, cancellation, and
the reminder the day before. Each refusal writes nothing."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from participation import services
from participation.models import Event, EventChange, Registration
from tests.accounts.factories import UserFactory

from .factories import EventFactory, RegistrationFactory, participation_rows, record_tasks

pytestmark = pytest.mark.django_db

R = Registration.Status


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def queued(monkeypatch):
    return record_tasks(monkeypatch)


_guests = iter(range(1, 10_000))


def guest(event, people=1, email=None, **kwargs) -> Registration:
    """A guest registers and confirms their address by the link."""
    n = next(_guests)
    registration = services.registration_create(
        event=event,
        actor=None,
        name=f"Gjest {n}",
        email=email or f"gjest{n}@example.org",
        people=people,
        **kwargs,
    )
    return services.registration_confirm(token=registration.confirm_token)


def signed_in(event, people=1, user=None) -> Registration:
    return services.registration_create(
        event=event, actor=user or UserFactory(), name="", email="", people=people
    )


def status_of(*registrations) -> list[str]:
    return [Registration.objects.get(pk=r.pk).status for r in registrations]


def seats(event) -> int:
    return services.seats_taken(Event.objects.get(pk=event.pk))


def actions(event) -> list[str]:
    return list(EventChange.objects.filter(event=event).values_list("action", flat=True))


# registration_create: signed in ----------------------------------------------------------------


def test_signed_in_person_is_confirmed_at_once_under_their_account(
    queued, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=10)
    user = UserFactory(full_name="Kari Nordmann", email="kari@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(
            event=event,
            actor=user,
            name="",
            email="someone.else@example.org",
            people=3,
            interpretation_needed=" somali ",
            accessibility_needs="Rullestol",
        )

    registration = Registration.objects.get(pk=registration.pk)
    assert registration.status == R.CONFIRMED
    assert registration.user == user
    assert registration.name == "Kari Nordmann"
    assert registration.email == "kari@example.org"  # the account's address, not what was typed
    assert registration.people == 3
    assert registration.interpretation_needed == "somali"
    assert registration.accessibility_needs == "Rullestol"
    assert registration.queued_at is not None and registration.confirmed_at is not None
    assert len(registration.token) >= 32
    assert seats(event) == 3
    assert queued == [("send_registration_email", registration.pk, R.CONFIRMED, {})]
    row = EventChange.objects.get(event=event)
    # The history names no registrant: the board reads it.
    assert (row.action, row.actor, row.data) == (
        "registered",
        None,
        {"pk": registration.pk, "status": R.CONFIRMED},
    )


def test_signed_in_person_keeps_the_name_they_give():
    registration = services.registration_create(
        event=EventFactory(), actor=UserFactory(full_name="Kari Nordmann"), name="Kari N.", email=""
    )

    assert registration.name == "Kari N."


def test_signed_in_person_goes_on_the_waiting_list_when_full(
    queued, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1)
    signed_in(event)

    with django_capture_on_commit_callbacks(execute=True):
        registration = signed_in(event)

    assert registration.status == R.WAITLISTED
    assert registration.confirmed_at is None
    assert queued == [("send_registration_email", registration.pk, R.WAITLISTED, {})]


# registration_create and registration_confirm: guests ------------------------------------------


def test_guest_registration_waits_for_the_link_and_holds_no_place(
    queued, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=2)

    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(
            event=event, actor=AnonymousUser(), name=" Ola ", email=" Ola@Example.org ", people=2
        )

    registration = Registration.objects.get(pk=registration.pk)
    assert registration.status == R.PENDING
    assert registration.user is None
    assert registration.name == "Ola"
    assert registration.email == "ola@example.org"
    assert registration.queued_at is None
    assert seats(event) == 0
    assert queued == [("send_registration_email", registration.pk, "confirm_email", {})]
    # A signed-in person arriving later is not kept out by an unconfirmed guest.
    assert signed_in(event, people=2).status == R.CONFIRMED


def test_guest_confirms_and_gets_a_place(queued, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=2)
    registration = services.registration_create(
        event=event, actor=None, name="Ola", email="ola@example.org", people=2
    )

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = services.registration_confirm(token=registration.confirm_token)

    assert confirmed.status == R.CONFIRMED
    assert Registration.objects.get(pk=registration.pk).confirmed_at is not None
    assert seats(event) == 2
    assert queued == [("send_registration_email", registration.pk, R.CONFIRMED, {})]
    assert actions(event) == ["registered", "confirmed"]


def test_guest_confirming_when_full_goes_on_the_waiting_list(
    queued, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=2)
    registration = services.registration_create(
        event=event, actor=None, name="Ola", email="ola@example.org", people=1
    )
    signed_in(event, people=2)  # takes the places while the guest has not yet confirmed

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = services.registration_confirm(token=registration.confirm_token)

    assert confirmed.status == R.WAITLISTED
    assert queued[-1] == ("send_registration_email", registration.pk, R.WAITLISTED, {})


def test_following_the_confirmation_link_twice_changes_nothing(
    queued, django_capture_on_commit_callbacks
):
    event = EventFactory()
    registration = services.registration_create(
        event=event, actor=None, name="Ola", email="ola@example.org"
    )
    services.registration_confirm(token=registration.confirm_token)
    before = participation_rows()

    with django_capture_on_commit_callbacks(execute=True):
        again = services.registration_confirm(token=registration.confirm_token)

    assert again.status == R.CONFIRMED
    assert participation_rows() == before
    assert queued == []


def test_confirming_a_cancelled_registration_changes_nothing():
    event = EventFactory()
    registration = services.registration_create(
        event=event, actor=None, name="Ola", email="ola@example.org"
    )
    services.registration_cancel(registration=registration, token=registration.token)

    assert services.registration_confirm(token=registration.confirm_token).status == R.CANCELLED


def test_confirming_after_registration_closed_is_refused_and_writes_nothing():
    event = EventFactory()
    registration = services.registration_create(
        event=event, actor=None, name="Ola", email="ola@example.org"
    )
    Event.objects.filter(pk=event.pk).update(registration=Event.Registration.CLOSED)
    before = participation_rows()

    with pytest.raises(ValidationError) as excinfo:
        services.registration_confirm(token=registration.confirm_token)

    assert "no longer takes registrations" in excinfo.value.messages[0]
    assert participation_rows() == before


def test_confirming_an_unknown_token_is_not_found():
    with pytest.raises(Registration.DoesNotExist):
        services.registration_confirm(token="x" * 40)


# registration_create: refusals -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field", "text"),
    [
        ({"people": 0}, "people", "between 1 and 10"),
        ({"people": 11}, "people", "between 1 and 10"),
        ({"people": -2}, "people", "between 1 and 10"),
        ({"name": "  "}, "name", "Write your name"),
        ({"email": ""}, "email", "Write your email"),
        ({"email": "ola@"}, "email", "valid email"),
    ],
)
def test_guest_registration_refusals_name_the_field_and_write_nothing(kwargs, field, text):
    event = EventFactory()
    before = participation_rows()
    arguments = {"name": "Ola", "email": "ola@example.org", "people": 1} | kwargs

    with pytest.raises(ValidationError) as excinfo:
        services.registration_create(event=event, actor=None, **arguments)

    assert text in excinfo.value.message_dict[field][0]
    assert participation_rows() == before


@pytest.mark.parametrize("people", [1, 10])
def test_between_one_and_ten_people_may_register_at_once(people):
    registration = signed_in(EventFactory(capacity=None), people=people)

    assert registration.people == people


@pytest.mark.parametrize("status", [R.PENDING, R.CONFIRMED, R.WAITLISTED])
def test_an_address_already_registered_is_refused_however_written(status):
    event = EventFactory()
    RegistrationFactory(event=event, email="ola@example.org", status=status)
    before = participation_rows()

    with pytest.raises(ValidationError) as excinfo:
        services.registration_create(
            event=event, actor=None, name="Ola", email=" OLA@example.org ", people=1
        )

    assert "already registered" in excinfo.value.message_dict["email"][0]
    assert participation_rows() == before


def test_signed_in_person_cannot_register_twice():
    event, user = EventFactory(), UserFactory()
    signed_in(event, user=user)

    with pytest.raises(ValidationError):
        signed_in(event, user=user)

    assert Registration.objects.filter(event=event).count() == 1


def test_a_cancelled_registration_does_not_block_registering_again():
    event = EventFactory()
    RegistrationFactory(event=event, email="ola@example.org", status=R.CANCELLED)

    registration = guest(event, email="ola@example.org")

    assert registration.status == R.CONFIRMED


def test_the_same_address_may_register_for_another_event():
    RegistrationFactory(email="ola@example.org")

    assert guest(EventFactory(), email="ola@example.org").status == R.CONFIRMED


def past_event() -> Event:
    starts = timezone.now() - timedelta(days=1)
    return EventFactory(starts_at=starts, ends_at=starts + timedelta(hours=2))


@pytest.mark.parametrize(
    "make",
    [
        lambda: EventFactory(status=Event.Status.DRAFT),
        lambda: EventFactory(status=Event.Status.CANCELLED),
        lambda: EventFactory(registration=Event.Registration.CLOSED),
        lambda: EventFactory(registration=Event.Registration.NONE),
        past_event,
    ],
    ids=["draft", "cancelled", "registration-closed", "no-registration", "past"],
)
@pytest.mark.parametrize("who", ["guest", "signed-in"])
def test_registration_refused_when_the_event_does_not_take_it(make, who, queued):
    event = make()
    actor = UserFactory() if who == "signed-in" else None
    before = participation_rows()

    with pytest.raises(ValidationError) as excinfo:
        services.registration_create(
            event=event, actor=actor, name="Ola", email="ola@example.org", people=1
        )

    assert "does not take registrations" in excinfo.value.messages[0]
    assert participation_rows() == before
    assert queued == []


# Capacity, counted in people, and the strict queue ---------------------------------------------


def test_capacity_is_counted_in_people():
    event = EventFactory(capacity=5)
    signed_in(event, people=3)

    party_of_three = signed_in(event, people=3)  # two places left
    assert party_of_three.status == R.WAITLISTED
    assert seats(event) == 3


def test_a_party_that_fits_exactly_gets_the_last_places():
    event = EventFactory(capacity=5)
    signed_in(event, people=3)

    assert signed_in(event, people=2).status == R.CONFIRMED
    assert seats(event) == 5


def test_nobody_jumps_the_queue_past_a_party_that_does_not_fit():
    event = EventFactory(capacity=4)
    first = signed_in(event, people=3)
    party = signed_in(event, people=2)  # one place left: waits
    single = guest(event, people=1)  # would fit, but the party is ahead

    assert status_of(first, party, single) == [R.CONFIRMED, R.WAITLISTED, R.WAITLISTED]
    assert seats(event) == 3


def test_freed_places_go_to_the_head_of_the_queue_then_the_next_in_line(
    queued, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=4)
    first = signed_in(event, people=3)
    party = signed_in(event, people=2)
    single = signed_in(event, people=1)
    behind = signed_in(event, people=2)

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first, actor=first.user)

    # Four places free: the party (2) and the single (1) move up; the last party (2) does not fit.
    assert status_of(first, party, single, behind) == [
        R.CANCELLED,
        R.CONFIRMED,
        R.CONFIRMED,
        R.WAITLISTED,
    ]
    assert queued == [
        ("send_registration_email", party.pk, "promoted", {}),
        ("send_registration_email", single.pk, "promoted", {}),
    ]
    assert actions(event)[-3:] == ["cancelled_registration", "promoted", "promoted"]


def test_when_the_head_of_the_queue_leaves_the_next_moves_up(
    queued, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=4)
    signed_in(event, people=3)
    party = signed_in(event, people=2)
    single = signed_in(event, people=1)

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=party, actor=party.user)

    assert status_of(party, single) == [R.CANCELLED, R.CONFIRMED]
    assert queued == [("send_registration_email", single.pk, "promoted", {})]


def test_the_queue_keeps_the_order_people_confirmed_in_not_the_order_they_registered():
    event = EventFactory(capacity=1)
    holder = signed_in(event)
    early = services.registration_create(
        event=event, actor=None, name="Tidlig", email="tidlig@example.org"
    )
    late = signed_in(event)  # waitlisted first
    services.registration_confirm(token=early.confirm_token)  # waitlisted second

    services.registration_cancel(registration=holder, actor=holder.user)

    assert status_of(late, early) == [R.CONFIRMED, R.WAITLISTED]


def test_unlimited_capacity_confirms_everyone():
    event = EventFactory(capacity=None)

    registrations = [signed_in(event, people=10) for _ in range(12)]

    assert set(status_of(*registrations)) == {R.CONFIRMED}
    assert seats(event) == 120


# registration_cancel ---------------------------------------------------------------------------


def test_cancel_by_the_link_in_the_email(queued, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    holder = guest(event)
    waiting = signed_in(event)

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.registration_cancel(
            registration=holder, actor=AnonymousUser(), token=holder.token
        )

    assert cancelled.status == R.CANCELLED
    assert Registration.objects.get(pk=holder.pk).cancelled_at is not None
    assert status_of(waiting) == [R.CONFIRMED]
    assert Registration.objects.get(pk=waiting.pk).promoted_at is not None
    assert queued == [("send_registration_email", waiting.pk, "promoted", {})]
    rows = EventChange.objects.filter(event=event, action="cancelled_registration")
    assert [(row.actor, row.data) for row in rows] == [(None, {"pk": holder.pk})]


def test_cancel_by_the_signed_in_owner_records_them():
    event = EventFactory()
    registration = signed_in(event)

    services.registration_cancel(registration=registration, actor=registration.user)

    row = EventChange.objects.get(event=event, action="cancelled_registration")
    assert row.actor == registration.user


def test_cancelling_a_waiting_list_place_moves_nobody_up(queued):
    event = EventFactory(capacity=1)
    signed_in(event)
    waiting = signed_in(event)

    services.registration_cancel(registration=waiting, actor=waiting.user)

    assert status_of(waiting) == [R.CANCELLED]
    assert seats(event) == 1


@pytest.mark.parametrize(
    "how",
    ["wrong-token", "no-token", "other-user", "staff", "empty-token-anonymous"],
)
def test_cancel_by_anyone_else_is_refused_and_writes_nothing(users, how):
    registration = signed_in(EventFactory())
    actor, token = {
        "wrong-token": (None, "x" * 40),
        "no-token": (None, ""),
        "other-user": (UserFactory(), ""),
        "staff": (users["programme_leader"], ""),
        "empty-token-anonymous": (AnonymousUser(), ""),
    }[how]
    before = participation_rows()

    with pytest.raises(PermissionDenied):
        services.registration_cancel(registration=registration, actor=actor, token=token)

    assert participation_rows() == before


def test_cancelling_twice_changes_nothing_the_second_time(
    queued, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1)
    holder = signed_in(event)
    signed_in(event)
    services.registration_cancel(registration=holder, token=holder.token)
    before = participation_rows()

    with django_capture_on_commit_callbacks(execute=True):
        again = services.registration_cancel(registration=holder, token=holder.token)

    assert again.status == R.CANCELLED
    assert participation_rows() == before
    assert queued == []


def test_cancelling_for_a_cancelled_event_promotes_nobody(users, queued):
    event = EventFactory(capacity=1)
    holder = signed_in(event)
    waiting = signed_in(event)
    services.event_cancel(actor=users["project_leader"], event=event, reason="Sykdom.")

    services.registration_cancel(registration=holder, token=holder.token)

    assert status_of(holder, waiting) == [R.CANCELLED, R.WAITLISTED]


def test_cancelling_after_the_event_promotes_nobody():
    event = EventFactory(capacity=1)
    holder = signed_in(event)
    waiting = signed_in(event)
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() - timedelta(hours=20),
    )

    services.registration_cancel(registration=holder, token=holder.token)

    assert status_of(waiting) == [R.WAITLISTED]


def test_closed_registration_still_lets_the_waiting_list_move_up():
    event = EventFactory(capacity=1)
    holder = signed_in(event)
    waiting = signed_in(event)
    Event.objects.filter(pk=event.pk).update(registration=Event.Registration.CLOSED)

    services.registration_cancel(registration=holder, token=holder.token)

    assert status_of(waiting) == [R.CONFIRMED]


# reminders_send --------------------------------------------------------------------------------


def starting_in(delta: timedelta, **kwargs) -> Event:
    starts = timezone.now() + delta
    return EventFactory(starts_at=starts, ends_at=starts + timedelta(hours=2), **kwargs)


def test_reminders_go_once_to_confirmed_registrations_of_events_within_a_day(
    queued, django_capture_on_commit_callbacks
):
    tomorrow = starting_in(timedelta(hours=20))
    confirmed = RegistrationFactory(event=tomorrow)
    RegistrationFactory(event=tomorrow, status=R.WAITLISTED)
    RegistrationFactory(event=tomorrow, status=R.PENDING)
    RegistrationFactory(event=tomorrow, status=R.CANCELLED)
    RegistrationFactory(event=starting_in(timedelta(hours=30)))  # the day after tomorrow
    RegistrationFactory(event=starting_in(-timedelta(minutes=10)))  # already started
    RegistrationFactory(event=starting_in(timedelta(hours=20), status=Event.Status.CANCELLED))

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.reminders_send()

    assert sent == 1
    assert queued == [("send_registration_email", confirmed.pk, "reminder", {})]
    assert Registration.objects.get(pk=confirmed.pk).reminder_sent_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send() == 0
    assert len(queued) == 1


def test_reminders_follow_the_clock_they_are_given(queued, django_capture_on_commit_callbacks):
    registration = RegistrationFactory(event=starting_in(timedelta(hours=30)))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(now=timezone.now()) == 0
        assert services.reminders_send(now=timezone.now() + timedelta(hours=10)) == 1

    assert queued == [("send_registration_email", registration.pk, "reminder", {})]
