"""Events as iCalendar (RFC 5545): one event as an ``.ics`` file and an area's feed.

Times are written in UTC, which every calendar client reads without a VTIMEZONE block. The UID
is built from the event's slug, which never changes, so a client that imports the file twice or
subscribes to the feed updates the event instead of adding a copy; a cancelled event stays in
the feed with STATUS:CANCELLED so subscribed calendars drop it.
"""

from collections.abc import Callable, Iterable
from datetime import UTC

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from .models import Event

UID_DOMAIN = "omradeloft.oslo.kommune.no"
PRODID = "-//Oslo kommune//Områdeløft medvirkning//NO"


def uid(event: Event) -> str:
    return f"{event.slug}@{UID_DOMAIN}"


def _calendar(name: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def _utc(moment):
    return moment.astimezone(UTC).replace(microsecond=0)


def _vevent(event: Event, url: str, stamp) -> VEvent:
    item = VEvent()
    item.add("uid", uid(event))
    item.add("dtstamp", _utc(stamp))
    item.add("dtstart", _utc(event.starts_at))
    item.add("dtend", _utc(event.ends_at))
    item.add("summary", event.title)
    item.add("description", f"{event.description.strip()}\n\n{url}")
    item.add("location", event.place)
    item.add("url", url)
    item.add("status", "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED")
    if event.updated_at:
        item.add("last-modified", _utc(event.updated_at))
    return item


def event_ics(event: Event, url: str) -> bytes:
    """One event as a calendar file; ``url`` is the absolute address of its page."""
    calendar = _calendar()
    calendar.add_component(_vevent(event, url, timezone.now()))
    return calendar.to_ical()


def feed_ics(name: str, events: Iterable[Event], url_for: Callable[[Event], str]) -> bytes:
    """A calendar named ``name`` with ``events``; ``url_for`` gives each event's address."""
    calendar = _calendar(name)
    stamp = timezone.now()
    for event in events:
        calendar.add_component(_vevent(event, url_for(event), stamp))
    return calendar.to_ical()
