"""Staff pages of the handlingsprogram: the list, starting one, the programme's page with its
actions, and its history. Writing the content is in ``staff_writing``, the PDF in
``staff_pdf``; this module's ``urlpatterns`` holds them all.

Programmes are fetched only through the staff scope (``permissions.programmes_visible_to``):
no staff role is a 403, out of scope a 404. Every page reads for everyone in scope; every POST
asks the action's check first, so a role that may not write gets a 403 and a programme that is
adopted shows the action's reason on the page (status 400) with nothing written. The board
and the district's case handlers read the same pages without any form.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import show_service_errors
from core.pagination import paginate
from core.views import run_action

from .. import history, permissions, selectors, services
from ..actions import PROGRAMME_ACTIONS
from ..filters import ProgrammeFilter
from ..forms import ProgrammeCreateForm
from . import staff_pdf, staff_writing
from ._staff import (
    HISTORY_PAGE_SIZE,
    PAGE_SIZE,
    PROGRAMME,
    get_programme,
    programme_page,
    staff_user,
)

# --- The list and starting a programme ----------------------------------------------------------


def _create_form(user, data=None):
    areas = permissions.areas_for_editor(user)
    if not areas.exists():
        return None
    return ProgrammeCreateForm(data, areas=areas)


@login_required
def staff_programmes(request):
    user = staff_user(request)
    programme_filter = ProgrammeFilter(
        request.GET or None, queryset=permissions.programmes_visible_to(user)
    )
    page, query = paginate(request, selectors.programme_list(programme_filter.qs), PAGE_SIZE)
    return render(
        request,
        "programmes/staff/programme_list.html",
        {
            "filter": programme_filter,
            "page": page,
            "query": query,
            "create_form": _create_form(user),
        },
    )


@login_required
def staff_programme_create(request):
    user = staff_user(request)
    form = _create_form(user, request.POST if request.method == "POST" else None)
    if form is None:
        raise PermissionDenied
    if request.method == "POST":
        if form.is_valid():
            try:
                programme = services.programme_create(actor=user, **form.cleaned_data)
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The programme for %(year)s is started as a draft.")
                    % {"year": programme.year},
                )
                return redirect("programmes:staff_programme", pk=programme.pk)
        return render(request, "programmes/staff/programme_create.html", {"form": form}, status=400)
    return render(request, "programmes/staff/programme_create.html", {"form": form})


@login_required
def staff_programme(request, pk: int):
    return programme_page(request, get_programme(request, pk))


@login_required
@require_POST
def staff_action(request, pk: int, name: str):
    """The POST view of a status action: out of scope 404, refused 403, errors 400."""
    programme = get_programme(request, pk)
    if name not in PROGRAMME_ACTIONS:
        raise Http404
    done, form = run_action(request, PROGRAMME_ACTIONS[name], programme)
    if done:
        return redirect("programmes:staff_programme", pk=programme.pk)
    return programme_page(request, get_programme(request, pk), status=400, bound={name: form})


# --- History ------------------------------------------------------------------------------------


@login_required
def staff_history(request, pk: int):
    programme = get_programme(request, pk)
    page, query = paginate(request, selectors.changes(programme), HISTORY_PAGE_SIZE)
    return render(
        request,
        "programmes/staff/history.html",
        {"programme": programme, "page": page, "rows": history.describe(page), "query": query},
    )


# --- URLs ---------------------------------------------------------------------------------------

urlpatterns = [
    path("intern/handlingsprogram/", staff_programmes, name="staff_programmes"),
    path("intern/handlingsprogram/ny/", staff_programme_create, name="staff_programme_create"),
    path(PROGRAMME, staff_programme, name="staff_programme"),
    path(PROGRAMME + "handling/<str:name>/", staff_action, name="staff_action"),
    path(PROGRAMME + "historikk/", staff_history, name="staff_history"),
    *staff_writing.urlpatterns,
    *staff_pdf.urlpatterns,
]
