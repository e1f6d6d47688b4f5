"""Registrations: places given in order, a waiting list that moves up, and no overbooking.

Every change to who holds a place locks the event row first (SELECT … FOR UPDATE), so two
requests for the last place are served one after the other: one gets it, the other the
waiting list. The waiting list is strict first-come, first-served: if the first in line needs
more places than are free, nobody behind them jumps the queue.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.crypto import constant_time_compare, get_random_string
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import Event, Registration
from ._common import record, send_later

R = Registration.Status
ACTIVE = (R.PENDING, R.CONFIRMED, R.WAITLISTED)
MAX_PEOPLE = 10


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def seats_taken(event: Event) -> int:
    return event.registrations.filter(status=R.CONFIRMED).aggregate(n=Sum("people"))["n"] or 0


def _allocate(event: Event, registration: Registration) -> None:
    """Confirm the registration if its people fit and nobody waits ahead; else waitlist it."""
    registration.queued_at = timezone.now()
    waiting = event.registrations.filter(status=R.WAITLISTED).exclude(pk=registration.pk)
    fits = event.capacity is None or seats_taken(event) + registration.people <= event.capacity
    if fits and not waiting.exists():
        registration.status = R.CONFIRMED
        registration.confirmed_at = registration.queued_at
    else:
        registration.status = R.WAITLISTED
    registration.save()


def promote_waitlist(event: Event) -> list[Registration]:
    """Move the waiting list up while the first in line fits. Call with the event locked.
    Nobody is given a place at an event that is cancelled or over."""
    from ..tasks import send_registration_email

    promoted = []
    if event.status != Event.Status.PUBLISHED or event.is_past:
        return promoted
    free = None if event.capacity is None else event.capacity - seats_taken(event)
    for registration in event.registrations.filter(status=R.WAITLISTED).order_by("queued_at", "pk"):
        if free is not None and registration.people > free:
            break
        registration.status = R.CONFIRMED
        registration.confirmed_at = registration.promoted_at = timezone.now()
        registration.save(update_fields=["status", "confirmed_at", "promoted_at"])
        if free is not None:
            free -= registration.people
        promoted.append(registration)
        record(event, None, "promoted", pk=registration.pk)
        send_later(send_registration_email, registration.pk, "promoted", {})
    return promoted


def _validate(event: Event, *, name: str, email: str, people: int) -> None:
    if not event.takes_registrations:
        raise ValidationError(_("This event does not take registrations."))
    errors = {}
    if not name.strip():
        errors["name"] = _("Write your name.")
    if not email.strip():
        errors["email"] = _("Write your email address, so we can confirm the registration.")
    else:
        try:
            validate_email(email.strip())
        except ValidationError:
            errors["email"] = _("Enter a valid email address.")
    if not 1 <= people <= MAX_PEOPLE:
        errors["people"] = _("Register between 1 and %(max)s people at a time.") % {
            "max": MAX_PEOPLE
        }
    if errors:
        raise ValidationError(errors)
    duplicate = event.registrations.filter(email__iexact=email.strip(), status__in=ACTIVE)
    if duplicate.exists():
        raise ValidationError(
            {"email": _("This email address is already registered for the event.")}
        )


@transaction.atomic
def registration_create(
    *,
    event: Event,
    actor: User | None,
    name: str,
    email: str,
    people: int = 1,
    interpretation_needed: str = "",
    accessibility_needs: str = "",
    language: str = "",
) -> Registration:
    """Register for an event.

    A signed-in person with a confirmed address gets a place (or a waiting-list place) at once;
    a guest first confirms by a link in the email. Emails go out after commit.
    """
    from ..tasks import send_registration_email

    event = _lock_event(event)
    signed_in = actor is not None and actor.is_authenticated
    if signed_in:
        email = actor.email
        name = name.strip() or actor.full_name
    _validate(event, name=name, email=email, people=people)
    registration = Registration(
        event=event,
        user=actor if signed_in else None,
        name=name.strip(),
        email=email.strip().lower(),
        people=people,
        interpretation_needed=interpretation_needed.strip(),
        accessibility_needs=accessibility_needs.strip(),
        token=get_random_string(40),
        confirm_token="" if signed_in else get_random_string(40),
        language=language,
    )
    if signed_in:
        _allocate(event, registration)
        send_later(send_registration_email, registration.pk, registration.status, {})
    else:
        registration.save()
        send_later(send_registration_email, registration.pk, "confirm_email", {})
    # No actor: the history is read by the board, who may not see who registered.
    record(
        event,
        None,
        "registered",
        pk=registration.pk,
        status=registration.status,
    )
    return registration


def by_token(token: str) -> Registration:
    registration = Registration.objects.select_related("event").filter(token=token).first()
    if registration is None:
        raise Registration.DoesNotExist
    return registration


def by_confirm_token(token: str) -> Registration:
    """The registration whose emailed confirmation link this is."""
    registration = (
        Registration.objects.select_related("event").filter(confirm_token=token).first()
        if token
        else None
    )
    if registration is None:
        raise Registration.DoesNotExist
    return registration


@transaction.atomic
def registration_confirm(*, token: str) -> Registration:
    """A guest confirms their address by the emailed link (``confirm_token``): they get a place
    or a waiting-list place now."""
    from ..tasks import send_registration_email

    registration = by_confirm_token(token)
    event = _lock_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != R.PENDING:
        return registration  # following the link twice changes nothing
    if not event.takes_registrations:
        raise ValidationError(_("This event no longer takes registrations."))
    _allocate(event, registration)
    record(
        event,
        None,
        "confirmed",
        pk=registration.pk,
        status=registration.status,
    )
    send_later(send_registration_email, registration.pk, registration.status, {})
    return registration


@transaction.atomic
def registration_cancel(
    *, registration: Registration, actor: User | None = None, token: str = ""
) -> Registration:
    """Cancel by the link in the email (token) or as the signed-in owner. A freed place goes
    to the first on the waiting list, who is told by email."""
    signed_in = actor is not None and actor.is_authenticated
    if not (token and constant_time_compare(token, registration.token)) and not (
        signed_in and registration.user_id == actor.pk
    ):
        raise PermissionDenied
    actor = actor if signed_in else None  # a guest following the link is nobody in particular
    event = _lock_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == R.CANCELLED:
        return registration
    registration.status = R.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    record(event, actor, "cancelled_registration", pk=registration.pk)
    # A freed place, or a large party leaving the head of the queue, can let others move up.
    promote_waitlist(event)
    return registration


def reminders_send(*, now=None) -> int:
    """Remind confirmed registrations the day before the event; once each."""
    from ..tasks import send_registration_email

    now = now or timezone.now()
    due = Registration.objects.filter(
        status=R.CONFIRMED,
        reminder_sent_at__isnull=True,
        event__status=Event.Status.PUBLISHED,
        event__starts_at__gt=now,
        event__starts_at__lte=now + timedelta(hours=24),
    )
    sent = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            registration = Registration.objects.select_for_update().get(pk=pk)
            if registration.reminder_sent_at is not None:
                continue
            registration.reminder_sent_at = timezone.now()
            registration.save(update_fields=["reminder_sent_at"])
            send_later(send_registration_email, pk, "reminder", {})
            sent += 1
    return sent
