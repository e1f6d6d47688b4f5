"""Staff must sign in with two factors (TOTP) before they reach anything but their account."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext as _

from .permissions import is_staff_member


class StaffTwoFactorMiddleware:
    """Send staff without a TOTP authenticator to set one up.

    Pages under the account area (to set up TOTP, log out), language switching, static files and
    the health check stay reachable.
    """

    allowed_prefixes = ("/accounts/", "/i18n/", "/static/", "/healthz", "/media/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_enrol(request):
            messages.warning(
                request,
                _(
                    "Your account has a staff role. Set up two-factor sign-in with an "
                    "authenticator app before you continue."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _must_enrol(self, request) -> bool:
        if not settings.REQUIRE_STAFF_MFA:
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        path = request.path_info
        language = get_language_from_path(path)
        if language:
            path = path[len(language) + 1 :]
        if path.startswith(self.allowed_prefixes):
            return False
        if not is_staff_member(user):
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
