"""District staff's input pages: the list, input registered from a physical meeting (one
post-it note after another), and an input's page with its moderation and follow-up.

Input is fetched only through the staff scope: no staff role is a 403, out of scope a 404, an
action the user may not take a 403, and a form the service refuses is shown again with status
400. The board sees what was said and what became of it, never who said it.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import show_service_errors
from projects.models import Project
from projects.permissions import projects_visible_to

from .. import permissions, selectors, services
from ..filters import InputFilter
from ..forms.staff import FollowUpForm, InputRegisterForm, ModerateForm
from ..models import Event, Input
from ._staff import get_input, paginate, staff_user

F = Input.FollowUp
M = Input.Moderation

# --- The list -----------------------------------------------------------------------------------


@login_required
def staff_inputs(request):
    user = staff_user(request)
    input_filter = InputFilter(request.GET, queryset=selectors.staff_inputs(user), user=user)
    page, query = paginate(request, input_filter.qs)
    return render(
        request,
        "participation/staff/inputs.html",
        {
            "filter": input_filter,
            "page": page,
            "query": query,
            "can_create": permissions.can_create(user),
        },
    )


# --- Input registered by staff ------------------------------------------------------------------


def _visible_events(user):
    return Event.objects.filter(pk__in=permissions.events_visible_to(user).values("pk"))


def _initial(request, areas, events) -> dict:
    """The area, event and project to preselect from ``?omrade=``, ``?arrangement=`` and
    ``?prosjekt=``, each only if the user may choose it."""
    initial = {"channel": Input.Channel.EVENT}
    event_slug = request.GET.get("arrangement", "")
    event = events.filter(slug=event_slug).first() if event_slug else None
    area = None
    if request.GET.get("omrade"):
        area = areas.filter(slug=request.GET["omrade"]).first()
    if area is None and event is not None:
        area = areas.filter(events=event).order_by("name").first()
    project_slug = request.GET.get("prosjekt", "")
    project = (
        Project.objects.filter(area__in=areas, slug=project_slug).first() if project_slug else None
    )
    if area is None and project is not None:
        area = project.area
    initial.update(area=area, event=event, project=project)
    return initial


def _next_note_url(item: Input) -> str:
    """The form again, with the same area, event and project chosen."""
    query = {"omrade": item.area.slug}
    if item.event_id:
        query["arrangement"] = item.event.slug
    if item.project_id:
        query["prosjekt"] = item.project.slug
    query["lagret"] = item.pk
    return reverse("participation:staff_input_create") + "?" + urlencode(query)


@login_required
def staff_input_create(request):
    user = staff_user(request)
    if not permissions.can_create(user):
        raise PermissionDenied
    areas = permissions.areas_for_editor(user)
    events = _visible_events(user)
    # The preselection also names the event in the heading when a POST is sent back.
    initial = _initial(request, areas, events)
    form = InputRegisterForm(request.POST or None, initial=initial, areas=areas, events=events)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.input_register(
                actor=user,
                area=data["area"],
                event=data["event"],
                project=data["project"],
                text=data["text"],
                topic=data["topic"],
                sub_goal=data["sub_goal"],
                name=data["name"],
                email=data["email"],
                consent=data["consent"],
                channel=data["channel"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            if item.event_id:
                message = _("Saved. Register another from the same event below.")
            else:
                message = _("Saved. Register another below.")
            messages.success(request, message)
            return redirect(_next_note_url(item))
    event = initial["event"]
    saved = None
    if request.method == "GET" and request.GET.get("lagret", "").isdecimal():
        saved = permissions.inputs_visible_to(user).filter(pk=request.GET["lagret"]).first()
    context = {
        "form": form,
        "event": event,
        "saved": saved,
        "from_event": (
            list(selectors.staff_inputs(user).filter(event=event)[:50]) if event else []
        ),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "participation/staff/input_form.html", context, status=status)


# --- The input page -----------------------------------------------------------------------------


def _field_label(field: str) -> str:
    labels = {"created": _("Received"), "moderation": _("Moderation"), "follow_up": _("Follow-up")}
    return labels.get(field, field)


def _value_label(field: str, value: str) -> str:
    choices = Input.Moderation if field == "moderation" else Input.FollowUp
    return str(choices(value).label) if value in choices.values else value


def _history(item: Input, personal: bool) -> list[dict]:
    rows = []
    for change in item.changes.all():
        # Input given online is recorded as the giver's own step: the board never sees who.
        by_giver = change.actor_id is not None and change.actor_id == item.author_id
        rows.append(
            {
                "change": change,
                "what": _field_label(change.field),
                "old": _value_label(change.field, change.old) if change.old else "",
                "new": _value_label(change.field, change.new),
                "who": change.actor if personal or not by_giver else None,
                "hidden": not personal and by_giver,
            }
        )
    return rows


def _giver(item: Input) -> dict | None:
    """Who gave the input, as far as it is known; None for anonymous input."""
    if item.author_id:
        return {"name": item.author.full_name, "email": item.author.email, "account": True}
    if item.author_name or item.author_email:
        return {"name": item.author_name, "email": item.author_email, "account": False}
    return None


def _input_context(request, item: Input, bound: dict | None = None) -> dict:
    user = request.user
    bound = bound or {}
    can_edit = permissions.can_edit_input(user, item)
    personal = can_edit and permissions.can_see_personal_data(user)
    action_forms = {}
    if can_edit:
        action_forms["moderate"] = bound.get("moderate") or ModerateForm(
            prefix="moderate",
            initial={
                "show": "no" if item.moderation == M.HIDDEN else "yes",
                "reason": item.hidden_reason,
            },
        )
        if services.FOLLOW_UP.get(item.follow_up) or "follow_up" in bound:
            action_forms["follow_up"] = bound.get("follow_up") or _follow_up_form(request, item)
    return {
        "item": item,
        "can_edit": can_edit,
        "personal": personal,
        "giver": _giver(item) if personal else None,
        "reachable": bool(item.contact_email) if personal else None,
        "history": _history(item, personal),
        "forms": action_forms,
        "HIDDEN": M.HIDDEN,
        "PENDING": M.PENDING,
    }


def _follow_up_form(request, item: Input, data=None) -> FollowUpForm:
    return FollowUpForm(
        data, prefix="follow_up", item=item, projects=projects_visible_to(request.user)
    )


@login_required
def staff_input(request, pk: int):
    item = get_input(request, pk)
    return render(request, "participation/staff/input.html", _input_context(request, item))


# --- The input page's actions -------------------------------------------------------------------


def _editable_input(request, pk: int) -> Input:
    item = get_input(request, pk)
    if not permissions.can_edit_input(request.user, item):
        raise PermissionDenied
    return item


def _refused(request, pk: int, name: str, form):
    item = get_input(request, pk)
    context = _input_context(request, item, bound={name: form})
    return render(request, "participation/staff/input.html", context, status=400)


@login_required
@require_POST
def staff_input_moderate(request, pk: int):
    item = _editable_input(request, pk)
    form = ModerateForm(request.POST, prefix="moderate")
    if form.is_valid():
        show = form.cleaned_data["show"]
        try:
            services.input_moderate(
                actor=request.user, item=item, show=show, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            if show:
                messages.success(request, _("The input is shown on the area's page."))
            else:
                messages.success(request, _("The input is hidden. The reason is recorded."))
            return redirect("participation:staff_input", pk=item.pk)
    return _refused(request, pk, "moderate", form)


@login_required
@require_POST
def staff_input_follow_up(request, pk: int):
    item = _editable_input(request, pk)
    form = _follow_up_form(request, item, data=request.POST)
    if form.is_valid():
        try:
            item = services.input_follow_up(actor=request.user, item=item, **form.service_data())
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            message = _("The follow-up is saved.")
            if item.contact_email:
                message += " " + _("Whoever gave the input is told by email.")
            messages.success(request, message)
            return redirect("participation:staff_input", pk=item.pk)
    return _refused(request, pk, "follow_up", form)


# --- URLs ---------------------------------------------------------------------------------------

INPUT = "intern/innspill/<int:pk>/"

urlpatterns = [
    path("intern/innspill/", staff_inputs, name="staff_inputs"),
    path("intern/innspill/ny/", staff_input_create, name="staff_input_create"),
    path(INPUT, staff_input, name="staff_input"),
    path(INPUT + "moderer/", staff_input_moderate, name="staff_input_moderate"),
    path(INPUT + "oppfolging/", staff_input_follow_up, name="staff_input_follow_up"),
]
