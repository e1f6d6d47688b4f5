"""How files leave the portal.

``private_file_response`` is the one way a private file (a letter, an attachment) is sent, by
every view that has checked the user may see it: always as a download, never sniffed, rendered
in a sandbox if a browser opens it anyway, and never cached. ``public_media`` serves the public
media storage at ``MEDIA_URL`` (project images), with long cache headers, in every mode — also
under gunicorn in production, where nothing else serves it.
"""

import contextlib
import mimetypes
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.http import http_date
from django.views.decorators.http import require_safe

PRIVATE_FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Resource-Policy": "same-origin",
}

_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|;]+')


def safe_filename(name: str, *, default: str = "fil") -> str:
    """``name`` fit for Content-Disposition: no path, no control characters, at most 150 long."""
    name = unicodedata.normalize("NFC", name or "")
    # Format characters (right-to-left overrides) would make "gpj.exe" read as "exe.jpg".
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cf", "Cc"))
    name = _UNSAFE_IN_NAME.sub("_", name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
    name = name.strip(" ._")
    if len(name) > 150:
        stem, dot, extension = name.rpartition(".")
        name = f"{stem[: 149 - len(extension)]}.{extension}" if dot else name[:150]
    return name or default


def protect_download(response):
    """Mark ``response`` as a private download: never sniffed, sandboxed, never cached.

    For files made on request that hold personal data (exports, lists of names)."""
    for header, value in PRIVATE_FILE_HEADERS.items():
        response[header] = value
    return response


def private_file_response(field_file, *, filename: str, content_type: str) -> FileResponse:
    """Send a private file as a download named ``filename``; a 404 if the file is gone.

    The caller has already checked that the user may see the file."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=safe_filename(filename),
        content_type=content_type or "application/octet-stream",
    )
    return protect_download(response)


@require_safe
def public_media(request, name: str):
    """A file of the public media storage, cacheable for a year: its name never repeats."""
    storage = default_storage
    try:
        if not name or name.endswith("/") or not storage.exists(name):
            raise Http404
        handle = storage.open(name, "rb")
    except (SuspiciousFileOperation, FileNotFoundError, IsADirectoryError, ValueError) as exc:
        raise Http404 from exc
    content_type, _encoding = mimetypes.guess_type(name)
    response = FileResponse(handle, content_type=content_type or "application/octet-stream")
    response["Cache-Control"] = settings.PUBLIC_MEDIA_CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    with contextlib.suppress(NotImplementedError, OSError):
        response["Last-Modified"] = http_date(storage.get_modified_time(name).timestamp())
    return response
