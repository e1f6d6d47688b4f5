from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def area_contacts(area):
    """The area's and its district's contacts, for the area page (one query)."""
    return selectors.contacts_for_area(area)
