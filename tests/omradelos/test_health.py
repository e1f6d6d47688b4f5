import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client, settings):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    expected = "ok" if settings.REDIS_URL else "not_configured"
    assert body["checks"]["broker"]["status"] == expected
    assert response["Cache-Control"].startswith("max-age=0")


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_healthz_answers_503_when_the_broker_is_unreachable(client):
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["broker"]["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"


@pytest.mark.real_services
def test_healthz_talks_to_real_postgres_and_redis(client):
    body = client.get("/healthz").json()

    assert body["checks"]["database"]["vendor"] == "postgresql"
    assert body["checks"]["broker"]["status"] == "ok"
