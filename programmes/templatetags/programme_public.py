"""Words for the public programme pages: a section's code as its heading."""

from django import template

from programmes.models import Section

register = template.Library()


@register.filter
def section_label(code) -> str:
    try:
        return str(Section(code).label)
    except ValueError:
        return str(code)
