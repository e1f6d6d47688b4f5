"""Every private file of a grant case — decision letters and attachments — served only after the
user's scope says they may see the case. Out of scope is a 404."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path

from .. import permissions
from ..letters import letter_filename
from ..models import Decision, GrantApplication


@login_required
def decision_letter(request, pk: int, decision_pk: int):
    application = get_object_or_404(permissions.applications_for_applicant(request.user), pk=pk)
    decision = get_object_or_404(
        application.decisions.filter(letter_status=Decision.LetterStatus.READY), pk=decision_pk
    )
    if not decision.letter:
        raise Http404
    try:
        handle = decision.letter.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = f"vedtak-{application.reference}-{decision.pk}.pdf"
    return FileResponse(handle, filename=name, content_type="application/pdf")


@login_required
def attachment_download(request, pk: int, attachment_pk: int):
    application = get_object_or_404(permissions.applications_for_applicant(request.user), pk=pk)
    attachment = get_object_or_404(
        application.attachments.filter(removed_at__isnull=True), pk=attachment_pk
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


def _case_in_scope(request, pk: int) -> GrantApplication:
    return get_object_or_404(permissions.applications_visible_to(request.user), pk=pk)


@login_required
def staff_decision_letter(request, pk: int, decision_pk: int):
    application = _case_in_scope(request, pk)
    decision = get_object_or_404(
        Decision.objects.select_related("application"),
        application=application,
        pk=decision_pk,
        letter_status=Decision.LetterStatus.READY,
    )
    if not decision.letter:
        raise Http404
    return FileResponse(
        decision.letter.open("rb"),
        as_attachment=True,
        filename=letter_filename(decision),
        content_type="application/pdf",
    )


@login_required
def staff_attachment(request, pk: int, attachment_pk: int):
    application = _case_in_scope(request, pk)
    attachment = get_object_or_404(
        application.attachments.filter(removed_at__isnull=True), pk=attachment_pk
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )


CASE = "intern/tilskudd/saker/<int:pk>/"

urlpatterns = [
    path(
        "tilskudd/soknader/<int:pk>/vedtak/<int:decision_pk>/brev.pdf",
        decision_letter,
        name="decision_letter",
    ),
    path(
        "tilskudd/soknader/<int:pk>/vedlegg/<int:attachment_pk>/",
        attachment_download,
        name="attachment_download",
    ),
    path(
        CASE + "vedtak/<int:decision_pk>/brev.pdf",
        staff_decision_letter,
        name="staff_decision_letter",
    ),
    path(
        CASE + "vedlegg/<int:attachment_pk>/",
        staff_attachment,
        name="staff_attachment",
    ),
]
