"""The dashboard costs the same number of queries whatever the volume; it is cached, and a
change through a service makes the next dashboard show it."""

import datetime
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from areas.models import Area, District
from core import versions
from dashboards import compute
from dashboards.figures import Filters, Scope, dashboard
from grants.models import Appeal, Payment, Recommendation
from participation import services as participation_services
from participation.models import Event, Input
from projects import services as project_services
from projects.models import BudgetLine
from tests.grants.factories import decided, submitted
from tests.participation.factories import EventFactory, InputFactory, RegistrationFactory
from tests.projects.factories import (
    BudgetLineFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

PROGRAMME = Scope(district_ids=None, label="Programme")


def _data(users, n: int) -> None:
    """``n`` of everything the dashboard counts, in two districts."""
    areas = [Area.objects.get(slug="veitvet-og-slettelokka"), Area.objects.get(slug="romsas")]
    past = timezone.now() - timedelta(days=30)
    for i in range(n):
        area = areas[i % 2]
        project = ProjectFactory(area=area, status="pagar", participation_step=1 + i % 4)
        for source in (BudgetLine.Source.STATE_AREA_FUNDS, BudgetLine.Source.AREA_FUNDS):
            BudgetLineFactory(project=project, source=source, planned=1000 * (i + 1), spent=500)
        indicator = IndicatorFactory(project=project, unit="personer")
        IndicatorValueFactory(indicator=indicator, value=Decimal(50 + i))
        event = EventFactory(
            areas=[area],
            project=project,
            starts_at=past,
            ends_at=past + timedelta(hours=2),
            attendance_total=10 + i,
            attendance_by_group={"barn_unge": 3, "eldre": 2},
        )
        RegistrationFactory(event=event, people=2)
        InputFactory(area=area, follow_up=Input.FollowUp.TAKEN_UP if i % 2 else "mottatt")
    for i in range(n):
        application = decided(
            users["case_handler"],
            users["programme_leader"],
            outcome=Recommendation.APPROVE,
        )
        Payment.objects.create(
            application=application,
            amount=10_000,
            paid_on=datetime.date.today(),
            registered_by=users["programme_leader"],
        )
        if i % 2 == 0:
            Appeal.objects.create(
                application=application,
                decision=application.decisions.get(),
                text="Vi klager.",
            )
        submitted()


def _count(filters: Filters, scope: Scope) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        dashboard(filters, scope)
    return len(queries.captured_queries)


def test_the_same_number_of_queries_for_small_and_larger_data(users):
    bjerke = District.objects.get(name="Bjerke")
    cases = [
        (Filters(), PROGRAMME),
        (Filters(year=timezone.localdate().year, district=bjerke.pk), PROGRAMME),
        (Filters(), Scope(district_ids=frozenset({bjerke.pk}), grant_cases=True)),
    ]
    _data(users, 1)
    small = [_count(f, s) for f, s in cases]
    _data(users, 6)
    larger = [_count(f, s) for f, s in cases]
    assert small == larger
    assert Event.objects.count() == 7
    # Warm: the data versions' one query and nothing else.
    dashboard(*cases[0])
    with CaptureQueriesContext(connection) as queries:
        dashboard(*cases[0])
    assert len(queries.captured_queries) == 1


def _planned(board) -> int:
    return board.table("budget-source").total.values["planned"]


def test_the_cache_answers_until_a_service_changes_the_data(
    users, django_capture_on_commit_callbacks
):
    _data(users, 1)
    first = dashboard(Filters(), PROGRAMME)
    again = dashboard(Filters(), PROGRAMME)
    assert again.taken_at == first.taken_at  # from the cache
    assert again == first

    # A budget line set through the projects service: the next dashboard shows it.
    project = ProjectFactory(area=Area.objects.get(slug="romsas"))
    with django_capture_on_commit_callbacks(execute=True):
        project_services.budget_line_set(
            project=project,
            actor=users["secretariat"],
            year=2025,
            source=BudgetLine.Source.STATE_AREA_FUNDS,
            planned=Decimal(70_000),
            spent=Decimal(0),
        )
    changed = dashboard(Filters(), PROGRAMME)
    assert changed.taken_at != first.taken_at
    assert _planned(changed) == _planned(first) + 70_000

    # Input registered through the participation service.
    before = dashboard(Filters(), PROGRAMME).table("participation-trend").total.values
    with django_capture_on_commit_callbacks(execute=True):
        participation_services.input_register(
            actor=users["secretariat"],
            area=Area.objects.get(slug="romsas"),
            text="Flere benker ved senteret.",
            topic="moteplasser",
            channel=Input.Channel.OTHER,
        )
    after = dashboard(Filters(), PROGRAMME).table("participation-trend").total.values
    assert after["received"] == before["received"] + 1


def test_a_bump_waits_for_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        versions.bump(versions.PROJECTS, versions.PROJECTS)
    assert versions.current(versions.PROJECTS) == (0,)
    assert len(callbacks) == 1
    callbacks[0]()
    assert versions.current(versions.PROJECTS, versions.GRANTS) == (1, 0)


def test_the_key_differs_by_filters_scope_and_language(users):
    from django.utils import translation

    keys = {
        compute.cache_key(Filters(), PROGRAMME),
        compute.cache_key(Filters(year=2025), PROGRAMME),
        compute.cache_key(Filters(), Scope(district_ids=frozenset({1}))),
        compute.cache_key(Filters(), Scope(district_ids=None, grant_cases=True)),
    }
    with translation.override("en"):
        keys.add(compute.cache_key(Filters(), PROGRAMME))
    assert len(keys) == 5


def test_the_dashboard_works_with_the_cache_away(users, monkeypatch):
    """Every read a miss, every write dropped (as ``core.cache`` does with Redis away)."""
    _data(users, 1)
    monkeypatch.setattr(compute.cache, "get", lambda *a, **k: None)
    monkeypatch.setattr(compute.cache, "set", lambda *a, **k: None)
    board = dashboard(Filters(), PROGRAMME)
    assert _planned(board) == 2000


def test_labels_follow_the_language(users):
    from django.utils import translation

    _data(users, 1)
    with translation.override("nb"):
        nb = dashboard(Filters(), PROGRAMME).table("budget-source")
    with translation.override("en"):
        en = dashboard(Filters(), PROGRAMME).table("budget-source")
    assert en.title == "Budget by funding source"
    assert nb.title != en.title
    assert "Area upgrade funds, the state" in {row.label for row in en.rows}
