"""The applicant's pages over HTTP: organisations, the application in steps, bad input that keeps
the draft, submitting, the case page, and accepting, reporting, appealing and withdrawing."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from areas.models import Area, SubGoal
from core.formatting import kroner
from grants import rules, services
from grants.models import (
    Appeal,
    Attachment,
    AttachmentKind,
    CaseMessage,
    Decision,
    FinalReport,
    GrantApplication,
    Invitation,
    Membership,
    Organisation,
    Recommendation,
)
from tests.accounts.factories import UserFactory
from tests.grants.factories import (
    VALID_ACCOUNT,
    ApplicationFactory,
    GrantRoundFactory,
    OrganisationFactory,
    decided,
    draft_for,
    exe_upload,
    pdf_upload,
    submitted,
)

pytestmark = pytest.mark.django_db

S = GrantApplication.Status


def kr(amount: int) -> str:
    """Money as the page shows it in the active language ("40 000 kr" in Norwegian)."""
    return kroner(amount).replace("\xa0", " ")


def text(response) -> str:
    """The page as a reader sees it: no-break spaces as spaces."""
    return response.content.decode().replace("\xa0", " ")


def step_url(application, step: str) -> str:
    return reverse("grants:application_step", args=[application.pk, step])


def field_error(html: str, field_id: str) -> str:
    """The error text shown next to one field (the element the field's aria-describedby names)."""
    match = re.search(rf'id="{field_id}_error">(.*?)</div>', html, re.S)
    assert match, f"no error shown on {field_id}"
    return match.group(1)


@pytest.fixture(autouse=True)
def _english():
    """The pages in English, the source language: URLs reversed here carry the /en/ prefix."""
    with translation.override("en"):
        yield


@pytest.fixture
def applicant(client):
    user = UserFactory()
    client.force_login(user)
    return user


# --- Organisations ------------------------------------------------------------------------------

ORGANISATION = {
    "name": "Sletteløkka borettslag",
    "org_number": "923 609 016",
    "account_number": "8601 11 17947",
    "kind": "borettslag",
    "address": "Sletteløkka 10",
    "postcode": "0597",
    "city": "Oslo",
    "email": "styret@slettelokka.example",
}


def test_register_organisation_makes_the_user_its_first_admin(client, applicant):
    response = client.post(reverse("grants:organisation_create"), ORGANISATION)

    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("grants:organisation_detail", args=[organisation.pk])
    assert organisation.org_number == "923609016"
    assert organisation.account_number == VALID_ACCOUNT
    assert Membership.objects.get(organisation=organisation).user == applicant
    page = text(client.get(response["Location"]))
    assert "Sletteløkka borettslag" in page
    assert "Send invitation" in page  # the first member may invite others


def test_register_organisation_returns_to_the_round_it_came_from(client, applicant):
    grant_round = GrantRoundFactory()
    start = reverse("grants:application_start", args=[grant_round.slug])
    page = text(client.get(start))
    assert f"{reverse('grants:organisation_create')}?next=" in page

    response = client.post(reverse("grants:organisation_create"), ORGANISATION | {"next": start})
    assert response["Location"] == start
    response = client.post(
        reverse("grants:organisation_create"),
        ORGANISATION | {"org_number": "974760673", "next": "https://evil.example/"},
    )
    assert response["Location"].startswith(reverse("grants:organisations"))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("org_number", "923 609 017", "is not a valid organisation number"),
        ("org_number", "12345", "An organisation number has 9 digits"),
        ("account_number", "8601 11 17948", "is not a valid account number"),
        ("account_number", "1234", "An account number has 11 digits"),
        ("postcode", "597", "A postcode has 4 digits"),
    ],
)
def test_bad_organisation_input_is_named_on_its_field_and_the_rest_is_kept(
    client, applicant, field, value, message
):
    response = client.post(reverse("grants:organisation_create"), ORGANISATION | {field: value})

    assert response.status_code == 400
    html = text(response)
    assert message in field_error(html, f"id_{field}")
    assert f'href="#id_{field}"' in html  # the error summary links to the field
    assert 'value="Sletteløkka borettslag"' in html
    assert 'value="styret@slettelokka.example"' in html
    assert f'value="{value}"' in html
    assert not Organisation.objects.exists()


def test_both_bad_numbers_are_named_at_once(client, applicant):
    response = client.post(
        reverse("grants:organisation_create"),
        ORGANISATION | {"org_number": "923609017", "account_number": "86011117948"},
    )
    html = text(response)
    assert "is not a valid organisation number" in field_error(html, "id_org_number")
    assert "is not a valid account number" in field_error(html, "id_account_number")


def test_an_organisation_number_already_registered_says_whom_to_ask(client, applicant):
    OrganisationFactory(org_number="923609016")
    response = client.post(reverse("grants:organisation_create"), ORGANISATION)
    assert response.status_code == 400
    assert "Ask one of its members to invite you" in field_error(text(response), "id_org_number")


def test_invite_and_accept(client, applicant, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory(member=applicant, name="Veitvet vel")
    url = reverse("grants:organisation_detail", args=[organisation.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"invite-email": "Nabo@Example.org"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "nabo@example.org"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nabo@example.org"]
    assert "nabo@example.org" in text(client.get(url))  # listed as waiting

    accept = reverse("grants:invitation_accept", args=[invitation.token])
    client.logout()
    response = client.get(accept)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]

    neighbour = UserFactory(email="nabo@example.org")
    client.force_login(neighbour)
    page = text(client.get(accept))
    assert "Invitation to act for Veitvet vel" in page
    response = client.post(accept)
    assert response["Location"] == url
    assert organisation.memberships.filter(user=neighbour, is_admin=False).exists()

    # A member who may not invite does not see the form and is refused if they post it.
    page = text(client.get(url))
    assert "Send invitation" not in page
    assert client.post(url, {"invite-email": "tredje@example.org"}).status_code == 403
    # The invitation is used up.
    page = text(client.get(accept))
    assert "no longer valid" in page


def test_an_invitation_for_someone_else_is_refused_with_the_reason(client, applicant):
    organisation = OrganisationFactory(member=UserFactory(), name="Veitvet vel")
    invitation = services.invitation_create(
        actor=organisation.members.get(), organisation=organisation, email="annen@example.org"
    )
    response = client.post(reverse("grants:invitation_accept", args=[invitation.token]))
    assert response.status_code == 400
    assert "annen@example.org" in text(response)
    assert not organisation.memberships.filter(user=applicant).exists()


# --- Rounds and starting ------------------------------------------------------------------------


def test_rounds_list_open_and_upcoming_with_their_deadlines(client):
    now = timezone.now()
    GrantRoundFactory(title="Åpen runde", closes_at=now + timedelta(days=5))
    GrantRoundFactory(
        title="Kommende runde",
        opens_at=now + timedelta(days=20),
        closes_at=now + timedelta(days=60),
    )
    GrantRoundFactory(
        title="Lukket runde", opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=1)
    )
    page = text(client.get(reverse("grants:rounds")))
    assert "Åpen runde" in page and "Kommende runde" in page
    assert "Lukket runde" not in page
    deadline = timezone.localtime(now + timedelta(days=5)).strftime("%d.%m.%Y %H:%M")
    assert deadline in page


def test_round_page_shows_its_rules_and_the_start_button(client):
    grant_round = GrantRoundFactory(
        min_own_share_percent=40,
        max_city_share_percent=60,
        max_amount=150_000,
        required_attachments=[AttachmentKind.BOARD_RESOLUTION, AttachmentKind.QUOTE],
        applicant_kinds=["borettslag", "sameie"],
    )
    grant_round.areas.set([Area.objects.get(slug="linderud")])
    page = text(client.get(reverse("grants:round_detail", args=[grant_round.slug])))
    assert "at least 40 % of the total cost" in page
    assert "at most 60 %" in page and kr(150_000) in page
    assert "Board resolution (styrevedtak)" in page and "Quote from a supplier" in page
    assert "Linderud" in page and "Veitvet" not in page
    assert "Residents&#x27; association" not in page and "Condominium (sameie)" in page
    assert reverse("grants:application_start", args=[grant_round.slug]) in page


def test_start_application_with_one_of_my_organisations(client, applicant):
    grant_round = GrantRoundFactory()
    mine = OrganisationFactory(member=applicant, name="Mitt borettslag")
    OrganisationFactory(member=UserFactory(), name="Andres borettslag")
    url = reverse("grants:application_start", args=[grant_round.slug])

    page = text(client.get(url))
    assert 'type="radio"' in page and "Mitt borettslag" in page
    assert "Andres borettslag" not in page

    response = client.post(url, {})
    assert response.status_code == 400
    assert "Choose the organisation that applies." in text(response)

    response = client.post(url, {"organisation": mine.pk})
    application = GrantApplication.objects.get()
    assert response["Location"] == step_url(application, "organisasjon")
    assert application.organisation == mine and application.status == S.DRAFT


def test_a_closed_round_cannot_be_started(client, applicant):
    now = timezone.now()
    grant_round = GrantRoundFactory(
        opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=1)
    )
    organisation = OrganisationFactory(member=applicant)
    url = reverse("grants:application_start", args=[grant_round.slug])
    assert "Applications can no longer be submitted" in text(client.get(url))
    response = client.post(url, {"organisation": organisation.pk})
    assert response.status_code == 400
    assert not GrantApplication.objects.exists()


# --- The steps ----------------------------------------------------------------------------------


@pytest.fixture
def draft(applicant):
    """A new, empty draft of the applicant's organisation."""
    organisation = OrganisationFactory(member=applicant)
    return services.application_start(
        actor=applicant, grant_round=GrantRoundFactory(), organisation=organisation
    )


def measure_data(**overrides) -> dict:
    today = timezone.localdate()
    return {
        "title": "Ny lekeplass",
        "description": "Lekeapparater i bakgården.",
        "sub_goal": SubGoal.objects.get(number=2).pk,
        "area": Area.objects.get(slug="veitvet-og-slettelokka").pk,
        "location": "Bakgården",
        "on_own_property": "True",
        "target_group": "Barnefamilier",
        "expected_participants": "40",
        "resident_involvement": "Beboermøte med 30 deltakere.",
        "start_date": (today + timedelta(days=30)).isoformat(),
        "end_date": (today + timedelta(days=90)).isoformat(),
        "action": "continue",
    } | overrides


def budget_data(lines, **overrides) -> dict:
    data = {
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "own_contribution": "50000",
        "other_funding": "10000",
        "amount_applied": "40000",
        "dugnad_hours": "120",
        "action": "continue",
    }
    for i, (description, amount) in enumerate(lines):
        data[f"lines-{i}-description"] = description
        data[f"lines-{i}-amount"] = str(amount)
    return data | overrides


def test_progress_indicator_marks_the_current_step_and_the_done_ones(client, draft):
    html = text(client.get(step_url(draft, "tiltak")))
    nav = html[html.index('class="grant-steps"') : html.index("</nav>", html.index("grant-steps"))]
    assert nav.count("<li") == 5
    assert re.search(r'href="[^"]*/steg/tiltak/"\s+aria-current="step"', nav)
    assert nav.count('aria-current="step"') == 1
    assert "complete" in nav.split("/steg/tiltak/")[0]  # the organisation step is complete
    for step in ("organisasjon", "budsjett", "vedlegg", "oppsummering"):
        assert step_url(draft, step) in nav


def test_measure_step_saves_and_moves_on(client, draft):
    response = client.post(step_url(draft, "tiltak"), measure_data())
    assert response["Location"] == step_url(draft, "budsjett")
    draft.refresh_from_db()
    assert draft.title == "Ny lekeplass" and draft.expected_participants == 40
    assert draft.area.slug == "veitvet-og-slettelokka" and draft.on_own_property


def test_measure_step_says_an_agreement_is_needed_off_own_property(client, draft):
    html = text(client.get(step_url(draft, "tiltak")))
    assert 'type="date"' in html
    assert re.search(
        r'id="id_on_own_property_helptext">[^<]*agreement with the property owner', html
    )


def test_measure_step_save_draft_keeps_a_partial_measure(client, draft):
    response = client.post(step_url(draft, "tiltak"), {"title": "Bare en tittel", "action": "save"})
    assert response["Location"] == step_url(draft, "tiltak")
    draft.refresh_from_db()
    assert draft.title == "Bare en tittel" and draft.description == ""
    assert not draft.on_own_property  # an unticked box is a "no"


def test_measure_step_continue_names_every_missing_field_and_keeps_the_rest(client, draft):
    data = measure_data(description="", location="", end_date="")
    response = client.post(step_url(draft, "tiltak"), data)
    assert response.status_code == 400
    html = text(response)
    for field in ("description", "location", "end_date"):
        assert f'href="#id_{field}"' in html
        assert "Fill in" in field_error(html, f"id_{field}")
    assert 'value="Ny lekeplass"' in html
    draft.refresh_from_db()
    assert draft.title == ""  # nothing saved from a refused step


def test_measure_step_refuses_a_start_in_the_past_and_an_end_before_the_start(client, draft):
    today = timezone.localdate()
    data = measure_data(
        start_date=(today - timedelta(days=1)).isoformat(),
        end_date=(today - timedelta(days=5)).isoformat(),
    )
    response = client.post(step_url(draft, "tiltak"), data)
    assert response.status_code == 400
    html = text(response)
    assert "already started" in field_error(html, "id_start_date")
    data = measure_data(end_date=(today + timedelta(days=10)).isoformat())
    html = text(client.post(step_url(draft, "tiltak"), data))
    assert "cannot be before the start date" in field_error(html, "id_end_date")


def test_measure_step_offers_only_the_rounds_areas(client, draft):
    draft.round.areas.set([Area.objects.get(slug="linderud")])
    html = text(client.get(step_url(draft, "tiltak")))
    assert "Linderud" in html and "Veitvet" not in html
    response = client.post(step_url(draft, "tiltak"), measure_data())
    assert response.status_code == 400
    assert field_error(text(response), "id_area")


def test_budget_step_saves_lines_and_figures_and_shows_the_shares(client, draft):
    lines = [("Lekeapparater", 70_000), ("Dekke", 30_000)]
    response = client.post(step_url(draft, "budsjett"), budget_data(lines))
    assert response["Location"] == step_url(draft, "vedlegg")
    draft.refresh_from_db()
    assert [(c.description, c.amount) for c in draft.cost_lines.all()] == lines
    assert (draft.own_contribution, draft.amount_applied, draft.dugnad_hours) == (
        50_000,
        40_000,
        120,
    )
    html = text(client.get(step_url(draft, "budsjett")))
    assert kr(100_000) in html  # total
    assert "50.0 %" in html or "50,0 %" in html  # own share
    assert "does not count as own" in html  # dugnad kept apart
    assert 'value="Lekeapparater"' in html


def test_budget_step_shows_the_rounds_rules_that_the_saved_budget_breaks(client, draft):
    data = budget_data([("Lekeapparater", 100_000)], own_contribution="10000")
    data |= {"other_funding": "0", "amount_applied": "90000", "action": "save"}
    client.post(step_url(draft, "budsjett"), data)
    html = text(client.get(step_url(draft, "budsjett")))
    assert f"at least 30 % of the total cost, that is {kr(30_000)}" in html
    assert f"at most 70 % of the total cost, that is {kr(70_000)}" in html


def test_budget_line_without_amount_is_named_and_kept(client, draft):
    data = budget_data([("Lekeapparater", 70_000), ("Maling", "")])
    response = client.post(step_url(draft, "budsjett"), data)
    assert response.status_code == 400
    html = text(response)
    assert "Enter the amount for “Maling”" in field_error(html, "id_lines-1-amount")
    assert 'href="#id_lines-1-amount"' in html
    assert 'value="Maling"' in html and 'value="70000"' in html
    assert not draft.cost_lines.exists()


def test_budget_continue_needs_a_cost_line(client, draft):
    response = client.post(step_url(draft, "budsjett"), budget_data([]))
    assert response.status_code == 400
    assert "Add at least one cost line" in text(response)


def test_more_budget_lines_without_javascript(client, draft):
    html = text(client.get(step_url(draft, "budsjett")))
    assert 'name="lines-TOTAL_FORMS" value="3"' in html

    # One line typed, two rows left empty: three more empty rows come on top of those.
    data = budget_data([("Maling", 5_000), ("", ""), ("", "")], action="more_lines")
    response = client.post(step_url(draft, "budsjett"), data)
    assert response.status_code == 302
    assert draft.cost_lines.get().description == "Maling"  # what was typed is saved first
    html = text(client.get(response["Location"]))
    assert 'name="lines-TOTAL_FORMS" value="6"' in html
    assert 'value="Maling"' in html


def test_organisation_step_changes_the_organisation(client, applicant, draft):
    other = OrganisationFactory(member=applicant, name="Veitvet velforening")
    stranger = OrganisationFactory(member=UserFactory())
    url = step_url(draft, "organisasjon")
    response = client.post(url, {"organisation": stranger.pk, "action": "continue"})
    assert response.status_code == 400
    response = client.post(url, {"organisation": other.pk, "action": "continue"})
    assert response["Location"] == step_url(draft, "tiltak")
    draft.refresh_from_db()
    assert draft.organisation == other


def test_attachments_step_lists_required_kinds_and_what_is_missing(client, draft):
    html = text(client.get(step_url(draft, "vedlegg")))
    assert 'enctype="multipart/form-data"' in html
    assert re.search(r"Board resolution \(styrevedtak\): <strong>missing", html)

    response = client.post(
        step_url(draft, "vedlegg"),
        {"kind": AttachmentKind.BOARD_RESOLUTION, "file": pdf_upload(), "action": "save"},
    )
    assert response["Location"] == step_url(draft, "vedlegg")
    attachment = draft.attachments.get()
    assert attachment.content_type == "application/pdf"
    html = text(client.get(step_url(draft, "vedlegg")))
    assert "styrevedtak.pdf" in html
    assert re.search(
        r"Board resolution \(styrevedtak\): <strong><span[^>]*>✓</span> attached", html
    )

    download = client.get(reverse("grants:attachment_download", args=[draft.pk, attachment.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    response = client.post(reverse("grants:attachment_remove", args=[draft.pk, attachment.pk]))
    assert response["Location"] == step_url(draft, "vedlegg")
    attachment.refresh_from_db()
    assert attachment.removed_at is not None  # kept for the record, no longer on the draft
    html = text(client.get(step_url(draft, "vedlegg")))
    assert "“styrevedtak.pdf” is removed." in html
    assert reverse("grants:attachment_download", args=[draft.pk, attachment.pk]) not in html
    assert "No files attached yet." in html


def test_an_executable_renamed_pdf_is_refused_on_the_file_field_and_the_draft_is_kept(
    client, applicant
):
    draft = draft_for(applicant)
    before = draft.attachments.count()
    response = client.post(
        step_url(draft, "vedlegg"),
        {"kind": AttachmentKind.QUOTE, "file": exe_upload(), "action": "continue"},
    )
    assert response.status_code == 400
    html = text(response)
    assert "is not a file type we accept" in field_error(html, "id_file")
    assert 'href="#id_file"' in html
    assert re.search(r'<option value="tilbud" selected>', html)  # the chosen kind is kept
    draft.refresh_from_db()
    assert draft.attachments.count() == before
    assert draft.title == "Ny lekeplass i bakgården" and draft.cost_lines.count() == 2


def test_an_oversized_file_is_refused_on_the_file_field(client, applicant, settings):
    settings.GRANT_ATTACHMENT_MAX_BYTES = 100
    draft = draft_for(applicant, attachments=False)
    response = client.post(
        step_url(draft, "vedlegg"),
        {"kind": AttachmentKind.BOARD_RESOLUTION, "file": pdf_upload(), "action": "save"},
    )
    assert response.status_code == 400
    assert "Files may be at most 100" in field_error(text(response), "id_file")
    assert not draft.attachments.exists()
    assert draft.title == "Ny lekeplass i bakgården"


def test_attachments_continue_without_a_file_moves_on_when_nothing_required_is_missing(
    client, draft
):
    response = client.post(step_url(draft, "vedlegg"), {"kind": "tilbud", "action": "continue"})
    assert response.status_code == 400  # the round requires a board resolution
    html = text(response)
    assert "Attach: Board resolution" in field_error(html, "id_file")
    assert 'href="#id_file"' in html

    client.post(
        step_url(draft, "vedlegg"),
        {"kind": AttachmentKind.BOARD_RESOLUTION, "file": pdf_upload(), "action": "save"},
    )
    response = client.post(step_url(draft, "vedlegg"), {"kind": "tilbud", "action": "continue"})
    assert response["Location"] == step_url(draft, "oppsummering")
    response = client.post(step_url(draft, "vedlegg"), {"kind": "tilbud", "action": "save"})
    assert response.status_code == 400
    assert "Choose a file to upload." in field_error(text(response), "id_file")


def test_a_draft_is_resumed_from_my_applications(client, draft):
    page = text(client.get(reverse("grants:my_applications")))
    detail = reverse("grants:application_detail", args=[draft.pk])
    assert f'href="{detail}"' in page and "Draft" in page
    response = client.get(detail)
    assert response["Location"] == step_url(draft, "tiltak")  # the first step not complete


# --- Review and submit --------------------------------------------------------------------------


def test_summary_lists_every_problem_with_a_link_to_where_it_is_fixed(client, applicant):
    draft = draft_for(applicant, attachments=False, title="", own_contribution=10_000)
    draft.round.required_attachments = [AttachmentKind.BOARD_RESOLUTION, AttachmentKind.QUOTE]
    draft.round.save()

    response = client.post(reverse("grants:application_submit", args=[draft.pk]))

    assert response.status_code == 400
    html = text(response)
    assert "The application was not sent" in html
    assert f'href="{step_url(draft, "tiltak")}#id_title"' in html
    assert f'href="{step_url(draft, "budsjett")}#id_own_contribution"' in html
    assert f'href="{step_url(draft, "budsjett")}#id_amount_applied"' in html  # does not add up
    assert html.count(f'href="{step_url(draft, "vedlegg")}#id_file"') == 2
    assert "Attach: Board resolution (styrevedtak)." in html
    assert "Attach: Quote from a supplier." in html
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and draft.reference is None


def test_summary_shows_everything_with_change_links(client, applicant):
    draft = draft_for(applicant)
    html = text(client.get(step_url(draft, "oppsummering")))
    assert "Ny lekeplass i bakgården" in html and "Lekeapparater" in html
    assert "923 609 016" in html or draft.organisation.name in html
    for step in ("organisasjon", "tiltak", "budsjett", "vedlegg"):
        assert re.search(rf'href="{step_url(draft, step)}">Change<', html)
    assert reverse("grants:application_submit", args=[draft.pk]) in html
    assert "Everything the round requires is in place" in html


def test_submit_gives_a_reference_a_receipt_page_and_a_receipt_email(
    client, applicant, django_capture_on_commit_callbacks
):
    draft = draft_for(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("grants:application_submit", args=[draft.pk]))

    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED
    assert re.fullmatch(r"BMT-2026-\d{4}", draft.reference)
    assert response["Location"] == reverse("grants:application_receipt", args=[draft.pk])
    page = text(client.get(response["Location"]))
    assert draft.reference in page
    assert "What happens next" in page and "receipt has been sent" in page
    assert reverse("grants:application_detail", args=[draft.pk]) in page
    assert len(mail.outbox) == 1
    assert draft.reference in mail.outbox[0].subject
    assert applicant.email in mail.outbox[0].to

    # The steps are closed now; they lead to the case page.
    response = client.get(step_url(draft, "tiltak"))
    assert response["Location"] == reverse("grants:application_detail", args=[draft.pk])


# --- Scope --------------------------------------------------------------------------------------


def test_another_organisations_member_gets_404_on_every_applicant_url(
    client, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = decided(users["case_handler"], users["programme_leader"])
    draft = draft_for()
    decision = application.decisions.get()
    attachment = application.attachments.get()
    draft_attachment = draft.attachments.get()
    outsider = UserFactory()
    OrganisationFactory(member=outsider)
    client.force_login(outsider)
    pk = application.pk
    urls = [
        ("get", reverse("grants:application_detail", args=[pk])),
        ("get", reverse("grants:application_receipt", args=[pk])),
        ("get", reverse("grants:application_withdraw", args=[pk])),
        ("post", reverse("grants:application_withdraw", args=[pk])),
        ("post", reverse("grants:application_message", args=[pk])),
        ("get", reverse("grants:decision_letter", args=[pk, decision.pk])),
        ("get", reverse("grants:grant_accept", args=[pk])),
        ("post", reverse("grants:grant_accept", args=[pk])),
        ("get", reverse("grants:report_submit", args=[pk])),
        ("post", reverse("grants:report_submit", args=[pk])),
        ("get", reverse("grants:appeal_submit", args=[pk])),
        ("post", reverse("grants:appeal_submit", args=[pk])),
        ("get", reverse("grants:attachment_download", args=[pk, attachment.pk])),
        ("post", reverse("grants:attachment_remove", args=[pk, attachment.pk])),
        ("post", reverse("grants:application_submit", args=[draft.pk])),
        ("get", reverse("grants:attachment_download", args=[draft.pk, draft_attachment.pk])),
        ("post", reverse("grants:attachment_remove", args=[draft.pk, draft_attachment.pk])),
        ("get", reverse("grants:organisation_detail", args=[draft.organisation_id])),
        ("post", reverse("grants:organisation_detail", args=[draft.organisation_id])),
    ]
    urls += [("get", step_url(draft, step)) for step in rules.STEPS]
    urls += [("post", step_url(draft, step)) for step in rules.STEPS]
    got = {(method, u): getattr(client, method)(u).status_code for method, u in urls}
    assert {key: code for key, code in got.items() if code != 404} == {}
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and draft_attachment.removed_at is None


def test_my_applications_issues_the_same_number_of_queries_for_1_and_10(client, applicant):
    organisation = OrganisationFactory(member=applicant)
    grant_round = GrantRoundFactory()

    def make(n):
        for _ in range(n):
            ApplicationFactory(organisation=organisation, round=grant_round)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("grants:my_applications"))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    make(1)
    one = count()
    make(9)
    assert count() == one
    page = text(client.get(reverse("grants:my_applications")))
    assert page.count("<td>Ny lekeplass i bakgården</td>") == 10


def test_my_applications_shows_a_page_at_a_time_newest_first(client, applicant):
    organisation = OrganisationFactory(member=applicant)
    grant_round = GrantRoundFactory()
    for n in range(30):
        ApplicationFactory(organisation=organisation, round=grant_round, title=f"Tiltak {n:02}")
    url = reverse("grants:my_applications")
    first = text(client.get(url))
    assert "Tiltak 29" in first and "Tiltak 05" in first and "Tiltak 04" not in first
    assert 'href="?side=2"' in first
    second = text(client.get(url, {"side": "2"}))
    assert [n for n in range(30) if f"Tiltak {n:02}<" in second] == list(range(5))


def test_my_applications_says_what_to_do_next(client, users, applicant):
    submitted(applicant)
    draft_for(applicant, title="Benker")
    page = text(client.get(reverse("grants:my_applications")))
    assert "The district is assessing the application." in page
    assert "Finish and submit by" in page
    assert re.search(r"BMT-2026-\d{4}", page)


# --- The case page and after the decision -------------------------------------------------------


def test_case_page_timeline_marks_the_current_stage_in_words(client, applicant):
    application = submitted(applicant)
    html = text(client.get(reverse("grants:application_detail", args=[application.pk])))
    timeline = html[html.index('class="grant-timeline"') :]
    timeline = timeline[: timeline.index("</ol>")]
    assert timeline.count('aria-current="step"') == 1
    current = re.search(r'aria-current="step">(.*?)</li>', timeline, re.S).group(1)
    assert "Submitted" in current and "the case is here now" in current
    assert "Draft started" in html or "Application submitted" in html  # history
    assert reverse("grants:application_withdraw", args=[application.pk]) in html


def test_reply_to_a_request_for_more_information(client, users, applicant):
    application = submitted(applicant)
    handler = users["case_handler"]
    services.case_take(actor=handler, application=application)
    services.impartiality_declare(actor=handler, application=application, impartial=True)
    services.info_request(
        actor=handler,
        application=application,
        body="Send oss tilbudet fra leverandøren.",
        reply_by=timezone.localdate() + timedelta(days=14),
    )
    url = reverse("grants:application_detail", args=[application.pk])
    html = text(client.get(url))
    assert "Send oss tilbudet fra leverandøren." in html
    assert "Answer the district's request" in html

    message_url = reverse("grants:application_message", args=[application.pk])
    response = client.post(message_url, {"body": "  "})
    assert response.status_code == 400
    assert "Write your message." in field_error(text(response), "id_body")

    response = client.post(message_url, {"body": "Tilbudet kommer i morgen."})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW
    reply = application.messages.get(kind=CaseMessage.Kind.REPLY)
    assert reply.body == "Tilbudet kommer i morgen."


@pytest.fixture
def granted(users, applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = decided(users["case_handler"], users["programme_leader"], applicant)
    application.refresh_from_db()  # as the letter left it: notified, with a time to accept
    assert application.status == S.GRANTED and application.accept_by
    return application


def test_decision_letter_downloads_as_pdf_and_is_404_until_ready(client, granted):
    decision = granted.decisions.get()
    url = reverse("grants:decision_letter", args=[granted.pk, decision.pk])
    html = text(client.get(reverse("grants:application_detail", args=[granted.pk])))
    assert url in html
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    Decision.objects.filter(pk=decision.pk).update(letter_status=Decision.LetterStatus.PENDING)
    assert client.get(url).status_code == 404
    assert "being prepared" in text(
        client.get(reverse("grants:application_detail", args=[granted.pk]))
    )


def test_accept_the_grant_after_seeing_the_conditions(client, granted):
    url = reverse("grants:grant_accept", args=[granted.pk])
    html = text(client.get(url))
    assert kr(40_000) in html
    assert granted.accept_by.strftime("%d.%m.%Y") in html

    response = client.post(url, {})
    assert response.status_code == 400
    assert "Tick the box" in field_error(text(response), "id_confirm")

    response = client.post(url, {"confirm": "on"})
    assert response["Location"] == reverse("grants:application_detail", args=[granted.pk])
    granted.refresh_from_db()
    assert granted.status == S.ACCEPTED
    html = text(client.get(response["Location"]))
    assert reverse("grants:report_submit", args=[granted.pk]) in html
    assert url not in html


def test_final_report_with_actual_costs_per_budget_line_and_a_document(client, granted):
    services.grant_accept(actor=granted.applicant, application=granted)
    url = reverse("grants:report_submit", args=[granted.pk])
    lines = list(granted.cost_lines.all())
    html = text(client.get(url))
    assert "Lekeapparater" in html and kr(70_000) in html and kr(30_000) in html
    assert 'enctype="multipart/form-data"' in html

    data = {
        "what_was_done": "Lekeplassen ble bygget på dugnad.",
        "participants": "55",
        "dugnad_hours": "140",
        f"actual_{lines[0].pk}": "72000",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Enter what “Dekke” actually cost." in field_error(
        text(response), f"id_actual_{lines[1].pk}"
    )
    assert "Lekeplassen ble bygget på dugnad." in text(response)

    data[f"actual_{lines[1].pk}"] = "28000"
    data["file"] = pdf_upload("kvitteringer.pdf")
    response = client.post(url, data)
    assert response.status_code == 302
    report = FinalReport.objects.get(application=granted)
    assert report.actual_total == 100_000 and report.participants == 55
    assert Attachment.objects.get(application=granted, for_report=True).original_name == (
        "kvitteringer.pdf"
    )
    granted.refresh_from_db()
    assert granted.status == S.REPORT_SUBMITTED


def test_appeal_before_and_after_the_deadline(
    client, users, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = decided(
            users["case_handler"],
            users["programme_leader"],
            applicant,
            outcome=Recommendation.REJECT,
        )
    decision = application.decisions.get()
    url = reverse("grants:appeal_submit", args=[application.pk])
    html = text(client.get(url))
    assert decision.appeal_deadline.strftime("%d.%m.%Y") in html
    assert "registered as late" not in html

    Decision.objects.filter(pk=decision.pk).update(
        appeal_deadline=timezone.localdate() - timedelta(days=1)
    )
    html = text(client.get(url))
    assert "registered as late" in html and "still received" in html

    response = client.post(url, {"text": ""})
    assert response.status_code == 400
    response = client.post(url, {"text": "Vi mener tiltaket oppfyller kravene."})
    assert response.status_code == 302
    appeal = Appeal.objects.get(application=application)
    assert appeal.is_late
    html = text(client.get(response["Location"]))
    assert "registered as late" in html  # the message after sending
    assert url not in html  # no second appeal while this one is handled


def test_withdraw_before_the_decision(client, applicant):
    application = submitted(applicant)
    url = reverse("grants:application_withdraw", args=[application.pk])
    assert application.reference in text(client.get(url))
    response = client.post(url, {"reason": "Styret har funnet annen finansiering."})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    html = text(client.get(reverse("grants:application_detail", args=[application.pk])))
    assert "Styret har funnet annen finansiering." in html
    assert url not in html
    timeline = html[html.index('class="grant-timeline"') :]
    current = re.search(r'aria-current="step">(.*?)</li>', timeline, re.S).group(1)
    assert "Withdrawn" in current
    # Once withdrawn there is nothing more to withdraw.
    assert client.post(url, {}).status_code == 400
