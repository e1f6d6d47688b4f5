"""The public event pages: the list of upcoming events with its filter, an event's page with
the registration form, registering, and the events as calendar files (one event, an area's feed).

Events are fetched only through the public scope (``selectors.event_public``): a draft, or an
event only in unpublished areas, is a 404. Registering is ``services.registration_create``; its
ValidationError is shown on the field it names and the event page is re-rendered with status 400
and everything the person typed. The pages for a registration (by its token) are in
``public_registrations``; input and "what you said – what we did" in ``public_inputs``.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import versions
from core.forms import show_service_errors
from core.page_cache import cached_for_visitors
from core.pagination import paginate

from .. import ical, selectors, services
from ..forms.public import EventFilterForm, InputForm, RegistrationForm
from ..models import Registration
from ._public import INPUT_PREFIX, describe, public_area, public_event

# How far back an area's calendar feed reaches, so subscribed calendars keep recent events.
FEED_PAST = timedelta(days=90)
# The list of coming events shows this many a page.
EVENTS_PAGE_SIZE = 20


# Coming events drop off the list as they end, and registration closes with the clock: the
# pages are renewed every minute besides whenever the data changes.
CLOCK_SECONDS = 60
EVENT_TOPICS = (versions.PARTICIPATION, versions.AREAS, versions.PROJECTS)


@require_GET
@cached_for_visitors(*EVENT_TOPICS, seconds=CLOCK_SECONDS)
def events(request):
    form = EventFilterForm(request.GET or None)
    area, kind = None, ""
    if form.is_bound and form.is_valid():
        area, kind = form.cleaned_data["omrade"], form.cleaned_data["type"]
    page, query = paginate(
        request,
        selectors.events_upcoming(area=area, kind=kind, prepared=False),
        EVENTS_PAGE_SIZE,
        prepare=selectors.prepare_events,
    )
    page.object_list = [describe(e) for e in page.object_list]
    return render(
        request,
        "participation/events.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "area": area,
            "filtered": bool(area or kind),
        },
        status=400 if form.errors else 200,
    )


def _own_registration(user, event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return selectors.my_registrations(user).filter(event=event).first()


def _input_form(request, event) -> InputForm:
    area = event.public_areas[0] if event.public_areas else None
    initial = {
        "area": area.slug if area else None,
        "event": event.slug,
        "project": event.public_project.slug if event.public_project else None,
    }
    form = InputForm(prefix=INPUT_PREFIX, user=request.user, initial=initial)
    if len(event.public_areas) == 1:
        form.hide_area()
    return form


def _detail(request, event, registration_form=None, status: int = 200):
    own = _own_registration(request.user, event)
    if registration_form is None and event.registration_open and own is None:
        registration_form = RegistrationForm(user=request.user)
    return render(
        request,
        "participation/event_detail.html",
        {
            "event": event,
            "form": registration_form,
            "own_registration": own,
            "input_form": _input_form(request, event),
            "ics_url": reverse("participation:event_ics", args=[event.slug]),
        },
        status=status,
    )


@require_GET
@cached_for_visitors(*EVENT_TOPICS, seconds=CLOCK_SECONDS)
def event_detail(request, slug: str):
    return _detail(request, public_event(slug))


@require_POST
def event_register(request, slug: str):
    event = public_event(slug)
    form = RegistrationForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            registration = services.registration_create(
                event=event,
                actor=request.user if request.user.is_authenticated else None,
                language=translation.get_language(),
                **form.service_kwargs(),
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            return redirect("participation:registration_status", token=registration.token)
    return _detail(request, event, registration_form=form, status=400)


def _calendar_response(body: bytes, filename: str, attachment: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _absolute_url(request, event) -> str:
    return request.build_absolute_uri(reverse("participation:event_detail", args=[event.slug]))


@require_GET
def event_ics(request, slug: str):
    event = public_event(slug)
    body = ical.event_ics(event, _absolute_url(request, event))
    return _calendar_response(body, f"{event.slug}.ics", attachment=True)


@require_GET
def area_calendar(request, slug: str):
    """A calendar feed to subscribe to: the area's published events, recent and upcoming.
    Cancelled events stay in the feed as cancelled, so subscribed calendars drop them."""
    area = public_area(slug)
    event_list = selectors.events_upcoming(area=area, at=timezone.now() - FEED_PAST)
    body = ical.feed_ics(
        _("Participation in %(area)s") % {"area": area.name},
        event_list,
        lambda event: _absolute_url(request, event),
    )
    return _calendar_response(body, f"{area.slug}.ics", attachment=False)


urlpatterns = [
    path("medvirkning/", events, name="events"),
    path("medvirkning/<slug:slug>/", event_detail, name="event_detail"),
    path("medvirkning/<slug:slug>/pamelding/", event_register, name="event_register"),
    path("medvirkning/<slug:slug>/kalender.ics", event_ics, name="event_ics"),
    path("omradeloft/<slug:slug>/kalender.ics", area_calendar, name="area_calendar"),
]
