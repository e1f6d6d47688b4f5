"""Input (innspill) from residents: the form, the thank-you page, and an area's public page
"What you said – what we did" with what became of each input.

Input from a signed-in person is shown at once; anonymous input waits until staff have read it
(``services.input_submit``). The public page shows the text, where and when it was given and its
follow-up, never who gave it: ``selectors.area_inputs_public`` does not even load the names.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from areas.selectors import areas_public
from core.forms import show_service_errors
from projects.permissions import projects_public

from .. import selectors, services
from ..forms.public import InputForm
from ..models import Input, Topic
from ._public import INPUT_PREFIX, public_area, public_event

F = Input.FollowUp


def _preselection(area_slug: str, project_slug: str, event_slug: str) -> dict:
    """The public area, project and event an input is about, from their slugs; an unknown or
    unpublished one is left out. A project decides the area; so does an event, unless the area
    given is one of the event's."""
    project = (
        projects_public().select_related("area").filter(slug=project_slug).first()
        if project_slug
        else None
    )
    event = None
    if event_slug:
        try:
            event = public_event(event_slug)
        except Http404:
            event = None
    area = areas_public().filter(slug=area_slug).first() if area_slug else None
    if project is not None:
        area = project.area
    elif event is not None and event.public_areas and area not in event.public_areas:
        area = event.public_areas[0]
    return {
        "area": area,
        "project": project,
        "event": event,
        "area_fixed": project is not None or (event is not None and len(event.public_areas) == 1),
    }


def _slug(value) -> str | None:
    return value.slug if value is not None else None


def input_create(request):
    """GET ?omrade=<area>&prosjekt=<project>&arrangement=<event> preselects what the input is
    about; POST gives the input (``services.input_submit``)."""
    if request.method == "POST":
        posted = request.POST
        about = _preselection(
            posted.get(f"{INPUT_PREFIX}-area", ""),
            posted.get(f"{INPUT_PREFIX}-project", ""),
            posted.get(f"{INPUT_PREFIX}-event", ""),
        )
        form = InputForm(posted, prefix=INPUT_PREFIX, user=request.user)
    else:
        about = _preselection(
            request.GET.get("omrade", ""),
            request.GET.get("prosjekt", ""),
            request.GET.get("arrangement", ""),
        )
        initial = {key: _slug(about[key]) for key in ("area", "project", "event")}
        form = InputForm(prefix=INPUT_PREFIX, user=request.user, initial=initial)
    if about["area_fixed"] and about["area"] is not None:
        form.hide_area()
    if request.method == "POST" and form.is_valid():
        actor = request.user if request.user.is_authenticated else None
        try:
            item = services.input_submit(
                actor=actor, language=translation.get_language(), **form.service_kwargs()
            )
        except ValidationError as exc:
            # The project and event are hidden fields: a mismatch is a question of the area.
            show_service_errors(form, exc, moved={"project": "area", "event": "area"})
        else:
            thanks = reverse("participation:input_thanks")
            return redirect(f"{thanks}?{urlencode({'omrade': item.area.slug})}")
    return render(
        request,
        "participation/input_form.html",
        {"form": form, **about},
        status=400 if form.errors else 200,
    )


@require_GET
def input_thanks(request):
    slug = request.GET.get("omrade", "")
    area = areas_public().filter(slug=slug).first() if slug else None
    return render(request, "participation/input_thanks.html", {"area": area})


def _source(item: Input) -> str:
    """Where the input was given, to follow "Given <date> …"."""
    if item.event is not None:
        return _("at “%(event)s”") % {"event": item.event.title}
    if item.channel == Input.Channel.ONLINE:
        return _("online")
    if item.channel == Input.Channel.EVENT:
        return _("at an event")
    return _("in another way")


@require_GET
def area_inputs(request, slug: str):
    """ "What you said – what we did": the area's shown input by topic, with its outcome."""
    area = public_area(slug)
    counts = selectors.follow_up_counts(area)
    topics = []
    for topic, items in selectors.area_inputs_public(area).items():
        for item in items:
            item.source = _source(item)
            taken = item.taken_into_project
            item.public_project = taken if taken is not None and taken.is_public else None
            about = item.project
            # The project that took the input up is named below; "about" it says nothing more.
            shown = about is not None and about.is_public and about.pk != item.taken_into_project_id
            item.about_project = about if shown else None
        label = Topic(topic).label if topic in Topic.values else topic
        topics.append({"key": topic, "label": label, "items": items})
    status_counts = [
        {"key": status.value, "label": status.label, "count": counts.get(status.value, 0)}
        for status in F
    ]
    return render(
        request,
        "participation/area_inputs.html",
        {
            "area": area,
            "topics": topics,
            "status_counts": status_counts,
            "total": sum(counts.values()),
            "give_input_url": f"{reverse('participation:input_create')}?"
            + urlencode({"omrade": area.slug}),
        },
    )


urlpatterns = [
    path("innspill/ny/", input_create, name="input_create"),
    path("innspill/takk/", input_thanks, name="input_thanks"),
    path("omradeloft/<slug:slug>/innspill/", area_inputs, name="area_inputs"),
]
