"""A dashboard table as a CSV or XLSX file.

The file holds what the page's table holds — the row labels and the figures, and the total —
as raw numbers a spreadsheet can sum (kroner as whole numbers, shares as 0–100), never the links
and never anything about a person: the tables hold no personal data (``dashboards.figures``).
Every text cell is written so that no spreadsheet runs it as a formula (``core.csv``).
"""

from __future__ import annotations

import csv
import datetime
import io

from django.utils import timezone
from django.utils.translation import gettext as _

from core.csv import spreadsheet_cell

from .figures import Dashboard, Row, Table

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _header(table: Table) -> list[str]:
    return [str(column.label) for column in table.columns]


def _values(table: Table, row: Row) -> list:
    values = []
    for index, column in enumerate(table.columns):
        value = row.label if index == 0 else row.values.get(column.key)
        if isinstance(value, float) and value.is_integer() and column.kind != "percent":
            value = int(value)
        values.append(value)
    return values


def _rows(table: Table) -> list[list]:
    rows = [_values(table, row) for row in table.rows]
    if table.total is not None:
        rows.append(_values(table, table.total))
    return rows


def filename(table: Table, fmt: str, taken_at: datetime.datetime) -> str:
    """``<table key>-<the date the figures were taken>.<fmt>``."""
    day = timezone.localtime(taken_at).date() if timezone.is_aware(taken_at) else taken_at.date()
    return f"{table.key}-{day.isoformat()}.{fmt}"


def table_csv(table: Table) -> bytes:
    """The table as UTF-8 CSV with a byte-order mark (so spreadsheets read it as UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([spreadsheet_cell(h) for h in _header(table)])
    for row in _rows(table):
        writer.writerow([spreadsheet_cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _text(value: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _put(sheet, row: int, column: int, value):
    """One cell; a text is always a text, never a formula, whatever its first character."""
    if isinstance(value, str):
        cell = sheet.cell(row=row, column=column, value=_text(value))
        cell.data_type = "s"
        return cell
    if isinstance(value, bool) or value is None:
        return sheet.cell(row=row, column=column, value=None if value is None else str(value))
    return sheet.cell(row=row, column=column, value=value)


def table_xlsx(table: Table, board: Dashboard) -> bytes:
    """The table as a workbook: the figures on the first sheet, and on a second what they are
    (title, summary, how they are counted, when they were taken)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _text(table.key)[:31] or "data"
    bold = Font(bold=True)
    for column, heading in enumerate(_header(table), start=1):
        _put(sheet, 1, column, heading).font = bold
    rows = _rows(table)
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            cell = _put(sheet, number, column, value)
            if column == 1 or (table.total is not None and number == len(rows) + 1):
                cell.font = bold
    for index, column in enumerate(table.columns, start=1):
        if column.kind == "percent":
            for (cell,) in sheet.iter_rows(
                min_row=2, max_row=len(rows) + 1, min_col=index, max_col=index
            ):
                cell.number_format = "0.0"
        elif column.kind != "text":
            for (cell,) in sheet.iter_rows(
                min_row=2, max_row=len(rows) + 1, min_col=index, max_col=index
            ):
                cell.number_format = "#,##0"
    sheet.freeze_panes = "B2"

    about = workbook.create_sheet(_text(str(_("About these figures")))[:31])
    taken = board.taken_at
    if timezone.is_aware(taken):
        taken = timezone.localtime(taken)
    facts = [
        (_("Table"), str(table.title)),
        (_("Summary"), str(table.summary)),
        (_("How it is counted"), str(table.note)),
        (_("Taken at"), taken.strftime("%Y-%m-%d %H:%M")),
        (_("Filters"), ", ".join(f"{k}={v}" for k, v in board.filters.as_query().items())),
    ]
    for number, (label, value) in enumerate(facts, start=1):
        _put(about, number, 1, str(label)).font = bold
        _put(about, number, 2, value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def table_file(table: Table, board: Dashboard, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of ``table`` in ``fmt`` (``csv`` or ``xlsx``)."""
    content = table_csv(table) if fmt == "csv" else table_xlsx(table, board)
    return content, FORMATS[fmt], filename(table, fmt, board.taken_at)
