"""The public programme pages: the published version, a draft out for comments, the versions
and what changed, the published PDF, the sitemap and the area page."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from programmes import services
from programmes.models import ActionProgramme, ProgrammeVersion, Rendering
from tests.projects.factories import BudgetLineFactory

from .factories import MeasureFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

S = ActionProgramme.Status


def page_url(programme, lang="") -> str:
    with translation.override("nb"):
        url = programme.get_absolute_url()
    return f"/{lang}{url}" if lang else url


def on_hearing(programme, leader, *, days: int = 14) -> ActionProgramme:
    return services.programme_put_on_hearing(
        actor=leader, programme=programme, until=timezone.localdate() + timedelta(days=days)
    )


def publish(programme, leader, *, pdf: bytes | None = None) -> ProgrammeVersion:
    """Adopt and publish through the services (the PDF job is left queued unless ``pdf`` is
    given, which stands for a finished render)."""
    programme.refresh_from_db()
    if programme.status in (S.ADOPTED, S.PUBLISHED):
        programme = services.programme_revise(actor=leader, programme=programme)
    if programme.status != S.REVIEW:
        services.programme_send_for_review(actor=leader, programme=programme)
    version = services.programme_adopt(actor=leader, programme=programme)
    if pdf is not None:
        rendering = version.rendering
        rendering.pdf.save(
            f"handlingsprogram/test-{rendering.pk}.pdf", ContentFile(pdf), save=False
        )
        Rendering.objects.filter(pk=rendering.pk).update(
            status=Rendering.Status.READY, pdf=rendering.pdf.name, page_count=3
        )
    services.programme_publish(actor=leader, programme=programme)
    return ProgrammeVersion.objects.select_related("rendering").get(pk=version.pk)


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def test_a_draft_is_not_found_by_anyone_on_the_public_side(client, users):
    programme = MeasureFactory().programme
    assert client.get(page_url(programme)).status_code == 404
    client.force_login(users["programme_leader"])
    assert client.get(page_url(programme)).status_code == 404


def test_under_consideration_without_a_published_version_is_not_found(client, users):
    programme = MeasureFactory().programme
    services.programme_send_for_review(actor=users["project_leader"], programme=programme)
    assert client.get(page_url(programme)).status_code == 404


def test_a_programme_of_a_hidden_area_is_not_found(client, users):
    programme = MeasureFactory().programme
    on_hearing(programme, users["project_leader"])
    programme.area.is_published = False
    programme.area.save()
    assert client.get(page_url(programme)).status_code == 404


@pytest.mark.parametrize("year", [1999, 9999, 99999999999999999999])
def test_a_year_out_of_range_is_not_found(client, year):
    assert client.get(f"/handlingsprogram/veitvet-og-slettelokka/{year}/").status_code == 404


def test_a_draft_on_hearing_shows_the_live_draft_with_a_banner(client, users):
    measure = MeasureFactory(comment="Benker og lys langs stien.")
    programme = on_hearing(measure.programme, users["project_leader"])
    services.programme_update(
        actor=users["project_leader"], programme=programme, risks="Været kan forsinke arbeidet."
    )
    response = client.get(page_url(programme))
    body = response.content.decode()
    assert response.status_code == 200
    until = programme.hearing_until
    assert "Utkast på høring – kommenter innen" in body
    assert f"{until.day}." in body and str(until.year) in body
    assert "Været kan forsinke arbeidet." in body  # live: the change just made
    assert measure.project.title in body
    assert reverse("programmes:comment", args=[programme.area.slug, programme.year]) in body


def test_a_published_programme_shows_its_frozen_version_not_later_changes(client, users):
    leader = users["programme_leader"]
    measure = MeasureFactory()
    programme = measure.programme
    services.programme_update(actor=leader, programme=programme, risks="Første versjons risiko.")
    publish(programme, leader)
    programme = services.programme_revise(actor=leader, programme=programme)
    services.programme_update(actor=leader, programme=programme, risks="Ny tekst i utkastet.")
    body = client.get(page_url(programme)).content.decode()
    assert "Første versjons risiko." in body
    assert "Ny tekst i utkastet." not in body
    assert "Utkast på høring" not in body


def test_contents_nav_and_headings_in_the_readers_language(client, users):
    leader = users["programme_leader"]
    programme = MeasureFactory().programme
    publish(programme, leader)
    nb = client.get(page_url(programme)).content.decode()
    en = client.get(page_url(programme, "en")).content.decode()
    nn = client.get(page_url(programme, "nn")).content.decode()
    assert 'aria-labelledby="toc-h"' in nb
    assert "Innhold" in nb and "Innledning" in nb
    assert ">Contents<" in en and ">Introduction<" in en
    assert "Innhald" in nn
    # The district's own text is kept as written, whatever the language.
    assert programme.introduction in en


def test_the_published_pdf_downloads_from_private_storage(client, users, settings):
    leader = users["programme_leader"]
    programme = MeasureFactory().programme
    version = publish(programme, leader, pdf=b"%PDF-1.7 handlingsprogram")
    body = client.get(page_url(programme)).content.decode()
    url = reverse(
        "programmes:version_pdf",
        kwargs={"area": programme.area.slug, "year": programme.year, "number": version.number},
    )
    assert url in body
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 handlingsprogram"
    # The file has no address under the public media.
    assert client.get(f"{settings.MEDIA_URL}{version.rendering.pdf.name}").status_code == 404


def test_the_pdf_of_a_version_not_published_is_not_found(client, users):
    leader = users["programme_leader"]
    programme = MeasureFactory().programme
    publish(programme, leader, pdf=b"%PDF-1.7 v1")
    programme = services.programme_revise(actor=leader, programme=programme)
    services.programme_send_for_review(actor=leader, programme=programme)
    services.programme_adopt(actor=leader, programme=programme)  # version 2: adopted only
    kwargs = {"area": programme.area.slug, "year": programme.year}
    assert (
        client.get(reverse("programmes:version_pdf", kwargs={**kwargs, "number": 2})).status_code
        == 404
    )
    assert (
        client.get(reverse("programmes:version_pdf", kwargs={**kwargs, "number": 1})).status_code
        == 200
    )


def test_versions_page_says_what_changed_and_is_linked_with_two_versions(client, users):
    leader = users["programme_leader"]
    first = MeasureFactory()
    programme = first.programme
    BudgetLineFactory(project=first.project, year=programme.year, planned=100000)
    publish(programme, leader)
    versions_url = reverse("programmes:versions", args=[programme.area.slug, programme.year])
    assert versions_url not in client.get(page_url(programme)).content.decode()
    programme = services.programme_revise(actor=leader, programme=programme)
    added = MeasureFactory(programme=programme)
    services.programme_update(actor=leader, programme=programme, risks="Nye risikoer.")
    publish(programme, leader)
    assert versions_url in client.get(page_url(programme)).content.decode()
    body = client.get(versions_url).content.decode()
    assert "Versjon 2" in body and "Versjon 1" in body
    assert "Tiltak lagt til:" in body and added.project.title in body
    assert "Risiko" in body


def test_sitemap_lists_published_programmes_only(client, users):
    leader = users["programme_leader"]
    published = MeasureFactory().programme
    publish(published, leader)
    hearing = ProgrammeFactory(year=2028)
    on_hearing(hearing, leader)
    draft = ProgrammeFactory(year=2029)
    body = client.get("/sitemap.xml").content.decode()
    assert published.get_absolute_url() in body
    assert hearing.get_absolute_url() not in body
    assert draft.get_absolute_url() not in body


def test_area_page_lists_published_and_hearing_programmes(client, users):
    leader = users["programme_leader"]
    published = MeasureFactory().programme
    publish(published, leader)
    hearing = on_hearing(ProgrammeFactory(year=2028), leader)
    draft = ProgrammeFactory(year=2029)
    body = client.get(reverse("area_detail", args=[published.area.slug])).content.decode()
    assert published.get_absolute_url() in body
    assert hearing.get_absolute_url() in body
    assert "på høring" in body
    assert draft.get_absolute_url() not in body


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("state", ["hearing", "published"])
def test_page_queries_do_not_grow_with_measures(client, users, state):
    leader = users["programme_leader"]
    programme = MeasureFactory().programme
    if state == "hearing":
        on_hearing(programme, leader)
    else:
        publish(programme, leader)
    one = _queries(client, page_url(programme))
    if state == "published":
        programme = services.programme_revise(actor=leader, programme=programme)
    for _ in range(5):
        measure = MeasureFactory(programme=programme)
        BudgetLineFactory(project=measure.project, year=programme.year, planned=5000)
    if state == "published":
        publish(programme, leader)
    assert _queries(client, page_url(programme)) == one
