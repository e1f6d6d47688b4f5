"""The programme as a PDF: the same content as the public page, rendered by WeasyPrint.

``render_html`` gives the document the PDF is made from (``programmes/pdf/programme.html``,
which includes the same content partial as the page); ``render_pdf`` renders it, tagged
(PDF/UA-1) with the document's language and title.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation

from grants.letters import ASSET_ROOT, _asset_fetcher


@dataclass(frozen=True)
class Document:
    data: bytes
    page_count: int


def render_html(content: dict) -> str:
    with translation.override("nb"):
        return render_to_string("programmes/pdf/programme.html", {"content": content, "pdf": True})


def render_pdf(content: dict) -> Document:
    from weasyprint import HTML

    html = render_html(content)
    document = HTML(
        string=html, base_url=str(ASSET_ROOT) + "/", url_fetcher=_asset_fetcher()
    ).render()
    data = document.write_pdf(pdf_variant="pdf/ua-1", custom_metadata=True)
    return Document(data=data, page_count=len(document.pages))
