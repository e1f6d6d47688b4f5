"""The dashboard's figures over the seeded demo data equal the same figures computed another
way (``expected.Expected``: loops over model instances), for several filters and a district's
scope; and a figure's link lists exactly the rows the figure counts."""

from collections import Counter

import pytest
from django.utils import timezone

from accounts.models import Role
from areas.models import Area, District, ParticipationStep, SubGoal, SubProgramme
from dashboards.compute import build
from dashboards.figures import Filters, Scope
from grants.models import Appeal
from omradelos.demo import SeedReport, run_seeders
from participation.models import TargetGroup
from projects.models import BudgetLine, Project
from tests.accounts.factories import make_user
from tests.shared_rows import rows_for_the_module

from .expected import Expected

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """``seed_demo --scale 1``'s data (its PDFs left to a worker, as with the broker away),
    written once for the module's tests."""
    from programmes.services import rendering

    with pytest.MonkeyPatch.context() as patch, rows_for_the_module(django_db_blocker):
        patch.setattr(rendering, "_enqueue", lambda rendering: None)
        run_seeders(scale=1, report=SeedReport())
        yield


def _rows(table) -> dict:
    return {row.label: row.values for row in table.rows}


def _combinations():
    year = timezone.localdate().year
    bjerke = District.objects.get(name="Bjerke")
    grorud = District.objects.get(name="Grorud")
    area = Area.objects.get(slug="veitvet-og-slettelokka")
    goal = SubGoal.objects.get(number=2)
    served = SubProgramme.objects.filter(areas__isnull=False).first()
    programme = Scope(district_ids=None, label="Programme")
    return [
        (Filters(), programme),
        (Filters(year=year), programme),
        (Filters(year=year - 1, sub_goal=goal.pk), programme),
        (Filters(district=bjerke.pk), programme),
        (Filters(area=area.pk, year=year), programme),
        (Filters(sub_programme=served.pk), programme),
        (Filters(), Scope(district_ids=frozenset({grorud.pk}), label="Grorud")),
        (Filters(year=year), Scope(district_ids=frozenset({bjerke.pk}), grant_cases=True)),
    ]


def _check(filters: Filters, scope: Scope) -> None:
    board = build(filters, scope)
    expected = Expected(filters, scope)
    context = f"{filters} {scope}"

    # Projects by status and by participation step.
    by_status = expected.projects_by_status()
    status = board.table("projects-status")
    assert {r.label: r.values["projects"] for r in status.rows} == {
        str(label): by_status.get(value, 0) for value, label in Project.Status.choices
    }, context
    assert status.total.values["projects"] == sum(by_status.values()), context
    by_step = expected.projects_by_step()
    assert [r.values["projects"] for r in board.table("projects-step").rows] == [
        by_step.get(step.value, 0) for step in ParticipationStep
    ], context

    # Projects over the years: running, started and ended each year.
    trend = board.table("projects-trend")
    years = [int(row.label) for row in trend.rows]
    assert years, context
    over_the_years = expected.projects_over_the_years(years)
    assert {
        int(r.label): {k: r.values[k] for k in ("active", "started", "ended")} for r in trend.rows
    } == over_the_years, context
    assert any(v["started"] for v in over_the_years.values()), context

    # Budget by funding source, and by district where the page shows districts.
    by_source = expected.budget_by_source()
    source = board.table("budget-source")
    for value, label in BudgetLine.Source.choices:
        row = _rows(source)[str(label)]
        assert [row["planned"], row["spent"]] == by_source.get(value, [0, 0]), context
    assert source.total.values["planned"] == sum(v[0] for v in by_source.values()), context
    try:
        by_district = board.table("budget-district")
    except KeyError:
        by_district = None
    if by_district is not None:
        expected_districts = expected.budget_by_district()
        for district in District.objects.all():
            row = _rows(by_district).get(str(district))
            if row is not None:
                assert [row["planned"], row["spent"]] == expected_districts.get(
                    district.pk, [0, 0]
                ), context

    # Bomiljøtilskudd in all.
    grants = expected.grants()
    total = board.table("grants-district" if by_district else "grants-area").total.values
    for key in (
        "applications",
        "applied",
        "granted",
        "paid",
        "approval_rate",
        "median_days",
        "appeals",
        "pledged",
        "reported",
    ):
        assert total[key] == grants[key], (context, key)
    appeals = _rows(board.table("grants-appeals"))
    for status_value, label in Appeal.Status.choices:
        assert appeals[str(label)]["appeals"] == grants["appeal_outcomes"].get(status_value, 0)

    # Participation in all.
    participation = expected.participation()
    whole = board.table("participation-trend")
    if filters.year is None:
        got = whole.total.values
    else:
        (row,) = whole.rows
        got = row.values
    for key in (
        "held",
        "attendance",
        "registered",
        "checked_in",
        "received",
        "followed_up_share",
        "taken_in_share",
    ):
        assert got[key] == participation[key], (context, key)
    groups = _rows(board.table("participation-target-groups"))
    for value, label in TargetGroup.choices:
        assert groups[str(label)]["people"] == participation["groups"][value], context

    # Indicators by delmål.
    indicators = expected.indicators_by_sub_goal()
    rows = board.table("indicators-sub-goal").rows
    goals = {f"{g.sub_programme.tr.name}: {g}": g.pk for g in SubGoal.objects.all()}
    for row in rows:
        want = indicators.get(goals[row.label], {"indicators": 0, "with_target": 0, "on_track": 0})
        assert {k: row.values[k] for k in want} == want, (context, row.label)

    # Indicators over the years, in all and by delmål, each year as it stood at its end.
    years = [filters.year] if filters.year is not None else list(board.years)
    whole, by_goal = expected.indicators_over_the_years(years)
    trend = board.table("indicators-trend")
    assert [row.label for row in trend.rows] == [str(y) for y in years], context
    for row in trend.rows:
        want = whole[int(row.label)]
        assert {k: row.values[k] for k in want} == want, (context, row.label)
    for row in board.table("indicators-sub-goal-trend").rows:
        goal = by_goal.get(goals[row.label], {})
        assert [row.values[f"y{y}"] for y in years] == [
            goal.get(y, {}).get("on_track", 0) for y in years
        ], (context, row.label)

    # Each area's participation step over the years, and the areas on each step per year.
    steps = expected.area_steps(years)
    area_names = {a.name: a.pk for a in Area.objects.all()}
    for row in board.table("area-steps").rows:
        assert [row.values[f"y{y}"] for y in years] == [
            steps.get((area_names[row.label], y)) for y in years
        ], (context, row.label)
    on_step = Counter((year, step) for (_area, year), step in steps.items())
    for row in board.table("area-steps-trend").rows:
        assert [row.values[f"step{s.value}"] for s in ParticipationStep] == [
            on_step.get((int(row.label), s.value), 0) for s in ParticipationStep
        ], (context, row.label)


def test_the_figures_equal_sums_computed_another_way(demo):
    assert Project.objects.exists() and BudgetLine.objects.exists()
    assert BudgetLine.objects.filter(source=BudgetLine.Source.STATE_AREA_FUNDS).exists()
    assert BudgetLine.objects.filter(source=BudgetLine.Source.AREA_FUNDS).exists()
    for filters, scope in _combinations():
        _check(filters, scope)


def test_a_figures_link_lists_the_rows_it_counts(demo, client):
    """Count in the figure == rows in the list behind it: projects, input, events and (for
    a scope that may see them) grant cases."""
    client.force_login(make_user(Role.SECRETARIAT))
    bjerke = District.objects.get(name="Bjerke")
    year = timezone.localdate().year
    for filters in (Filters(), Filters(district=bjerke.pk), Filters(year=year)):
        scope = Scope(district_ids=None, grant_cases=True)
        board = build(filters, scope)
        checked = 0
        for key, column in (
            ("projects-status", "projects"),
            ("projects-sub-goal", "projects"),
            ("projects-step", "projects"),
            ("participation-trend", "held"),
            ("participation-trend", "received"),
            ("grants-trend", "applications"),
        ):
            table = board.table(key)
            for row in (*table.rows, *([table.total] if table.total else [])):
                url = row.links.get(column)
                if not url:
                    continue
                response = client.get(url)
                assert response.status_code == 200, url
                assert response.context["page"].paginator.count == row.values[column], (
                    url,
                    row.label,
                )
                checked += 1
        assert checked > 20


def test_the_board_is_never_led_to_grant_cases(demo):
    board = build(Filters(), Scope(district_ids=None, grant_cases=False))
    for section in board.sections:
        for table in section.tables:
            for row in (*table.rows, *([table.total] if table.total else [])):
                assert not any("/intern/tilskudd/" in url for url in row.links.values())
        assert not any("/intern/tilskudd/" in link for _l, _v, link in section.headlines)
