"""The emails of following: confirm the address, the follow has started, your own link, and
the digests (made by beat, ``make_digests``; each sent once).

A digest carries List-Unsubscribe and List-Unsubscribe-Post (RFC 8058): the mail client's
"unsubscribe" button ends the follow with one POST, no page to open.
"""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from . import digest
from .models import Digest, Follower

RETRY = {"autoretry_for": (OSError,), "retry_backoff": 30, "max_retries": 5}
FOLLOW_TEMPLATES = {"confirm", "started", "manage_link"}


def _url(name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(f"following:{name}", kwargs=kwargs)


def _render(template: str, context: dict) -> tuple[str, str]:
    subject = render_to_string(f"following/email/{template}_subject.txt", context)
    body = render_to_string(f"following/email/{template}.txt", context)
    return settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()), body


def _context(follower: Follower) -> dict:
    return {
        "follower": follower,
        "areas": list(follower.areas.order_by("name")),
        "site_url": settings.SITE_URL,
        "manage_url": _url("manage", token=follower.token),
        "unsubscribe_url": _url("unfollow", token=follower.token),
        "confirm_url": (
            _url("confirm", token=follower.confirm_token) if follower.confirm_token else ""
        ),
    }


def _headers(follower: Follower) -> dict:
    return {
        "List-Unsubscribe": f"<{_url('unfollow', token=follower.token)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


@shared_task(name="following.send_follow_email", **RETRY)
def send_follow_email(follower_id: int, template: str) -> int:
    """Email ``template`` to the follower in their language; 0 if they are gone meanwhile or
    the email no longer fits (a confirmation for an address already confirmed)."""
    if template not in FOLLOW_TEMPLATES:
        raise ValueError(template)
    follower = Follower.objects.filter(pk=follower_id).first()
    if follower is None or (template == "confirm" and not follower.confirm_token):
        return 0
    with translation.override(follower.language), timezone.override(settings.TIME_ZONE):
        subject, body = _render(template, _context(follower))
    headers = _headers(follower) if follower.is_confirmed else {}
    return EmailMessage(subject, body, None, [follower.email], headers=headers).send()


@shared_task(name="following.send_digest", **RETRY)
def send_digest(digest_id: int) -> int:
    """Send one digest, once: its row is locked while it is sent and marked sent after."""
    with transaction.atomic():
        made = (
            Digest.objects.select_for_update()
            .select_related("follower")
            .filter(pk=digest_id, sent_at__isnull=True)
            .first()
        )
        if made is None:  # sent already, or the follower has left
            return 0
        follower = made.follower
        area_ids = list(follower.areas.values_list("pk", flat=True))
        news = digest.items(area_ids, made.since, made.until)
        with translation.override(follower.language), timezone.override(settings.TIME_ZONE):
            context = {
                **_context(follower),
                "digest": made,
                "news": news,
            }
            subject, body = _render("digest", context)
        sent = EmailMessage(
            subject, body, None, [follower.email], headers=_headers(follower)
        ).send()
        made.sent_at = timezone.now()
        made.save(update_fields=["sent_at"])
    return sent


@shared_task(name="following.make_digests")
def make_digests() -> int:
    """Beat: make the digests that are due (each follower's day or week has run), and send
    again those made earlier that never went (``send_digest`` sends each once)."""
    from core.tasks import send_now

    from .services import make_digests as make
    from .services import unsent_digests

    for digest_id in unsent_digests():
        send_now(send_digest, digest_id)
    return make()
