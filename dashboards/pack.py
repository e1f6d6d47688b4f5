"""The board pack as a PDF: the dashboard's sections, each table with its chart, its numbers
and the sentence that sums it up, rendered by WeasyPrint the way the handlingsprogram is.

``snapshot`` turns a computed ``Dashboard`` into the JSON the ``BoardPack`` row keeps (the
figures as they were taken, without the page's links); ``content_hash`` names it. The worker
renders from that snapshot alone, so the PDF shows the figures of the moment they were taken,
whatever has changed since. ``render_html`` gives the document (``dashboards/pack/pdf.html``);
``render_pdf`` renders it tagged (PDF/UA-1), in bokmål, with bookmarks from the section and
table headings and Oslo Sans embedded. The stylesheet and fonts are loaded once per process,
and the document may load files from ``static/`` and nothing else.
"""

from __future__ import annotations

import atexit
import datetime
import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

from core import formatting
from core.charts import bar_chart
from grants.letters import ASSET_ROOT, _asset_fetcher

from .figures import Dashboard, Table

STYLESHEET = ASSET_ROOT / "css" / "board-pack.css"


@dataclass(frozen=True)
class Document:
    data: bytes
    page_count: int


class BoardPackError(RuntimeError):
    """The PDF could not be rendered (a file it needs is missing or refused)."""


# --- The snapshot -------------------------------------------------------------------------------


def _plain(value):
    """A figure as JSON keeps it: numbers stay numbers (a Decimal becomes a float)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def _row(row) -> dict:
    return {"label": str(row.label), "values": {k: _plain(v) for k, v in row.values.items()}}


def _table(table: Table) -> dict:
    chart = table.chart
    return {
        "key": table.key,
        "title": str(table.title),
        "columns": [{"key": c.key, "label": str(c.label), "kind": c.kind} for c in table.columns],
        "rows": [_row(r) for r in table.rows],
        "total": _row(table.total) if table.total is not None else None,
        "chart": None
        if chart is None
        else {
            "columns": list(chart.columns),
            "stacked": chart.stacked,
            "horizontal": chart.horizontal,
            "unit": chart.unit,
        },
        "summary": str(table.summary),
        "note": str(table.note),
    }


def snapshot(dash: Dashboard, *, title: str, filter_labels: list[tuple[str, str]]) -> dict:
    """What the PDF is made from: every section's tables and headline figures, the filters in
    words, and when the figures were taken. Links are left out: paper leads nowhere."""
    return {
        "title": str(title),
        "scope": {
            "district_ids": None
            if dash.scope.district_ids is None
            else sorted(dash.scope.district_ids),
            "label": str(dash.scope.label),
        },
        "filters": dash.filters.as_query(),
        "filter_labels": [[str(k), str(v)] for k, v in filter_labels],
        "taken_at": dash.taken_at.isoformat(),
        "sections": [
            {
                "key": section.key,
                "title": str(section.title),
                "headlines": [
                    [str(label), str(value)] for label, value, _link in section.headlines
                ],
                "tables": [_table(t) for t in section.tables],
            }
            for section in dash.sections
        ],
    }


def content_hash(content: dict) -> str:
    """The snapshot's name: the same figures for the same filters and scope give the same hash
    (the moment they were taken is not part of it, so unchanged figures make no new PDF)."""
    named = {k: v for k, v in content.items() if k != "taken_at"}
    encoded = json.dumps(named, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


# --- The document -------------------------------------------------------------------------------


def format_value(value, kind: str) -> str:
    """A figure as the pack writes it, in the active language: ``–`` for none."""
    if value is None or value == "":
        return "–"
    if kind == "text" or isinstance(value, str):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if kind == "kr":
        return formatting.kroner(value)
    if kind == "percent":
        return f"{number_format(value, decimal_pos=1)}\u00a0%"
    if isinstance(value, float):
        return number_format(value, decimal_pos=1, force_grouping=True)
    return number_format(value, force_grouping=True)


def _number(value):
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def table_chart(table: dict):
    """The table's chart (``core.charts.bar_chart``) of the columns its spec names; None when
    it asks for none or has no rows."""
    spec = table.get("chart")
    if not spec or not table["rows"]:
        return None
    labels = {c["key"]: c["label"] for c in table["columns"]}
    series = [
        (labels.get(key, key), [_number(row["values"].get(key)) for row in table["rows"]])
        for key in spec["columns"]
    ]
    return bar_chart(
        table["title"],
        [row["label"] for row in table["rows"]],
        series,
        description=table["summary"] or table["title"],
        unit=spec.get("unit", ""),
        stacked=spec.get("stacked", False),
        horizontal=spec.get("horizontal", True),
        label_heading=table["columns"][0]["label"] if table["columns"] else "",
    )


_SERIES_ID = re.compile(r'id="activate-serie-(\d+)"')


def _chart_svg(table: dict) -> SafeString | None:
    """The chart's SVG for the PDF, its legend's ids made the table's own: pygal gives every
    chart the same ones, and a document's ids must differ."""
    chart = table_chart(table)
    if chart is None:
        return None
    svg = _SERIES_ID.sub(lambda m: f'id="{table["key"]}-serie-{m.group(1)}"', str(chart.svg))
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703 - pygal markup with renamed ids


def _written_row(row: dict, columns: list[dict]) -> dict:
    """A row's label and its figures written out, one per column after the label column."""
    return {
        "label": row["label"],
        "cells": [format_value(row["values"].get(c["key"]), c["kind"]) for c in columns[1:]],
    }


def document_context(content: dict) -> dict:
    """The template's context: each table with its chart and its rows written out."""
    taken_at = datetime.datetime.fromisoformat(content["taken_at"])
    sections = []
    for section in content["sections"]:
        tables = []
        for table in section["tables"]:
            columns = table["columns"]
            tables.append(
                {
                    **table,
                    "chart_svg": _chart_svg(table),
                    "heading": columns[0]["label"] if columns else "",
                    "value_columns": columns[1:],
                    "written_rows": [_written_row(r, columns) for r in table["rows"]],
                    "written_total": _written_row(table["total"], columns)
                    if table.get("total")
                    else None,
                }
            )
        sections.append({**section, "tables": tables})
    return {
        "content": content,
        "sections": sections,
        "taken_at": timezone.localtime(taken_at),
        "pdf": True,
        "pdf_document": True,
    }


def render_html(content: dict) -> str:
    with translation.override("nb"):
        return render_to_string("dashboards/pack/pdf.html", document_context(content))


@lru_cache(maxsize=1)
def _style():
    """The parsed stylesheet and the font configuration holding its fonts, for this process."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    css = CSS(filename=str(STYLESHEET), url_fetcher=_asset_fetcher(), font_config=fonts)
    return css, fonts


# Let the fonts go while their library is still loaded (not in the interpreter's teardown).
atexit.register(_style.cache_clear)


def render_pdf(content: dict) -> Document:
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    html = render_html(content)
    css, fonts = _style()
    try:
        document = HTML(
            string=html, base_url=str(ASSET_ROOT) + "/", url_fetcher=_asset_fetcher()
        ).render(stylesheets=[css], font_config=fonts)
        data = document.write_pdf(pdf_variant="pdf/ua-1", custom_metadata=True)
    except FatalURLFetchingError as exc:
        # WeasyPrint raises this as a BaseException; the task handles ordinary exceptions.
        raise BoardPackError(str(exc)) from exc
    return Document(data=data, page_count=len(document.pages))
