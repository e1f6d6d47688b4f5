"""Background work for grant cases. Tasks take primary keys and call one service.

The database, not the broker, remembers what is pending: a decision whose letter is not ready
is found again by ``sweep_pending_letters`` on the beat schedule, so a broker outage loses nothing.
Every task is safe to run twice: the letter is claimed by its status, the receipt by its
``receipt_sent_at`` marker, and the reminders by theirs (in ``services.reminders_send``).
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.formatting import kroner
from core.tasks import send_now

from . import deadlines

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
    "appeal_receipt",
    "reminder_accept",
    "reminder_report",
    "lapsed",
}
# Emails that speak of the decision in force (its amount, deadlines).
DECISION_TEMPLATES = {"decision", "reminder_accept", "lapsed", "appeal_outcome"}
# A letter still pending this long after its decision was lost on the way to a worker.
RETRY_FAILED = timedelta(days=1)
# The sweep runs every minute: a letter whose task was lost (the broker away when the decision
# was made, a worker that died) is sent again one to two minutes after its decision.
STALE_LETTER = timedelta(minutes=1)
# SMTP errors are OSErrors: a mail server that is briefly away is tried again later.
RETRY = {"autoretry_for": (OSError,), "retry_backoff": 30, "max_retries": 5}


def applicant_recipients(application) -> dict[str, list[str]]:
    """The organisation's address and its members', grouped by the language to write in: each
    member's own, and for the organisation's address that of whoever started the application."""
    from accounts.language import language_for

    by_email: dict[str, str] = {}
    if application.organisation.email:
        by_email[application.organisation.email.lower()] = language_for(application.created_by)
    for membership in application.organisation.memberships.select_related("user"):
        user = membership.user
        if user.is_active and user.email:
            by_email[user.email.lower()] = language_for(user)
    groups: dict[str, list[str]] = {}
    for email, language in sorted(by_email.items()):
        groups.setdefault(language, []).append(email)
    return groups


def _email_context(application, template: str) -> dict:
    """What the email templates show: the reference, the case page and the dates that matter."""
    from . import letters
    from .models import Appeal, CaseMessage
    from .selectors import current_decision

    ctx = {
        "application": application,
        "organisation": application.organisation,
        "round": application.round,
        "district": application.area.district if application.area_id else None,
        "case_url": letters.case_url(application, translation.get_language()),
        "site_url": settings.SITE_URL,
        "applied_text": kroner(application.amount_applied),
    }
    if template in DECISION_TEMPLATES:
        decision = current_decision(application)
        ctx["decision"] = decision
        ctx["amount_text"] = kroner(decision.amount) if decision else ""
    if template == "info_request":
        ctx["request"] = (
            application.messages.filter(kind=CaseMessage.Kind.INFO_REQUEST)
            .order_by("-created_at", "-pk")
            .first()
        )
    if template in ("appeal_forwarded", "appeal_outcome", "appeal_receipt"):
        ctx["appeal"] = Appeal.objects.filter(application=application).first()
    if template == "appeal_receipt" and ctx["appeal"]:
        ctx["handle_by"] = deadlines.appeal_handling_deadline(
            timezone.localdate(ctx["appeal"].submitted_at)
        )
    return ctx


@shared_task(name="grants.send_applicant_email", **RETRY)
def send_applicant_email(application_id: int, template: str, context: dict | None = None) -> int:
    """Email the applicant about their case, rendered from ``grants/email/<template>.txt``.

    Each recipient gets it in their own language (see ``applicant_recipients``). The receipt
    goes once only.
    """
    from .models import GrantApplication

    if template not in EMAIL_TEMPLATES:
        raise ValueError(template)
    application = GrantApplication.objects.select_related(
        "organisation", "round", "area__district", "created_by"
    ).get(pk=application_id)
    if template == "receipt" and application.receipt_sent_at is not None:
        return 0
    sent = 0
    for language, recipients in applicant_recipients(application).items():
        with translation.override(language):
            ctx = {**_email_context(application, template), **(context or {})}
            subject = render_to_string(f"grants/email/{template}_subject.txt", ctx).strip()
            body = render_to_string(f"grants/email/{template}.txt", ctx)
        sent += send_mail(
            settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
            body,
            None,
            recipients,
        )
    if template == "receipt" and sent:
        GrantApplication.objects.filter(pk=application_id).update(receipt_sent_at=timezone.now())
    return sent


def district_staff_recipients(application) -> dict[str, list[str]]:
    """The case handlers and programme leaders of the application's district, grouped by the
    language each of them reads in."""
    from accounts.language import language_for
    from accounts.models import User

    from .permissions import HANDLER_ROLES

    if not application.area_id:
        return {}
    staff = (
        User.objects.filter(
            is_active=True,
            role_assignments__role__in=HANDLER_ROLES,
            role_assignments__district_id=application.area.district_id,
        )
        .exclude(email="")
        .distinct()
        .order_by("email")
    )
    groups: dict[str, list[str]] = {}
    for user in staff:
        groups.setdefault(language_for(user), []).append(user.email)
    return groups


def _staff_case_url(application, language: str) -> str:
    with translation.override(language):
        path = reverse("grants:staff_case", args=[application.pk])
    return f"{settings.SITE_URL}{path}"


@shared_task(name="grants.send_appeal_to_district", **RETRY)
def send_appeal_to_district(appeal_id: int) -> int:
    """Tell the district's case handlers and programme leaders that an appeal has arrived, with
    the date by which the district should have handled it. Safe to run twice: each person is
    written to once (``Appeal.district_notified``), also when a retry follows a failed send."""
    from .models import Appeal

    appeal = Appeal.objects.select_related(
        "application__organisation", "application__area__district", "decision"
    ).get(pk=appeal_id)
    application = appeal.application
    received_on = timezone.localdate(appeal.submitted_at)
    sent = 0
    done = set(appeal.district_notified)
    for language, everyone in district_staff_recipients(application).items():
        recipients = [email for email in everyone if email not in done]
        if not recipients:
            continue
        with translation.override(language):
            ctx = {
                "appeal": appeal,
                "application": application,
                "organisation": application.organisation,
                "district": application.area.district,
                "received_on": received_on,
                "handle_by": deadlines.appeal_handling_deadline(received_on),
                "case_url": _staff_case_url(application, language),
                "site_url": settings.SITE_URL,
            }
            subject = render_to_string("grants/email/appeal_received_subject.txt", ctx).strip()
            body = render_to_string("grants/email/appeal_received.txt", ctx)
        sent += send_mail(
            settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
            body,
            None,
            recipients,
        )
        done.update(recipients)
        Appeal.objects.filter(pk=appeal.pk).update(district_notified=sorted(done))
    return sent


@shared_task(name="grants.send_invitation_email", **RETRY)
def send_invitation_email(invitation_id: int) -> int:
    """Email an invitation to act for an organisation, with the link that accepts it."""
    from .models import Invitation

    invitation = Invitation.objects.select_related("organisation", "invited_by").get(
        pk=invitation_id
    )
    if not invitation.is_valid():
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        ctx = {
            "invitation": invitation,
            "organisation": invitation.organisation,
            "valid_until": invitation.created_at + Invitation.VALID_FOR,
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("grants/email/invitation_subject.txt", ctx).strip()
        body = render_to_string("grants/email/invitation.txt", ctx)
    return send_mail(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()),
        body,
        None,
        [invitation.email],
    )


@shared_task(bind=True, name="grants.render_decision_letter", max_retries=5)
def render_decision_letter(self, decision_id: int) -> str:
    """Render a decision letter (WeasyPrint, PDF/UA) and notify the applicant; idempotent.

    A failure is recorded on the decision (``letter_status`` FAILED and the error), where the
    case page shows it; it is not raised, because in embedded mode this runs inside the
    request that made the decision, which has committed and must not turn into an error page.
    An OSError (storage or font files briefly away) is retried on a worker.
    """
    from .models import Decision
    from .services import decision_letter_render

    try:
        decision = decision_letter_render(decision_id=decision_id)
    except Decision.DoesNotExist:
        logger.warning("Decision %s is gone; no letter to render.", decision_id)
        return ""
    except OSError as exc:
        if not self.request.is_eager and self.request.retries < self.max_retries:
            raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
        logger.exception("The letter for decision %s could not be rendered.", decision_id)
        return ""
    except Exception:
        logger.exception("The letter for decision %s could not be rendered.", decision_id)
        return ""
    return decision.letter.name


@shared_task(name="grants.sweep_pending_letters")
def sweep_pending_letters() -> int:
    """Re-enqueue letters still pending a while after their decision (a lost message), and
    try failed ones again for a day (a full disk or a missing font that has since been fixed);
    after that a failed letter waits for an operator, and the log says so every sweep."""
    from django.db.models import Q

    from .models import Decision

    now = timezone.now()
    stale = list(
        Decision.objects.filter(
            Q(letter_status=Decision.LetterStatus.PENDING, decided_at__lt=now - STALE_LETTER)
            | Q(letter_status=Decision.LetterStatus.FAILED, decided_at__gte=now - RETRY_FAILED)
        ).values_list("pk", flat=True)
    )
    given_up = Decision.objects.filter(
        letter_status=Decision.LetterStatus.FAILED, decided_at__lt=now - RETRY_FAILED
    ).count()
    if given_up:
        logger.error("%d decision letters failed for more than a day; see letter_error.", given_up)
    for pk in stale:
        send_now(render_decision_letter, pk)
    if stale:
        logger.info("Re-enqueued %d pending decision letters.", len(stale))
    return len(stale)


@shared_task(name="grants.sweep_pending_receipts")
def sweep_pending_receipts() -> int:
    """Send again the receipts of applications submitted in the last day whose receipt has not
    gone out a while after submission (the broker was away, or the mail server): the
    ``receipt_sent_at`` marker is what remembers it."""
    from .models import GrantApplication

    now = timezone.now()
    pending = list(
        GrantApplication.objects.filter(
            receipt_sent_at__isnull=True,
            submitted_at__lt=now - STALE_LETTER,
            submitted_at__gte=now - RETRY_FAILED,
        )
        .exclude(status=GrantApplication.Status.DRAFT)
        .values_list("pk", flat=True)
    )
    for pk in pending:
        send_now(send_applicant_email, pk, "receipt")
    if pending:
        logger.info("Re-enqueued %d application receipts.", len(pending))
    return len(pending)


@shared_task(name="grants.send_reminders")
def send_reminders() -> dict:
    """Acceptance and report reminders, and lapsing grants not accepted in time (beat)."""
    from .services import reminders_send

    return reminders_send()
