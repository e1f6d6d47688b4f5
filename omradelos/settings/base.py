"""Settings shared by every mode, read from the environment (12-factor).

With nothing set the portal runs on embedded defaults: SQLite, an in-memory cache and Celery
tasks executed in-process. ``DATABASE_URL`` switches to PostgreSQL (psycopg 3) and ``REDIS_URL``
to Redis as Celery broker, result backend and cache.
"""

import os
from pathlib import Path

import dj_database_url

from core.inline_assets import csp_hashes

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
# The fallback key only ever serves the embedded development mode; production.py refuses it.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "omradelos.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "django_htmx",
    "csp",
    "core",
    "omradelos",
    "accounts",
    "areas",
    "projects",
    "grants",
    "participation",
    "programmes",
    "dashboards",
    "knowledge",
    "following",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.RefuseNulBytesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.StaffSessionTimeoutMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
]

ROOT_URLCONF = "omradelos.urls"
WSGI_APPLICATION = "omradelos.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "omradelos.context_processors.portal",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
    # ``QuerySet.iterator()`` (every select of a model's rows in a form) then reads its rows in
    # one round trip instead of declaring a server-side cursor, fetching and closing it: three
    # round trips and a result held on the server, ~4 ms a select. No read here is too large to
    # fetch whole, and a transaction-pooling bouncer in front of the database needs this too.
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery ------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Fails soft: with Redis away a read is a miss and a write is dropped (logged), so
            # pages that only read keep working. See core/cache.py.
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "omradelos",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    # Embedded mode: every task runs in-process, nothing to start.
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
# Embedded mode runs tasks on a background thread after the response (core/tasks.py), so a
# decision does not wait for its letter; off, they run inside the request (the test suite).
TASKS_IN_BACKGROUND = env_bool("TASKS_IN_BACKGROUND", not REDIS_URL)

# Public pages for visitors who are not signed in come from the cache, renewed when the data
# behind them changes (core/page_cache.py).
PUBLIC_PAGE_CACHE = env_bool("PUBLIC_PAGE_CACHE", True)
# A broker that does not answer within about a second is given up on: the request goes on and
# the database row, which remembers what is pending, is found again by the sweeps.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 5}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.5}
}
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Oslo"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "grant-reminders": {"task": "grants.send_reminders", "schedule": 6 * 60 * 60},
    # Every minute, so a letter lost on the way to a worker waits a couple of minutes at most.
    "grant-letter-sweep": {"task": "grants.sweep_pending_letters", "schedule": 60},
    "grant-receipt-sweep": {"task": "grants.sweep_pending_receipts", "schedule": 60},
    # A programme PDF lost on the way to a worker (the broker away when it was asked for, or
    # its worker killed mid-render) is sent again within a couple of minutes of being due.
    "programme-render-sweep": {"task": "programmes.sweep_pending_renderings", "schedule": 60},
    "board-pack-sweep": {"task": "dashboards.sweep_pending_board_packs", "schedule": 60},
    "event-reminders": {"task": "participation.send_event_reminders", "schedule": 60 * 60},
    # Each follower's day or week is checked every quarter of an hour (a window ends once).
    "following-digests": {"task": "following.make_digests", "schedule": 15 * 60},
    # A published action programme reaches the document archive within minutes.
    "knowledge-programme-documents": {
        "task": "knowledge.sync_programme_documents",
        "schedule": 5 * 60,
    },
}

# Sessions live in the database, the one source of truth: a Redis outage signs nobody out and
# never turns a signed-in page into an error.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Accounts -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.NorwegianCommonPasswordValidator"},
    {"NAME": "accounts.passwords.EmailLocalPartValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Områdeløft] "
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
# --- Sign-in security: rate limits, client address, session lifetimes ---------------------------
# allauth's limits count per client address ("ip"), per account ("key": the email signed in with)
# or per signed-in user, never for the whole site. Ten failed sign-ins from one address, or five
# for one account, within 15 minutes refuse further attempts there until the window has passed.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/15m/ip,5/15m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}
# The counters (and the one-time codes already used) live in this database table, not in the
# default cache: shared by every worker without Redis and unaffected by a Redis outage
# (accounts/apps.py points allauth here; migration accounts 0003 creates the table). Added to
# whichever CACHES the cache section above defines; the default cache may fail soft.
CACHES["ratelimit"] = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "omradelos_ratelimit_cache",
    "OPTIONS": {"MAX_ENTRIES": 100_000},
}
# Behind a reverse proxy every request comes from the proxy: name how many proxies append to
# X-Forwarded-For (docker-compose: 1), or the header a single proxy sets (e.g. X-Real-IP), so
# the limits count per visitor. 0 and empty (the default) trust no header: for direct exposure.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("ALLAUTH_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("ALLAUTH_TRUSTED_CLIENT_IP_HEADER") or None
# Residents: two weeks when they tick "husk meg" at sign-in, otherwise until the browser closes.
ACCOUNT_SESSION_REMEMBER = None
SESSION_COOKIE_AGE = 14 * 24 * 60 * 60
# Staff (any role, superusers): signed out after this long without a request, and a working day
# after sign-in at the latest, whatever they ticked (accounts.middleware).
STAFF_SESSION_IDLE_TIMEOUT = int(os.environ.get("STAFF_SESSION_IDLE_MINUTES", "30")) * 60
STAFF_SESSION_MAX_AGE = int(os.environ.get("STAFF_SESSION_MAX_HOURS", "10")) * 60 * 60
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Områdeløft Oslo"
# Staff roles must sign in with two factors. Only the demo turns this off.
REQUIRE_STAFF_MFA = env_bool("REQUIRE_STAFF_MFA", True)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Områdeløft Oslo <ikke-svar@example.org>")

# --- Language -----------------------------------------------------------------------------------
LANGUAGE_CODE = "nb"
LANGUAGES = [
    ("nb", "Norsk bokmål"),
    ("nn", "Norsk nynorsk"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Oslo"
USE_TZ = True
LANGUAGE_COOKIE_NAME = "omradelos_language"
LANGUAGE_COOKIE_SECURE = False
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and media ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Two storages (core/storages.py). "default" is public media: project images and published
# documents, served at MEDIA_URL with long cache headers. "private" holds letters and
# attachments: outside MEDIA_ROOT, no URL, served only by views that check permission.
# FILE_STORAGE=s3 puts both in S3-compatible buckets instead of on disk.
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
FILE_STORAGE = os.environ.get("FILE_STORAGE", "filesystem").strip().lower()
PUBLIC_MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable"
if FILE_STORAGE == "s3":
    if not (os.environ.get("S3_PUBLIC_BUCKET") and os.environ.get("S3_PRIVATE_BUCKET")):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("FILE_STORAGE=s3 needs S3_PUBLIC_BUCKET and S3_PRIVATE_BUCKET.")
    _s3 = {
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("S3_REGION") or None,
        "file_overwrite": False,
        # Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the host's role (boto3).
    }
    STORAGES = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **_s3,
                "bucket_name": os.environ.get("S3_PUBLIC_BUCKET", ""),
                "custom_domain": os.environ.get("S3_PUBLIC_DOMAIN") or None,
                "querystring_auth": False,
                "object_parameters": {"CacheControl": PUBLIC_MEDIA_CACHE_CONTROL},
            },
        },
        "private": {
            "BACKEND": "core.storages.PrivateS3Storage",
            "OPTIONS": {
                **_s3,
                "bucket_name": os.environ.get("S3_PRIVATE_BUCKET", ""),
                "default_acl": "private",
                "object_parameters": {"CacheControl": "no-store"},
            },
        },
    }
elif FILE_STORAGE == "filesystem":
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {"BACKEND": "core.storages.PrivateFileSystemStorage"},
    }
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured('FILE_STORAGE must be "filesystem" or "s3".')
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # PDF rendering reports every font it subsets at INFO; keep the log for what matters.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Footer contact and the accessibility statement's feedback address.
PORTAL_CONTACT_EMAIL = os.environ.get("PORTAL_CONTACT_EMAIL", "postmottak@byr.oslo.kommune.no")

# Weeks the district has to handle an appeal it has received (change its decision, or forward
# it to the appeal body); counted by grants.deadlines.appeal_handling_deadline. Four weeks keeps
# within the month after which forvaltningsloven § 11 a asks for a preliminary answer.
GRANT_APPEAL_HANDLING_WEEKS = int(os.environ.get("GRANT_APPEAL_HANDLING_WEEKS", "4"))

# Largest attachment a grant applicant may upload.
GRANT_ATTACHMENT_MAX_BYTES = int(os.environ.get("GRANT_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))
# What a DOCX, XLSX or ODT may declare it unpacks to (zip bombs are refused beyond it).
GRANT_ATTACHMENT_MAX_UNPACKED_BYTES = int(
    os.environ.get("GRANT_ATTACHMENT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SILENCED_SYSTEM_CHECKS: list[str] = []

FORM_RENDERER = "core.forms.PortalFormRenderer"

# --- Browser security headers -------------------------------------------------------------------
# Everything the pages load comes from the portal itself: no inline script or style anywhere
# (htmx is told not to inject its indicator style), so a script smuggled into a page cannot run.
# ``data:`` images are the TOTP set-up QR code. A storage serving media from another origin adds
# that origin to img-src (see MEDIA_URL).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # Beside the portal's own files, its inline scripts by hash (core.inline_assets).
        "script-src": ["'self'", *csp_hashes()],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "frame-src": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
    }
}
if MEDIA_URL.startswith(("https://", "http://")):
    from urllib.parse import urlsplit

    _media = urlsplit(MEDIA_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_media.scheme}://{_media.netloc}")
# No page uses the camera, microphone, location, payment or other powerful browser features.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
)
# Serve static files straight from the source folders while developing; production collects.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
