"""How the portal writes money and Norwegian numbers, on pages, in emails and in letters."""

import datetime

from django.utils import dateformat, timezone
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from stdnum.no import kontonr, orgnr


def kroner(amount: int | float | None, *, unit: str = "kr") -> str:
    """``40 000 kr`` (or ``40 000 kroner`` with ``unit="kroner"``) grouped the way the active
    language writes numbers, with a no-break space so the figure never splits over two lines."""
    figure = number_format(round(amount or 0), force_grouping=True)
    return f"{figure}\u00a0{unit}"


def account_number(value: str) -> str:
    """``8601 11 17947``: the way Norwegian banks and forms write an account number."""
    digits = kontonr.compact(value or "")
    if len(digits) != 11:
        return value or ""
    return f"{digits[:4]} {digits[4:6]} {digits[6:]}"


def org_number(value: str) -> str:
    """``923 609 016``."""
    return orgnr.format(value) if value else ""


def time_span(starts: datetime.datetime, ends: datetime.datetime) -> SafeString:
    """When something happens, as ``<time>`` elements in Oslo time: ``tirsdag 03.02.2026,
    18:00–20:00`` within one day, ``03.02.2026 18:00 – 04.02.2026 12:00`` over several. Written
    here rather than by seven ``date`` filters in a template: a list of events shows it for
    every row."""
    start, end = timezone.localtime(starts), timezone.localtime(ends)
    if start.date() == end.date():
        start_format, between, end_format = "l d.m.Y, H:i", "–", "H:i"
    else:
        start_format, between, end_format = "d.m.Y H:i", " – ", "d.m.Y H:i"
    return format_html(
        '<time datetime="{}">{}</time>{}<time datetime="{}">{}</time>',
        start.isoformat(),
        dateformat.format(start, start_format),
        between,
        end.isoformat(),
        dateformat.format(end, end_format),
    )
