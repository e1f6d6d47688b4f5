"""The document archive: upload checks, what the public sees, who may upload and edit, the
published action programmes, and query counts at two volumes."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.models import Area
from core.models import AuditEntry
from knowledge import services
from knowledge.models import Document
from knowledge.simple_pdf import simple_pdf

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _pdf(name="plan.pdf", text="Benker og belysning på Sletteløkka") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, simple_pdf([text]), content_type="application/pdf")


def _form(upload, **extra) -> dict:
    area = Area.objects.get(slug="veitvet-og-slettelokka")
    return {
        "title": "Årsrapport 2025",
        "kind": "arsrapport",
        "language": "nb",
        "year": "2025",
        "area": area.pk,
        "summary": "Hva vi fikk til i 2025.",
        "is_public": "on",
        "upload": upload,
        **extra,
    }


def _document(*, public=True, title=None, area=None, **extra) -> Document:
    area = area or Area.objects.get(slug="veitvet-og-slettelokka")
    document = Document.objects.create(
        title=title or ("Offentlig plan" if public else "Internt notat"),
        kind=Document.Kind.PROGRAMME_PLAN,
        year=2025,
        area=area,
        district=area.district,
        programme_id=area.district.programme_id,
        summary="Et sammendrag.",
        is_public=public,
        filename="plan.pdf",
        size=10,
        **extra,
    )
    document.file.save("x.pdf", ContentFile(simple_pdf(["Innhold"])), save=True)
    return document


# --- Upload checks ------------------------------------------------------------------------------


def test_a_project_leader_uploads_a_pdf_and_its_text_is_read(users):
    response = _client(users["project_leader"]).post(
        reverse("knowledge:staff_document_create"), _form(_pdf())
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert "Benker og belysning" in document.text
    assert document.district == document.area.district
    assert document.programme_id == document.area.district.programme_id
    assert document.filename == "plan.pdf" and document.size > 0
    assert AuditEntry.objects.filter(action="document_created", target_id=str(document.pk))


def test_a_png_named_pdf_is_refused_by_its_content(users):
    upload = SimpleUploadedFile("plan.pdf", PNG, content_type="application/pdf")
    response = _client(users["secretariat"]).post(
        reverse("knowledge:staff_document_create"), _form(upload)
    )
    assert response.status_code == 400
    assert "er ikke en PDF" in response.content.decode()
    assert not Document.objects.exists()


def test_a_pdf_named_as_another_type_is_refused_with_the_name_to_give_it(users):
    response = _client(users["secretariat"]).post(
        reverse("knowledge:staff_document_create"), _form(_pdf(name="plan.html"))
    )
    assert response.status_code == 400
    assert "plan.pdf" in response.content.decode()
    assert not Document.objects.exists()


def test_a_file_over_the_limit_is_refused(users, settings):
    upload = _pdf()
    settings.KNOWLEDGE_DOCUMENT_MAX_BYTES = upload.size - 1
    response = _client(users["secretariat"]).post(
        reverse("knowledge:staff_document_create"), _form(upload)
    )
    assert response.status_code == 400
    assert 'id="id_upload_error"' in response.content.decode()
    assert not Document.objects.exists()


def test_an_empty_file_and_a_missing_file_are_refused(users):
    client = _client(users["secretariat"])
    empty = SimpleUploadedFile("plan.pdf", b"", content_type="application/pdf")
    assert client.post(reverse("knowledge:staff_document_create"), _form(empty)).status_code == 400
    data = _form(None)
    del data["upload"]
    assert client.post(reverse("knowledge:staff_document_create"), data).status_code == 400
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    "extra,field",
    [
        ({"year": "9999"}, "year"),
        ({"year": "tjue"}, "year"),
        ({"title": "x" * 201}, "title"),
        ({"summary": "x" * 601}, "summary"),
        ({"kind": "virus"}, "kind"),
    ],
)
def test_bad_particulars_get_a_message_at_the_field(users, extra, field):
    response = _client(users["secretariat"]).post(
        reverse("knowledge:staff_document_create"), _form(_pdf(), **extra)
    )
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Document.objects.exists()


def test_a_pdf_whose_text_cannot_be_read_is_kept_without_text(users):
    broken = SimpleUploadedFile("plan.pdf", b"%PDF-1.7\n" + b"garbage" * 50)
    response = _client(users["secretariat"]).post(
        reverse("knowledge:staff_document_create"), _form(broken)
    )
    assert response.status_code == 302
    assert Document.objects.get().text == ""


def test_nul_bytes_in_the_form_are_refused(users):
    response = _client(users["secretariat"]).post(
        reverse("knowledge:staff_document_create"), _form(_pdf(), title="Plan\x00")
    )
    assert response.status_code == 400
    assert not Document.objects.exists()


# --- Who may upload and edit ---------------------------------------------------------------------


def test_district_staff_file_only_under_their_own_district(users):
    alna_area = Area.objects.get(slug="lindeberg")
    response = _client(users["project_leader"]).post(
        reverse("knowledge:staff_document_create"), _form(_pdf(), area=alna_area.pk)
    )
    assert response.status_code == 400
    assert not Document.objects.exists()


def test_the_service_refuses_a_district_leader_a_document_for_the_whole_programme(users):
    with pytest.raises(Exception) as caught:
        services.document_upload(
            actor=users["programme_leader"],
            upload=_pdf(),
            title="Plan",
            kind="programplan",
            language="nb",
            year=2025,
            programme=None,
            district=None,
            area=None,
            summary="S",
            is_public=True,
        )
    assert "district" in caught.value.message_dict
    assert not Document.objects.exists()


@pytest.mark.parametrize("role", ["case_handler", "board"])
def test_case_handlers_and_the_board_read_but_do_not_upload(users, role):
    client = _client(users[role])
    assert client.get(reverse("knowledge:staff_archive")).status_code == 200
    assert client.get(reverse("knowledge:staff_document_create")).status_code == 403
    assert client.post(reverse("knowledge:staff_document_create"), _form(_pdf())).status_code == 403
    assert not Document.objects.exists()


def test_only_the_documents_district_leaders_and_the_secretariat_edit_it(users):
    document = _document()
    url = reverse("knowledge:staff_document_edit", kwargs={"pk": document.pk})
    assert _client(users["other_district_leader"]).get(url).status_code == 403
    assert _client(users["case_handler"]).get(url).status_code == 403
    assert _client(users["programme_leader"]).get(url).status_code == 200
    data = _form(None, title="Ny tittel")
    del data["upload"]
    response = _client(users["secretariat"]).post(url, data)
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Ny tittel"
    assert AuditEntry.objects.get(action="document_changed").changes["title"] == [
        "Offentlig plan",
        "Ny tittel",
    ]


# --- Visibility ---------------------------------------------------------------------------------


def test_internal_documents_are_never_on_public_pages(users):
    public = _document(public=True)
    internal = _document(public=False)
    for client in (_client(), _client(users["resident"]), _client(users["secretariat"])):
        body = client.get(reverse("knowledge:archive")).content.decode()
        assert public.title in body and internal.title not in body
        for name in ("knowledge:document_detail", "knowledge:document_file"):
            assert client.get(reverse(name, kwargs={"pk": internal.pk})).status_code == 404
    assert _client().get(reverse("knowledge:staff_archive")).status_code == 302
    assert _client(users["resident"]).get(reverse("knowledge:staff_archive")).status_code == 403
    response = _client(users["resident"]).get(
        reverse("knowledge:staff_document_file", kwargs={"pk": internal.pk})
    )
    assert response.status_code == 403


def test_staff_of_another_district_read_internal_documents(users):
    internal = _document(public=False)
    client = _client(users["other_district_leader"])
    assert internal.title in client.get(reverse("knowledge:staff_archive")).content.decode()
    response = client.get(reverse("knowledge:staff_document_file", kwargs={"pk": internal.pk}))
    assert response.status_code == 200


def test_a_document_in_an_unpublished_area_is_not_public(db):
    area = Area.objects.get(slug="linderud")
    document = _document(area=area)
    Area.objects.filter(pk=area.pk).update(is_published=False)
    assert document.title not in _client().get(reverse("knowledge:archive")).content.decode()


def test_the_file_is_served_as_a_sandboxed_download(db):
    document = _document()
    response = _client().get(reverse("knowledge:document_file", kwargs={"pk": document.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# --- The filter and the query count -------------------------------------------------------------


def test_the_archive_filters_by_type_year_and_district(bjerke, alna):
    plan = _document(title="Plan for Bjerke")
    report = _document(title="Rapport for Alna", area=Area.objects.get(slug="lindeberg"))
    Document.objects.filter(pk=report.pk).update(kind=Document.Kind.ANNUAL_REPORT, year=2024)
    url = reverse("knowledge:archive")
    body = _client().get(url, {"kind": "arsrapport"}).content.decode()
    assert report.title in body and plan.title not in body
    body = _client().get(url, {"year": "2025"}).content.decode()
    assert plan.title in body and report.title not in body
    body = _client().get(url, {"district": bjerke.pk}).content.decode()
    assert plan.title in body and report.title not in body


@pytest.mark.parametrize("query", [{"year": "9999"}, {"district": "x"}, {"side": "999"}])
def test_bad_filter_input_is_a_page_with_a_message_not_a_500(db, query):
    _document()
    response = _client().get(reverse("knowledge:archive"), query)
    assert response.status_code == 200


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["knowledge:archive", "knowledge:staff_archive"])
def test_archive_pages_cost_the_same_queries_for_few_and_many(users, name):
    client = _client(users["secretariat"]) if "staff" in name else _client()
    url = reverse(name)
    _document()
    few = _count(client, url)
    for n in range(25):
        _document(title=f"Plan {n}", area=Area.objects.order_by("?").first())
    assert _count(client, url) == few


# --- Published action programmes ----------------------------------------------------------------


def _published_programme(users):
    from django.utils import timezone

    from programmes import services as programme_services
    from programmes.models import Rendering
    from tests.programmes.factories import MeasureFactory

    leader = users["programme_leader"]
    programme = MeasureFactory().programme
    programme_services.programme_send_for_review(actor=leader, programme=programme)
    version = programme_services.programme_adopt(actor=leader, programme=programme)
    rendering = version.rendering
    rendering.pdf.save(
        "handlingsprogram/t.pdf", ContentFile(simple_pdf(["Tiltak for lekeplasser"])), save=False
    )
    Rendering.objects.filter(pk=rendering.pk).update(
        status=Rendering.Status.READY, pdf=rendering.pdf.name, finished_at=timezone.now()
    )
    programme_services.programme_publish(actor=leader, programme=programme)
    return programme


def test_a_published_action_programme_reaches_the_archive_once(users):
    programme = _published_programme(users)
    from knowledge.tasks import sync_programme_documents

    assert sync_programme_documents() == 1
    assert sync_programme_documents() == 0
    document = Document.objects.get()
    assert document.kind == Document.Kind.ACTION_PROGRAMME and document.is_public
    assert document.area == programme.area and document.year == programme.year
    assert "lekeplasser" in document.text
    body = _client().get(reverse("knowledge:document_detail", kwargs={"pk": document.pk}))
    pdf_url = reverse(
        "programmes:version_pdf",
        kwargs={"area": programme.area.slug, "year": programme.year, "number": 1},
    )
    assert pdf_url in body.content.decode()
    assert (
        not _client(users["programme_leader"])
        .get(reverse("knowledge:staff_document", kwargs={"pk": document.pk}))
        .context["can_edit"]
    )


def test_an_unpublished_programme_stays_out_of_the_archive(users):
    from programmes import services as programme_services
    from tests.programmes.factories import MeasureFactory

    programme = MeasureFactory().programme
    programme_services.programme_send_for_review(
        actor=users["programme_leader"], programme=programme
    )
    programme_services.programme_adopt(actor=users["programme_leader"], programme=programme)
    assert services.programme_documents_sync() == 0
    assert not Document.objects.exists()


def test_programmes_never_import_knowledge():
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2] / "programmes"
    importing = re.compile(r"^\s*(from|import)\s+knowledge\b", re.M)
    for path in root.rglob("*.py"):
        assert not importing.search(path.read_text()), path
