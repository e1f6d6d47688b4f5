"""Appeals against a decision (forvaltningsloven § 28 ff.): the applicant's appeal, the
district's reconsideration (change the decision, or keep it and forward the appeal), and the
appeal body's outcome.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.actions import require
from core.tasks import enqueue

from .. import actions, selectors
from ..models import Appeal, CaseEvent, Decision, GrantApplication, Recommendation
from ..tasks import send_appeal_to_district
from ._common import lock, notify_applicant, record
from .cases import _check_outcome, _new_decision

S = GrantApplication.Status


@transaction.atomic
def appeal_submit(*, actor: User, application: GrantApplication, text: str) -> Appeal:
    """Appeal the current decision. After the deadline the appeal is taken but flagged late.
    Refuses as ``actions.AppealSubmit`` does."""
    application = lock(application)
    require(actions.AppealSubmit, actor, application)
    decision = selectors.current_decision(application)
    if not text.strip():
        raise ValidationError({"text": _("Say what you disagree with and why.")})
    is_late = timezone.localdate() > decision.appeal_deadline
    appeal = Appeal.objects.create(
        application=application,
        decision=decision,
        text=text.strip(),
        submitted_by=actor,
        is_late=is_late,
    )
    record(application, CaseEvent.Kind.APPEALED, actor, data={"late": is_late})
    # A receipt to the appellant, and the district's staff told that an appeal waits for them.
    notify_applicant(application, "appeal_receipt")
    enqueue(send_appeal_to_district, appeal.pk)
    return appeal


def _open_appeal(application: GrantApplication, status: str) -> Appeal:
    """The appeal waiting in ``status``, locked (the action's check found it there)."""
    return application.appeals.select_for_update().get(status=status)


@transaction.atomic
def appeal_prepare(
    *, actor: User, application: GrantApplication, assessment: str, advice: str
) -> Appeal:
    """The case handler prepares a received appeal for the programme leader: an assessment and
    a recommendation to change the decision or forward the appeal. Internal; may be saved
    again until the programme leader acts. Refuses as ``actions.AppealPrepare`` does."""
    application = lock(application)
    require(actions.AppealPrepare, actor, application)
    errors = {}
    if not assessment.strip():
        errors["assessment"] = _("Write your assessment of the appeal.")
    if advice not in Appeal.Advice.values:
        errors["advice"] = _("Recommend changing the decision or forwarding the appeal.")
    if errors:
        raise ValidationError(errors)
    appeal = _open_appeal(application, Appeal.Status.RECEIVED)
    appeal.handler_assessment = assessment.strip()
    appeal.handler_advice = advice
    appeal.prepared_by = actor
    appeal.prepared_at = timezone.now()
    appeal.save()
    record(
        application, CaseEvent.Kind.APPEAL_PREPARED, actor, data={"advice": advice}, visible=False
    )
    return appeal


@transaction.atomic
def appeal_change_decision(
    *,
    actor: User,
    application: GrantApplication,
    outcome: str,
    amount: int | None = None,
    reasons: str = "",
    conditions: str = "",
    assessment: str = "",
) -> Decision:
    """The district reconsiders and changes its decision: a new decision supersedes the old.
    Refuses as ``actions.AppealChange`` does."""
    application = lock(application)
    require(actions.AppealChange, actor, application)
    appeal = _open_appeal(application, Appeal.Status.RECEIVED)
    errors = _check_outcome(application, outcome, amount, reasons)
    if errors:
        raise ValidationError(errors)
    decision = _new_decision(
        application,
        actor,
        "appeal_change",
        outcome=outcome,
        amount=amount,
        reasons=reasons,
        conditions=conditions,
        on_appeal=True,
    )
    appeal.status = Appeal.Status.CHANGED
    appeal.district_assessment = assessment.strip()
    appeal.handled_by = actor
    appeal.outcome_at = timezone.now()
    appeal.save()
    record(application, CaseEvent.Kind.APPEAL_CHANGED, actor, data={"decision": decision.pk})
    return decision


@transaction.atomic
def appeal_forward(*, actor: User, application: GrantApplication, assessment: str) -> Appeal:
    """The district keeps its decision and forwards the appeal to the appeal body. Refuses as
    ``actions.AppealForward`` does."""
    application = lock(application)
    require(actions.AppealForward, actor, application)
    appeal = _open_appeal(application, Appeal.Status.RECEIVED)
    if not assessment.strip():
        raise ValidationError(
            {"assessment": _("Write the district's assessment to go with the appeal.")}
        )
    appeal.status = Appeal.Status.FORWARDED
    appeal.district_assessment = assessment.strip()
    appeal.forwarded_at = timezone.now()
    appeal.handled_by = actor
    appeal.save()
    record(application, CaseEvent.Kind.APPEAL_FORWARDED, actor)
    notify_applicant(application, "appeal_forwarded")
    return appeal


@transaction.atomic
def appeal_record_outcome(
    *,
    actor: User,
    application: GrantApplication,
    status: str,
    note: str,
    amount: int | None = None,
) -> Appeal:
    """Record the appeal body's outcome. If it allows the appeal, its decision is recorded as
    a new decision made on appeal (in full, or the amount it set). Refuses as
    ``actions.AppealOutcome`` does."""
    application = lock(application)
    require(actions.AppealOutcome, actor, application)
    appeal = _open_appeal(application, Appeal.Status.FORWARDED)
    if status not in (Appeal.Status.UPHELD, Appeal.Status.ALLOWED, Appeal.Status.DISMISSED):
        raise ValidationError({"status": _("Choose the appeal body's outcome.")})
    if not note.strip():
        raise ValidationError({"note": _("Summarise the appeal body's decision.")})
    if status == Appeal.Status.ALLOWED:
        outcome = (
            Recommendation.PARTIAL
            if amount and amount < application.amount_applied
            else Recommendation.APPROVE
        )
        _new_decision(
            application,
            actor,
            "appeal_outcome",
            outcome=outcome,
            amount=amount,
            reasons=note,
            conditions="",
            on_appeal=True,
        )
    appeal.status = status
    appeal.outcome_note = note.strip()
    appeal.outcome_at = timezone.now()
    appeal.handled_by = actor
    appeal.save()
    record(application, CaseEvent.Kind.APPEAL_OUTCOME, actor, data={"status": status})
    notify_applicant(application, "appeal_outcome")
    return appeal
