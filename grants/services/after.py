"""After the decision: the letter, acceptance, payments, the final report, appeals, reminders."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .. import deadlines, workflow
from ..models import (
    Appeal,
    CaseEvent,
    Decision,
    FinalReport,
    GrantApplication,
    Payment,
    Recommendation,
)
from ..permissions import applications_for_applicant, can_handle, has_decider_role
from ..rules import kr
from ._common import lock, notify_applicant, record, require
from .cases import _check_outcome, _new_decision

S = GrantApplication.Status

ACCEPTANCE_REMINDER = timedelta(days=7)
REPORT_REMINDER = timedelta(days=14)


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
            application.accept_by = today + timedelta(days=application.round.acceptance_days)
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
                % {"total": kr(paid + amount), "granted": kr(decision.amount)}
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


# --- Appeals ------------------------------------------------------------------------------------


@transaction.atomic
def appeal_submit(*, actor: User, application: GrantApplication, text: str) -> Appeal:
    """Appeal the current decision. After the deadline the appeal is taken but flagged late."""
    _require_member(actor, application)
    application = lock(application)
    decision = current_decision(application)
    if decision is None or decision.notified_at is None:
        raise ValidationError(_("There is no decision to appeal yet."))
    if application.status not in (S.GRANTED, S.REJECTED, S.ACCEPTED):
        raise ValidationError(_("This decision can no longer be appealed here."))
    if application.appeals.filter(status__in=[Appeal.Status.RECEIVED, Appeal.Status.FORWARDED]):
        raise ValidationError(_("Your appeal is already being handled."))
    # Forvaltningsloven § 28: the appeal body's decision cannot be appealed. (A decision the
    # district changed on reconsideration is a new decision, and that can.)
    body_decided = [Appeal.Status.UPHELD, Appeal.Status.ALLOWED, Appeal.Status.DISMISSED]
    if application.appeals.filter(status__in=body_decided).exists():
        raise ValidationError(
            _("The appeal body has decided this case. Its decision cannot be appealed.")
        )
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
    return appeal


def _open_appeal(application: GrantApplication, status: str) -> Appeal:
    appeal = application.appeals.select_for_update().filter(status=status).first()
    if appeal is None:
        raise ValidationError(_("There is no appeal waiting for this step."))
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
    """The district reconsiders and changes its decision: a new decision supersedes the old."""
    application = lock(application)
    require(has_decider_role(actor, application))
    appeal = _open_appeal(application, Appeal.Status.RECEIVED)
    errors = _check_outcome(application, outcome, amount, reasons)
    if errors:
        raise ValidationError(errors)
    decision = _new_decision(
        application,
        actor,
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
    """The district keeps its decision and forwards the appeal to the appeal body."""
    application = lock(application)
    require(has_decider_role(actor, application))
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
    a new decision made on appeal (in full, or the amount it set)."""
    application = lock(application)
    require(has_decider_role(actor, application))
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


# --- Reminders and lapsing (Celery beat) --------------------------------------------------------


def reminders_send(*, today=None) -> dict[str, int]:
    """Email reminders before the acceptance and report deadlines; lapse grants not accepted.

    Each reminder is sent once (a ``…_sent_at`` marker); running twice sends nothing new.
    """
    today = today or timezone.localdate()
    counts = {"acceptance": 0, "report": 0, "lapsed": 0}
    due = GrantApplication.objects.filter(
        status=S.GRANTED,
        accept_by__isnull=False,
        accept_by__lte=today + ACCEPTANCE_REMINDER,
        accept_by__gte=today,
        acceptance_reminder_sent_at__isnull=True,
    )
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            app = GrantApplication.objects.select_for_update().get(pk=pk)
            if app.acceptance_reminder_sent_at is not None:
                continue
            app.acceptance_reminder_sent_at = timezone.now()
            app.save(update_fields=["acceptance_reminder_sent_at"])
            record(app, CaseEvent.Kind.REMINDER, None, data={"about": "acceptance"})
            notify_applicant(app, "reminder_accept")
            counts["acceptance"] += 1
    report_due = GrantApplication.objects.filter(
        status=S.ACCEPTED,
        round__report_deadline__lte=today + REPORT_REMINDER,
        round__report_deadline__gte=today,
        report_reminder_sent_at__isnull=True,
    )
    for pk in report_due.values_list("pk", flat=True):
        with transaction.atomic():
            app = GrantApplication.objects.select_for_update().get(pk=pk)
            if app.report_reminder_sent_at is not None:
                continue
            app.report_reminder_sent_at = timezone.now()
            app.save(update_fields=["report_reminder_sent_at"])
            record(app, CaseEvent.Kind.REMINDER, None, data={"about": "report"})
            notify_applicant(app, "reminder_report")
            counts["report"] += 1
    expired = GrantApplication.objects.filter(status=S.GRANTED, accept_by__lt=today).exclude(
        appeals__status__in=[Appeal.Status.RECEIVED, Appeal.Status.FORWARDED]
    )
    for pk in expired.values_list("pk", flat=True):
        with transaction.atomic():
            app = GrantApplication.objects.select_for_update().get(pk=pk)
            if app.status != S.GRANTED:
                continue
            app.status = S.LAPSED
            app.closed_at = timezone.now()
            app.save(update_fields=["status", "closed_at", "updated_at"])
            record(app, CaseEvent.Kind.LAPSED, None)
            notify_applicant(app, "lapsed")
            counts["lapsed"] += 1
    return counts
