"""The chart API the programme and the dashboards share: SVG that is safe to inline, the same
for the same numbers, with its sentence and its numbers in a table."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from core.charts import bar_chart


def budget(**kwargs):
    return bar_chart(
        "Budsjett 2027",
        ["1. Sosialt liv", "2. Fysiske nærmiljøkvaliteter"],
        [("Områdeløftmidler", [120_000, 80_000]), ("Bomiljøtilskudd", [30_000, None])],
        description="Pengene til tiltakene etter delmål og kilde.",
        unit="kr",
        stacked=True,
        totals=True,
        label_heading="Delmål",
        **kwargs,
    )


def test_the_same_numbers_give_the_same_svg_and_other_numbers_another():
    first, second = budget(), budget()
    assert first.svg == second.svg
    assert "pygal" in first.svg  # a real chart, not an empty string
    other = bar_chart(
        "Budsjett 2027",
        ["1. Sosialt liv", "2. Fysiske nærmiljøkvaliteter"],
        [("Områdeløftmidler", [120_000, 80_001]), ("Bomiljøtilskudd", [30_000, None])],
        description="Pengene til tiltakene etter delmål og kilde.",
        unit="kr",
        stacked=True,
        totals=True,
    )
    assert other.svg != first.svg
    ids = set(re.findall(r'id="(chart-[^"]+)"', first.svg))
    assert ids and ids.isdisjoint(re.findall(r'id="(chart-[^"]+)"', other.svg))


def test_the_svg_is_inert_and_names_itself():
    svg = budget().svg
    assert svg.startswith("<svg ")
    assert "<?xml" not in svg
    for forbidden in ("<script", "href", "<!--", "@import", "url(", "javascript:", "googleapis"):
        assert forbidden not in svg, forbidden
    assert 'role="img"' in svg and 'aria-label="Budsjett 2027"' in svg
    assert "<title>Budsjett 2027</title>" in svg


def test_labels_and_names_are_text_not_markup():
    chart = bar_chart(
        'Tittel "med" <b>',
        ["<script>alert(1)</script>", "Ærlig & åpen"],
        [("<img src=x onerror=alert(1)>", [1, 2])],
        description="En setning.",
    )
    assert "<script>alert" not in chart.svg
    assert "<img" not in chart.svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in chart.svg
    assert "Ærlig &amp; åpen" in chart.svg
    assert 'aria-label="Tittel &quot;med&quot; &lt;b&gt;"' in chart.svg
    html = render_to_string("programmes/partials/_chart.html", {"chart": chart})
    assert "<script>alert" not in html and "<img src=x" not in html
    assert html.count("<svg") == 1


def test_the_table_holds_every_number_and_the_totals():
    chart = budget()
    assert chart.table.columns == ("Områdeløftmidler", "Bomiljøtilskudd")
    assert chart.table.rows == (
        ("1. Sosialt liv", (120_000, 30_000)),
        ("2. Fysiske nærmiljøkvaliteter", (80_000, None)),
    )
    assert chart.table.row_totals == (150_000, 80_000)
    assert chart.table.column_totals == (200_000, 30_000)
    assert chart.table.total == 230_000


def test_the_partial_shows_figure_sentence_and_an_accessible_table():
    with translation.override("nb"):
        html = render_to_string(
            "programmes/partials/_chart.html", {"chart": budget(), "chart_id": "d"}
        )
    text = " ".join(html.split())
    assert '<figure class="chart" id="d">' in html
    assert "<figcaption" in html and "Pengene til tiltakene etter delmål og kilde." in text
    assert "<caption>Budsjett 2027</caption>" in html
    assert '<th scope="col">Delmål</th>' in html
    assert html.count('scope="row"') == 3  # two labels and the totals
    for figure in ("120\xa0000\xa0kr", "150\xa0000\xa0kr", "230\xa0000\xa0kr", "–"):
        assert figure in html, figure


def test_a_series_must_have_a_value_per_label():
    with pytest.raises(ValueError):
        bar_chart("T", ["a", "b"], [("s", [1])], description="D")


def test_weasyprint_draws_the_chart():
    from weasyprint import HTML

    from tests.pdf import pdf_text

    chart = budget()
    data = HTML(
        string=f"<html lang='nb'><title>T</title><body>{chart.svg}</body></html>"
    ).write_pdf()
    text = pdf_text(data)
    assert "Budsjett 2027" in text and "Områdeløftmidler" in text


def test_the_page_svg_has_no_inline_style_and_the_static_stylesheet_is_current():
    """Web pages refuse inline styles (Content-Security-Policy): their SVG carries none, and
    the style it lost is the one static/css/charts.css holds for every colour."""
    import re
    from pathlib import Path

    from core.charts import page_stylesheet

    chart = bar_chart(
        "Deltakere", ["Barn", "Eldre"], [("2026", [12, 5])], description="Hvem som kom."
    )
    assert "<style" in str(chart.svg)  # the PDF keeps it: WeasyPrint has no policy
    assert "<style" not in str(chart.page_svg)
    assert not re.search(r"\sstyle=", str(chart.page_svg))
    assert 'class="pygal-chart"' in str(chart.page_svg)
    static = Path(__file__).resolve().parents[2] / "static" / "css" / "charts.css"
    assert static.read_text() == page_stylesheet(), (
        "static/css/charts.css is out of date: write it anew with "
        '`.venv/bin/python -c "import django, os; '
        "os.environ['DJANGO_SETTINGS_MODULE']='omradelos.settings.base'; django.setup(); "
        "from core.charts import page_stylesheet; "
        "open('static/css/charts.css', 'w').write(page_stylesheet())\"`"
    )
