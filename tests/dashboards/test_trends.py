"""Indicators and the areas' participation steps over the years, on data made for the cases
that matter: a value carried into the years after it was measured, a target below the
baseline, units written in other cases, several delmål, programmes in some years only."""

import datetime
from decimal import Decimal

import pytest

from areas.models import Area, ParticipationStep, SubGoal
from dashboards import selectors
from dashboards.compute import build
from dashboards.figures import Filters, Scope
from tests.programmes.factories import ProgrammeFactory
from tests.projects.factories import IndicatorFactory, IndicatorValueFactory, ProjectFactory

pytestmark = pytest.mark.django_db

PROGRAMME = Scope(district_ids=None, label="Programme")


def _value(indicator, year: int, month: int, value) -> None:
    IndicatorValueFactory(
        indicator=indicator, date=datetime.date(year, month, 1), value=Decimal(value)
    )


@pytest.fixture
def indicators():
    one, two = SubGoal.objects.get(number=1), SubGoal.objects.get(number=2)
    veitvet = Area.objects.get(slug="veitvet-og-slettelokka")
    romsas = Area.objects.get(slug="romsas")
    both = ProjectFactory(area=veitvet, sub_goals=[one, two])
    only_two = ProjectFactory(area=romsas, sub_goals=[two])
    # Rising to 100 hours: 40 in 2022, 120 in 2023 (on track from then on, carried forward).
    hours = IndicatorFactory(project=both, unit=" Timer ", baseline=0, target=100)
    _value(hours, 2022, 5, 40)
    _value(hours, 2023, 3, 120)
    # Falling from 50 to 20 (e.g. vacant premises): 30 in 2023, 15 in 2024, back to 25 in
    # 2024's autumn (the latest of the year counts: not on track at the end of 2024).
    falling = IndicatorFactory(project=only_two, unit="%", baseline=50, target=20)
    _value(falling, 2023, 6, 30)
    _value(falling, 2024, 2, 15)
    _value(falling, 2024, 10, 25)
    # People, no target: measured, never on track; summed as participants.
    people = IndicatorFactory(project=only_two, unit="Personer", baseline=None, target=None)
    _value(people, 2024, 1, 300)
    # Never measured.
    IndicatorFactory(project=both, unit="besøkende", target=1000)
    return {"one": one, "two": two, "romsas": romsas, "falling": falling}


def test_indicators_over_the_years_as_each_year_ended(indicators):
    years = [2021, 2022, 2023, 2024, 2025]
    whole, by_goal = selectors.indicators_by_year(selectors.Where(), years)
    keys = ("measured", "with_target", "on_track", "participants", "hours", "visitors")
    assert whole == {
        2021: dict(zip(keys, (0, 0, 0, 0, 0, 0), strict=True)),
        2022: dict(zip(keys, (1, 1, 0, 0, 40, 0), strict=True)),
        2023: dict(zip(keys, (2, 2, 1, 0, 120, 0), strict=True)),
        2024: dict(zip(keys, (3, 2, 1, 300, 120, 0), strict=True)),
        2025: dict(zip(keys, (3, 2, 1, 300, 120, 0), strict=True)),
    }
    one, two = indicators["one"].pk, indicators["two"].pk
    assert {year: row["on_track"] for year, row in by_goal[one].items()} == {
        2021: 0,
        2022: 0,
        2023: 1,
        2024: 1,
        2025: 1,
    }
    # Delmål 2 holds both projects: the hours (on track from 2023) and the falling one.
    assert by_goal[two][2023]["measured"] == 2
    assert by_goal[two][2024]["measured"] == 3
    assert by_goal[two][2024]["participants"] == 300
    assert by_goal[two][2024]["on_track"] == 1


def test_a_falling_target_is_on_track_at_or_below_it(indicators):
    # Filtered to Romsås: only the falling indicator and the people counted.
    where = selectors.Where(area=indicators["romsas"].pk)
    whole, _by_goal = selectors.indicators_by_year(where, [2023, 2024])
    assert whole[2023]["on_track"] == 0  # 30 is above 20
    assert whole[2024]["on_track"] == 0  # 25 at the year's end
    IndicatorValueFactory(
        indicator=indicators["falling"],
        date=datetime.date(2024, 12, 31),
        value=Decimal(20),
    )
    whole, _by_goal = selectors.indicators_by_year(where, [2024])
    assert whole[2024]["on_track"] == 1


def test_the_dashboard_shows_the_indicator_trend_and_its_summary(indicators):
    board = build(Filters(), PROGRAMME)
    trend = board.table("indicators-trend")
    rows = {row.label: row.values for row in trend.rows}
    assert rows["2023"]["on_track"] == 1 and rows["2023"]["hours"] == 120
    assert rows["2024"]["participants"] == 300
    assert trend.summary  # a sentence on how the figure went
    goal_rows = {row.label: row.values for row in board.table("indicators-sub-goal-trend").rows}
    label = f"{indicators['one'].sub_programme.tr.name}: {indicators['one']}"
    assert goal_rows[label]["y2022"] == 0 and goal_rows[label]["y2023"] == 1
    # A chosen year: one row, the year as it ended.
    (row,) = build(Filters(year=2022), PROGRAMME).table("indicators-trend").rows
    assert (row.label, row.values["measured"], row.values["hours"]) == ("2022", 1, 40)


def test_the_query_count_does_not_grow_with_the_years_of_data(indicators):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        selectors.indicators_by_year(selectors.Where(), [2023])
    with CaptureQueriesContext(connection) as many:
        selectors.indicators_by_year(selectors.Where(), list(range(2015, 2027)))
    assert len(few) == len(many) == 1


def test_each_areas_step_over_the_years_and_the_areas_on_each_step():
    veitvet = Area.objects.get(slug="veitvet-og-slettelokka")
    romsas = Area.objects.get(slug="romsas")
    ProgrammeFactory(area=veitvet, year=2024, participation_step=ParticipationStep.GUIDING)
    ProgrammeFactory(area=veitvet, year=2025, participation_step=ParticipationStep.CONNECTOR)
    ProgrammeFactory(area=romsas, year=2025, participation_step=ParticipationStep.CONNECTOR)
    board = build(Filters(), PROGRAMME)
    steps = {row.label: row.values for row in board.table("area-steps").rows}
    assert (steps[veitvet.name]["y2024"], steps[veitvet.name]["y2025"]) == (2, 3)
    assert steps[romsas.name]["y2024"] is None and steps[romsas.name]["y2025"] == 3
    trend = {row.label: row.values for row in board.table("area-steps-trend").rows}
    assert trend["2024"] == {"label": "2024", "step1": 0, "step2": 1, "step3": 0, "step4": 0}
    assert trend["2025"] == {"label": "2025", "step1": 0, "step2": 0, "step3": 2, "step4": 0}
    assert "2025" in board.table("area-steps-trend").summary
    # Narrowed to Romsås's district, Veitvet's programmes are not counted.
    board = build(Filters(area=romsas.pk), PROGRAMME)
    trend = {row.label: row.values for row in board.table("area-steps-trend").rows}
    assert trend["2024"]["step2"] == 0 and trend["2025"]["step3"] == 1


def test_an_event_in_two_areas_of_a_district_counts_once_there_and_in_each_area():
    from datetime import timedelta

    from django.utils import timezone

    from areas.models import District
    from participation.models import Registration
    from tests.participation.factories import EventFactory, RegistrationFactory

    veitvet = Area.objects.get(slug="veitvet-og-slettelokka")
    linderud = Area.objects.get(slug="linderud")
    romsas = Area.objects.get(slug="romsas")
    past = timezone.now() - timedelta(days=10)
    both = EventFactory(
        areas=[veitvet, linderud, romsas],
        starts_at=past,
        ends_at=past + timedelta(hours=2),
        attendance_total=40,
        attendance_by_group={"eldre": 7},
    )
    EventFactory(
        areas=[veitvet], starts_at=past, ends_at=past + timedelta(hours=1), attendance_total=5
    )
    RegistrationFactory(event=both, people=3)
    RegistrationFactory(event=both, people=2, status=Registration.Status.CANCELLED)
    bjerke, grorud = District.objects.get(name="Bjerke"), District.objects.get(name="Grorud")
    by_district = selectors.events(selectors.Where(), "district", [bjerke.pk, grorud.pk])
    assert (by_district[bjerke.pk]["held"], by_district[bjerke.pk]["attendance"]) == (2, 45)
    assert by_district[bjerke.pk]["group_eldre"] == 7
    assert by_district[bjerke.pk]["registered"] == 3
    assert (by_district[grorud.pk]["held"], by_district[grorud.pk]["attendance"]) == (1, 40)
    by_area = selectors.events(selectors.Where(), "area", [veitvet.pk, linderud.pk, romsas.pk])
    assert [by_area[a.pk]["held"] for a in (veitvet, linderud, romsas)] == [2, 1, 1]
    assert [by_area[a.pk]["attendance"] for a in (veitvet, linderud, romsas)] == [45, 40, 40]


def test_the_whole_of_the_grants_is_the_sum_of_its_years(users, bjerke, alna):
    from grants.models import Recommendation
    from tests.grants.factories import decided, submitted

    decided(users["case_handler"], users["programme_leader"], outcome=Recommendation.APPROVE)
    decided(users["case_handler"], users["programme_leader"], outcome=Recommendation.REJECT)
    submitted()
    for where in (
        selectors.Where(),
        selectors.Where(district_ids=frozenset({bjerke.pk})),
        selectors.Where(district_ids=frozenset({alna.pk})),
    ):
        by_year = selectors.grants(where, "round__year")
        whole = selectors.grants(where, None)[""]
        assert selectors.grants_whole(where, by_year) == whole
    assert whole["applications"] == 0 and whole["median_days"] is None


def test_indicators_by_sub_goal_count_and_add_up_the_latest_values(indicators):
    one, two = indicators["one"], indicators["two"]
    label = {g.pk: f"{g.sub_programme.tr.name}: {g}" for g in (one, two)}
    for filters, want in (
        (
            Filters(),
            {
                one.pk: {
                    "indicators": 2,
                    "with_target": 2,
                    "on_track": 1,
                    "hours": 120,
                    "participants": 0,
                },
                two.pk: {
                    "indicators": 4,
                    "with_target": 3,
                    "on_track": 1,
                    "hours": 120,
                    "participants": 300,
                },
            },
        ),
        (
            Filters(year=2022),
            {
                one.pk: {
                    "indicators": 2,
                    "with_target": 2,
                    "on_track": 0,
                    "hours": 40,
                    "participants": 0,
                },
                two.pk: {
                    "indicators": 4,
                    "with_target": 3,
                    "on_track": 0,
                    "hours": 40,
                    "participants": 0,
                },
            },
        ),
    ):
        rows = {
            row.label: row.values
            for row in build(filters, PROGRAMME).table("indicators-sub-goal").rows
        }
        for goal, figures in want.items():
            assert {k: rows[label[goal]][k] for k in figures} == figures, (filters, goal)
