"""The district's grant pages over HTTP: the queue, the case file and every action on it, the
rounds with their figures, and the downloads."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from areas.models import Area
from core.formatting import kroner
from grants import services
from grants.models import (
    Appeal,
    Assessment,
    CaseEvent,
    Decision,
    FinalReport,
    GrantApplication,
    GrantRound,
    Payment,
    Recommendation,
)
from tests.accounts.factories import UserFactory, make_user
from tests.grants.factories import (
    MINIMAL_PDF,
    GrantRoundFactory,
    OrganisationFactory,
    assessed,
    decided,
    submitted,
)

pytestmark = pytest.mark.django_db

S = GrantApplication.Status
ALNA_AREA = "trosterud-og-haugerud"


@pytest.fixture(autouse=True)
def _english():
    """The pages in English, the source language: URLs reversed here carry the /en/ prefix."""
    with translation.override("en"):
        yield


def queue_url(query: str = "") -> str:
    return reverse("grants:staff_queue") + query


def rounds_url() -> str:
    return reverse("grants:staff_rounds")


def case_url(application, action: str | None = None) -> str:
    if action is None:
        return reverse("grants:staff_case", kwargs={"pk": application.pk})
    return reverse(f"grants:case_{action}", kwargs={"pk": application.pk})


def kr(amount: int) -> str:
    """Money as the page shows it, no-break spaces read as spaces (like ``html_of``)."""
    return kroner(amount).replace("\xa0", " ")


def html_of(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def alna_case(**kwargs) -> GrantApplication:
    return submitted(area=Area.objects.get(slug=ALNA_AREA), **kwargs)


def named_case(name: str, **kwargs) -> GrantApplication:
    """A submitted case from an organisation called ``name`` (``email`` optional)."""
    applicant = UserFactory()
    org_fields = {"name": name, "member": applicant}
    if "email" in kwargs:
        org_fields["email"] = kwargs.pop("email")
    return submitted(applicant, organisation=OrganisationFactory(**org_fields), **kwargs)


def _letter_ready(application: GrantApplication, *, appeal_deadline=None) -> Decision:
    """What the letter task does, without rendering a PDF: the letter is out, deadlines run."""
    decision = application.decisions.get(superseded_by__isnull=True)
    decision.letter.save(f"vedtak-{decision.pk}.pdf", ContentFile(MINIMAL_PDF), save=False)
    decision.letter_status = Decision.LetterStatus.READY
    decision.notified_at = timezone.now()
    decision.appeal_deadline = appeal_deadline or timezone.localdate() + timedelta(weeks=3)
    decision.save()
    if decision.is_grant:
        GrantApplication.objects.filter(pk=application.pk).update(
            accept_by=timezone.localdate() + timedelta(days=28)
        )
    return decision


def accepted(users, **kwargs) -> GrantApplication:
    application = decided(users["case_handler"], users["programme_leader"], **kwargs)
    _letter_ready(application)
    services.grant_accept(actor=application.applicant, application=application)
    application.refresh_from_db()
    return application


def taken(handler, **kwargs) -> GrantApplication:
    application = submitted(**kwargs)
    services.case_take(actor=handler, application=application)
    services.impartiality_declare(actor=handler, application=application, impartial=True)
    return application


# --- The queue ----------------------------------------------------------------------------------


def test_queue_lists_the_cases_of_the_users_own_districts_only(client, users):
    bjerke = named_case("Veitvet velforening")
    alna = named_case("Haugerud borettslag", area=Area.objects.get(slug=ALNA_AREA))

    client.force_login(users["case_handler"])
    html = html_of(client.get(queue_url()))
    assert bjerke.reference in html and "Veitvet velforening" in html
    assert alna.reference not in html and "Haugerud borettslag" not in html

    client.force_login(users["other_district_leader"])
    html = html_of(client.get(queue_url()))
    assert alna.reference in html
    assert bjerke.reference not in html

    client.force_login(users["secretariat"])
    html = html_of(client.get(queue_url()))
    assert bjerke.reference in html and alna.reference in html


def test_queue_row_shows_what_a_handler_needs_to_pick_a_case(client, users):
    application = named_case("Sletteløkka borettslag")
    client.force_login(users["case_handler"])
    html = html_of(client.get(queue_url()))
    assert "<caption>" in html
    assert application.title in html
    assert kr(40_000) in html
    assert "Veitvet og Sletteløkka" in html
    assert (
        application.submitted_at.astimezone(timezone.get_current_timezone()).strftime("%d.%m.%Y")
        in html
    )


def test_queue_filters_narrow_the_users_scope_and_never_widen_it(client, users):
    handler = users["case_handler"]
    other_round = GrantRoundFactory(title="Høstrunden")
    mine = taken(handler)
    free = submitted(round=other_round, area=Area.objects.get(slug="linderud"))
    done = decided(handler, users["programme_leader"])
    alna = alna_case()
    client.force_login(handler)

    def refs(query: str) -> set[str]:
        html = html_of(client.get(queue_url(query)))
        return {a.reference for a in (mine, free, done, alna) if f">{a.reference}</a>" in html}

    assert refs("") == {mine.reference, free.reference}
    assert refs("?status=all") == {mine.reference, free.reference, done.reference}
    assert refs(f"?status={S.GRANTED}") == {done.reference}
    assert refs("?assignee=me") == {mine.reference}
    assert refs("?assignee=unassigned") == {free.reference}
    assert refs(f"?assignee={handler.pk}") == {mine.reference}
    assert refs(f"?round={other_round.pk}") == {free.reference}
    assert refs(f"?area={Area.objects.get(slug='linderud').pk}") == {free.reference}
    # Another district's area is not a choice: the filter cannot reach beyond the user's scope.
    response = client.get(queue_url(f"?area={alna.area_id}&status=all"))
    assert response.status_code == 200
    assert alna.reference not in html_of(response)
    assert "Trosterud og Haugerud" not in html_of(client.get(queue_url()))


def test_queue_deadline_filter_finds_information_requests_due_by_the_date(client, users):
    handler = users["case_handler"]
    waiting = taken(handler)
    due = timezone.localdate() + timedelta(days=5)
    services.info_request(actor=handler, application=waiting, body="Send tilbud.", reply_by=due)
    other = submitted()
    client.force_login(handler)

    html = html_of(client.get(queue_url(f"?due_before={due.isoformat()}")))
    assert waiting.reference in html and other.reference not in html
    assert f"Reply by {due.strftime('%d.%m.%Y')}" in html
    early = (due - timedelta(days=1)).isoformat()
    assert waiting.reference not in html_of(client.get(queue_url(f"?due_before={early}")))


def test_queue_pages_by_25(client, users):
    for _ in range(26):
        submitted()
    client.force_login(users["case_handler"])
    html = html_of(client.get(queue_url()))
    assert "26 cases" in html
    assert html.count("/intern/tilskudd/saker/") == 25
    assert "side=2" in html
    assert html_of(client.get(queue_url("?side=2"))).count("/intern/tilskudd/saker/") == 1


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_queue_queries_do_not_grow_with_the_number_of_cases(client, users):
    handler = users["case_handler"]
    client.force_login(handler)
    taken(handler)
    one = _count(client, queue_url())
    for i in range(19):
        (taken(handler) if i % 2 else submitted())
    assert GrantApplication.objects.count() == 20
    assert _count(client, queue_url()) == one


def _grow_the_file(application, leader, n: int) -> None:
    """Add ``n`` of everything the case page lists: messages both ways (and their events),
    payments, attachments, impartiality declarations, decisions superseding each other and the
    appeals against them."""
    from grants.models import Attachment, AttachmentKind, ImpartialityDeclaration

    handler = application.assigned_to
    for i in range(n):
        services.staff_message(actor=handler, application=application, body=f"Hei {i}")
        services.applicant_message(
            actor=application.applicant, application=application, body=f"Svar {i}"
        )
        services.payment_register(
            actor=handler, application=application, amount=100, paid_on=timezone.localdate()
        )
        Attachment.objects.create(
            application=application,
            kind=AttachmentKind.REPORT_DOCUMENTATION,
            original_name=f"bilde-{i}.pdf",
            content_type="application/pdf",
            extension="pdf",
            size=100,
            for_report=True,
            uploaded_by=application.applicant,
        )
        colleague = make_user("case_handler", application.area.district)
        ImpartialityDeclaration.objects.create(
            application=application, user=colleague, impartial=True
        )
        current = Decision.objects.filter(application=application, superseded_by__isnull=True).get()
        decision = Decision.objects.create(
            application=application,
            outcome=Recommendation.APPROVE,
            amount=application.amount_applied,
            legal_basis=current.legal_basis,
            appeal_body=current.appeal_body,
            decided_by=leader,
            on_appeal=True,
            supersedes=current,
            appeal_deadline=current.appeal_deadline,
        )
        Appeal.objects.create(
            application=application,
            decision=current,
            text=f"Klage {i}",
            submitted_by=application.applicant,
            status=Appeal.Status.CHANGED,
            handler_assessment="Vurdert.",
            handler_advice=Appeal.Advice.CHANGE,
            prepared_by=handler,
            prepared_at=timezone.now(),
            handled_by=leader,
        )
        assert decision.pk


@pytest.mark.parametrize("viewer", ["case_handler", "programme_leader"])
def test_case_page_queries_do_not_grow_with_anything_on_the_page(client, users, viewer):
    """The same number of queries with one of each thing on the page as with five: history,
    decisions, payments, attachments, messages, appeals and declarations."""
    leader = users["programme_leader"]
    small, large = accepted(users), accepted(users)
    _grow_the_file(small, leader, 1)
    _grow_the_file(large, leader, 5)
    client.force_login(users[viewer])

    one = _count(client, case_url(small))
    five = _count(client, case_url(large))

    assert large.events.count() > small.events.count() + 10
    assert large.decisions.count() == 6 and large.appeals.count() == 5
    assert large.payments.count() == 5 and large.impartiality_declarations.count() >= 7
    assert five == one


# --- Who may see what ---------------------------------------------------------------------------


def test_board_sees_round_figures_but_no_case_and_no_personal_data(client, users):
    application = named_case("Hemmelig borettslag", email="styret@hemmelig.no")
    client.force_login(users["board"])

    assert client.get(queue_url()).status_code == 403
    assert client.get(case_url(application)).status_code == 404
    response = client.get(rounds_url())
    assert response.status_code == 200
    html = html_of(response)
    assert application.round.title in html
    assert kr(40_000) in html  # the sum applied for
    assert "Hemmelig borettslag" not in html
    assert "hemmelig.no" not in html
    assert application.applicant.email not in html
    assert application.reference not in html
    assert "New round" not in html


def test_project_leader_and_resident_are_refused_and_anonymous_sent_to_login(client, users):
    application = submitted()
    for role in ("project_leader", "resident"):
        client.force_login(users[role])
        assert client.get(queue_url()).status_code == 403
        assert client.get(case_url(application)).status_code == 404
    client.logout()
    response = client.get(queue_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_secretariat_reads_the_case_file_but_has_no_action_forms(client, users):
    application = submitted()
    client.force_login(users["secretariat"])
    html = html_of(client.get(case_url(application)))
    assert application.reference in html
    assert "What you can do" not in html
    assert case_url(application, "take") not in html
    assert client.post(case_url(application, "take")).status_code == 403


# --- The case file ------------------------------------------------------------------------------


def test_case_page_shows_the_whole_file(client, users):
    handler = users["case_handler"]
    application = taken(handler)
    services.staff_message(actor=handler, application=application, body="Velkommen til saken.")
    client.force_login(handler)
    html = html_of(client.get(case_url(application)))

    organisation = application.organisation
    assert organisation.name in html
    assert f"{organisation.org_number[:3]} {organisation.org_number[3:6]}" in html
    assert "8601 11 17947" in html
    assert "Sletteløkka 10, 0597 Oslo" in html
    assert "Lekeapparater" in html and kr(70_000) in html
    assert kr(100_000) in html  # total cost
    assert "50.0 % of the total cost" in html
    assert "styrevedtak.pdf" in html
    attachment = application.attachments.get()
    assert (
        reverse(
            "grants:staff_attachment", kwargs={"pk": application.pk, "attachment_pk": attachment.pk}
        )
        in html
    )
    assert "Velkommen til saken." in html
    # Every event, and which ones the applicant sees.
    assert "Application submitted" in html
    assert "Impartiality declared" in html
    assert "No, internal" in html


def test_attachment_download_is_the_stored_file(client, users):
    application = submitted()
    attachment = application.attachments.get()
    client.force_login(users["case_handler"])
    url = reverse(
        "grants:staff_attachment", kwargs={"pk": application.pk, "attachment_pk": attachment.pk}
    )
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert "styrevedtak.pdf" in response["Content-Disposition"]
    client.force_login(users["other_district_leader"])
    assert client.get(url).status_code == 404


def test_decision_letter_is_404_until_ready_then_downloads(client, users):
    application = decided(users["case_handler"], users["programme_leader"])
    decision = application.decisions.get()
    url = reverse(
        "grants:staff_decision_letter", kwargs={"pk": application.pk, "decision_pk": decision.pk}
    )
    client.force_login(users["case_handler"])
    assert client.get(url).status_code == 404
    assert "Being prepared" in html_of(client.get(case_url(application)))

    _letter_ready(application)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert url in html_of(client.get(case_url(application)))


# --- Actions ------------------------------------------------------------------------------------


def test_take_and_release(client, users):
    handler = users["case_handler"]
    application = submitted()
    client.force_login(handler)

    response = client.post(case_url(application, "take"), follow=True)
    assert response.redirect_chain[-1][0] == case_url(application)
    assert "You have taken the case." in html_of(response)
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW and application.assigned_to == handler

    response = client.post(case_url(application, "release"), follow=True)
    assert "back in the queue" in html_of(response)
    application.refresh_from_db()
    assert application.assigned_to is None and application.status == S.SUBMITTED


def test_impartiality_comes_before_the_assessment_form(client, users):
    handler = users["case_handler"]
    application = submitted()
    services.case_take(actor=handler, application=application)
    client.force_login(handler)

    html = html_of(client.get(case_url(application)))
    assert 'id="impartiality"' in html and 'id="assess"' not in html

    response = client.post(case_url(application, "impartiality"), {"impartiality-impartial": "yes"})
    assert response.status_code == 302
    html = html_of(client.get(case_url(application)))
    assert 'id="impartiality"' not in html and 'id="assess"' in html
    assert "Internal notes (never shown to the applicant)" in html
    assert "Nytte for beboerne" in html  # a criterion, as the label of its score


def test_not_impartial_needs_a_note_and_takes_the_handler_off(client, users):
    handler = users["case_handler"]
    application = submitted()
    services.case_take(actor=handler, application=application)
    client.force_login(handler)

    response = client.post(case_url(application, "impartiality"), {"impartiality-impartial": "no"})
    assert response.status_code == 400
    assert 'id="id_impartiality-note_error"' in html_of(response)
    assert "Say briefly why you are not impartial." in html_of(response)

    response = client.post(
        case_url(application, "impartiality"),
        {"impartiality-impartial": "no", "impartiality-note": "Jeg bor i borettslaget."},
        follow=True,
    )
    html = html_of(response)
    assert "taken off the case" in html
    application.refresh_from_db()
    assert application.assigned_to is None
    assert "You have declared that you are not impartial" in html
    assert 'id="assess"' not in html


def test_assess_saves_scores_by_criterion(client, users):
    handler = users["case_handler"]
    application = taken(handler)
    client.force_login(handler)
    response = client.post(
        case_url(application, "assess"),
        {
            "assess-score_0": "4",
            "assess-score_1": "5",
            "assess-score_2": "3",
            "assess-recommendation": Recommendation.PARTIAL,
            "assess-recommended_amount": "30000",
            "assess-reasons": "Budsjettet er stramt.",
            "assess-internal_notes": "Ring styreleder.",
        },
        follow=True,
    )
    assert "The assessment is saved." in html_of(response)
    assessment = Assessment.objects.get(application=application)
    assert assessment.scores == {"Nytte for beboerne": 4, "Medvirkning": 5, "Gjennomførbarhet": 3}
    assert assessment.recommended_amount == 30000
    assert assessment.internal_notes == "Ring styreleder."
    # The form is filled in again from the saved assessment.
    assert "Ring styreleder." in html_of(response)


def test_assess_before_declaring_impartiality_is_refused_on_the_form_keeping_input(client, users):
    handler = users["case_handler"]
    application = submitted()
    services.case_take(actor=handler, application=application)
    client.force_login(handler)
    response = client.post(
        case_url(application, "assess"),
        {"assess-score_0": "2", "assess-internal_notes": "Mine notater om saken"},
    )
    assert response.status_code == 400
    html = html_of(response)
    assert "Declare that you are impartial in this case before you go on." in html
    assert "Mine notater om saken" in html
    assert not Assessment.objects.exists()


def test_info_request_puts_the_case_on_hold_and_emails_the_applicant(
    client, users, django_capture_on_commit_callbacks
):
    handler = users["case_handler"]
    application = taken(handler)
    client.force_login(handler)
    reply_by = timezone.localdate() + timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            case_url(application, "info_request"),
            {
                "info_request-body": "Send oss tilbudet fra leverandøren.",
                "info_request-reply_by": reply_by.isoformat(),
            },
            follow=True,
        )
    assert "the applicant is emailed" in html_of(response)
    application.refresh_from_db()
    assert application.status == S.AWAITING_INFO
    assert len(mail.outbox) == 1
    assert application.applicant.email in mail.outbox[0].to
    assert "Send oss tilbudet fra leverandøren." in html_of(response)


def test_empty_info_request_is_400_on_the_body_field(client, users):
    handler = users["case_handler"]
    application = taken(handler)
    client.force_login(handler)
    response = client.post(case_url(application, "info_request"), {"info_request-body": ""})
    assert response.status_code == 400
    assert 'id="id_info_request-body_error"' in html_of(response)


def test_message_to_the_applicant(client, users, django_capture_on_commit_callbacks):
    handler = users["case_handler"]
    application = submitted()
    client.force_login(handler)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            case_url(application, "message"), {"message-body": "Vi ser på saken."}, follow=True
        )
    assert "The message is sent" in html_of(response)
    assert "Vi ser på saken." in html_of(response)
    assert len(mail.outbox) == 1


def test_propose_sends_the_assessment_to_the_programme_leader(client, users):
    handler = users["case_handler"]
    application = taken(handler)
    services.assessment_save(
        actor=handler,
        application=application,
        scores={"Medvirkning": 4},
        recommendation=Recommendation.APPROVE,
    )
    client.force_login(handler)
    response = client.post(case_url(application, "propose"), follow=True)
    assert "proposed to the programme leader" in html_of(response)
    application.refresh_from_db()
    assert application.status == S.PROPOSED


def test_propose_with_a_partial_recommendation_without_reasons_shows_why(client, users):
    handler = users["case_handler"]
    application = taken(handler)
    services.assessment_save(
        actor=handler,
        application=application,
        scores={},
        recommendation=Recommendation.PARTIAL,
        recommended_amount=20000,
    )
    client.force_login(handler)
    response = client.post(case_url(application, "propose"))
    assert response.status_code == 400
    assert "Give the reasons" in html_of(response)
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW


def test_programme_leader_declares_impartiality_then_decides_prefilled(client, users):
    leader = users["programme_leader"]
    application = assessed(
        users["case_handler"], recommendation=Recommendation.PARTIAL, amount=25000
    )
    client.force_login(leader)
    html = html_of(client.get(case_url(application)))
    assert 'id="impartiality"' in html and 'id="decide"' not in html
    client.post(case_url(application, "impartiality"), {"impartiality-impartial": "yes"})

    html = html_of(client.get(case_url(application)))
    assert 'id="decide"' in html
    assert 'value="25000"' in html  # prefilled from the assessment
    assert "Begrenset budsjett." in html

    response = client.post(
        case_url(application, "decide"),
        {
            "decide-outcome": Recommendation.PARTIAL,
            "decide-amount": "25000",
            "decide-reasons": "Begrenset budsjett.",
            "decide-conditions": "Bilder av resultatet.",
        },
        follow=True,
    )
    assert "The decision is made" in html_of(response)
    decision = Decision.objects.get(application=application)
    assert decision.amount == 25000 and decision.decided_by == leader
    application.refresh_from_db()
    assert application.status == S.GRANTED


def test_decision_without_reasons_is_400_on_the_reasons_field_keeping_input(client, users):
    leader = users["programme_leader"]
    application = assessed(users["case_handler"])
    services.impartiality_declare(actor=leader, application=application, impartial=True)
    client.force_login(leader)
    response = client.post(
        case_url(application, "decide"),
        {
            "decide-outcome": Recommendation.REJECT,
            "decide-conditions": "Mine betingelser",
        },
    )
    assert response.status_code == 400
    html = html_of(response)
    assert 'id="id_decide-reasons_error"' in html
    assert "Mine betingelser" in html
    assert not Decision.objects.exists()


def test_four_eyes_refusal_is_shown_on_the_decision_form(client, users):
    leader = users["programme_leader"]
    application = assessed(leader)  # the leader assessed it: four eyes forbid deciding it
    client.force_login(leader)
    html = html_of(client.get(case_url(application)))
    assert "Four eyes: you assessed this case" in html

    response = client.post(
        case_url(application, "decide"),
        {"decide-outcome": Recommendation.APPROVE, "decide-reasons": "Bra søknad."},
    )
    assert response.status_code == 400
    html = html_of(response)
    assert "Four eyes: you assessed this case, so another programme leader must decide it." in html
    assert "Bra søknad." in html
    assert not Decision.objects.exists()


def test_case_handler_may_not_decide(client, users):
    application = assessed(users["case_handler"])
    client.force_login(users["case_handler"])
    response = client.post(case_url(application, "decide"), {"decide-outcome": "innvilg"})
    assert response.status_code == 403


def test_payment_is_registered_and_overpayment_refused_on_the_amount(client, users):
    application = accepted(users)
    client.force_login(users["case_handler"])
    html = html_of(client.get(case_url(application)))
    assert 'id="payment"' in html

    response = client.post(
        case_url(application, "payment"),
        {"payment-amount": "50000", "payment-paid_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert 'id="id_payment-amount_error"' in html_of(response)
    assert f"more than the {kr(40_000)} granted" in html_of(response)
    assert 'value="50000"' in html_of(response)
    assert not Payment.objects.exists()

    response = client.post(
        case_url(application, "payment"),
        {
            "payment-amount": "15000",
            "payment-paid_on": timezone.localdate().isoformat(),
            "payment-note": "Første utbetaling",
        },
        follow=True,
    )
    assert "The payment is registered." in html_of(response)
    assert Payment.objects.get(application=application).amount == 15000
    assert f"{kr(25_000)} left" in html_of(response)


def _with_report(users) -> GrantApplication:
    application = accepted(users)
    services.report_submit(
        actor=application.applicant,
        application=application,
        what_was_done="Lekeplassen er bygget.",
        participants=55,
        dugnad_hours=140,
        actuals={line.pk: line.amount + 1000 for line in application.cost_lines.all()},
    )
    application.refresh_from_db()
    return application


def test_report_review_returns_with_a_comment_or_approves_and_closes(client, users):
    application = _with_report(users)
    client.force_login(users["case_handler"])
    html = html_of(client.get(case_url(application)))
    assert "Lekeplassen er bygget." in html
    assert kr(71_000) in html  # the actual cost next to the budgeted 70 000 kr

    response = client.post(case_url(application, "report_review"), {"report_review-approve": "no"})
    assert response.status_code == 400
    assert 'id="id_report_review-note_error"' in html_of(response)

    response = client.post(
        case_url(application, "report_review"),
        {"report_review-approve": "no", "report_review-note": "Legg ved kvitteringer."},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.ACCEPTED
    assert application.final_report.status == FinalReport.Status.RETURNED

    services.report_submit(
        actor=application.applicant,
        application=application,
        what_was_done="Lekeplassen er bygget. Kvitteringer vedlagt.",
        participants=55,
        dugnad_hours=140,
        actuals={line.pk: line.amount for line in application.cost_lines.all()},
    )
    response = client.post(
        case_url(application, "report_review"), {"report_review-approve": "yes"}, follow=True
    )
    assert "the case is closed" in html_of(response)
    application.refresh_from_db()
    assert application.status == S.CLOSED


def _appealed(users, *, late=False) -> GrantApplication:
    application = decided(
        users["case_handler"],
        users["programme_leader"],
        outcome=Recommendation.PARTIAL,
        amount=20000,
    )
    deadline = timezone.localdate() - timedelta(days=1) if late else None
    _letter_ready(application, appeal_deadline=deadline)
    services.appeal_submit(
        actor=application.applicant, application=application, text="Vi trenger hele beløpet."
    )
    application.refresh_from_db()
    return application


def test_appeal_change_makes_a_new_decision(client, users):
    application = _appealed(users)
    client.force_login(users["programme_leader"])
    html = html_of(client.get(case_url(application)))
    assert "Vi trenger hele beløpet." in html
    assert 'id="appeal_change"' in html and 'id="appeal_forward"' in html
    assert "Late appeal" not in html

    response = client.post(
        case_url(application, "appeal_change"),
        {
            "appeal_change-outcome": Recommendation.APPROVE,
            "appeal_change-assessment": "Klagen har noe for seg.",
        },
        follow=True,
    )
    assert "The decision is changed" in html_of(response)
    appeal = Appeal.objects.get(application=application)
    assert appeal.status == Appeal.Status.CHANGED
    current = Decision.objects.get(application=application, superseded_by__isnull=True)
    assert current.on_appeal and current.amount == 40000
    assert "Superseded" in html_of(response)


def test_appeal_forward_then_outcome(client, users):
    application = _appealed(users)
    client.force_login(users["programme_leader"])

    response = client.post(case_url(application, "appeal_forward"), {})
    assert response.status_code == 400
    assert 'id="id_appeal_forward-assessment_error"' in html_of(response)

    response = client.post(
        case_url(application, "appeal_forward"),
        {"appeal_forward-assessment": "Bydelen står ved vedtaket."},
        follow=True,
    )
    assert "forwarded to the appeal body" in html_of(response)
    assert Appeal.objects.get().status == Appeal.Status.FORWARDED
    assert 'id="appeal_outcome"' in html_of(response)

    response = client.post(
        case_url(application, "appeal_outcome"),
        {
            "appeal_outcome-status": Appeal.Status.ALLOWED,
            "appeal_outcome-note": "Klagenemnda gir medhold.",
            "appeal_outcome-amount": "35000",
        },
        follow=True,
    )
    assert "outcome is recorded" in html_of(response)
    assert Appeal.objects.get().status == Appeal.Status.ALLOWED
    current = Decision.objects.get(application=application, superseded_by__isnull=True)
    assert current.amount == 35000 and current.on_appeal


def test_late_appeal_is_flagged_prominently(client, users):
    application = _appealed(users, late=True)
    client.force_login(users["programme_leader"])
    html = html_of(client.get(case_url(application)))
    assert "Late appeal" in html
    assert "Received after the deadline" in html


def test_case_handler_may_not_handle_appeals(client, users):
    application = _appealed(users)
    client.force_login(users["case_handler"])
    assert 'id="appeal_change"' not in html_of(client.get(case_url(application)))
    response = client.post(
        case_url(application, "appeal_forward"), {"appeal_forward-assessment": "Nei."}
    )
    assert response.status_code == 403
    assert Appeal.objects.get().status == Appeal.Status.RECEIVED


def test_the_case_handler_prepares_the_appeal_and_the_programme_leader_decides(client, users):
    application = _appealed(users)
    client.force_login(users["case_handler"])
    html = html_of(client.get(case_url(application)))
    assert 'id="appeal_prepare"' in html
    assert 'id="appeal_change"' not in html and 'id="appeal_forward"' not in html

    response = client.post(case_url(application, "appeal_prepare"), {})
    assert response.status_code == 400
    assert 'id="id_appeal_prepare-assessment_error"' in html_of(response)
    assert 'id="id_appeal_prepare-advice_error"' in html_of(response)

    response = client.post(
        case_url(application, "appeal_prepare"),
        {
            "appeal_prepare-assessment": "Klagen bringer ikke fram nye opplysninger.",
            "appeal_prepare-advice": Appeal.Advice.KEEP,
        },
        follow=True,
    )
    assert "Your preparation of the appeal is saved" in html_of(response)
    appeal = Appeal.objects.get(application=application)
    assert appeal.status == Appeal.Status.RECEIVED
    assert appeal.prepared_by == users["case_handler"]

    client.force_login(users["programme_leader"])
    html = html_of(client.get(case_url(application)))
    assert "The case handler's preparation (internal)" in html
    assert "Keep the decision and forward the appeal" in html
    # The programme leader's forms start from the handler's assessment.
    assert html.count("Klagen bringer ikke fram nye opplysninger.") >= 3
    assert 'id="appeal_change"' in html and 'id="appeal_forward"' in html
    client.force_login(application.applicant)
    applicant_page = html_of(
        client.get(reverse("grants:application_detail", args=[application.pk]))
    )
    assert "Klagen bringer ikke fram" not in applicant_page


def test_the_programme_leader_returns_the_proposal_to_the_case_handler(client, users):
    application = assessed(users["case_handler"])
    client.force_login(users["programme_leader"])
    assert 'id="return_proposal"' in html_of(client.get(case_url(application)))

    response = client.post(
        case_url(application, "return_proposal"),
        {"return_proposal-note": "Begrunn poengene for medvirkning."},
        follow=True,
    )

    assert "The proposal is returned to the case handler." in html_of(response)
    assert GrantApplication.objects.get(pk=application.pk).status == S.IN_REVIEW
    client.force_login(users["case_handler"])
    html = html_of(client.get(case_url(application)))
    assert "Begrunn poengene for medvirkning." in html
    assert 'id="propose"' in html


def test_an_action_the_case_has_moved_past_says_why_on_the_page(client, users):
    """A colleague was quicker: the form comes back with the reason, not a bare 403."""
    handler = users["case_handler"]
    application = submitted()
    client.force_login(handler)
    services.case_take(actor=users["programme_leader"], application=application)
    services.impartiality_declare(
        actor=users["programme_leader"], application=application, impartial=True
    )
    services.assessment_save(
        actor=users["programme_leader"],
        application=application,
        scores={},
        recommendation=Recommendation.APPROVE,
    )
    services.decision_propose(actor=users["programme_leader"], application=application)

    response = client.post(case_url(application, "take"))

    assert response.status_code == 400
    assert "Only cases under assessment can be taken." in html_of(response)
    assert GrantApplication.objects.get(pk=application.pk).assigned_to == users["programme_leader"]


def test_history_marks_internal_steps(client, users):
    application = assessed(users["case_handler"])
    client.force_login(users["programme_leader"])
    html = html_of(client.get(case_url(application)))
    events = CaseEvent.objects.filter(application=application)
    assert events.filter(visible_to_applicant=False).exists()
    for event in events:
        assert str(event.get_kind_display()) in html
    assert "recommendation: Approve in full" in html


# --- Rounds -------------------------------------------------------------------------------------


def _round_data(**overrides) -> dict:
    areas = Area.objects.filter(slug__in=["linderud", "veitvet-og-slettelokka"])
    data = {
        "title": "Bomiljøtilskudd 2027",
        "slug": "bomiljotilskudd-2027",
        "year": "2027",
        "opens_at": "2027-01-29T09:00",
        "closes_at": "2027-04-15T23:59",
        "areas": [str(a.pk) for a in areas],
        "applicant_kinds": ["borettslag", "sameie"],
        "budget": "3000000",
        "min_own_share_percent": "30",
        "max_city_share_percent": "70",
        "max_amount": "300000",
        "required_attachments": ["styrevedtak", "tilbud"],
        "acceptance_days": "28",
        "report_deadline": "2028-03-01",
        "criteria": "Nytte for beboerne\nMedvirkning",
        "four_eyes": "on",
        "legal_basis": "Retningslinjer for bomiljøtilskudd",
        "appeal_body": "Oslo kommunes klagenemnd",
        "is_published": "on",
    }
    return data | overrides


def test_secretariat_creates_a_round_in_oslo_time(client, users):
    client.force_login(users["secretariat"])
    assert client.get(reverse("grants:staff_round_create")).status_code == 200
    response = client.post(reverse("grants:staff_round_create"), _round_data(), follow=True)
    assert "is saved" in html_of(response)
    grant_round = GrantRound.objects.get(slug="bomiljotilskudd-2027")
    opens = timezone.localtime(grant_round.opens_at)
    assert (opens.hour, opens.minute) == (9, 0)
    assert str(opens.tzinfo) == "Europe/Oslo"
    assert grant_round.applicant_kinds == ["borettslag", "sameie"]
    assert set(grant_round.areas.values_list("slug", flat=True)) == {
        "linderud",
        "veitvet-og-slettelokka",
    }
    assert "Bomiljøtilskudd 2027" in html_of(response)


def test_round_closing_before_it_opens_is_refused_on_the_closing_field(client, users):
    client.force_login(users["secretariat"])
    response = client.post(
        reverse("grants:staff_round_create"),
        _round_data(closes_at="2027-01-01T12:00"),
    )
    assert response.status_code == 400
    html = html_of(response)
    assert 'id="id_closes_at_error"' in html
    assert "The round must close after it opens." in html
    assert 'value="Bomiljøtilskudd 2027"' in html  # what was typed is kept
    assert not GrantRound.objects.filter(slug="bomiljotilskudd-2027").exists()


def test_secretariat_edits_a_round_and_others_may_not(client, users):
    grant_round = GrantRoundFactory(title="Gammel tittel")
    url = reverse("grants:staff_round_edit", kwargs={"slug": grant_round.slug})
    client.force_login(users["programme_leader"])
    assert client.get(url).status_code == 403
    assert client.post(url, _round_data(slug=grant_round.slug)).status_code == 403

    client.force_login(users["secretariat"])
    html = html_of(client.get(url))
    assert 'value="Gammel tittel"' in html
    response = client.post(url, _round_data(slug=grant_round.slug, title="Ny tittel"))
    assert response.status_code == 302
    grant_round.refresh_from_db()
    assert grant_round.title == "Ny tittel"


def test_round_service_refuses_anyone_but_the_secretariat(users):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.round_save(
            actor=users["programme_leader"],
            areas=Area.objects.all(),
            title="Uautorisert",
        )


def test_rounds_page_offers_create_and_edit_to_the_secretariat_only(client, users):
    grant_round = GrantRoundFactory()
    edit = reverse("grants:staff_round_edit", kwargs={"slug": grant_round.slug})
    client.force_login(users["secretariat"])
    html = html_of(client.get(rounds_url()))
    assert reverse("grants:staff_round_create") in html and edit in html
    client.force_login(users["case_handler"])
    html = html_of(client.get(rounds_url()))
    assert grant_round.title in html
    assert edit not in html


def test_staff_home_links_to_the_grant_pages_for_those_who_may_see_them(client, users):
    queue, rounds = f'href="{queue_url()}"', f'href="{rounds_url()}"'
    client.force_login(users["case_handler"])
    html = html_of(client.get(reverse("staff_home")))
    assert queue in html and rounds in html
    client.force_login(users["board"])
    html = html_of(client.get(reverse("staff_home")))
    assert queue not in html and rounds in html
    client.force_login(users["project_leader"])
    html = html_of(client.get(reverse("staff_home")))
    assert queue not in html and rounds not in html


def test_round_figures_need_a_case_role_or_the_board(client):
    user = make_user("project_leader", Area.objects.get(slug="linderud").district)
    client.force_login(user)
    assert client.get(rounds_url()).status_code == 403
