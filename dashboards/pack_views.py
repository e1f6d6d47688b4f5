"""The board pack's pages: asking for it (a POST with the dashboard's filters), its status
while it is being made, and the download from private storage.

Only those who may see a dashboard's scope ask for its pack or read it: the board and the
secretariat for the whole programme, a programme or project leader for their own district
(``dashboards.permissions``). The house rule: no dashboard at all is a 403, a pack outside the
reader's scope a 404. The status page reloads itself without JavaScript (a refresh inside
``<noscript>``) and, with htmx, asks for its status fragment every few seconds instead.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.files import private_file_response

from . import permissions, services
from .figures import Scope
from .models import BoardPack

P = BoardPack.Status
# How often the status asks again while the pack is queued or being made.
POLL_SECONDS = 2
MAX_ID = 2**63 - 1


# --- Asking for a pack --------------------------------------------------------------------------


def _dashboard_url(district_slug: str | None, filters: dict | None = None) -> str:
    if district_slug:
        url = reverse("dashboards:district", kwargs={"slug": district_slug})
    else:
        url = reverse("dashboards:programme")
    return f"{url}?{urlencode(filters)}" if filters else url


def _ask(request, scope: Scope, district_slug: str | None):
    try:
        filters = services.filters_from_data(request.POST)
        if (
            scope.district_ids is not None
            and filters.district is not None
            and filters.district not in scope.district_ids
        ):
            raise ValidationError(_("The filters are not valid: that district is not yours."))
    except ValidationError as exc:
        return render(
            request,
            "dashboards/pack/invalid.html",
            {"errors": exc.messages, "back_url": _dashboard_url(district_slug)},
            status=400,
        )
    board_pack = services.pack_request(actor=request.user, filters=filters, scope=scope)
    return redirect("dashboards:pack_status", pk=board_pack.pk)


@login_required
@require_POST
def pack_request(request):
    """The board pack of the programme dashboard for the filters the form sent."""
    scope = permissions.programme_scope(request.user)
    return _ask(request, scope, None)


@login_required
@require_POST
def district_pack_request(request, slug: str):
    """The board pack of a district's dashboard for the filters the form sent."""
    district, scope = permissions.district_scope(request.user, slug)
    return _ask(request, scope, district.slug)


# --- The pack -----------------------------------------------------------------------------------


def may_see(user, board_pack: BoardPack) -> bool:
    """Whether ``user`` may see the dashboard of the pack's scope: every district it covers
    must be one of theirs (the whole programme: the board and the secretariat)."""
    allowed = permissions.dashboard_district_ids(user)
    if allowed is None:
        return True
    covered = board_pack.district_ids
    return covered is not None and bool(covered) and covered <= allowed


def get_pack(request, pk: int) -> BoardPack:
    if not permissions.can_view_dashboards(request.user):
        raise PermissionDenied
    if pk > MAX_ID:
        raise Http404
    board_pack = BoardPack.objects.filter(pk=pk).first()
    if board_pack is None or not may_see(request.user, board_pack):
        raise Http404
    return board_pack


def _district_slug(board_pack: BoardPack) -> str | None:
    from areas.models import District

    ids = board_pack.district_ids
    if not ids:
        return None
    return (
        District.objects.filter(pk__in=ids)
        .order_by("number")
        .values_list("slug", flat=True)
        .first()
    )


def status_context(board_pack: BoardPack) -> dict:
    status = board_pack.status
    slug = _district_slug(board_pack)
    step = {P.QUEUED: 1, P.RENDERING: 2, P.READY: 3, P.FAILED: 3}[status]
    return {
        "pack": board_pack,
        "queued": status == P.QUEUED,
        "in_progress": status == P.RENDERING,
        "ready": status == P.READY,
        "failed": status == P.FAILED,
        "polling": status in (P.QUEUED, P.RENDERING),
        "poll_seconds": POLL_SECONDS,
        "step": step,
        "steps": 3,
        "taken_at": timezone.localtime(board_pack.taken_at),
        "status_url": reverse("dashboards:pack_status", kwargs={"pk": board_pack.pk}),
        "download_url": reverse("dashboards:pack_download", kwargs={"pk": board_pack.pk}),
        "request_url": reverse("dashboards:district_pack_request", kwargs={"slug": slug})
        if slug
        else reverse("dashboards:pack_request"),
        "filters": board_pack.filters,
        "filter_labels": board_pack.content.get("filter_labels", []),
        "dashboard_url": _dashboard_url(slug, board_pack.filters),
    }


@login_required
@require_safe
def pack_status(request, pk: int):
    """The pack's page: being made (with its progress), ready (the download) or failed (try
    again). htmx asks for the status fragment alone."""
    board_pack = get_pack(request, pk)
    context = status_context(board_pack)
    template = "dashboards/pack/_status.html" if request.htmx else "dashboards/pack/status.html"
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def pack_download(request, pk: int):
    """A ready pack, from private storage, to those who may see its scope."""
    board_pack = get_pack(request, pk)
    if board_pack.status != P.READY:
        raise Http404
    taken = timezone.localtime(board_pack.taken_at).strftime("%Y-%m-%d-%H%M")
    return private_file_response(
        board_pack.pdf, filename=f"styrepakke-{taken}.pdf", content_type="application/pdf"
    )
