"""Every write of following: start a follow, confirm it, change it, end it, and make the digests.

A guest's follow waits for the link sent to the address; a signed-in person's (the account's
verified address) starts at once. Anyone may ask to follow with any address, so a request for
an address that already follows changes nothing by itself: the address is sent its own link to
change the follow, and the page says the same whatever the address ("check your email").
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, get_random_string
from django.utils.translation import gettext as _

from core.tasks import enqueue

from . import digest
from .models import Digest, Follower

TOKEN_LENGTH = 40
# A guest asking again within this time is not sent another email (no mail bombing).
RESEND_AFTER = timedelta(minutes=10)


def _token() -> str:
    return get_random_string(TOKEN_LENGTH)


def _validate(areas, frequency: str, language: str) -> None:
    from django.conf import settings

    errors = {}
    if not areas:
        errors["areas"] = _("Choose at least one area to follow.")
    if frequency not in Follower.Frequency.values:
        errors["frequency"] = _("Choose daily or weekly.")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose a language.")
    if errors:
        raise ValidationError(errors)


def _verified_address_of(user, email: str) -> bool:
    """Whether ``email`` is a verified address of the signed-in ``user``."""
    from allauth.account.models import EmailAddress

    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def _send(kind: str, follower_id: int) -> None:
    from .tasks import send_follow_email

    enqueue(send_follow_email, follower_id, kind)


@transaction.atomic
def follow(*, email: str, areas, frequency: str, language: str, user=None) -> Follower:
    """Start following ``areas``, or ask the address to confirm. Returns the follower row
    (confirmed for a signed-in person using their account's address)."""
    _validate(areas, frequency, language)
    email = email.strip()
    now = timezone.now()
    own_address = _verified_address_of(user, email)
    existing = Follower.objects.select_for_update().filter(email__iexact=email).first()
    if existing is not None and existing.is_confirmed and not own_address:
        # Somebody asks for an address that already follows: only its owner may change it.
        if existing.confirm_sent_at is None or now - existing.confirm_sent_at >= RESEND_AFTER:
            existing.confirm_sent_at = now
            existing.save(update_fields=["confirm_sent_at"])
            _send("manage_link", existing.pk)
        return existing
    follower = existing or Follower(email=email, token=_token())
    follower.frequency = frequency
    follower.language = language
    if own_address:
        follower.user = user
        if not follower.is_confirmed:
            follower.confirmed_at = follower.covered_until = now
        follower.confirm_token = ""
    else:
        resend = follower.confirm_sent_at is None or now - follower.confirm_sent_at >= RESEND_AFTER
        if not follower.confirm_token:
            follower.confirm_token = _token()
        if resend:
            follower.confirm_sent_at = now
    try:
        with transaction.atomic():
            follower.save()
    except IntegrityError as exc:  # the same address asked twice at once: the first one counts
        raise ValidationError(
            {"email": _("This address was just used to follow. Check your email.")}
        ) from exc
    follower.areas.set(areas)
    if own_address:
        _send("started", follower.pk)
    elif follower.confirm_sent_at == now:
        _send("confirm", follower.pk)
    return follower


def by_token(token: str) -> Follower:
    """The follower the manage link names; DoesNotExist for an unknown or empty token."""
    if not token:
        raise Follower.DoesNotExist
    return Follower.objects.prefetch_related("areas").get(token=token)


def by_confirm_token(token: str) -> Follower:
    if not token:
        raise Follower.DoesNotExist
    return Follower.objects.get(confirm_token=token)


@transaction.atomic
def confirm(*, token: str) -> Follower:
    """Confirm a guest's address: the follow starts now (the first digest tells what is new
    from this moment). Confirming twice is harmless."""
    follower = Follower.objects.select_for_update().get(pk=by_confirm_token(token).pk)
    if not constant_time_compare(follower.confirm_token, token):
        raise Follower.DoesNotExist
    if not follower.is_confirmed:
        follower.confirmed_at = follower.covered_until = timezone.now()
    follower.confirm_token = ""
    follower.save(update_fields=["confirmed_at", "covered_until", "confirm_token"])
    return follower


@transaction.atomic
def change(*, follower: Follower, areas, frequency: str, language: str) -> Follower:
    _validate(areas, frequency, language)
    follower.frequency = frequency
    follower.language = language
    follower.save(update_fields=["frequency", "language"])
    follower.areas.set(areas)
    return follower


def unfollow(*, follower: Follower) -> None:
    """End the follow: the address and everything about it is deleted."""
    Follower.objects.filter(pk=follower.pk).delete()


def _due(now) -> Q:
    """Confirmed followers whose window has run its day or its week by ``now``."""
    return Q(confirmed_at__isnull=False) & (
        Q(frequency=Follower.Frequency.DAILY, covered_until__lte=now - timedelta(days=1))
        | Q(frequency=Follower.Frequency.WEEKLY, covered_until__lte=now - timedelta(days=7))
    )


def make_digests(now=None) -> int:
    """Close the window of every follower who is due and make their digest if anything
    happened in it (sent by ``tasks.send_digest``); nothing happened, no digest, no email.
    Safe to run twice at once: each follower's row is locked, and a window ends once.
    Returns the number of digests made."""
    now = now or timezone.now()
    made = 0
    for pk in list(Follower.objects.filter(_due(now)).values_list("pk", flat=True)):
        with transaction.atomic():
            follower = (
                Follower.objects.select_for_update(skip_locked=True)
                .filter(pk=pk)
                .filter(_due(now))
                .first()
            )
            if follower is None:  # another run has it, or did it
                continue
            since = follower.covered_until
            area_ids = list(follower.areas.values_list("pk", flat=True))
            count = len(digest.items(area_ids, since, now))
            follower.covered_until = now
            follower.save(update_fields=["covered_until"])
            if count:
                made_digest = Digest.objects.create(
                    follower=follower, since=since, until=now, items=count
                )
                from .tasks import send_digest

                enqueue(send_digest, made_digest.pk)
                made += 1
    return made


def unsent_digests(older_than=timedelta(minutes=5), now=None) -> list[int]:
    """Digests made but not sent a while after (the broker was away, or a worker died): the
    beat task sends them again."""
    now = now or timezone.now()
    return list(
        Digest.objects.filter(sent_at__isnull=True, until__lte=now - older_than).values_list(
            "pk", flat=True
        )
    )
