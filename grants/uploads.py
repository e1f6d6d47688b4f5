"""Attachment checks: the type is read from the file's content, never trusted from its name.

A file is stored and downloaded as what its content is: a PDF is ``<name>.pdf`` whatever it was
called. When the name claims another type than the content — ``tilbud.html`` that is a PDF,
``kvittering.bat`` — the file is refused, with the name to give it; only a name that claims no
type we know (``Tilbud fra Bygg A.S``), or another type we accept (a photo called ``bilde.pdf``),
is corrected (``Tilbud fra Bygg A.S.pdf``, ``bilde.png``). Office files with macros, and archives
that would expand beyond a limit when opened (zip bombs), are refused; archives are checked by
their central directory, never extracted.
"""

import mimetypes
import re
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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

# What each type is called in a sentence ("its content is a PDF").
TYPE_LABELS = {
    "pdf": gettext_lazy("a PDF"),
    "jpg": gettext_lazy("a JPG image"),
    "png": gettext_lazy("a PNG image"),
    "docx": gettext_lazy("a Word document (DOCX)"),
    "xlsx": gettext_lazy("an Excel spreadsheet (XLSX)"),
    "odt": gettext_lazy("an OpenDocument text (ODT)"),
}
# The names a file of each type may have.
NAME_EXTENSIONS = {
    "pdf": {"pdf"},
    "jpg": {"jpg", "jpeg", "jpe", "jfif"},
    "png": {"png"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "odt": {"odt"},
}
ACCEPTED_NAMES = set().union(*NAME_EXTENSIONS.values())
MACRO_EXTENSIONS = {
    "docm", "dotm", "xlsm", "xltm", "xlam", "xlsb", "pptm", "potm", "ppsm", "ppam", "sldm",
}  # fmt: skip
# Names that make a program of a file on some system, beyond the common types Python knows.
RUNNABLE_EXTENSIONS = {
    "bat", "cmd", "com", "cpl", "exe", "dll", "hta", "htm", "html", "jar", "js", "jse", "lnk",
    "msi", "msp", "ps1", "psm1", "reg", "scr", "sh", "svg", "url", "vb", "vbe", "vbs", "wsf",
    "xht", "xhtml", "xml", "xsl", "iso", "img", "apk", "app", "dmg", "pif", "py", "php",
}  # fmt: skip
ARCHIVE_TYPES = {"docx", "xlsx", "odt"}
# Declared sizes beyond these are refused: a 10 MB document never unpacks to more than this,
# nor grows a hundredfold once it is large.
MAX_MEMBERS = 5000
MAX_RATIO = 100
RATIO_APPLIES_ABOVE = 20 * 1024 * 1024
# Python's own table of types only, so the answer does not depend on the server's mime.types.
_KNOWN_TYPES = mimetypes.MimeTypes(filenames=())
_EXTENSION = re.compile(r"^[a-z0-9]{1,10}$")


def max_bytes() -> int:
    return getattr(settings, "GRANT_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)


def max_unpacked_bytes() -> int:
    return getattr(settings, "GRANT_ATTACHMENT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)


def _base_name(name: str) -> str:
    return (name or "").replace("\\", "/").rsplit("/", 1)[-1]


def claimed_extension(name: str) -> str:
    """The type a file name claims (``html`` for ``tilbud.html``), or "" when it claims none we
    know of (``Tilbud fra Bygg A.S``, ``rapport v1.2``)."""
    _stem, dot, extension = _base_name(name).rpartition(".")
    extension = extension.lower()
    if not (dot and _EXTENSION.match(extension)):
        return ""
    known = (
        extension in ACCEPTED_NAMES
        or extension in MACRO_EXTENSIONS
        or extension in RUNNABLE_EXTENSIONS
        or _KNOWN_TYPES.guess_type(f"x.{extension}", strict=False)[0] is not None
    )
    return extension if known else ""


def download_name(name: str, extension: str) -> str:
    """The name a file is stored and downloaded under: its stem and the type found in it."""
    base = _base_name(name).strip()
    if claimed_extension(base):
        base = base.rpartition(".")[0]
    return f"{base[:150].strip() or _('attachment')}.{extension}"


def _refuse_macros(name: str) -> None:
    raise ValidationError(
        _(
            "“%(name)s” contains macros (program code that runs when it is opened), and we do "
            "not accept files with macros. Save it without macros – as DOCX, XLSX or PDF – and "
            "upload it again."
        )
        % {"name": name},
        code="macros",
    )


def _inspect_archive(upload, extension: str) -> None:
    """Refuse a zip-based document that holds macros or would expand beyond the limits.

    Reads only the central directory (and ``[Content_Types].xml``, when it is small); nothing
    is extracted."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            content_types = b""
            if len(members) <= MAX_MEMBERS:
                try:
                    info = archive.getinfo("[Content_Types].xml")
                except KeyError:
                    info = None
                if info is not None and info.file_size <= 1024 * 1024:
                    content_types = archive.read(info).lower()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, ValueError):
        raise ValidationError(
            _("“%(name)s” is damaged and cannot be opened. Save it again and upload it again.")
            % {"name": upload.name},
            code="damaged",
        ) from None
    finally:
        upload.seek(0)
    unpacked = sum(member.file_size for member in members)
    if (
        len(members) > MAX_MEMBERS
        or unpacked > max_unpacked_bytes()
        or (unpacked > RATIO_APPLIES_ABOVE and unpacked > MAX_RATIO * max(upload.size, 1))
    ):
        raise ValidationError(
            _(
                "“%(name)s” would expand to %(size)s when it is opened, far more than a document "
                "may (at most %(max)s). We do not accept it. Save the document again, as PDF for "
                "example, and upload it again."
            )
            % {
                "name": upload.name,
                "size": filesizeformat(unpacked),
                "max": filesizeformat(max_unpacked_bytes()),
            },
            code="archive_too_large",
        )
    names = [member.filename.lower() for member in members]
    if (
        b"macroenabled" in content_types
        or any(n.rsplit("/", 1)[-1] in ("vbaproject.bin", "vbadata.xml") for n in names)
        or any(n.rpartition(".")[2] in MACRO_EXTENSIONS for n in names)
        or (extension == "odt" and any(n.startswith(("basic/", "scripts/")) for n in names))
    ):
        _refuse_macros(upload.name)


def inspect_upload(upload) -> tuple[str, str]:
    """Return (content type, extension) of an allowed file; raise ValidationError otherwise.

    The extension is the one found in the content; store and serve the file under
    ``download_name(upload.name, extension)``."""
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > max_bytes():
        raise ValidationError(
            _("The file is %(size)s. Files may be at most %(max)s.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(max_bytes())},
            code="too_large",
        )
    claimed = claimed_extension(upload.name)
    if claimed in MACRO_EXTENSIONS:
        _refuse_macros(upload.name)
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
    extension = ALLOWED[kind.mime]
    if extension in ARCHIVE_TYPES:
        _inspect_archive(upload, extension)
    if claimed and claimed not in ACCEPTED_NAMES:
        raise ValidationError(
            _(
                "“%(name)s” is named as a .%(claimed)s file, but its content is %(actual)s. We "
                "accept a file only under a name that says what it is: if it is meant to be "
                "%(actual)s, rename it to “%(suggested)s” and upload it again."
            )
            % {
                "name": upload.name,
                "claimed": claimed,
                "actual": TYPE_LABELS[extension],
                "suggested": download_name(upload.name, extension),
            },
            code="name_mismatch",
        )
    return kind.mime, extension
