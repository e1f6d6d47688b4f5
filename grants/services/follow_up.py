"""Following up a decision: the decision letter, acceptance, payments and the final report.

Appeals against a decision are in ``appeals``; reminders and lapsing are in ``reminders``.
"""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.actions import require
from core.formatting import kroner

from .. import actions, deadlines, selectors, workflow
from ..models import CaseEvent, Decision, FinalReport, GrantApplication, Payment
from ._common import lock, notify_applicant, record

S = GrantApplication.Status


# --- The decision letter ------------------------------------------------------------------------


def decision_letter_render(*, decision_id: int) -> Decision:
    """Render the decision letter to PDF and notify the applicant. Safe to run twice.

    The deadlines run from notification: the appeal deadline three weeks on (moved past
    weekends and holidays), the acceptance deadline by the round's number of days.
    """
    from ..letters import letter_filename, render_letter_pdf

    decision = Decision.objects.select_related("application__round").get(pk=decision_id)
    if decision.letter_status == Decision.LetterStatus.READY:
        return decision
    today = timezone.localdate()
    appeal_deadline = deadlines.appeal_deadline(today)
    try:
        pdf = render_letter_pdf(decision, notified_on=today, appeal_deadline=appeal_deadline)
    except Exception as exc:
        Decision.objects.filter(pk=decision.pk).update(
            letter_status=Decision.LetterStatus.FAILED, letter_error=repr(exc)[:2000]
        )
        raise
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision_id)
        if decision.letter_status == Decision.LetterStatus.READY:
            return decision
        application = lock(decision.application)
        decision.letter.save(letter_filename(decision), ContentFile(pdf), save=False)
        decision.letter_status = Decision.LetterStatus.READY
        decision.letter_error = ""
        decision.notified_at = timezone.now()
        decision.appeal_deadline = appeal_deadline
        decision.save()
        if decision.is_grant and application.status == S.GRANTED:
            application.accept_by = deadlines.acceptance_deadline(
                today, application.round.acceptance_days
            )
            application.save(update_fields=["accept_by", "updated_at"])
        record(application, CaseEvent.Kind.LETTER_READY, None, data={"decision": decision.pk})
        notify_applicant(application, "decision")
    return decision


# --- Acceptance and payments --------------------------------------------------------------------


@transaction.atomic
def grant_accept(*, actor: User, application: GrantApplication) -> GrantApplication:
    """The applicant accepts the grant and its conditions, within the round's time, once the
    letter is ready. Refuses as ``actions.Accept`` does."""
    application = lock(application)
    require(actions.Accept, actor, application)
    application.accepted_at = timezone.now()
    workflow.move(application, "accept", actor=actor, update_fields=["accepted_at"])
    return application


@transaction.atomic
def payment_register(
    *, actor: User, application: GrantApplication, amount: int, paid_on, note: str = ""
) -> Payment:
    """Register a payment of an accepted grant. Payments never exceed the amount granted."""
    application = lock(application)
    require(actions.Payment, actor, application)
    decision = selectors.current_decision(application)
    paid = sum(p.amount for p in application.payments.all())
    if amount <= 0:
        raise ValidationError({"amount": _("Enter an amount greater than zero.")})
    if paid + amount > decision.amount:
        raise ValidationError(
            {
                "amount": _("This would pay out %(total)s, more than the %(granted)s granted.")
                % {"total": kroner(paid + amount), "granted": kroner(decision.amount)}
            }
        )
    payment = Payment.objects.create(
        application=application,
        amount=amount,
        paid_on=paid_on,
        note=note,
        registered_by=actor,
    )
    record(application, CaseEvent.Kind.PAYMENT, actor, data={"amount": amount})
    return payment


# --- The final report ---------------------------------------------------------------------------


@transaction.atomic
def report_submit(
    *,
    actor: User,
    application: GrantApplication,
    what_was_done: str,
    participants: int,
    dugnad_hours: int,
    actuals: dict[int, int],
) -> FinalReport:
    """Submit (or resubmit after return) the final report with actual costs per budget line.
    Refuses as ``actions.Report`` does."""
    application = lock(application)
    require(actions.Report, actor, application)
    errors = {}
    if not what_was_done.strip():
        errors["what_was_done"] = _("Describe what was done.")
    lines = list(application.cost_lines.all())
    missing = [line for line in lines if actuals.get(line.pk) is None]
    if missing:
        errors["accounts"] = _("Enter the actual cost for every budget line.")
    if errors:
        raise ValidationError(errors)
    accounts = [
        {"description": line.description, "budgeted": line.amount, "actual": actuals[line.pk]}
        for line in lines
    ]
    report, created = FinalReport.objects.get_or_create(
        application=application,
        defaults={
            "what_was_done": what_was_done,
            "participants": participants,
            "dugnad_hours": dugnad_hours,
            "accounts": accounts,
            "submitted_by": actor,
        },
    )
    if not created:
        report.what_was_done = what_was_done
        report.participants = participants
        report.dugnad_hours = dugnad_hours
        report.accounts = accounts
        report.submitted_by = actor
        report.submitted_at = timezone.now()
        report.status = FinalReport.Status.SUBMITTED
        report.save()
    workflow.move(application, "report", actor=actor)
    return report


@transaction.atomic
def report_review(
    *, actor: User, application: GrantApplication, approve: bool, note: str = ""
) -> FinalReport:
    """Approve the final report, which closes the case, or return it with a comment.
    Refuses as ``actions.ReportReview`` does."""
    application = lock(application)
    require(actions.ReportReview, actor, application)
    if not approve and not note.strip():
        raise ValidationError({"note": _("Tell the applicant what to change.")})
    report = application.final_report  # exists once the status is "report submitted"
    report.status = FinalReport.Status.APPROVED if approve else FinalReport.Status.RETURNED
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    report.review_note = note.strip()
    report.save()
    if approve:
        record(application, CaseEvent.Kind.REPORT_APPROVED, actor)
        application.closed_at = timezone.now()
        workflow.move(application, "close", actor=actor, update_fields=["closed_at"])
        notify_applicant(application, "closed")
    else:
        workflow.move(application, "report_return", actor=actor, note=note.strip())
        notify_applicant(application, "report_returned")
    return report
