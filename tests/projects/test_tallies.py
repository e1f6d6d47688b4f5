"""The projects' and budget lines' tallies agree with the rows after every write."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from areas.models import Area, SubGoal
from projects import services, tallies
from projects.models import BudgetLine, BudgetTally, Project, ProjectTally

from .factories import BudgetLineFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def goal(number: int) -> SubGoal:
    return SubGoal.objects.get(number=number)


def area(slug: str) -> Area:
    return Area.objects.get(slug=slug)


def counted_from_rows() -> tuple[Counter, Counter]:
    """What the tallies must say, counted here from the rows one by one."""
    projects, budget = Counter(), Counter()
    for project in Project.objects.prefetch_related("sub_goals", "budget_lines"):
        first = project.start_date.year if project.start_date else None
        last = project.end_date.year if project.end_date else None
        key = (project.status, project.participation_step, first, last)
        goals = [None, *(g.pk for g in project.sub_goals.all())]
        for sub_goal in goals:
            projects[(project.area_id, sub_goal, *key)] += 1
            for line in project.budget_lines.all():
                where = (project.area_id, sub_goal, line.source, line.year)
                budget[(*where, "planned")] += int(line.planned)
                budget[(*where, "spent")] += int(line.spent)
    return +projects, +budget


def tallied() -> tuple[Counter, Counter]:
    projects, budget = Counter(), Counter()
    for row in ProjectTally.objects.all():
        key = (row.status, row.participation_step, row.first_year, row.last_year)
        projects[(row.area_id, row.sub_goal_id, *key)] += row.projects
    for row in BudgetTally.objects.all():
        where = (row.area_id, row.sub_goal_id, row.source, row.year)
        budget[(*where, "planned")] += int(row.planned)
        budget[(*where, "spent")] += int(row.spent)
    return +projects, +budget


def assert_in_step():
    assert tallied() == counted_from_rows()


def test_each_write_of_the_services_keeps_the_tallies_in_step(users):
    leader = users["project_leader"]
    project = services.project_create(
        actor=leader,
        sub_goals=[goal(1), goal(2)],
        area=area("veitvet-og-slettelokka"),
        title="Ny møteplass",
        summary="Et sted å møtes.",
        status=Project.Status.PLANNED,
        start_date=datetime.date(2025, 3, 1),
        end_date=datetime.date(2027, 6, 30),
    )
    assert (
        tallied()[0][(project.area_id, None, "planlagt", project.participation_step, 2025, 2027)]
        == 1
    )
    assert_in_step()
    for planned, spent in ((120_000, 30_000), (150_000, 90_000)):  # the line made, then changed
        services.budget_line_set(
            project=project,
            actor=leader,
            year=2026,
            source=BudgetLine.Source.AREA_FUNDS,
            planned=Decimal(planned),
            spent=Decimal(spent),
        )
        assert_in_step()
    services.project_update(project=project, actor=leader, status=Project.Status.ONGOING)
    assert_in_step()
    services.project_update(project=project, actor=leader, sub_goals=[goal(3)])
    assert_in_step()
    services.project_update(project=project, actor=leader, end_date=None)
    assert_in_step()
    # A move counts both areas again: nothing is left behind in the old one.
    services.project_update(project=project, actor=leader, area=area("linderud"))
    assert_in_step()
    assert not ProjectTally.objects.filter(area=area("veitvet-og-slettelokka")).exists()
    assert (
        BudgetTally.objects.filter(area=area("linderud"), sub_goal=goal(3)).get().planned == 150_000
    )


def test_a_refused_write_leaves_the_tallies_as_they_were(users):
    project = ProjectFactory(status=Project.Status.ONGOING)
    BudgetLineFactory(project=project, year=2025)
    before = tallied()
    with pytest.raises(PermissionDenied):
        services.project_update(
            project=project, actor=users["project_leader"], area=area("lindeberg")
        )
    with pytest.raises(ValidationError):
        services.project_update(
            project=project,
            actor=users["project_leader"],
            status=Project.Status.COMPLETED,
            end_date=datetime.date(2020, 1, 1),
        )
    # A refused budget line is in the services' tests, whose snapshot holds the tallies too.
    assert tallied() == before
    assert_in_step()


def test_counting_every_area_again_gives_what_each_write_gave(users):
    for n, slug in enumerate(["veitvet-og-slettelokka", "linderud", "lindeberg"]):
        project = ProjectFactory(
            area=area(slug), status=Project.Status.ONGOING, sub_goals=[goal(1 + n % 3)]
        )
        BudgetLineFactory(project=project, planned=Decimal(1000 * (n + 1)))
    ProjectFactory(start_date=None, end_date=None, sub_goals=[])
    kept = tallied()
    assert kept == counted_from_rows()
    ProjectTally.objects.all().delete()
    BudgetTally.objects.all().delete()
    tallies.refresh_all()
    assert tallied() == kept


def test_an_admin_edit_counts_the_tallies_again(client, users):
    project = ProjectFactory(status=Project.Status.IDEA)
    admin = users["secretariat"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    url = reverse("admin:projects_project_delete", args=[project.pk])
    assert ProjectTally.objects.exists()
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Project.objects.filter(pk=project.pk).exists()
    assert not ProjectTally.objects.exists()
    assert_in_step()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_writers_in_one_area_at_the_same_moment_are_both_counted(transactional_db, users):
    import threading

    from django.db import connection, connections

    assert connection.vendor == "postgresql"
    leader = users["project_leader"]
    writers = 4
    start = threading.Barrier(writers, timeout=60)
    errors = []

    def write(n):
        try:
            start.wait()
            services.project_create(
                actor=leader,
                sub_goals=[goal(1 + n % 3)],
                area=area("veitvet-og-slettelokka"),
                title=f"Samtidig tiltak {n}",
                summary="Skrevet samtidig med de andre.",
                status=Project.Status.ONGOING,
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Project.objects.count() == writers
    assert_in_step()
