"""Staff sessions: two factors before anything but their account, and a limited lifetime."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from .permissions import is_staff_member
from .sessions import has_totp, session_passed_second_factor, staff_session_expired


def _path_without_language(request) -> str:
    path = request.path_info
    language = get_language_from_path(path)
    if language:
        path = path[len(language) + 1 :]
    return path


def _go_to(request, url: str):
    """A redirect; for an htmx request, one the browser makes for the whole page."""
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _with_next(url: str, request) -> str:
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}"


class StaffSessionTimeoutMiddleware:
    """End a staff member's session after ``STAFF_SESSION_IDLE_TIMEOUT`` seconds without a
    request, and ``STAFF_SESSION_MAX_AGE`` seconds (a working day) after sign-in at the latest.

    Residents' sessions are not touched: they last two weeks with "husk meg" and end with the
    browser without it (allauth's remember choice).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and is_staff_member(user):
            expired = staff_session_expired(request)
            if expired:
                logout(request)
                if expired == "idle":
                    minutes = settings.STAFF_SESSION_IDLE_TIMEOUT // 60
                    text = _(
                        "You were signed out after %(minutes)s minutes without activity. "
                        "Sign in again to continue."
                    ) % {"minutes": minutes}
                else:
                    hours = settings.STAFF_SESSION_MAX_AGE // 3600
                    text = _(
                        "You were signed out because staff sessions last at most %(hours)s "
                        "hours. Sign in again to continue."
                    ) % {"hours": hours}
                messages.info(request, text)
                return _go_to(request, _with_next(reverse("account_login"), request))
        return self.get_response(request)


class StaffTwoFactorMiddleware:
    """Staff must have passed their second factor (TOTP) in this very session.

    Staff without a TOTP authenticator are sent to set one up; staff with one whose session was
    opened with the password alone are asked for a code (allauth's reauthentication with a second
    factor) and then taken back to the page they asked for. Pages under the account area (to set
    up TOTP, confirm a code, log out), language switching, static files and the health check stay
    reachable.
    """

    allowed_prefixes = ("/accounts/", "/i18n/", "/static/", "/healthz", "/media/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._concerns(request):
            return self.get_response(request)
        if not has_totp(request.user):
            messages.warning(
                request,
                _(
                    "Your account has a staff role. Set up two-factor sign-in with an "
                    "authenticator app before you continue."
                ),
            )
            return _go_to(request, reverse("mfa_activate_totp"))
        if not session_passed_second_factor(request):
            messages.warning(
                request,
                _(
                    "Your account has a staff role. Confirm with a code from your authenticator "
                    "app to continue."
                ),
            )
            return _go_to(request, _with_next(reverse("mfa_reauthenticate"), request))
        return self.get_response(request)

    def _concerns(self, request) -> bool:
        if not settings.REQUIRE_STAFF_MFA:
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if _path_without_language(request).startswith(self.allowed_prefixes):
            return False
        return is_staff_member(user)
