from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(admin.AdminSite):
    """The admin belongs to the secretariat (and superusers), not to Django's is_staff flag.

    It has no sign-in of its own: everyone signs in through allauth, with its second-factor stage
    and its rate limits, and the admin opens only to a session that passed the second factor.
    """

    site_header = _("Områdeløft – administration")
    site_title = _("Områdeløft administration")
    index_title = _("Reference data, users and roles")

    def has_permission(self, request) -> bool:
        from accounts.permissions import is_secretariat
        from accounts.sessions import staff_second_factor_satisfied

        return (
            request.user.is_active
            and is_secretariat(request.user)
            and staff_second_factor_satisfied(request)
        )

    def login(self, request, extra_context=None):
        """Never a password form here: send the visitor to the portal's sign-in (or, signed in
        already, to the second factor this session still lacks), then on to ``next``."""
        from accounts.sessions import has_totp, staff_second_factor_satisfied

        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index", current_app=self.name)
        query = urlencode({REDIRECT_FIELD_NAME: next_url})
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?{query}")
        if not staff_second_factor_satisfied(request):
            if not has_totp(request.user):
                return redirect("mfa_activate_totp")
            return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
        if self.has_permission(request):
            return redirect(next_url)
        raise PermissionDenied

    def password_change(self, request, extra_context=None):
        """Passwords change in one place, with allauth's rate limit and validators."""
        return redirect("account_change_password")
