"""Background work for grant cases. Tasks take primary keys and call one service.

The database, not the broker, remembers what is pending: a decision whose letter is not ready
is found again by ``sweep_pending_letters`` on the beat schedule, so a broker outage loses nothing.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

EMAIL_TEMPLATES = {
    "receipt",
    "info_request",
    "message",
    "decision",
    "report_returned",
    "closed",
    "appeal_forwarded",
    "appeal_outcome",
    "reminder_accept",
    "reminder_report",
    "lapsed",
}


def applicant_recipients(application) -> list[str]:
    emails = {application.organisation.email.lower()}
    emails |= {
        m.user.email.lower()
        for m in application.organisation.memberships.select_related("user")
        if m.user.is_active and m.user.email
    }
    return sorted(e for e in emails if e)


@shared_task(name="grants.send_applicant_email")
def send_applicant_email(application_id: int, template: str, context: dict | None = None) -> int:
    """Email the applicant about their case, rendered from ``grants/email/<template>.txt``."""
    from .models import GrantApplication

    if template not in EMAIL_TEMPLATES:
        raise ValueError(template)
    application = GrantApplication.objects.select_related("organisation", "round").get(
        pk=application_id
    )
    with translation.override(settings.LANGUAGE_CODE):
        ctx = {
            "application": application,
            "site_url": settings.SITE_URL,
            **(context or {}),
        }
        subject = render_to_string(f"grants/email/{template}_subject.txt", ctx).strip()
        body = render_to_string(f"grants/email/{template}.txt", ctx)
    sent = send_mail(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
        body,
        None,
        applicant_recipients(application),
    )
    if template == "receipt" and sent:
        GrantApplication.objects.filter(pk=application_id).update(receipt_sent_at=timezone.now())
    return sent


@shared_task(name="grants.send_invitation_email")
def send_invitation_email(invitation_id: int) -> int:
    from .models import Invitation

    invitation = Invitation.objects.select_related("organisation", "invited_by").get(
        pk=invitation_id
    )
    with translation.override(settings.LANGUAGE_CODE):
        ctx = {"invitation": invitation, "site_url": settings.SITE_URL}
        subject = render_to_string("grants/email/invitation_subject.txt", ctx).strip()
        body = render_to_string("grants/email/invitation.txt", ctx)
    return send_mail(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [invitation.email]
    )


@shared_task(
    name="grants.render_decision_letter",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def render_decision_letter(decision_id: int) -> str:
    """Render a decision letter (WeasyPrint, PDF/UA) and notify the applicant; idempotent."""
    from .services import decision_letter_render

    decision = decision_letter_render(decision_id=decision_id)
    return decision.letter.name


@shared_task(name="grants.sweep_pending_letters")
def sweep_pending_letters() -> int:
    """Re-enqueue letters still pending a while after their decision (a lost message)."""
    from .models import Decision

    stale = Decision.objects.filter(
        letter_status=Decision.LetterStatus.PENDING,
        decided_at__lt=timezone.now() - timedelta(minutes=5),
    ).values_list("pk", flat=True)
    for pk in stale:
        render_decision_letter.delay(pk)
    return len(stale)


@shared_task(name="grants.send_reminders")
def send_reminders() -> dict:
    from .services import reminders_send

    return reminders_send()
