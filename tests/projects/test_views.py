"""Project pages over HTTP: who gets what, query counts that do not grow, open data."""

import csv
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.models import Area
from projects.models import Milestone, Project, ProjectChange
from tests.matrix import LOGIN, ROLES, Row, assert_matrix, expect_all
from tests.projects.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    MilestoneFactory,
    ProjectFactory,
    StatusUpdateFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bjerke_project():
    project = ProjectFactory(slug="bjerke-tiltak", title="Bjerke-tiltak")
    MilestoneFactory(project=project)
    return project


@pytest.fixture
def alna_project():
    return ProjectFactory(
        slug="alna-tiltak",
        title="Alna-tiltak",
        area=Area.objects.get(slug="trosterud-og-haugerud"),
    )


def staff_read(**overrides):
    """Staff who may read Bjerke projects: Bjerke staff, the board and the secretariat."""
    base = dict.fromkeys(ROLES, 200) | {
        "anonymous": LOGIN,
        "resident": 403,
        "other_district_leader": 404,
    }
    return base | overrides


def staff_write(ok=200, **overrides):
    """Only Bjerke's project and programme leaders and the secretariat may change a project."""
    base = {
        "anonymous": LOGIN,
        "resident": 403,
        "case_handler": 403,
        "project_leader": ok,
        "programme_leader": ok,
        "other_district_leader": 404,
        "board": 403,
        "secretariat": ok,
    }
    return base | overrides


def test_project_url_matrix(users, bjerke_project, alna_project):
    slug = {"slug": "bjerke-tiltak"}
    rows = [
        Row("projects:detail", expect_all(200), kwargs=slug),
        Row("projects:open_data_csv", expect_all(200)),
        Row("projects:open_data_json", expect_all(200)),
        Row(
            "projects:staff_list",
            expect_all(200, anonymous=LOGIN, resident=403),
        ),
        Row(
            "projects:staff_create",
            staff_write(other_district_leader=200),
        ),
        Row("projects:staff_detail", staff_read(), kwargs=slug),
        Row("projects:staff_history", staff_read(), kwargs=slug),
        Row("projects:staff_edit", staff_write(), kwargs=slug),
        # Writes: a refused POST never reaches the form; an empty allowed POST is a 400.
        Row("projects:milestone_add", staff_write(400), method="post", kwargs=slug),
        Row("projects:indicator_add", staff_write(400), method="post", kwargs=slug),
        Row("projects:update_add", staff_write(400), method="post", kwargs=slug),
        Row("projects:budget_set", staff_write(400), method="post", kwargs=slug),
        Row("projects:partner_add", staff_write(400), method="post", kwargs=slug),
        Row("projects:image_add", staff_write(400), method="post", kwargs=slug),
        Row(
            lambda: reverse(
                "projects:milestone_done",
                kwargs={"slug": "bjerke-tiltak", "pk": Milestone.objects.get().pk},
            ),
            staff_write(400),
            method="post",
        ),
        # A Bjerke leader asking for an Alna project gets 404, as if it did not exist.
        Row(
            "projects:staff_edit",
            staff_write(project_leader=404, programme_leader=404, case_handler=404)
            | {"other_district_leader": 200},
            kwargs={"slug": "alna-tiltak"},
        ),
    ]
    assert_matrix(users, rows)
    assert not ProjectChange.objects.exists()


def test_unpublished_project_is_404_in_public_and_missing_from_open_data(client):
    ProjectFactory(slug="skjult", title="Skjult tiltak", is_public=False)

    assert client.get("/prosjekter/skjult/").status_code == 404
    assert "Skjult tiltak" not in client.get("/prosjekter/apne-data.json").content.decode()
    assert "Skjult tiltak" not in client.get("/omradeloft/veitvet-og-slettelokka/").content.decode()


def _make_projects(n: int) -> None:
    for i in range(n):
        project = ProjectFactory()
        MilestoneFactory(project=project, done_date=project.start_date if i % 2 else None)
        StatusUpdateFactory(project=project, is_public=True)
        indicator = IndicatorFactory(project=project)
        IndicatorValueFactory(indicator=indicator)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/omradeloft/veitvet-og-slettelokka/",
        "/intern/prosjekter/",
        "/prosjekter/apne-data.json",
        "/prosjekter/apne-data.csv",
    ],
)
def test_lists_issue_the_same_number_of_queries_for_1_and_50_projects(client, users, url):
    client.force_login(users["programme_leader"])
    _make_projects(1)
    one = _count(client, url)
    _make_projects(49)
    assert Project.objects.count() == 50
    assert _count(client, url) == one


@pytest.mark.parametrize("staff", [False, True])
def test_project_page_queries_do_not_grow_with_its_content(client, users, staff):
    client.force_login(users["programme_leader"])
    project = ProjectFactory(slug="stor")
    url = f"/intern/prosjekter/{project.slug}/" if staff else f"/prosjekter/{project.slug}/"
    MilestoneFactory(project=project)
    IndicatorValueFactory(indicator=IndicatorFactory(project=project))
    StatusUpdateFactory(project=project, is_public=True)
    small = _count(client, url)
    for _ in range(20):
        MilestoneFactory(project=project)
        indicator = IndicatorFactory(project=project)
        IndicatorValueFactory(indicator=indicator)
        StatusUpdateFactory(project=project, is_public=True)
    assert _count(client, url) == small


def test_public_page_shows_progress_indicators_and_public_updates_only(client):
    project = ProjectFactory(slug="vis", title="Synlig tiltak")
    MilestoneFactory(project=project, done_date=project.start_date)
    MilestoneFactory(project=project)
    indicator = IndicatorFactory(project=project, name="Dugnadstimer", unit="timer")
    IndicatorValueFactory(indicator=indicator, value=1000)
    StatusUpdateFactory(project=project, is_public=True, text="Offentlig nytt")
    StatusUpdateFactory(project=project, is_public=False, text="Intern merknad")

    html = client.get("/prosjekter/vis/").content.decode()
    assert "Synlig tiltak" in html
    assert 'value="50"' in html
    assert "Dugnadstimer" in html and "1 000 timer" in html.replace("\xa0", " ")
    assert "Offentlig nytt" in html
    assert "Intern merknad" not in html


def test_area_page_lists_its_published_projects(client):
    ProjectFactory(slug="her", title="Tiltak her")
    ProjectFactory(
        slug="der", title="Tiltak der", area=Area.objects.get(slug="trosterud-og-haugerud")
    )
    html = client.get("/omradeloft/veitvet-og-slettelokka/").content.decode()
    assert "Tiltak her" in html
    assert "Tiltak der" not in html


def test_area_page_shows_a_page_of_its_projects_and_how_many_in_all(client):
    for n in range(30):
        ProjectFactory(slug=f"tiltak-{n:02}", title=f"Tiltak {n:02}")
    url = "/omradeloft/veitvet-og-slettelokka/"
    first = client.get(url).content.decode()
    assert "30 publiserte prosjekter" in first
    shown = [n for n in range(30) if f">Tiltak {n:02}<" in first]
    assert shown == list(range(12))
    assert 'href="?side=2#prosjekter"' in first
    last = client.get(url, {"side": "3"}).content.decode()
    assert [n for n in range(30) if f">Tiltak {n:02}<" in last] == list(range(24, 30))
    assert "viser 25–30" in last


@pytest.mark.parametrize("side", ["x", "-1", "99999999999999999999999", "2.5", ""])
def test_area_page_takes_any_page_number_without_error(client, side):
    ProjectFactory(slug="tiltak", title="Tiltaket")
    response = client.get("/omradeloft/veitvet-og-slettelokka/", {"side": side})
    assert response.status_code == 200
    assert "Tiltaket" in response.content.decode()


def test_open_data_json_and_csv_carry_the_same_projects(client):
    ProjectFactory(slug="apen", title="Åpent tiltak")
    data = json.loads(client.get("/prosjekter/apne-data.json").content)
    assert data["licence"] == "NLOD-2.0"
    assert [p["slug"] for p in data["projects"]] == ["apen"]
    assert data["projects"][0]["district_number"] == "09"

    response = client.get("/prosjekter/apne-data.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["title"] for r in rows] == ["Åpent tiltak"]
    assert "author" not in rows[0] and "email" not in ",".join(rows[0])


def test_staff_list_filters_narrow_and_search(client, users, bjerke_project, alna_project):
    client.force_login(users["secretariat"])
    html = client.get("/intern/prosjekter/").content.decode()
    assert "Bjerke-tiltak" in html and "Alna-tiltak" in html

    alna = alna_project.area.district
    html = client.get(f"/intern/prosjekter/?district={alna.pk}").content.decode()
    assert "Alna-tiltak" in html and "Bjerke-tiltak" not in html
    html = client.get("/intern/prosjekter/?q=bjerke").content.decode()
    assert "Bjerke-tiltak" in html and "Alna-tiltak" not in html
    html = client.get("/intern/prosjekter/?year=2019").content.decode()
    assert "Bjerke-tiltak" not in html


def test_staff_list_filter_never_widens_the_scope(client, users, alna_project):
    client.force_login(users["project_leader"])
    alna = alna_project.area.district
    html = client.get(f"/intern/prosjekter/?district={alna.pk}").content.decode()
    assert "Alna-tiltak" not in html


def test_create_form_keeps_input_and_names_every_error(client, users):
    client.force_login(users["project_leader"])
    area = Area.objects.get(slug="linderud")
    response = client.post(
        "/intern/prosjekter/ny/",
        {
            "area": area.pk,
            "title": "Lys på stien",
            "summary": "",
            "status": "planlagt",
            "participation_step": 2,
            "start_date": "2026-05-01",
            "end_date": "2026-01-01",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Lys på stien"' in html
    assert 'href="#id_summary"' in html and 'href="#id_end_date"' in html
    assert 'href="#id_sub_goals' in html
    assert not Project.objects.exists()


def test_create_edit_and_history(client, users):
    client.force_login(users["project_leader"])
    area = Area.objects.get(slug="linderud")
    response = client.post(
        "/intern/prosjekter/ny/",
        {
            "area": area.pk,
            "title": "Lys på stien",
            "summary": "Belysning på snarveien til skolen.",
            "sub_goals": ["2", "5"],
            "status": "planlagt",
            "participation_step": 2,
            "start_date": "2026-05-01",
            "is_public": "on",
        },
    )
    project = Project.objects.get()
    assert response["Location"] == f"/intern/prosjekter/{project.slug}/"
    assert project.slug == "lys-pa-stien"
    data = {
        "area": area.pk,
        "title": "Lys på stien",
        "summary": "Belysning på snarveien til skolen.",
        "sub_goals": ["2", "5"],
        "status": "pagar",
        "participation_step": 3,
        "start_date": "2026-05-01",
        "is_public": "on",
    }
    client.post(f"/intern/prosjekter/{project.slug}/endre/", data)
    project.refresh_from_db()
    assert project.status == "pagar"
    html = client.get(f"/intern/prosjekter/{project.slug}/historikk/").content.decode()
    assert "Status: Planlagt → Pågår" in html
    assert users["project_leader"].full_name in html


def _png() -> bytes:
    import io as _io

    from PIL import Image

    buffer = _io.BytesIO()
    Image.new("RGB", (4, 3), (42, 40, 89)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_image_upload_needs_alt_text_and_is_shown_with_it(client, users, bjerke_project):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users["project_leader"])
    url = "/intern/prosjekter/bjerke-tiltak/bilder/"
    upload = SimpleUploadedFile("benk.png", _png(), content_type="image/png")
    response = client.post(url, {"image-image": upload, "image-alt_text": "  "})
    assert response.status_code == 400
    assert 'href="#id_image-alt_text"' in response.content.decode()
    assert not bjerke_project.images.exists()

    upload = SimpleUploadedFile("benk.png", _png(), content_type="image/png")
    response = client.post(
        url, {"image-image": upload, "image-alt_text": "Ny benk ved grendehuset"}
    )
    assert response.status_code == 302
    html = client.get("/prosjekter/bjerke-tiltak/").content.decode()
    assert 'alt="Ny benk ved grendehuset"' in html
    assert ProjectChange.objects.filter(action="image_added").count() == 1
    # The page gives the browser the image's size from the file, so nothing moves as it loads.
    picture = bjerke_project.images.get()
    assert (picture.width, picture.height) == (4, 3)
    (img,) = re.findall(r'<img [^>]*alt="Ny benk ved grendehuset"[^>]*>', html)
    assert 'width="4"' in img and 'height="3"' in img


def test_sitemap_lists_published_projects_only(client):
    ProjectFactory(slug="synlig")
    ProjectFactory(slug="usynlig", is_public=False)

    xml = client.get("/sitemap.xml").content.decode()
    assert "/prosjekter/synlig/" in xml and "/en/prosjekter/synlig/" in xml
    assert "usynlig" not in xml


def test_an_image_whose_file_cannot_be_read_is_saved_without_a_size(bjerke_project):
    from projects.models import ProjectImage

    picture = ProjectImage(
        project=bjerke_project, image="projects/finnes-ikke.png", alt_text="Et bilde"
    )
    picture.save()
    picture.refresh_from_db()
    assert (picture.width, picture.height) == (None, None)
