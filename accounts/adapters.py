from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up stays open to everyone: residents and their organisations register themselves.

    Staff roles are never given at sign-up; the secretariat assigns them in the admin.
    """

    def is_open_for_signup(self, request) -> bool:
        return True

    def get_login_redirect_url(self, request) -> str:
        """Staff who steer land on their dashboard: the board and the secretariat on the
        programme's, programme and project leaders on their district's. Everyone else lands
        where ``LOGIN_REDIRECT_URL`` says. A ``next`` given with the sign-in comes first
        (allauth asks the adapter only without one)."""
        # Imported here: the dashboards build on accounts, not the other way round.
        from dashboards.permissions import landing_url

        return landing_url(request.user) or super().get_login_redirect_url(request)

    def get_client_ip(self, request) -> str:
        """The client's address as the trusted proxies report it (ALLAUTH_TRUSTED_PROXY_COUNT,
        ALLAUTH_TRUSTED_CLIENT_IP_HEADER), so rate limits count per visitor, not per proxy.

        A request that did not pass all the configured proxies, or whose header holds no
        address, is counted under the address it came from instead of failing.
        """
        try:
            return super().get_client_ip(request)
        except (ImproperlyConfigured, PermissionDenied):
            return request.META.get("REMOTE_ADDR") or "unknown"
