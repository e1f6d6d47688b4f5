"""Reads for project pages: each returns everything a page renders, in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet

from areas.models import SubGoal

from .models import BudgetLine, Indicator, IndicatorValue, Milestone, Project, StatusUpdate
from .permissions import projects_public


def with_progress(qs: QuerySet[Project]) -> QuerySet[Project]:
    """Annotate ``milestones_total`` and ``milestones_done``; ``progress_percent`` reads them."""
    return qs.annotate(
        milestones_total=Count("milestones", distinct=True),
        milestones_done=Count(
            "milestones", filter=Q(milestones__done_date__isnull=False), distinct=True
        ),
    )


def progress_percent(project: Project) -> int | None:
    """Share of milestones done, 0–100; None when the project has no milestones."""
    total = getattr(project, "milestones_total", None)
    done = getattr(project, "milestones_done", None)
    if total is None:
        milestones = list(project.milestones.all())
        total, done = len(milestones), sum(1 for m in milestones if m.is_done)
    if not total:
        return None
    return round(100 * done / total)


def project_list_order(qs: QuerySet[Project]) -> QuerySet[Project]:
    """Projects in the order every list shows them: by district, area and title."""
    return qs.order_by("area__district__number", "area__name", "title")


def project_list(qs: QuerySet[Project]) -> QuerySet[Project]:
    """A list of projects ready to render: area, district, sub-goals and progress."""
    return project_list_order(
        with_progress(
            qs.select_related("area__district").prefetch_related(
                Prefetch("sub_goals", queryset=SubGoal.objects.order_by("number"))
            )
        )
    )


def public_projects_for_area(area) -> QuerySet[Project]:
    """The area's published projects in list order, not yet prepared (``project_list``): the
    area page shows a page of them."""
    return project_list_order(projects_public().filter(area=area))


@dataclass
class BudgetSummary:
    lines: list[BudgetLine]
    by_year: list[tuple[int, Decimal, Decimal]]
    by_source: list[tuple[str, Decimal, Decimal]]
    planned: Decimal
    spent: Decimal


def budget_summary(lines: list[BudgetLine]) -> BudgetSummary:
    """Totals by year and by funding source, from already-fetched lines (no queries)."""
    years: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    sources: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for line in lines:
        years[line.year][0] += line.planned
        years[line.year][1] += line.spent
        label = line.get_source_display()
        sources[label][0] += line.planned
        sources[label][1] += line.spent
    return BudgetSummary(
        lines=lines,
        by_year=[(y, p, s) for y, (p, s) in sorted(years.items())],
        by_source=[(k, p, s) for k, (p, s) in sorted(sources.items())],
        planned=sum((line.planned for line in lines), Decimal(0)),
        spent=sum((line.spent for line in lines), Decimal(0)),
    )


def project_detail(qs: QuerySet[Project], *, slug: str, public: bool) -> Project:
    """One project with everything its page shows. Raises Project.DoesNotExist.

    ``public`` leaves out internal status updates.
    """
    updates = StatusUpdate.objects.select_related("author")
    if public:
        updates = updates.filter(is_public=True)
    return (
        qs.select_related("area__district__programme")
        .prefetch_related(
            Prefetch("sub_goals", queryset=SubGoal.objects.order_by("number")),
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "pk")),
            Prefetch("updates", queryset=updates),
            Prefetch(
                "indicators",
                queryset=Indicator.objects.prefetch_related(
                    Prefetch("values", queryset=IndicatorValue.objects.order_by("date", "pk"))
                ),
            ),
            "partners",
            "images",
            Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("year", "source")),
        )
        .get(slug=slug)
    )


def inputs_taken_up(project: Project) -> list:
    """The residents' input taken up into ``project``, newest first: "what you said – what we
    did" for this project. Only input shown publicly (never pending or hidden), and only what
    the public page shows of it: the text, when, the follow-up and the district's answer, never
    who gave it. One query, whatever the number of inputs.

    Read through the reverse relation of the input's "taken up in project" key, so this app
    needs nothing from the app that owns the input.
    """
    return list(inputs_taken_up_queryset(project))


def inputs_taken_up_queryset(project: Project) -> QuerySet:
    """``inputs_taken_up`` as a queryset, for a page of them (``core.pagination``): a project
    that took up hundreds of inputs shows a page of them with their number from the database."""
    inputs = project.inputs_taken_up
    approved = inputs.model.Moderation.APPROVED
    return (
        inputs.filter(moderation=approved)
        .only("text", "created_at", "follow_up", "response", "taken_into_project_id")
        .order_by("-created_at", "-pk")
    )


def open_data_rows() -> list[dict]:
    """Public projects as flat rows for CSV and JSON (no personal data)."""
    rows = []
    for project in project_list(projects_public()).prefetch_related("budget_lines"):
        summary = budget_summary(list(project.budget_lines.all()))
        rows.append(
            {
                "slug": project.slug,
                "title": project.title,
                "summary": project.summary,
                "area": project.area.name,
                "district": project.area.district.name,
                "district_number": project.area.district.number,
                "status": project.status,
                "start_date": project.start_date.isoformat() if project.start_date else None,
                "end_date": project.end_date.isoformat() if project.end_date else None,
                "participation_step": project.participation_step,
                "sub_goals": [g.number for g in project.sub_goals.all()],
                "progress_percent": progress_percent(project),
                "budget_planned_nok": int(summary.planned),
                "budget_spent_nok": int(summary.spent),
            }
        )
    return rows
