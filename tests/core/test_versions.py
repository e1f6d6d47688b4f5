"""The data versions' read on a kept connection: it is the request's health check."""

import psycopg
import pytest
from django.db import connection

from core import versions


@pytest.fixture(autouse=True)
def _checks_as_configured():
    enabled = connection.health_check_enabled
    yield
    connection.health_check_enabled = enabled


def _kept_connection_at_request_start():
    """The state Django leaves a kept connection in when a request begins."""
    connection.ensure_connection()
    connection.health_check_enabled = True
    connection.health_check_done = False


def _round_trips(monkeypatch) -> list[str]:
    """The statements sent on the connection, health checks included."""
    sent: list[str] = []
    usable = connection.is_usable

    def counted_is_usable():
        sent.append("health check")
        return usable()

    monkeypatch.setattr(connection, "is_usable", counted_is_usable)
    return sent


@pytest.mark.django_db(transaction=True)
def test_a_kept_connection_costs_one_round_trip_not_two(monkeypatch):
    versions.bump(versions.PROJECTS)
    _kept_connection_at_request_start()
    sent = _round_trips(monkeypatch)
    assert versions.current(versions.PROJECTS, versions.AREAS) == (1, 0)
    assert sent == []
    assert connection.health_check_done
    # Later queries of the request are not checked again either.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert sent == []


@pytest.mark.django_db(transaction=True)
def test_without_the_read_the_request_is_checked_as_before(monkeypatch):
    _kept_connection_at_request_start()
    sent = _round_trips(monkeypatch)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert sent == ["health check"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_connection_the_database_closed_is_dropped_and_the_read_asked_again():
    assert connection.vendor == "postgresql"
    versions.bump(versions.PROJECTS)
    _kept_connection_at_request_start()
    backend = connection.connection.info.backend_pid
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"],
        dbname=settings["NAME"],
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [backend])
    assert versions.current(versions.PROJECTS) == (1,)
    assert connection.connection.info.backend_pid != backend


@pytest.mark.django_db
def test_inside_a_transaction_nothing_is_retried(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert versions.current(versions.GRANTS) == (0,)
