"""Project history rows written as sentences become an action key, particulars and codes.

Before, a row held a sentence in the language of the page it was made on ("Milepæl fullført:
Åpning") and its field changes as displayed text (the area's name, "True", "1, 2"). This reads
each row back into codes: the particulars (a milestone's title, a budget line's year and source
code) into ``data``, and each field's old and new value as a code (an area's id, an ISO date, a
choice code, a number), so the page can word it in any language. A sentence that cannot be read
back is kept as it was, in ``data["text"]``, and shown as written.
"""

import re

from django.db import migrations

# The sentences were written through gettext in English, bokmål or nynorsk.
_PUBLIC_UPDATE = {
    "Public status update added",
    "Offentlig statusoppdatering lagt til",
    "Offentleg statusoppdatering lagd til",
}
_INTERNAL_UPDATE = {
    "Internal status update added",
    "Intern statusoppdatering lagt til",
    "Intern statusoppdatering lagd til",
}
_BUDGET_SOURCES = {
    "area upgrade funds": "omradeloftmidler",
    "områdeløftmidler": "omradeloftmidler",
    "områdeløftmidlar": "omradeloftmidler",
    "bomiljøtilskudd": "bomiljotilskudd",
    "bumiljøtilskot": "bomiljotilskudd",
    "other public funding": "annen_offentlig",
    "annen offentlig finansiering": "annen_offentlig",
    "anna offentleg finansiering": "annen_offentlig",
    "private funding": "privat",
    "privat finansiering": "privat",
}
_BUDGET = re.compile(r"(?P<year>\d{4}), (?P<source>.+)$")
_MEASURED = re.compile(r"^\S+ (?P<name>.+): (?P<value>-?\d+(?:[.,]\d+)?) ?(?P<unit>.*)$")
# The single name after "…: " in "Milestone added: …" and the like, keyed as the new rows are.
_NAMED = {
    "milestone_added": "title",
    "milestone_done": "title",
    "indicator_added": "name",
    "partner_added": "name",
    "image_added": "alt_text",
}
_DATES = {"start_date", "end_date"}
_TEXTS = {
    "title",
    "summary",
    "description",
    "status",
    "owner",
    "manager",
    "steering_group",
    "benefit_owner",
}


def _blank_none(value):
    return None if value in ("", None) else value


def _project_value(name: str, value, area_ids: dict):
    """One old displayed value of a project field as its code."""
    if name == "area":
        return area_ids.get(value, _blank_none(value))
    if name in _DATES:
        return _blank_none(value)
    if name == "ladder_rung":
        return int(value) if str(value).isdigit() else _blank_none(value)
    if name == "is_public":
        return {"True": True, "False": False}.get(value, value)
    if name == "sub_goals":
        return [int(n) for n in re.findall(r"\d+", str(value or ""))]
    return value


def _amounts(text: str) -> list:
    """ "120000 / 40000" as ["120000", "40000"]; blank as [None, None]."""
    parts = [p.strip() for p in (text or "").split("/")]
    return parts if len(parts) == 2 and all(parts) else [None, None]


def convert(action: str, summary: str, changes: dict, *, area_ids: dict) -> tuple[dict, dict]:
    """An old row's (action, sentence, displayed changes) as (data, changes) in codes.

    ``area_ids`` maps an area's name to its id.
    """
    changes = dict(changes or {})
    summary = summary or ""
    keep = {"text": summary} if summary else {}
    if action == "created":
        return {}, changes
    if action == "updated":
        return {}, {
            name: [_project_value(name, v, area_ids) for v in pair]
            for name, pair in changes.items()
        }
    if action in _NAMED:
        data = keep
        if ": " in summary:
            data = {_NAMED[action]: summary.split(": ", 1)[1]}
        if action == "milestone_done" and "done_date" in changes:
            changes = {"done_date": [_blank_none(v) for v in changes["done_date"]]}
        return data, changes
    if action == "budget":
        match = _BUDGET.search(summary)
        source = match and _BUDGET_SOURCES.get(match["source"].strip().lower())
        data = {"year": int(match["year"]), "source": source} if source else keep
        if "planned_spent" in changes:
            old, new = (_amounts(v) for v in changes["planned_spent"])
            changes = {
                name: [before, after]
                for name, before, after in zip(("planned", "spent"), old, new, strict=True)
                if before is None or before != after
            }
        return data, changes
    if action == "indicator_value":
        match = _MEASURED.match(summary)
        if match is None:
            return keep, changes
        return {
            "name": match["name"],
            "value": match["value"].replace(",", "."),
            "unit": match["unit"],
        }, changes
    if action == "update_added":
        if summary in _PUBLIC_UPDATE:
            return {"public": True}, changes
        if summary in _INTERNAL_UPDATE:
            return {"public": False}, changes
    return keep, changes


def forwards(apps, schema_editor):
    ProjectChange = apps.get_model("projects", "ProjectChange")
    Area = apps.get_model("areas", "Area")
    area_ids = dict(Area.objects.values_list("name", "pk"))
    for row in ProjectChange.objects.all().iterator():
        row.data, row.changes = convert(row.action, row.summary, row.changes, area_ids=area_ids)
        row.save(update_fields=["data", "changes"])


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0003_projectchange_data"),
        ("areas", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
