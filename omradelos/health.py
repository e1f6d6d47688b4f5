"""Readiness of the services the portal depends on, for /healthz and for operators."""

import time

from django.conf import settings
from django.db import connection


def check_database() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; the message says which
        return {"status": "error", "error": exc.__class__.__name__}
    return {
        "status": "ok",
        "vendor": connection.vendor,
        "latency_ms": round((time.monotonic() - started) * 1000, 1),
    }


def check_broker() -> dict:
    """Ping Redis when it is configured; embedded mode runs tasks in-process."""
    if not settings.REDIS_URL:
        return {"status": "not_configured", "mode": "in-process"}
    import redis

    started = time.monotonic()
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        return {"status": "error", "error": exc.__class__.__name__}
    finally:
        client.close()
    return {"status": "ok", "latency_ms": round((time.monotonic() - started) * 1000, 1)}


def health() -> tuple[bool, dict]:
    checks = {"database": check_database(), "broker": check_broker()}
    healthy = all(c["status"] in {"ok", "not_configured"} for c in checks.values())
    return healthy, {"status": "ok" if healthy else "error", "checks": checks}
