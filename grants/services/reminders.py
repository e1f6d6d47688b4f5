"""Reminders and lapsing, run by Celery beat (``grants.send_reminders``): reminders before the
acceptance and the final report deadlines, and lapsing grants that were not accepted in time.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

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
