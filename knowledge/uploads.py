"""The archive takes PDFs only: the type is read from the file's content (as for grant
attachments, ``grants.uploads``), never trusted from its name, and the size is limited. The
text is read out of the PDF when it is uploaded, for search; a PDF whose text cannot be read
(scanned pages, encryption) is still archived, with no text."""

import logging

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from grants.uploads import TYPE_LABELS, claimed_extension, download_name

logger = logging.getLogger(__name__)

# Enough for the handbooks and annual reports; a search index needs no more text than this.
MAX_TEXT_CHARS = 500_000
MAX_TEXT_PAGES = 400


def max_bytes() -> int:
    return getattr(settings, "KNOWLEDGE_DOCUMENT_MAX_BYTES", 25 * 1024 * 1024)


def inspect_pdf(upload) -> str:
    """The name to store and serve ``upload`` under when it is a PDF within the size limit;
    raise ValidationError saying what is wrong otherwise."""
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
    if kind is None or kind.mime != "application/pdf":
        raise ValidationError(
            _("“%(name)s” is not a PDF, whatever its name says. The archive takes PDF files.")
            % {"name": upload.name},
            code="file_type",
        )
    claimed = claimed_extension(upload.name)
    if claimed and claimed != "pdf":
        raise ValidationError(
            _(
                "“%(name)s” is named as a .%(claimed)s file, but its content is %(actual)s. "
                "Rename it to “%(suggested)s” and upload it again."
            )
            % {
                "name": upload.name,
                "claimed": claimed,
                "actual": TYPE_LABELS["pdf"],
                "suggested": download_name(upload.name, "pdf"),
            },
            code="name_mismatch",
        )
    return download_name(upload.name, "pdf")


def pdf_text(handle) -> str:
    """The text of the PDF in ``handle`` (a file open for reading), whitespace folded; "" when
    none can be read."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    handle.seek(0)
    parts: list[str] = []
    length = 0
    try:
        reader = PdfReader(handle)
        if reader.is_encrypted:
            return ""
        for number, page in enumerate(reader.pages):
            if number >= MAX_TEXT_PAGES or length >= MAX_TEXT_CHARS:
                break
            text = " ".join((page.extract_text() or "").split())
            parts.append(text)
            length += len(text) + 1
    except (PyPdfError, ValueError, TypeError, KeyError, OSError, RecursionError) as exc:
        logger.info("No text read from a PDF: %s", exc)
    finally:
        handle.seek(0)
    return " ".join(p for p in parts if p).replace("\x00", "")[:MAX_TEXT_CHARS]
