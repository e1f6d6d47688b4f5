"""Attachment checks: the type is read from the file's content, never trusted from its name."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# What a case file may hold: documents and pictures a case handler can open without risk.
ALLOWED = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
}
ALLOWED_LABEL = "PDF, JPG, PNG, DOCX, XLSX, ODT"


def max_bytes() -> int:
    return getattr(settings, "GRANT_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)


def inspect_upload(upload) -> tuple[str, str]:
    """Return (content type, extension) of an allowed file; raise ValidationError otherwise."""
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > max_bytes():
        raise ValidationError(
            _("The file is %(size)s. Files may be at most %(max)s.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(max_bytes())},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED:
        raise ValidationError(
            _(
                "“%(name)s” is not a file type we accept, whatever its name says. "
                "Upload %(allowed)s."
            )
            % {"name": upload.name, "allowed": ALLOWED_LABEL},
            code="file_type",
        )
    return kind.mime, ALLOWED[kind.mime]
