"""With Redis away the cache fails soft (core/cache.py): reads miss, writes are dropped, and
signing in and every signed-in page keep working, because sessions are in the database."""

import socket
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from core.cache import FailSoftRedisCache
from tests.accounts.factories import PASSWORD, UserFactory


def _nothing_listens() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


REDIS_AWAY = {
    "default": {
        "BACKEND": "core.cache.FailSoftRedisCache",
        "LOCATION": _nothing_listens(),
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    },
    # Sign-in counters are in the database whether Redis answers or not.
    "ratelimit": settings.CACHES["ratelimit"],
}


@override_settings(CACHES=REDIS_AWAY)
def test_every_cache_call_degrades_instead_of_raising(caplog):
    started = time.monotonic()

    assert cache.get("k", "default") == "default"
    cache.set("k", 1)
    assert cache.get_many(["k"]) == {}
    assert cache.has_key("k") is False
    assert cache.add("lock", True) is True  # allauth's lock: open, not refused
    assert cache.get_or_set("k", 5) == 5
    cache.delete("k")
    cache.delete_many(["k"])
    with pytest.raises(ValueError):
        cache.incr("counter")
    for _ in range(50):
        cache.get("k")

    assert time.monotonic() - started < 1.5
    assert "Cache unavailable (ConnectionError during get)" in caplog.text


def test_redis_is_asked_again_after_a_pause(monkeypatch):
    away = FailSoftRedisCache(_nothing_listens(), {})
    assert away.get("k", 1) == 1
    calls = []
    monkeypatch.setattr(
        "django.core.cache.backends.redis.RedisCache.get",
        lambda self, key, default=None, version=None: calls.append(key) or "back",
    )
    assert away.get("k", 1) == 1 and calls == []  # still resting
    away._down_until = 0.0
    assert away.get("k", 1) == "back" and calls == ["k"]


@pytest.mark.django_db
def test_signing_in_and_signed_in_pages_work_with_redis_away(client, users):
    resident = UserFactory(email="kari@example.org")
    client.get("/accounts/login/")  # a process that has served before (imports, templates)

    with override_settings(CACHES=REDIS_AWAY):
        started = time.monotonic()
        assert client.get("/accounts/login/").status_code == 200
        response = client.post("/accounts/login/", {"login": resident.email, "password": PASSWORD})
        assert response.status_code == 302
        assert time.monotonic() - started < 2

        for url in ("/", "/tilskudd/soknader/", "/tilskudd/", "/accounts/profil/"):
            started = time.monotonic()
            response = client.get(url)
            assert response.status_code == 200, url
            assert time.monotonic() - started < 2, url

        client.force_login(users["case_handler"])
        assert client.get("/intern/tilskudd/").status_code == 200
