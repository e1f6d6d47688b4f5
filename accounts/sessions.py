"""What a signed-in session has proved, and how long a staff member's session may last.

allauth keeps a log of the ways a person authenticated in the session ("password", "mfa", …);
a staff member's session counts only once it holds an "mfa" record, so a session opened with the
password alone (an older session, a role given to a resident, a factor enrolled mid-session)
must pass the second factor before it reaches anything a staff role opens.
"""

import time

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings

from .permissions import is_staff_member

SIGNED_IN_AT = "omradelos_signed_in_at"
LAST_SEEN_AT = "omradelos_last_seen_at"
# Activity is written to the session at most this often, so a busy page costs no extra write.
LAST_SEEN_RESOLUTION = 60


def session_passed_second_factor(request) -> bool:
    """True when this session's signed-in user confirmed a second factor (TOTP or a recovery
    code) in it, at sign-in or by reauthenticating."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return any(r.get("method") == "mfa" for r in get_authentication_records(request, user))


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def staff_second_factor_satisfied(request) -> bool:
    """True unless staff must use two factors and this staff member's session has not."""
    if not settings.REQUIRE_STAFF_MFA:
        return True
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not is_staff_member(user):
        return True
    return session_passed_second_factor(request)


def staff_session_expired(request, now: float | None = None) -> str | None:
    """For a staff member's session: ``"idle"`` or ``"max_age"`` when it has run out, else None.

    A session that has not run out is marked as seen (at most once a minute) and its cookie set
    to expire with the idle timeout, so a staff session never outlives it even with "husk meg".
    """
    now = time.time() if now is None else now
    session = request.session
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if signed_in_at is None:
        # A session from before these rules, or one whose user was given a role meanwhile:
        # the working day starts now.
        signed_in_at = session[SIGNED_IN_AT] = now
    if now - signed_in_at > settings.STAFF_SESSION_MAX_AGE:
        return "max_age"
    if last_seen_at is not None and now - last_seen_at > settings.STAFF_SESSION_IDLE_TIMEOUT:
        return "idle"
    if last_seen_at is None or now - last_seen_at >= LAST_SEEN_RESOLUTION:
        session[LAST_SEEN_AT] = now
    if session.get_expire_at_browser_close() or (
        session.get_expiry_age() != settings.STAFF_SESSION_IDLE_TIMEOUT
    ):
        session.set_expiry(settings.STAFF_SESSION_IDLE_TIMEOUT)
    return None


def mark_signed_in(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: the working day of a staff session starts at sign-in, and
    its cookie lasts as long as the idle timeout, whatever "husk meg" said."""
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[SIGNED_IN_AT] = request.session[LAST_SEEN_AT] = now
    if is_staff_member(user):
        request.session.set_expiry(settings.STAFF_SESSION_IDLE_TIMEOUT)


def record_second_factor_on_enrolment(sender, request, user, authenticator, **kwargs) -> None:
    """``authenticator_added`` receiver: setting up TOTP takes a valid code from the new
    authenticator, so the session has passed its second factor; no second code is asked for."""
    from allauth.account.internal.flows.login import record_authentication

    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
