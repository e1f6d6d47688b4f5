"""The projects' and budget lines' tallies (``ProjectTally``, ``BudgetTally``), kept in step
with the rows they count.

The dashboards count projects and sum budget lines by area, status, participation step,
sub-goal, source and year. Grouping every project and line on each request costs in
proportion to their number (a tenth of a second at a hundred Oslos); the tallies hold the
same sums grouped once, a few hundred rows whatever the volume, and a figure is summed from
them.

Every write of a project, its sub-goals or a budget line calls ``refresh`` with the areas it
touched (the old and new area of a moved project), inside the write's transaction: the area's
tallies are counted again from its rows, so they can never disagree with them, and a refused
write leaves them as they were. The areas' rows are locked first, in order, so two writers in
one area take turns and neither counts without the other's rows. ``refresh_all`` counts every
area again (the admin, the demo data's bulk rows, the migration that made the tables).
"""

from __future__ import annotations

from django.apps import apps as installed
from django.db import transaction
from django.db.models import Count, F, Sum
from django.db.models.functions import ExtractYear


def refresh(*area_ids: int | None) -> None:
    """Count the tallies of these areas again, from their projects and budget lines."""
    ids = sorted({pk for pk in area_ids if pk is not None})
    if ids:
        _recount(ids, installed)


def refresh_all(apps=installed) -> None:
    """Count every area's tallies again (``apps``: a migration's models, where one calls)."""
    _recount(None, apps)


@transaction.atomic
def _recount(ids: list[int] | None, apps) -> None:
    Area = apps.get_model("areas", "Area")
    Project, BudgetLine = (
        apps.get_model("projects", "Project"),
        apps.get_model("projects", "BudgetLine"),
    )
    ProjectTally = apps.get_model("projects", "ProjectTally")
    BudgetTally = apps.get_model("projects", "BudgetTally")
    areas = Area.objects.order_by("pk")
    if ids is not None:
        areas = areas.filter(pk__in=ids)
    list(areas.select_for_update().values_list("pk", flat=True))
    projects = Project.objects.all() if ids is None else Project.objects.filter(area_id__in=ids)
    lines = BudgetLine.objects.filter(project__in=projects)
    for model in (ProjectTally, BudgetTally):
        stale = model.objects.all() if ids is None else model.objects.filter(area_id__in=ids)
        stale.delete()
    ProjectTally.objects.bulk_create(_project_rows(ProjectTally, projects), batch_size=500)
    BudgetTally.objects.bulk_create(_budget_rows(BudgetTally, lines), batch_size=500)


def _project_rows(ProjectTally, projects) -> list:
    each = projects.order_by().values(
        "area_id",
        "status",
        "participation_step",
        first=ExtractYear("start_date"),
        last=ExtractYear("end_date"),
    )
    by_goal = (
        projects.model.sub_goals.through.objects.filter(project__in=projects)
        .order_by()
        .values(
            goal=F("subgoal_id"),
            area=F("project__area_id"),
            state=F("project__status"),
            step=F("project__participation_step"),
            first=ExtractYear("project__start_date"),
            last=ExtractYear("project__end_date"),
        )
    )
    rows = [
        ProjectTally(
            area_id=row["area_id"],
            sub_goal_id=None,
            status=row["status"],
            participation_step=row["participation_step"],
            first_year=row["first"],
            last_year=row["last"],
            projects=row["n"],
        )
        for row in each.annotate(n=Count("pk"))
    ]
    rows += [
        ProjectTally(
            area_id=row["area"],
            sub_goal_id=row["goal"],
            status=row["state"],
            participation_step=row["step"],
            first_year=row["first"],
            last_year=row["last"],
            projects=row["n"],
        )
        for row in by_goal.annotate(n=Count("pk"))
    ]
    return rows


def _budget_rows(BudgetTally, lines) -> list:
    sums = {"total_planned": Sum("planned"), "total_spent": Sum("spent")}
    each = lines.order_by().values("source", "year", area=F("project__area_id"))
    by_goal = lines.order_by().values(
        "source", "year", area=F("project__area_id"), goal=F("project__sub_goals")
    )
    rows = [
        BudgetTally(
            area_id=row["area"],
            sub_goal_id=None,
            source=row["source"],
            year=row["year"],
            planned=row["total_planned"],
            spent=row["total_spent"],
        )
        for row in each.annotate(**sums)
    ]
    rows += [
        BudgetTally(
            area_id=row["area"],
            sub_goal_id=row["goal"],
            source=row["source"],
            year=row["year"],
            planned=row["total_planned"],
            spent=row["total_spent"],
        )
        for row in by_goal.annotate(**sums)
        if row["goal"] is not None  # a project without sub-goals
    ]
    return rows
