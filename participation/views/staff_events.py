"""District staff's event pages: the list, the editor, and the event page with its actions
(publish, cancel, attendance, check-in).

Events are fetched only through the staff scope: no staff role is a 403, out of scope a 404,
an action the user may not take a 403, and a form the service refuses is shown again with
status 400. The board reads the event page as counts only: no name, address or need of anyone
registered.
"""

from collections.abc import Callable

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

from .. import permissions, selectors, services
from ..filters import EventFilter
from ..forms.staff import AttendanceForm, CancelForm, EmptyForm, EventForm
from ..models import Event, EventChange, Registration, TargetGroup
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
    if not permissions.can_edit_event(request.user, event):
        raise PermissionDenied
    return _event_form(request, event)


# --- The event page -----------------------------------------------------------------------------

# History rows whose actor is the person registered, not staff: the board does not see who.
_REGISTRANT_ACTIONS = {"cancelled_registration"}


def _change_detail(change: EventChange, registrations: dict, personal: bool) -> str:
    """What a history row adds to its summary, from the row's data, in the reader's language."""
    data = change.data or {}
    parts = []
    if data.get("reason"):
        parts.append(data["reason"])
    if data.get("fields"):
        names = {f.name: str(f.verbose_name) for f in Event._meta.fields}
        parts.append(", ".join(names.get(name, name) for name in data["fields"]))
    if "total" in data:
        parts.append(_("%(total)s came") % {"total": data["total"]})
    if personal and data.get("pk") in registrations:
        parts.append(registrations[data["pk"]].name)
    return " · ".join(parts)


def _history(event: Event, registrations: dict, personal: bool) -> list[dict]:
    rows = []
    for change in event.changes.all():
        hidden = not personal and change.action in _REGISTRANT_ACTIONS
        rows.append(
            {
                "change": change,
                "who": None if hidden else change.actor,
                "hidden": hidden and change.actor_id is not None,
                "detail": _change_detail(change, registrations, personal),
            }
        )
    return rows


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

    action_forms = {}
    if can_edit:
        if event.status == Event.Status.DRAFT or "publish" in bound:
            action_forms["publish"] = bound.get("publish") or EmptyForm(prefix="publish")
        if event.status == Event.Status.PUBLISHED or "cancel" in bound:
            action_forms["cancel"] = bound.get("cancel") or CancelForm(prefix="cancel")
        if started or "attendance" in bound:
            action_forms["attendance"] = bound.get("attendance") or AttendanceForm(
                prefix="attendance", initial=AttendanceForm.initial_from(event)
            )
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
        "history": _history(event, {r.pk: r for r in registrations}, personal),
        "forms": action_forms,
        "DRAFT": Event.Status.DRAFT,
        "CANCELLED": Event.Status.CANCELLED,
        **extra,
    }


@login_required
def staff_event(request, slug: str):
    event = get_event(request, slug)
    return render(request, "participation/staff/event.html", _event_context(request, event))


# --- The event page's actions -------------------------------------------------------------------


def _publish(request, event: Event, form) -> str:
    services.event_publish(actor=request.user, event=event)
    return _("The event is published and shown on the public pages.")


def _cancel(request, event: Event, form) -> str:
    services.event_cancel(actor=request.user, event=event, reason=form.cleaned_data["reason"])
    return _("The event is cancelled. Everyone registered is told by email.")


def _attendance(request, event: Event, form) -> str:
    services.attendance_record(actor=request.user, event=event, **form.service_data())
    return _("The attendance is recorded.")


ACTIONS: dict[str, tuple[type, Callable]] = {
    "publish": (EmptyForm, _publish),
    "cancel": (CancelForm, _cancel),
    "attendance": (AttendanceForm, _attendance),
}


def _editable_event(request, slug: str) -> Event:
    event = get_event(request, slug)
    if not permissions.can_edit_event(request.user, event):
        raise PermissionDenied
    return event


def _event_action(name: str):
    """The POST view for action ``name``: out of scope 404, not allowed 403, errors 400."""
    form_class, perform = ACTIONS[name]

    @login_required
    @require_POST
    def view(request, slug: str):
        event = _editable_event(request, slug)
        form = form_class(request.POST, prefix=name)
        if form.is_valid():
            try:
                message = perform(request, event, form)
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(request, message)
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
    event = _editable_event(request, slug)
    registration = next((r for r in event.registrations.all() if r.pk == registration_pk), None)
    if registration is None:
        raise Http404
    present = request.POST.get("present", "1") != "0"
    url = reverse("participation:staff_event", kwargs={"slug": event.slug})
    try:
        registration = services.registration_check_in(
            actor=request.user, registration=registration, present=present
        )
    except ValidationError as exc:
        if request.htmx:
            # htmx swaps nothing on an error status: show the whole page with the message.
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseClientRedirect(url)
        context = _event_context(request, event, check_in_errors=exc.messages)
        return render(request, "participation/staff/event.html", context, status=400)
    if request.htmx:
        context = _event_context(request, get_event(request, slug))
        return render(request, "participation/staff/partials/_check_in.html", context)
    if present:
        message = _("%(name)s is checked in.") % {"name": registration.name}
    else:
        message = _("%(name)s is no longer checked in.") % {"name": registration.name}
    messages.success(request, message)
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
