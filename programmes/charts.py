"""The programme's charts, drawn from its composition (``programmes.compose``): the budget by
delmål and funding source, and last year's people reached by target group.

Each is a ``core.charts.Chart`` or None when there is nothing to draw; the content partial
shows it with its sentence and its numbers. Labels are put into words in the active language,
so a chart is a function of the composition and the language alone.
"""

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
