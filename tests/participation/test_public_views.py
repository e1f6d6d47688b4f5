"""The public participation pages over HTTP: the events list and an event's page, registering
as a resident or a guest, the waiting list, confirming and cancelling by the emailed link, the
calendar files, giving input, and "What you said – what we did"."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from areas.models import Area
from core.workflow import permit_status_update
from participation.models import Event, Input, Registration, Topic
from tests.accounts.factories import UserFactory
from tests.participation.factories import (
    ALNA_AREA,
    EventFactory,
    InputFactory,
    RegistrationFactory,
    area,
)
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

R = Registration.Status


@pytest.fixture(autouse=True)
def _english():
    """The pages in English, the source language: URLs reversed here carry the /en/ prefix."""
    with translation.override("en"):
        yield


def text(response) -> str:
    """The page as a reader sees it: no-break spaces as spaces."""
    return response.content.decode().replace("\xa0", " ")


def field_error(html: str, field_id: str) -> str:
    """The error text shown next to one field (the element the field's aria-describedby names)."""
    match = re.search(rf'id="{field_id}_error">(.*?)</div>', html, re.S)
    assert match, f"no error shown on {field_id}"
    return match.group(1)


def detail_url(event) -> str:
    return reverse("participation:event_detail", args=[event.slug])


def register_url(event) -> str:
    return reverse("participation:event_register", args=[event.slug])


GUEST = {
    "name": "Amina Hassan",
    "email": "amina@example.org",
    "people": "2",
    "interpretation_needed": "somali",
    "accessibility_needs": "",
}


# --- The events list ----------------------------------------------------------------------------


def test_events_list_shows_upcoming_published_events_with_their_facts(client):
    starts = timezone.localtime(timezone.now() + timedelta(days=3)).replace(
        hour=18, minute=0, second=0, microsecond=0
    )
    shown = EventFactory(
        title="Folkemøte om torget",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=30,
        kind=Event.Kind.WORKSHOP,
    )
    RegistrationFactory(event=shown, people=4)
    full = EventFactory(title="Trygghetsvandring", capacity=2, step_free=False, hearing_loop=False)
    RegistrationFactory(event=full, people=2)
    EventFactory(title="Utkast som ingen ser", status=Event.Status.DRAFT)
    EventFactory(
        title="Møtet som var",
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3) + timedelta(hours=2),
    )

    response = client.get(reverse("participation:events"))

    page = text(response)
    assert response.status_code == 200
    assert "Folkemøte om torget" in page
    assert starts.strftime("%d.%m.%Y") in page and "18:00" in page and "20:00" in page
    assert "Veitvet bydelshus, Veitvetveien 8" in page
    assert "Workshop" in page
    assert "26 places left" in page
    assert "Full — waiting list" in page
    assert "Step-free access" in page and "Hearing loop" in page  # icons carry their text
    assert "Utkast som ingen ser" not in page
    assert "Møtet som var" not in page


def test_events_list_filters_by_area_and_kind(client):
    EventFactory(title="Verksted på Veitvet", kind=Event.Kind.WORKSHOP)
    EventFactory(title="Folkemøte på Veitvet", kind=Event.Kind.PUBLIC_MEETING)
    EventFactory(title="Folkemøte på Haugerud", areas=[area(ALNA_AREA)])
    url = reverse("participation:events")

    page = text(client.get(url, {"omrade": "veitvet-og-slettelokka", "type": "verksted"}))

    assert "Verksted på Veitvet" in page
    assert "Folkemøte på Veitvet" not in page
    assert "Folkemøte på Haugerud" not in page
    assert reverse("participation:area_calendar", args=["veitvet-og-slettelokka"]) in page

    response = client.get(url, {"omrade": "finnes-ikke"})
    assert response.status_code == 400
    assert "Folkemøte på Haugerud" in text(response)  # the bad filter is not applied


def _make_events(n: int) -> None:
    project = ProjectFactory()
    for i in range(n):
        event = EventFactory(project=project if i % 2 else None, target_groups=["alle", "eldre"])
        RegistrationFactory(event=event)
        RegistrationFactory(event=event, status=R.WAITLISTED)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("query", ["", "?omrade=veitvet-og-slettelokka&type=folkemote"])
def test_events_list_costs_the_same_queries_for_1_and_10_events(client, query):
    url = reverse("participation:events") + query
    _make_events(1)
    one = _count(client, url)
    _make_events(9)
    assert Event.objects.count() == 10
    assert _count(client, url) == one


def test_events_list_shows_a_page_at_a_time_with_the_number_in_all(client):
    soon = timezone.now() + timedelta(days=1)
    for n in range(45):
        EventFactory(
            title=f"Møte {n:02}",
            kind=Event.Kind.PUBLIC_MEETING,
            starts_at=soon + timedelta(hours=n),
            ends_at=soon + timedelta(hours=n, minutes=30),
        )
    url = reverse("participation:events")
    first = text(client.get(url, {"type": "folkemote"}))
    assert "45 events · showing 1–20" in first
    assert [n for n in range(45) if f"Møte {n:02}<" in first] == list(range(20))
    assert 'href="?type=folkemote&amp;side=2#arrangementer"' in first
    last = text(client.get(url, {"type": "folkemote", "side": "3"}))
    assert [n for n in range(45) if f"Møte {n:02}<" in last] == list(range(40, 45))
    assert text(client.get(url, {"side": "99999999999999999999"})).count("Møte 44<") == 1


# --- An event's page ----------------------------------------------------------------------------


def test_event_page_shows_everything_a_resident_needs_to_decide(client):
    project = ProjectFactory(title="Sletteløkka torg", is_public=True)
    event = EventFactory(
        project=project,
        accessibility_notes="Inngang fra baksiden.",
        languages="norsk, somali",
        interpretation="tegnspråk",
        target_groups=["eldre", "kvinner"],
        organiser="Bydel Bjerke og Veitvet velforening",
        capacity=10,
    )
    RegistrationFactory(event=event, people=3)

    response = client.get(detail_url(event))

    page = text(response)
    assert response.status_code == 200
    assert event.title in page and event.description in page
    assert "The place has step-free access." in page
    assert "There is a hearing loop." in page
    assert "Inngang fra baksiden." in page
    assert "norsk, somali" in page and "tegnspråk" in page
    assert "Older people" in page and "Women" in page
    assert "Participation step: Proactive role." in page
    assert "through a guiding role (a culture of participation; follow the energy)" in page
    assert "Bydel Bjerke og Veitvet velforening" in page
    assert "7 places left" in page
    assert f'href="{project.get_absolute_url()}"' in page
    assert reverse("participation:event_ics", args=[event.slug]) in page
    # A guest is told what happens after registering, and gives name and email.
    assert "check your email" in page
    assert 'name="email"' in page
    # The input form for the event carries the event.
    assert f'name="innspill-event" value="{event.slug}"' in page


def test_event_page_hides_an_unpublished_project(client):
    project = ProjectFactory(title="Internt tiltak", is_public=False)
    event = EventFactory(project=project)

    page = text(client.get(detail_url(event)))

    assert "Internt tiltak" not in page


def test_draft_event_and_event_in_an_unpublished_area_are_404(client):
    draft = EventFactory(status=Event.Status.DRAFT)
    hidden_area = area(ALNA_AREA)
    Area.objects.filter(pk=hidden_area.pk).update(is_published=False)
    hidden = EventFactory(areas=[hidden_area])

    assert client.get(detail_url(draft)).status_code == 404
    assert client.get(reverse("participation:event_ics", args=[draft.slug])).status_code == 404
    assert client.get(detail_url(hidden)).status_code == 404
    assert client.post(register_url(draft), GUEST).status_code == 404


def test_cancelled_event_says_so_and_takes_no_registrations(client):
    event = EventFactory(status=Event.Status.CANCELLED)

    page = text(client.get(detail_url(event)))

    assert "This event is cancelled." in page
    assert 'name="people"' not in page


def test_full_event_explains_the_waiting_list(client):
    event = EventFactory(capacity=2)
    RegistrationFactory(event=event, people=2)

    page = text(client.get(detail_url(event)))

    assert "Full — waiting list" in page
    assert "you will be put on the waiting list and told by email if a place frees up" in page
    assert "Join the waiting list" in page


def test_signed_in_resident_sees_a_short_form_with_the_name_filled_in(client):
    user = UserFactory(full_name="Ola Nordmann")
    client.force_login(user)

    page = text(client.get(detail_url(EventFactory())))

    assert 'name="email"' not in page
    assert 'value="Ola Nordmann"' in page
    assert user.email in page


# --- Registering --------------------------------------------------------------------------------


def test_signed_in_resident_gets_a_place_at_once(client, django_capture_on_commit_callbacks):
    user = UserFactory(full_name="Ola Nordmann")
    client.force_login(user)
    event = EventFactory(capacity=10)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            register_url(event),
            {"name": "Ola Nordmann", "people": "3", "accessibility_needs": "Rullestol"},
        )

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "participation:registration_status", args=[registration.token]
    )
    assert registration.status == R.CONFIRMED
    assert registration.user == user and registration.email == user.email
    assert registration.people == 3
    assert [m.to for m in mail.outbox] == [[user.email]]
    page = text(client.get(response["Location"]))
    assert "You have a place" in page
    assert reverse("participation:registration_cancel", args=[registration.token]) in page
    # The event page now shows the registration instead of the form.
    page = text(client.get(detail_url(event)))
    assert "You are registered: confirmed." in page
    assert "7 places left" in page


def test_guest_registers_confirms_by_email_and_confirming_twice_is_harmless(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=10)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(event), GUEST)

    registration = Registration.objects.get()
    assert registration.status == R.PENDING
    assert registration.user is None
    assert response["Location"] == reverse(
        "participation:registration_status", args=[registration.token]
    )
    assert "Check your email to confirm" in text(client.get(response["Location"]))
    assert [m.to for m in mail.outbox] == [["amina@example.org"]]
    confirm_url = reverse("participation:registration_confirm", args=[registration.confirm_token])
    # The status page's token (which the browser already has) cannot confirm the place.
    status_token_url = reverse("participation:registration_confirm", args=[registration.token])
    assert client.get(status_token_url).status_code == 404
    # The email links to the confirmation page (in the site's default language).
    assert confirm_url.removeprefix("/en") in mail.outbox[0].body

    # Opening the link (as a link preview would) confirms nothing.
    page = text(client.get(confirm_url))
    assert "Confirm registration" in page
    registration.refresh_from_db()
    assert registration.status == R.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm_url)
    registration.refresh_from_db()
    assert response.status_code == 302
    assert registration.status == R.CONFIRMED
    assert len(mail.outbox) == 2

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(confirm_url)
    registration.refresh_from_db()
    assert again.status_code == 302
    assert registration.status == R.CONFIRMED
    assert len(mail.outbox) == 2
    assert client.get(confirm_url)["Location"] == reverse(
        "participation:registration_status", args=[registration.token]
    )


def test_registering_for_a_full_event_puts_a_resident_on_the_waiting_list(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=2)
    RegistrationFactory(event=event, people=2)
    client.force_login(UserFactory())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(register_url(event), {"name": "Kari", "people": "1"})

    registration = Registration.objects.get(name="Kari")
    assert registration.status == R.WAITLISTED
    assert "You are on the waiting list" in text(client.get(response["Location"]))


def test_cancelling_by_the_link_frees_the_place_for_the_first_on_the_waiting_list(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=2)
    leaving = RegistrationFactory(event=event, people=2)
    waiting = RegistrationFactory(
        event=event, status=R.WAITLISTED, email="neste@example.org", confirmed_at=None
    )
    cancel_url = reverse("participation:registration_cancel", args=[leaving.token])

    page = text(client.get(cancel_url))
    assert "Cancel my registration" in page
    leaving.refresh_from_db()
    assert leaving.status == R.CONFIRMED  # the page only asks

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url)

    leaving.refresh_from_db()
    waiting.refresh_from_db()
    assert response["Location"] == reverse(
        "participation:registration_status", args=[leaving.token]
    )
    assert leaving.status == R.CANCELLED
    assert waiting.status == R.CONFIRMED
    assert [m.to for m in mail.outbox] == [["neste@example.org"]]
    assert "This registration is cancelled" in text(client.get(response["Location"]))
    # Cancelling twice changes nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(cancel_url).status_code == 302
    assert len(mail.outbox) == 1


def test_an_unknown_token_is_404(client):
    for name in ("registration_status", "registration_confirm", "registration_cancel"):
        assert client.get(reverse(f"participation:{name}", args=["ukjent"])).status_code == 404


def test_the_same_email_twice_is_refused_on_the_email_field(client):
    event = EventFactory()
    RegistrationFactory(event=event, email="amina@example.org")

    response = client.post(register_url(event), GUEST)

    html = response.content.decode()
    assert response.status_code == 400
    assert "already registered for the event" in field_error(html, "id_email")
    assert 'value="Amina Hassan"' in html and 'value="somali"' in html  # what was typed is kept
    assert Registration.objects.count() == 1


def test_missing_fields_are_shown_on_the_fields_and_nothing_is_saved(client):
    event = EventFactory()

    response = client.post(register_url(event), {**GUEST, "name": "", "people": "0"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "Write your name." in field_error(html, "id_name")
    assert field_error(html, "id_people")
    assert 'value="amina@example.org"' in html
    assert not Registration.objects.exists()


def test_an_event_without_registration_refuses_a_registration_on_top_of_the_form(client):
    event = EventFactory(registration=Event.Registration.NONE)

    response = client.post(register_url(event), GUEST)

    assert response.status_code == 400
    assert "does not take registrations" in text(response)
    assert not Registration.objects.exists()


def test_my_registrations_lists_mine_with_a_cancel_button(
    client, django_capture_on_commit_callbacks
):
    url = reverse("participation:my_registrations")
    assert client.get(url).status_code == 302  # login first

    user = UserFactory()
    client.force_login(user)
    mine = RegistrationFactory(user=user, email=user.email, event=EventFactory(title="Mitt møte"))
    RegistrationFactory(event=EventFactory(title="Noen andres møte"))

    page = text(client.get(url))
    cancel_url = reverse("participation:registration_cancel", args=[mine.token])
    assert "Mitt møte" in page and "Noen andres møte" not in page
    assert f'action="{cancel_url}"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url, {"from": "mine"})
    mine.refresh_from_db()
    assert response["Location"] == url
    assert mine.status == R.CANCELLED
    assert "Mitt møte" not in text(client.get(url))


# --- Calendar files -----------------------------------------------------------------------------


def test_event_ics_is_a_calendar_file_with_the_right_times_and_status(client):
    starts = timezone.localtime(timezone.now() + timedelta(days=10)).replace(
        hour=18, minute=30, second=0, microsecond=0
    )
    event = EventFactory(
        title="Folkemøte om torget", starts_at=starts, ends_at=starts + timedelta(hours=2)
    )

    response = client.get(reverse("participation:event_ics", args=[event.slug]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    (vevent,) = Calendar.from_ical(response.content).events
    assert str(vevent["UID"]) == f"{event.slug}@omradeloft.oslo.kommune.no"
    assert str(vevent["SUMMARY"]) == "Folkemøte om torget"
    assert vevent["DTSTART"].dt == starts  # 18:30 in Oslo, whatever zone it is written in
    assert timezone.localtime(vevent["DTSTART"].dt).strftime("%H:%M") == "18:30"
    assert vevent["DTEND"].dt == starts + timedelta(hours=2)
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["LOCATION"]) == event.place
    assert str(vevent["URL"]).endswith(detail_url(event))
    assert str(vevent["URL"]) in str(vevent["DESCRIPTION"])
    assert "DTSTAMP" in vevent

    permit_status_update(Event.objects.filter(pk=event.pk)).update(status=Event.Status.CANCELLED)
    response = client.get(reverse("participation:event_ics", args=[event.slug]))
    (vevent,) = Calendar.from_ical(response.content).events
    assert str(vevent["STATUS"]) == "CANCELLED"


def test_area_feed_lists_only_the_areas_published_events(client):
    here = EventFactory(title="Her")
    also_here = EventFactory(title="Også her", areas=[area(), area(ALNA_AREA)])
    EventFactory(title="Utkast", status=Event.Status.DRAFT)
    EventFactory(title="Et annet sted", areas=[area(ALNA_AREA)])

    response = client.get(reverse("participation:area_calendar", args=["veitvet-og-slettelokka"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert "Veitvet og Sletteløkka" in str(calendar["X-WR-CALNAME"])
    assert sorted(str(e["UID"]) for e in calendar.events) == sorted(
        f"{e.slug}@omradeloft.oslo.kommune.no" for e in (here, also_here)
    )
    assert client.get(reverse("participation:area_calendar", args=["ukjent"])).status_code == 404


# --- Input --------------------------------------------------------------------------------------


def input_data(**extra) -> dict:
    data = {
        "area": "veitvet-og-slettelokka",
        "topic": Topic.SAFETY,
        "text": "Det trengs bedre lys i undergangen.",
        "sub_goal": "",
        "project": "",
        "event": "",
        "name": "",
        "email": "",
    }
    data.update(extra)
    return {f"innspill-{key}": value for key, value in data.items()}


def test_anonymous_input_waits_for_moderation_and_is_not_shown(client):
    response = client.post(reverse("participation:input_create"), input_data())

    item = Input.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("participation:input_thanks") + "?omrade=veitvet-og-slettelokka"
    )
    assert item.moderation == Input.Moderation.PENDING
    assert item.author is None
    thanks = text(client.get(response["Location"]))
    assert "Staff read your input first" in thanks
    assert reverse("participation:area_inputs", args=["veitvet-og-slettelokka"]) in thanks
    page = text(client.get(reverse("participation:area_inputs", args=["veitvet-og-slettelokka"])))
    assert "bedre lys i undergangen" not in page


def test_signed_in_input_is_shown_at_once(client):
    client.force_login(UserFactory(full_name="Ola Nordmann"))
    form = text(client.get(reverse("participation:input_create")))
    assert "your input is shown on the area's page at once" in form
    assert 'name="innspill-email"' not in form

    response = client.post(reverse("participation:input_create"), input_data())

    item = Input.objects.get()
    assert response.status_code == 302
    assert item.moderation == Input.Moderation.APPROVED
    page = text(client.get(reverse("participation:area_inputs", args=["veitvet-og-slettelokka"])))
    assert "bedre lys i undergangen" in page
    assert "Ola Nordmann" not in page


def test_input_form_preselects_public_links_from_the_address_and_ignores_the_rest(client):
    event = EventFactory(title="Trygghetsvandring på Veitvet")
    project = ProjectFactory(title="Lys i undergangen")
    hidden = ProjectFactory(title="Skjult tiltak", is_public=False)
    url = reverse("participation:input_create")

    page = text(client.get(url, {"arrangement": event.slug}))
    assert f'name="innspill-event" value="{event.slug}"' in page
    assert 'name="innspill-area" value="veitvet-og-slettelokka"' in page  # hidden: one area
    assert "Trygghetsvandring på Veitvet" in page

    page = text(client.get(url, {"prosjekt": project.slug}))
    assert f'name="innspill-project" value="{project.slug}"' in page

    page = text(client.get(url, {"prosjekt": hidden.slug, "omrade": ALNA_AREA}))
    assert "Skjult tiltak" not in page
    assert f'value="{hidden.slug}"' not in page
    assert f'<option value="{ALNA_AREA}" selected>' in page

    draft = EventFactory(status=Event.Status.DRAFT)
    response = client.post(url, input_data(event=draft.slug))
    assert response.status_code == 400
    assert not Input.objects.exists()


def test_input_given_about_an_event_is_linked_to_it(client):
    event = EventFactory()

    response = client.post(
        reverse("participation:input_create"),
        input_data(event=event.slug, name="Kari", email="kari@example.org", consent="on"),
    )

    item = Input.objects.get()
    assert response.status_code == 302
    assert item.event == event
    assert item.author_email == "kari@example.org" and item.consent


def test_input_errors_are_shown_on_the_fields_and_what_was_typed_is_kept(client):
    project = ProjectFactory(area=area(ALNA_AREA))

    response = client.post(
        reverse("participation:input_create"),
        input_data(text="", email="kari@example.org", name="Kari"),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Write your input." in field_error(html, "id_innspill-text")
    assert field_error(html, "id_innspill-consent")
    assert 'value="kari@example.org"' in html

    # A project in another area than the one chosen: the service's refusal lands on the area.
    response = client.post(
        reverse("participation:input_create"),
        input_data(project=project.slug, area="veitvet-og-slettelokka"),
    )
    assert response.status_code == 400
    assert not Input.objects.exists()


# --- What you said – what we did ----------------------------------------------------------------


def test_area_inputs_shows_the_outcome_and_the_project_but_never_who_gave_it(client, users):
    project = ProjectFactory(title="Nytt lys i undergangen", is_public=True)
    author = UserFactory(full_name="Per Persen", email="per@example.org")
    event = EventFactory(title="Trygghetsvandring i mai")
    InputFactory(
        text="Undergangen er mørk og utrygg.",
        topic=Topic.SAFETY,
        channel=Input.Channel.EVENT,
        event=event,
        author=author,
        follow_up=Input.FollowUp.TAKEN_UP,
        taken_into_project=project,
        response="Vi setter opp nye lys i løpet av høsten.",
    )
    InputFactory(
        text="Flere benker ved skolen.",
        topic=Topic.MEETING_PLACES,
        author_name="Kari Nordmann",
        author_email="kari@example.org",
        consent=True,
        follow_up=Input.FollowUp.NOT_TAKEN_UP,
        response="Skolen eier området og planlegger selv.",
    )
    InputFactory(text="Skjult innspill", moderation=Input.Moderation.HIDDEN)
    InputFactory(text="Innspill fra Haugerud", area=area(ALNA_AREA))

    response = client.get(reverse("participation:area_inputs", args=["veitvet-og-slettelokka"]))

    page = text(response)
    assert response.status_code == 200
    assert "What you said – what we did" in page
    assert "Undergangen er mørk og utrygg." in page
    assert "Trygghetsvandring i mai" in page
    assert "Taken up" in page and "Not taken up" in page  # the status in words
    assert "Vi setter opp nye lys i løpet av høsten." in page
    assert f'href="{project.get_absolute_url()}"' in page
    assert "Skolen eier området og planlegger selv." in page
    assert "Safety" in page and "Meeting places" in page
    assert "Skjult innspill" not in page and "Innspill fra Haugerud" not in page
    for personal in ("Per Persen", "per@example.org", "Kari Nordmann", "kari@example.org"):
        assert personal not in page
    assert reverse("participation:input_create") + "?omrade=veitvet-og-slettelokka" in page


def test_area_inputs_does_not_link_a_project_that_is_not_public(client):
    project = ProjectFactory(title="Internt tiltak", is_public=False)
    InputFactory(follow_up=Input.FollowUp.TAKEN_UP, taken_into_project=project)

    page = text(client.get(reverse("participation:area_inputs", args=["veitvet-og-slettelokka"])))

    assert "Internt tiltak" in page
    assert f'href="{project.get_absolute_url()}"' not in page


def test_area_inputs_of_an_unpublished_area_is_404(client):
    Area.objects.filter(slug=ALNA_AREA).update(is_published=False)

    assert client.get(reverse("participation:area_inputs", args=[ALNA_AREA])).status_code == 404


def _make_inputs(n: int) -> None:
    project = ProjectFactory()
    event = EventFactory()
    for i in range(n):
        InputFactory(
            topic=list(Topic)[i % len(Topic)],
            event=event if i % 2 else None,
            project=project if i % 3 else None,
            follow_up=Input.FollowUp.TAKEN_UP,
            taken_into_project=project,
            response="Tatt inn i tiltaket.",
        )


def test_area_inputs_costs_the_same_queries_for_1_and_10_inputs(client):
    url = reverse("participation:area_inputs", args=["veitvet-og-slettelokka"])
    _make_inputs(1)
    one = _count(client, url)
    _make_inputs(9)
    assert Input.objects.count() == 10
    assert _count(client, url) == one


# --- Links from the rest of the portal ----------------------------------------------------------


def test_area_page_and_header_link_to_participation(client):
    page = text(client.get(reverse("area_detail", args=["veitvet-og-slettelokka"])))

    assert reverse("participation:events") + "?omrade=veitvet-og-slettelokka" in page
    assert reverse("participation:area_inputs", args=["veitvet-og-slettelokka"]) in page
    assert reverse("participation:area_calendar", args=["veitvet-og-slettelokka"]) in page
