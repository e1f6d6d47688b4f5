"""The secretariat's participation admin: events are edited there through the services;
registrations, input and the history of both are only shown; nothing can be deleted."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from participation import services
from participation.models import Event, EventChange, Input, InputChange, Registration

from .factories import EventFactory, InputFactory, RegistrationFactory, area

pytestmark = pytest.mark.django_db

R = Registration.Status


@pytest.fixture
def secretariat_client(client, users):
    client.force_login(users["secretariat"])
    return client


def url(model, action: str, *args) -> str:
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}", args=args)


@pytest.fixture
def records(users):
    event = EventFactory(title="Folkemøte om Sletteløkka torg", capacity=1)
    registration = RegistrationFactory(event=event, name="Kari Nordmann")
    RegistrationFactory(event=event, status=R.WAITLISTED, confirmed_at=None)
    services.registration_cancel(registration=registration, token=registration.token)
    item = InputFactory(text="Flere benker på torget, takk.")
    services.input_follow_up(actor=users["project_leader"], item=item, status="vurderes")
    return {
        Event: event,
        Registration: registration,
        EventChange: event.changes.first(),
        Input: item,
        InputChange: item.changes.get(action="consider"),
    }


def test_secretariat_opens_every_changelist_and_record(secretariat_client, records):
    for model, obj in records.items():
        assert secretariat_client.get(url(model, "changelist")).status_code == 200, model
        assert secretariat_client.get(url(model, "change", obj.pk)).status_code == 200, model
    page = secretariat_client.get(url(Registration, "changelist"))
    assert "Kari Nordmann" in page.content.decode()
    detail = secretariat_client.get(url(Input, "change", records[Input].pk)).content.decode()
    assert "Flere benker på torget, takk." in detail


@pytest.mark.parametrize("model", [Registration, EventChange, Input, InputChange])
def test_registrations_input_and_history_are_shown_but_never_added_changed_or_deleted(
    secretariat_client, records, model
):
    obj = records[model]

    page = secretariat_client.get(url(model, "change", obj.pk))
    assert b'name="_save"' not in page.content  # a view, not a form
    assert secretariat_client.get(url(model, "add")).status_code == 403
    assert secretariat_client.get(url(model, "delete", obj.pk)).status_code == 403
    before = model.objects.count()
    secretariat_client.post(
        url(model, "changelist"), {"action": "delete_selected", "_selected_action": [obj.pk]}
    )
    assert model.objects.count() == before


def test_the_registration_token_is_not_shown(secretariat_client, records):
    registration = records[Registration]
    page = secretariat_client.get(url(Registration, "change", registration.pk))
    assert registration.token not in page.content.decode()


def test_an_event_cannot_be_deleted(secretariat_client, records):
    event = records[Event]
    assert secretariat_client.get(url(Event, "delete", event.pk)).status_code == 403
    secretariat_client.post(
        url(Event, "changelist"), {"action": "delete_selected", "_selected_action": [event.pk]}
    )
    assert Event.objects.filter(pk=event.pk).exists()


def event_form(event: Event | None = None, **overrides) -> dict:
    starts = timezone.localtime(event.starts_at if event else timezone.now() + timedelta(days=14))
    ends = starts + timedelta(hours=2)
    data = {
        "title": event.title if event else "Dugnad på Sletteløkka",
        "description": event.description if event else "Vi rydder og planter.",
        "kind": event.kind if event else Event.Kind.DUGNAD,
        "project": "",
        "starts_at_0": starts.strftime("%Y-%m-%d"),
        "starts_at_1": starts.strftime("%H:%M:%S"),
        "ends_at_0": ends.strftime("%Y-%m-%d"),
        "ends_at_1": ends.strftime("%H:%M:%S"),
        "place": event.place if event else "Sletteløkka grendehus",
        "languages": "norsk",
        "interpretation": "",
        "accessibility_notes": "",
        "target_groups": event.target_groups if event else ["alle"],
        "participation_step": 2,
        "capacity": event.capacity if event else 30,
        "registration": event.registration if event else Event.Registration.OPEN,
        "organiser": "Bydel Bjerke",
        "areas": [a.pk for a in event.areas.all()] if event else [area().pk],
        "changes-TOTAL_FORMS": "0",
        "changes-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_secretariat_edits_an_event_through_the_service(secretariat_client, records, users):
    event = records[Event]

    response = secretariat_client.post(
        url(Event, "change", event.pk),
        event_form(event, title="Folkemøte om Sletteløkka torg (nytt tidspunkt)", capacity=5),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    event.refresh_from_db()
    assert event.title == "Folkemøte om Sletteløkka torg (nytt tidspunkt)"
    assert event.capacity == 5
    change = event.changes.filter(action="updated").get()
    assert change.actor == users["secretariat"]
    assert "title" in [c["field"] for c in change.data["changes"]]


def test_more_places_in_the_admin_let_the_waiting_list_move_up(secretariat_client):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status=R.WAITLISTED, confirmed_at=None)

    response = secretariat_client.post(
        url(Event, "change", event.pk), event_form(event, capacity=2)
    )

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == R.CONFIRMED


def test_secretariat_adds_an_event_as_a_draft_with_its_history(secretariat_client, users):
    response = secretariat_client.post(url(Event, "add"), event_form())

    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get(title="Dugnad på Sletteløkka")
    assert event.status == Event.Status.DRAFT
    assert event.slug.startswith("dugnad-pa-slettelokka-")
    assert list(event.areas.all()) == [area()]
    assert event.created_by == users["secretariat"]
    assert event.changes.filter(action="created").exists()


def test_the_service_rules_show_on_the_admin_form(secretariat_client, records):
    event = records[Event]
    from tests.projects.factories import ProjectFactory

    elsewhere = ProjectFactory(area=area("linderud"))

    response = secretariat_client.post(
        url(Event, "change", event.pk), event_form(event, capacity=0, project=elsewhere.pk)
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "capacity" in errors and "project" in errors
    event.refresh_from_db()
    assert event.capacity == 1 and event.project is None


def test_district_staff_and_the_board_do_not_reach_the_admin(client, users):
    for role in ("project_leader", "programme_leader", "board"):
        client.force_login(users[role])
        response = client.get(url(Event, "changelist"))
        assert response.status_code == 302, role
        assert "/admin/login/" in response["Location"]
