"""Readiness of the services the portal depends on, for /healthz and for operators.

Each check says ``ok``, ``not_configured`` (embedded mode) or ``error`` with the error's class.
The portal serves as long as the database answers: with the cache or the broker down it is
``degraded`` (HTTP 200, so a load balancer keeps sending residents to it while letters and
emails wait for the sweeps); with the database down it is ``error`` (HTTP 503).
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection

# Each check gives up after this long, so /healthz answers within the container's 4 s.
TIMEOUT = 1


def _elapsed_ms(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)


def check_database() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; the message says which
        return {"status": "error", "error": exc.__class__.__name__}
    return {"status": "ok", "vendor": connection.vendor, "latency_ms": _elapsed_ms(started)}


def check_cache() -> dict:
    """Ask Redis itself when the cache is on Redis (the cache fails soft, so a plain ``get``
    would not tell); the in-process memory cache is always there."""
    ping = getattr(cache, "ping", None)
    if ping is None:
        return {"status": "ok", "backend": "memory"}
    started = time.monotonic()
    try:
        ping()
    except Exception as exc:
        return {"status": "error", "error": exc.__class__.__name__}
    return {"status": "ok", "backend": "redis", "latency_ms": _elapsed_ms(started)}


def check_broker() -> dict:
    """Ping the broker (Redis) where Celery publishes; embedded mode runs tasks in-process."""
    if not settings.REDIS_URL:
        return {"status": "not_configured", "mode": "in-process"}
    import redis

    started = time.monotonic()
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL,
        socket_connect_timeout=TIMEOUT,
        socket_timeout=TIMEOUT,
        retry=None,
    )
    try:
        client.ping()
    except redis.RedisError as exc:
        return {"status": "error", "error": exc.__class__.__name__}
    finally:
        client.close()
    return {"status": "ok", "latency_ms": _elapsed_ms(started)}


def health() -> tuple[bool, dict]:
    """(serving, body): serving is False only when the database is down."""
    checks = {"database": check_database(), "cache": check_cache(), "broker": check_broker()}
    up = {name: c["status"] in {"ok", "not_configured"} for name, c in checks.items()}
    if all(up.values()):
        status = "ok"
    elif up["database"]:
        status = "degraded"
    else:
        status = "error"
    body = {"status": status, "checks": checks}
    if status != "ok":
        body["down"] = sorted(name for name, ok in up.items() if not ok)
    return up["database"], body
