"""The decision letter's progress on both case pages: pending → ready (or failed), polled by htmx
while pending, with a plain reload link for a browser without JavaScript."""

import pytest
from django.urls import reverse
from django.utils import translation

from grants import selectors, services
from grants.models import Decision
from tests.accounts.factories import UserFactory
from tests.grants.factories import decided

pytestmark = pytest.mark.django_db

L = Decision.LetterStatus


def urls(application, decision) -> dict:
    with translation.override("en"):
        return {
            "page": reverse("grants:application_detail", args=[application.pk]),
            "status": reverse("grants:letter_status", args=[application.pk, decision.pk]),
            "staff_page": reverse("grants:staff_case", args=[application.pk]),
            "staff_status": reverse(
                "grants:staff_letter_status", args=[application.pk, decision.pk]
            ),
        }


@pytest.fixture
def pending(users):
    """A decision whose letter task has not run (no commit in this test's transaction)."""
    application = decided(users["case_handler"], users["programme_leader"])
    decision = selectors.current_decision(application)
    assert decision.letter_status == L.PENDING
    return application, decision


def test_the_applicant_sees_the_letter_being_prepared_and_then_ready(client, pending):
    application, decision = pending
    u = urls(application, decision)
    client.force_login(application.applicant)

    page = client.get(u["page"]).content.decode()
    assert "The decision letter is being prepared. You get an email when it is ready." in page
    assert f'hx-get="{u["status"]}"' in page and 'hx-trigger="every 3s"' in page
    assert f'href="{u["page"]}#decision-{decision.pk}"' in page
    assert 'aria-live="polite"' in page

    still = client.get(u["status"], HTTP_HX_REQUEST="true")
    assert still.status_code == 200
    assert f'hx-get="{u["status"]}"' in still.content.decode()
    assert still["Cache-Control"] == "no-store"

    services.decision_letter_render(decision_id=decision.pk)

    ready = client.get(u["status"], HTTP_HX_REQUEST="true").content.decode()
    assert "Download the decision letter" in ready
    assert "Appeal deadline:" in ready
    with translation.override("en"):
        assert reverse("grants:grant_accept", args=[application.pk]) in ready
    assert "hx-get" not in ready


def test_a_failed_letter_says_so_and_stops_asking(client, users, pending):
    application, decision = pending
    Decision.objects.filter(pk=decision.pk).update(letter_status=L.FAILED, letter_error="OSError")
    u = urls(application, decision)

    client.force_login(application.applicant)
    applicant = client.get(u["status"], HTTP_HX_REQUEST="true").content.decode()
    assert "The decision letter is delayed." in applicant
    assert "OSError" not in applicant and "hx-get" not in applicant

    client.force_login(users["case_handler"])
    staff = client.get(u["staff_status"], HTTP_HX_REQUEST="true").content.decode()
    assert "Failed. The decision letter could not be made." in staff


def test_staff_fragment_shows_the_download_once_ready(client, users, pending):
    application, decision = pending
    u = urls(application, decision)
    client.force_login(users["case_handler"])
    before = client.get(u["staff_status"], HTTP_HX_REQUEST="true").content.decode()
    assert "Being prepared." in before

    services.decision_letter_render(decision_id=decision.pk)

    staff = client.get(u["staff_status"], HTTP_HX_REQUEST="true").content.decode()
    assert "Download the decision letter of" in staff and "hx-get" not in staff


def test_without_htmx_the_fragment_address_leads_to_the_case_page(client, pending):
    application, decision = pending
    u = urls(application, decision)
    client.force_login(application.applicant)

    response = client.get(u["status"])

    assert response.status_code == 302
    assert response["Location"] == f"{u['page']}#decision-{decision.pk}"


def test_the_letter_status_is_out_of_reach_of_others(client, users, pending):
    application, decision = pending
    u = urls(application, decision)

    client.force_login(UserFactory())
    assert client.get(u["status"], HTTP_HX_REQUEST="true").status_code == 404
    client.force_login(users["other_district_leader"])
    assert client.get(u["staff_status"], HTTP_HX_REQUEST="true").status_code == 404
    client.logout()
    assert client.get(u["status"], HTTP_HX_REQUEST="true").status_code == 302  # to sign-in
