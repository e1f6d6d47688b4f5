"""Cells for CSV files that people open in a spreadsheet.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or line break
before one) as a formula, and such a formula can fetch addresses or run commands on the reader's
machine. Project texts and residents' input end up in these files, so every text cell goes
through :func:`spreadsheet_cell`, which puts an apostrophe in front: the spreadsheet shows the
text as written and runs nothing.
"""

from datetime import date, datetime
from decimal import Decimal

# The ASCII characters and their full-width forms, which some spreadsheets read the same way.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_cell(value) -> str:
    """``value`` as the text of one CSV cell that no spreadsheet will run as a formula.

    ``None`` is an empty cell; numbers and dates are written as they are (a number is never a
    formula, and a negative one must stay a number)."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal, date, datetime)) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
