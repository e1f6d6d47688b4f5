"""Every round rule at its field, at its step: "Save and continue" on a step whose rules fail
keeps the applicant there, with each message at its field and in the error summary; what is
required is marked as the page says; the legal statement about property is never pre-chosen."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from core.inline_assets import source
from grants import services
from grants.forms.staff import AssessmentForm, DecisionForm
from grants.models import AttachmentKind
from tests.accounts.factories import UserFactory
from tests.grants.factories import GrantRoundFactory, OrganisationFactory, pdf_upload
from tests.grants.test_applicant_views import budget_data, field_error, measure_data, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def draft(client):
    user = UserFactory()
    client.force_login(user)
    return services.application_start(
        actor=user,
        grant_round=GrantRoundFactory(),
        organisation=OrganisationFactory(member=user),
    )


def step_url(application, step: str) -> str:
    return reverse("grants:application_step", args=[application.pk, step])


def summary(html: str) -> str:
    match = re.search(r'<div class="[^"]*error-summary"[^>]*>(.*?)</ul>', html, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def low_own_share(action="continue") -> dict:
    # 10 000 of 80 000 is 12.5 %; the round asks for 30 %. Everything else adds up.
    data = budget_data([("Lekeapparater", 80_000)], action=action)
    return data | {"own_contribution": "10000", "other_funding": "30000", "amount_applied": "40000"}


def test_too_low_own_share_keeps_the_applicant_on_the_budget_step_with_the_message_at_it(
    client, draft
):
    response = client.post(step_url(draft, "budsjett"), low_own_share())

    assert response.status_code == 400  # no redirect to the attachments step
    html = text(response)
    message = "at least 30 % of the total cost"
    assert message in field_error(html, "id_own_contribution")
    field = re.search(r'<input[^>]*id="id_own_contribution"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field
    assert re.search(r'aria-describedby="[^"]*id_own_contribution_error', field)
    top = summary(html)
    assert 'role="alert"' in top and 'tabindex="-1"' in top
    assert 'href="#id_own_contribution"' in top and message in top
    assert "The draft is saved" in top
    # Nothing typed is lost: on the page, and in the draft.
    assert 'value="Lekeapparater"' in html and 'value="10000"' in html
    draft.refresh_from_db()
    assert draft.own_contribution == 10_000 and draft.cost_lines.get().amount == 80_000


def test_save_draft_with_a_too_low_own_share_is_allowed(client, draft):
    response = client.post(step_url(draft, "budsjett"), low_own_share(action="save"))
    assert response["Location"] == step_url(draft, "budsjett")


def test_a_financing_that_does_not_add_up_stops_at_the_amount_applied(client, draft):
    data = budget_data([("Lekeapparater", 100_000)], amount_applied="30000")
    response = client.post(step_url(draft, "budsjett"), data)
    assert response.status_code == 400
    assert "does not add up" in field_error(text(response), "id_amount_applied")


def test_a_budget_that_keeps_the_rules_moves_on(client, draft):
    data = budget_data([("Lekeapparater", 70_000), ("Dekke", 30_000)])
    response = client.post(step_url(draft, "budsjett"), data)
    assert response["Location"] == step_url(draft, "vedlegg")


def test_the_property_question_is_not_answered_for_the_applicant(client, draft):
    html = text(client.get(step_url(draft, "tiltak")))
    radios = re.findall(r'<input[^>]*name="on_own_property"[^>]*>', html)
    assert len(radios) == 2
    assert not any("checked" in radio for radio in radios)

    data = measure_data()
    del data["on_own_property"]
    response = client.post(step_url(draft, "tiltak"), data)
    assert response.status_code == 400
    html = text(response)
    assert "Say whether the measure is on the organisation" in field_error(
        html, "id_on_own_property"
    )
    assert 'href="#id_on_own_property_0"' in summary(html)  # its first option
    assert 'id="id_on_own_property_0"' in html
    draft.refresh_from_db()
    assert draft.on_own_property is None


def test_a_no_to_own_property_asks_for_the_owners_agreement(client, draft):
    response = client.post(step_url(draft, "tiltak"), measure_data(on_own_property="False"))
    assert response["Location"] == step_url(draft, "budsjett")
    draft.refresh_from_db()
    assert draft.on_own_property is False
    client.post(
        step_url(draft, "vedlegg"),
        {"kind": AttachmentKind.BOARD_RESOLUTION, "file": pdf_upload(), "action": "save"},
    )
    response = client.post(step_url(draft, "vedlegg"), {"kind": "tilbud", "action": "continue"})
    assert response.status_code == 400
    assert "Agreement with the property owner" in field_error(text(response), "id_file")


def test_required_fields_are_marked_as_the_intro_says(client, draft):
    html = text(client.get(step_url(draft, "tiltak")))
    assert "except those marked “optional”" in html
    # Every field the round needs is unmarked; the one it does not need says "optional".
    assert re.search(r'for="id_title">[^<]*</label>', html)
    assert re.search(r"<legend[^>]*>[^<]*own property\?</legend>", html)
    assert not re.search(r'for="id_title">[^<]*<span class="optional-mark"', html)


def test_reasons_of_a_decision_say_when_they_are_required_not_optional():
    html = str(DecisionForm())
    label = re.search(r'<label[^>]*for="id_reasons">(.*?)</label>', html, re.S).group(1)
    assert "optional" not in label
    assert "required for a partial grant or a refusal" in label
    with translation.override("nb"):
        label = re.search(
            r'<label[^>]*for="id_reasons">(.*?)</label>', str(DecisionForm()), re.S
        ).group(1)
    assert "Begrunnelse" in label and "valgfritt" not in label
    assert "delvis innvilgelse eller avslag" in label


def test_proposed_reasons_say_when_they_are_required_not_optional():
    html = str(AssessmentForm(criteria=["Nytte for beboerne"]))
    label = re.search(r'<label[^>]*for="id_reasons">(.*?)</label>', html, re.S).group(1)
    assert "optional" not in label
    assert "required for a partial grant or a refusal" in label


def test_every_page_holds_the_script_that_focuses_the_error_summary(client):
    html = client.get("/").content.decode()
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S)
    # The one inline script is the portal's own file, which the CSP allows by its hash.
    assert scripts == [source("js/portal.js")]
    assert "focusErrorSummary" in scripts[0]
    assert " style=" not in html  # no inline style


def test_fixing_the_own_share_after_a_refused_continue_keeps_the_cost_lines(client, draft):
    client.post(step_url(draft, "budsjett"), low_own_share())  # refused, but saved
    fixed = low_own_share() | {"own_contribution": "30000", "other_funding": "10000"}

    response = client.post(step_url(draft, "budsjett"), fixed)  # the same page, sent again

    assert response["Location"] == step_url(draft, "vedlegg")
    assert [(c.description, c.amount) for c in draft.cost_lines.all()] == [
        ("Lekeapparater", 80_000)
    ]


def test_an_organisation_the_round_is_not_open_to_stops_on_the_organisation_step(client, draft):
    draft.round.applicant_kinds = ["borettslag"]
    draft.round.save()
    draft.organisation.kind = "velforening"
    draft.organisation.save()
    url = step_url(draft, "organisasjon")

    response = client.post(url, {"organisation": draft.organisation.pk, "action": "continue"})

    assert response.status_code == 400
    html = text(response)
    assert "This round is open to" in field_error(html, "id_organisation")
    assert 'href="#id_organisation_0"' in summary(html)
    assert (
        client.post(url, {"organisation": draft.organisation.pk, "action": "save"})["Location"]
        == url
    )  # saving the step is still allowed
