"""District staff pages outside a single case: the case queue and the rounds with their form.

The case page and its actions are in ``staff_case``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from core.forms import show_service_errors

from .. import deadlines, permissions, selectors, services
from ..filters import CaseFilter
from ..forms.staff import RoundForm
from ..models import Appeal, GrantRound
from ..services.rounds import ROUND_FIELDS
from ._common import S

QUEUE_PAGE_SIZE = 25


# --- The case queue -----------------------------------------------------------------------------


@login_required
def staff_queue(request):
    user = request.user
    if not permissions.can_view_cases(user):
        raise PermissionDenied
    case_filter = CaseFilter(request.GET, queryset=selectors.case_queue(user), user=user)
    page = Paginator(case_filter.qs, QUEUE_PAGE_SIZE).get_page(request.GET.get("side"))
    today = timezone.localdate()
    for case in page:
        _mark_appeal(case, today)
    query = request.GET.copy()
    query.pop("side", None)
    return render(
        request,
        "grants/staff/queue.html",
        {
            "filter": case_filter,
            "page": page,
            "query": query.urlencode(),
            "GRANTED": S.GRANTED,
        },
    )


def _mark_appeal(case, today) -> None:
    """What the queue shows of an open appeal: its stage and, while it is the district's to
    handle, the date to handle it by (computed from the annotations; no query)."""
    case.appeal_label = case.appeal_handle_by = None
    case.appeal_overdue = False
    if not case.appeal_status:
        return
    case.appeal_label = Appeal.Status(case.appeal_status).label
    if case.appeal_status != Appeal.Status.FORWARDED:
        received_on = timezone.localdate(case.appeal_received_at)
        case.appeal_handle_by = deadlines.appeal_handling_deadline(received_on)
        case.appeal_overdue = case.appeal_handle_by < today


# --- Rounds -------------------------------------------------------------------------------------


@login_required
def staff_rounds(request):
    """Every round with its figures: counts and sums only, never an applicant's data."""
    if not permissions.can_view_round_figures(request.user):
        raise PermissionDenied
    return render(
        request,
        "grants/staff/rounds.html",
        {
            "rows": selectors.round_statistics(),
            "can_manage": permissions.can_manage_rounds(request.user),
        },
    )


def _round_form(request, grant_round: GrantRound | None):
    if not permissions.can_manage_rounds(request.user):
        raise PermissionDenied
    # Validation writes the typed values onto the instance; the heading keeps the saved title.
    context = {"grant_round": grant_round, "title": grant_round.title if grant_round else ""}
    form = context["form"] = RoundForm(request.POST or None, instance=grant_round)
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in ROUND_FIELDS}
            try:
                saved = services.round_save(
                    actor=request.user,
                    instance=grant_round,
                    areas=form.cleaned_data["areas"],
                    **data,
                )
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The round “%(title)s” is saved.") % {"title": saved.title},
                )
                return redirect("grants:staff_rounds")
        return render(request, "grants/staff/round_form.html", context, status=400)
    return render(request, "grants/staff/round_form.html", context)


@login_required
def staff_round_create(request):
    return _round_form(request, None)


@login_required
def staff_round_edit(request, slug: str):
    if not permissions.can_manage_rounds(request.user):
        raise PermissionDenied
    return _round_form(request, get_object_or_404(GrantRound, slug=slug))


urlpatterns = [
    path("intern/tilskudd/", staff_queue, name="staff_queue"),
    path("intern/tilskudd/utlysninger/", staff_rounds, name="staff_rounds"),
    path("intern/tilskudd/utlysninger/ny/", staff_round_create, name="staff_round_create"),
    path(
        "intern/tilskudd/utlysninger/<slug:slug>/endre/",
        staff_round_edit,
        name="staff_round_edit",
    ),
]
