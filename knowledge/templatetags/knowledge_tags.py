from django import template

from .. import permissions, selectors

register = template.Library()


@register.simple_tag
def area_contacts(area):
    """The area's and its district's contacts, for the area page (one query)."""
    return selectors.contacts_for_area(area)


@register.inclusion_tag("knowledge/partials/_project_lessons.html", takes_context=True)
def project_lessons(context, project, staff: bool = False):
    """The project's lessons learned, for its page: the published ones on the public page;
    every one, with a way to record another, on the staff page (one query)."""
    user = context["request"].user
    scope = permissions.lessons_visible_to(user) if staff else permissions.lessons_public()
    return {
        "project": project,
        "staff": staff,
        "lessons": selectors.lessons_of_project(scope, project),
        "can_write": staff and permissions.can_write_lesson(user, project),
    }


AREA_LESSONS = 5


@register.simple_tag
def area_lessons(area):
    """The newest published lessons of the area's projects, for the area page (one query)."""
    scope = permissions.lessons_public().filter(project__area=area)
    # The status is loaded with the rest: a lesson reads it when it comes from the database.
    return list(
        scope.select_related("project")
        .only("title", "status", "published_at", "project__title")
        .order_by(*selectors.NEWEST_FIRST)[:AREA_LESSONS]
    )
