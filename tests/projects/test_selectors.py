import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from areas.models import Area, SubGoal
from projects.models import BudgetLine, Project
from projects.permissions import projects_public
from projects.selectors import (
    budget_summary,
    open_data_rows,
    progress_percent,
    project_detail,
    project_list,
)
from tests.accounts.factories import UserFactory

from .factories import (
    BudgetLineFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MilestoneFactory,
    PartnerFactory,
    ProjectFactory,
    StatusUpdateFactory,
)

pytestmark = pytest.mark.django_db

DONE = datetime.date(2025, 4, 1)
AREA_SLUGS = ["veitvet-og-slettelokka", "linderud", "lindeberg", "vestli", "holmlia-syd"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def with_milestones(done: int, open_: int) -> Project:
    project = ProjectFactory()
    MilestoneFactory.create_batch(done, project=project, done_date=DONE)
    MilestoneFactory.create_batch(open_, project=project)
    return project


# progress_percent --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("done", "open_", "expected"),
    [(0, 0, None), (0, 3, 0), (1, 2, 33), (2, 1, 67), (3, 0, 100)],
)
def test_progress_percent_plain_and_annotated(done, open_, expected):
    project = with_milestones(done, open_)

    plain = Project.objects.get(pk=project.pk)
    annotated = project_list(Project.objects.filter(pk=project.pk)).get()

    assert progress_percent(plain) == expected
    assert progress_percent(annotated) == expected


def test_progress_percent_counts_each_project_on_its_own():
    half = with_milestones(1, 1)
    none = with_milestones(0, 0)
    full = with_milestones(2, 0)

    rows = {p.pk: progress_percent(p) for p in project_list(Project.objects.all())}

    assert rows == {half.pk: 50, none.pk: None, full.pk: 100}


# budget_summary ----------------------------------------------------------------------------


def test_budget_summary_totals_by_year_and_source(django_assert_num_queries):
    project = ProjectFactory()
    for year, source, planned, spent in [
        (2025, BudgetLine.Source.AREA_FUNDS, 100_000, 40_000),
        (2025, BudgetLine.Source.HOUSING_GRANT, 50_000, 0),
        (2026, BudgetLine.Source.AREA_FUNDS, 200_000, 10_000),
        (2026, BudgetLine.Source.PRIVATE, 5_000, 5_000),
    ]:
        BudgetLineFactory(
            project=project,
            year=year,
            source=source,
            planned=Decimal(planned),
            spent=Decimal(spent),
        )
    lines = list(project.budget_lines.all())

    with django_assert_num_queries(0):
        summary = budget_summary(lines)

    assert summary.lines == lines
    assert summary.by_year == [
        (2025, Decimal(150_000), Decimal(40_000)),
        (2026, Decimal(205_000), Decimal(15_000)),
    ]
    assert summary.by_source == [
        ("Area upgrade funds, Oslo kommune", Decimal(300_000), Decimal(50_000)),
        ("Bomiljøtilskudd", Decimal(50_000), Decimal(0)),
        ("Private funding", Decimal(5_000), Decimal(5_000)),
    ]
    assert (summary.planned, summary.spent) == (Decimal(355_000), Decimal(55_000))


def test_budget_summary_of_no_lines_is_zero():
    summary = budget_summary([])

    assert (summary.by_year, summary.by_source) == ([], [])
    assert (summary.planned, summary.spent) == (Decimal(0), Decimal(0))


# project_detail ----------------------------------------------------------------------------


def test_project_detail_public_leaves_out_internal_updates():
    project = ProjectFactory()
    public = StatusUpdateFactory(project=project, is_public=True, text="Åpent møte")
    internal = StatusUpdateFactory(project=project, is_public=False, text="Budsjettsprekk")

    shown_publicly = project_detail(projects_public(), slug=project.slug, public=True)
    shown_to_staff = project_detail(Project.objects.all(), slug=project.slug, public=False)

    assert [u.pk for u in shown_publicly.updates.all()] == [public.pk]
    assert {u.pk for u in shown_to_staff.updates.all()} == {public.pk, internal.pk}


def test_project_detail_only_finds_projects_in_the_given_scope():
    hidden = ProjectFactory(is_public=False)

    with pytest.raises(Project.DoesNotExist):
        project_detail(projects_public(), slug=hidden.slug, public=True)
    assert project_detail(Project.objects.all(), slug=hidden.slug, public=False) == hidden


# open_data_rows ----------------------------------------------------------------------------


def test_open_data_rows_only_published_projects_in_published_areas():
    shown = ProjectFactory(title="Synlig")
    ProjectFactory(title="Upublisert", is_public=False)
    hidden_area = Area.objects.get(slug="lindeberg")
    hidden_area.is_published = False
    hidden_area.save()
    ProjectFactory(title="I skjult område", area=hidden_area)

    rows = open_data_rows()

    assert [r["slug"] for r in rows] == [shown.slug]


def test_open_data_rows_values_and_no_personal_data():
    author = UserFactory(email="saksbehandler@oslo.kommune.no", full_name="Kari Nordmann")
    project = ProjectFactory(
        title="Parkløft",
        manager="Ola Prosjektleder",
        owner="Per Eier",
        sub_goals=list(SubGoal.objects.filter(number__in=[2, 5])),
    )
    MilestoneFactory(project=project, done_date=DONE)
    MilestoneFactory(project=project)
    BudgetLineFactory(project=project, year=2025, planned=Decimal(1000), spent=Decimal(250))
    BudgetLineFactory(
        project=project,
        year=2026,
        source=BudgetLine.Source.PRIVATE,
        planned=Decimal(500),
        spent=Decimal(0),
    )
    StatusUpdateFactory(project=project, author=author, is_public=True, text="Offentlig")
    StatusUpdateFactory(project=project, author=author, is_public=False, text="Intern")

    (row,) = open_data_rows()

    assert row["title"] == "Parkløft"
    assert row["area"] == "Veitvet og Sletteløkka"
    assert (row["district"], row["district_number"]) == ("Bjerke", "09")
    assert row["sub_goals"] == [2, 5]
    assert row["progress_percent"] == 50
    assert (row["budget_planned_nok"], row["budget_spent_nok"]) == (1500, 250)
    assert (row["start_date"], row["end_date"]) == ("2025-01-01", "2025-12-31")
    assert not {"author", "email", "manager", "owner", "updates"} & row.keys()
    dumped = json.dumps(row, ensure_ascii=False)
    for personal in ["@", "saksbehandler", "Kari Nordmann", "Intern", "Ola Prosjektleder"]:
        assert personal not in dumped


# query counts ------------------------------------------------------------------------------


def render_list(qs) -> list:
    """Touch everything a list page renders."""
    out = []
    for project in qs:
        out.append(
            (
                project.title,
                project.area.name,
                project.area.district.name,
                [g.number for g in project.sub_goals.all()],
                progress_percent(project),
            )
        )
    return out


def make_listed_projects(n: int) -> None:
    areas = list(Area.objects.filter(slug__in=AREA_SLUGS))
    goals = list(SubGoal.objects.filter(number__in=[1, 4]))
    for i in range(n):
        project = ProjectFactory(area=areas[i % len(areas)], sub_goals=goals)
        MilestoneFactory(project=project, done_date=DONE)
        MilestoneFactory(project=project)


def count_list_queries() -> tuple[int, list]:
    with CaptureQueriesContext(connection) as ctx:
        rendered = render_list(project_list(Project.objects.all()))
    return len(ctx.captured_queries), rendered


def test_project_list_query_count_does_not_grow_with_projects():
    make_listed_projects(1)
    one, rendered_one = count_list_queries()
    make_listed_projects(49)
    fifty, rendered_fifty = count_list_queries()

    assert len(rendered_one) == 1
    assert len(rendered_fifty) == 50
    assert all(r[3] == [1, 4] and r[4] == 50 for r in rendered_fifty)
    assert one == fifty
    assert fifty <= 2


def render_detail(project: Project) -> list:
    """Touch everything a detail page renders."""
    out = [
        project.title,
        project.area.name,
        project.area.district.name,
        project.area.district.programme.name,
        [g.number for g in project.sub_goals.all()],
        progress_percent(project),
        [(m.title, m.is_done) for m in project.milestones.all()],
        [(u.text, u.author.full_name) for u in project.updates.all()],
        [(i.name, [v.value for v in i.values.all()]) for i in project.indicators.all()],
        [p.name for p in project.partners.all()],
        [i.alt_text for i in project.images.all()],
        budget_summary(list(project.budget_lines.all())).planned,
    ]
    return out


def make_detailed_project(n: int) -> Project:
    project = ProjectFactory(sub_goals=list(SubGoal.objects.filter(number__lte=min(n, 6))))
    for i in range(n):
        MilestoneFactory(project=project, done_date=DONE if i % 2 else None)
        StatusUpdateFactory(project=project, is_public=True)
        PartnerFactory(project=project)
        BudgetLineFactory(project=project, year=2000 + i)
    indicator = IndicatorFactory(project=project)
    IndicatorValueFactory.create_batch(n, indicator=indicator)
    for _ in range(n - 1):
        IndicatorValueFactory(indicator=IndicatorFactory(project=project))
    return project


def count_detail_queries(project: Project) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as ctx:
        rendered = render_detail(
            project_detail(Project.objects.all(), slug=project.slug, public=True)
        )
    return len(ctx.captured_queries), rendered


def test_project_detail_query_count_does_not_grow_with_related_rows():
    small, rendered_small = count_detail_queries(make_detailed_project(1))
    large, rendered_large = count_detail_queries(make_detailed_project(20))

    assert len(rendered_small[6]) == 1
    assert len(rendered_large[6]) == 20
    assert len(rendered_large[7]) == 20
    assert len(rendered_large[8]) == 20
    assert len(rendered_large[8][0][1]) == 20
    assert rendered_large[5] == 50
    assert small == large
    assert large <= 9


def test_open_data_rows_query_count_does_not_grow_with_projects():
    make_listed_projects(1)
    with CaptureQueriesContext(connection) as one:
        assert len(open_data_rows()) == 1
    make_listed_projects(29)
    with CaptureQueriesContext(connection) as thirty:
        assert len(open_data_rows()) == 30

    assert len(one.captured_queries) == len(thirty.captured_queries)
