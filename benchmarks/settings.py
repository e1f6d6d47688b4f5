"""Settings for measuring the portal as it runs in production, on loopback.

The production settings (DEBUG off, WhiteNoise's compressed and hashed static files, the same
middleware) with what loopback HTTP needs: no TLS redirect or secure-only cookies, staff sign-in
without a second factor (the benchmark's demo users have none), and two pages of its own beside
the portal's (``benchmarks.urls``): a trivial view and a bare page, the floor every figure is
set against. Timing comes from ``benchmarks.middleware.ServerTiming``, first in the chain.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-" + "x" * 60)
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("REQUIRE_STAFF_MFA", "false")

from omradelos.settings.production import *  # noqa: E402, F403

ROOT_URLCONF = "benchmarks.urls"
MIDDLEWARE = ["benchmarks.middleware.ServerTiming", *MIDDLEWARE]  # noqa: F405
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
CONTENT_SECURITY_POLICY["DIRECTIVES"].pop("upgrade-insecure-requests", None)  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
