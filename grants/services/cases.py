"""The district's side: taking a case, impartiality, assessment, information requests,
the proposal and the decision."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.actions import require
from core.formatting import kroner

from .. import actions, deadlines, selectors, workflow
from ..models import (
    Assessment,
    CaseEvent,
    CaseMessage,
    Decision,
    GrantApplication,
    ImpartialityDeclaration,
    Recommendation,
)
from ._common import lock, notify_applicant, record

S = GrantApplication.Status


@transaction.atomic
def case_take(*, actor: User, application: GrantApplication) -> GrantApplication:
    """Take a submitted case (or take over one assigned to a colleague while it is assessed).
    Refuses as ``actions.Take`` does; writes nothing then."""
    application = lock(application)
    require(actions.Take, actor, application)
    previous = application.assigned_to_id
    application.assigned_to = actor
    data = {"previous": previous} if previous else {}
    if application.status == S.SUBMITTED:
        workflow.move(application, "take", actor=actor, update_fields=["assigned_to"], data=data)
    else:
        application.save(update_fields=["assigned_to", "updated_at"])
        record(application, CaseEvent.Kind.ASSIGNED, actor, data=data)
    return application


def _take_off(application: GrantApplication, actor: User) -> None:
    """Unassign the case; one being assessed goes back to the queue as submitted."""
    application.assigned_to = None
    if application.status == S.IN_REVIEW:
        workflow.move(application, "release", actor=actor, update_fields=["assigned_to"])
    else:
        application.save(update_fields=["assigned_to", "updated_at"])
        record(application, CaseEvent.Kind.UNASSIGNED, actor, visible=False)


@transaction.atomic
def case_release(*, actor: User, application: GrantApplication) -> GrantApplication:
    """Give the case back to the queue. Refuses as ``actions.Release`` does."""
    application = lock(application)
    require(actions.Release, actor, application)
    _take_off(application, actor)
    return application


@transaction.atomic
def impartiality_declare(
    *, actor: User, application: GrantApplication, impartial: bool, note: str = ""
) -> ImpartialityDeclaration:
    """Declare impartiality (habilitet) in a case. Refuses as ``actions.Impartiality`` does.

    A handler who is not impartial is taken off the case at once and cannot assess it.
    """
    application = lock(application)
    require(actions.Impartiality, actor, application)
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
        _take_off(application, actor)
    return declaration


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
    """Save the assigned handler's assessment against the round's criteria. Refuses as
    ``actions.Assess`` does."""
    application = lock(application)
    require(actions.Assess, actor, application)
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
    """Ask the applicant for more information. The case waits and the applicant is emailed.
    Refuses as ``actions.InfoRequest`` does."""
    application = lock(application)
    require(actions.InfoRequest, actor, application)
    if not body.strip():
        raise ValidationError({"body": _("Say what information you need.")})
    reply_by = reply_by or timezone.localdate() + timedelta(days=14)
    message = CaseMessage.objects.create(
        application=application,
        kind=CaseMessage.Kind.INFO_REQUEST,
        sender=actor,
        from_staff=True,
        body=body.strip(),
        reply_by=reply_by,
    )
    workflow.move(application, "request_info", actor=actor, data={"reply_by": str(reply_by)})
    notify_applicant(application, "info_request")
    return message


@transaction.atomic
def staff_message(*, actor: User, application: GrantApplication, body: str) -> CaseMessage:
    """A message from the district to the applicant, who is emailed."""
    application = lock(application)
    require(actions.StaffMessage, actor, application)
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
    """Send the assessment to the programme leader as the proposed decision. Refuses as
    ``actions.Propose`` does, and names each part of the recommendation still missing."""
    application = lock(application)
    require(actions.Propose, actor, application)
    assessment = application.assessment
    errors = _check_outcome(
        application,
        assessment.recommendation,
        assessment.recommended_amount,
        assessment.reasons,
    )
    if errors:
        raise ValidationError(errors)
    workflow.move(application, "propose", actor=actor)
    assessment.proposed_at = timezone.now()
    assessment.save(update_fields=["proposed_at"])
    return assessment


@transaction.atomic
def proposal_return(*, actor: User, application: GrantApplication, note: str) -> Assessment:
    """The programme leader sends the proposal back to the case handler, with a comment, to be
    assessed again. Refuses as ``actions.ReturnProposal`` does."""
    application = lock(application)
    require(actions.ReturnProposal, actor, application)
    if not note.strip():
        raise ValidationError({"note": _("Say what the case handler should look at again.")})
    assessment = application.assessment
    assessment.proposed_at = None
    assessment.save(update_fields=["proposed_at"])
    workflow.move(application, "return_to_review", actor=actor, note=note.strip())
    return assessment


def _new_decision(
    application: GrantApplication,
    actor: User,
    transition: str,
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
    previous = selectors.current_decision(application)
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
    application.accept_by = None
    workflow.move(
        application,
        transition,
        actor=actor,
        to=S.GRANTED if decision.is_grant else S.REJECTED,
        update_fields=["accept_by"],
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

    Only the district's programme leader, impartial, and under four eyes not the assessor
    (``actions.Decide``). Reasons are required unless approved in full. The letter is rendered
    by a task after commit.
    """
    application = lock(application)
    require(actions.Decide, actor, application)
    errors = _check_outcome(application, outcome, amount, reasons)
    if errors:
        raise ValidationError(errors)
    return _new_decision(
        application,
        actor,
        "decide",
        outcome=outcome,
        amount=amount,
        reasons=reasons,
        conditions=conditions,
    )
