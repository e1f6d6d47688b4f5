"""Reading the PDFs the portal makes, as a reader or a screen reader gets them (poppler-utils,
installed by .ci/run)."""

import re
import shutil
import subprocess
import zlib


def pdf_text(pdf: bytes) -> str:
    """The PDF's text as a reader (or screen reader) gets it, whitespace folded."""
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed to read the letter"
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode("utf-8").split())


def pdf_info(pdf: bytes) -> str:
    assert shutil.which("pdfinfo"), "pdfinfo (poppler-utils) is needed to read the letter"
    return subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) inflated."""
    inflated = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        end = pdf.find(b"endstream", match.end())
        try:
            inflated.append(zlib.decompress(pdf[match.end() : end]))
        except zlib.error:
            continue
    return b"\n".join(inflated)
