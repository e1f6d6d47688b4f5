"""Small files written into the page itself rather than fetched, so a first visitor's browser
asks for nothing more before the page's first view:

* ``js/portal.js``, a couple of kilobytes every page runs: in a ``<script>`` element at the
  end of the body, where it still waits for nothing (it works from the parsed document);
* ``favicon.svg``, a few hundred bytes: as a ``data:`` address in the icon link.

The Content-Security-Policy allows exactly these scripts by their SHA-256 hashes
(``csp_hashes``, in the settings), read from the same files as the template tags put in, so a
change to a file changes both; no other inline script runs.
"""

import hashlib
from base64 import b64encode
from functools import cache
from pathlib import Path
from urllib.parse import quote

STATIC = Path(__file__).resolve().parent.parent / "static"
SCRIPTS = ("js/portal.js",)
IMAGES = {"favicon.svg": "image/svg+xml"}


@cache
def source(path: str) -> str:
    """The file's text, as the page holds it."""
    if path not in SCRIPTS and path not in IMAGES:
        raise ValueError(f"{path} is not one of the inline assets")
    return (STATIC / path).read_text(encoding="utf-8")


@cache
def data_uri(path: str) -> str:
    """An image of ``IMAGES`` as a ``data:`` address (percent-encoded, not base64: smaller
    for SVG)."""
    if path not in IMAGES:
        raise ValueError(f"{path} is not one of the inline images")
    text = " ".join(source(path).split())
    return f"data:{IMAGES[path]},{quote(text, safe='/=:')}"


def csp_hashes() -> list[str]:
    """The CSP source expression of every inline script: ``'sha256-…'``."""
    return [
        f"'sha256-{b64encode(hashlib.sha256(source(path).encode()).digest()).decode()}'"
        for path in SCRIPTS
    ]
