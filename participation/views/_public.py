"""Helpers the public participation view modules share: fetching a public event or area,
and the facts every event shows (places left, target groups, whether its project is public).
No views and no URLs here."""

from django.http import Http404

from areas.models import Area
from areas.selectors import areas_public

from .. import selectors
from ..models import Event, TargetGroup

# The prefix of the input form, the same on the event page and on the input page, so that its
# fields never share an id with the registration form's.
INPUT_PREFIX = "innspill"


def public_event(slug: str) -> Event:
    """A published or cancelled event in a published area, with its places counted; else 404."""
    try:
        return describe(selectors.event_public(slug))
    except Event.DoesNotExist as exc:
        raise Http404 from exc


def public_area(slug: str) -> Area:
    try:
        return areas_public().get(slug=slug)
    except Area.DoesNotExist as exc:
        raise Http404 from exc


def describe(event: Event) -> Event:
    """Attach what the pages show about an event, from data already loaded (no queries):
    places left, whether it is full, its public areas, target groups in words, and whether its
    project has a public page."""
    taken = getattr(event, "seats_taken", None) or 0
    event.places_left = None if event.capacity is None else max(event.capacity - taken, 0)
    event.is_full = event.capacity is not None and event.places_left <= 0
    event.is_cancelled = event.status == Event.Status.CANCELLED
    event.registration_open = event.takes_registrations
    event.registration_none = event.registration == Event.Registration.NONE
    event.public_areas = [a for a in event.areas.all() if a.is_published]
    event.target_group_labels = [
        TargetGroup(g).label for g in event.target_groups if g in TargetGroup.values
    ]
    project = event.project
    event.public_project = (
        project
        if project is not None
        and project.is_public
        and project.area_id in {a.pk for a in event.public_areas}
        else None
    )
    return event
