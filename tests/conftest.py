import importlib

import pytest

from areas.models import District

_reference = importlib.import_module("areas.migrations.0002_reference_data")


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests flush the tables the data migration filled; put the rows back."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        from django.apps import apps

        _reference.load(apps, None)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and cached pages live in the cache; no test sees another's."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def bjerke(db) -> District:
    return District.objects.get(number="09")


@pytest.fixture
def alna(db) -> District:
    return District.objects.get(number="12")


@pytest.fixture
def users(db, bjerke, alna) -> dict:
    """One user per role of the permission matrix; district staff work in Bjerke."""
    from tests.accounts.factories import make_user

    return {
        "resident": make_user(),
        "case_handler": make_user("case_handler", bjerke),
        "project_leader": make_user("project_leader", bjerke),
        "programme_leader": make_user("programme_leader", bjerke),
        "other_district_leader": make_user("programme_leader", alna),
        "board": make_user("board"),
        "secretariat": make_user("secretariat"),
    }


def _real_services_configured() -> bool:
    import os

    return bool(os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"))


def pytest_collection_modifyitems(config, items):
    """Tests marked ``real_services`` need PostgreSQL and Redis. On embedded defaults they are
    deselected (not skipped): the PostgreSQL + Redis run of the suite is where they count, and
    there they must run — CI fails that run if they are missing."""
    import os

    if _real_services_configured():
        return
    if os.environ.get("REQUIRE_REAL_SERVICES"):
        raise pytest.UsageError("REQUIRE_REAL_SERVICES is set but DATABASE_URL/REDIS_URL are not.")
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker("real_services") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
