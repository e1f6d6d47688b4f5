"""What changed between two versions of a programme, from their frozen compositions.

The result is plain data — codes, numbers and titles as the compositions hold them — and the
page puts it into words in the reader's language (``programmes/versions.html``). Measures are
matched by their project: a project in the newer version alone is a measure added, in the older
alone one removed.
"""

from .models import Section

# Where each prose field of the composition is shown (the sections of ``_content.html``).
PROSE_SECTIONS = {
    "introduction": Section.INTRODUCTION,
    "area_text": Section.AREA,
    "challenges": Section.AREA,
    "participation_summary": Section.PARTICIPATION,
    "participation_plan": Section.PARTICIPATION,
    "risks": Section.RISKS,
    "organisation": Section.ORGANISATION,
}
SECTION_ORDER = list(Section.values)


def _measures(content: dict) -> dict:
    return {m["project_id"]: m for m in content.get("measures", [])}


def _brief(measure: dict) -> dict:
    return {"number": measure["number"], "title": measure["title"]}


def _goals(content: dict) -> list:
    return [
        (g.get("number"), g.get("local_goal", ""), g.get("strategies", ""))
        for g in content.get("goals", [])
    ]


def compare(old: dict, new: dict) -> dict:
    """What ``new`` changes against ``old`` (two compositions, ``programmes.compose``).

    ``measures_added`` / ``measures_removed``: ``{"number", "title"}`` in the version that has
    them; ``budgets_changed``: measures in both whose budget for the year changed, with
    ``old`` and ``new`` totals in kroner; ``comments_changed``: measures in both whose text in
    the programme changed; ``total``: ``{"old", "new"}`` when the budget's total changed;
    ``sections_changed``: section codes (``Section``) whose text changed, in the document's
    order; ``participation_step``: ``{"old", "new"}`` step numbers when it changed;
    ``changed``: whether anything did."""
    before, after = _measures(old), _measures(new)
    added = [_brief(after[p]) for p in after if p not in before]
    removed = [_brief(before[p]) for p in before if p not in after]
    budgets, comments = [], []
    for project_id, measure in after.items():
        earlier = before.get(project_id)
        if earlier is None:
            continue
        if earlier.get("budget") != measure.get("budget"):
            budgets.append(
                {
                    **_brief(measure),
                    "old": earlier.get("budget_total", 0),
                    "new": measure.get("budget_total", 0),
                }
            )
        if (earlier.get("comment") or "") != (measure.get("comment") or ""):
            comments.append(_brief(measure))
    old_total = old.get("budget", {}).get("total", 0)
    new_total = new.get("budget", {}).get("total", 0)
    sections = set()
    old_prose, new_prose = old.get("prose", {}), new.get("prose", {})
    for name, section in PROSE_SECTIONS.items():
        if (old_prose.get(name) or "") != (new_prose.get(name) or ""):
            sections.add(section)
    if _goals(old) != _goals(new):
        sections.add(Section.GOALS)
    old_step, new_step = old.get("participation_step"), new.get("participation_step")
    result = {
        "measures_added": added,
        "measures_removed": removed,
        "budgets_changed": budgets,
        "comments_changed": comments,
        "total": {"old": old_total, "new": new_total} if old_total != new_total else None,
        "sections_changed": [s for s in SECTION_ORDER if s in sections],
        "participation_step": (
            {"old": old_step, "new": new_step} if old_step != new_step else None
        ),
    }
    result["changed"] = any(result.values())
    return result
