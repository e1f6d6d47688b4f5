"""The dashboards' figures: what the board and the districts see, as tables of numbers.

A dashboard is a list of sections, each a list of ``Table`` objects. A table is the one unit the
rest of the app works with: the page draws it (a chart from ``core.charts`` where ``chart`` asks
for one, the numbers in a table beside it, ``summary`` as the sentence under it), the exports
write it as CSV and XLSX, and the board pack renders the same tables to PDF. A table holds no
personal data: names, emails, addresses and account numbers never reach this module's output.

``dashboard(filters, scope)`` computes every figure in the database (grouping and annotation,
a fixed number of queries whatever the volume) and caches the result per filters and scope
under a data version that the writing services bump (``core.versions``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Literal

# How a column's values are written: a count, kroner, a share (0–100, one decimal), days, hours,
# or text (the row label column and any other words).
Kind = Literal["text", "count", "kr", "percent", "days", "hours", "number"]


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the dashboard to; None is "all"."""

    year: int | None = None
    sub_programme: int | None = None  # satsing (areas.SubProgramme pk)
    district: int | None = None  # bydel (areas.District pk)
    area: int | None = None  # areas.Area pk
    sub_goal: int | None = None  # delmål (areas.SubGoal pk)

    def as_query(self) -> dict[str, int]:
        """The filters as GET parameters (for links that keep them)."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Scope:
    """Who looks: the districts they may see (None: all) and whether figures may link to the
    grant cases behind them (the board may not: no personal data of applicants)."""

    district_ids: frozenset[int] | None
    grant_cases: bool = False
    label: str = ""  # "Programme" or the district's name, for headings

    @property
    def is_programme(self) -> bool:
        return self.district_ids is None


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind = "count"


@dataclass(frozen=True)
class Row:
    """One row: its label, a value per column key, and where each figure leads (drill-down)."""

    label: str
    values: dict[str, int | float | str | None]
    # column key (or "label" for the row's label) -> URL of the dashboard one level down or of
    # the list behind the figure, keeping the filters. Absent: the figure leads nowhere.
    links: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ChartSpec:
    """Which columns the page draws as bars (``core.charts.bar_chart``)."""

    columns: tuple[str, ...]
    stacked: bool = False
    horizontal: bool = True
    unit: str = ""  # "kr" for kroner, "" for counts


@dataclass(frozen=True)
class Table:
    key: str  # unique within a dashboard, a slug: names the export file and the anchor
    title: str
    columns: tuple[Column, ...]  # the first is the row label column (kind "text")
    rows: tuple[Row, ...]
    total: Row | None = None
    chart: ChartSpec | None = None
    summary: str = ""  # one or two sentences in words, e.g. the trend over the years
    note: str = ""  # how the figure is counted, where that is not obvious


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    tables: tuple[Table, ...]
    # The headline figures shown as cards on top of the section: (label, written value, link).
    headlines: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Dashboard:
    filters: Filters
    scope: Scope
    sections: tuple[Section, ...]
    taken_at: datetime.datetime  # when the figures were computed (the board pack prints it)
    years: tuple[int, ...]  # the programme's years present in the data, for the year filter

    def table(self, key: str) -> Table:
        for section in self.sections:
            for table in section.tables:
                if table.key == key:
                    return table
        raise KeyError(key)


def dashboard(filters: Filters, scope: Scope) -> Dashboard:
    """Every figure for ``filters`` within ``scope``, from the cache when the data has not
    changed since it was computed."""
    from .compute import cached_dashboard

    return cached_dashboard(filters, scope)
