"""Emails about registrations and input, and the reminder the day before (Celery beat).

Tasks take primary keys. The reminder marker on each registration (set by
``services.reminders_send``) makes the beat task safe to run twice. An email that no longer
fits the registration when the worker gets to it — a confirmation for a place given up in the
meantime, a reminder for an event since cancelled — is not sent.
"""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.language import language_for

from .models import Event, Input, Registration
from .selectors import with_queue_position

R = Registration.Status

# Template names by registration status (what the person is told after registering).
STATUS_TEMPLATES = {"bekreftet": "confirmed", "venteliste": "waitlisted"}
REGISTRATION_TEMPLATES = {
    "confirm_email",
    "confirmed",
    "waitlisted",
    "promoted",
    "reminder",
    "event_cancelled",
}
# The registration status each email speaks of; an email whose registration has since moved on
# is stale and stays unsent. ``event_cancelled`` goes to everyone not cancelled themselves.
STILL_TRUE = {
    "confirm_email": {R.PENDING},
    "confirmed": {R.CONFIRMED},
    "waitlisted": {R.WAITLISTED},
    "promoted": {R.CONFIRMED},
    "reminder": {R.CONFIRMED},
    "event_cancelled": {R.PENDING, R.CONFIRMED, R.WAITLISTED},
}
# SMTP errors are OSErrors: a mail server that is briefly away is tried again later.
RETRY = {"autoretry_for": (OSError,), "retry_backoff": 30, "max_retries": 5}


def _url(name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(f"participation:{name}", kwargs=kwargs)


def _render(template: str, context: dict) -> tuple[str, str]:
    subject = render_to_string(f"participation/email/{template}_subject.txt", context)
    body = render_to_string(f"participation/email/{template}.txt", context)
    return settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()), body


def _stale(registration, template: str) -> bool:
    if registration.status not in STILL_TRUE[template]:
        return True
    cancelled = registration.event.status == Event.Status.CANCELLED
    return cancelled != (template == "event_cancelled")


def registration_context(registration) -> dict:
    """What the registration emails show: the event, its district, and the person's links."""
    event = registration.event
    area = event.areas.select_related("district").order_by("name").first()
    starts = timezone.localtime(event.starts_at)
    ends = timezone.localtime(event.ends_at)
    position = (
        with_queue_position(Registration.objects.filter(pk=registration.pk))
        .values_list("queue_position", flat=True)
        .get()
    )
    return {
        "registration": registration,
        "event": event,
        "district": area.district if area else None,
        "starts": starts,
        "ends": ends,
        "same_day": starts.date() == ends.date(),
        "starts_in_days": (starts.date() - timezone.localdate()).days,
        "queue_position": position or 1,
        "site_url": settings.SITE_URL,
        "event_url": _url("event_detail", slug=event.slug),
        "ics_url": _url("event_ics", slug=event.slug),
        "confirm_url": (
            _url("registration_confirm", token=registration.confirm_token)
            if registration.confirm_token
            else ""
        ),
        "cancel_url": _url("registration_cancel", token=registration.token),
        "status_url": _url("registration_status", token=registration.token),
    }


@shared_task(name="participation.send_registration_email", **RETRY)
def send_registration_email(registration_id: int, template: str, context: dict | None = None):
    """Email the person registered, from ``participation/email/<template>.txt``, in their
    language (their account's, or the one they registered in).

    Returns the number of emails sent: 0 when the email no longer fits the registration.
    """
    template = STATUS_TEMPLATES.get(template, template)
    if template not in REGISTRATION_TEMPLATES:
        raise ValueError(template)
    registration = Registration.objects.select_related("event", "user").get(pk=registration_id)
    if _stale(registration, template):
        return 0
    language = language_for(registration.user, registration.language)
    with translation.override(language), timezone.override(settings.TIME_ZONE):
        ctx = {**registration_context(registration), **(context or {})}
        subject, body = _render(template, ctx)
    return send_mail(subject, body, None, [registration.email])


@shared_task(name="participation.send_input_status_email", **RETRY)
def send_input_status_email(input_id: int) -> int:
    """Tell whoever gave the input what has become of it; nothing if they cannot be reached."""
    item = Input.objects.select_related(
        "area__district", "author", "taken_into_project", "event"
    ).get(pk=input_id)
    recipient = item.contact_email
    if not recipient:
        return 0
    project = item.taken_into_project
    language = language_for(item.author, item.language)
    with translation.override(language), timezone.override(settings.TIME_ZONE):
        ctx = {
            "input": item,
            "area": item.area,
            "district": item.area.district,
            "site_url": settings.SITE_URL,
            "project_url": (
                settings.SITE_URL + reverse("projects:detail", kwargs={"slug": project.slug})
                if project is not None and project.is_public
                else ""
            ),
            "area_inputs_url": _url("area_inputs", slug=item.area.slug),
        }
        subject, body = _render("input_status", ctx)
    return send_mail(subject, body, None, [recipient])


@shared_task(name="participation.send_event_reminders")
def send_event_reminders() -> int:
    """Remind those with a place about events in the next 24 hours (beat, hourly)."""
    from .services import reminders_send

    return reminders_send()
