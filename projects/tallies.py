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
    """Each project once (no sub-goal), then under each of its sub-goals (from the links)."""
    links = projects.model.sub_goals.through.objects.filter(project__in=projects)
    rows = []
    for grouped, path, goal in ((projects, "", None), (links, "project__", "subgoal_id")):
        names = {
            "in_area": F(f"{path}area_id"),
            "state": F(f"{path}status"),
            "step": F(f"{path}participation_step"),
            "first": ExtractYear(f"{path}start_date"),
            "last": ExtractYear(f"{path}end_date"),
            **({"goal": F(goal)} if goal else {}),
        }
        rows += [
            ProjectTally(
                area_id=row["in_area"],
                sub_goal_id=row.get("goal"),
                status=row["state"],
                participation_step=row["step"],
                first_year=row["first"],
                last_year=row["last"],
                projects=row["n"],
            )
            for row in grouped.order_by().values(**names).annotate(n=Count("pk"))
        ]
    return rows


def _budget_rows(BudgetTally, lines) -> list:
    """Each line once (no sub-goal), then under each sub-goal of its project."""
    rows = []
    for goal in (None, "project__sub_goals"):
        names = {"in_area": F("project__area_id"), **({"goal": F(goal)} if goal else {})}
        grouped = lines.order_by().values("source", "year", **names)
        rows += [
            BudgetTally(
                area_id=row["in_area"],
                sub_goal_id=row.get("goal"),
                source=row["source"],
                year=row["year"],
                planned=row["total_planned"],
                spent=row["total_spent"],
            )
            for row in grouped.annotate(total_planned=Sum("planned"), total_spent=Sum("spent"))
            # The links' join leaves a project without sub-goals a row of its own, with none.
            if not goal or row["goal"] is not None
        ]
    return rows
