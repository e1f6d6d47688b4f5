"""After the decision: the decision letter, acceptance, payments and the final report.

Appeals against a decision are in ``appeals``; reminders and lapsing are in ``reminders``.
"""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.formatting import kroner

from .. import deadlines, workflow
from ..models import CaseEvent, Decision, FinalReport, GrantApplication, Payment
from ..permissions import applications_for_applicant, can_handle
from ._common import lock, notify_applicant, record, require

S = GrantApplication.Status


def _require_member(actor: User, application: GrantApplication) -> None:
    require(applications_for_applicant(actor).filter(pk=application.pk).exists())


def current_decision(application: GrantApplication) -> Decision | None:
    return application.decisions.filter(superseded_by__isnull=True).first()


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
    """The applicant accepts the grant and its conditions, within the round's time."""
    _require_member(actor, application)
    application = lock(application)
    workflow.require(application.status, S.ACCEPTED)
    decision = current_decision(application)
    if decision is None or decision.letter_status != Decision.LetterStatus.READY:
        raise ValidationError(_("The decision letter is not ready yet. Try again in a moment."))
    if application.accept_by and timezone.localdate() > application.accept_by:
        raise ValidationError(
            _("The time to accept the grant ran out on %(date)s. Contact the district.")
            % {"date": application.accept_by.strftime("%d.%m.%Y")}
        )
    application.status = S.ACCEPTED
    application.accepted_at = timezone.now()
    application.save(update_fields=["status", "accepted_at", "updated_at"])
    record(application, CaseEvent.Kind.ACCEPTED, actor)
    return application


@transaction.atomic
def payment_register(
    *, actor: User, application: GrantApplication, amount: int, paid_on, note: str = ""
) -> Payment:
    """Register a payment of an accepted grant. Payments never exceed the amount granted."""
    application = lock(application)
    require(can_handle(actor, application))
    if application.status not in (S.ACCEPTED, S.REPORT_SUBMITTED):
        raise ValidationError(_("Payments are registered once the grant has been accepted."))
    decision = current_decision(application)
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
    """Submit (or resubmit after return) the final report with actual costs per budget line."""
    _require_member(actor, application)
    application = lock(application)
    workflow.require(application.status, S.REPORT_SUBMITTED)
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
    application.status = S.REPORT_SUBMITTED
    application.save(update_fields=["status", "updated_at"])
    record(application, CaseEvent.Kind.REPORT_SUBMITTED, actor)
    return report


@transaction.atomic
def report_review(
    *, actor: User, application: GrantApplication, approve: bool, note: str = ""
) -> FinalReport:
    """Approve the final report, which closes the case, or return it with a comment."""
    application = lock(application)
    require(can_handle(actor, application))
    if not approve and not note.strip():
        raise ValidationError({"note": _("Tell the applicant what to change.")})
    target = S.CLOSED if approve else S.ACCEPTED
    workflow.require(application.status, target)
    report = application.final_report  # exists once the status is "report submitted"
    report.status = FinalReport.Status.APPROVED if approve else FinalReport.Status.RETURNED
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    report.review_note = note.strip()
    report.save()
    application.status = target
    if approve:
        application.closed_at = timezone.now()
    application.save(update_fields=["status", "closed_at", "updated_at"])
    if approve:
        record(application, CaseEvent.Kind.REPORT_APPROVED, actor)
        record(application, CaseEvent.Kind.CLOSED, actor)
        notify_applicant(application, "closed")
    else:
        record(application, CaseEvent.Kind.REPORT_RETURNED, actor, note=note.strip())
        notify_applicant(application, "report_returned")
    return report
