"""The dashboards in real Chromium, in Norwegian, with each role allowed to see them.

A board member signs in and lands on the programme dashboard, narrows it to a year, drills
down from a figure (programme → bydel → area → the projects behind the count) with the year
kept all the way, downloads a table as XLSX (read back with openpyxl: the same figures) and
asks for the board pack, which is made in the embedded mode's background thread while its page
is open and then downloads as a PDF. The secretariat drills down from the programme's figures
to the participation events behind them. A programme leader lands on their own district's
dashboard, is taken there from the programme's address, and drills down to the input behind
a figure. axe-core checks every page.
"""

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from areas.models import Area, District
from core.tasks import wait_for_background
from dashboards.models import BoardPack
from participation.models import Input
from projects.models import BudgetLine, Project
from tests.accounts.factories import make_user
from tests.browser.conftest import follow, staff_login, submit, visit
from tests.participation.factories import EventFactory, InputFactory
from tests.projects.factories import BudgetLineFactory, ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


@pytest.fixture
def figures():
    """Projects, budget, events and input in Bjerke (Veitvet og Sletteløkka) and Grorud
    (Romsås), all in the year of the events (held the day before yesterday)."""
    today = timezone.localdate()
    starts = timezone.make_aware(datetime.combine(today - timedelta(days=2), time(18)))
    year = starts.year
    veitvet = Area.objects.get(slug="veitvet-og-slettelokka")
    romsas = Area.objects.get(slug="romsas")
    for area, count, planned in ((veitvet, 3, 120_000), (romsas, 2, 80_000)):
        for n in range(count):
            project = ProjectFactory(
                area=area,
                title=f"Tiltak {n + 1} i {area.name}",
                status=Project.Status.ONGOING,
                start_date=date(year, 1, 1),
                end_date=date(year, 12, 31),
            )
            for source, share in (
                (BudgetLine.Source.STATE_AREA_FUNDS, Decimal("0.6")),
                (BudgetLine.Source.AREA_FUNDS, Decimal("0.4")),
            ):
                BudgetLineFactory(
                    project=project,
                    year=year,
                    source=source,
                    planned=Decimal(planned) * share,
                    spent=Decimal(planned) * share / 2,
                )
        for n in range(count - 1):
            EventFactory(
                areas=[area],
                title=f"Folkemøte {n + 1} i {area.name}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                attendance_total=20 + n,
            )
        for n in range(count):
            InputFactory(area=area, text=f"Innspill {n + 1} fra {area.name}.")
    return {
        "year": year,
        "veitvet": veitvet,
        "bjerke": District.objects.get(name="Bjerke"),
        "grorud": District.objects.get(name="Grorud"),
    }


def test_every_allowed_role_reads_drills_down_exports_and_takes_the_board_pack(
    page, second_page, figures, settings
):
    year, veitvet, bjerke = figures["year"], figures["veitvet"], figures["bjerke"]
    make_user("board", email="styret@example.org", full_name="Siri Styre")
    make_user("secretariat", email="sekretariat@example.org", full_name="Sander Sekretær")
    make_user("programme_leader", bjerke, email="programleder@example.org", full_name="Pia Leder")

    # --- The board: lands on the programme dashboard ------------------------------------------
    staff_login(page, "styret@example.org")
    assert urlparse(page.url).path == "/intern/styring/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Programstyrets dashbord")

    # Narrowed to the year; the figures and every link keep it.
    page.locator("form.filter-form input[name=year]").fill(str(year))
    submit(page, "form.filter-form")
    assert _query(page.url)["year"] == [str(year)]
    by_district = page.locator("#projects-district")
    expect(by_district.locator("caption")).to_be_visible()
    bjerke_row = by_district.locator("tbody tr", has_text="Bjerke")
    expect(bjerke_row.locator("td").first).to_have_text("3")

    # Programme → bydel → area → the projects behind the figure, the year kept all the way.
    follow(page, lambda: bjerke_row.get_by_role("link", name="Bjerke").click())
    assert urlparse(page.url).path == f"/intern/styring/bydel/{bjerke.slug}/"
    assert _query(page.url)["year"] == [str(year)]
    by_area = page.locator("#projects-area")
    area_row = by_area.locator("tbody tr", has_text=veitvet.name)
    follow(page, lambda: area_row.get_by_role("link", name=veitvet.name).click())
    assert _query(page.url)["area"] == [str(veitvet.pk)]
    assert _query(page.url)["year"] == [str(year)]
    area_row = page.locator("#projects-area tbody tr", has_text=veitvet.name)
    follow(page, lambda: area_row.locator("td a").first.click())
    assert urlparse(page.url).path == "/intern/prosjekter/"
    query = _query(page.url)
    assert query["area"] == [str(veitvet.pk)] and query["year"] == [str(year)]
    expect(page.locator("main [role=status]").first).to_contain_text("3 prosjekter")
    for n in (1, 2, 3):
        expect(page.locator("main")).to_contain_text(f"Tiltak {n} i {veitvet.name}")
    expect(page.locator("main")).not_to_contain_text("i Romsås")

    # Back on the programme dashboard for the year: the budget by district as XLSX.
    visit(page, f"/intern/styring/?year={year}")
    table = page.locator("#budget-district")
    with page.expect_download() as download:
        table.get_by_role("link", name="Excel (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = workbook.worksheets[0]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=2, values_only=True)}
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["Bydel", "Planlagt", "Brukt"]
    assert rows["Bydel Bjerke"][:2] == (360_000, 180_000)
    assert rows["Bydel Grorud"][:2] == (160_000, 80_000)
    assert rows["Bydel Alna"][:2] == (0, 0)
    assert rows["Sum"] == (520_000, 260_000, 50)
    about = workbook.worksheets[1]
    assert f"year={year}" in [cell.value for cell in about["B"]]

    # The board pack of the dashboard as shown, made while its page is open.
    settings.TASKS_IN_BACKGROUND = True
    try:
        follow(
            page,
            lambda: page.get_by_role("button", name="Lag styrepakke (PDF)").click(),
        )
        assert "/intern/styring/styrepakke/" in page.url
        status = page.locator("#pack-status")
        expect(status).to_have_attribute("data-status", BoardPack.Status.READY, timeout=60_000)
        page.axe.check()
    finally:
        wait_for_background()
    board_pack = BoardPack.objects.get()
    assert board_pack.filters == {"year": year}
    with page.expect_download() as download:
        status.get_by_role("link", name="Last ned styrepakken").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert download.value.suggested_filename.startswith("styrepakke-")

    # --- The secretariat: from the programme's participation to the events behind it ------
    secretariat = second_page()
    staff_login(secretariat, "sekretariat@example.org")
    assert urlparse(secretariat.url).path == "/intern/styring/"
    held = secretariat.locator("#participation-district tbody tr", has_text="Grorud")
    expect(held.locator("td").first).to_have_text("1")
    follow(secretariat, lambda: held.locator("td a").first.click())
    assert urlparse(secretariat.url).path == "/intern/medvirkning/"
    expect(secretariat.locator("main [role=status]").first).to_contain_text("1 arrangement")
    expect(secretariat.locator("main")).to_contain_text("Folkemøte 1 i Romsås")
    expect(secretariat.locator("main")).not_to_contain_text("i Veitvet")

    # --- A programme leader: their own district, and the input behind a figure -----------
    leader = second_page()
    staff_login(leader, "programleder@example.org")
    assert urlparse(leader.url).path == f"/intern/styring/bydel/{bjerke.slug}/"
    expect(leader.get_by_role("heading", level=1)).to_contain_text("Bjerke")
    expect(leader.locator("main")).not_to_contain_text("Grorud")
    # The programme's address takes them to their district, the filters kept.
    visit(leader, f"/intern/styring/?year={year}")
    assert urlparse(leader.url).path == f"/intern/styring/bydel/{bjerke.slug}/"
    assert _query(leader.url)["year"] == [str(year)]
    # Another district is not theirs.
    response = visit(leader, f"/intern/styring/bydel/{figures['grorud'].slug}/")
    assert response.status == 404
    visit(leader, f"/intern/styring/bydel/{bjerke.slug}/?year={year}")
    row = leader.locator("#participation-area tbody tr", has_text=veitvet.name)
    received = row.locator("td").nth(4)
    expect(received).to_have_text("3")
    follow(leader, lambda: received.get_by_role("link").click())
    assert urlparse(leader.url).path == "/intern/innspill/"
    expect(leader.locator("main [role=status]").first).to_contain_text("3 innspill")
    assert Input.objects.filter(area=veitvet).count() == 3
