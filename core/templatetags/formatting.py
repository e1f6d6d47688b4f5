from django import template

from core import formatting

register = template.Library()


@register.filter
def kroner(amount) -> str:
    """``{{ amount|kroner }}`` → ``40 000 kr``."""
    return formatting.kroner(amount)


@register.simple_tag
def time_span(starts, ends):
    """``{% time_span event.starts_at event.ends_at %}``: see ``core.formatting.time_span``."""
    return formatting.time_span(starts, ends)
