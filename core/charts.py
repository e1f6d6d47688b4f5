"""Charts drawn on the server as SVG (pygal), each with a sentence and its numbers in a table.

The same chart serves a page and a PDF: ``bar_chart`` returns a ``Chart`` whose ``svg`` is
markup safe to inline in either — no script, no stylesheet or font fetched from elsewhere, no
XML declaration — and whose ``table`` holds the numbers drawn, so the figure is never the only
place a reader finds them (``templates/programmes/partials/_chart.html`` shows all three).

A chart is a function of its input alone: pygal names each chart with a random id and stamps
the day into a comment, so both are replaced (the id by a digest of the input), and the same
numbers always give the same bytes. A PDF named by its content's hash stays the same file.
"""

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import formatting

# Oslo kommune's dark colours first: each keeps 3:1 against white (WCAG 1.4.11).
PALETTE = ("#2a2859", "#1f42aa", "#034b45", "#8a4a00", "#6b2c7a", "#b3261e", "#4a4a4a")
FONT = '"Oslo Sans", "DejaVu Sans", sans-serif'
WIDTH = 800

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL)
_CHART_ID = re.compile(r"#chart-[0-9a-f]+")


# pygal's rules for what only a pointer or its script does (hover, tooltips, transitions,
# the active series): a still image has no use for them, and every rule costs the PDF
# renderer a match against every element of the chart.
_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
_INTERACTIVE_SELECTOR = re.compile(r":hover|tooltip|\.active")
_TRANSITION = re.compile(r"^(?:(?:-webkit-|-moz-)?transition:[^;]*;?)+$")


@lru_cache(maxsize=64)
def _still_css(css: str) -> str:
    """pygal's stylesheet (with a stand-in for the chart's id) without the rules for what a
    still image never does. The same for every chart with as many series: worked out once."""
    kept = []
    for rule in _RULE.finditer(css):
        selector, declarations = rule.groups()
        if _INTERACTIVE_SELECTOR.search(selector) or _TRANSITION.match(declarations.strip()):
            continue
        kept.append(rule.group(0))
    return "".join(kept)


def _still_style(match: re.Match) -> str:
    css = match.group(1)
    found = _CHART_ID.search(css)
    if found is None:
        return match.group(0).replace(css, _still_css(css))
    chart_id = found.group(0)
    still = _still_css(css.replace(chart_id, "#chart-id")).replace("#chart-id", chart_id)
    return match.group(0).replace(css, still)


def _inert(root):
    """The chart's tree without pygal's script (its tooltips' config, even with ``js=[]``),
    without its comments (one carries the day it was drawn) and without what only the script
    showed: the tooltips, each bar's ``<desc>`` data and the guides' ``<title>`` hints (raw
    fractions such as "0,1666…", noise to a screen reader). The chart's own ``<title>``, its
    first child, stays."""
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag
            name = tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
            if (
                name in ("", "script", "desc")
                or (name == "g" and child.get("class") == "tooltip")
                or (name == "title" and parent is not root)
            ):
                parent.remove(child)
    return root


@dataclass(frozen=True)
class Table:
    """The chart's numbers: a row per label, a column per series, and the totals if asked."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[int | float, ...]], ...]
    row_totals: tuple[int | float, ...] = ()
    column_totals: tuple[int | float, ...] = ()
    total: int | float | None = None

    @property
    def has_totals(self) -> bool:
        return self.total is not None


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    svg: SafeString = field(repr=False)
    table: Table
    # The same SVG without its <style> element, for web pages, whose Content-Security-Policy
    # refuses inline styles: the page links static/css/charts.css (``page_stylesheet``).
    page_svg: SafeString = field(default=SafeString(""), repr=False)
    # How the template writes a number of this chart (``kr`` for kroner, "" for a count).
    unit: str = ""
    # The heading of the table's first column, over the labels.
    label_heading: str = ""

    def format(self, value) -> str:
        return format_value(value, self.unit)

    def rows(self) -> list[tuple[str, list[str], str | None]]:
        """The table's rows as the reader sees them: label, written values, written total."""
        totals = self.table.row_totals or (None,) * len(self.table.rows)
        return [
            (label, [self.format(v) for v in values], None if t is None else self.format(t))
            for (label, values), t in zip(self.table.rows, totals, strict=True)
        ]

    def column_totals(self) -> list[str]:
        return [self.format(v) for v in self.table.column_totals]

    def total(self) -> str:
        return self.format(self.table.total)


def format_value(value, unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if unit == "kr":
        return formatting.kroner(value)
    figure = number_format(value, force_grouping=True)
    return f"{figure}\u00a0{unit}" if unit else figure


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | float | None]]],
    *,
    description: str,
    unit: str = "",
    stacked: bool = False,
    horizontal: bool = True,
    totals: bool = False,
    label_heading: str = "",
    value_formatter: Callable[[float], str] | None = None,
) -> Chart:
    """A bar chart of ``series`` (name, one value per label) over ``labels``.

    ``description`` is the sentence that says what the chart shows (its caption and its
    accessible name's companion). ``unit="kr"`` writes the values as kroner. ``stacked`` puts
    the series on top of each other (parts of a whole); ``totals`` adds each row's and each
    column's sum to the table. Labels and names are text, never markup: they are escaped.
    Raises ValueError when a series has not one value per label."""
    import pygal
    from pygal.style import Style

    labels = [str(label) for label in labels]
    series = [(str(name), list(values)) for name, values in series]
    for name, values in series:
        if len(values) != len(labels):
            raise ValueError(
                f"The series {name!r} has {len(values)} values for {len(labels)} labels."
            )

    # The axis writes bare figures (the title says the unit); the table writes them in full.
    fmt = value_formatter or (lambda value: format_value(value))
    style = Style(
        font_family=FONT,
        title_font_family=FONT,
        label_font_family=FONT,
        major_label_font_family=FONT,
        value_font_family=FONT,
        value_label_font_family=FONT,
        legend_font_family=FONT,
        tooltip_font_family=FONT,
        no_data_font_family=FONT,
        background="#ffffff",
        plot_background="#ffffff",
        foreground="#2c2c2c",
        foreground_strong="#2c2c2c",
        foreground_subtle="#9b9b9b",
        colors=PALETTE,
        title_font_size=22,
        label_font_size=15,
        major_label_font_size=15,
        legend_font_size=15,
        value_font_size=14,
        transition="0s",
        opacity="1",
        opacity_hover="1",
    )
    kind = {
        (True, True): pygal.HorizontalStackedBar,
        (True, False): pygal.HorizontalBar,
        (False, True): pygal.StackedBar,
        (False, False): pygal.Bar,
    }[(horizontal, stacked)]
    rows = max(len(labels), 1)
    chart = kind(
        style=style,
        width=WIDTH,
        height=(150 + 46 * rows + (40 * ((len(series) + 1) // 2) if len(series) > 1 else 0))
        if horizontal
        else 420,
        disable_xml_declaration=True,
        js=[],
        show_legend=len(series) > 1,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        truncate_label=48,
        truncate_legend=40,
        value_formatter=fmt,
        print_values=False,
        margin=12,
        margin_bottom=36,
        spacing=12,
        show_minor_x_labels=True,
        include_x_axis=True,
        tooltip_fancy_mode=False,
        explicit_size=True,
        max_scale=6,
    )
    chart.title = title
    # pygal draws a horizontal chart's first label at the bottom; a reader starts at the top.
    order = list(reversed(range(len(labels)))) if horizontal else list(range(len(labels)))
    chart.x_labels = [labels[i] for i in order]
    for name, values in series:
        chart.add(name, [values[i] for i in order])
    digest = hashlib.sha256(
        json.dumps(
            [title, description, labels, series, unit, stacked, horizontal], default=str
        ).encode()
    ).hexdigest()[:12]
    chart.uuid = digest
    chart.add_xml_filter(_inert)
    svg = chart.render(is_unicode=True)
    svg = _COMMENT.sub("", svg)
    # Rules for hover and tooltips leave its stylesheet (pygal writes it after the filters).
    svg = _STYLE.sub(_still_style, svg, count=1)
    # An image with a name for assistive technology; pygal's own <title> is its first child.
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{escape(title)}" ',
        1,
    )

    table_rows = tuple(
        (label, tuple(values[i] for _name, values in series)) for i, label in enumerate(labels)
    )
    table = Table(
        columns=tuple(name for name, _values in series),
        rows=table_rows,
    )
    if totals:
        row_totals = tuple(sum(v or 0 for v in values) for _label, values in table_rows)
        column_totals = tuple(sum(v or 0 for v in values) for _name, values in series)
        table = Table(
            columns=table.columns,
            rows=table.rows,
            row_totals=row_totals,
            column_totals=column_totals,
            total=sum(row_totals),
        )
    return Chart(
        title=title,
        description=description,
        # pygal's own markup, every text in it escaped by pygal, its script and comments taken
        # out by ``_inert``: nothing a user wrote reaches it unescaped.
        svg=mark_safe(svg),  # noqa: S308  # nosec B308 B703
        page_svg=mark_safe(_STYLE.sub("", svg)),  # noqa: S308  # nosec B308 B703
        table=table,
        unit=unit,
        label_heading=label_heading,
    )


def page_stylesheet() -> str:
    """The charts' style for web pages (``static/css/charts.css``): pygal's own, for every
    colour of the palette, addressed to ``.pygal-chart`` instead of one chart's id. A test
    checks the file is current (tests/core/test_charts.py, which says how to write it anew)."""
    chart = bar_chart(
        "",
        ["x"],
        [(str(n), [1]) for n in range(len(PALETTE))],
        description="",
        stacked=True,
    )
    css = _STYLE.search(str(chart.svg)).group(1)
    return _CHART_ID.sub(".pygal-chart", css).replace("}", "}\n")
