"""The district's side: taking a case, impartiality, assessment, information requests,
the proposal and the decision."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.formatting import kroner

from .. import deadlines, workflow
from ..models import (
    Assessment,
    CaseEvent,
    CaseMessage,
    Decision,
    GrantApplication,
    ImpartialityDeclaration,
    Recommendation,
)
from ..permissions import (
    can_assess,
    can_handle,
    has_decider_role,
    is_impartial,
    may_decide_here,
)
from ._common import lock, notify_applicant, record, require

S = GrantApplication.Status


@transaction.atomic
def case_take(*, actor: User, application: GrantApplication) -> GrantApplication:
    """Take a submitted case (or take over one assigned to a colleague)."""
    application = lock(application)
    require(can_handle(actor, application))
    if application.status == S.SUBMITTED:
        workflow.require(application.status, S.IN_REVIEW)
        application.status = S.IN_REVIEW
    elif application.status not in (S.IN_REVIEW, S.AWAITING_INFO, S.PROPOSED):
        raise ValidationError(_("Only cases under assessment can be taken."))
    previous = application.assigned_to_id
    application.assigned_to = actor
    application.save(update_fields=["status", "assigned_to", "updated_at"])
    record(
        application,
        CaseEvent.Kind.ASSIGNED,
        actor,
        data={"previous": previous} if previous else {},
    )
    return application


@transaction.atomic
def case_release(*, actor: User, application: GrantApplication) -> GrantApplication:
    """Give the case back to the queue, for instance after declaring oneself not impartial."""
    application = lock(application)
    require(can_handle(actor, application))
    if application.assigned_to_id is None:
        raise ValidationError(_("The case has no case handler."))
    application.assigned_to = None
    if application.status == S.IN_REVIEW:
        application.status = S.SUBMITTED
    application.save(update_fields=["status", "assigned_to", "updated_at"])
    record(application, CaseEvent.Kind.UNASSIGNED, actor, visible=False)
    return application


@transaction.atomic
def impartiality_declare(
    *, actor: User, application: GrantApplication, impartial: bool, note: str = ""
) -> ImpartialityDeclaration:
    """Declare impartiality (habilitet) in a case.

    A handler who is not impartial is taken off the case at once and cannot assess it.
    """
    application = lock(application)
    require(can_handle(actor, application))
    if not impartial and not note.strip():
        raise ValidationError({"note": _("Say briefly why you are not impartial.")})
    declaration = ImpartialityDeclaration.objects.create(
        application=application, user=actor, impartial=impartial, note=note.strip()
    )
    record(
        application,
        CaseEvent.Kind.IMPARTIALITY,
        actor,
        data={"impartial": impartial},
        note=note.strip(),
        visible=False,
    )
    if not impartial and application.assigned_to_id == actor.pk:
        application.assigned_to = None
        if application.status == S.IN_REVIEW:
            application.status = S.SUBMITTED
        application.save(update_fields=["status", "assigned_to", "updated_at"])
        record(application, CaseEvent.Kind.UNASSIGNED, actor, visible=False)
    return declaration


def _require_impartial(actor: User, application: GrantApplication) -> None:
    if not is_impartial(actor, application):
        raise ValidationError(
            _("Declare that you are impartial in this case before you go on."),
            code="not_impartial",
        )


@transaction.atomic
def assessment_save(
    *,
    actor: User,
    application: GrantApplication,
    scores: dict[str, int],
    recommendation: str = "",
    recommended_amount: int | None = None,
    reasons: str = "",
    conditions: str = "",
    internal_notes: str = "",
) -> Assessment:
    """Save the assigned handler's assessment against the round's criteria."""
    application = lock(application)
    require(can_handle(actor, application))
    if application.assigned_to_id != actor.pk:
        raise ValidationError(_("Take the case before you assess it."))
    _require_impartial(actor, application)
    if application.status not in (S.IN_REVIEW, S.AWAITING_INFO):
        raise ValidationError(_("The case cannot be assessed in its current status."))
    criteria = application.round.criteria_list
    clean_scores = {}
    for criterion in criteria:
        value = scores.get(criterion)
        if value is not None and not 1 <= int(value) <= 5:
            raise ValidationError(_("Scores go from 1 to 5."))
        if value is not None:
            clean_scores[criterion] = int(value)
    assessment, _created = Assessment.objects.get_or_create(
        application=application, defaults={"assessor": actor}
    )
    assessment.assessor = actor
    assessment.scores = clean_scores
    assessment.recommendation = recommendation
    assessment.recommended_amount = recommended_amount
    assessment.reasons = reasons
    assessment.conditions = conditions
    assessment.internal_notes = internal_notes
    assessment.save()
    record(
        application,
        CaseEvent.Kind.ASSESSED,
        actor,
        data={"scores": clean_scores, "recommendation": recommendation},
        visible=False,
    )
    return assessment


@transaction.atomic
def info_request(
    *, actor: User, application: GrantApplication, body: str, reply_by=None
) -> CaseMessage:
    """Ask the applicant for more information. The case waits and the applicant is emailed."""
    application = lock(application)
    require(can_handle(actor, application))
    _require_impartial(actor, application)
    if not body.strip():
        raise ValidationError({"body": _("Say what information you need.")})
    workflow.require(application.status, S.AWAITING_INFO)
    reply_by = reply_by or timezone.localdate() + timedelta(days=14)
    message = CaseMessage.objects.create(
        application=application,
        kind=CaseMessage.Kind.INFO_REQUEST,
        sender=actor,
        from_staff=True,
        body=body.strip(),
        reply_by=reply_by,
    )
    application.status = S.AWAITING_INFO
    application.save(update_fields=["status", "updated_at"])
    record(application, CaseEvent.Kind.INFO_REQUESTED, actor, data={"reply_by": str(reply_by)})
    notify_applicant(application, "info_request")
    return message


@transaction.atomic
def staff_message(*, actor: User, application: GrantApplication, body: str) -> CaseMessage:
    application = lock(application)
    require(can_handle(actor, application))
    if not body.strip():
        raise ValidationError({"body": _("Write your message.")})
    message = CaseMessage.objects.create(
        application=application, sender=actor, from_staff=True, body=body.strip()
    )
    record(application, CaseEvent.Kind.MESSAGE, actor, note=_("From the district"))
    notify_applicant(application, "message")
    return message


def _check_outcome(
    application: GrantApplication, outcome: str, amount: int | None, reasons: str
) -> dict:
    errors = {}
    if outcome not in Recommendation.values:
        errors["outcome"] = _("Choose approve in full, in part, or reject.")
        return errors
    if outcome == Recommendation.APPROVE:
        amount = application.amount_applied
    elif outcome == Recommendation.PARTIAL:
        if not amount or amount <= 0:
            errors["amount"] = _("Enter the amount granted.")
        elif amount >= application.amount_applied:
            errors["amount"] = _(
                "A partial grant must be less than the amount applied for (%(applied)s)."
            ) % {"applied": kroner(application.amount_applied)}
    else:
        amount = 0
    if outcome != Recommendation.APPROVE and not reasons.strip():
        errors["reasons"] = _(
            "Give the reasons: the applicant has a right to them unless the grant is in full."
        )
    return errors


@transaction.atomic
def decision_propose(*, actor: User, application: GrantApplication) -> Assessment:
    """Send the assessment to the programme leader as the proposed decision."""
    application = lock(application)
    require(can_assess(actor, application))
    try:
        assessment = application.assessment
    except Assessment.DoesNotExist as exc:
        raise ValidationError(_("Save an assessment before you propose a decision.")) from exc
    errors = _check_outcome(
        application,
        assessment.recommendation,
        assessment.recommended_amount,
        assessment.reasons,
    )
    if errors:
        raise ValidationError(errors)
    workflow.require(application.status, S.PROPOSED)
    application.status = S.PROPOSED
    application.save(update_fields=["status", "updated_at"])
    assessment.proposed_at = timezone.now()
    assessment.save(update_fields=["proposed_at"])
    # The proposal (innstilling) is internal; the applicant sees the case as under assessment.
    record(application, CaseEvent.Kind.PROPOSED, actor, visible=False)
    return assessment


def _new_decision(
    application: GrantApplication,
    actor: User,
    *,
    outcome: str,
    amount: int | None,
    reasons: str,
    conditions: str,
    on_appeal: bool = False,
) -> Decision:
    if outcome == Recommendation.APPROVE:
        amount = application.amount_applied
    elif outcome == Recommendation.REJECT:
        amount = 0
    previous = application.decisions.filter(superseded_by__isnull=True).first()
    now = timezone.now()
    decision = Decision.objects.create(
        application=application,
        outcome=outcome,
        amount=amount or 0,
        reasons=reasons.strip(),
        conditions=conditions.strip(),
        legal_basis=application.round.legal_basis,
        appeal_body=application.round.appeal_body,
        decided_by=actor,
        decided_at=now,
        on_appeal=on_appeal,
        supersedes=previous,
        # Provisional: counted again from the day the letter reaches the applicant.
        appeal_deadline=deadlines.appeal_deadline(timezone.localdate(now)),
    )
    target = S.GRANTED if decision.is_grant else S.REJECTED
    workflow.require(application.status, target)
    application.status = target
    application.accept_by = None
    application.save(update_fields=["status", "accept_by", "updated_at"])
    record(
        application,
        CaseEvent.Kind.DECIDED,
        actor,
        data={"outcome": outcome, "amount": decision.amount, "decision": decision.pk},
    )
    from core.tasks import enqueue

    from ..tasks import render_decision_letter

    enqueue(render_decision_letter, decision.pk)
    return decision


@transaction.atomic
def decision_make(
    *,
    actor: User,
    application: GrantApplication,
    outcome: str,
    amount: int | None = None,
    reasons: str = "",
    conditions: str = "",
) -> Decision:
    """Decide a proposed case: approve in full, in part, or reject.

    Only the district's programme leader, impartial, and under four eyes not the assessor.
    Reasons are required unless approved in full. The letter is rendered by a task after commit.
    """
    application = lock(application)
    require(has_decider_role(actor, application))
    if not may_decide_here(actor, application):
        raise ValidationError(
            _("Four eyes: you assessed this case, so another programme leader must decide it."),
            code="four_eyes",
        )
    _require_impartial(actor, application)
    if application.status != S.PROPOSED:
        raise ValidationError(_("A decision can only be made on a proposed case."))
    errors = _check_outcome(application, outcome, amount, reasons)
    if errors:
        raise ValidationError(errors)
    return _new_decision(
        application, actor, outcome=outcome, amount=amount, reasons=reasons, conditions=conditions
    )
