from django import template

from core import formatting

register = template.Library()


@register.filter
def kroner(amount) -> str:
    """``{{ amount|kroner }}`` → ``40 000 kr``."""
    return formatting.kroner(amount)
