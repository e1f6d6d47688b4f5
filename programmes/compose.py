"""What a handlingsprogram says, composed from the live data: a plain, JSON-able dict.

The page, the PDF and the frozen versions all show this one composition, so what the reader
sees on screen, in the PDF and in the archive is the same. It holds codes and numbers rather
than sentences (a status is its code, an amount is whole kroner), and the templates put them
into words; the texts the district wrote and the projects' own titles are kept as written.

Last year's results are collected here, each figure by its own query over the area, so the
district never copies a number from a spreadsheet:

* projects completed: the area's projects completed or closed with an end date last year;
* milestones: those due last year, and those done last year;
* indicators: each indicator's latest value measured by the end of last year, beside its
  baseline and target;
* bomiljøtilskudd: applications submitted last year (count and amount applied for), grants in
  force decided last year (a lapsed grant is not counted), and payments made last year;
* events: the area's published events held last year, with the attendance recorded by target
  group;
* input: what residents said in the area last year (hidden input left out), and where it stands.

The budget counts each project's planned money for the year once, under its first delmål (the
lowest number), so the totals by delmål and by funding source add up to the same sum as the
projects' budget lines.
"""

import hashlib
import json
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Sum
from django.utils import timezone

from areas.models import SubGoal
from grants.models import Decision, GrantApplication, Payment, Recommendation
from participation.models import Event, Input
from projects.models import BudgetLine, Indicator, IndicatorValue, Milestone, Project

from .models import PROSE_FIELDS, ActionProgramme, Measure

# Changed when the shape of the composition changes, so a new shape never reuses an old file.
FORMAT = 1

BUDGET_SOURCES = [code for code, _label in BudgetLine.Source.choices]
GRANTED_STATUSES = [
    GrantApplication.Status.GRANTED,
    GrantApplication.Status.ACCEPTED,
    GrantApplication.Status.REPORT_SUBMITTED,
    GrantApplication.Status.CLOSED,
]
COMPLETED = [Project.Status.COMPLETED, Project.Status.CLOSED]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _number(value: Decimal | None) -> str | None:
    """A measured value as the data holds it (``12.50`` → ``"12.5"``), exact, for JSON."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text


def compose(programme: ActionProgramme) -> dict:
    """The whole programme as it stands now. A handful of queries, whatever the number of
    measures."""
    area = programme.area
    year = programme.year
    return {
        "format": FORMAT,
        "programme_id": programme.pk,
        "year": year,
        "version": programme.version,
        "status": programme.status,
        "participation_step": programme.participation_step,
        "hearing_until": _iso(programme.hearing_until),
        "area": _area(area),
        "prose": {name: getattr(programme, name) for name in PROSE_FIELDS},
        "goals": _goals(programme),
        "results": results(area, year - 1),
        "measures": (measures := _measures(programme)),
        "budget": _budget(measures),
    }


def content_hash(content: dict) -> str:
    """The composition's fingerprint: equal content, equal hash (and the same PDF)."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _area(area) -> dict:
    return {
        "name": area.name,
        "slug": area.slug,
        "district": area.district.name,
        "district_number": area.district.number,
        "start_year": area.start_year,
        "end_year": area.end_year,
        "phase": area.phase,
        "summary": area.summary,
        "description": area.description,
        "target_zones": [
            {"name": zone.name, "description": zone.description} for zone in area.target_zones.all()
        ],
    }


def _goals(programme) -> list[dict]:
    written = {goal.sub_goal_id: goal for goal in programme.goals.all()}
    area_goals = list(programme.area.sub_goals.all()) or list(
        SubGoal.objects.filter(sub_programme=programme.area.sub_programme_id)
    )
    shown = {g.pk: g for g in area_goals}
    for goal in written.values():
        shown.setdefault(goal.sub_goal_id, goal.sub_goal)
    rows = []
    for sub_goal in sorted(shown.values(), key=lambda g: g.number):
        goal = written.get(sub_goal.pk)
        rows.append(
            {
                "number": sub_goal.number,
                "title": sub_goal.title,
                "description": sub_goal.description,
                "local_goal": goal.local_goal if goal else "",
                "strategies": goal.strategies if goal else "",
            }
        )
    return rows


def _measures(programme) -> list[dict]:
    year = programme.year
    measures = (
        Measure.objects.filter(programme=programme)
        .select_related("project")
        .prefetch_related(
            Prefetch("project__sub_goals", queryset=SubGoal.objects.order_by("number")),
            Prefetch("project__budget_lines", queryset=BudgetLine.objects.filter(year=year)),
        )
    )
    rows = []
    for number, measure in enumerate(measures, start=1):
        project = measure.project
        budget = {line.source: int(line.planned) for line in project.budget_lines.all()}
        rows.append(
            {
                "number": number,
                "measure_id": measure.pk,
                "project_id": project.pk,
                "title": project.title,
                "slug": project.slug,
                "summary": project.summary,
                "description": project.description,
                "status": project.status,
                "start_date": _iso(project.start_date),
                "end_date": _iso(project.end_date),
                "sub_goals": [g.number for g in project.sub_goals.all()],
                "participation_step": project.participation_step,
                "owner": project.owner,
                "manager": project.manager,
                "benefit_owner": project.benefit_owner,
                "steering_group": project.steering_group,
                "budget": [
                    {"source": source, "planned": budget[source]}
                    for source in BUDGET_SOURCES
                    if source in budget
                ],
                "budget_total": sum(budget.values()),
                "comment": measure.comment,
            }
        )
    return rows


def _budget(measures: list[dict]) -> dict:
    by_goal: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_source: dict[str, int] = defaultdict(int)
    for measure in measures:
        goal = measure["sub_goals"][0] if measure["sub_goals"] else None
        for line in measure["budget"]:
            by_goal[goal][line["source"]] += line["planned"]
            by_source[line["source"]] += line["planned"]
    goals = sorted(by_goal, key=lambda n: (n is None, n or 0))
    return {
        "sources": [s for s in BUDGET_SOURCES if s in by_source],
        "by_goal": [
            {
                "sub_goal": goal,
                "by_source": dict(by_goal[goal]),
                "total": sum(by_goal[goal].values()),
            }
            for goal in goals
        ],
        "by_source": dict(by_source),
        "total": sum(by_source.values()),
    }


def results(area, year: int) -> dict:
    """What happened in ``area`` in ``year``: the figures of the programme's results section."""
    projects = Project.objects.filter(area=area)
    completed = projects.filter(status__in=COMPLETED, end_date__year=year).order_by(
        "end_date", "title"
    )
    milestones = Milestone.objects.filter(project__area=area)
    due = milestones.filter(due_date__year=year)
    done = milestones.filter(done_date__year=year).select_related("project")
    return {
        "year": year,
        "projects_completed": [
            {"title": p.title, "slug": p.slug, "end_date": _iso(p.end_date)} for p in completed
        ],
        "milestones": {
            "due": due.count(),
            "due_met": due.filter(
                done_date__isnull=False, done_date__lte=date(year, 12, 31)
            ).count(),
            "done": [
                {
                    "project": m.project.title,
                    "title": m.title,
                    "due_date": _iso(m.due_date),
                    "done_date": _iso(m.done_date),
                }
                for m in done.order_by("done_date", "pk")
            ],
        },
        "indicators": _indicators(area, year),
        "grants": _grants(area, year),
        "events": _events(area, year),
        "input": _input(area, year),
    }


def _indicators(area, year: int) -> list[dict]:
    end = date(year, 12, 31)
    indicators = (
        Indicator.objects.filter(project__area=area)
        .select_related("project")
        .prefetch_related(
            Prefetch(
                "values",
                queryset=IndicatorValue.objects.filter(date__lte=end).order_by("date", "pk"),
                to_attr="values_by_end",
            )
        )
        .order_by("project__title", "pk")
    )
    rows = []
    for indicator in indicators:
        if not indicator.values_by_end:
            continue
        latest = indicator.values_by_end[-1]
        rows.append(
            {
                "project": indicator.project.title,
                "name": indicator.name,
                "unit": indicator.unit,
                "baseline": _number(indicator.baseline),
                "target": _number(indicator.target),
                "value": _number(latest.value),
                "measured_on": _iso(latest.date),
            }
        )
    return rows


def _grants(area, year: int) -> dict:
    applications = GrantApplication.objects.filter(area=area).exclude(
        status=GrantApplication.Status.DRAFT
    )
    applied = applications.filter(submitted_at__year=year).aggregate(
        count=Count("pk"), amount=Sum("amount_applied")
    )
    granted = Decision.objects.filter(
        application__area=area,
        application__status__in=GRANTED_STATUSES,
        superseded_by__isnull=True,
        outcome__in=[Recommendation.APPROVE, Recommendation.PARTIAL],
        decided_at__year=year,
    ).aggregate(count=Count("pk"), amount=Sum("amount"))
    paid = Payment.objects.filter(application__area=area, paid_on__year=year).aggregate(
        amount=Sum("amount")
    )
    return {
        "applied_count": applied["count"] or 0,
        "applied_amount": applied["amount"] or 0,
        "granted_count": granted["count"] or 0,
        "granted_amount": granted["amount"] or 0,
        "paid_amount": paid["amount"] or 0,
    }


def _events(area, year: int) -> dict:
    held = Event.objects.filter(
        areas=area,
        status=Event.Status.PUBLISHED,
        starts_at__year=year,
        starts_at__lt=timezone.now(),
    ).distinct()
    by_group: dict[str, int] = defaultdict(int)
    total = 0
    count = 0
    for attendance_total, groups in held.values_list("attendance_total", "attendance_by_group"):
        count += 1
        total += attendance_total or 0
        for code, people in (groups or {}).items():
            by_group[code] += int(people or 0)
    return {
        "held": count,
        "attendance": total,
        "by_group": [
            {"code": code, "people": by_group[code]} for code in sorted(by_group) if by_group[code]
        ],
    }


def _input(area, year: int) -> dict:
    given = Input.objects.filter(area=area, created_at__year=year).exclude(
        moderation=Input.Moderation.HIDDEN
    )
    by_status = dict(given.values_list("follow_up").annotate(n=Count("pk")).order_by())
    return {
        "received": sum(by_status.values()),
        "by_follow_up": [
            {"code": code, "count": by_status[code]}
            for code, _label in Input.FollowUp.choices
            if by_status.get(code)
        ],
        "taken_up": sum(
            by_status.get(code, 0) for code in (Input.FollowUp.TAKEN_UP, Input.FollowUp.DONE)
        ),
        "not_taken_up": by_status.get(Input.FollowUp.NOT_TAKEN_UP, 0),
    }


def queryset_for_compose():
    """Programmes with what ``compose`` reads of their area loaded along."""
    return ActionProgramme.objects.select_related("area__district").prefetch_related(
        "area__target_zones", "area__sub_goals", Prefetch("goals", queryset=_goal_rows())
    )


def _goal_rows():
    from .models import ProgrammeGoal

    return ProgrammeGoal.objects.select_related("sub_goal")
