"""A person's data export holds their registrations and the input they gave — and nothing about
other people or what staff wrote."""

import json

import pytest
from django.urls import reverse

from participation import services
from participation.models import Input
from tests.accounts.factories import UserFactory

from .factories import EventFactory, InputFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def export(client, user) -> dict:
    client.force_login(user)
    return json.loads(client.post(reverse("accounts:export")).content)["participation"]


def test_export_has_my_registrations_and_input_only(client, users):
    me = UserFactory(email="kari@example.org")
    event = EventFactory(title="Folkemøte om Sletteløkka torg")
    services.registration_create(
        event=event,
        actor=me,
        name="Kari",
        email="",
        people=2,
        interpretation_needed="somali",
        accessibility_needs="Rullestol",
    )
    item = services.input_submit(
        actor=me, area=event.areas.get(), text="Flere benker, takk.", topic="moteplasser"
    )
    services.input_follow_up(
        actor=users["project_leader"],
        item=item,
        status=Input.FollowUp.NOT_TAKEN_UP,
        response="Intern vurdering: for dyrt.",
    )
    # Another person's registration and input are not my data.
    RegistrationFactory(event=event, name="Nabo Naboesen", email="nabo@example.org")
    InputFactory(text="Naboens innspill", author_email="nabo@example.org", consent=True)

    data = export(client, me)

    [registration] = data["registrations"]
    assert registration["event"] == "Folkemøte om Sletteløkka torg"
    assert registration["people"] == 2
    assert registration["status"] == "bekreftet"
    assert registration["interpretation_needed"] == "somali"
    assert registration["accessibility_needs"] == "Rullestol"
    [given] = data["inputs"]
    assert given["text"] == "Flere benker, takk."
    assert given["follow_up"] == Input.FollowUp.NOT_TAKEN_UP
    assert given["area"] == "Veitvet og Sletteløkka"
    dump = json.dumps(data, ensure_ascii=False)
    for other in ("Nabo Naboesen", "nabo@example.org", "Naboens innspill", "Intern vurdering"):
        assert other not in dump
    assert "token" not in dump


def test_export_of_someone_who_took_no_part_has_empty_lists(client):
    assert export(client, UserFactory()) == {"registrations": [], "inputs": []}


def test_deleting_the_account_frees_places_and_removes_personal_data():
    from accounts.services import account_delete
    from participation.models import Registration

    event = EventFactory(capacity=1)
    leaving, waiting = UserFactory(full_name="Kari Nordmann"), UserFactory()
    place = services.registration_create(
        event=event, actor=leaving, name="", email="", accessibility_needs="Rullestol"
    )
    queued = services.registration_create(event=event, actor=waiting, name="", email="")
    assert (place.status, queued.status) == ("bekreftet", "venteliste")

    account_delete(user=leaving)

    place.refresh_from_db()
    queued.refresh_from_db()
    assert place.status == Registration.Status.CANCELLED
    assert queued.status == Registration.Status.CONFIRMED
    assert place.name == "" and place.accessibility_needs == ""
    assert "anonymisert" in place.email
