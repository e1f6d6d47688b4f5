"""``{% letter_status application decision staff=… current=… %}``: the decision letter's
progress on a case page (see ``grants.views.letters``)."""

from django import template

from ..views.letters import letter_status_context

register = template.Library()


@register.inclusion_tag("grants/partials/_letter_status.html")
def letter_status(application, decision, *, staff: bool = False, current: bool = False) -> dict:
    return letter_status_context(application, decision, staff=staff, current=current)
