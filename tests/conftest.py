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
