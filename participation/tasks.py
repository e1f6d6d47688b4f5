"""Emails about registrations and input, and the reminder the day before (Celery beat).

Tasks take primary keys; the reminder marker on each registration makes the beat task safe to
run twice.
"""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

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


def _render(template: str, context: dict) -> tuple[str, str]:
    subject = render_to_string(f"participation/email/{template}_subject.txt", context)
    body = render_to_string(f"participation/email/{template}.txt", context)
    return settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split()), body


@shared_task(name="participation.send_registration_email")
def send_registration_email(registration_id: int, template: str, context: dict | None = None):
    from .models import Registration

    template = STATUS_TEMPLATES.get(template, template)
    if template not in REGISTRATION_TEMPLATES:
        raise ValueError(template)
    registration = Registration.objects.select_related("event").get(pk=registration_id)
    with translation.override(settings.LANGUAGE_CODE):
        ctx = {
            "registration": registration,
            "event": registration.event,
            "site_url": settings.SITE_URL,
            "event_url": settings.SITE_URL
            + reverse("participation:event_detail", kwargs={"slug": registration.event.slug}),
            "confirm_url": settings.SITE_URL
            + reverse("participation:registration_confirm", kwargs={"token": registration.token}),
            "cancel_url": settings.SITE_URL
            + reverse("participation:registration_cancel", kwargs={"token": registration.token}),
            "ics_url": settings.SITE_URL
            + reverse("participation:event_ics", kwargs={"slug": registration.event.slug}),
            **(context or {}),
        }
        subject, body = _render(template, ctx)
    return send_mail(subject, body, None, [registration.email])


@shared_task(name="participation.send_input_status_email")
def send_input_status_email(input_id: int) -> int:
    """Tell whoever gave the input what has become of it."""
    from .models import Input

    item = Input.objects.select_related("area", "author", "taken_into_project").get(pk=input_id)
    recipient = item.contact_email
    if not recipient:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        ctx = {
            "input": item,
            "site_url": settings.SITE_URL,
            "area_inputs_url": settings.SITE_URL
            + reverse("participation:area_inputs", kwargs={"slug": item.area.slug}),
        }
        subject, body = _render("input_status", ctx)
    return send_mail(subject, body, None, [recipient])


@shared_task(name="participation.send_event_reminders")
def send_event_reminders() -> int:
    from .services import reminders_send

    return reminders_send()
