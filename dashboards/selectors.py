"""The dashboards' reads: every figure grouped and summed in the database.

Each function issues a fixed number of queries whatever the volume of data: it groups with
``values().annotate()`` or counts with conditional aggregation (``Count``/``Sum`` with
``filter=Q``) and hands back plain numbers keyed by codes and primary keys. Projects and
budget lines are summed from their tallies (``projects.tallies``: the same counts grouped
once, in each write's transaction), not row by row. ``figures`` puts
labels and links on them. Nothing here reads a name, email, address or account number of a
person or applicant organisation.

What the filters mean, the same for every figure (and for the staff lists a figure links to):

* area, bydel, satsing: the row's area (``area``, ``area.district``, ``area.sub_programme``);
  an event counts where any of its areas matches;
* delmål: the row's delmål (projects and budget lines through their project's delmål, events
  through their project, applications and input through their own);
* year: a project runs in the year (start and end dates, open ends count as running); a budget
  line's year; an application's round's year; an event's start; an input's date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    Window,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, ExtractYear, Lead, Lower, RowNumber, Trim
from django.utils import timezone

from areas.models import Area, District, SubGoal, SubProgramme
from grants.models import Appeal, Decision, GrantApplication, Payment, Recommendation
from participation.models import Event, Input, Registration, TargetGroup
from programmes.models import ActionProgramme
from projects.models import (
    BudgetTally,
    Indicator,
    IndicatorValue,
    Project,
    ProjectTally,
)


@dataclass(frozen=True)
class Where:
    """The filters and the reader's districts, as the selectors apply them."""

    year: int | None = None
    sub_programme: int | None = None
    district: int | None = None
    area: int | None = None
    sub_goal: int | None = None
    district_ids: frozenset[int] | None = None


def area_q(where: Where, prefix: str = "area__") -> Q:
    """The area filters on a model related to ``Area`` through ``prefix`` ("" for Area)."""
    q = Q()
    if where.district_ids is not None:
        q &= Q(**{f"{prefix}district_id__in": sorted(where.district_ids)})
    if where.district is not None:
        q &= Q(**{f"{prefix}district_id": where.district})
    if where.sub_programme is not None:
        q &= Q(**{f"{prefix}sub_programme_id": where.sub_programme})
    if where.area is not None:
        q &= Q(**{f"{prefix}pk": where.area})
    return q


def _areas_narrowed(where: Where) -> bool:
    return any(
        v is not None for v in (where.district_ids, where.district, where.sub_programme, where.area)
    )


# --- Reference rows (labels), one query each ---------------------------------------------------


def areas(where: Where) -> list[Area]:
    qs = Area.objects.filter(area_q(where, "")).select_related("district")
    if where.sub_goal is not None:
        qs = qs.filter(
            pk__in=Area.sub_goals.through.objects.filter(subgoal_id=where.sub_goal).values(
                "area_id"
            )
        )
    return list(qs.order_by("district__number", "name"))


def districts(where: Where) -> list[District]:
    qs = District.objects.all()
    if where.district_ids is not None:
        qs = qs.filter(pk__in=sorted(where.district_ids))
    if where.district is not None:
        qs = qs.filter(pk=where.district)
    return list(qs.order_by("number"))


def sub_goals(where: Where) -> list[SubGoal]:
    qs = SubGoal.objects.select_related("sub_programme")
    if where.sub_goal is not None:
        qs = qs.filter(pk=where.sub_goal)
    if where.sub_programme is not None:
        qs = qs.filter(sub_programme_id=where.sub_programme)
    return list(qs.order_by("sub_programme__sort_order", "number"))


def sub_programmes() -> list[SubProgramme]:
    return list(SubProgramme.objects.order_by("sort_order", "name"))


def programme_years(where: Where) -> list[int]:
    """The programme's years: from the first area's start to the last area's end (within the
    reader's districts), and no later than next year."""
    span = Area.objects.filter(
        area_q(where.__class__(district_ids=where.district_ids), "")
    ).aggregate(first=Min("start_year"), last=Max("end_year"))
    if span["first"] is None:
        return []
    last = min(span["last"], timezone.localdate().year + 1)
    return list(range(span["first"], max(last, span["first"]) + 1))


# --- Projects ------------------------------------------------------------------------------------


def active_in_year(year: int, prefix: str = "") -> Q:
    """A project running at some point in the year (as the projects list's year filter)."""
    return (
        Q(**{f"{prefix}start_date__year__lte": year}) | Q(**{f"{prefix}start_date__isnull": True})
    ) & (Q(**{f"{prefix}end_date__year__gte": year}) | Q(**{f"{prefix}end_date__isnull": True}))


def projects(where: Where, *, with_year: bool = True) -> QuerySet[Project]:
    qs = Project.objects.filter(area_q(where))
    if where.sub_goal is not None:
        qs = qs.filter(
            pk__in=Project.sub_goals.through.objects.filter(subgoal_id=where.sub_goal).values(
                "project_id"
            )
        )
    if with_year and where.year is not None:
        qs = qs.filter(active_in_year(where.year))
    return qs


PROJECT_ROLLUPS = ("status", "participation_step", "area", "area__district")


def _tallies(model, where: Where, *, each_goal: bool = False) -> QuerySet:
    """The tally rows (``projects.tallies``) the filters pick: those that count each project
    or line once, or with ``each_goal`` those that count it under each of its sub-goals; with a
    sub-goal filter, the rows of that sub-goal (which count a project holding it once)."""
    qs = model.objects.filter(area_q(where))
    if where.sub_goal is not None:
        return qs.filter(sub_goal_id=where.sub_goal)
    return qs.filter(sub_goal__isnull=not each_goal)


def _project_tallies(where: Where, *, each_goal: bool = False, with_year: bool = True):
    qs = _tallies(ProjectTally, where, each_goal=each_goal)
    if with_year and where.year is not None:
        qs = qs.filter(
            Q(first_year__lte=where.year) | Q(first_year__isnull=True),
            Q(last_year__gte=where.year) | Q(last_year__isnull=True),
        )
    return qs


def _rollups(rows, fields: tuple[str, ...], sums: tuple[str, ...]) -> dict[str, dict]:
    """``{field: {value: {sum: total}}}`` for each of ``fields``, from rows the database
    grouped by all of them at once: a few hundred rows at most (the combinations of codes,
    years and areas), whatever the number of rows behind them."""
    out: dict[str, dict] = {field: {} for field in fields}
    for row in rows:
        for field in fields:
            totals = out[field].setdefault(row[field], dict.fromkeys(sums, 0))
            for name in sums:
                totals[name] += row[name] or 0
    return out


def project_rollups(where: Where) -> dict[str, dict]:
    """Projects counted by each of ``PROJECT_ROLLUPS`` (status, participation step, area,
    district) in one query on the tallies: ``{field: {value: count}}``."""
    rows = _project_tallies(where).order_by().values(*PROJECT_ROLLUPS).annotate(n=Sum("projects"))
    return {
        field: {value: totals["n"] for value, totals in by_value.items()}
        for field, by_value in _rollups(rows, PROJECT_ROLLUPS, ("n",)).items()
    }


def projects_by_sub_goal(where: Where) -> dict[int, dict[str, int]]:
    """Per delmål: projects in all, ongoing and completed (a project counts in each of its
    delmål)."""
    S = Project.Status
    rows = (
        _project_tallies(where, each_goal=True)
        .order_by()
        .values("sub_goal_id")
        .annotate(
            n=Sum("projects"),
            ongoing=Sum("projects", filter=Q(status=S.ONGOING)),
            completed=Sum("projects", filter=Q(status__in=[S.COMPLETED, S.CLOSED])),
        )
    )
    return {
        row["sub_goal_id"]: {name: row[name] or 0 for name in ("n", "ongoing", "completed")}
        for row in rows
    }


def projects_by_year(where: Where, years: list[int]) -> dict[int, dict[str, int]]:
    """Per year: projects running, started and ended that year (one query). The tallies
    count the projects by the years they start and end; a year's figures are the sums of
    those counts (a few dozen pairs of years at any scale), so the query does not grow by
    three filtered counts a year."""
    if not years:
        return {}
    rows = (
        _project_tallies(where, with_year=False)
        .order_by()
        .values("first_year", "last_year")
        .annotate(n=Sum("projects"))
    )
    spans = [(row["first_year"], row["last_year"], row["n"]) for row in rows]
    return {
        year: {
            # As ``active_in_year``: started by the year's end, not ended before it.
            "active": sum(
                n
                for first, last, n in spans
                if (first is None or first <= year) and (last is None or last >= year)
            ),
            "started": sum(n for first, _last, n in spans if first == year),
            "ended": sum(n for _first, last, n in spans if last == year),
        }
        for year in years
    }


def area_steps(where: Where) -> dict[tuple[int, int], int]:
    """Each area's participation step per year, from its handlingsprogram."""
    qs = ActionProgramme.objects.filter(area_q(where))
    if where.sub_goal is not None:
        qs = qs.filter(
            area_id__in=Area.sub_goals.through.objects.filter(subgoal_id=where.sub_goal).values(
                "area_id"
            )
        )
    if where.year is not None:
        qs = qs.filter(year=where.year)
    return {
        (row["area_id"], row["year"]): row["participation_step"]
        for row in qs.order_by().values("area_id", "year", "participation_step")
    }


def area_steps_by_year(where: Where) -> dict[tuple[int, int], int]:
    """Per (year, participation step): the areas whose handlingsprogram set that step for the
    year. One query, grouped in the database."""
    qs = ActionProgramme.objects.filter(area_q(where))
    if where.sub_goal is not None:
        qs = qs.filter(
            area_id__in=Area.sub_goals.through.objects.filter(subgoal_id=where.sub_goal).values(
                "area_id"
            )
        )
    if where.year is not None:
        qs = qs.filter(year=where.year)
    rows = (
        qs.order_by().values("year", "participation_step").annotate(n=Count("area", distinct=True))
    )
    return {(row["year"], row["participation_step"]): row["n"] for row in rows}


# --- Budget --------------------------------------------------------------------------------------


def _budget_tallies(where: Where, *, each_goal: bool = False) -> QuerySet:
    qs = _tallies(BudgetTally, where, each_goal=each_goal)
    if where.year is not None:
        qs = qs.filter(year=where.year)
    return qs


def budget_by_sub_goal(where: Where) -> dict[int, dict[str, int]]:
    """Planned and spent (kroner) by delmål: a budget line counts under each delmål of its
    project. One query on the tallies."""
    rows = (
        _budget_tallies(where, each_goal=True)
        .order_by()
        .values("sub_goal_id")
        .annotate(total_planned=Sum("planned"), total_spent=Sum("spent"))
    )
    return {
        row["sub_goal_id"]: {
            "planned": int(row["total_planned"] or 0),
            "spent": int(row["total_spent"] or 0),
        }
        for row in rows
    }


# The rollups' names are the budget lines' own paths (the figures ask for them so), read from
# the tallies' columns of the same meaning.
BUDGET_ROLLUPS = ("source", "year", "project__area", "project__area__district")
_BUDGET_TALLY_FIELDS = ("source", "year", "area", "area__district")


def budget_rollups(where: Where) -> dict[str, dict]:
    """Planned and spent (kroner) by each of ``BUDGET_ROLLUPS`` (funding source, year, area,
    district) in one query on the tallies: ``{field: {value: {"planned", "spent"}}}``."""
    rows = (
        _budget_tallies(where)
        .order_by()
        .values(*_BUDGET_TALLY_FIELDS)
        .annotate(total_planned=Sum("planned"), total_spent=Sum("spent"))
    )
    rollups = _rollups(rows, _BUDGET_TALLY_FIELDS, ("total_planned", "total_spent"))
    return {
        name: {
            value: {"planned": int(totals["total_planned"]), "spent": int(totals["total_spent"])}
            for value, totals in rollups[field].items()
            if value is not None
        }
        for name, field in zip(BUDGET_ROLLUPS, _BUDGET_TALLY_FIELDS, strict=True)
    }


# --- Bomiljøtilskudd -----------------------------------------------------------------------------

GRANTED = [Recommendation.APPROVE, Recommendation.PARTIAL]


def applications(where: Where) -> QuerySet[GrantApplication]:
    """Submitted applications (drafts are the applicant's, not yet a case)."""
    qs = GrantApplication.objects.exclude(status=GrantApplication.Status.DRAFT)
    if _areas_narrowed(where):
        qs = qs.filter(area_q(where))
    if where.sub_goal is not None:
        qs = qs.filter(sub_goal_id=where.sub_goal)
    if where.year is not None:
        qs = qs.filter(round__year=where.year)
    return qs


def _by(qs: QuerySet, group: str | None, **aggregates) -> dict:
    """``aggregates`` per value of ``group`` ("" key for no grouping)."""
    qs = qs.order_by()
    if group is None:
        return {"": qs.aggregate(**aggregates)}
    return {row.pop("g"): row for row in qs.values(g=F(group)).annotate(**aggregates)}


class Median(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5)``: the median of the group, computed in the database."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


def _median_days(qs: QuerySet, value, group: str | None) -> dict:
    """The median of ``value`` (a duration) per ``group``, in days (one decimal).

    PostgreSQL computes it with ``percentile_cont``; elsewhere (SQLite) the rows are numbered
    within their group in the database and only the one or two middle rows of each group are
    read: a bounded read, the same query whatever the volume."""
    qs = qs.order_by().annotate(d=ExpressionWrapper(value, output_field=DurationField()))
    g = F(group) if group else Value(0)
    if connection.vendor == "postgresql":
        rows = qs.values(g=g).annotate(m=Median("d", output_field=DurationField()))
        return {(row["g"] if group else ""): _days(row["m"]) for row in rows}
    numbered = qs.annotate(
        g=g if group else Value(0, output_field=IntegerField()),
        rn=Window(RowNumber(), partition_by=[g], order_by=[F("d").asc(), F("pk").asc()]),
        cnt=Window(Count("pk"), partition_by=[g]),
    )
    middle = numbered.filter(Q(rn=(F("cnt") + 1) / 2) | Q(rn=(F("cnt") + 2) / 2)).values_list(
        "g", "d"
    )
    found: dict = {}
    for key, duration in middle:
        found.setdefault(key if group else "", []).append(duration)
    return {
        key: _days(sum(values, datetime.timedelta()) / len(values)) for key, values in found.items()
    }


def _days(duration) -> float | None:
    if duration is None:
        return None
    if not isinstance(duration, datetime.timedelta):
        duration = datetime.timedelta(microseconds=int(duration))
    return round(duration.total_seconds() / 86400, 1)


def grants(where: Where, group: str | None) -> dict:
    """Per ``group`` of the application (``round__year``, ``area__district``, ``area``,
    ``sub_goal``, or None for the whole): applications, amounts applied for, granted and paid,
    decisions and grants, dugnad hours pledged and reported, the median days from submission
    to the first decision. Five queries."""
    apps = applications(where)
    out: dict = {}

    def merge(values: dict) -> None:
        for key, row in values.items():
            out.setdefault(key, {}).update(row)

    merge(
        _by(
            apps,
            group,
            applications=Count("pk"),
            applied=Coalesce(Sum("amount_applied"), 0),
            pledged=Coalesce(Sum("dugnad_hours"), 0),
            reported=Coalesce(Sum("final_report__dugnad_hours"), 0),
        )
    )
    # The decision in force: the latest, which no later one supersedes. Asked as NOT EXISTS:
    # the planner reads "no row on the reverse side of a left join" as one row at most and
    # loops over the decisions one by one (2.2 ms at scale 100), where the anti-join reads
    # each table once (0.8 ms).
    current = Decision.objects.filter(application__in=apps.values("pk")).exclude(
        Exists(Decision.objects.filter(supersedes=OuterRef("pk")))
    )
    merge(
        _by(
            current,
            f"application__{group}" if group else None,
            decided=Count("pk"),
            granted_cases=Count("pk", filter=Q(outcome__in=GRANTED)),
            granted=Coalesce(Sum("amount", filter=Q(outcome__in=GRANTED)), 0),
        )
    )
    payments = Payment.objects.filter(application__in=apps.values("pk"))
    merge(
        _by(payments, f"application__{group}" if group else None, paid=Coalesce(Sum("amount"), 0))
    )
    first = Decision.objects.filter(application__in=apps.values("pk"), supersedes__isnull=True)
    medians = _median_days(
        first,
        F("decided_at") - F("application__submitted_at"),
        f"application__{group}" if group else None,
    )
    for key, median in medians.items():
        out.setdefault(key, {})["median_days"] = median
    appeals = Appeal.objects.filter(application__in=apps.values("pk"))
    merge(
        _by(
            appeals,
            f"application__{group}" if group else None,
            appeals=Count("pk"),
            **{
                f"appeal_{status.value}": Count("pk", filter=Q(status=status))
                for status in Appeal.Status
            },
        )
    )
    for row in out.values():
        _grant_figures(row)
    out.pop(None, None)
    return out


GRANT_SUMS = (
    "applications",
    "applied",
    "pledged",
    "reported",
    "decided",
    "granted_cases",
    "granted",
    "paid",
    "appeals",
    *(f"appeal_{status.value}" for status in Appeal.Status),
)


def _grant_figures(row: dict) -> dict:
    for key in GRANT_SUMS:
        row[key] = int(row.get(key) or 0)
    row.setdefault("median_days", None)
    row["approval_rate"] = (
        round(100 * row["granted_cases"] / row["decided"], 1) if row["decided"] else None
    )
    return row


def grants_whole(where: Where, by_year: dict) -> dict:
    """The figures of ``grants(where, None)`` from those by the year of the round (every
    application has a round, so the years add up to the whole): the sums added up, the
    approval rate from them, and the median days, which do not add up, in one query."""
    row = {key: sum(figures.get(key, 0) for figures in by_year.values()) for key in GRANT_SUMS}
    first = Decision.objects.filter(
        application__in=applications(where).values("pk"), supersedes__isnull=True
    )
    medians = _median_days(first, F("decided_at") - F("application__submitted_at"), None)
    row["median_days"] = medians.get("")
    return _grant_figures(row)


# --- Participation -------------------------------------------------------------------------------


def start_of_today() -> datetime.datetime:
    today = timezone.localdate()
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time()))


def events_held(where: Where) -> QuerySet[Event]:
    """Published events that ended before today. Each area filter holds on its own (as in
    the staff list of events): an event in some area of the bydel and some area of the
    satsing."""
    qs = Event.objects.filter(status=Event.Status.PUBLISHED, ends_at__lt=start_of_today())
    links = Event.areas.through.objects
    conditions = {
        "area__district_id__in": sorted(where.district_ids)
        if where.district_ids is not None
        else None,
        "area__district_id": where.district,
        "area__sub_programme_id": where.sub_programme,
        "area_id": where.area,
    }
    for lookup, value in conditions.items():
        if value is not None:
            qs = qs.filter(pk__in=links.filter(**{lookup: value}).values("event_id"))
    if where.sub_goal is not None:
        qs = qs.filter(
            project_id__in=Project.sub_goals.through.objects.filter(
                subgoal_id=where.sub_goal
            ).values("project_id")
        )
    if where.year is not None:
        qs = qs.filter(starts_at__year=where.year)
    return qs


def _sql(qs: QuerySet) -> tuple[str, tuple]:
    return qs.query.get_compiler(using=qs.db).as_sql()


def _events_by_place(held: QuerySet, registrations: QuerySet, group: str, keys) -> dict:
    """Per district or area of ``keys``: the figures of the events held there. One query: the
    events (one row each), the distinct (event, place) pairs and each event's registrations
    (grouped per event), joined and grouped by place, so an event in two areas of a district
    counts once in the district and once in each area."""
    keys = sorted(keys)
    out = {key: {} for key in keys}
    if not keys:
        return out
    codes = list(TargetGroup.values)
    events = held.values(
        eid=F("pk"),
        att=F("attendance_total"),
        **{
            f"g{i}": Cast(KT(f"attendance_by_group__{code}"), IntegerField())
            for i, code in enumerate(codes)
        },
    )
    field = "area__district_id" if group == "district" else "area_id"
    pairs = (
        Event.areas.through.objects.filter(event_id__in=held.values("pk"), **{f"{field}__in": keys})
        .order_by()
        .values(pe=F("event_id"), k=F(field))
        .distinct()
    )
    per_event = (
        registrations.values(re=F("event_id"))
        .annotate(
            reg=Coalesce(Sum("people", filter=Q(status=Registration.Status.CONFIRMED)), 0),
            chk=Coalesce(Sum("people", filter=Q(checked_in_at__isnull=False)), 0),
        )
        .order_by()
    )
    (events_sql, events_params), (pairs_sql, pairs_params), (regs_sql, regs_params) = (
        _sql(events),
        _sql(pairs),
        _sql(per_event),
    )
    groups = ", ".join(f"SUM(COALESCE(e.g{i}, 0))" for i in range(len(codes)))
    # Every name is the query's own alias; every value a parameter of the inner queries.
    sql = (
        f"WITH e AS ({events_sql}), p AS ({pairs_sql}), r AS ({regs_sql}) "  # nosec B608
        f"SELECT p.k, COUNT(*), SUM(COALESCE(e.att, 0)), {groups}, "
        "SUM(COALESCE(r.reg, 0)), SUM(COALESCE(r.chk, 0)) "
        "FROM e INNER JOIN p ON p.pe = e.eid LEFT OUTER JOIN r ON r.re = e.eid GROUP BY p.k"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*events_params, *pairs_params, *regs_params])
        for key, held_count, attendance, *rest in cursor.fetchall():
            by_group, (registered, checked_in) = rest[: len(codes)], rest[len(codes) :]
            out[key] = {
                "held": held_count,
                "attendance": attendance,
                **{f"group_{code}": n for code, n in zip(codes, by_group, strict=True)},
                "registered": registered,
                "checked_in": checked_in,
            }
    return out


def events(where: Where, group: str | None, keys: list[int] = ()) -> dict:
    """Per ``group`` (``year``; ``district`` or ``area`` with their ``keys``; None for the
    whole): events held, attendance, people reached by target group, and the places
    confirmed and checked in at them. Two queries (one by district or area).

    An event in areas of two districts counts in both: by district and by area each event is
    counted once per row (``_events_by_place``)."""
    held = events_held(where).order_by()
    event_aggregates = {
        "held": lambda q: Count("pk", filter=q or None),
        "attendance": lambda q: Coalesce(Sum("attendance_total", filter=q or None), 0),
        **{
            f"group_{code}": (
                lambda q, code=code: Coalesce(
                    Sum(Cast(KT(f"attendance_by_group__{code}"), IntegerField()), filter=q or None),
                    0,
                )
            )
            for code in TargetGroup.values
        },
    }
    confirmed = Q(status=Registration.Status.CONFIRMED)
    checked_in = Q(checked_in_at__isnull=False)
    registration_aggregates = {
        "registered": lambda q: Coalesce(Sum("people", filter=confirmed & q), 0),
        "checked_in": lambda q: Coalesce(Sum("people", filter=checked_in & q), 0),
    }
    registrations = Registration.objects.filter(event__in=held.values("pk")).order_by()
    out: dict = {}
    if group in ("district", "area"):
        out = _events_by_place(held, registrations, group, keys)
    elif group == "year":
        for qs, aggregates, field in (
            (held, event_aggregates, "starts_at"),
            (registrations, registration_aggregates, "event__starts_at"),
        ):
            rows = qs.values(g=ExtractYear(field)).annotate(
                **{name: make(Q()) for name, make in aggregates.items()}
            )
            for row in rows:
                out.setdefault(row.pop("g"), {}).update(row)
    else:
        for qs, aggregates in ((held, event_aggregates), (registrations, registration_aggregates)):
            out.setdefault("", {}).update(
                qs.aggregate(**{name: make(Q()) for name, make in aggregates.items()})
            )
    for row in out.values():
        for key in (*event_aggregates, *registration_aggregates):
            row[key] = int(row.get(key) or 0)
    return out


def inputs(where: Where) -> QuerySet[Input]:
    qs = Input.objects.all()
    if _areas_narrowed(where):
        qs = qs.filter(area_q(where))
    if where.sub_goal is not None:
        qs = qs.filter(sub_goal_id=where.sub_goal)
    if where.year is not None:
        qs = qs.filter(created_at__year=where.year)
    return qs


FOLLOWED_UP = [
    Input.FollowUp.CONSIDERING,
    Input.FollowUp.TAKEN_UP,
    Input.FollowUp.NOT_TAKEN_UP,
    Input.FollowUp.DONE,
]
TAKEN_IN = [Input.FollowUp.TAKEN_UP, Input.FollowUp.DONE]


def inputs_by(where: Where, group: str | None) -> dict:
    """Per ``group`` (``year``, ``area__district``, ``area``, ``sub_goal`` or None): input
    received, followed up (no longer only received) and taken in (taken up or done). One
    query."""
    qs = inputs(where).order_by()
    aggregates = {
        "received": Count("pk"),
        "followed_up": Count("pk", filter=Q(follow_up__in=FOLLOWED_UP)),
        "taken_in": Count("pk", filter=Q(follow_up__in=TAKEN_IN)),
    }
    if group is None:
        out = {"": qs.aggregate(**aggregates)}
    else:
        g = ExtractYear("created_at") if group == "year" else F(group)
        out = {row.pop("g"): row for row in qs.values(g=g).annotate(**aggregates)}
    out.pop(None, None)
    for row in out.values():
        row["followed_up_share"] = _share(row["followed_up"], row["received"])
        row["taken_in_share"] = _share(row["taken_in"], row["received"])
    return out


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# --- Indicators ----------------------------------------------------------------------------------


# The units whose values may be added up across projects (written in lower case, trimmed),
# and what they count.
SUMMED_UNITS = {
    "personer": "participants",
    "deltakere": "participants",
    "timer": "hours",
    "dugnadstimer": "hours",
    "besøkende": "visitors",
}
SUMS = ("participants", "hours", "visitors")


def indicators_by_year(where: Where, years: list[int]) -> tuple[dict, dict]:
    """The indicators over the years, each year as it stood at the year's end (an indicator's
    latest value measured by then): per year, and per delmål and year, the indicators
    measured, those measured that have a target, those on track, and the sums of the latest
    values where the units agree (participants, hours, visitors).

    One query, whatever the number of indicators, values and years. Each measured value is
    read once with the year of its indicator's next value (a window function): it is the
    indicator's latest at the end of every year from its own up to, not including, the next
    one's. The values are joined to the years they hold in and grouped by year, and by year
    and delmål (an indicator counts under each delmål of its project)."""
    if not years:
        return {}, {}
    values = (
        IndicatorValue.objects.filter(
            indicator__project__in=projects(where, with_year=False).values("pk")
        )
        .order_by()
        .values(
            "value",
            first_year=ExtractYear("date"),
            next_year=Window(
                Lead(ExtractYear("date")),
                partition_by=[F("indicator")],
                order_by=[F("date"), F("pk")],
            ),
            project=F("indicator__project_id"),
            target=F("indicator__target"),
            baseline=F("indicator__baseline"),
            unit_key=Lower(Trim("indicator__unit")),
        )
    )
    inner, inner_params = values.query.get_compiler(using=values.db).as_sql()
    qn = connection.ops.quote_name
    links = Project.sub_goals.through._meta
    link_table = qn(links.db_table)
    link_project = qn(links.get_field("project").column)
    link_goal = qn(links.get_field("subgoal").column)
    rising = "(v.baseline IS NULL OR v.target >= v.baseline)"
    on_track = (
        f"v.target IS NOT NULL AND (({rising} AND v.value >= v.target) "
        f"OR (NOT {rising} AND v.value <= v.target))"
    )
    sums = []
    sum_params: list = []
    for what in SUMS:
        units = sorted(unit for unit, counts in SUMMED_UNITS.items() if counts == what)
        sums.append(
            f"SUM(CASE WHEN v.unit_key IN ({', '.join(['%s'] * len(units))}) "
            f"THEN v.value ELSE 0 END)"
        )
        sum_params.extend(units)
    figures = (
        "COUNT(*), SUM(CASE WHEN v.target IS NOT NULL THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {on_track} THEN 1 ELSE 0 END), " + ", ".join(sums)
    )
    years_sql = " UNION ALL ".join(["SELECT %s AS year"] * len(years))
    held = "v.first_year <= y.year AND (v.next_year IS NULL OR v.next_year > y.year)"
    # Every name is the models' own, quoted; every value a parameter.
    sql = (
        f"WITH v AS ({inner}), y AS ({years_sql}) "  # nosec B608
        f"SELECT y.year, NULL, {figures} FROM v INNER JOIN y ON {held} GROUP BY y.year "
        f"UNION ALL "
        f"SELECT y.year, g.{link_goal}, {figures} FROM v INNER JOIN y ON {held} "
        f"INNER JOIN {link_table} g ON g.{link_project} = v.project "
        f"GROUP BY y.year, g.{link_goal}"
    )
    params = [*inner_params, *years, *sum_params, *sum_params]
    empty = dict.fromkeys(("measured", "with_target", "on_track", *SUMS), 0)
    whole = {year: dict(empty) for year in years}
    by_goal: dict[int, dict[int, dict]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for year, goal, *numbers in cursor.fetchall():
            row = dict(zip(empty, (int(n or 0) for n in numbers), strict=True))
            if goal is None:
                whole[int(year)] = row
            else:
                by_goal.setdefault(goal, {y: dict(empty) for y in years})[int(year)] = row
    return whole, by_goal


def indicators_by_sub_goal(where: Where) -> tuple[dict, dict]:
    """Per delmål: indicators, those with a target, those measured and those on track (the
    latest value measured by the end of the year, or ever, has reached the target: at or above
    it when the target is above the baseline, at or below it when below); and per delmål and
    unit (lower case, trimmed) the sum of the latest values.

    One query: the indicators, and their latest values (each value read once with the year
    of the next, as in ``indicators_by_year``), joined to their projects' delmål and grouped."""
    indicators = (
        Indicator.objects.filter(project__in=projects(where, with_year=False).values("pk"))
        .order_by()
        .values(
            iid=F("pk"),
            prj=F("project_id"),
            tgt=F("target"),
            base=F("baseline"),
            unit_key=Lower(Trim("unit")),
        )
    )
    values = (
        IndicatorValue.objects.filter(
            indicator__project__in=projects(where, with_year=False).values("pk")
        )
        .order_by()
        .values(
            "value",
            ind=F("indicator_id"),
            first_year=ExtractYear("date"),
            next_year=Window(
                Lead(ExtractYear("date")),
                partition_by=[F("indicator")],
                order_by=[F("date"), F("pk")],
            ),
        )
    )
    (ind_sql, ind_params), (val_sql, val_params) = _sql(indicators), _sql(values)
    if where.year is None:
        latest, latest_params = "v.next_year IS NULL", []
    else:
        latest = "v.first_year <= %s AND (v.next_year IS NULL OR v.next_year > %s)"
        latest_params = [where.year, where.year]
    qn = connection.ops.quote_name
    links = Project.sub_goals.through._meta
    goal = f"g.{qn(links.get_field('subgoal').column)}"
    join = f"INNER JOIN {qn(links.db_table)} g ON g.{qn(links.get_field('project').column)} = i.prj"
    rising = "(i.base IS NULL OR i.tgt >= i.base)"
    on_track = (
        f"i.tgt IS NOT NULL AND l.value IS NOT NULL AND (({rising} AND l.value >= i.tgt) "
        f"OR (NOT {rising} AND l.value <= i.tgt))"
    )
    # Every name is the models' own or the query's alias, quoted; every value a parameter.
    sql = (
        f"WITH i AS ({ind_sql}), v AS ({val_sql}), "  # nosec B608
        f"l AS (SELECT v.ind, v.value FROM v WHERE {latest}) "
        f"SELECT {goal}, NULL, COUNT(*), "
        "SUM(CASE WHEN i.tgt IS NOT NULL THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN l.value IS NOT NULL THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {on_track} THEN 1 ELSE 0 END), NULL "
        f"FROM i {join} LEFT OUTER JOIN l ON l.ind = i.iid GROUP BY {goal} "
        "UNION ALL "
        f"SELECT {goal}, i.unit_key, 0, 0, 0, 0, SUM(l.value) "
        f"FROM i {join} INNER JOIN l ON l.ind = i.iid GROUP BY {goal}, i.unit_key"
    )
    counts: dict = {}
    sums: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ind_params, *val_params, *latest_params])
        for goal_id, unit, n, with_target, measured, on_track_n, total in cursor.fetchall():
            if unit is None and total is None:
                counts[goal_id] = {
                    "indicators": int(n or 0),
                    "with_target": int(with_target or 0),
                    "measured": int(measured or 0),
                    "on_track": int(on_track_n or 0),
                }
            else:
                sums[(goal_id, unit)] = Decimal(str(total or 0))
    return counts, sums
