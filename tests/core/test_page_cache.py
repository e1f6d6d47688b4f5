"""Public pages from the cache for visitors who are not signed in (core/page_cache.py).

Every page that is cached changes as soon as the data behind it changes through the writing
path (a service, or the admin for reference data); a signed-in person is never served from
that cache; forms on a cached page keep working (CSRF, language switch)."""

import gzip
import re
import zlib
from datetime import date, timedelta

import pytest
from django.contrib import admin
from django.contrib.messages import constants
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from areas.models import Area
from core import page_cache
from core.page_cache import (
    _PLACEHOLDER,
    HEADER,
    _deflated_parts,
    _gzip,
    accepts_gzip,
    cached_for_visitors,
)
from grants.services import rounds as round_services
from knowledge import services as knowledge_services
from participation import services as participation_services
from programmes import services as programme_services
from projects import services as project_services
from tests.grants.factories import GrantRoundFactory
from tests.knowledge.factories import LessonFactory
from tests.participation.factories import EventFactory
from tests.programmes.factories import MeasureFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

AREA = "/omradeloft/veitvet-og-slettelokka/"


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PUBLIC_PAGE_CACHE = True
    forget_all()
    yield
    forget_all()


def forget_all():
    """The shared cache and this process's memo of recent pages: another worker's view."""
    cache.clear()
    page_cache.forget()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a write as if its transaction committed: the data versions are raised then."""

    def run(write, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(**kwargs)

    return run


def visit(url: str, **extra):
    response = Client().get(url, **extra)
    assert response.status_code == 200, url
    return response


def cached(url: str):
    """The page from a new visitor, after a first visitor has put it in the cache."""
    visit(url)
    response = visit(url)
    assert response[HEADER] == "hit", url
    return response.content.decode()


# --- What is cached, and for whom --------------------------------------------------------------


def test_the_second_visitor_gets_the_page_from_the_cache(client):
    first = visit(AREA)
    second = visit(AREA)
    assert first[HEADER] == "miss" and second[HEADER] == "hit"
    assert "Cookie" in second["Vary"]
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", first.content.decode()) == token.sub("", second.content.decode())


def test_each_visitor_gets_a_csrf_token_of_their_own_and_the_forms_work():
    visit(AREA)
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get(AREA)
    assert response[HEADER] == "hit"
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert tokens and "\x00" not in response.content.decode()
    assert "csrftoken" in response.cookies  # the visitor's own secret, for their own token
    other = Client().get(AREA)
    assert other.cookies["csrftoken"].value != response.cookies["csrftoken"].value
    # The language switch on the cached page, posted with the token it carries.
    switched = visitor.post(
        "/i18n/setlang/",
        {"csrfmiddlewaretoken": tokens[0], "language": "en", "next": AREA},
    )
    assert switched.status_code == 302
    assert switched["Location"] == "/en" + AREA


def test_a_browser_that_accepts_gzip_gets_the_page_compressed_with_its_own_token():
    gzipped = [visit(AREA, HTTP_ACCEPT_ENCODING="gzip, deflate, br") for _ in range(3)]
    plain = visit(AREA)
    token = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert [response[HEADER] for response in gzipped] == ["miss", "hit", "hit"]
    pages = []
    for response in gzipped:
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"] and "Cookie" in response["Vary"]
        assert len(response.content) < len(plain.content) / 2
        # One gzip member whose checksum and length gzip itself checks.
        page = gzip.decompress(response.content)
        assert zlib.decompressobj(wbits=31).decompress(response.content) == page
        pages.append(page)
    tokens = [token.findall(page) for page in pages]
    assert all(tokens) and len({tuple(t) for t in tokens}) == 3  # each visitor's own token
    for page in pages:
        assert token.sub(b"", page) == token.sub(b"", plain.content)
    # Without gzip in what the browser accepts, the page as it is.
    again = visit(AREA, HTTP_ACCEPT_ENCODING="identity")
    assert "Content-Encoding" not in again and b"</html>" in again.content
    # Named with weight zero, gzip is refused though the name is there.
    refused = visit(AREA, HTTP_ACCEPT_ENCODING="br, gzip;q=0")
    assert "Content-Encoding" not in refused and b"</html>" in refused.content


@pytest.mark.parametrize(
    ("header", "gzip_allowed"),
    [
        ("gzip, deflate, br", True),
        ("GZip", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("x-gzip", True),
        ("*", True),
        ("br, *;q=0.1", True),
        ("", False),
        ("identity", False),
        ("gzip;q=0", False),
        ("gzip; q=0.000", False),
        ("*;q=0.5, gzip;q=0", False),
        ("*, gzip;q=0", False),
        ("*;q=0", False),
        ("gzip;q=nonsense", False),
        ("notgzip, gzipx", False),
    ],
)
def test_gzip_is_sent_only_where_the_request_allows_it(header, gzip_allowed):
    assert accepts_gzip(header) is gzip_allowed


def test_the_compressed_page_keeps_every_token_in_place():
    content = b"<form>" + _PLACEHOLDER + b"</form>" * 50 + _PLACEHOLDER + b"end" + _PLACEHOLDER
    token = b"x" * 64
    body = _gzip(_deflated_parts(content), token, content.replace(_PLACEHOLDER, token))
    assert gzip.decompress(body) == content.replace(_PLACEHOLDER, token)
    whole = b"no form here" * 20
    assert gzip.decompress(_gzip(_deflated_parts(whole), b"", whole)) == whole


def test_each_language_is_a_page_of_its_own():
    nb = cached(AREA)
    en = cached("/en" + AREA)
    nn = cached("/nn" + AREA)
    assert 'lang="nb"' in nb and 'lang="en"' in en and 'lang="nn"' in nn
    assert len({nb, en, nn}) == 3


def test_a_signed_in_person_is_never_served_from_the_cache_nor_fills_it(users):
    visit(AREA)  # in the cache now
    person = Client()
    person.force_login(users["resident"])
    response = person.get(AREA)
    assert HEADER not in response
    assert "Log out" in response.content.decode() or "Logg ut" in response.content.decode()
    forget_all()
    person.get(AREA)
    assert visit(AREA)[HEADER] == "miss"  # the signed-in page was not stored


def test_a_visitor_with_a_message_waiting_gets_the_page_rendered_for_them():
    @cached_for_visitors()
    def view(request):
        from django.http import HttpResponse

        return HttpResponse("page")

    request = RequestFactory().get("/x/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    request.session = {}
    storage = FallbackStorage(request)
    request._messages = storage
    storage.add(constants.SUCCESS, "Takk!")
    assert HEADER not in view(request)


def test_only_plain_pages_are_stored():
    @cached_for_visitors()
    def view(request):
        from django.http import HttpResponse

        response = HttpResponse("page")
        response.set_cookie("mine", "1")
        return response

    request = RequestFactory().get("/y/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)
    assert HEADER not in view(request)
    assert HEADER not in view(request)


# --- Every cached page changes when its data does ---------------------------------------------


def test_home_changes_when_an_area_is_changed_in_the_admin(rf, users, commit):
    assert "Nytt navn på Romsås" not in cached("/")
    area = Area.objects.get(slug="romsas")
    area.name = "Nytt navn på Romsås"
    request = rf.post("/admin/")
    request.user = users["secretariat"]
    area_admin = admin.site._registry[Area]
    commit(lambda: area_admin.save_model(request, area, form=None, change=True))
    assert "Nytt navn på Romsås" in visit("/").content.decode()


def test_the_area_page_changes_with_its_projects_and_contacts(users, commit):
    project = ProjectFactory(title="Gammelt navn", is_public=True)
    assert "Gammelt navn" in cached(AREA)
    commit(
        project_services.project_update,
        project=project,
        actor=users["secretariat"],
        title="Nytt navn på tiltaket",
    )
    assert "Nytt navn på tiltaket" in visit(AREA).content.decode()

    assert "Kari Kontakt" not in cached(AREA)
    commit(
        knowledge_services.contact_save,
        actor=users["secretariat"],
        area=Area.objects.get(slug="veitvet-og-slettelokka"),
        role="Områdekoordinator",
        name="Kari Kontakt",
        email="kari@example.org",
    )
    assert "Kari Kontakt" in visit(AREA).content.decode()


def test_the_project_page_changes_with_a_public_update(users, commit):
    project = ProjectFactory(slug="benker", is_public=True)
    url = "/prosjekter/benker/"
    assert "Benkene er på plass" not in cached(url)
    commit(
        project_services.status_update_add,
        project=project,
        actor=users["secretariat"],
        date=date(2026, 5, 1),
        text="Benkene er på plass.",
        is_public=True,
    )
    assert "Benkene er på plass" in visit(url).content.decode()


def test_the_events_pages_change_when_an_event_is_cancelled(users, commit):
    event = EventFactory(title="Folkemøte om parken")
    detail = reverse("participation:event_detail", args=[event.slug])
    for url in ("/medvirkning/", detail):
        assert "Folkemøte om parken" in cached(url)
    before = cached(detail)
    commit(
        participation_services.event_cancel,
        actor=users["secretariat"],
        event=event,
        reason="Sykdom hos arrangøren.",
    )
    assert "Dette arrangementet er avlyst." not in before
    assert "Dette arrangementet er avlyst." in visit(detail).content.decode()


def test_the_event_page_changes_when_someone_registers(users, commit):
    event = EventFactory(title="Verksted", capacity=10)
    url = reverse("participation:event_detail", args=[event.slug])
    before = cached(url)
    assert "10 ledige plasser" in before
    commit(
        participation_services.registration_create,
        event=event,
        actor=users["resident"],
        name="",
        email="",
        people=3,
    )
    assert "7 ledige plasser" in visit(url).content.decode()


def test_the_grant_pages_change_when_a_round_changes(users, commit):
    grant_round = GrantRoundFactory(title="Bomiljøtilskudd høst", is_published=True)
    detail = reverse("grants:round_detail", args=[grant_round.slug])
    for url in ("/tilskudd/", detail):
        assert "Bomiljøtilskudd høst" in cached(url)
    fields = {
        name: getattr(grant_round, name)
        for name in round_services.ROUND_FIELDS
        if name not in ("title",)
    }
    commit(
        round_services.round_save,
        actor=users["secretariat"],
        instance=grant_round,
        areas=list(grant_round.areas.all()),
        title="Bomiljøtilskudd vinter",
        **fields,
    )
    for url in ("/tilskudd/", detail):
        assert "Bomiljøtilskudd vinter" in visit(url).content.decode()


def test_a_programme_on_hearing_changes_with_its_text(users, commit):
    measure = MeasureFactory()
    programme = programme_services.programme_put_on_hearing(
        actor=users["project_leader"],
        programme=measure.programme,
        until=timezone.localdate() + timedelta(days=14),
    )
    with translation.override("nb"):
        url = programme.get_absolute_url()
    assert "Været kan forsinke arbeidet" not in cached(url)
    commit(
        programme_services.programme_update,
        actor=users["project_leader"],
        programme=programme,
        risks="Været kan forsinke arbeidet.",
    )
    assert "Været kan forsinke arbeidet" in visit(url).content.decode()


def test_the_area_and_project_pages_change_when_a_lesson_is_published(users, commit):
    project = ProjectFactory(slug="grendehuset", title="Grendehuset", is_public=True)
    lesson = LessonFactory(project=project, title="Dugnad samler flere enn møter")
    project_url = "/prosjekter/grendehuset/"
    for url in (AREA, project_url):
        assert "Dugnad samler flere enn møter" not in cached(url)
    commit(knowledge_services.lesson_publish, actor=users["secretariat"], lesson=lesson)
    for url in (AREA, project_url):
        assert "Dugnad samler flere enn møter" in visit(url).content.decode()


# --- The knowledge pages ----------------------------------------------------------------------


def test_the_lessons_pages_change_when_a_lesson_is_published_and_edited(users, commit):
    project = ProjectFactory(title="Parken", is_public=True)
    lesson = LessonFactory(project=project, title="Spør barna først")
    detail = reverse("knowledge:lesson_detail", args=[lesson.pk])
    assert "Spør barna først" not in cached("/erfaringer/")
    commit(knowledge_services.lesson_publish, actor=users["secretariat"], lesson=lesson)
    assert "Spør barna først" in cached("/erfaringer/")
    assert "Tegn sammen med dem" not in cached(detail)
    commit(
        knowledge_services.lesson_update,
        actor=users["secretariat"],
        lesson=lesson,
        advice="Tegn sammen med dem.",
    )
    assert "Tegn sammen med dem" in visit(detail).content.decode()


def test_a_lesson_leaves_the_public_pages_when_its_project_becomes_internal(users, commit):
    project = ProjectFactory(title="Parken", is_public=True)
    lesson = LessonFactory(project=project, title="Spør barna først", published=True)
    detail = reverse("knowledge:lesson_detail", args=[lesson.pk])
    assert "Spør barna først" in cached("/erfaringer/")
    cached(detail)
    commit(
        project_services.project_update,
        project=project,
        actor=users["secretariat"],
        is_public=False,
    )
    assert "Spør barna først" not in visit("/erfaringer/").content.decode()
    assert Client().get(detail).status_code == 404


def test_the_recipe_pages_change_when_a_recipe_is_published_and_edited(users, commit):
    from tests.knowledge.factories import RecipeFactory

    recipe = RecipeFactory(title="Trygghetsvandring")
    assert "Trygghetsvandring" not in cached("/oppskrifter/")
    commit(knowledge_services.recipe_publish, actor=users["secretariat"], recipe=recipe)
    assert "Trygghetsvandring" in cached("/oppskrifter/")
    url = recipe.get_absolute_url()
    assert "Ta med lommelykt" not in cached(url)
    commit(
        knowledge_services.recipe_save,
        actor=users["secretariat"],
        recipe=recipe,
        ingredients="Ta med lommelykt",
    )
    assert "Ta med lommelykt" in visit(url).content.decode()


def test_the_archive_changes_when_a_document_is_added_or_changed(users, commit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from knowledge.simple_pdf import simple_pdf

    assert "Stedsanalyse for Romsås" not in cached("/dokumenter/")
    document = commit(
        knowledge_services.document_upload,
        actor=users["secretariat"],
        upload=SimpleUploadedFile(
            "analyse.pdf", simple_pdf(["Stedsanalyse"]), content_type="application/pdf"
        ),
        title="Stedsanalyse for Romsås",
        kind="programplan",
        language="nb",
        year=2025,
        programme=None,
        district=None,
        area=None,
        summary="Hva beboerne sa.",
        is_public=True,
    )
    assert "Stedsanalyse for Romsås" in cached("/dokumenter/")
    detail = reverse("knowledge:document_detail", args=[document.pk])
    assert "Hva ungdommen sa" not in cached(detail)
    fields = {
        name: getattr(document, name)
        for name in knowledge_services.DOCUMENT_FIELDS
        if name != "summary"
    }
    commit(
        knowledge_services.document_update,
        actor=users["secretariat"],
        document=document,
        **fields,
        summary="Hva ungdommen sa.",
    )
    assert "Hva ungdommen sa" in visit(detail).content.decode()


def test_who_is_responsible_changes_with_a_contact_and_in_the_admin(rf, users, commit):
    from knowledge.models import Member

    url = reverse("knowledge:responsibility")
    assert "Per Programleder" not in cached(url)
    commit(
        knowledge_services.contact_save,
        actor=users["secretariat"],
        role="Programleder",
        name="Per Programleder",
        email="per@example.org",
    )
    assert "Per Programleder" in cached(url)
    member = Member(body="programstyre", role="medlem", organisation="Bydel Stovner")
    request = rf.post("/admin/")
    request.user = users["secretariat"]
    member_admin = admin.site._registry[Member]
    commit(lambda: member_admin.save_model(request, member, form=None, change=False))
    assert "Bydel Stovner" in visit(url).content.decode()


# Every cached page, by URL name, and the test above that shows it changing with its data.
CHANGE_TESTED = {
    "home": test_home_changes_when_an_area_is_changed_in_the_admin,
    "area_detail": test_the_area_page_changes_with_its_projects_and_contacts,
    "projects:detail": test_the_project_page_changes_with_a_public_update,
    "participation:events": test_the_events_pages_change_when_an_event_is_cancelled,
    "participation:event_detail": test_the_event_page_changes_when_someone_registers,
    "grants:rounds": test_the_grant_pages_change_when_a_round_changes,
    "grants:round_detail": test_the_grant_pages_change_when_a_round_changes,
    "programmes:detail": test_a_programme_on_hearing_changes_with_its_text,
    "knowledge:lessons": test_the_lessons_pages_change_when_a_lesson_is_published_and_edited,
    "knowledge:lesson_detail": test_the_lessons_pages_change_when_a_lesson_is_published_and_edited,
    "knowledge:recipes": test_the_recipe_pages_change_when_a_recipe_is_published_and_edited,
    "knowledge:recipe_detail": test_the_recipe_pages_change_when_a_recipe_is_published_and_edited,
    "knowledge:archive": test_the_archive_changes_when_a_document_is_added_or_changed,
    "knowledge:document_detail": test_the_archive_changes_when_a_document_is_added_or_changed,
    "knowledge:responsibility": test_who_is_responsible_changes_with_a_contact_and_in_the_admin,
}


def _cached_views(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            yield from _cached_views(pattern, prefix + namespace)
        elif hasattr(pattern.callback, "page_cache_topics") and pattern.name:
            yield prefix + pattern.name


def test_every_cached_page_has_a_test_of_it_changing_with_its_data():
    from django.urls import get_resolver

    assert set(_cached_views(get_resolver())) == set(CHANGE_TESTED)


def test_a_page_from_this_process_s_memo_is_still_keyed_by_the_data_versions(users, commit):
    """With the shared cache emptied, the worker's own memo serves the page; once the data
    changes, neither the memo nor the shared cache has a page for the new versions."""
    project = ProjectFactory(title="Gammel tittel", is_public=True)
    assert "Gammel tittel" in cached(AREA)
    cache.clear()  # the shared cache only: the memo still has the page
    assert visit(AREA)[HEADER] == "hit"
    commit(
        project_services.project_update,
        project=project,
        actor=users["secretariat"],
        title="Ny tittel",
    )
    fresh = visit(AREA)
    assert fresh[HEADER] == "miss" and "Ny tittel" in fresh.content.decode()


def test_the_memo_holds_no_more_than_its_limit():
    memo = page_cache._Recent(limit=100)
    for n in range(5):
        memo.put(f"k{n}", {"content": b"x" * 30, "deflated": [b"y" * 10], "headers": {}})
    assert memo.size <= 100 and list(memo.entries) == ["k3", "k4"]
    # The compressed parts count too.
    memo.put("big", {"content": b"x" * 60, "deflated": [b"y" * 41], "headers": {}})
    assert "big" not in memo.entries
    assert memo.get("k3") is not None and list(memo.entries) == ["k4", "k3"]
