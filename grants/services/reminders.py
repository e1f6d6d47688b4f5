"""Reminders and lapsing, run by Celery beat (``grants.send_reminders``): reminders before the
acceptance and the final report deadlines, and lapsing grants that were not accepted in time.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .. import workflow
from ..models import Appeal, CaseEvent, GrantApplication
from ._common import notify_applicant, record

S = GrantApplication.Status

ACCEPTANCE_REMINDER = timedelta(days=7)
REPORT_REMINDER = timedelta(days=14)


def reminders_send(*, today=None) -> dict[str, int]:
    """Email reminders before the acceptance and report deadlines; lapse grants not accepted.

    Each reminder is sent once (a ``…_sent_at`` marker); running twice sends nothing new.
    """
    today = today or timezone.localdate()
    counts = {"lapsed": 0}
    acceptance_due = GrantApplication.objects.filter(
        status=S.GRANTED,
        accept_by__isnull=False,
        accept_by__lte=today + ACCEPTANCE_REMINDER,
        accept_by__gte=today,
        acceptance_reminder_sent_at__isnull=True,
    )
    counts["acceptance"] = _remind_once(
        acceptance_due, "acceptance_reminder_sent_at", "acceptance", "reminder_accept"
    )
    report_due = GrantApplication.objects.filter(
        status=S.ACCEPTED,
        round__report_deadline__lte=today + REPORT_REMINDER,
        round__report_deadline__gte=today,
        report_reminder_sent_at__isnull=True,
    )
    counts["report"] = _remind_once(
        report_due, "report_reminder_sent_at", "report", "reminder_report"
    )
    expired = GrantApplication.objects.filter(status=S.GRANTED, accept_by__lt=today).exclude(
        appeals__status__in=[Appeal.Status.RECEIVED, Appeal.Status.FORWARDED]
    )
    for pk in expired.values_list("pk", flat=True):
        with transaction.atomic():
            app = GrantApplication.objects.select_for_update().get(pk=pk)
            if app.status != S.GRANTED:
                continue
            app.closed_at = timezone.now()
            workflow.move(app, "lapse", actor=None, update_fields=["closed_at"])
            notify_applicant(app, "lapsed")
            counts["lapsed"] += 1
    return counts


def _remind_once(due, marker: str, about: str, template: str) -> int:
    """Send one reminder per application in ``due``, each under its own row lock; the
    ``marker`` timestamp makes a second run (or a concurrent one) skip it."""
    sent = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            app = GrantApplication.objects.select_for_update().get(pk=pk)
            if getattr(app, marker) is not None:
                continue
            setattr(app, marker, timezone.now())
            app.save(update_fields=[marker])
            record(app, CaseEvent.Kind.REMINDER, None, data={"about": about})
            notify_applicant(app, template)
            sent += 1
    return sent
