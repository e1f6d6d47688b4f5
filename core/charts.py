"""Charts drawn on the server as SVG (pygal), each with a sentence and its numbers in a table.

The same chart serves a page and a PDF: ``bar_chart`` returns a ``Chart`` whose ``svg`` is
markup safe to inline in either — no script, no stylesheet or font fetched from elsewhere, no
XML declaration — and whose ``table`` holds the numbers drawn, so the figure is never the only
place a reader finds them (``templates/programmes/partials/_chart.html`` shows all three).

A chart is a function of its input alone: pygal names each chart with a random id and stamps
the day into a comment, so both are replaced (the id by a digest of the input), and the same
numbers always give the same bytes. A PDF named by its content's hash stays the same file.

pygal's own classes draw for a browser, with tooltips, their data and a script; the charts
here are drawn by subclasses of them that make a still image from the start (``_still_classes``:
the same SVG as pygal's drawing trimmed by ``_inert``, byte for byte, in about a third of the
time; tests/core/test_charts_still.py compares the two).
"""

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from numbers import Number

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import formatting

# Oslo kommune's dark colours first: each keeps 3:1 against white (WCAG 1.4.11).
PALETTE = ("#2a2859", "#1f42aa", "#034b45", "#8a4a00", "#6b2c7a", "#b3261e", "#4a4a4a")
FONT = '"Oslo Sans", "DejaVu Sans", sans-serif'
WIDTH = 800

_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL)
_CHART_ID = re.compile(r"#chart-[0-9a-f]+")


# pygal's rules for what only a pointer or its script does (hover, tooltips, transitions,
# the active series): a still image has no use for them, and every rule costs the PDF
# renderer a match against every element of the chart.
_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
_INTERACTIVE_SELECTOR = re.compile(r":hover|tooltip|\.active")
_TRANSITION = re.compile(r"^(?:(?:-webkit-|-moz-)?transition:[^;]*;?)+$")


def _still_css(css: str) -> str:
    """pygal's stylesheet without the rules for what a still image never does."""
    kept = []
    for rule in _RULE.finditer(css):
        selector, declarations = rule.groups()
        if _INTERACTIVE_SELECTOR.search(selector) or _TRANSITION.match(declarations.strip()):
            continue
        kept.append(rule.group(0))
    return "".join(kept)


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


@lru_cache(maxsize=1)
def _style():
    """pygal's style for every chart: the palette, the fonts, nothing that moves."""
    from pygal.style import Style

    return Style(
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


# --- Drawing a still chart ------------------------------------------------------------------
#
# pygal draws for a browser: beside the bars it writes what its script needs (each bar's value
# and position in <desc> elements, a tooltip group, a hint in a <title> on every guide, the
# chart's config as JSON in a <script>) and a stylesheet worked out anew for every chart. A
# still image has no use for any of it, so these classes never make it, rather than making it
# and taking it out again: the same tree, drawn with less work. ``_inert`` stays as the check
# that nothing of the kind is left.

_PLACEHOLDER_ID = "#chart-id"


def _interactive(tag: str, parent, root, attrib: dict) -> bool:
    """Whether pygal's node is one only its script or a pointer uses (``_inert``'s rule)."""
    return (
        tag in ("desc", "script")
        or (tag == "title" and parent is not root)
        or (tag == "g" and attrib.get("class") == "tooltip")
    )


# The still stylesheet (with a stand-in for the chart's id) of charts in ``_style()``, by number
# of series, pygal's style sheets and pretty printing: pygal writes it the same for each.
_STYLESHEETS: dict[tuple, str] = {}


@lru_cache(maxsize=1)
def _still_classes() -> dict:
    """The four bar charts ``bar_chart`` draws, as still images (made on first use: pygal is
    imported only when a chart is drawn)."""
    from functools import reduce

    import pygal
    from pygal.adapters import decimal_to_float
    from pygal.config import SerieConfig
    from pygal.etree import etree
    from pygal.serie import Serie
    from pygal.svg import Svg
    from pygal.util import compose, ident

    # What a series' config takes from the chart's: pygal asks ``dir`` of a new SerieConfig for
    # every one of the chart's options, for every series; the answer is always this.
    serie_options = frozenset(dir(SerieConfig()))

    ET = etree._etree  # xml.etree.ElementTree, or lxml.etree when pygal uses it

    class StillSvg(Svg):
        def node(self, parent=None, tag="g", attrib=None, **extras):
            """pygal's ``Svg.node`` (the same attributes in the same order), but a node only
            the script reads is made apart and never joins the chart."""
            if parent is None:
                parent = self.root
            attrib = attrib or {}
            attrib.update(extras)
            for pos, dim in (("x", "width"), ("y", "height")):
                size = attrib.get(dim)
                if isinstance(size, Number) and size < 0:
                    attrib[dim] = -size
                    if isinstance(attrib.get(pos), Number):
                        attrib[pos] = attrib[pos] + size
            kept = {}
            moved = []
            for key, value in attrib.items():
                # As pygal: a None is written "None" and, like a key with a trailing "_" or
                # "href", moves to the end.
                if key.endswith("_"):
                    moved.append((key.rstrip("_"), str(value)))
                elif key == "href":
                    moved.append((ET.QName("http://www.w3.org/1999/xlink", key), str(value)))
                elif value is None:
                    moved.append((key, "None"))
                else:
                    kept[key] = str(value)
            for key, value in moved:
                kept[key] = value
            if _interactive(tag, parent, self.root, kept):
                return ET.Element(tag, kept)
            return ET.SubElement(parent, tag, kept)

        def add_scripts(self):
            """No script: a still chart has no tooltip to configure."""

        def add_styles(self):
            """pygal's stylesheet without the rules for what a still image never does, worked
            out once for every chart with as many series and the same style."""
            graph = self.graph
            if (
                graph.style is not _style()
                or graph.stroke_style is not None
                or any(
                    serie.stroke_style is not None
                    for serie in graph.series + graph.secondary_series
                )
            ):
                super().add_styles()
                style = self.defs[-1]
                style.text = _still_css(style.text)
                return
            key = (graph._order, tuple(graph.css), bool(graph.pretty_print))
            css = _STYLESHEETS.get(key)
            if css is None:
                chart_id, self.id = self.id, _PLACEHOLDER_ID + " "
                try:
                    super().add_styles()
                finally:
                    self.id = chart_id
                css = _STYLESHEETS[key] = _still_css(self.defs[-1].text)
                self.defs.remove(self.defs[-1])
            self.node(self.defs, "style", type="text/css").text = css.replace(
                _PLACEHOLDER_ID, self.id.rstrip()
            )

        def pre_render(self):
            # pygal's comments: one carries the day the chart was drawn.
            for comment in [child for child in self.root if child.tag is ET.Comment]:
                self.root.remove(comment)
            super().pre_render()

        def render(self, is_unicode=False, pretty_print=False):
            if not self.graph.disable_xml_declaration or etree.lxml:
                return super().render(is_unicode=is_unicode, pretty_print=pretty_print)
            for xml_filter in self.graph.xml_filters:
                self.root = xml_filter(self.root)
            return ET.tostring(self.root, encoding="unicode")

    class Still:
        """What a bar chart does when it is drawn as a still image."""

        # pygal keeps what a drawing works out apart from the chart, in a state
        # (``pygal.state.State``: the chart's options and attributes, then what ``setup``
        # adds), and reads every attribute through a ``__getattribute__`` that looks in the
        # state first. Here the state's dict is the chart's own while it is drawn (the chart's
        # attributes come back after): the same values found by Python's own lookup, without
        # a Python call for each of the thousand attribute reads of a drawing. (No name in the
        # state is a data descriptor of these classes, which Python would read first.)
        __getattribute__ = object.__getattribute__

        def __setattr__(self, name, value):
            if name == "state" and value is not None and self.__dict__.get("state") is None:
                values = vars(value)
                for key in [key for key in values if key[:2] == "__"]:
                    del values[key]  # pygal never reads a dunder from the state
                values["_own_attributes"] = self.__dict__
                values["state"] = value
                object.__setattr__(self, "__dict__", values)
                return
            super().__setattr__(name, value)

        def teardown(self):
            own = self.__dict__.get("_own_attributes")
            super().teardown()
            if own is not None and self.state is None:
                object.__setattr__(self, "__dict__", own)

        def prepare_values(self, raw, offset=0):
            """pygal's ``prepare_values`` for what ``bar_chart`` draws (a list of plain
            values per series on a linear scale; anything else is pygal's own), the series'
            options taken from the chart's in one pass instead of one ``dir`` per option."""
            if (
                not raw
                or self.logarithmic
                or self._dual
                or any(
                    isinstance(values, dict) or any(isinstance(v, dict) for v in values)
                    for values, _options in raw
                )
            ):
                return super().prepare_values(raw, offset)
            if self.x_label_rotation:
                self.x_label_rotation %= 360
            if self.y_label_rotation:
                self.y_label_rotation %= 360
            for key in ("x_labels", "y_labels"):
                if getattr(self, key):
                    setattr(self, key, list(getattr(self, key)))
            adapters = [*(list(self._adapters) or [lambda x: x]), decimal_to_float]
            self._adapt = reduce(compose, adapters) if not self.strict else ident
            self._x_adapt = (
                reduce(compose, self._x_adapters)
                if not self.strict and getattr(self, "_x_adapters", None)
                else ident
            )
            raw = [(list(values), options) for values, options in raw]
            width = max([len(values) for values, _ in raw] + [len(self.x_labels or [])])
            shared = {k: v for k, v in self.state.__dict__.items() if k in serie_options}
            series = []
            for values, options in raw:
                values = [self._adapt(v) for v in values + [None] * (width - len(values))]
                config = SerieConfig()
                config(**shared)
                config(**options)
                series.append(Serie(offset + len(series), values, config, {}))
            return series

        def _draw(self):
            # ``setup`` makes a plain ``Svg``, which has made only the chart's root, its <defs>
            # and <title> so far: from here on it draws as a still image.
            self.svg.__class__ = StillSvg
            super()._draw()

        def _printed(self) -> bool:
            return bool(self.print_values or self.dynamic_print_values or self.print_labels)

        def _format(self, serie, i):
            # A bar's value written out is read only by a tooltip or a printed value.
            return super()._format(serie, i) if self._printed() else ""

        def _tooltip_data(self, *args, **kwargs):
            """No tooltip, no <desc> data for one."""

        def _tooltip_and_print_values(self, *args, **kwargs):
            if self._printed():
                super()._tooltip_and_print_values(*args, **kwargs)

    return {
        (horizontal, stacked): type(kind.__name__, (Still, kind), {})
        for (horizontal, stacked), kind in {
            (True, True): pygal.HorizontalStackedBar,
            (True, False): pygal.HorizontalBar,
            (False, True): pygal.StackedBar,
            (False, False): pygal.Bar,
        }.items()
    }


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
    labels = [str(label) for label in labels]
    series = [(str(name), list(values)) for name, values in series]
    for name, values in series:
        if len(values) != len(labels):
            raise ValueError(
                f"The series {name!r} has {len(values)} values for {len(labels)} labels."
            )

    # The axis writes bare figures (the title says the unit); the table writes them in full.
    fmt = value_formatter or (lambda value: format_value(value))
    kind = _still_classes()[(horizontal, stacked)]
    rows = max(len(labels), 1)
    chart = kind(
        style=_style(),
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
        page_svg=mark_safe(_without_style(svg)),  # noqa: S308  # nosec B308 B703
        table=table,
        unit=unit,
        label_heading=label_heading,
    )


def _without_style(svg: str) -> str:
    """The chart without its <style> element (pygal writes one, in its <defs>)."""
    start = svg.find("<style")
    if start < 0:
        return svg
    end = svg.index("</style>", start) + len("</style>")
    return svg[:start] + svg[end:]


def forget_drawing() -> None:
    """Work out the charts' stylesheets anew, as on the first chart a process draws."""
    _STYLESHEETS.clear()


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
