"""Uploads are stored and served as what their content is: polyglots under a false name, Office
files with macros and zip bombs are refused at the file field, in Norwegian, and nothing else the
applicant typed is lost."""

import io
import re
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from grants import services
from grants.models import AttachmentKind
from grants.uploads import download_name, inspect_upload
from tests.grants.factories import MINIMAL_PDF, decided, draft_for, pdf_upload

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="'
    b'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
MACRO_CONTENT_TYPES = CONTENT_TYPES.replace(
    b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
)
POLYGLOT = MINIMAL_PDF + b"<html><body><script>fetch('/intern/')</script></body></html>\n"


def office_file(members: dict[str, bytes], content_types: bytes = CONTENT_TYPES) -> bytes:
    """A zip laid out as Word writes it: the content types first, then the parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", b"<Relationships/>")
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx(**extra: bytes) -> bytes:
    return office_file({"word/document.xml": b"<w:document/>", **extra})


def zip_bomb(unpacked: int = 1 << 30) -> bytes:
    """A real zip bomb posing as a Word document: ``word/document.xml`` unpacks to ``unpacked``
    bytes of zeros (1 GiB) from about 1 MB. The deflate stream is one fully flushed block of
    1 MiB of zeros repeated, so building it costs no gigabyte of compression."""
    chunk = 1 << 20
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(bytes(chunk)) + packer.flush(zlib.Z_FULL_FLUSH)
    stream = block * (unpacked // chunk) + b"\x03\x00"  # and an empty final block
    crc, zeros = 0, bytes(chunk)
    for _ in range(unpacked // chunk):
        crc = zlib.crc32(zeros, crc)
    small = zlib.compressobj(9, zlib.DEFLATED, -15)
    types = small.compress(CONTENT_TYPES) + small.flush()
    members = [
        ("[Content_Types].xml", types, zlib.crc32(CONTENT_TYPES), len(CONTENT_TYPES)),
        ("word/document.xml", stream, crc, unpacked),
    ]
    local, central = b"", b""
    for name, data, checksum, size in members:
        encoded, offset = name.encode(), len(local)
        sizes = (checksum, len(data), size, len(encoded))
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, *sizes, 0)
        local += encoded + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, *sizes, 0, 0, 0, 0, 0, offset
        )
        central += encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 2, 2, len(central), len(local), 0)
    return local + central + end


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def refusal(file: SimpleUploadedFile) -> ValidationError:
    """The refusal, in English (the source strings); the pages below show it in Norwegian."""
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        inspect_upload(file)
    return excinfo.value


# --- The checks --------------------------------------------------------------------------------


def test_the_zip_bomb_is_small_and_really_unpacks_to_a_gibibyte():
    bomb = zip_bomb()
    assert len(bomb) < 2 * 1024 * 1024
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.getinfo("word/document.xml").file_size == 1 << 30
        with archive.open("word/document.xml") as member:
            assert member.read(1 << 20) == bytes(1 << 20)  # the stream is valid deflate


@pytest.mark.parametrize("name", ["tilbud.html", "kvittering.bat", "tilbud.HTM", "faktura.exe"])
def test_a_pdf_polyglot_named_as_something_else_is_refused_with_the_name_to_use(name):
    error = refusal(upload(name, POLYGLOT))

    assert error.error_list[0].code == "name_mismatch"
    stem = name.rpartition(".")[0]
    assert error.messages == [
        f"“{name}” is named as a .{name.rpartition('.')[2].lower()} file, but its content is a "
        "PDF. We accept a file only under a name that says what it is: if it is meant to be a "
        f"PDF, rename it to “{stem}.pdf” and upload it again."
    ]


def test_the_same_polyglot_named_pdf_is_a_pdf():
    assert inspect_upload(upload("tilbud.pdf", POLYGLOT)) == ("application/pdf", "pdf")


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("Tilbud fra Bygg A.S", "Tilbud fra Bygg A.S.pdf"),  # claims no type: gets its own
        ("kvittering", "kvittering.pdf"),
        ("Kvittering.PDF", "Kvittering.pdf"),
        ("rapport v1.2", "rapport v1.2.pdf"),
        ("bilde.png", "bilde.pdf"),  # another type we accept: corrected to what it is
        ("C:\\Users\\kari\\tilbud.pdf", "tilbud.pdf"),
        (".pdf", "vedlegg.pdf"),  # a name that is only a type: the word, in Norwegian
    ],
)
def test_a_name_that_claims_no_type_or_another_accepted_one_is_corrected(name, stored):
    content_type, extension = inspect_upload(upload(name, MINIMAL_PDF))

    assert (content_type, extension) == ("application/pdf", "pdf")
    assert download_name(name, extension) == stored


def test_a_plain_docx_is_accepted():
    assert inspect_upload(upload("tilbud.docx", docx())) == (DOCX, "docx")


@pytest.mark.parametrize("name", ["tilbud.docm", "budsjett.xlsm", "plan.pptm"])
def test_a_macro_enabled_office_file_is_refused_by_its_name(name):
    error = refusal(upload(name, docx()))

    assert error.error_list[0].code == "macros"
    assert "contains macros" in error.messages[0]


@pytest.mark.parametrize(
    "content",
    [
        docx(**{"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(64)}),
        office_file({"word/document.xml": b"<w:document/>"}, MACRO_CONTENT_TYPES),
        docx(**{"word/embeddings/Makro.docm": b"PK"}),
    ],
    ids=["vbaProject.bin", "macro-enabled content type", "embedded docm"],
)
def test_a_docx_that_holds_macros_is_refused_whatever_it_is_called(content):
    error = refusal(upload("tilbud.docx", content))

    assert error.error_list[0].code == "macros"
    assert error.messages == [
        "“tilbud.docx” contains macros (program code that runs when it is opened), and we do not "
        "accept files with macros. Save it without macros – as DOCX, XLSX or PDF – and upload it "
        "again."
    ]


def test_a_zip_bomb_posing_as_docx_is_refused_without_unpacking_it():
    error = refusal(upload("tilbud.docx", zip_bomb()))

    assert error.error_list[0].code == "archive_too_large"
    assert error.messages[0].startswith("“tilbud.docx” would expand to 1.0\xa0GB when it is opened")


def test_an_archive_that_grows_more_than_a_hundredfold_is_refused(settings):
    settings.GRANT_ATTACHMENT_MAX_UNPACKED_BYTES = 1 << 40  # only the ratio applies
    error = refusal(upload("tilbud.docx", zip_bomb(64 << 20)))

    assert error.error_list[0].code == "archive_too_large"


def test_a_damaged_docx_is_refused():
    content = docx()
    error = refusal(upload("tilbud.docx", content[:-22]))  # without its end of central directory

    assert error.error_list[0].code == "damaged"


# --- At the field, in Norwegian ---------------------------------------------------------------

BAD_UPLOADS = [
    ("tilbud.html", POLYGLOT, "«tilbud.html» er navngitt som en .html-fil, men innholdet er"),
    ("kvittering.bat", POLYGLOT, "«kvittering.bat» er navngitt som en .bat-fil, men innholdet er"),
    ("tilbud.docm", docx(), "«tilbud.docm» inneholder makroer"),
    (
        "tilbud.docx",
        docx(**{"word/vbaProject.bin": bytes(64)}),
        "«tilbud.docx» inneholder makroer",
    ),
    ("tilbud.docx", zip_bomb(), "«tilbud.docx» ville blitt 1,0\xa0GB stor når den åpnes"),
]
BAD_IDS = ["polyglot .html", "polyglot .bat", ".docm", "docx with vbaProject.bin", "zip bomb"]


def field_error(html: str, field_id: str) -> str:
    match = re.search(rf'id="{field_id}_error">(.*?)</div>', html, re.S)
    assert match, f"no error shown on {field_id}"
    return match.group(1)


@pytest.mark.parametrize(("name", "content", "message"), BAD_UPLOADS, ids=BAD_IDS)
def test_the_attachment_step_refuses_it_at_the_file_field_in_norwegian(
    client, name, content, message
):
    draft = draft_for()
    client.force_login(draft.applicant)
    before = list(draft.attachments.values_list("pk", flat=True))
    url = reverse("grants:application_step", args=[draft.pk, "vedlegg"])

    response = client.post(
        url, {"kind": AttachmentKind.QUOTE, "file": upload(name, content), "action": "save"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert message in field_error(html, "id_file")
    assert 'href="#id_file"' in html  # the error summary links to the field
    assert re.search(r'<option value="tilbud" selected>', html)  # the chosen kind is kept
    assert list(draft.attachments.values_list("pk", flat=True)) == before
    draft.refresh_from_db()
    assert draft.title == "Ny lekeplass i bakgården" and draft.cost_lines.count() == 2


@pytest.mark.parametrize(("name", "content", "message"), BAD_UPLOADS, ids=BAD_IDS)
def test_the_final_report_refuses_it_at_the_file_field_and_keeps_what_was_typed(
    client, users, django_capture_on_commit_callbacks, name, content, message
):
    with django_capture_on_commit_callbacks(execute=True):  # the letter is rendered
        granted = decided(users["case_handler"], users["programme_leader"])
    services.grant_accept(actor=granted.applicant, application=granted)
    client.force_login(granted.applicant)
    lines = list(granted.cost_lines.all())
    data = {
        "what_was_done": "Lekeplassen ble bygget på dugnad.",
        "participants": "55",
        "dugnad_hours": "140",
        **{f"actual_{line.pk}": str(line.amount) for line in lines},
        "file": upload(name, content),
    }

    response = client.post(reverse("grants:report_submit", args=[granted.pk]), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert message in field_error(html, "id_file")
    assert "Lekeplassen ble bygget på dugnad." in html
    assert 'value="55"' in html and 'value="140"' in html
    assert not granted.attachments.filter(for_report=True).exists()
    assert not hasattr(type(granted).objects.get(pk=granted.pk), "final_report")


def test_a_pdf_without_a_type_in_its_name_is_attached_as_pdf(client):
    draft = draft_for(attachments=False)
    client.force_login(draft.applicant)
    url = reverse("grants:application_step", args=[draft.pk, "vedlegg"])

    response = client.post(
        url,
        {"kind": AttachmentKind.QUOTE, "file": pdf_upload("Tilbud fra Bygg A.S"), "action": "save"},
    )

    assert response.status_code == 302
    attachment = draft.attachments.get()
    assert attachment.original_name == "Tilbud fra Bygg A.S.pdf"
    assert "«Tilbud fra Bygg A.S.pdf» er lagt ved." in client.get(url).content.decode()
