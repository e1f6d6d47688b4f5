"""The secretariat's grant admin: rounds are edited there, the case file is only shown."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.models import (
    Assessment,
    CaseEvent,
    Decision,
    GrantApplication,
    GrantRound,
    Organisation,
)

from .factories import GrantRoundFactory, decided

pytestmark = pytest.mark.django_db

CASE_MODELS = [GrantApplication, CaseEvent, Decision, Assessment]


@pytest.fixture
def secretariat_client(client, users):
    client.force_login(users["secretariat"])
    return client


def url(model, action: str, *args) -> str:
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}", args=args)


def test_the_case_file_is_shown_but_cannot_be_added_changed_or_deleted(secretariat_client, users):
    application = decided(users["case_handler"], users["programme_leader"])
    objects = {
        GrantApplication: application,
        CaseEvent: application.events.first(),
        Decision: application.decisions.first(),
        Assessment: application.assessment,
    }
    for model, obj in objects.items():
        assert secretariat_client.get(url(model, "changelist")).status_code == 200, model
        page = secretariat_client.get(url(model, "change", obj.pk))
        assert page.status_code == 200, model
        assert b'name="_save"' not in page.content, model  # a view, not a form
        assert secretariat_client.get(url(model, "add")).status_code == 403, model
        assert secretariat_client.get(url(model, "delete", obj.pk)).status_code == 403, model
    events = application.events.count()
    response = secretariat_client.post(
        url(CaseEvent, "changelist"),
        {"action": "delete_selected", "_selected_action": [application.events.first().pk]},
    )
    assert response.status_code in (200, 302)
    assert application.events.count() == events
    assert (
        application.reference.encode()
        in secretariat_client.get(url(GrantApplication, "change", application.pk)).content
    )


def test_secretariat_edits_a_round_in_the_admin(secretariat_client):
    grant_round = GrantRoundFactory(title="Bomiljøtilskudd 2026")
    opens = timezone.localtime(grant_round.opens_at)
    closes = timezone.localtime(grant_round.closes_at)
    data = {
        "title": "Bomiljøtilskudd 2026 (endret)",
        "slug": grant_round.slug,
        "year": 2026,
        "opens_at_0": opens.strftime("%Y-%m-%d"),
        "opens_at_1": opens.strftime("%H:%M:%S"),
        "closes_at_0": closes.strftime("%Y-%m-%d"),
        "closes_at_1": closes.strftime("%H:%M:%S"),
        "areas": [a.pk for a in grant_round.areas.all()],
        "applicant_kinds": ["borettslag", "sameie"],
        "budget": 1_500_000,
        "min_own_share_percent": 30,
        "max_city_share_percent": 70,
        "max_amount": 250_000,
        "required_attachments": ["styrevedtak"],
        "acceptance_days": 21,
        "report_deadline": (timezone.localdate() + timedelta(days=200)).isoformat(),
        "criteria": "Nytte for beboerne",
        "four_eyes": "on",
        "legal_basis": grant_round.legal_basis,
        "appeal_body": grant_round.appeal_body,
        "is_published": "on",
    }

    response = secretariat_client.post(url(GrantRound, "change", grant_round.pk), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    grant_round.refresh_from_db()
    assert grant_round.title == "Bomiljøtilskudd 2026 (endret)"
    assert grant_round.applicant_kinds == ["borettslag", "sameie"]
    assert grant_round.acceptance_days == 21
    assert secretariat_client.get(url(GrantRound, "delete", grant_round.pk)).status_code == 403


def test_a_round_that_closes_before_it_opens_is_refused_in_the_admin(secretariat_client):
    grant_round = GrantRoundFactory()
    opens = timezone.localtime(grant_round.opens_at)
    data = {
        "title": grant_round.title,
        "slug": grant_round.slug,
        "year": 2026,
        "opens_at_0": opens.strftime("%Y-%m-%d"),
        "opens_at_1": "12:00:00",
        "closes_at_0": (opens - timedelta(days=1)).strftime("%Y-%m-%d"),
        "closes_at_1": "12:00:00",
        "areas": [a.pk for a in grant_round.areas.all()],
        "applicant_kinds": ["borettslag"],
        "budget": 1,
        "min_own_share_percent": 30,
        "max_city_share_percent": 70,
        "max_amount": 1,
        "acceptance_days": 28,
        "report_deadline": "2027-03-01",
        "criteria": "Nytte",
        "legal_basis": "x",
        "appeal_body": "y",
    }

    response = secretariat_client.post(url(GrantRound, "change", grant_round.pk), data)

    assert response.status_code == 200
    assert GrantRound.objects.get(pk=grant_round.pk).closes_at == grant_round.closes_at


def test_organisation_numbers_are_checked_when_the_secretariat_corrects_them(
    secretariat_client, users
):
    application = decided(users["case_handler"], users["programme_leader"])
    organisation = application.organisation
    data = {
        "name": organisation.name,
        "org_number": "923609017",
        "account_number": organisation.account_number,
        "kind": organisation.kind,
        "address": "Ny adresse 1",
        "postcode": organisation.postcode,
        "city": organisation.city,
        "email": organisation.email,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }

    response = secretariat_client.post(url(Organisation, "change", organisation.pk), data)

    assert response.status_code == 200
    assert "org_number" in response.context["adminform"].form.errors
    assert Organisation.objects.get(pk=organisation.pk).address != "Ny adresse 1"
    assert secretariat_client.get(url(Organisation, "add")).status_code == 403


def test_case_staff_do_not_reach_the_admin(client, users):
    client.force_login(users["programme_leader"])
    response = client.get(url(GrantApplication, "changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
