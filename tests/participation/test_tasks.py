"""Background work: the reminder the day before, the registration emails with the person's own
links, and the email that tells whoever gave an input what became of it."""

from datetime import datetime, time, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import formats, timezone, translation

from participation import services, tasks
from participation.models import Event, Input, InputChange, Registration
from tests.accounts.factories import UserFactory
from tests.projects.factories import ProjectFactory

from .factories import EventFactory, InputFactory, RegistrationFactory, area

pytestmark = pytest.mark.django_db

R = Registration.Status
F = Input.FollowUp


def link(name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(f"participation:{name}", kwargs=kwargs)


def nb(value, fmt: str) -> str:
    with translation.override("nb"):
        return formats.date_format(timezone.localtime(value), fmt)


def sent_to(email: str) -> list:
    return [m for m in mail.outbox if email in m.to]


def assert_plain_text(message) -> None:
    assert "\n" not in message.subject
    assert message.subject.startswith(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)
    for text in (message.subject, message.body):
        assert "&amp;" not in text and "&#" not in text and "&quot;" not in text
        assert "{{" not in text and "{%" not in text


# reminders -------------------------------------------------------------------------------------


def test_reminder_goes_once_to_confirmed_registrations_of_events_in_the_next_day(
    django_capture_on_commit_callbacks,
):
    soon = EventFactory(starts_at=timezone.now() + timedelta(hours=20))
    later = EventFactory(starts_at=timezone.now() + timedelta(hours=30))
    confirmed = RegistrationFactory(event=soon)
    waiting = RegistrationFactory(event=soon, status=R.WAITLISTED, confirmed_at=None)
    cancelled = RegistrationFactory(event=soon, status=R.CANCELLED)
    pending = RegistrationFactory(event=soon, status=R.PENDING, confirmed_at=None, queued_at=None)
    not_yet = RegistrationFactory(event=later)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.send_event_reminders()
    with django_capture_on_commit_callbacks(execute=True):
        second = tasks.send_event_reminders()

    assert (first, second) == (1, 0)
    [message] = mail.outbox
    assert message.to == [confirmed.email]
    assert soon.title in message.subject
    assert link("registration_cancel", token=confirmed.token) in message.body
    for other in (waiting, cancelled, pending, not_yet):
        assert sent_to(other.email) == []
    confirmed.refresh_from_db()
    assert confirmed.reminder_sent_at is not None
    assert Registration.objects.filter(reminder_sent_at__isnull=False).count() == 1


def test_no_reminder_for_a_cancelled_or_past_event(django_capture_on_commit_callbacks):
    cancelled = EventFactory(
        starts_at=timezone.now() + timedelta(hours=5), status=Event.Status.CANCELLED
    )
    started = EventFactory(starts_at=timezone.now() - timedelta(minutes=10))
    RegistrationFactory(event=cancelled)
    RegistrationFactory(event=started)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_event_reminders() == 0

    assert mail.outbox == []


def test_a_reminder_that_finds_the_registration_cancelled_is_not_sent():
    registration = RegistrationFactory(
        event=EventFactory(starts_at=timezone.now() + timedelta(hours=20))
    )
    services.registration_cancel(registration=registration, token=registration.token)
    mail.outbox.clear()

    assert tasks.send_registration_email(registration.pk, "reminder") == 0
    assert mail.outbox == []


def test_reminder_says_tomorrow_when_where_accessibility_and_the_needs_we_noted():
    tomorrow = timezone.localdate() + timedelta(days=1)
    starts = datetime.combine(tomorrow, time(18, 0), tzinfo=timezone.get_current_timezone())
    event = EventFactory(
        title="Folkemøte om Sletteløkka torg",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Sletteløkka grendehus, Sletteløkka 2",
        step_free=True,
        hearing_loop=False,
        languages="norsk, somali",
        interpretation="tegnspråk",
        accessibility_notes="Inngang fra baksiden.",
    )
    registration = RegistrationFactory(
        event=event, people=3, interpretation_needed="somali", accessibility_needs="Rullestol"
    )
    mail.outbox.clear()

    with translation.override("en"):  # the email is in bokmål whatever the caller speaks
        assert tasks.send_registration_email(registration.pk, "reminder") == 1

    [message] = mail.outbox
    assert_plain_text(message)
    body = message.body
    assert "Folkemøte om Sletteløkka torg" in message.subject
    assert nb(starts, "l d.m.Y") in body
    assert "18:00–20:00" in body
    assert "Sletteløkka grendehus, Sletteløkka 2" in body
    for fact in ("norsk, somali", "tegnspråk", "Inngang fra baksiden.", "somali", "Rullestol"):
        assert fact in body
    assert "3" in body
    assert link("registration_cancel", token=registration.token) in body
    assert link("event_detail", slug=event.slug) in body


# registration emails ---------------------------------------------------------------------------

# The links each email must carry: the person's own confirm or cancel link, and the calendar file.
LINKS = {
    "confirm_email": ["registration_confirm"],
    "confirmed": ["registration_cancel", "event_ics", "event_detail"],
    "waitlisted": ["registration_cancel", "event_detail"],
    "promoted": ["registration_cancel", "event_ics", "event_detail"],
    "reminder": ["registration_cancel", "event_detail"],
    "event_cancelled": [],
}
STATUS_FOR = {
    "confirm_email": R.PENDING,
    "confirmed": R.CONFIRMED,
    "waitlisted": R.WAITLISTED,
    "promoted": R.CONFIRMED,
    "reminder": R.CONFIRMED,
    "event_cancelled": R.CONFIRMED,
}


def _url_for(name: str, registration: Registration) -> str:
    if name == "registration_confirm":
        return link(name, token=registration.confirm_token)
    if name.startswith("registration_"):
        return link(name, token=registration.token)
    return link(name, slug=registration.event.slug)


@pytest.mark.parametrize("template", sorted(tasks.REGISTRATION_TEMPLATES))
def test_every_registration_email_names_the_event_and_carries_the_right_links(template):
    event = EventFactory(
        title="Verksted for ungdom & «unge voksne»",
        status=Event.Status.CANCELLED if template == "event_cancelled" else Event.Status.PUBLISHED,
    )
    registration = RegistrationFactory(
        event=event,
        status=STATUS_FOR[template],
        confirm_token="c" * 40 if template == "confirm_email" else "",
    )
    mail.outbox.clear()

    sent = tasks.send_registration_email(registration.pk, template, {"reason": "Sykdom."})

    assert sent == 1
    [message] = mail.outbox
    assert message.to == [registration.email]
    assert_plain_text(message)
    assert "Verksted for ungdom & «unge voksne»" in message.subject
    assert registration.name in message.body
    for name in LINKS[template]:
        assert _url_for(name, registration) in message.body, name
    # A person's token opens only the link meant for them in this email.
    assert link("registration_confirm", token=registration.token) not in message.body
    if template != "confirm_email":
        assert "/bekreft/" not in message.body
    if template in ("confirm_email", "event_cancelled"):
        assert link("registration_cancel", token=registration.token) not in message.body
    assert "Bydel Bjerke" in message.body  # the signature names the district


@pytest.mark.parametrize(
    ("template", "status"),
    [
        ("confirmed", R.CANCELLED),
        ("promoted", R.WAITLISTED),
        ("waitlisted", R.CONFIRMED),
        ("confirm_email", R.CONFIRMED),
        ("event_cancelled", R.CANCELLED),
    ],
)
def test_an_email_that_no_longer_fits_the_registration_is_not_sent(template, status):
    event = EventFactory(
        status=Event.Status.CANCELLED if template == "event_cancelled" else Event.Status.PUBLISHED
    )
    registration = RegistrationFactory(event=event, status=status)
    mail.outbox.clear()

    assert tasks.send_registration_email(registration.pk, template) == 0
    assert mail.outbox == []


def test_no_confirmation_for_a_place_at_an_event_since_cancelled():
    registration = RegistrationFactory(event=EventFactory(status=Event.Status.CANCELLED))

    assert tasks.send_registration_email(registration.pk, "confirmed") == 0


def test_unknown_registration_template_is_refused():
    registration = RegistrationFactory()
    with pytest.raises(ValueError):
        tasks.send_registration_email(registration.pk, "../../settings")


def test_the_registration_status_picks_the_email():
    registration = RegistrationFactory(status=R.WAITLISTED, confirmed_at=None)
    mail.outbox.clear()

    tasks.send_registration_email(registration.pk, R.WAITLISTED)

    [message] = mail.outbox
    assert message.subject == tasks._render("waitlisted", _context(registration))[0]


def _context(registration) -> dict:
    with translation.override(settings.LANGUAGE_CODE):
        return tasks.registration_context(registration)


def test_guest_gets_the_confirmation_link_then_the_place_with_calendar_and_cancel_links(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(title="Trygghetsvandring på Romsås")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(
            event=event, actor=None, name="Kari Nordmann", email="kari@example.org"
        )
    [ask] = mail.outbox
    assert link("registration_confirm", token=registration.confirm_token) in ask.body
    assert nb(event.starts_at, "l d.m.Y") in ask.body
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_confirm(token=registration.confirm_token)

    [confirmed] = mail.outbox
    assert confirmed.to == ["kari@example.org"]
    assert "Kari Nordmann" in confirmed.body
    assert link("event_ics", slug=event.slug) in confirmed.body
    assert link("registration_cancel", token=registration.token) in confirmed.body
    assert nb(event.starts_at, "H:i") in confirmed.body
    assert event.place in confirmed.body


def test_waiting_list_email_gives_the_place_in_the_queue_and_promotion_tells_the_next(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=1)
    first = RegistrationFactory(event=event)
    ahead = RegistrationFactory(
        event=event,
        status=R.WAITLISTED,
        confirmed_at=None,
        queued_at=timezone.now() - timedelta(minutes=5),
    )
    person = UserFactory(email="ola@example.org")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        mine = services.registration_create(event=event, actor=person, name="", email="")

    assert mine.status == R.WAITLISTED
    [waiting] = mail.outbox
    assert waiting.to == ["ola@example.org"]
    assert "2" in waiting.body  # number 2 in the queue, behind ``ahead``
    assert _context(mine)["queue_position"] == 2
    assert link("registration_cancel", token=mine.token) in waiting.body
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first, token=first.token)

    # The first in line gets the place and is told; the person behind stays in the queue.
    [promoted] = mail.outbox
    assert promoted.to == [ahead.email]
    assert link("registration_cancel", token=ahead.token) in promoted.body
    assert link("event_ics", slug=event.slug) in promoted.body
    mine.refresh_from_db()
    assert mine.status == R.WAITLISTED
    assert _context(mine)["queue_position"] == 1


def test_cancelled_event_tells_everyone_still_registered_why(django_capture_on_commit_callbacks):
    event = EventFactory()
    kept = [
        RegistrationFactory(event=event),
        RegistrationFactory(event=event, status=R.WAITLISTED, confirmed_at=None),
    ]
    gone = RegistrationFactory(event=event, status=R.CANCELLED)
    leader = _bjerke_leader()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(
            actor=leader, event=event, reason="Lokalet er stengt etter en lekkasje."
        )

    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in kept)
    assert sent_to(gone.email) == []
    for message in mail.outbox:
        assert "Lokalet er stengt etter en lekkasje." in message.body
        assert event.title in message.subject
        assert link("events") in message.body


def _bjerke_leader():
    from areas.models import District
    from tests.accounts.factories import make_user

    return make_user("project_leader", District.objects.get(number="09"))


# input follow-up -------------------------------------------------------------------------------


def follow(item, status, **kwargs):
    return services.input_follow_up(actor=_bjerke_leader(), item=item, status=status, **kwargs)


def test_the_signed_in_giver_is_told_the_new_status_response_and_the_project(
    django_capture_on_commit_callbacks,
):
    giver = UserFactory(email="giver@example.org")
    project = ProjectFactory(
        area=area(), title="Lys på snarveien", slug="lys-pa-snarveien", is_public=True
    )
    item = InputFactory(author=giver, text="Snarveien er mørk & farlig om kvelden.")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        follow(item, F.TAKEN_UP, project=project, response="Nye lyktestolper kommer i høst.")

    [message] = mail.outbox
    assert message.to == ["giver@example.org"]
    assert_plain_text(message)
    body = message.body
    assert "Snarveien er mørk & farlig om kvelden." in body
    with translation.override("nb"):
        assert str(F.TAKEN_UP.label) in body
    assert "Nye lyktestolper kommer i høst." in body
    assert "Lys på snarveien" in body
    assert settings.SITE_URL + reverse("projects:detail", args=[project.slug]) in body
    assert link("area_inputs", slug=item.area.slug) in body
    assert "Bydel Bjerke" in body
    assert InputChange.objects.exclude(action="received").get(input=item).notified is True


def test_a_project_not_public_is_named_but_not_linked(django_capture_on_commit_callbacks):
    project = ProjectFactory(area=area(), title="Internt forprosjekt", is_public=False)
    item = InputFactory(author=UserFactory())
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        follow(item, F.TAKEN_UP, project=project)

    [message] = mail.outbox
    assert reverse("projects:detail", args=[project.slug]) not in message.body


def test_a_guest_who_consented_is_told_and_the_reason_is_given(
    django_capture_on_commit_callbacks,
):
    item = InputFactory(author_name="Nabo", author_email="nabo@example.org", consent=True)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        follow(item, F.NOT_TAKEN_UP, response="Veien er ikke kommunal.")

    [message] = mail.outbox
    assert message.to == ["nabo@example.org"]
    assert "Veien er ikke kommunal." in message.body


@pytest.mark.parametrize(
    "giver",
    [
        {},  # anonymous
        {"author_email": "nabo@example.org", "consent": False},
        {"author_name": "Nabo", "consent": True},  # a name but no address
    ],
)
def test_nobody_is_emailed_who_cannot_be_reached(giver, django_capture_on_commit_callbacks):
    item = InputFactory(**giver)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        follow(item, F.CONSIDERING)

    assert mail.outbox == []
    assert InputChange.objects.exclude(action="received").get(input=item).notified is False
    assert tasks.send_input_status_email(item.pk) == 0


def test_a_giver_whose_account_is_closed_is_not_emailed():
    person = UserFactory()
    item = InputFactory(author=person)
    person.is_active = False
    person.save(update_fields=["is_active"])
    mail.outbox.clear()

    assert tasks.send_input_status_email(item.pk) == 0
    assert mail.outbox == []
