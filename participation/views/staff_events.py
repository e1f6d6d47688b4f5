"""District staff's event pages: the list, the editor, and the event page with its actions
(publish, cancel, attendance, check-in), each one object in ``participation.actions``.

Events are fetched only through the staff scope: no staff role is a 403, out of scope a 404,
an action whose check refuses a 403 (``core.views.run_action``), and a form the service refuses
is shown again with status 400. The board reads the event page as counts only: no name,
address or need of anyone registered.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.permissions import districts_for
from core.forms import show_service_errors
from core.views import run_action

from .. import history, permissions, selectors, services
from ..actions import CHECK_IN, EDIT_EVENT, EVENT_ACTIONS, UNDO_CHECK_IN
from ..filters import EventFilter
from ..forms.staff import EventForm
from ..models import Event, Registration, TargetGroup
from ._staff import get_event, paginate, staff_user

R = Registration.Status

# --- The list -----------------------------------------------------------------------------------


@login_required
def staff_events(request):
    user = staff_user(request)
    event_filter = EventFilter(request.GET, queryset=selectors.staff_events(user), user=user)
    page, query = paginate(request, event_filter.qs)
    return render(
        request,
        "participation/staff/events.html",
        {
            "filter": event_filter,
            "page": page,
            "query": query,
            "now": timezone.now(),
            "can_create": permissions.can_create(user),
            "NO_REGISTRATION": Event.Registration.NONE,
            "CANCELLED": Event.Status.CANCELLED,
        },
    )


# --- The editor ---------------------------------------------------------------------------------


def _event_form(request, event: Event | None):
    user = request.user
    initial = {}
    if event is None:
        districts = list(districts_for(user, permissions.EDITOR_ROLES))
        if len(districts) == 1:
            initial["organiser"] = str(districts[0])
    form = EventForm(
        request.POST or None,
        instance=event,
        initial=initial,
        areas=permissions.areas_for_editor(user),
    )
    # Validation writes the typed values onto the instance; the heading keeps the saved title.
    context = {"form": form, "event": event, "title": event.title if event else ""}
    if request.method == "POST":
        if form.is_valid():
            try:
                if event is None:
                    saved = services.event_create(actor=user, **form.service_data())
                else:
                    # The editor is an action of its own: the service refuses with its check.
                    saved = services.event_update(actor=user, event=event, **form.service_data())
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                if event is None:
                    message = _("The event is saved as a draft. Publish it when it is ready.")
                else:
                    message = _("The changes to the event are saved.")
                messages.success(request, message)
                return redirect("participation:staff_event", slug=saved.slug)
        return render(request, "participation/staff/event_form.html", context, status=400)
    return render(request, "participation/staff/event_form.html", context)


@login_required
def staff_event_create(request):
    if not permissions.can_create(staff_user(request)):
        raise PermissionDenied
    return _event_form(request, None)


@login_required
def staff_event_edit(request, slug: str):
    event = get_event(request, slug)
    refusal = EDIT_EVENT.check(request.user, event)
    if refusal is not None:
        raise PermissionDenied(str(refusal))
    return _event_form(request, event)


# --- The event page -----------------------------------------------------------------------------


def _people(registrations: list[Registration]) -> int:
    return sum(r.people for r in registrations)


def _event_context(request, event: Event, bound: dict | None = None, **extra) -> dict:
    user = request.user
    bound = bound or {}
    can_edit = permissions.can_edit_event(user, event)
    personal = can_edit and permissions.can_see_personal_data(user)
    registrations = list(event.registrations.all())
    by_status = {status: [r for r in registrations if r.status == status] for status in R.values}
    confirmed = by_status[R.CONFIRMED]
    checked_in = [r for r in confirmed if r.checked_in_at]
    started = event.starts_at <= timezone.now()
    for registration in confirmed:
        # The button at the door: whichever of the two actions this row allows, if any.
        registration.event = event
        registration.door_action = next(
            (a.name for a in (CHECK_IN, UNDO_CHECK_IN) if a.allowed(user, registration)), ""
        )
    actions = EVENT_ACTIONS.bind(user, event, url_for=lambda a, e: a.url(e), bound=bound)
    groups = event.attendance_by_group or {}
    return {
        "event": event,
        "can_edit": can_edit,
        "personal": personal,
        "areas": list(event.areas.all()),
        "target_groups": [
            TargetGroup(g).label for g in event.target_groups if g in TargetGroup.values
        ],
        "confirmed": confirmed,
        "waitlisted": by_status[R.WAITLISTED],
        "pending": by_status[R.PENDING],
        "counts": {
            "confirmed": len(confirmed),
            "confirmed_people": _people(confirmed),
            "waitlisted": len(by_status[R.WAITLISTED]),
            "waitlisted_people": _people(by_status[R.WAITLISTED]),
            "pending": len(by_status[R.PENDING]),
            "cancelled": len(by_status[R.CANCELLED]),
            "checked_in": len(checked_in),
            "checked_in_people": _people(checked_in),
        },
        "places_left": (
            None if event.capacity is None else max(event.capacity - _people(confirmed), 0)
        ),
        "started": started,
        "attendance_rows": [
            (TargetGroup(g).label, n) for g, n in groups.items() if g in TargetGroup.values
        ],
        "inputs": list(event.inputs.all()),
        "history": history.event_rows(event, {r.pk: r for r in registrations}, personal),
        "actions": actions,
        "can_change": EDIT_EVENT.allowed(user, event),
        "DRAFT": Event.Status.DRAFT,
        "CANCELLED": Event.Status.CANCELLED,
        **extra,
    }


@login_required
def staff_event(request, slug: str):
    event = get_event(request, slug)
    return render(request, "participation/staff/event.html", _event_context(request, event))


# --- The event page's actions -------------------------------------------------------------------


def _event_action(name: str):
    """The POST view of action ``name``: out of scope 404, refused 403, errors 400."""
    action = EVENT_ACTIONS[name]

    @login_required
    @require_POST
    def view(request, slug: str):
        event = get_event(request, slug)
        done, form = run_action(request, action, event)
        if done:
            return redirect("participation:staff_event", slug=event.slug)
        event = get_event(request, slug)
        context = _event_context(request, event, bound={name: form})
        return render(request, "participation/staff/event.html", context, status=400)

    view.__name__ = f"staff_event_{name}"
    return view


@login_required
@require_POST
def staff_check_in(request, slug: str, registration_pk: int):
    """Tick a confirmed registration off the check-in list, or undo it (``present=0``).

    At the door htmx posts the row's form and swaps in the list again (with the count); without
    JavaScript the form posts and the page comes back at the row.
    """
    event = get_event(request, slug)
    registration = next((r for r in event.registrations.all() if r.pk == registration_pk), None)
    if registration is None:
        raise Http404
    registration.event = event
    action = CHECK_IN if request.POST.get("present", "1") != "0" else UNDO_CHECK_IN
    url = reverse("participation:staff_event", kwargs={"slug": event.slug})
    refusal = action.check(request.user, registration)
    if refusal is not None and permissions.can_edit_event(request.user, event):
        # At the door the list may be out of date (a colleague ticked the same person): say so
        # with the list as it is now, rather than a bare 403.
        if request.htmx:
            # htmx swaps nothing on an error status: show the whole page with the message.
            messages.error(request, str(refusal))
            return HttpResponseClientRedirect(url)
        context = _event_context(request, event, check_in_errors=[str(refusal)])
        return render(request, "participation/staff/event.html", context, status=400)
    run_action(request, action, registration)
    if request.htmx:
        # The list says what happened, in a live region, instead of a message on the next page.
        notes = [str(message) for message in messages.get_messages(request)]
        context = _event_context(request, get_event(request, slug), check_in_notes=notes)
        return render(request, "participation/staff/partials/_check_in.html", context)
    return redirect(f"{url}#registration-{registration.pk}")


# --- URLs ---------------------------------------------------------------------------------------

EVENT = "intern/medvirkning/<slug:slug>/"

urlpatterns = [
    path("intern/medvirkning/", staff_events, name="staff_events"),
    # Before the event's own address, which would otherwise take "ny" for a slug.
    path("intern/medvirkning/ny/", staff_event_create, name="staff_event_create"),
    path(EVENT, staff_event, name="staff_event"),
    path(EVENT + "endre/", staff_event_edit, name="staff_event_edit"),
    path(EVENT + "publiser/", _event_action("publish"), name="staff_event_publish"),
    path(EVENT + "avlys/", _event_action("cancel"), name="staff_event_cancel"),
    path(EVENT + "oppmote/", _event_action("attendance"), name="staff_attendance"),
    path(
        EVENT + "innsjekk/<int:registration_pk>/",
        staff_check_in,
        name="staff_check_in",
    ),
]
