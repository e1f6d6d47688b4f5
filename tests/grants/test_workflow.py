"""The district's side of a grant case and everything after the decision, through the services:
take, release, impartiality, assessment, information requests, proposal, decision, letter,
acceptance, payments, final report, appeals and lapsing. For each write: the happy path, each
refusal (which writes nothing) and the case-history row, with who may see it."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from grants import deadlines, selectors, services
from grants.models import (
    Appeal,
    Assessment,
    CaseEvent,
    CaseMessage,
    Decision,
    FinalReport,
    GrantApplication,
    Recommendation,
)
from tests.accounts.factories import UserFactory

from .factories import (
    GrantRoundFactory,
    OrganisationFactory,
    assessed,
    decided,
    draft_for,
    grant_rows,
    letter_sent,
    submitted,
)

pytestmark = pytest.mark.django_db

S = GrantApplication.Status
K = CaseEvent.Kind
R = Recommendation

SCORES = {"Nytte for beboerne": 4, "Medvirkning": 5, "Gjennomførbarhet": 3}
# Roles that may not handle a Bjerke case; "member" is someone acting for the applicant.
NOT_HANDLERS = [
    "resident",
    "project_leader",
    "other_district_leader",
    "board",
    "secretariat",
    "member",
]
NOT_DECIDERS = [*NOT_HANDLERS, "case_handler"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def queued(monkeypatch):
    """The tasks the services hand over after commit, as (task, *args) tuples."""
    from grants import tasks

    calls = []
    for name in ("send_applicant_email", "send_invitation_email", "render_decision_letter"):
        fake = SimpleNamespace(delay=lambda *args, _name=name: calls.append((_name, *args)))
        monkeypatch.setattr(tasks, name, fake)
    return calls


@pytest.fixture
def handler(users):
    return users["case_handler"]


@pytest.fixture
def leader(users):
    return users["programme_leader"]


def actor_for(users, role, application):
    if role == "member":
        return application.applicant
    return users[role]


def events(application, kind=None) -> list[CaseEvent]:
    qs = CaseEvent.objects.filter(application=application)
    return list(qs.filter(kind=kind) if kind else qs)


def only_event(application, kind) -> CaseEvent:
    rows = events(application, kind)
    assert len(rows) == 1, rows
    return rows[0]


def reload(application) -> GrantApplication:
    fresh = GrantApplication.objects.get(pk=application.pk)
    fresh.applicant = getattr(application, "applicant", None)
    return fresh


def taken(handler, **kwargs) -> GrantApplication:
    application = submitted(**kwargs)
    services.case_take(actor=handler, application=application)
    return reload(application)


def declared(handler, **kwargs) -> GrantApplication:
    application = taken(handler, **kwargs)
    services.impartiality_declare(actor=handler, application=application, impartial=True)
    return reload(application)


def accepted(handler, leader, **kwargs) -> GrantApplication:
    application = letter_sent(decided(handler, leader, **kwargs))
    services.grant_accept(actor=application.applicant, application=application)
    return reload(application)


def reported(handler, leader) -> GrantApplication:
    application = accepted(handler, leader)
    services.report_submit(
        actor=application.applicant,
        application=application,
        what_was_done="Lekeplassen ble bygget på dugnad i mai.",
        participants=55,
        dugnad_hours=140,
        actuals={line.pk: line.amount for line in application.cost_lines.all()},
    )
    return reload(application)


def assert_refused(call, exc=PermissionDenied):
    """The call raises ``exc`` and leaves every grant row as it was."""
    before = grant_rows()
    with pytest.raises(exc) as excinfo:
        call()
    assert grant_rows() == before
    return excinfo


# case_take / case_release ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["case_handler", "programme_leader"])
def test_case_take_puts_a_submitted_case_under_review(users, role):
    application = submitted()

    services.case_take(actor=users[role], application=application)

    application = reload(application)
    assert application.status == S.IN_REVIEW
    assert application.assigned_to == users[role]
    event = only_event(application, K.ASSIGNED)
    assert event.actor == users[role]
    assert event.visible_to_applicant
    assert event.data == {}


def test_case_take_over_from_a_colleague_records_who_had_it(handler, leader):
    application = taken(handler)

    services.case_take(actor=leader, application=application)

    application = reload(application)
    assert application.assigned_to == leader
    assert application.status == S.IN_REVIEW
    takeover = events(application, K.ASSIGNED)[-1]
    assert takeover.actor == leader
    assert takeover.data == {"previous": handler.pk}


def test_staff_services_read_the_case_as_it_is_now_not_the_callers_copy(handler):
    application = draft_for()
    services.application_submit(actor=application.applicant, application=application)
    assert application.status == S.DRAFT  # the caller's copy is stale

    services.case_take(actor=handler, application=application)

    assert reload(application).assigned_to == handler


@pytest.mark.parametrize("role", NOT_HANDLERS)
def test_case_take_refused_for_roles_outside_the_district_case_work(users, role):
    application = submitted()

    assert_refused(
        lambda: services.case_take(
            actor=actor_for(users, role, application), application=application
        )
    )


def test_case_take_refused_on_a_draft_and_after_the_decision(handler, leader):
    draft = draft_for()
    decided_case = decided(handler, leader)

    assert_refused(lambda: services.case_take(actor=handler, application=draft))
    excinfo = assert_refused(
        lambda: services.case_take(actor=handler, application=decided_case), ValidationError
    )
    assert excinfo.value.messages == ["Only cases under assessment can be taken."]


def test_case_release_returns_the_case_to_the_queue_unseen_by_the_applicant(handler):
    application = taken(handler)

    services.case_release(actor=handler, application=application)

    application = reload(application)
    assert application.status == S.SUBMITTED
    assert application.assigned_to is None
    event = only_event(application, K.UNASSIGNED)
    assert event.actor == handler
    assert not event.visible_to_applicant


def test_case_release_refusals(users, handler):
    unassigned = submitted()
    application = taken(handler)

    excinfo = assert_refused(
        lambda: services.case_release(actor=handler, application=unassigned), ValidationError
    )
    assert excinfo.value.messages == ["The case has no case handler."]
    for role in NOT_HANDLERS:
        assert_refused(
            lambda role=role: services.case_release(
                actor=actor_for(users, role, application), application=application
            )
        )


# impartiality ----------------------------------------------------------------------------------


def test_impartiality_declared_is_recorded_for_staff_only(handler):
    application = taken(handler)

    declaration = services.impartiality_declare(
        actor=handler, application=application, impartial=True
    )

    assert declaration.user == handler
    assert declaration.impartial
    event = only_event(application, K.IMPARTIALITY)
    assert event.actor == handler
    assert event.data == {"impartial": True}
    assert not event.visible_to_applicant


def test_declaring_not_impartial_releases_the_case_and_blocks_assessment(handler):
    application = taken(handler)

    services.impartiality_declare(
        actor=handler,
        application=application,
        impartial=False,
        note="Jeg bor i borettslaget.",
    )

    application = reload(application)
    assert application.assigned_to is None
    assert application.status == S.SUBMITTED
    impartiality = only_event(application, K.IMPARTIALITY)
    assert impartiality.note == "Jeg bor i borettslaget."
    assert not impartiality.visible_to_applicant
    assert not only_event(application, K.UNASSIGNED).visible_to_applicant
    # A handler who is not impartial cannot take the case again, nor assess it (it is back in
    # the queue).
    excinfo = assert_refused(
        lambda: services.case_take(actor=handler, application=application), ValidationError
    )
    assert excinfo.value.error_list[0].code == "not_impartial"
    excinfo = assert_refused(
        lambda: services.assessment_save(actor=handler, application=application, scores=SCORES),
        ValidationError,
    )
    assert excinfo.value.messages == ["The case cannot be assessed in its current status."]


def test_declaring_not_impartial_needs_a_reason(handler):
    application = taken(handler)

    excinfo = assert_refused(
        lambda: services.impartiality_declare(
            actor=handler, application=application, impartial=False, note="  "
        ),
        ValidationError,
    )

    assert list(excinfo.value.message_dict) == ["note"]


@pytest.mark.parametrize("role", NOT_HANDLERS)
def test_impartiality_declare_refused_for_roles_outside_the_case_work(users, role):
    application = submitted()

    assert_refused(
        lambda: services.impartiality_declare(
            actor=actor_for(users, role, application), application=application, impartial=True
        )
    )


def test_impartiality_declare_refused_on_a_draft(handler):
    draft = draft_for()

    assert_refused(
        lambda: services.impartiality_declare(actor=handler, application=draft, impartial=True)
    )


# assessment ------------------------------------------------------------------------------------


def test_assessment_refused_until_impartiality_is_declared(handler):
    application = taken(handler)

    excinfo = assert_refused(
        lambda: services.assessment_save(actor=handler, application=application, scores=SCORES),
        ValidationError,
    )

    assert excinfo.value.error_list[0].code == "not_impartial"
    assert "Declare that you are impartial" in excinfo.value.messages[0]


def test_assessment_refused_for_a_handler_who_has_not_taken_the_case(handler, leader):
    application = declared(handler)

    excinfo = assert_refused(
        lambda: services.assessment_save(actor=leader, application=application, scores=SCORES),
        ValidationError,
    )

    assert excinfo.value.messages == ["Take the case before you assess it."]


def test_assessment_save_keeps_scores_per_criterion_and_stays_internal(handler):
    application = declared(handler)

    assessment = services.assessment_save(
        actor=handler,
        application=application,
        scores={**SCORES, "Ikke et kriterium": 1},
        recommendation=R.PARTIAL,
        recommended_amount=30_000,
        reasons="Dekket delvis.",
        internal_notes="Styret virker ryddig.",
    )

    assessment = Assessment.objects.get(pk=assessment.pk)
    assert assessment.assessor == handler
    assert assessment.scores == SCORES
    assert assessment.recommendation == R.PARTIAL
    assert assessment.recommended_amount == 30_000
    assert assessment.internal_notes == "Styret virker ryddig."
    event = only_event(application, K.ASSESSED)
    assert event.actor == handler
    assert not event.visible_to_applicant
    assert "Styret virker ryddig." not in str(event.data)


def test_assessment_refuses_scores_outside_one_to_five(handler):
    application = declared(handler)

    excinfo = assert_refused(
        lambda: services.assessment_save(
            actor=handler, application=application, scores={"Medvirkning": 6}
        ),
        ValidationError,
    )

    assert excinfo.value.messages == ["Scores go from 1 to 5."]


@pytest.mark.parametrize("role", NOT_HANDLERS)
def test_assessment_refused_for_roles_outside_the_case_work(users, handler, role):
    application = declared(handler)

    assert_refused(
        lambda: services.assessment_save(
            actor=actor_for(users, role, application), application=application, scores=SCORES
        )
    )


# information requests and messages -------------------------------------------------------------


def test_info_request_makes_the_case_wait_and_emails_the_applicant(
    handler, django_capture_on_commit_callbacks, queued
):
    application = declared(handler)

    with django_capture_on_commit_callbacks(execute=True):
        message = services.info_request(
            actor=handler, application=application, body="Send tegning av lekeplassen."
        )

    application = reload(application)
    assert application.status == S.AWAITING_INFO
    assert message.kind == CaseMessage.Kind.INFO_REQUEST
    assert message.from_staff
    assert message.reply_by == timezone.localdate() + timedelta(days=14)
    event = only_event(application, K.INFO_REQUESTED)
    assert event.actor == handler
    assert event.visible_to_applicant
    assert queued == [("send_applicant_email", application.pk, "info_request", {})]


def test_info_request_refusals_write_and_send_nothing(
    users, handler, django_capture_on_commit_callbacks, queued
):
    undeclared = taken(handler)
    application = declared(handler)

    with django_capture_on_commit_callbacks(execute=True):
        excinfo = assert_refused(
            lambda: services.info_request(actor=handler, application=undeclared, body="Hei"),
            ValidationError,
        )
        assert excinfo.value.error_list[0].code == "not_impartial"
        excinfo = assert_refused(
            lambda: services.info_request(actor=handler, application=application, body=" "),
            ValidationError,
        )
        assert list(excinfo.value.message_dict) == ["body"]
        for role in NOT_HANDLERS:
            assert_refused(
                lambda role=role: services.info_request(
                    actor=actor_for(users, role, application), application=application, body="X"
                )
            )

    assert queued == []


def test_info_request_refused_while_one_is_already_waiting(handler):
    application = declared(handler)
    services.info_request(actor=handler, application=application, body="Send tegning.")

    assert_refused(
        lambda: services.info_request(actor=handler, application=application, body="Og tilbud."),
        ValidationError,
    )


def test_staff_message_is_visible_and_emailed(handler, django_capture_on_commit_callbacks, queued):
    application = taken(handler)

    with django_capture_on_commit_callbacks(execute=True):
        message = services.staff_message(
            actor=handler, application=application, body="Vi ser på saken nå."
        )

    assert message.from_staff
    assert message.kind == CaseMessage.Kind.MESSAGE
    event = only_event(application, K.MESSAGE)
    assert event.actor == handler
    assert event.visible_to_applicant
    assert queued == [("send_applicant_email", application.pk, "message", {})]


@pytest.mark.parametrize("role", NOT_HANDLERS)
def test_staff_message_refused_for_roles_outside_the_case_work(users, handler, role):
    application = taken(handler)

    assert_refused(
        lambda: services.staff_message(
            actor=actor_for(users, role, application), application=application, body="Hei"
        )
    )


# proposal --------------------------------------------------------------------------------------


def test_decision_propose_sends_the_case_to_the_programme_leader(handler):
    application = declared(handler)
    services.assessment_save(
        actor=handler, application=application, scores=SCORES, recommendation=R.APPROVE
    )

    assessment = services.decision_propose(actor=handler, application=application)

    application = reload(application)
    assert application.status == S.PROPOSED
    assert assessment.proposed_at is not None
    event = only_event(application, K.PROPOSED)
    assert event.actor == handler
    assert not event.visible_to_applicant


@pytest.mark.parametrize(
    ("recommendation", "amount", "reasons", "field"),
    [
        ("", None, "", "outcome"),
        (R.PARTIAL, None, "Begrenset budsjett.", "amount"),
        (R.PARTIAL, 40_000, "Begrenset budsjett.", "amount"),  # not below the 40 000 applied
        (R.PARTIAL, 20_000, "", "reasons"),
        (R.REJECT, None, "", "reasons"),
    ],
)
def test_decision_propose_refuses_an_incomplete_recommendation(
    handler, recommendation, amount, reasons, field
):
    application = declared(handler)
    services.assessment_save(
        actor=handler,
        application=application,
        scores=SCORES,
        recommendation=recommendation,
        recommended_amount=amount,
        reasons=reasons,
    )

    excinfo = assert_refused(
        lambda: services.decision_propose(actor=handler, application=application), ValidationError
    )

    assert field in excinfo.value.message_dict


def test_decision_propose_refused_without_an_assessment(handler):
    application = declared(handler)

    excinfo = assert_refused(
        lambda: services.decision_propose(actor=handler, application=application), ValidationError
    )

    assert excinfo.value.messages == ["Save an assessment before you propose a decision."]


@pytest.mark.parametrize("role", [*NOT_HANDLERS, "programme_leader"])
def test_decision_propose_refused_for_anyone_but_the_assigned_handler(users, handler, role):
    application = declared(handler)
    services.assessment_save(
        actor=handler, application=application, scores=SCORES, recommendation=R.APPROVE
    )

    assert_refused(
        lambda: services.decision_propose(
            actor=actor_for(users, role, application), application=application
        )
    )


# decision --------------------------------------------------------------------------------------


def decide(leader, application, **kwargs):
    services.impartiality_declare(actor=leader, application=application, impartial=True)
    return services.decision_make(actor=leader, application=application, **kwargs)


def test_decision_approve_in_full_needs_no_reasons_and_queues_the_letter(
    handler, leader, django_capture_on_commit_callbacks, queued
):
    application = assessed(handler)

    with django_capture_on_commit_callbacks(execute=True):
        decision = decide(leader, application, outcome=R.APPROVE, amount=1)

    application = reload(application)
    assert application.status == S.GRANTED
    assert decision.amount == 40_000  # the amount applied for, whatever was typed
    assert decision.reasons == ""
    assert decision.decided_by == leader
    assert decision.legal_basis == application.round.legal_basis
    assert decision.appeal_body == application.round.appeal_body
    assert decision.letter_status == Decision.LetterStatus.PENDING
    assert decision.notified_at is None
    assert decision.supersedes is None
    event = only_event(application, K.DECIDED)
    assert event.actor == leader
    assert event.visible_to_applicant
    assert event.data == {"outcome": R.APPROVE, "amount": 40_000, "decision": decision.pk}
    assert queued == [("render_decision_letter", decision.pk)]


def test_decision_in_part_grants_the_amount_with_reasons(handler, leader):
    application = assessed(handler, recommendation=R.PARTIAL, amount=25_000)

    decision = decide(
        leader, application, outcome=R.PARTIAL, amount=25_000, reasons="Budsjettet er brukt opp."
    )

    assert reload(application).status == S.GRANTED
    assert decision.outcome == R.PARTIAL
    assert decision.amount == 25_000
    assert decision.reasons == "Budsjettet er brukt opp."


def test_decision_reject_has_no_amount(handler, leader):
    application = assessed(handler, recommendation=R.REJECT)

    decision = decide(
        leader, application, outcome=R.REJECT, amount=10_000, reasons="Tiltaket er drift."
    )

    assert reload(application).status == S.REJECTED
    assert decision.amount == 0
    assert not decision.is_grant


@pytest.mark.parametrize(
    ("outcome", "amount", "reasons", "field", "text"),
    [
        (R.PARTIAL, 25_000, "", "reasons", "Give the reasons"),
        (R.REJECT, None, " ", "reasons", "Give the reasons"),
        (R.PARTIAL, 40_000, "Grunn.", "amount", "less than the amount applied for (40,000\xa0kr)"),
        (R.PARTIAL, 50_000, "Grunn.", "amount", "must be less than the amount applied for"),
        (R.PARTIAL, 0, "Grunn.", "amount", "Enter the amount granted."),
        ("kanskje", None, "Grunn.", "outcome", "Choose approve in full"),
    ],
)
def test_decision_refuses_missing_reasons_and_bad_amounts(
    handler, leader, outcome, amount, reasons, field, text
):
    application = assessed(handler)
    services.impartiality_declare(actor=leader, application=application, impartial=True)

    excinfo = assert_refused(
        lambda: services.decision_make(
            actor=leader, application=application, outcome=outcome, amount=amount, reasons=reasons
        ),
        ValidationError,
    )

    assert text in excinfo.value.message_dict[field][0]


@pytest.mark.parametrize("role", NOT_DECIDERS)
def test_decision_refused_for_anyone_but_the_districts_programme_leader(users, handler, role):
    # The case handler here has the case in hand and is impartial, and still may not decide.
    application = assessed(handler)

    assert_refused(
        lambda: services.decision_make(
            actor=actor_for(users, role, application), application=application, outcome=R.APPROVE
        )
    )


def test_decision_refused_until_the_programme_leader_is_impartial(handler, leader):
    application = assessed(handler)

    excinfo = assert_refused(
        lambda: services.decision_make(actor=leader, application=application, outcome=R.APPROVE),
        ValidationError,
    )

    assert excinfo.value.error_list[0].code == "not_impartial"


def test_decision_refused_before_the_proposal(handler, leader):
    application = declared(handler)

    excinfo = assert_refused(
        lambda: services.decision_make(actor=leader, application=application, outcome=R.APPROVE),
        ValidationError,
    )

    assert excinfo.value.messages == ["A decision can only be made on a proposed case."]


def test_four_eyes_a_programme_leader_who_assessed_cannot_decide(leader):
    application = assessed(leader)
    assert application.round.four_eyes

    excinfo = assert_refused(
        lambda: services.decision_make(actor=leader, application=application, outcome=R.APPROVE),
        ValidationError,
    )

    assert excinfo.value.error_list[0].code == "four_eyes"
    assert "another programme leader must decide" in excinfo.value.messages[0]


def test_without_four_eyes_the_assessing_programme_leader_may_decide(leader):
    application = assessed(leader, round=GrantRoundFactory(four_eyes=False))

    decision = services.decision_make(actor=leader, application=application, outcome=R.APPROVE)

    assert decision.decided_by == leader
    assert reload(application).status == S.GRANTED


# the decision letter ---------------------------------------------------------------------------


def test_letter_rendered_sets_the_deadlines_from_notification(
    handler, leader, django_capture_on_commit_callbacks, queued
):
    application = decided(handler, leader)
    decision = selectors.current_decision(application)
    today = timezone.localdate()

    with django_capture_on_commit_callbacks(execute=True):
        services.decision_letter_render(decision_id=decision.pk)

    decision.refresh_from_db()
    application = reload(application)
    assert decision.letter_status == Decision.LetterStatus.READY
    assert decision.letter.read().startswith(b"%PDF")
    assert decision.notified_at is not None
    assert decision.appeal_deadline == deadlines.appeal_deadline(today)
    assert application.accept_by == deadlines.acceptance_deadline(today, 28)
    event = only_event(application, K.LETTER_READY)
    assert event.actor is None
    assert event.visible_to_applicant
    assert queued == [("send_applicant_email", application.pk, "decision", {})]

    # Running the task again (a redelivered message) changes nothing.
    before = grant_rows()
    services.decision_letter_render(decision_id=decision.pk)
    assert grant_rows() == before


# acceptance ------------------------------------------------------------------------------------


def test_grant_accept_within_the_time(handler, leader):
    application = letter_sent(decided(handler, leader))

    services.grant_accept(actor=application.applicant, application=application)

    application = reload(application)
    assert application.status == S.ACCEPTED
    assert application.accepted_at is not None
    event = only_event(application, K.ACCEPTED)
    assert event.actor == application.applicant
    assert event.visible_to_applicant


def test_grant_accept_refused_before_the_letter_is_ready(handler, leader):
    application = decided(handler, leader)

    excinfo = assert_refused(
        lambda: services.grant_accept(actor=application.applicant, application=application),
        ValidationError,
    )

    assert "The decision letter is not ready yet" in excinfo.value.messages[0]


def test_grant_accept_refused_after_accept_by(handler, leader):
    application = letter_sent(decided(handler, leader))
    yesterday = timezone.localdate() - timedelta(days=1)
    GrantApplication.objects.filter(pk=application.pk).update(accept_by=yesterday)

    excinfo = assert_refused(
        lambda: services.grant_accept(actor=application.applicant, application=application),
        ValidationError,
    )

    assert "ran out on " + yesterday.strftime("%d.%m.%Y") in excinfo.value.messages[0]


def test_grant_accept_on_the_last_day_is_in_time(handler, leader):
    application = letter_sent(decided(handler, leader))
    GrantApplication.objects.filter(pk=application.pk).update(accept_by=timezone.localdate())

    services.grant_accept(actor=application.applicant, application=application)

    assert reload(application).status == S.ACCEPTED


def test_grant_accept_refused_for_a_rejection_and_for_others(users, handler, leader):
    rejected = letter_sent(decided(handler, leader, outcome=R.REJECT))
    application = letter_sent(decided(handler, leader))

    assert_refused(
        lambda: services.grant_accept(actor=rejected.applicant, application=rejected),
        ValidationError,
    )
    for role in ("resident", "case_handler", "programme_leader", "secretariat"):
        assert_refused(
            lambda role=role: services.grant_accept(actor=users[role], application=application)
        )


# payments --------------------------------------------------------------------------------------


def test_payments_up_to_the_amount_granted(handler, leader):
    application = accepted(handler, leader)
    today = timezone.localdate()

    services.payment_register(actor=handler, application=application, amount=30_000, paid_on=today)
    services.payment_register(actor=leader, application=application, amount=10_000, paid_on=today)

    assert sorted(application.payments.values_list("amount", flat=True)) == [10_000, 30_000]
    payments = events(application, K.PAYMENT)
    assert [(e.actor, e.data["amount"]) for e in payments] == [(handler, 30_000), (leader, 10_000)]
    assert all(e.visible_to_applicant for e in payments)


def test_payment_above_the_amount_granted_is_refused(handler, leader):
    application = accepted(handler, leader)
    today = timezone.localdate()

    excinfo = assert_refused(
        lambda: services.payment_register(
            actor=handler, application=application, amount=40_001, paid_on=today
        ),
        ValidationError,
    )
    assert "more than the 40,000\xa0kr granted" in excinfo.value.message_dict["amount"][0]

    services.payment_register(actor=handler, application=application, amount=30_000, paid_on=today)
    excinfo = assert_refused(
        lambda: services.payment_register(
            actor=handler, application=application, amount=10_001, paid_on=today
        ),
        ValidationError,
    )
    assert "This would pay out 40,001\xa0kr" in excinfo.value.message_dict["amount"][0]


def test_payment_refused_before_acceptance_and_for_zero(handler, leader):
    granted = letter_sent(decided(handler, leader))
    application = accepted(handler, leader)
    today = timezone.localdate()

    assert_refused(
        lambda: services.payment_register(
            actor=handler, application=granted, amount=1_000, paid_on=today
        ),
        ValidationError,
    )
    excinfo = assert_refused(
        lambda: services.payment_register(
            actor=handler, application=application, amount=0, paid_on=today
        ),
        ValidationError,
    )
    assert list(excinfo.value.message_dict) == ["amount"]


@pytest.mark.parametrize("role", NOT_HANDLERS)
def test_payment_refused_for_roles_outside_the_case_work(users, handler, leader, role):
    application = accepted(handler, leader)

    assert_refused(
        lambda: services.payment_register(
            actor=actor_for(users, role, application),
            application=application,
            amount=1_000,
            paid_on=timezone.localdate(),
        )
    )


# the final report ------------------------------------------------------------------------------


def test_report_submit_records_actual_costs_against_each_budget_line(handler, leader):
    application = accepted(handler, leader)
    lines = list(application.cost_lines.all())

    report = services.report_submit(
        actor=application.applicant,
        application=application,
        what_was_done="Lekeplassen står ferdig.",
        participants=48,
        dugnad_hours=150,
        actuals={lines[0].pk: 72_000, lines[1].pk: 29_500},
    )

    assert reload(application).status == S.REPORT_SUBMITTED
    assert report.accounts == [
        {"description": "Lekeapparater", "budgeted": 70_000, "actual": 72_000},
        {"description": "Dekke", "budgeted": 30_000, "actual": 29_500},
    ]
    assert report.actual_total == 101_500
    event = only_event(application, K.REPORT_SUBMITTED)
    assert event.actor == application.applicant
    assert event.visible_to_applicant


def test_report_submit_refusals(handler, leader, users):
    granted = letter_sent(decided(handler, leader))
    application = accepted(handler, leader)
    first_line = application.cost_lines.first()

    def submit(app, actor, **kw):
        kwargs = {"what_was_done": "Gjort.", "participants": 10, "dugnad_hours": 0}
        kwargs.update(kw)
        kwargs.setdefault("actuals", {line.pk: line.amount for line in app.cost_lines.all()})
        return lambda: services.report_submit(actor=actor, application=app, **kwargs)

    assert_refused(submit(granted, granted.applicant), ValidationError)
    excinfo = assert_refused(
        submit(application, application.applicant, what_was_done=" ", actuals={first_line.pk: 1}),
        ValidationError,
    )
    assert set(excinfo.value.message_dict) == {"what_was_done", "accounts"}
    for role in ("resident", "case_handler"):
        assert_refused(submit(application, users[role]))


def test_report_approved_closes_the_case(
    handler, leader, django_capture_on_commit_callbacks, queued
):
    application = reported(handler, leader)

    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_review(actor=handler, application=application, approve=True)

    application = reload(application)
    assert application.status == S.CLOSED
    assert application.closed_at is not None
    assert report.status == FinalReport.Status.APPROVED
    assert report.reviewed_by == handler
    approved = only_event(application, K.REPORT_APPROVED)
    closed = only_event(application, K.CLOSED)
    assert approved.actor == closed.actor == handler
    assert approved.visible_to_applicant and closed.visible_to_applicant
    assert queued == [("send_applicant_email", application.pk, "closed", {})]


def test_report_returned_needs_a_note_and_can_be_submitted_again(handler, leader):
    application = reported(handler, leader)

    excinfo = assert_refused(
        lambda: services.report_review(
            actor=handler, application=application, approve=False, note=" "
        ),
        ValidationError,
    )
    assert list(excinfo.value.message_dict) == ["note"]

    report = services.report_review(
        actor=handler, application=application, approve=False, note="Legg ved kvitteringer."
    )

    assert reload(application).status == S.ACCEPTED
    assert report.status == FinalReport.Status.RETURNED
    event = only_event(application, K.REPORT_RETURNED)
    assert event.note == "Legg ved kvitteringer."
    assert event.visible_to_applicant

    report = services.report_submit(
        actor=application.applicant,
        application=application,
        what_was_done="Med kvitteringer nå.",
        participants=50,
        dugnad_hours=150,
        actuals={line.pk: line.amount for line in application.cost_lines.all()},
    )
    assert report.status == FinalReport.Status.SUBMITTED
    assert report.what_was_done == "Med kvitteringer nå."
    assert reload(application).status == S.REPORT_SUBMITTED


def test_report_review_refused_when_there_is_no_report_to_review(handler, leader):
    application = accepted(handler, leader)

    excinfo = assert_refused(
        lambda: services.report_review(actor=handler, application=application, approve=True),
        ValidationError,
    )

    assert "Grant accepted" in excinfo.value.messages[0]


@pytest.mark.parametrize("role", NOT_HANDLERS)
def test_report_review_refused_for_roles_outside_the_case_work(users, handler, leader, role):
    application = reported(handler, leader)

    assert_refused(
        lambda: services.report_review(
            actor=actor_for(users, role, application), application=application, approve=True
        )
    )


# appeals ---------------------------------------------------------------------------------------


def rejected_and_notified(handler, leader) -> GrantApplication:
    return letter_sent(decided(handler, leader, outcome=R.REJECT))


def appealed(handler, leader) -> GrantApplication:
    application = rejected_and_notified(handler, leader)
    services.appeal_submit(
        actor=application.applicant,
        application=application,
        text="Vi mener tiltaket ikke er drift.",
    )
    return reload(application)


def test_appeal_within_the_deadline(handler, leader):
    application = rejected_and_notified(handler, leader)
    decision = selectors.current_decision(application)

    appeal = services.appeal_submit(
        actor=application.applicant, application=application, text="  Vi er uenige.  "
    )

    assert appeal.decision == decision
    assert appeal.text == "Vi er uenige."
    assert appeal.status == Appeal.Status.RECEIVED
    assert not appeal.is_late
    event = only_event(application, K.APPEALED)
    assert event.actor == application.applicant
    assert event.visible_to_applicant
    assert event.data == {"late": False}


def test_appeal_after_the_deadline_is_accepted_but_flagged_late(handler, leader):
    application = rejected_and_notified(handler, leader)
    # The letter reached the applicant four weeks ago.
    Decision.objects.filter(application=application).update(
        notified_at=timezone.now() - timedelta(days=28),
        appeal_deadline=timezone.localdate() - timedelta(days=7),
    )

    appeal = services.appeal_submit(
        actor=application.applicant, application=application, text="Vi var på ferie."
    )

    assert appeal.is_late
    assert only_event(application, K.APPEALED).data == {"late": True}


def test_appeal_refusals(users, handler, leader):
    not_notified = decided(handler, leader, outcome=R.REJECT)
    application = appealed(handler, leader)
    fresh = rejected_and_notified(handler, leader)

    excinfo = assert_refused(
        lambda: services.appeal_submit(
            actor=not_notified.applicant, application=not_notified, text="Uenig."
        ),
        ValidationError,
    )
    assert excinfo.value.messages == ["There is no decision to appeal yet."]
    excinfo = assert_refused(
        lambda: services.appeal_submit(
            actor=application.applicant, application=application, text="En gang til."
        ),
        ValidationError,
    )
    assert excinfo.value.messages == ["Your appeal is already being handled."]
    excinfo = assert_refused(
        lambda: services.appeal_submit(actor=fresh.applicant, application=fresh, text=" "),
        ValidationError,
    )
    assert list(excinfo.value.message_dict) == ["text"]
    for role in ("resident", "case_handler", "programme_leader"):
        assert_refused(
            lambda role=role: services.appeal_submit(
                actor=users[role], application=fresh, text="Uenig."
            )
        )


def test_appeal_change_makes_a_new_decision_that_supersedes_the_old(handler, leader):
    application = appealed(handler, leader)
    old = selectors.current_decision(application)
    old_row = Decision.objects.filter(pk=old.pk).values().get()

    new = services.appeal_change_decision(
        actor=leader,
        application=application,
        outcome=R.APPROVE,
        assessment="Klagen har noe for seg.",
    )

    assert Decision.objects.filter(pk=old.pk).values().get() == old_row  # never overwritten
    assert new.pk != old.pk
    assert new.supersedes == old
    assert new.on_appeal
    assert new.amount == 40_000
    assert new.letter_status == Decision.LetterStatus.PENDING
    assert selectors.current_decision(application) == new
    application = reload(application)
    assert application.status == S.GRANTED
    appeal = application.appeals.get()
    assert appeal.status == Appeal.Status.CHANGED
    assert appeal.district_assessment == "Klagen har noe for seg."
    assert appeal.handled_by == leader
    decided_event = events(application, K.DECIDED)[-1]
    assert decided_event.data["decision"] == new.pk
    changed = only_event(application, K.APPEAL_CHANGED)
    assert changed.actor == leader
    assert changed.visible_to_applicant
    assert changed.data == {"decision": new.pk}


def test_appeal_change_refusals(users, handler, leader):
    application = appealed(handler, leader)
    not_appealed = rejected_and_notified(handler, leader)

    excinfo = assert_refused(
        lambda: services.appeal_change_decision(
            actor=leader, application=application, outcome=R.PARTIAL, amount=20_000
        ),
        ValidationError,
    )
    assert "reasons" in excinfo.value.message_dict
    excinfo = assert_refused(
        lambda: services.appeal_change_decision(
            actor=leader, application=not_appealed, outcome=R.APPROVE
        ),
        ValidationError,
    )
    assert excinfo.value.messages == ["There is no appeal waiting for this step."]
    for role in NOT_DECIDERS:
        assert_refused(
            lambda role=role: services.appeal_change_decision(
                actor=actor_for(users, role, application),
                application=application,
                outcome=R.APPROVE,
            )
        )


def test_appeal_forward_needs_the_districts_assessment(
    users, handler, leader, django_capture_on_commit_callbacks, queued
):
    application = appealed(handler, leader)

    excinfo = assert_refused(
        lambda: services.appeal_forward(actor=leader, application=application, assessment=" "),
        ValidationError,
    )
    assert list(excinfo.value.message_dict) == ["assessment"]
    for role in NOT_DECIDERS:
        assert_refused(
            lambda role=role: services.appeal_forward(
                actor=actor_for(users, role, application),
                application=application,
                assessment="Vedtaket står.",
            )
        )

    with django_capture_on_commit_callbacks(execute=True):
        appeal = services.appeal_forward(
            actor=leader, application=application, assessment="Vedtaket står."
        )

    assert appeal.status == Appeal.Status.FORWARDED
    assert appeal.forwarded_at is not None
    assert reload(application).status == S.REJECTED
    event = only_event(application, K.APPEAL_FORWARDED)
    assert event.actor == leader
    assert event.visible_to_applicant
    assert queued == [("send_applicant_email", application.pk, "appeal_forwarded", {})]


def forwarded(handler, leader) -> GrantApplication:
    application = appealed(handler, leader)
    services.appeal_forward(actor=leader, application=application, assessment="Vedtaket står.")
    return reload(application)


@pytest.mark.parametrize(
    ("amount", "outcome", "granted"),
    [(None, R.APPROVE, 40_000), (30_000, R.PARTIAL, 30_000)],
)
def test_appeal_allowed_by_the_appeal_body_makes_a_decision_on_appeal(
    handler, leader, amount, outcome, granted
):
    application = forwarded(handler, leader)
    old = selectors.current_decision(application)

    appeal = services.appeal_record_outcome(
        actor=leader,
        application=application,
        status=Appeal.Status.ALLOWED,
        note="Klagenemnda ga medhold.",
        amount=amount,
    )

    assert appeal.status == Appeal.Status.ALLOWED
    assert appeal.outcome_note == "Klagenemnda ga medhold."
    new = selectors.current_decision(application)
    assert new.supersedes == old
    assert new.on_appeal
    assert new.outcome == outcome
    assert new.amount == granted
    assert reload(application).status == S.GRANTED
    event = only_event(application, K.APPEAL_OUTCOME)
    assert event.actor == leader
    assert event.visible_to_applicant
    assert event.data == {"status": Appeal.Status.ALLOWED}


def test_appeal_upheld_keeps_the_decision(handler, leader):
    application = forwarded(handler, leader)
    old = selectors.current_decision(application)

    services.appeal_record_outcome(
        actor=leader,
        application=application,
        status=Appeal.Status.UPHELD,
        note="Klagenemnda opprettholdt vedtaket.",
    )

    assert selectors.current_decision(application) == old
    assert application.decisions.count() == 1
    assert reload(application).status == S.REJECTED


def test_appeal_outcome_refusals(users, handler, leader):
    received = appealed(handler, leader)
    application = forwarded(handler, leader)

    assert_refused(
        lambda: services.appeal_record_outcome(
            actor=leader, application=received, status=Appeal.Status.UPHELD, note="X"
        ),
        ValidationError,
    )
    excinfo = assert_refused(
        lambda: services.appeal_record_outcome(
            actor=leader, application=application, status=Appeal.Status.CHANGED, note="X"
        ),
        ValidationError,
    )
    assert list(excinfo.value.message_dict) == ["status"]
    excinfo = assert_refused(
        lambda: services.appeal_record_outcome(
            actor=leader, application=application, status=Appeal.Status.UPHELD, note=""
        ),
        ValidationError,
    )
    assert list(excinfo.value.message_dict) == ["note"]
    for role in NOT_DECIDERS:
        assert_refused(
            lambda role=role: services.appeal_record_outcome(
                actor=actor_for(users, role, application),
                application=application,
                status=Appeal.Status.UPHELD,
                note="X",
            )
        )


@pytest.mark.parametrize("status", [Appeal.Status.UPHELD, Appeal.Status.DISMISSED])
def test_the_appeal_bodys_decision_cannot_be_appealed(handler, leader, status):
    application = forwarded(handler, leader)
    services.appeal_record_outcome(
        actor=leader, application=application, status=status, note="Klagenemnda har avgjort."
    )

    excinfo = assert_refused(
        lambda: services.appeal_submit(
            actor=application.applicant, application=application, text="Vi klager igjen."
        ),
        ValidationError,
    )

    assert excinfo.value.messages == [
        "The appeal body has decided this case. Its decision cannot be appealed."
    ]


def test_a_decision_made_by_the_appeal_body_cannot_be_appealed(handler, leader):
    application = forwarded(handler, leader)
    services.appeal_record_outcome(
        actor=leader,
        application=application,
        status=Appeal.Status.ALLOWED,
        note="Medhold, men bare delvis.",
        amount=20_000,
    )
    application = letter_sent(application)

    assert_refused(
        lambda: services.appeal_submit(
            actor=application.applicant, application=application, text="Vi vil ha alt."
        ),
        ValidationError,
    )


def test_a_decision_the_district_changed_can_be_appealed_in_turn(handler, leader):
    application = appealed(handler, leader)
    services.appeal_change_decision(
        actor=leader,
        application=application,
        outcome=R.PARTIAL,
        amount=20_000,
        reasons="Delvis medhold.",
    )
    application = letter_sent(application)
    changed = selectors.current_decision(application)

    appeal = services.appeal_submit(
        actor=application.applicant, application=application, text="Vi trenger hele beløpet."
    )

    assert appeal.decision == changed
    assert application.appeals.count() == 2


# lapsing ---------------------------------------------------------------------------------------


def test_a_grant_not_accepted_in_time_lapses(handler, leader):
    application = letter_sent(decided(handler, leader))
    GrantApplication.objects.filter(pk=application.pk).update(
        accept_by=timezone.localdate() - timedelta(days=1)
    )

    counts = services.reminders_send()

    application = reload(application)
    assert counts["lapsed"] == 1
    assert application.status == S.LAPSED
    event = only_event(application, K.LAPSED)
    assert event.actor is None
    assert event.visible_to_applicant
    assert_refused(
        lambda: services.grant_accept(actor=application.applicant, application=application),
        ValidationError,
    )


def test_a_grant_under_appeal_does_not_lapse(handler, leader):
    application = letter_sent(decided(handler, leader, outcome=R.PARTIAL, amount=20_000))
    services.appeal_submit(
        actor=application.applicant, application=application, text="Vi trenger hele beløpet."
    )
    GrantApplication.objects.filter(pk=application.pk).update(
        accept_by=timezone.localdate() - timedelta(days=1)
    )

    assert services.reminders_send()["lapsed"] == 0
    assert reload(application).status == S.GRANTED


# a whole case ----------------------------------------------------------------------------------


def test_the_applicant_sees_only_the_steps_meant_for_them(handler, leader):
    application = reported(handler, leader)
    services.report_review(actor=handler, application=application, approve=True)

    visible = [e.kind for e in events(application) if e.visible_to_applicant]
    hidden = {e.kind for e in events(application) if not e.visible_to_applicant}

    assert visible == [
        K.SUBMITTED,
        K.ASSIGNED,
        K.DECIDED,
        K.LETTER_READY,
        K.ACCEPTED,
        K.REPORT_SUBMITTED,
        K.REPORT_APPROVED,
        K.CLOSED,
    ]
    assert hidden == {K.IMPARTIALITY, K.ASSESSED, K.PROPOSED}


def test_another_organisations_member_is_refused_everywhere(handler, leader):
    application = letter_sent(decided(handler, leader))
    stranger = UserFactory()
    OrganisationFactory(member=stranger)

    assert_refused(lambda: services.grant_accept(actor=stranger, application=application))
    assert_refused(
        lambda: services.appeal_submit(actor=stranger, application=application, text="Hei")
    )
    assert_refused(
        lambda: services.applicant_message(actor=stranger, application=application, body="Hei")
    )
    assert_refused(lambda: services.application_withdraw(actor=stranger, application=application))


def test_a_decision_renders_its_letter_after_commit_and_emails_the_applicant(
    handler, leader, django_capture_on_commit_callbacks, mailoutbox
):
    application = assessed(handler)

    with django_capture_on_commit_callbacks(execute=True):
        decision = decide(leader, application, outcome=R.APPROVE)

    decision.refresh_from_db()
    assert decision.letter_status == Decision.LetterStatus.READY
    assert decision.letter.read().startswith(b"%PDF")
    assert reload(application).accept_by == deadlines.acceptance_deadline(timezone.localdate(), 28)
    (mail,) = mailoutbox
    assert application.applicant.email.lower() in mail.to
    assert application.reference in mail.subject + mail.body


# the case handler prepares an appeal ------------------------------------------------------------


def test_the_case_handler_prepares_an_appeal_for_the_programme_leader(handler, leader):
    application = appealed(handler, leader)

    appeal = services.appeal_prepare(
        actor=handler,
        application=application,
        assessment="Klagen bringer ikke noe nytt.",
        advice=Appeal.Advice.KEEP,
    )

    appeal = Appeal.objects.get(pk=appeal.pk)
    assert appeal.status == Appeal.Status.RECEIVED  # the programme leader still decides
    assert appeal.handler_assessment == "Klagen bringer ikke noe nytt."
    assert appeal.handler_advice == Appeal.Advice.KEEP
    assert appeal.prepared_by == handler
    assert appeal.prepared_at is not None
    event = only_event(application, K.APPEAL_PREPARED)
    assert event.data == {"advice": Appeal.Advice.KEEP}
    assert not event.visible_to_applicant
    # The preparation may be saved again until the programme leader acts.
    services.appeal_prepare(
        actor=handler, application=application, assessment="Endret.", advice=Appeal.Advice.CHANGE
    )
    assert Appeal.objects.get(pk=appeal.pk).handler_advice == Appeal.Advice.CHANGE


def test_preparing_an_appeal_needs_an_assessment_and_a_recommendation(handler, leader):
    application = appealed(handler, leader)

    excinfo = assert_refused(
        lambda: services.appeal_prepare(
            actor=handler, application=application, assessment=" ", advice="kanskje"
        ),
        ValidationError,
    )

    assert set(excinfo.value.message_dict) == {"assessment", "advice"}


def test_preparing_an_appeal_refused_outside_the_district_and_once_it_is_handled(
    users, handler, leader
):
    application = appealed(handler, leader)
    for role in NOT_HANDLERS:
        assert_refused(
            lambda role=role: services.appeal_prepare(
                actor=actor_for(users, role, application),
                application=application,
                assessment="X",
                advice=Appeal.Advice.KEEP,
            )
        )
    services.appeal_forward(actor=leader, application=application, assessment="Vedtaket står.")

    excinfo = assert_refused(
        lambda: services.appeal_prepare(
            actor=handler, application=reload(application), assessment="X", advice="omgjor"
        ),
        ValidationError,
    )
    assert excinfo.value.messages == ["There is no appeal waiting for this step."]


# the programme leader returns a proposal --------------------------------------------------------


def test_the_programme_leader_returns_a_proposal_to_be_assessed_again(handler, leader):
    application = assessed(handler)

    services.proposal_return(actor=leader, application=application, note="Se på budsjettet igjen.")

    application = reload(application)
    assert application.status == S.IN_REVIEW
    assert application.assigned_to == handler
    assert application.assessment.proposed_at is None
    event = only_event(application, K.PROPOSAL_RETURNED)
    assert (event.actor, event.note, event.visible_to_applicant) == (
        leader,
        "Se på budsjettet igjen.",
        False,
    )
    # The case handler can propose again once the assessment is revised.
    services.decision_propose(actor=handler, application=application)
    assert reload(application).status == S.PROPOSED


def test_returning_a_proposal_needs_a_comment_and_the_programme_leader(users, handler):
    application = assessed(handler)

    excinfo = assert_refused(
        lambda: services.proposal_return(
            actor=users["programme_leader"], application=application, note=" "
        ),
        ValidationError,
    )
    assert list(excinfo.value.message_dict) == ["note"]
    for role in NOT_DECIDERS:
        assert_refused(
            lambda role=role: services.proposal_return(
                actor=actor_for(users, role, application), application=application, note="X"
            )
        )
