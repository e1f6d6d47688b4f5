"""The charts are drawn as still images from the start (``core.charts._still_classes``): the
same SVG, byte for byte, as pygal's own classes draw and ``_inert`` and the still stylesheet
then trim, for every kind of bar chart and the cases pygal treats apart."""

import re

import pygal
import pytest

from core import charts
from core.charts import bar_chart

LONG = "Et navn så langt at pygal må korte det av på aksen og i forklaringen til figuren"

CASES = {
    "horizontal, one series": {
        "labels": ["Gamle Oslo", "Bjerke", "Grorud"],
        "series": [("Prosjekter", [10, 20, 5])],
    },
    "horizontal stacked, gaps and a long label": {
        "labels": ["1. Sosialt liv", LONG, "3. Tredje"],
        "series": [("Områdeløftmidler", [120_000, 80_000, None]), (LONG, [30_000, None, 4])],
        "stacked": True,
        "unit": "kr",
    },
    "vertical, over the years": {
        "labels": ["2023", "2024", "2025", "2026"],
        "series": [("Planlagt", [1.5, 2.25, 0, 7]), ("Brukt", [1, None, 0, 3])],
        "horizontal": False,
    },
    "vertical stacked, more series than colours, a negative value": {
        "labels": ["A", "B"],
        "series": [(f"Serie {n}", [n, -1 if n == 3 else n + 1]) for n in range(9)],
        "horizontal": False,
        "stacked": True,
    },
    "one label, nothing but zeros": {"labels": ["Bare én"], "series": [("Tall", [0])]},
}

PYGAL = {
    (True, True): pygal.HorizontalStackedBar,
    (True, False): pygal.HorizontalBar,
    (False, True): pygal.StackedBar,
    (False, False): pygal.Bar,
}

_STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.DOTALL)


def _trimmed(svg: str) -> str:
    """pygal's own drawing as the charts were made before: ``_inert`` has taken out the script,
    comments, tooltips, <desc> data and guide hints; the hover and tooltip rules leave the
    stylesheet here (worked out with a stand-in for the chart's id)."""

    def still(match):
        chart_id = re.search(r"#chart-[0-9a-f]+", match.group(2)).group(0)
        css = charts._still_css(match.group(2).replace(chart_id, "#chart-id"))
        return match.group(1) + css.replace("#chart-id", chart_id) + match.group(3)

    return _STYLE.sub(still, svg, count=1)


@pytest.mark.parametrize("case", CASES)
def test_the_still_chart_is_pygals_drawing_without_what_only_a_script_uses(case, monkeypatch):
    args = dict(CASES[case])
    labels, series = args.pop("labels"), args.pop("series")

    def draw():
        return bar_chart("Tittel", labels, series, description="En setning.", **args)

    charts.forget_drawing()
    still = draw()
    again = draw()  # the stylesheet from the first: the same bytes
    monkeypatch.setattr(charts, "_still_classes", lambda: PYGAL)
    plain = draw()

    assert str(still.svg) == _trimmed(str(plain.svg))
    assert still.svg == again.svg
    assert still.page_svg == charts._STYLE.sub("", str(still.svg))
    assert "<style" not in still.page_svg and "<style" in still.svg
    for gone in ("<desc", "<script", "tooltip-box", "<!--"):
        assert gone not in still.svg, gone
    assert still.svg.count("<title>") == 1


def test_forgetting_the_drawing_works_the_stylesheet_out_anew():
    charts.forget_drawing()
    assert not charts._STYLESHEETS
    bar_chart("T", ["a"], [("n", [1])], description="S.")
    assert len(charts._STYLESHEETS) == 1
    charts.forget_drawing()
    assert not charts._STYLESHEETS


@pytest.mark.parametrize("still", [True, False])
def test_the_still_chart_makes_nothing_for_inert_to_take_out(still, monkeypatch):
    removed = []
    inert = charts._inert

    def counting(root):
        before = sum(1 for _ in root.iter())
        root = inert(root)
        removed.append(before - sum(1 for _ in root.iter()))
        return root

    monkeypatch.setattr(charts, "_inert", counting)
    if not still:
        monkeypatch.setattr(charts, "_still_classes", lambda: PYGAL)
    for args in CASES.values():
        args = dict(args)
        bar_chart("T", args.pop("labels"), args.pop("series"), description="S.", **args)
    assert len(removed) == len(CASES)
    # pygal's own classes leave tooltips, <desc> data and hints for ``_inert``; these none.
    assert (sum(removed) == 0) is still


@pytest.mark.parametrize("kind", sorted(PYGAL))
def test_a_still_chart_keeps_its_own_attributes_and_draws_the_same_twice(kind):
    chart = charts._still_classes()[kind](disable_xml_declaration=True, js=[])
    chart.title = "Tittel"
    chart.x_labels = ["a", "b"]
    chart.add("Serie", [1, None])
    own = dict(vars(chart))
    first = chart.render(is_unicode=True)
    assert vars(chart) == own  # what the drawing worked out stays with the drawing
    assert chart.render(is_unicode=True) == first
    plain = PYGAL[kind](disable_xml_declaration=True, js=[])
    plain.title, plain.x_labels = "Tittel", ["a", "b"]
    plain.add("Serie", [1, None])
    plain.render()
    assert vars(plain).keys() == own.keys()
