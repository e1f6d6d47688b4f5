import pytest
from django.db import OperationalError, connection
from django.test import override_settings

pytestmark = pytest.mark.django_db

NOTHING_LISTENS = "redis://127.0.0.1:1/0"
FAIL_SOFT_REDIS = {
    "default": {
        "BACKEND": "core.cache.FailSoftRedisCache",
        "LOCATION": NOTHING_LISTENS,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


def test_healthz_reports_database_and_broker(client, settings):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "ok"
    expected = "ok" if settings.REDIS_URL else "not_configured"
    assert body["checks"]["broker"]["status"] == expected
    assert "down" not in body
    assert response["Cache-Control"].startswith("max-age=0")


@override_settings(REDIS_URL=NOTHING_LISTENS, CELERY_BROKER_URL=NOTHING_LISTENS)
def test_healthz_says_the_broker_is_down_and_keeps_serving(client):
    """A Redis outage leaves the portal serving (a load balancer must not take it out of
    rotation); the body says what is down."""
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["down"] == ["broker"]
    assert body["checks"]["broker"] == {"status": "error", "error": "ConnectionError"}
    assert body["checks"]["database"]["status"] == "ok"


@override_settings(
    REDIS_URL=NOTHING_LISTENS, CELERY_BROKER_URL=NOTHING_LISTENS, CACHES=FAIL_SOFT_REDIS
)
def test_healthz_says_the_cache_is_down(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["down"] == ["broker", "cache"]
    assert body["checks"]["cache"]["status"] == "error"


def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert "database" in body["down"]
    assert body["checks"]["database"] == {"status": "error", "error": "OperationalError"}


@pytest.mark.real_services
def test_healthz_talks_to_real_postgres_and_redis(client):
    body = client.get("/healthz").json()

    assert body["checks"]["database"]["vendor"] == "postgresql"
    assert body["checks"]["cache"]["status"] == "ok"
    assert body["checks"]["cache"]["backend"] == "redis"
    assert body["checks"]["broker"]["status"] == "ok"
