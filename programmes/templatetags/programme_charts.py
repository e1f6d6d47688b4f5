"""``{% programme_chart content "budget" as chart %}``: one of the programme's charts, drawn
from its composition (``programmes.charts``), or None when it has nothing to show."""

from django import template

from ..charts import chart

register = template.Library()


@register.simple_tag
def programme_chart(content, name):
    return chart(content, name)
