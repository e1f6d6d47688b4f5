"""How the portal writes money and Norwegian numbers, on pages, in emails and in letters."""

from django.utils.formats import number_format
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
