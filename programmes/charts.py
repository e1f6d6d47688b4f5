"""The programme's charts, drawn from its composition (``programmes.compose``): the budget by
delmål and funding source, and last year's people reached by target group.

Each is a ``core.charts.Chart`` or None when there is nothing to draw; the content partial
shows it with its sentence and its numbers. Labels are put into words in the active language,
so a chart is a function of the composition and the language alone.
"""

import json
from functools import lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.charts import Chart, bar_chart, format_value

from .templatetags.programme_content import budget_source, sub_goal_title, target_group


def budget_chart(content: dict) -> Chart | None:
    budget = content["budget"]
    if not budget["by_goal"] or not budget["total"]:
        return None
    labels = [
        f"{row['sub_goal']}. {sub_goal_title(row['sub_goal'], content['goals'])}"
        if row["sub_goal"]
        else _("No sub-goal")
        for row in budget["by_goal"]
    ]
    series = [
        (budget_source(source), [row["by_source"].get(source, 0) for row in budget["by_goal"]])
        for source in budget["sources"]
    ]
    return bar_chart(
        _("The budget %(year)s by sub-goal and funding source") % {"year": content["year"]},
        labels,
        series,
        description=_(
            "The money planned for the measures in %(year)s, %(total)s in all, by sub-goal "
            "(each measure under its first sub-goal) and funding source."
        )
        % {"year": content["year"], "total": format_value(budget["total"], "kr")},
        unit="kr",
        stacked=True,
        totals=True,
        label_heading=_("Sub-goal"),
    )


def reached_chart(content: dict) -> Chart | None:
    events = content["results"]["events"]
    if not events["by_group"]:
        return None
    year = content["results"]["year"]
    return bar_chart(
        _("People reached by target group in %(year)s") % {"year": year},
        [target_group(row["code"]) for row in events["by_group"]],
        [(_("People"), [row["people"] for row in events["by_group"]])],
        description=_(
            "The people who took part in the area's %(held)s events in %(year)s, counted by "
            "the target group the organisers recorded them under."
        )
        % {"held": events["held"], "year": year},
        label_heading=_("Target group"),
    )


CHARTS = {"budget": budget_chart, "reached": reached_chart}

# What of the composition each chart reads: the key its drawing is kept under.
_READS = {
    "budget": lambda c: {"year": c["year"], "budget": c["budget"], "goals": c["goals"]},
    "reached": lambda c: {
        "results": {"year": c["results"]["year"], "events": c["results"]["events"]}
    },
}


def chart(content: dict, name: str) -> Chart | None:
    """The chart ``name`` of ``content``, drawn once per process for the same numbers and
    language (a page shown again does not draw it again)."""
    return _drawn(name, get_language(), json.dumps(_READS[name](content), sort_keys=True))


@lru_cache(maxsize=256)
def _drawn(name: str, language: str, reads: str) -> Chart | None:
    return CHARTS[name](json.loads(reads))
