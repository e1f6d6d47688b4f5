"""Every private file of a grant case — decision letters and attachments — served only after the
user's scope says they may see the case. Out of scope is a 404.

Each goes out through ``core.files.private_file_response``: as a download named by the type its
content was found to be, never sniffed, sandboxed, never cached."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.urls import path

from core.files import private_file_response

from .. import permissions
from ..letters import letter_filename
from ..models import Attachment, Decision, GrantApplication
from ..uploads import download_name


def _letter(decision: Decision):
    return private_file_response(
        decision.letter, filename=letter_filename(decision), content_type="application/pdf"
    )


def _attachment(attachment: Attachment):
    return private_file_response(
        attachment.file,
        filename=download_name(attachment.original_name, attachment.extension),
        content_type=attachment.content_type,
    )


@login_required
def decision_letter(request, pk: int, decision_pk: int):
    application = get_object_or_404(permissions.applications_for_applicant(request.user), pk=pk)
    decision = get_object_or_404(
        application.decisions.select_related("application").filter(
            letter_status=Decision.LetterStatus.READY
        ),
        pk=decision_pk,
    )
    return _letter(decision)


@login_required
def attachment_download(request, pk: int, attachment_pk: int):
    application = get_object_or_404(permissions.applications_for_applicant(request.user), pk=pk)
    attachment = get_object_or_404(
        application.attachments.filter(removed_at__isnull=True), pk=attachment_pk
    )
    return _attachment(attachment)


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
    return _letter(decision)


@login_required
def staff_attachment(request, pk: int, attachment_pk: int):
    application = _case_in_scope(request, pk)
    attachment = get_object_or_404(
        application.attachments.filter(removed_at__isnull=True), pk=attachment_pk
    )
    return _attachment(attachment)


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
