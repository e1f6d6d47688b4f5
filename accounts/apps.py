from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# allauth keeps its sign-in rate-limit counters and the one-time codes already used in
# ``django.core.cache.cache`` (the default cache). These modules read it from a module global;
# they are pointed at the ``ratelimit`` cache instead (a database table), so the counters are
# shared by every worker without Redis and keep counting while Redis is down.
ALLAUTH_CACHE_USERS = (
    "allauth.core.internal.ratelimit",
    "allauth.mfa.totp.internal.auth",
)


def use_ratelimit_cache_for_allauth() -> None:
    from importlib import import_module

    from django.core.cache import caches
    from django.core.exceptions import ImproperlyConfigured
    from django.utils.connection import ConnectionProxy

    for name in ALLAUTH_CACHE_USERS:
        module = import_module(name)
        if not hasattr(module, "cache"):
            raise ImproperlyConfigured(
                f"{name} no longer reads a module-level cache: sign-in rate limits would not "
                "reach the ratelimit cache. Check accounts/apps.py against this allauth version."
            )
        module.cache = ConnectionProxy(caches, "ratelimit")


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added
        from django.contrib.auth.signals import user_logged_in

        from .language import remember_language_on_login
        from .sessions import mark_signed_in, record_second_factor_on_enrolment

        user_logged_in.connect(remember_language_on_login, dispatch_uid="remember_language")
        user_logged_in.connect(mark_signed_in, dispatch_uid="staff_session_start")
        authenticator_added.connect(
            record_second_factor_on_enrolment, dispatch_uid="second_factor_on_enrolment"
        )
        use_ratelimit_cache_for_allauth()
