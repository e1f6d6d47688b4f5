"""Builds the dashboard's tables from ``dashboards.selectors`` and caches them.

The cache key holds the filters, the scope, the language (labels are translated before the
tables are cached), the day (events "held" are those that ended before today) and the data
versions that the writing services raise (``core.versions``). A change to any of the data
makes a new key; nothing stale is shown and nothing waits for a timeout. With the cache away
the figures are computed on every request (``core.cache`` fails soft).
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import urlencode

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from areas.models import ParticipationStep
from core import versions
from grants.models import Appeal
from participation.models import TargetGroup
from projects.models import BudgetLine, Project

from . import selectors
from .figures import ChartSpec, Column, Dashboard, Filters, Row, Scope, Section, Table

CACHE_TIMEOUT = 60 * 60 * 24  # a day: the key changes with the day and the data anyway
TOPICS = versions.TOPICS


def cache_key(filters: Filters, scope: Scope) -> str:
    parts = {
        "f": filters.as_query(),
        "d": sorted(scope.district_ids) if scope.district_ids is not None else None,
        "g": scope.grant_cases,
        "l": scope.label,
        "lang": get_language() or "",
        "day": timezone.localdate().isoformat(),
        "v": versions.current(*TOPICS),
    }
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:32]
    return f"dashboards:{digest}"


def cached_dashboard(filters: Filters, scope: Scope) -> Dashboard:
    key = cache_key(filters, scope)
    found = cache.get(key)
    if isinstance(found, Dashboard):
        return found
    board = build(filters, scope)
    cache.set(key, board, CACHE_TIMEOUT)
    return board


# --- Links ---------------------------------------------------------------------------------------


class Links:
    """URLs that keep the filters: one level down on the dashboard, or the list behind a
    figure. The lists' GET parameters narrow them to exactly the rows the figure counts."""

    def __init__(self, filters: Filters, scope: Scope, district_slugs: dict[int, str]):
        self.filters = filters
        self.scope = scope
        self.slugs = district_slugs
        self.today = timezone.localdate().isoformat()
        # A hundred links lead to a handful of pages: each page's path is reversed once for
        # the tables being built (only the query differs from link to link).
        self._paths: dict[tuple, str] = {}

    def _reverse(self, name: str, args=()) -> str:
        key = (name, *args)
        path = self._paths.get(key)
        if path is None:
            path = self._paths[key] = reverse(name, args=args)
        return path

    def _query(self, **params) -> str:
        query = {**self.filters.as_query(), **params}
        if (
            "district" not in query
            and self.scope.district_ids is not None
            and len(self.scope.district_ids) == 1
        ):
            query["district"] = next(iter(self.scope.district_ids))
        query = {k: v for k, v in query.items() if v is not None and v != ""}
        return urlencode(sorted(query.items()))

    def _url(self, name: str, args=(), **params) -> str:
        query = self._query(**params)
        url = self._reverse(name, args)
        return f"{url}?{query}" if query else url

    def district(self, district_id: int) -> str:
        params = {k: v for k, v in self.filters.as_query().items() if k != "district"}
        url = self._reverse("dashboards:district", (self.slugs[district_id],))
        query = urlencode(sorted(params.items()))
        return f"{url}?{query}" if query else url

    def area(self, area_id: int, district_id: int) -> str:
        if self.scope.is_programme and self.filters.district is None:
            return self._url("dashboards:programme", area=area_id)
        params = {k: v for k, v in self.filters.as_query().items() if k != "district"}
        params["area"] = area_id
        url = self._reverse("dashboards:district", (self.slugs[district_id],))
        return f"{url}?{urlencode(sorted(params.items()))}"

    def projects(self, **params) -> str:
        return self._url("projects:staff_list", **params)

    def events(self, **params) -> str:
        return self._url(
            "participation:staff_events",
            status="publisert",
            ended_before=self.today,
            **params,
        )

    def inputs(self, **params) -> str:
        return self._url("participation:staff_inputs", **params)

    def cases(self, **params) -> str:
        """The grant case queue, only for those who may see cases (never the board)."""
        if not self.scope.grant_cases:
            return ""
        return self._url("grants:staff_queue", status="all", **params)


def _links(**links: str) -> dict[str, str]:
    return {k: v for k, v in links.items() if v}


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _kr(value: int) -> str:
    return f"{value:,}".replace(",", "\u00a0") + " kr"


def _trend(values: list[tuple[int, int | float | None]], what: str) -> str:
    """One sentence on how a figure went over the years."""
    known = [(year, value) for year, value in values if value is not None]
    if len(known) < 2:
        return ""
    (first_year, first), (last_year, last) = known[0], known[-1]
    peak_year, peak = max(known, key=lambda item: (item[1], -item[0]))
    if last > first:
        change = _("rose")
    elif last < first:
        change = _("fell")
    else:
        change = _("was unchanged")
    return _(
        "%(what)s %(change)s from %(first)s in %(first_year)s to %(last)s in %(last_year)s; "
        "the highest was %(peak)s in %(peak_year)s."
    ) % {
        "what": what,
        "change": change,
        "first": first,
        "first_year": first_year,
        "last": last,
        "last_year": last_year,
        "peak": peak,
        "peak_year": peak_year,
    }


# --- The dashboard -------------------------------------------------------------------------------


def build(filters: Filters, scope: Scope) -> Dashboard:
    where = selectors.Where(**filters.__dict__, district_ids=scope.district_ids)
    districts = selectors.districts(where)
    areas = selectors.areas(where)
    goals = selectors.sub_goals(where)
    all_years = selectors.programme_years(where)
    years = [filters.year] if filters.year is not None else all_years
    links = Links(
        filters,
        scope,
        {
            d.pk: d.slug
            for d in selectors.districts(selectors.Where(district_ids=scope.district_ids))
        },
    )
    # By district on the programme's page; by area once a district (or area) is chosen.
    by_district = (
        filters.district is None
        and filters.area is None
        and (scope.district_ids is None or len(scope.district_ids) > 1)
    )
    ctx = _Context(filters, scope, where, districts, areas, goals, years, links, by_district)
    sections = (
        _projects(ctx),
        _budget(ctx),
        _grants(ctx),
        _participation(ctx),
        _indicators(ctx),
    )
    return Dashboard(
        filters=filters,
        scope=scope,
        sections=sections,
        taken_at=timezone.now(),
        years=tuple(all_years),
    )


class _Context:
    def __init__(self, filters, scope, where, districts, areas, goals, years, links, by_district):
        self.filters = filters
        self.scope = scope
        self.where = where
        self.districts = districts
        self.areas = areas
        self.goals = goals
        self.years = years
        self.links = links
        self.by_district = by_district
        self.area_district = {a.pk: a.district_id for a in areas}

    def places(self):
        """(key, label, place filter params, label link) for the place rows."""
        if self.by_district:
            for d in self.districts:
                yield d.pk, str(d), {"district": d.pk}, self.links.district(d.pk)
        else:
            for a in self.areas:
                yield a.pk, a.name, {"area": a.pk}, self.links.area(a.pk, a.district_id)

    @property
    def place_column(self) -> Column:
        return Column("label", _("District") if self.by_district else _("Area"), "text")

    @property
    def place_key(self) -> str:
        return "district" if self.by_district else "area"

    def goal_label(self, goal) -> str:
        return f"{goal.sub_programme.tr.name}: {goal}"


# --- Projects ------------------------------------------------------------------------------------


def _projects(ctx: _Context) -> Section:
    w, links = ctx.where, ctx.links
    rollups = selectors.project_rollups(w)
    by_status = rollups["status"]
    total = sum(by_status.values())
    status_rows = tuple(
        Row(
            label=str(label),
            values={"label": str(label), "projects": by_status.get(value, 0)},
            links=_links(projects=links.projects(status=value)),
        )
        for value, label in Project.Status.choices
    )
    total_row = Row(
        _("All projects"),
        {"label": _("All projects"), "projects": total},
        _links(projects=links.projects()),
    )
    count = Column("projects", _("Projects"), "count")
    status_table = Table(
        key="projects-status",
        title=_("Projects by status"),
        columns=(Column("label", _("Status"), "text"), count),
        rows=status_rows,
        total=total_row,
        chart=ChartSpec(columns=("projects",)),
        note=_("A project counts in a year when it runs at some point in it."),
    )

    by_step = rollups["participation_step"]
    step_table = Table(
        key="projects-step",
        title=_("Projects by participation step"),
        columns=(Column("label", _("Participation step"), "text"), count),
        rows=tuple(
            Row(
                label=str(step.label),
                values={"label": str(step.label), "projects": by_step.get(step.value, 0)},
                links=_links(projects=links.projects(participation_step=step.value)),
            )
            for step in ParticipationStep
        ),
        total=total_row,
        chart=ChartSpec(columns=("projects",)),
        note=_("The municipality's role in the project (deltakelsestrappa)."),
    )

    by_goal = selectors.projects_by_sub_goal(w)
    goal_columns = (
        Column("label", _("Sub-goal"), "text"),
        count,
        Column("ongoing", _("Ongoing"), "count"),
        Column("completed", _("Completed or closed"), "count"),
    )
    goal_table = Table(
        key="projects-sub-goal",
        title=_("Projects by sub-goal"),
        columns=goal_columns,
        rows=tuple(
            Row(
                label=ctx.goal_label(goal),
                values={
                    "label": ctx.goal_label(goal),
                    "projects": by_goal.get(goal.pk, {}).get("n", 0),
                    "ongoing": by_goal.get(goal.pk, {}).get("ongoing", 0),
                    "completed": by_goal.get(goal.pk, {}).get("completed", 0),
                },
                links=_links(
                    projects=links.projects(sub_goal=goal.pk),
                    ongoing=links.projects(sub_goal=goal.pk, status=Project.Status.ONGOING),
                ),
            )
            for goal in ctx.goals
        ),
        chart=ChartSpec(columns=("projects",)),
        note=_("A project with several sub-goals counts under each of them."),
    )

    by_place = rollups["area__district" if ctx.by_district else "area"]
    place_table = Table(
        key=f"projects-{ctx.place_key}",
        title=_("Projects by district") if ctx.by_district else _("Projects by area"),
        columns=(ctx.place_column, count),
        rows=tuple(
            Row(
                label=label,
                values={"label": label, "projects": by_place.get(key, 0)},
                links=_links(label=label_link, projects=links.projects(**params)),
            )
            for key, label, params, label_link in ctx.places()
        ),
        total=total_row,
        chart=ChartSpec(columns=("projects",)),
    )

    by_year = selectors.projects_by_year(w, ctx.years)
    trend_table = Table(
        key="projects-trend",
        title=_("Projects over the years"),
        columns=(
            Column("label", _("Year"), "text"),
            Column("active", _("Running"), "count"),
            Column("started", _("Started"), "count"),
            Column("ended", _("Ended"), "count"),
        ),
        rows=tuple(
            Row(
                label=str(year),
                values={"label": str(year), **by_year.get(year, {})},
                links=_links(active=links.projects(year=year)),
            )
            for year in ctx.years
        ),
        chart=ChartSpec(columns=("active",), horizontal=False),
        summary=_trend(
            [(y, by_year.get(y, {}).get("active")) for y in ctx.years], _("Running projects")
        ),
    )

    steps = selectors.area_steps(w)
    step_years = ctx.years
    area_step_table = Table(
        key="area-steps",
        title=_("Each area's participation step over the years"),
        columns=(
            Column("label", _("Area"), "text"),
            *(Column(f"y{year}", str(year), "number") for year in step_years),
        ),
        rows=tuple(
            Row(
                label=a.name,
                values={
                    "label": a.name,
                    **{f"y{year}": steps.get((a.pk, year)) for year in step_years},
                },
                links=_links(label=links.area(a.pk, a.district_id)),
            )
            for a in ctx.areas
        ),
        note=_(
            "The step set in the area's handlingsprogram for the year: 1 proactive, 2 guiding, "
            "3 connector, 4 reactive role / support system. Empty: no programme that year."
        ),
    )
    by_year_step = selectors.area_steps_by_year(w)
    leading = (ParticipationStep.CONNECTOR, ParticipationStep.SUPPORT)
    area_step_trend = Table(
        key="area-steps-trend",
        title=_("Areas on each participation step over the years"),
        columns=(
            Column("label", _("Year"), "text"),
            *(Column(f"step{step.value}", str(step.label), "count") for step in ParticipationStep),
        ),
        rows=tuple(
            Row(
                label=str(year),
                values={
                    "label": str(year),
                    **{
                        f"step{step.value}": by_year_step.get((year, step.value), 0)
                        for step in ParticipationStep
                    },
                },
            )
            for year in step_years
        ),
        chart=ChartSpec(
            columns=tuple(f"step{step.value}" for step in ParticipationStep),
            stacked=True,
            horizontal=False,
        ),
        summary=_trend(
            [
                (year, sum(by_year_step.get((year, step), 0) for step in leading))
                for year in step_years
                if any((year, step.value) in by_year_step for step in ParticipationStep)
            ],
            _("Areas where the residents lead (connector or support role)"),
        ),
        note=_("Areas counted by the step their handlingsprogram set for the year."),
    )
    return Section(
        key="projects",
        title=_("Projects"),
        tables=(
            status_table,
            goal_table,
            step_table,
            place_table,
            trend_table,
            area_step_table,
            area_step_trend,
        ),
        headlines=(
            (_("Projects"), str(total), links.projects()),
            (
                _("Ongoing"),
                str(by_status.get(Project.Status.ONGOING, 0)),
                links.projects(status=Project.Status.ONGOING),
            ),
        ),
    )


# --- Budget --------------------------------------------------------------------------------------


def _money_columns(first: Column) -> tuple[Column, ...]:
    return (
        first,
        Column("planned", _("Planned"), "kr"),
        Column("spent", _("Spent"), "kr"),
        Column("spent_share", _("Share spent"), "percent"),
    )


def _money(label: str, figures: dict, links: dict | None = None) -> Row:
    planned, spent = figures.get("planned", 0), figures.get("spent", 0)
    return Row(
        label=label,
        values={
            "label": label,
            "planned": planned,
            "spent": spent,
            "spent_share": _share(spent, planned),
        },
        links=links or {},
    )


def _budget(ctx: _Context) -> Section:
    w, links = ctx.where, ctx.links
    rollups = selectors.budget_rollups(w)
    by_source = rollups["source"]
    total = {
        "planned": sum(v["planned"] for v in by_source.values()),
        "spent": sum(v["spent"] for v in by_source.values()),
    }
    total_row = _money(_("Total"), total)
    chart = ChartSpec(columns=("planned", "spent"), unit="kr")
    source_table = Table(
        key="budget-source",
        title=_("Budget by funding source"),
        columns=_money_columns(Column("label", _("Funding source"), "text")),
        rows=tuple(
            _money(str(label), by_source.get(value, {}))
            for value, label in BudgetLine.Source.choices
        ),
        total=total_row,
        chart=chart,
        note=_(
            "The områdeløft funds come from the state and from Oslo kommune; each share is "
            "its own funding source."
        ),
    )
    by_place = rollups["project__area__district" if ctx.by_district else "project__area"]
    place_table = Table(
        key=f"budget-{ctx.place_key}",
        title=_("Budget by district") if ctx.by_district else _("Budget by area"),
        columns=_money_columns(ctx.place_column),
        rows=tuple(
            _money(label, by_place.get(key, {}), _links(label=label_link))
            for key, label, _params, label_link in ctx.places()
        ),
        total=total_row,
        chart=chart,
    )
    tables = [source_table, place_table]
    if ctx.by_district:
        by_area = rollups["project__area"]
        tables.append(
            Table(
                key="budget-area",
                title=_("Budget by area"),
                columns=_money_columns(Column("label", _("Area"), "text")),
                rows=tuple(
                    _money(
                        a.name, by_area.get(a.pk, {}), _links(label=links.area(a.pk, a.district_id))
                    )
                    for a in ctx.areas
                ),
                total=total_row,
                chart=chart,
            )
        )
    by_goal = selectors.budget_by_sub_goal(w)
    tables.append(
        Table(
            key="budget-sub-goal",
            title=_("Budget by sub-goal"),
            columns=_money_columns(Column("label", _("Sub-goal"), "text")),
            rows=tuple(_money(ctx.goal_label(g), by_goal.get(g.pk, {})) for g in ctx.goals),
            chart=chart,
            note=_(
                "A project with several sub-goals counts under each of them, so the rows add "
                "up to more than the total."
            ),
        )
    )
    by_year = rollups["year"]
    tables.append(
        Table(
            key="budget-trend",
            title=_("Budget over the years"),
            columns=_money_columns(Column("label", _("Year"), "text")),
            rows=tuple(_money(str(y), by_year.get(y, {})) for y in ctx.years),
            total=total_row if ctx.filters.year is None else None,
            chart=ChartSpec(columns=("planned", "spent"), horizontal=False, unit="kr"),
            summary=_trend(
                [(y, by_year.get(y, {}).get("spent")) for y in ctx.years], _("Spending")
            ),
        )
    )
    state = by_source.get(BudgetLine.Source.STATE_AREA_FUNDS, {})
    city = by_source.get(BudgetLine.Source.AREA_FUNDS, {})
    return Section(
        key="budget",
        title=_("Budget"),
        tables=tuple(tables),
        headlines=(
            (_("Planned"), _kr(total["planned"]), ""),
            (_("Spent"), _kr(total["spent"]), ""),
            (_("Områdeløft funds from the state"), _kr(state.get("planned", 0)), ""),
            (_("Områdeløft funds from Oslo kommune"), _kr(city.get("planned", 0)), ""),
        ),
    )


# --- Bomiljøtilskudd -----------------------------------------------------------------------------


def _grant_columns(first: Column) -> tuple[Column, ...]:
    return (
        first,
        Column("applications", _("Applications"), "count"),
        Column("applied", _("Applied for"), "kr"),
        Column("granted", _("Granted"), "kr"),
        Column("paid", _("Paid"), "kr"),
        Column("approval_rate", _("Approval rate"), "percent"),
        Column("median_days", _("Median days to decision"), "days"),
        Column("appeals", _("Appeals"), "count"),
        Column("pledged", _("Dugnad hours pledged"), "hours"),
        Column("reported", _("Dugnad hours reported"), "hours"),
    )


GRANT_KEYS = (
    "applications",
    "applied",
    "granted",
    "paid",
    "approval_rate",
    "median_days",
    "appeals",
    "pledged",
    "reported",
)


def _grant_row(label: str, figures: dict, row_links: dict) -> Row:
    values = {"label": label}
    for key in GRANT_KEYS:
        default = None if key in ("approval_rate", "median_days") else 0
        values[key] = figures.get(key, default)
    return Row(label=label, values=values, links=row_links)


def _grants(ctx: _Context) -> Section:
    w, links = ctx.where, ctx.links
    by_year = selectors.grants(w, "round__year")
    whole = selectors.grants_whole(w, by_year)
    by_place = selectors.grants(w, "area__district" if ctx.by_district else "area")
    total_row = _grant_row(_("All"), whole, _links(applications=links.cases()))
    trend = Table(
        key="grants-trend",
        title=_("Bomiljøtilskudd over the years"),
        columns=_grant_columns(Column("label", _("Year"), "text")),
        rows=tuple(
            _grant_row(str(y), by_year.get(y, {}), _links(applications=links.cases(year=y)))
            for y in ctx.years
        ),
        total=total_row if ctx.filters.year is None else None,
        chart=ChartSpec(columns=("applied", "granted", "paid"), horizontal=False, unit="kr"),
        summary=_trend(
            [(y, by_year.get(y, {}).get("applications")) for y in ctx.years], _("Applications")
        ),
        note=_(
            "Submitted applications by the year of their round. Granted: the amount of the "
            "decision in force; the approval rate is the share of decided cases granted in "
            "full or in part; days run from submission to the first decision."
        ),
    )
    place = Table(
        key=f"grants-{ctx.place_key}",
        title=_("Bomiljøtilskudd by district") if ctx.by_district else _("Bomiljøtilskudd by area"),
        columns=_grant_columns(ctx.place_column),
        rows=tuple(
            _grant_row(
                label,
                by_place.get(key, {}),
                _links(label=label_link, applications=links.cases(**params)),
            )
            for key, label, params, label_link in ctx.places()
        ),
        total=total_row,
        chart=ChartSpec(columns=("applied", "granted", "paid"), unit="kr"),
    )
    appeals = Table(
        key="grants-appeals",
        title=_("Appeals and their outcome"),
        columns=(Column("label", _("Outcome"), "text"), Column("appeals", _("Appeals"), "count")),
        rows=tuple(
            Row(
                label=str(status.label),
                values={
                    "label": str(status.label),
                    "appeals": whole.get(f"appeal_{status.value}", 0),
                },
            )
            for status in Appeal.Status
        ),
        total=Row(
            _("All appeals"), {"label": _("All appeals"), "appeals": whole.get("appeals", 0)}
        ),
        chart=ChartSpec(columns=("appeals",)),
    )
    rate = whole.get("approval_rate")
    median = whole.get("median_days")
    return Section(
        key="grants",
        title=_("Bomiljøtilskudd"),
        tables=(trend, place, appeals),
        headlines=(
            (_("Applications"), str(whole.get("applications", 0)), links.cases()),
            (_("Granted"), _kr(whole.get("granted", 0)), ""),
            (_("Paid"), _kr(whole.get("paid", 0)), ""),
            (_("Approval rate"), "–" if rate is None else f"{rate} %", ""),
            (_("Median days to decision"), "–" if median is None else str(median), ""),
        ),
    )


# --- Participation -------------------------------------------------------------------------------

PARTICIPATION_KEYS = (
    "held",
    "attendance",
    "registered",
    "checked_in",
    "received",
    "followed_up_share",
    "taken_in_share",
)


def _participation_columns(first: Column) -> tuple[Column, ...]:
    return (
        first,
        Column("held", _("Events held"), "count"),
        Column("attendance", _("Attendance"), "count"),
        Column("registered", _("Places registered"), "count"),
        Column("checked_in", _("Checked in"), "count"),
        Column("received", _("Input received"), "count"),
        Column("followed_up_share", _("Share followed up"), "percent"),
        Column("taken_in_share", _("Share taken in"), "percent"),
    )


def _participation_row(label: str, event_figures: dict, input_figures: dict, row_links) -> Row:
    values = {"label": label}
    for key in PARTICIPATION_KEYS:
        source = (
            input_figures
            if key in ("received", "followed_up_share", "taken_in_share")
            else event_figures
        )
        default = None if key.endswith("_share") else 0
        values[key] = source.get(key, default)
    return Row(label=label, values=values, links=row_links)


def _participation(ctx: _Context) -> Section:
    w, links = ctx.where, ctx.links
    events_whole = selectors.events(w, None).get("", {})
    inputs_whole = selectors.inputs_by(w, None).get("", {})
    events_year = selectors.events(w, "year")
    inputs_year = selectors.inputs_by(w, "year")
    place_keys = [key for key, *_rest in ctx.places()]
    events_place = selectors.events(w, ctx.place_key, place_keys)
    inputs_place = selectors.inputs_by(w, "area__district" if ctx.by_district else "area")
    total_row = _participation_row(
        _("All"),
        events_whole,
        inputs_whole,
        _links(held=links.events(), received=links.inputs()),
    )
    trend = Table(
        key="participation-trend",
        title=_("Participation over the years"),
        columns=_participation_columns(Column("label", _("Year"), "text")),
        rows=tuple(
            _participation_row(
                str(y),
                events_year.get(y, {}),
                inputs_year.get(y, {}),
                _links(held=links.events(year=y), received=links.inputs(year=y)),
            )
            for y in ctx.years
        ),
        total=total_row if ctx.filters.year is None else None,
        chart=ChartSpec(columns=("held", "received"), horizontal=False),
        summary=_trend(
            [(y, events_year.get(y, {}).get("held")) for y in ctx.years], _("Events held")
        ),
        note=_(
            "Events held: published events that ended before today. Places registered: "
            "confirmed places. Followed up: input no longer only received; taken in: taken "
            "up or done."
        ),
    )
    place = Table(
        key=f"participation-{ctx.place_key}",
        title=_("Participation by district") if ctx.by_district else _("Participation by area"),
        columns=_participation_columns(ctx.place_column),
        rows=tuple(
            _participation_row(
                label,
                events_place.get(key, {}),
                inputs_place.get(key, {}),
                _links(
                    label=label_link,
                    held=links.events(**params),
                    received=links.inputs(**params),
                ),
            )
            for key, label, params, label_link in ctx.places()
        ),
        chart=ChartSpec(columns=("held", "received")),
        note=_("An event in several areas counts in each of them."),
    )
    groups = Table(
        key="participation-target-groups",
        title=_("People reached by target group"),
        columns=(
            Column("label", _("Target group"), "text"),
            Column("people", _("People"), "count"),
        ),
        rows=tuple(
            Row(
                label=str(label),
                values={"label": str(label), "people": events_whole.get(f"group_{value}", 0)},
            )
            for value, label in TargetGroup.choices
        ),
        total=Row(
            _("Attendance in all"),
            {"label": _("Attendance in all"), "people": events_whole.get("attendance", 0)},
        ),
        chart=ChartSpec(columns=("people",)),
        note=_(
            "The attendance recorded by target group at the events held; a person may be "
            "counted in more than one group, and not everyone is counted in a group."
        ),
    )
    followed = inputs_whole.get("followed_up_share")
    taken = inputs_whole.get("taken_in_share")
    return Section(
        key="participation",
        title=_("Participation"),
        tables=(trend, place, groups),
        headlines=(
            (_("Events held"), str(events_whole.get("held", 0)), links.events()),
            (_("Attendance"), str(events_whole.get("attendance", 0)), ""),
            (_("Input received"), str(inputs_whole.get("received", 0)), links.inputs()),
            (_("Share followed up"), "–" if followed is None else f"{followed} %", ""),
            (_("Share taken in"), "–" if taken is None else f"{taken} %", ""),
        ),
    )


# --- Indicators ----------------------------------------------------------------------------------

SUMMED_UNITS = selectors.SUMMED_UNITS


def _indicators(ctx: _Context) -> Section:
    counts, sums = selectors.indicators_by_sub_goal(ctx.where)
    rows = []
    for goal in ctx.goals:
        c = counts.get(goal.pk, {})
        summed = {"participants": 0, "hours": 0, "visitors": 0}
        for (goal_id, unit), value in sums.items():
            if goal_id == goal.pk and unit in SUMMED_UNITS:
                summed[SUMMED_UNITS[unit]] += int(value)
        rows.append(
            Row(
                label=ctx.goal_label(goal),
                values={
                    "label": ctx.goal_label(goal),
                    "indicators": c.get("indicators", 0),
                    "with_target": c.get("with_target", 0),
                    "on_track": c.get("on_track", 0),
                    **summed,
                },
                links=_links(indicators=ctx.links.projects(sub_goal=goal.pk)),
            )
        )
    table = Table(
        key="indicators-sub-goal",
        title=_("Indicators by sub-goal"),
        columns=(
            Column("label", _("Sub-goal"), "text"),
            Column("indicators", _("Indicators"), "count"),
            Column("with_target", _("With a target"), "count"),
            Column("on_track", _("On track"), "count"),
            Column("participants", _("Participants"), "count"),
            Column("hours", _("Hours"), "hours"),
            Column("visitors", _("Visitors"), "count"),
        ),
        rows=tuple(rows),
        chart=ChartSpec(columns=("with_target", "on_track")),
        note=_(
            "Each indicator's latest value (by the end of the chosen year): on track when it "
            "has reached the target. Participants, hours and visitors add up the latest values "
            "of the indicators measured in people, hours and visitors; a project with several "
            "sub-goals counts under each."
        ),
    )
    whole, by_goal = selectors.indicators_by_year(ctx.where, ctx.years)
    trend = Table(
        key="indicators-trend",
        title=_("Indicators over the years"),
        columns=(
            Column("label", _("Year"), "text"),
            Column("measured", _("Measured"), "count"),
            Column("with_target", _("Measured, with a target"), "count"),
            Column("on_track", _("On track"), "count"),
            Column("participants", _("Participants"), "count"),
            Column("hours", _("Hours"), "hours"),
            Column("visitors", _("Visitors"), "count"),
        ),
        rows=tuple(
            Row(
                label=str(year),
                values={"label": str(year), **whole.get(year, {})},
            )
            for year in ctx.years
        ),
        chart=ChartSpec(columns=("with_target", "on_track"), horizontal=False),
        summary=_trend(
            [(y, whole.get(y, {}).get("on_track")) for y in ctx.years], _("Indicators on track")
        ),
        note=_(
            "Each year as it stood at the year's end: an indicator's latest value measured by "
            "then. Participants, hours and visitors add up those values where the units agree."
        ),
    )
    goal_trend = Table(
        key="indicators-sub-goal-trend",
        title=_("Indicators on track by sub-goal over the years"),
        columns=(
            Column("label", _("Sub-goal"), "text"),
            *(Column(f"y{year}", str(year), "count") for year in ctx.years),
        ),
        rows=tuple(
            Row(
                label=ctx.goal_label(goal),
                values={
                    "label": ctx.goal_label(goal),
                    **{
                        f"y{year}": by_goal.get(goal.pk, {}).get(year, {}).get("on_track", 0)
                        for year in ctx.years
                    },
                },
                links=_links(label=ctx.links.projects(sub_goal=goal.pk)),
            )
            for goal in ctx.goals
        ),
        note=_(
            "The indicators on track against their target at each year's end; a project with "
            "several sub-goals counts under each."
        ),
    )
    return Section(key="indicators", title=_("Indicators"), tables=(table, trend, goal_trend))
