"""Reading the free text that once named the action programme an input was taken into
("Handlingsprogram 2027, tiltak 4") as a link to the programme and its measure.

A pure function over plain data, so the data migration (programmes 0003) and its tests use
the same rule:

* "Handlingsprogram <year>, tiltak <n>" (any case, "handlingsprogrammet", "tiltak nr. 4"): the
  programme of the input's area for that year, and its measure number ``n`` counted in the
  programme's order (position, then creation);
* otherwise a measure whose project title appears in the text (the longest such title wins;
  with a year in the text, only that year's programme is looked in);
* a year with neither a measure number nor a title: the programme alone;
* anything else: no link (the text itself stays in the input's history).
"""

import re
from dataclasses import dataclass

PLAN = re.compile(
    r"handlingsprogram(?:met)?\s*(?:for\s*)?(?P<year>(?:19|20)\d\d)"
    r"(?:\D{0,20}?tiltak\s*(?:nr\.?\s*)?(?P<number>\d{1,3}))?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Candidate:
    """One programme of the input's area: its id, year, and measures in order as
    (measure id, project title)."""

    programme_id: int
    year: int
    measures: tuple[tuple[int, str], ...]


def match_plan_text(text: str, candidates: list[Candidate]) -> tuple[int, int | None] | None:
    """``(programme_id, measure_id or None)`` that ``text`` names among ``candidates`` (the
    programmes of the input's area), or None."""
    text = (text or "").strip()
    if not text:
        return None
    by_year = {c.year: c for c in candidates}
    found = PLAN.search(text)
    year = int(found["year"]) if found else None
    if found and found["number"] and year in by_year:
        programme = by_year[year]
        number = int(found["number"])
        if 1 <= number <= len(programme.measures):
            return programme.programme_id, programme.measures[number - 1][0]
    looked_in = [by_year[year]] if year in by_year else ([] if year else candidates)
    folded = text.casefold()
    titled = [
        (len(title), programme.year, programme.programme_id, measure_id)
        for programme in looked_in
        for measure_id, title in programme.measures
        if title and title.casefold() in folded
    ]
    if titled:
        _length, _year, programme_id, measure_id = max(titled)
        return programme_id, measure_id
    if year in by_year:
        return by_year[year].programme_id, None
    return None
