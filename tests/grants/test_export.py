"""A person's data export holds their organisations and the applications they created —
and nothing about other people."""

import json

import pytest
from django.urls import reverse

from grants import services
from grants.models import CaseMessage
from tests.accounts.factories import UserFactory

from .factories import OrganisationFactory, draft_for, submitted

pytestmark = pytest.mark.django_db


def test_export_has_my_organisations_applications_and_messages_only(client, users):
    me = UserFactory(email="kari@example.org")
    organisation = OrganisationFactory(member=me, name="Tunet borettslag")
    mine = submitted(me, organisation=organisation, title="Benker i tunet")
    services.applicant_message(actor=me, application=mine, body="Når kommer vedtaket?")
    # A fellow member's application and a case handler's message are not my data.
    fellow = UserFactory(email="nabo@example.org")
    organisation.memberships.create(user=fellow)
    draft_for(fellow, organisation=organisation, title="Naboens søknad")
    services.case_take(actor=users["case_handler"], application=mine)
    services.staff_message(actor=users["case_handler"], application=mine, body="Snart.")
    assert CaseMessage.objects.filter(application=mine).count() == 2

    client.force_login(me)
    data = json.loads(client.post(reverse("accounts:export")).content)["grants"]

    assert [o["name"] for o in data["organisations"]] == ["Tunet borettslag"]
    assert data["organisations"][0]["may_invite_others"] is True
    [application] = data["applications"]
    assert application["title"] == "Benker i tunet"
    assert application["reference"] == mine.reference
    assert application["cost_lines"][0]["amount"] == 70_000
    assert [m["text"] for m in data["messages"]] == ["Når kommer vedtaket?"]
    dump = json.dumps(data, ensure_ascii=False)
    for other in ("Naboens søknad", "nabo@example.org", "Snart.", users["case_handler"].email):
        assert other not in dump


def test_export_of_someone_without_grants_has_empty_lists(client):
    me = UserFactory()
    client.force_login(me)

    data = json.loads(client.post(reverse("accounts:export")).content)["grants"]

    assert data == {"organisations": [], "applications": [], "messages": [], "appeals": []}
