"""How a dashboard's tables are written for the reader: each figure in words and digits, its
drill-down link, and its chart (``core.charts.bar_chart``) where the table asks for one.

The page and the board pack draw the same tables; this module is the one place that writes a
value of each column kind, so the page, the chart's table and the exports never disagree on
what a figure is (the exports write the raw numbers, ``dashboards.export``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import charts, formatting

from .figures import Column, Dashboard, Row, Table


def written(value, kind: str) -> str:
    """One value of a column of ``kind`` as the reader sees it; ``–`` for no value."""
    if value is None or value == "":
        return "–"
    if kind == "text" or isinstance(value, str):
        return str(value)
    if isinstance(value, float) and value.is_integer() and kind != "percent":
        value = int(value)
    if kind == "kr":
        return formatting.kroner(value)
    if kind == "percent":
        return f"{number_format(value, decimal_pos=1, force_grouping=True)}\u00a0%"
    if kind == "days":
        return _("%(figure)s days") % {"figure": number_format(value, force_grouping=True)}
    if kind == "hours":
        return _("%(figure)s hours") % {"figure": number_format(value, force_grouping=True)}
    return number_format(value, force_grouping=True)


NUMERIC_CELL = '<td class="num">{}</td>'
TEXT_CELL = "<td>{}</td>"


@dataclass(frozen=True)
class Cell:
    text: str
    link: str = ""
    numeric: bool = False

    def html(self) -> str:
        """The cell's text, escaped, as a drill-down link if it has one."""
        text = escape(self.text)
        return f'<a class="pkt-link" href="{escape(self.link)}">{text}</a>' if self.link else text


@dataclass(frozen=True)
class DisplayRow:
    label: Cell
    cells: tuple[Cell, ...]

    def html(self) -> str:
        """The row as a table row: its label the row's header, then a cell for each value.
        Written here rather than by a template loop: a dashboard has some two thousand cells,
        and the template engine's loops over them were most of the page's drawing time."""
        cells = "".join(
            (NUMERIC_CELL if cell.numeric else TEXT_CELL).format(cell.html()) for cell in self.cells
        )
        return f'<tr><th scope="row">{self.label.html()}</th>{cells}</tr>'


@dataclass(frozen=True)
class DisplayTable:
    table: Table
    headings: tuple[Column, ...]  # the value columns (after the label column)
    label_heading: str
    rows: tuple[DisplayRow, ...]
    total: DisplayRow | None
    chart: charts.Chart | None

    @property
    def key(self) -> str:
        return self.table.key

    @property
    def rows_html(self) -> str:
        return mark_safe("\n".join(row.html() for row in self.rows))  # nosec B308 B703 - escaped

    @property
    def total_html(self) -> str:
        return mark_safe(self.total.html()) if self.total else ""  # nosec B308 B703 - escaped


def _row(row: Row, label_column: Column, columns: tuple[Column, ...]) -> DisplayRow:
    return DisplayRow(
        label=Cell(text=str(row.label), link=row.links.get("label", "")),
        cells=tuple(
            Cell(
                text=written(row.values.get(column.key), column.kind),
                link=row.links.get(column.key, ""),
                numeric=column.kind != "text",
            )
            for column in columns
        ),
    )


def _number(value) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


# Drawn charts, by everything that goes into one: drawing is a pure function of the numbers,
# labels and language, so a chart whose figures have not changed is not drawn again (after
# a change of data, only the charts whose numbers changed are). Bounded, per process.
CHART_MEMO_SIZE = 256


@lru_cache(maxsize=CHART_MEMO_SIZE)
def _drawn(
    title: str,
    labels: tuple[str, ...],
    series: tuple[tuple[str, tuple], ...],
    description: str,
    unit: str,
    stacked: bool,
    horizontal: bool,
    label_heading: str,
    kind: str,
    language: str,
) -> charts.Chart:
    return charts.bar_chart(
        title,
        list(labels),
        [(name, list(values)) for name, values in series],
        description=description,
        unit=unit,
        stacked=stacked,
        horizontal=horizontal,
        label_heading=label_heading,
        value_formatter=lambda value: written(value, kind),
    )


def forget_charts() -> None:
    """Draw every chart anew from now on, as the first request after a restart does (the
    benchmark's fully cold requests): the memo emptied, and the charts' stylesheets too."""
    _drawn.cache_clear()
    charts.forget_drawing()


def chart_for(table: Table) -> charts.Chart | None:
    """The table's chart, or None when it asks for none or has nothing to draw."""
    spec = table.chart
    if spec is None or not table.rows:
        return None
    by_key = {column.key: column for column in table.columns}
    columns = [by_key[key] for key in spec.columns if key in by_key]
    if not columns:
        return None
    series = tuple(
        (str(column.label), tuple(_number(row.values.get(column.key)) for row in table.rows))
        for column in columns
    )
    if all(value is None for _name, values in series for value in values):
        return None
    return _drawn(
        str(table.title),
        tuple(str(row.label) for row in table.rows),
        series,
        str(table.summary or table.title),
        spec.unit,
        spec.stacked,
        spec.horizontal,
        str(table.columns[0].label) if table.columns else "",
        columns[0].kind,
        get_language() or "",
    )


def display_table(table: Table, *, with_chart: bool = True) -> DisplayTable:
    label_column, *rest = table.columns or (Column("label", "", "text"),)
    columns = tuple(rest)
    return DisplayTable(
        table=table,
        headings=columns,
        label_heading=str(label_column.label),
        rows=tuple(_row(row, label_column, columns) for row in table.rows),
        total=_row(table.total, label_column, columns) if table.total else None,
        chart=chart_for(table) if with_chart else None,
    )


@dataclass(frozen=True)
class DisplaySection:
    key: str
    title: str
    headlines: tuple[Cell, ...]
    headline_labels: tuple[str, ...]
    tables: tuple[DisplayTable, ...]

    @property
    def cards(self):
        return zip(self.headline_labels, self.headlines, strict=True)


def display_sections(board: Dashboard) -> list[DisplaySection]:
    return [
        DisplaySection(
            key=section.key,
            title=str(section.title),
            headline_labels=tuple(str(label) for label, _value, _link in section.headlines),
            headlines=tuple(
                Cell(text=str(value), link=link) for _label, value, link in section.headlines
            ),
            tables=tuple(display_table(table) for table in section.tables),
        )
        for section in board.sections
    ]
