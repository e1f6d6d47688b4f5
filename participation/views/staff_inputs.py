"""District staff's input pages: the list, input registered from a physical meeting (one
post-it note after another), and an input's page with its actions (``participation.actions``:
each follow-up step, its project, showing and hiding it).

Input is fetched only through the staff scope: no staff role is a 403, out of scope a 404, an
action whose check refuses a 403 (``core.views.run_action``), and a form the service refuses is
shown again with status 400. The board sees what was said and what became of it, never who said it.
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
from core.views import run_action
from projects.models import Project

from .. import history, permissions, selectors, services
from ..actions import INPUT_ACTIONS
from ..filters import InputFilter
from ..forms.staff import InputRegisterForm
from ..models import Event, Input
from ._staff import get_input, paginate, staff_user

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


def _giver(item: Input) -> dict | None:
    """Who gave the input, as far as it is known; None for anonymous input."""
    if item.author_id:
        return {"name": item.author.full_name, "email": item.author.email, "account": True}
    if item.author_name or item.author_email:
        return {"name": item.author_name, "email": item.author_email, "account": False}
    return None


def _input_context(request, item: Input, bound: dict | None = None) -> dict:
    user = request.user
    can_edit = permissions.can_edit_input(user, item)
    personal = can_edit and permissions.can_see_personal_data(user)
    return {
        "item": item,
        "can_edit": can_edit,
        "personal": personal,
        "giver": _giver(item) if personal else None,
        "reachable": bool(item.contact_email) if personal else None,
        "history": history.input_rows(item, personal),
        "actions": INPUT_ACTIONS.bind(user, item, url_for=lambda a, i: a.url(i), bound=bound),
        "HIDDEN": M.HIDDEN,
    }


@login_required
def staff_input(request, pk: int):
    item = get_input(request, pk)
    return render(request, "participation/staff/input.html", _input_context(request, item))


# --- The input page's actions -------------------------------------------------------------------


def _input_action(name: str):
    """The POST view of action ``name``: out of scope 404, refused 403, errors 400."""
    action = INPUT_ACTIONS[name]

    @login_required
    @require_POST
    def view(request, pk: int):
        item = get_input(request, pk)
        done, form = run_action(request, action, item)
        if done:
            return redirect("participation:staff_input", pk=item.pk)
        item = get_input(request, pk)
        context = _input_context(request, item, bound={name: form})
        return render(request, "participation/staff/input.html", context, status=400)

    view.__name__ = f"staff_input_{name}"
    return view


# --- URLs ---------------------------------------------------------------------------------------

INPUT = "intern/innspill/<int:pk>/"

urlpatterns = [
    path("intern/innspill/", staff_inputs, name="staff_inputs"),
    path("intern/innspill/ny/", staff_input_create, name="staff_input_create"),
    path(INPUT, staff_input, name="staff_input"),
    *(
        path(
            f"{INPUT}{action.path}/", _input_action(action.name), name=f"staff_input_{action.name}"
        )
        for action in INPUT_ACTIONS
    ),
]
