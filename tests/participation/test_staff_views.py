"""The district's participation pages over HTTP: events with their registrations, attendance and
check-in; input registered from meetings, moderated and followed up; the CSV exports; and what
the board may and may not see."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from areas.models import Area
from participation import services
from participation.models import Event, Input, InputChange, Registration
from participation.workflow import INPUT_FOLLOW_UP
from tests.accounts.factories import UserFactory
from tests.participation.factories import EventFactory, InputFactory, RegistrationFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

R = Registration.Status
AREA = "veitvet-og-slettelokka"  # Bydel Bjerke, the district of the ``users`` staff
OTHER_BJERKE_AREA = "linderud"
ALNA_AREA = "trosterud-og-haugerud"


@pytest.fixture(autouse=True)
def _english():
    """The pages in English, the source language: URLs reversed here carry the /en/ prefix."""
    with translation.override("en"):
        yield


def url(name: str, **kwargs) -> str:
    return reverse(f"participation:{name}", kwargs=kwargs)


def html_of(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def main_of(html: str) -> str:
    """The page's own content, without the header's log-out form."""
    return html.split('<main id="main"')[1].split("</main>")[0]


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def area(slug: str = AREA) -> Area:
    return Area.objects.get(slug=slug)


def past_event(**kwargs) -> Event:
    starts = timezone.now() - timedelta(days=2)
    return EventFactory(starts_at=starts, ends_at=starts + timedelta(hours=2), **kwargs)


def event_form_data(**overrides) -> dict:
    data = {
        "title": "Trygghetsvandring på Sletteløkka",
        "description": "Vi går sammen og ser på belysning og snarveier.",
        "kind": Event.Kind.SAFETY_WALK,
        "areas": [area().pk],
        "project": "",
        "starts_at": "2030-06-10T18:00",
        "ends_at": "2030-06-10T20:00",
        "place": "Sletteløkka torg",
        "step_free": "on",
        "accessibility_notes": "",
        "languages": "norsk, urdu",
        "interpretation": "",
        "target_groups": ["kvinner", "eldre"],
        "participation_step": "2",
        "capacity": "25",
        "registration": Event.Registration.OPEN,
        "organiser": "Bydel Bjerke",
    }
    data.update(overrides)
    return data


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


# --- The event list -----------------------------------------------------------------------------


def test_event_list_shows_what_staff_need_at_a_glance(client, users):
    event = EventFactory(title="Folkemøte om torget", capacity=30)
    RegistrationFactory(event=event, people=3)
    RegistrationFactory(event=event, status=R.WAITLISTED)
    alna = EventFactory(title="Folkemøte på Haugerud", areas=[area(ALNA_AREA)])

    client.force_login(users["project_leader"])
    html = html_of(client.get(url("staff_events")))
    assert "<caption>" in html
    assert "Folkemøte om torget" in html and "Veitvet og Sletteløkka" in html
    assert timezone.localtime(event.starts_at).strftime("%d.%m.%Y %H:%M") in html
    assert "3 of 30" in html
    assert "Public meeting" in html and "Published" in html
    assert alna.title not in html
    assert "New event" in html

    client.force_login(users["secretariat"])
    assert alna.title in html_of(client.get(url("staff_events")))


def test_event_list_filters_narrow_the_scope(client, users):
    upcoming = EventFactory(title="Verksted om lekeplassen", kind=Event.Kind.WORKSHOP)
    past = past_event(title="Dugnad i parken", kind=Event.Kind.DUGNAD)
    draft = EventFactory(title="Utkast til folkemøte", status=Event.Status.DRAFT)
    linderud = EventFactory(title="Folkemøte på Linderud", areas=[area(OTHER_BJERKE_AREA)])
    client.force_login(users["programme_leader"])

    def titles(query: str) -> set[str]:
        html = html_of(client.get(url("staff_events") + query))
        everything = [upcoming, past, draft, linderud]
        return {e.title for e in everything if e.title in html}

    assert titles("?kind=verksted") == {upcoming.title}
    assert titles("?when=tidligere") == {past.title}
    assert titles("?when=kommende") == {upcoming.title, draft.title, linderud.title}
    assert titles("?status=utkast") == {draft.title}
    assert titles(f"?area={area(OTHER_BJERKE_AREA).pk}") == {linderud.title}
    # An area out of the user's scope is not a choice: the filter is refused, nothing widens.
    alna = EventFactory(title="Folkemøte på Haugerud", areas=[area(ALNA_AREA)])
    html = html_of(client.get(url("staff_events") + f"?area={area(ALNA_AREA).pk}"))
    assert 'id="error-summary"' in html
    assert alna.title not in html


def test_event_list_queries_do_not_grow_with_the_number_of_events(client, users):
    client.force_login(users["programme_leader"])
    RegistrationFactory(event=EventFactory())
    one = _count(client, url("staff_events"))
    for i in range(14):
        event = EventFactory(areas=[area(), area(OTHER_BJERKE_AREA)] if i % 2 else None)
        RegistrationFactory(event=event, status=R.WAITLISTED if i % 3 else R.CONFIRMED)
    assert Event.objects.count() == 15
    assert _count(client, url("staff_events")) == one


def test_event_list_pages_by_25(client, users):
    for _ in range(26):
        EventFactory()
    client.force_login(users["secretariat"])
    html = html_of(client.get(url("staff_events")))
    assert "26 events" in html
    assert "side=2" in html
    assert "Page 1 of 2" in html


# --- Creating and changing an event -------------------------------------------------------------


def test_editor_creates_an_event_as_a_draft_in_oslo_time(client, users):
    client.force_login(users["project_leader"])
    response = client.get(url("staff_event_create"))
    html = html_of(response)
    assert response.status_code == 200
    assert 'type="datetime-local"' in html
    assert "Bydel Bjerke" in html  # the organiser, filled in from the district
    assert "Linderud" in html and "Trosterud" not in html  # only the editor's own areas

    response = client.post(url("staff_event_create"), event_form_data())
    event = Event.objects.get(title="Trygghetsvandring på Sletteløkka")
    assert response.status_code == 302
    assert response["Location"] == url("staff_event", slug=event.slug)
    assert event.status == Event.Status.DRAFT
    assert timezone.localtime(event.starts_at).strftime("%d.%m.%Y %H:%M") == "10.06.2030 18:00"
    assert list(event.areas.all()) == [area()]
    assert event.target_groups == ["kvinner", "eldre"]
    assert event.capacity == 25 and event.participation_step == 2
    assert event.created_by == users["project_leader"]
    assert event.changes.filter(action="created").exists()
    assert "saved as a draft" in html_of(client.get(response["Location"]))


def test_an_event_that_ends_before_it_starts_is_refused_on_the_end_field(client, users):
    client.force_login(users["project_leader"])
    response = client.post(
        url("staff_event_create"),
        event_form_data(starts_at="2030-06-10T18:00", ends_at="2030-06-10T17:00"),
    )
    html = html_of(response)
    assert response.status_code == 400
    assert 'id="id_ends_at_error"' in html
    assert "The event cannot end before it starts." in html
    assert "Constraint" not in html  # said once, on the field, in words a person understands
    assert 'value="2030-06-10T18:00"' in html  # what was typed is kept
    assert "Trygghetsvandring på Sletteløkka" in html
    assert not Event.objects.filter(title="Trygghetsvandring på Sletteløkka").exists()


def test_a_project_in_another_area_than_the_event_is_refused_on_the_project_field(client, users):
    project = ProjectFactory(area=area(OTHER_BJERKE_AREA), title="Linderud-tiltaket")
    client.force_login(users["project_leader"])
    response = client.post(url("staff_event_create"), event_form_data(project=project.pk))
    html = html_of(response)
    assert response.status_code == 400
    assert 'id="id_project_error"' in html
    assert "The project belongs to another area than the event." in html


def test_an_area_of_another_district_is_not_a_choice(client, users):
    client.force_login(users["project_leader"])
    response = client.post(url("staff_event_create"), event_form_data(areas=[area(ALNA_AREA).pk]))
    assert response.status_code == 400
    assert 'id="id_areas_error"' in html_of(response)
    assert not Event.objects.exists()


def test_editor_changes_an_event_and_the_history_says_so(client, users):
    event = EventFactory(title="Folkemøte", capacity=1)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status=R.WAITLISTED)
    client.force_login(users["programme_leader"])
    response = client.get(url("staff_event_edit", slug=event.slug))
    html = html_of(response)
    assert "Edit event: Folkemøte" in html
    start = timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M")
    assert f'value="{start}"' in html

    data = event_form_data(
        title="Folkemøte om torget",
        starts_at=start,
        ends_at=timezone.localtime(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
        capacity="2",
    )
    response = client.post(url("staff_event_edit", slug=event.slug), data)
    assert response.status_code == 302
    event.refresh_from_db()
    waiting.refresh_from_db()
    assert event.title == "Folkemøte om torget" and event.capacity == 2
    assert waiting.status == R.CONFIRMED  # a place more moves the waiting list up
    html = html_of(client.get(url("staff_event", slug=event.slug)))
    assert "Event changed" in html and "Capacity: 1 → 2" in html
    assert "Title: Folkemøte → Folkemøte om torget" in html


# --- The event page -----------------------------------------------------------------------------


def test_editor_sees_check_in_list_waiting_list_pending_guests_and_input(client, users):
    event = EventFactory(capacity=2)
    first = RegistrationFactory(
        event=event,
        name="Amina Hassan",
        email="amina@example.org",
        people=2,
        interpretation_needed="somali",
        accessibility_needs="Rullestol",
    )
    waiting_1 = RegistrationFactory(
        event=event, name="Bjørn Li", status=R.WAITLISTED, queued_at=timezone.now()
    )
    waiting_2 = RegistrationFactory(
        event=event,
        name="Cecilie Berg",
        status=R.WAITLISTED,
        queued_at=timezone.now() + timedelta(minutes=1),
    )
    RegistrationFactory(event=event, name="Dina Gjest", status=R.PENDING, queued_at=None)
    InputFactory(event=event, text="Mer lys langs gangveien.")

    client.force_login(users["project_leader"])
    html = html_of(client.get(url("staff_event", slug=event.slug)))
    assert html.count("<h1") == 1
    assert "Check-in list" in html
    assert first.name in html and "amina@example.org" not in html.split("Check-in list")[0]
    assert "somali" in html and "Rullestol" in html
    assert html.index(waiting_1.name) < html.index(waiting_2.name)
    assert "Dina Gjest" in html
    assert "Mer lys langs gangveien." in html
    assert url("staff_check_in", slug=event.slug, registration_pk=first.pk) in html
    assert url("staff_input_create") + f"?arrangement={event.slug}" in html
    assert url("staff_event_registrations_csv", slug=event.slug) in html
    assert "2 of 2 taken, 0 left" in html


def test_event_page_queries_do_not_grow_with_registrations_input_and_history(client, users):
    event = past_event()
    leader = users["project_leader"]
    client.force_login(leader)

    def more(i: int) -> None:
        registration = RegistrationFactory(
            event=event, status=[R.CONFIRMED, R.WAITLISTED, R.PENDING][i % 3]
        )
        if registration.status == R.CONFIRMED:
            services.registration_check_in(actor=leader, registration=registration)
        InputFactory(event=event)
        services.attendance_record(actor=leader, event=event, total=i, by_group={})
        # A change of project: the history names the old and the new one.
        services.event_update(
            actor=leader, event=event, areas=[area()], project=ProjectFactory(area=area())
        )

    more(0)
    one = _count(client, url("staff_event", slug=event.slug))
    for i in range(1, 15):
        more(i)
    assert _count(client, url("staff_event", slug=event.slug)) == one


def test_input_page_queries_do_not_grow_with_its_history(client, users):
    leader = users["project_leader"]
    client.force_login(leader)
    item = InputFactory(author=UserFactory())

    def more() -> None:
        services.input_link_project(actor=leader, item=item, project=ProjectFactory(area=area()))
        services.input_moderate(actor=leader, item=item, show=False, reason="Spam.")
        services.input_moderate(actor=leader, item=item, show=True)

    more()
    one = _count(client, url("staff_input", pk=item.pk))
    for _ in range(6):
        more()
    assert _count(client, url("staff_input", pk=item.pk)) == one


def test_editor_publishes_a_draft(client, users):
    event = EventFactory(status=Event.Status.DRAFT)
    client.force_login(users["project_leader"])
    html = html_of(client.get(url("staff_event", slug=event.slug)))
    assert "Publish the event" in html and "Cancel the event" not in html
    response = client.post(url("staff_event_publish", slug=event.slug))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    html = html_of(client.get(url("staff_event", slug=event.slug)))
    assert "Event published" in html and "Publish the event" not in html
    assert "Cancel the event" in html  # only a published event can be cancelled


def test_editor_cancels_with_a_reason_and_everyone_registered_is_emailed(
    client, users, django_capture_on_commit_callbacks
):
    event = EventFactory()
    RegistrationFactory(event=event, email="en@example.org")
    RegistrationFactory(event=event, email="to@example.org", status=R.WAITLISTED)
    RegistrationFactory(event=event, email="borte@example.org", status=R.CANCELLED)
    client.force_login(users["programme_leader"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("staff_event_cancel", slug=event.slug), {"cancel-reason": "Lokalet er stengt."}
        )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert sorted(m.to[0] for m in mail.outbox) == ["en@example.org", "to@example.org"]
    assert "Lokalet er stengt." in mail.outbox[0].body
    html = html_of(client.get(url("staff_event", slug=event.slug)))
    assert "The event is cancelled." in html and "Lokalet er stengt." in html


def test_cancelling_without_a_reason_is_refused_on_the_field(client, users):
    event = EventFactory()
    client.force_login(users["programme_leader"])
    response = client.post(url("staff_event_cancel", slug=event.slug), {"cancel-reason": " "})
    html = html_of(response)
    assert response.status_code == 400
    assert 'id="id_cancel-reason_error"' in html
    assert "Say why the event is cancelled." in html
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_attendance_before_the_event_starts_is_not_offered_and_refused(client, users):
    event = EventFactory()  # a week ahead
    client.force_login(users["project_leader"])
    html = html_of(client.get(url("staff_event", slug=event.slug)))
    assert "You can record attendance once the event has started." in html
    assert 'id="attendance-total"' not in html and "id_attendance-total" not in html
    response = client.post(url("staff_attendance", slug=event.slug), {"attendance-total": "12"})
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.attendance_total is None


def test_attendance_is_recorded_in_total_and_by_target_group(client, users):
    event = past_event()
    client.force_login(users["project_leader"])
    response = client.post(
        url("staff_attendance", slug=event.slug),
        {
            "attendance-total": "40",
            "attendance-group_barn_unge": "12",
            "attendance-group_eldre": "",
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.attendance_total == 40
    assert event.attendance_by_group == {"barn_unge": 12}
    assert event.attendance_recorded_by == users["project_leader"]
    html = html_of(client.get(url("staff_event", slug=event.slug)))
    assert "40 people came." in html and "Children and young people" in html
    assert "Attendance recorded" in html


def test_a_target_group_larger_than_the_total_is_refused_on_its_field(client, users):
    event = past_event()
    client.force_login(users["project_leader"])
    response = client.post(
        url("staff_attendance", slug=event.slug),
        {"attendance-total": "10", "attendance-group_kvinner": "11"},
    )
    html = html_of(response)
    assert response.status_code == 400
    assert 'id="id_attendance-group_kvinner_error"' in html
    assert "A group cannot be larger than the total." in html


def test_check_in_toggles(client, users):
    event = EventFactory()
    registration = RegistrationFactory(event=event, name="Amina Hassan")
    check_in = url("staff_check_in", slug=event.slug, registration_pk=registration.pk)
    client.force_login(users["project_leader"])

    response = client.post(check_in, {"present": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#registration-{registration.pk}")
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    html = html_of(client.get(url("staff_event", slug=event.slug)))
    assert "Amina Hassan is checked in." in html
    assert "Checked in at" in html and "Undo" in html

    client.post(check_in, {"present": "0"})
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_check_in_at_the_door_with_htmx_swaps_the_list_in_place(client, users):
    event = EventFactory()
    registration = RegistrationFactory(event=event, name="Amina Hassan", people=2)
    RegistrationFactory(event=event)
    check_in = url("staff_check_in", slug=event.slug, registration_pk=registration.pk)
    client.force_login(users["project_leader"])

    response = client.post(check_in, {"present": "1"}, HTTP_HX_REQUEST="true")
    html = html_of(response)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="check-in-list">')
    assert "1 of 2 confirmed registrations checked in (2 people)." in html
    assert "Checked in at" in html and "check-in of Amina Hassan" in html
    registration.refresh_from_db()
    assert registration.checked_in_at is not None

    # A refusal has nothing to swap in: the browser is sent to the page, which says why.
    waiting = RegistrationFactory(event=event, status=R.WAITLISTED)
    response = client.post(
        url("staff_check_in", slug=event.slug, registration_pk=waiting.pk),
        {"present": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Redirect"] == url("staff_event", slug=event.slug)
    assert "Only confirmed registrations can be checked in." in html_of(
        client.get(url("staff_event", slug=event.slug))
    )


def test_only_confirmed_registrations_can_be_checked_in(client, users):
    event = EventFactory()
    waiting = RegistrationFactory(event=event, status=R.WAITLISTED)
    client.force_login(users["project_leader"])
    response = client.post(
        url("staff_check_in", slug=event.slug, registration_pk=waiting.pk), {"present": "1"}
    )
    assert response.status_code == 400
    assert "Only confirmed registrations can be checked in." in html_of(response)
    other = RegistrationFactory(event=EventFactory())
    response = client.post(url("staff_check_in", slug=event.slug, registration_pk=other.pk))
    assert response.status_code == 404


# --- The board, other districts, case handlers --------------------------------------------------


def test_board_reads_lists_and_the_event_page_as_counts_without_personal_data(client, users):
    event = EventFactory(title="Folkemøte om torget")
    RegistrationFactory(
        event=event,
        name="Amina Hassan",
        email="amina@example.org",
        interpretation_needed="tigrinja",
        accessibility_needs="Rullestol",
        people=2,
    )
    RegistrationFactory(event=event, name="Dina Gjest", email="dina@example.org", status=R.PENDING)
    resident = users["resident"]
    own = RegistrationFactory(event=event, user=resident, name=resident.full_name)
    services.registration_cancel(registration=own, actor=resident)
    InputFactory(
        event=event,
        text="Mer lys langs gangveien.",
        author_name="Ola Innspill",
        author_email="ola@example.org",
        consent=True,
    )
    client.force_login(users["board"])

    assert client.get(url("staff_events")).status_code == 200
    assert client.get(url("staff_inputs")).status_code == 200
    response = client.get(url("staff_event", slug=event.slug))
    html = html_of(response)
    assert response.status_code == 200
    assert "Folkemøte om torget" in html
    assert "2 of 30 taken" in html  # the counts are there
    assert "Mer lys langs gangveien." in html
    for personal in [
        "Amina Hassan",
        "amina@example.org",
        "tigrinja",
        "Rullestol",
        "Dina Gjest",
        "dina@example.org",
        resident.full_name,
        resident.email,
        "Ola Innspill",
        "ola@example.org",
    ]:
        assert personal not in html, personal
    assert "Registration cancelled" in html  # the history, without who
    assert 'method="post"' not in main_of(html)  # no forms
    assert url("staff_event_registrations_csv", slug=event.slug) not in html
    assert "Edit the event" not in html


def test_board_sees_an_input_without_who_gave_it(client, users):
    giver = InputFactory(author_name="Ola Innspill", author_email="ola@example.org", consent=True)
    client.force_login(users["board"])
    html = html_of(client.get(url("staff_input", pk=giver.pk)))
    assert giver.text in html
    assert "Ola Innspill" not in html and "ola@example.org" not in html
    assert "Hidden: you do not see" in html
    assert "Save the follow-up" not in html and "Save the moderation" not in html


def test_board_gets_403_on_forms_the_registrations_csv_and_every_post(client, users):
    event = EventFactory()
    registration = RegistrationFactory(event=event)
    item = InputFactory()
    client.force_login(users["board"])
    for path in [
        url("staff_event_create"),
        url("staff_event_edit", slug=event.slug),
        url("staff_input_create"),
        url("staff_event_registrations_csv", slug=event.slug),
    ]:
        assert client.get(path).status_code == 403, path
    for path, data in [
        (url("staff_event_publish", slug=event.slug), {}),
        (url("staff_event_cancel", slug=event.slug), {"cancel-reason": "Nei"}),
        (url("staff_attendance", slug=event.slug), {"attendance-total": "3"}),
        (url("staff_check_in", slug=event.slug, registration_pk=registration.pk), {}),
        (url("staff_input_hide", pk=item.pk), {"hide-reason": "Nei"}),
        (url("staff_input_consider", pk=item.pk), {}),
    ]:
        assert client.post(path, data).status_code == 403, path
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_another_districts_leader_gets_404_on_the_event_and_the_input(client, users):
    event = EventFactory()
    item = InputFactory()
    client.force_login(users["other_district_leader"])
    assert client.get(url("staff_event", slug=event.slug)).status_code == 404
    assert client.get(url("staff_input", pk=item.pk)).status_code == 404
    assert client.post(url("staff_event_publish", slug=event.slug)).status_code == 404
    assert event.title not in html_of(client.get(url("staff_events")))


def test_case_handlers_and_residents_get_403_on_the_lists(client, users):
    for role in ("case_handler", "resident"):
        client.force_login(users[role])
        assert client.get(url("staff_events")).status_code == 403
        assert client.get(url("staff_inputs")).status_code == 403
        assert client.get(url("staff_attendance_csv")).status_code == 403


def test_staff_home_links_to_events_and_input_for_those_who_may_see_them(client, users):
    for role, shown in [("project_leader", True), ("board", True), ("case_handler", False)]:
        client.force_login(users[role])
        html = html_of(client.get(reverse("staff_home")))
        assert (url("staff_events") in html) is shown, role
        assert (url("staff_inputs") in html) is shown, role


# --- Input registered by staff ------------------------------------------------------------------


def test_register_two_inputs_from_an_event_one_after_the_other(client, users):
    event = past_event(title="Folkemøte om torget")
    client.force_login(users["project_leader"])
    create = url("staff_input_create") + f"?arrangement={event.slug}"
    html = html_of(client.get(create))
    assert "Register input from Folkemøte om torget" in html
    assert f'<option value="{event.pk}" selected>' in html
    assert f'<option value="{area().pk}" selected>' in html

    note = {"area": area().pk, "event": event.pk, "channel": "arrangement", "topic": "trygghet"}
    response = client.post(create, {**note, "text": "Mer lys langs gangveien."})
    assert response.status_code == 302
    next_url = response["Location"]
    assert f"arrangement={event.slug}" in next_url and f"omrade={AREA}" in next_url

    html = html_of(client.get(next_url))
    assert "Saved. Register another from the same event below." in html
    assert f'<option value="{event.pk}" selected>' in html
    assert f'<option value="{area().pk}" selected>' in html
    assert "Mer lys langs gangveien." in html  # listed as already registered

    response = client.post(next_url, {**note, "text": "Benker ved lekeplassen.", "topic": "gront"})
    assert response.status_code == 302
    inputs = Input.objects.filter(event=event)
    assert inputs.count() == 2
    assert {i.channel for i in inputs} == {Input.Channel.EVENT}
    assert {i.registered_by for i in inputs} == {users["project_leader"]}
    assert {i.moderation for i in inputs} == {Input.Moderation.APPROVED}
    html = html_of(client.get(url("staff_event", slug=event.slug)))
    assert "Mer lys langs gangveien." in html and "Benker ved lekeplassen." in html


def test_a_name_without_consent_is_refused_on_the_consent_field(client, users):
    client.force_login(users["project_leader"])
    response = client.post(
        url("staff_input_create"),
        {
            "area": area().pk,
            "channel": "arrangement",
            "topic": "trygghet",
            "text": "Mer lys.",
            "name": "Ola Nordmann",
            "email": "ola@example.org",
        },
    )
    html = html_of(response)
    assert response.status_code == 400
    assert 'id="id_consent_error"' in html
    assert "Only store a name or address when the person has agreed to it." in html
    assert 'value="Ola Nordmann"' in html
    assert not Input.objects.exists()


def test_an_event_of_another_area_is_refused_on_the_event_field(client, users):
    event = EventFactory(areas=[area(OTHER_BJERKE_AREA)])
    client.force_login(users["project_leader"])
    response = client.post(
        url("staff_input_create"),
        {
            "area": area().pk,
            "event": event.pk,
            "channel": "arrangement",
            "topic": "trygghet",
            "text": "Mer lys.",
        },
    )
    assert response.status_code == 400
    assert "The event took place in another area." in html_of(response)


# --- The input list and page --------------------------------------------------------------------


def test_input_list_shows_and_filters_the_input_in_scope(client, users):
    event = EventFactory(title="Folkemøte om torget")
    waiting = InputFactory(text="Ny innbygger vil ha møteplass.", moderation="venter")
    considered = InputFactory(
        text="Fartsdumper i Veitvetveien.",
        topic="trafikk",
        follow_up=Input.FollowUp.CONSIDERING,
        event=event,
        channel=Input.Channel.EVENT,
    )
    alna = InputFactory(text="Haugerud trenger benker.", area=area(ALNA_AREA))
    client.force_login(users["project_leader"])

    def texts(query: str = "") -> set[str]:
        html = html_of(client.get(url("staff_inputs") + query))
        return {i.text for i in [waiting, considered, alna] if i.text in html}

    html = html_of(client.get(url("staff_inputs")))
    assert "<caption>" in html and "Traffic and paths" in html and "Being considered" in html
    assert texts() == {waiting.text, considered.text}
    assert texts("?topic=trafikk") == {considered.text}
    assert texts("?moderation=venter") == {waiting.text}
    assert texts("?follow_up=vurderes") == {considered.text}
    assert texts("?channel=arrangement") == {considered.text}
    assert texts(f"?event={event.pk}") == {considered.text}
    assert texts("?attention=on") == {waiting.text}


def test_input_list_queries_do_not_grow_with_the_amount_of_input(client, users):
    client.force_login(users["project_leader"])
    event = EventFactory()
    InputFactory(event=event)
    one = _count(client, url("staff_inputs"))
    project = ProjectFactory()
    for i in range(14):
        InputFactory(
            event=event if i % 2 else None,
            project=project if i % 3 else None,
            taken_into_project=project if i % 4 else None,
        )
    assert Input.objects.count() == 15
    assert _count(client, url("staff_inputs")) == one


def test_editor_sees_who_gave_the_input_and_its_history(client, users):
    item = services.input_register(
        actor=users["project_leader"],
        area=area(),
        text="Mer lys langs gangveien.",
        topic="trygghet",
        name="Ola Innspill",
        email="ola@example.org",
        consent=True,
    )
    client.force_login(users["programme_leader"])
    html = html_of(client.get(url("staff_input", pk=item.pk)))
    assert "Ola Innspill" in html and "ola@example.org" in html
    assert "told by email when its follow-up status changes" in html
    assert "Every step of the input" in html and "Received" in html
    # Registered by staff, it is shown at once: it may be followed up or hidden.
    assert "Start considering" in html and "Take it up" in html and "Hide it" in html


def test_follow_up_offers_only_the_next_steps(client, users):
    item = InputFactory()
    client.force_login(users["project_leader"])
    html = html_of(client.get(url("staff_input", pk=item.pk)))
    assert 'id="consider"' in html and 'id="take_up"' in html and 'id="not_take_up"' in html
    assert 'id="done"' not in html and 'id="reconsider"' not in html
    InputFactory(follow_up=Input.FollowUp.DONE)
    done = Input.objects.get(follow_up=Input.FollowUp.DONE)
    html = html_of(client.get(url("staff_input", pk=done.pk)))
    assert not any(f'id="{step}"' in html for step in INPUT_FOLLOW_UP.names())


def test_follow_up_to_taken_up_links_the_project_and_tells_the_giver(
    client, users, django_capture_on_commit_callbacks
):
    project = ProjectFactory(title="Lys på Sletteløkka")
    other_area_project = ProjectFactory(area=area(OTHER_BJERKE_AREA), title="Linderud-lys")
    item = InputFactory(author_name="Ola", author_email="ola@example.org", consent=True)
    client.force_login(users["project_leader"])
    html = html_of(client.get(url("staff_input", pk=item.pk)))
    assert project.title in html
    # Only the input's own area's projects: Linderud's would answer Veitvet's residents.
    assert other_area_project.title not in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("staff_input_take_up", pk=item.pk),
            {"take_up-project": project.pk, "take_up-response": "Vi setter opp lys i høst."},
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.follow_up == Input.FollowUp.TAKEN_UP
    assert item.taken_into_project == project
    assert item.response == "Vi setter opp lys i høst."
    assert [m.to for m in mail.outbox] == [["ola@example.org"]]
    change = InputChange.objects.get(input=item, action="take_up")
    assert change.notified
    html = html_of(client.get(url("staff_input", pk=item.pk)))
    assert "Whoever gave the input is told by email." in html
    assert "Received → Taken up" in html
    # The page names the project it is linked to, not "Project –".
    assert re.search(r"<dt>Project</dt><dd><a [^>]*>Lys på Sletteløkka</a></dd>", html)


def test_taken_up_without_a_project_is_refused_on_the_project_field(client, users):
    item = InputFactory()
    client.force_login(users["project_leader"])
    response = client.post(url("staff_input_take_up", pk=item.pk), {"take_up-response": "Ja."})
    html = html_of(response)
    assert response.status_code == 400
    assert 'id="id_take_up-project_error"' in html
    assert "Ja.</textarea>" in html  # nothing typed is lost
    item.refresh_from_db()
    assert item.follow_up == Input.FollowUp.RECEIVED


def test_hiding_without_a_reason_is_refused_and_with_one_hides(client, users):
    item = InputFactory(moderation=Input.Moderation.PENDING)
    client.force_login(users["project_leader"])
    hide = url("staff_input_hide", pk=item.pk)
    response = client.post(hide, {"hide-reason": ""})
    html = html_of(response)
    assert response.status_code == 400
    assert 'id="id_hide-reason_error"' in html
    assert "Say why the input is hidden." in html
    item.refresh_from_db()
    assert item.moderation == Input.Moderation.PENDING

    response = client.post(hide, {"hide-reason": "Personangrep"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.moderation == Input.Moderation.HIDDEN and item.hidden_reason == "Personangrep"
    html = html_of(client.get(url("staff_input", pk=item.pk)))
    assert "The input is hidden." in html and "Personangrep" in html

    assert 'id="hide"' not in html  # hidden already: only showing it again is offered
    assert client.post(url("staff_input_show", pk=item.pk)).status_code == 302
    item.refresh_from_db()
    assert item.moderation == Input.Moderation.APPROVED


# --- CSV exports --------------------------------------------------------------------------------


def test_registrations_csv_for_editors(client, users):
    event = EventFactory()
    registration = RegistrationFactory(
        event=event,
        name="Amina Hassan",
        email="amina@example.org",
        people=2,
        interpretation_needed="somali",
        checked_in_at=timezone.now(),
    )
    RegistrationFactory(event=event, name="Borte Vekk", status=R.CANCELLED)
    client.force_login(users["project_leader"])
    rows = csv_rows(client.get(url("staff_event_registrations_csv", slug=event.slug)))
    assert rows[0] == [
        "Name",
        "Email",
        "People",
        "Status",
        "Interpretation needed",
        "Accessibility needs",
        "Checked in",
    ]
    assert len(rows) == 2
    assert rows[1][:5] == [registration.name, registration.email, "2", "Confirmed", "somali"]
    assert rows[1][6]

    client.force_login(users["board"])
    assert client.get(url("staff_event_registrations_csv", slug=event.slug)).status_code == 403


def test_attendance_csv_has_counts_only_and_the_board_may_download_it(client, users):
    event = past_event(title="Dugnad i parken", capacity=20)
    RegistrationFactory(event=event, name="Amina Hassan", people=3)
    services.attendance_record(
        actor=users["project_leader"], event=event, total=25, by_group={"barn_unge": 10}
    )
    client.force_login(users["board"])
    rows = csv_rows(client.get(url("staff_attendance_csv")))
    header = rows[0]
    assert header[:8] == [
        "Event",
        "Date",
        "Areas",
        "Type",
        "Participation step",
        "Capacity",
        "Registered people",
        "Attendance",
    ]
    assert "Attendance: Children and young people" in header
    assert "Name" not in header and "Email" not in header
    row = dict(zip(header, rows[1], strict=True))
    assert row["Event"] == "Dugnad i parken"
    assert row["Areas"] == "Veitvet og Sletteløkka"
    assert row["Capacity"] == "20" and row["Registered people"] == "3"
    assert row["Attendance"] == "25" and row["Attendance: Children and young people"] == "10"
    assert "Amina Hassan" not in "".join(rows[1])


def test_inputs_csv_has_names_only_for_those_who_may_see_personal_data(client, users):
    project = ProjectFactory(title="Lys på Sletteløkka")
    InputFactory(
        text='=HYPERLINK("http://example.org")',
        author_name="Ola Innspill",
        author_email="ola@example.org",
        consent=True,
        follow_up=Input.FollowUp.TAKEN_UP,
        taken_into_project=project,
    )
    columns = [
        "Input",
        "Area",
        "Topic",
        "Sub-goal",
        "Channel",
        "Event",
        "Project",
        "Moderation",
        "Follow-up",
        "Taken up in",
        "What we did",
        "Created",
    ]
    client.force_login(users["project_leader"])
    rows = csv_rows(client.get(url("staff_inputs_csv")))
    assert rows[0] == [*columns, "Name", "Email"]
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Name"] == "Ola Innspill" and row["Email"] == "ola@example.org"
    assert row["Taken up in"] == "Lys på Sletteløkka"
    assert row["Input"].startswith("'=")  # never run as a formula in a spreadsheet

    client.force_login(users["board"])
    rows = csv_rows(client.get(url("staff_inputs_csv")))
    assert rows[0] == columns
    assert "Ola Innspill" not in "".join(rows[1]) and "ola@example.org" not in "".join(rows[1])
