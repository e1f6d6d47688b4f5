"""The programme as a PDF: the same content as the public page, rendered by WeasyPrint.

``render_html`` gives the document the PDF is made from (``programmes/pdf/programme.html``,
which includes the same content partial as the page); ``render_pdf`` renders it, tagged
(PDF/UA-1) with the document's language (``nb``) and title, with bookmarks from the section
and measure headings and Oslo Sans embedded (subset to the glyphs used).

The stylesheet and its fonts are loaded once per process, not once per document: a worker
that renders every area for a year parses the CSS and decodes the fonts the first time only.
The document may load files from ``static/`` and nothing else (the decision letter's fetcher).
"""

import atexit
import gc
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from django.template.loader import render_to_string
from django.utils import translation

from grants.letters import ASSET_ROOT, _asset_fetcher

STYLESHEET = ASSET_ROOT / "css" / "programme-pdf.css"


@dataclass(frozen=True)
class Document:
    data: bytes
    page_count: int


class ProgrammePdfError(RuntimeError):
    """The PDF could not be rendered (a file it needs is missing or refused)."""


def render_html(content: dict) -> str:
    with translation.override("nb"):
        return render_to_string(
            "programmes/pdf/programme.html", {"content": content, "pdf": True, "pdf_document": True}
        )


@lru_cache(maxsize=1)
def _style():
    """The parsed stylesheet and the font configuration holding its fonts, for this process."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    css = CSS(
        filename=str(STYLESHEET),
        url_fetcher=_asset_fetcher(),
        font_config=fonts,
    )
    return css, fonts


# Let the fonts go while their library is still loaded (not in the interpreter's teardown).
atexit.register(_style.cache_clear)


@contextmanager
def _without_cyclic_gc():
    """Layout makes hundreds of thousands of small objects that reference counting frees;
    the cyclic collector would walk them again and again meanwhile (about a tenth of the
    render). It runs once the document is written, when those objects are garbage."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def render_pdf(content: dict) -> Document:
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    html = render_html(content)
    css, fonts = _style()
    try:
        with _without_cyclic_gc():
            document = HTML(
                string=html, base_url=str(ASSET_ROOT) + "/", url_fetcher=_asset_fetcher()
            ).render(stylesheets=[css], font_config=fonts)
            data = document.write_pdf(pdf_variant="pdf/ua-1", custom_metadata=True)
    except FatalURLFetchingError as exc:
        # WeasyPrint raises this as a BaseException; the task handles ordinary exceptions.
        raise ProgrammePdfError(str(exc)) from exc
    return Document(data=data, page_count=len(document.pages))
