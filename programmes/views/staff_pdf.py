"""The PDF of a programme on its staff page: "Lag PDF", "Prøv igjen" for a failed one, the
status fragment that htmx polls while the PDF is queued or being made, and the download from
private storage for those who may see the programme. Without JavaScript the page itself shows
the status, with a plain link to reload it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.files import private_file_response

from .. import permissions, services
from ..models import Rendering
from ._staff import (
    PROGRAMME,
    R,
    edit_refusal,
    get_programme,
    no_such_id,
    programme_page,
    rendering_context,
    url_of,
)

# --- The PDF ------------------------------------------------------------------------------------


@login_required
@require_POST
def staff_rendering_request(request, pk: int):
    """Make the PDF ("Lag PDF") of the programme as it stands now, asked for once."""
    programme = get_programme(request, pk)
    reason = edit_refusal(request, programme)
    if reason:
        return programme_page(request, programme, status=400, pdf_errors=[reason])
    rendering = services.rendering_request(actor=request.user, programme=programme)
    if rendering.status == R.READY:
        messages.success(request, _("The PDF of the programme as it stands is ready."))
    else:
        messages.success(request, _("The PDF is being made. This page shows when it is ready."))
    return redirect(url_of("staff_programme", programme) + "#pdf")


@login_required
@require_POST
def staff_rendering_retry(request, pk: int, rendering_pk: int):
    """Try a failed PDF again ("Prøv igjen"): it is queued once more."""
    programme = get_programme(request, pk)
    if not permissions.can_edit(request.user, programme):
        raise PermissionDenied
    no_such_id(rendering_pk)
    rendering = Rendering.objects.filter(programme=programme, pk=rendering_pk).first()
    if rendering is None:
        raise Http404
    if rendering.status != R.FAILED:
        return programme_page(
            request,
            programme,
            status=400,
            pdf_errors=[_("Only a PDF that failed can be tried again.")],
        )
    services.rendering_retry(rendering=rendering)
    messages.success(request, _("The PDF is being made again."))
    return redirect(url_of("staff_programme", programme) + "#pdf")


@login_required
def staff_rendering_status(request, pk: int):
    """The PDF's progress as a fragment that htmx polls; without htmx, the programme's page."""
    programme = get_programme(request, pk)
    context = rendering_context(request, programme)
    if not request.htmx:
        return redirect(context["page_url"])
    response = render(request, "programmes/partials/_rendering_status.html", {"pdf": context})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def staff_rendering_download(request, pk: int, rendering_pk: int):
    """A ready PDF of the programme, from private storage, to those who may see the programme."""
    programme = get_programme(request, pk)
    no_such_id(rendering_pk)
    rendering = Rendering.objects.filter(
        programme=programme, pk=rendering_pk, status=R.READY
    ).first()
    if rendering is None:
        raise Http404
    version = (rendering.content or {}).get("version") or programme.version
    filename = f"handlingsprogram-{programme.area.slug}-{programme.year}-v{version}.pdf"
    return private_file_response(rendering.pdf, filename=filename, content_type="application/pdf")


urlpatterns = [
    path(PROGRAMME + "pdf/", staff_rendering_request, name="staff_rendering_request"),
    path(PROGRAMME + "pdf/status/", staff_rendering_status, name="staff_rendering_status"),
    path(
        PROGRAMME + "pdf/<int:rendering_pk>/prov-igjen/",
        staff_rendering_retry,
        name="staff_rendering_retry",
    ),
    path(
        PROGRAMME + "pdf/<int:rendering_pk>/last-ned/",
        staff_rendering_download,
        name="staff_rendering_download",
    ),
]
