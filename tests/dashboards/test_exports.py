"""Every dashboard table as CSV and XLSX: the figures as numbers, no text a spreadsheet would
run, a file name with the table's key and date, and — for the board — no personal data."""

import csv
import html
import io
import zipfile

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from core import formatting
from dashboards import figures, permissions
from dashboards.export import table_csv, table_xlsx
from dashboards.figures import Filters
from tests.accounts.factories import make_user
from tests.dashboards.conftest import FORMULA_LABEL, sample_dashboard

pytestmark = pytest.mark.django_db


def _sample():
    board = sample_dashboard(Filters(year=2026), figures.Scope(district_ids=None))
    return board, board.table("budget-by-district")


def test_csv_holds_the_numbers_and_runs_no_formula():
    board, table = _sample()
    content = table_csv(table)
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == [c.label for c in table.columns]
    assert rows[1] == ["Bjerke", "400000", "250000", "62.5"]
    assert rows[2] == ["Alna", "300000", "0", "0.0"]
    assert rows[3] == ["'" + FORMULA_LABEL, "", "", ""]  # shown as text, never run
    assert rows[4] == ["Total", "700000", "250000", "35.7"]
    assert len(rows) == 2 + len(table.rows)


def test_xlsx_holds_the_numbers_and_runs_no_formula():
    board, table = _sample()
    workbook = load_workbook(io.BytesIO(table_xlsx(table, board)))
    sheet = workbook.worksheets[0]
    assert sheet.title == table.key
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == [c.label for c in table.columns]
    assert values[1] == ["Bjerke", 400000, 250000, 62.5]
    assert values[3] == [FORMULA_LABEL, None, None, None]
    assert sheet.cell(row=4, column=1).data_type == "s"  # a text, not a formula
    assert values[4] == ["Total", 700000, 250000, 35.7]
    about = {row[0].value: row[1].value for row in workbook.worksheets[1].iter_rows()}
    assert table.summary in about.values()
    assert "2026-12-02 10:30" in about.values()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_download_is_named_by_table_and_date_and_kept_private(fake_dashboard, fmt):
    client = Client()
    client.force_login(make_user("board"))
    url = reverse("dashboards:export", kwargs={"key": "budget-by-district", "fmt": fmt})
    response = client.get(url, {"year": 2026})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="budget-by-district-2026-12-02.{fmt}"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    filters, _scope = fake_dashboard[-1]
    assert filters.year == 2026


def test_a_district_export_is_of_that_district(fake_dashboard, bjerke):
    client = Client()
    client.force_login(make_user("project_leader", bjerke))
    url = reverse(
        "dashboards:district_export",
        kwargs={"slug": bjerke.slug, "key": "grant-days", "fmt": "csv"},
    )
    assert client.get(url).status_code == 200
    filters, scope = fake_dashboard[-1]
    assert scope.district_ids == frozenset({bjerke.pk}) and filters.district == bjerke.pk


# --- The board's exports carry no personal data ---------------------------------------------------


def _personal_data() -> set[str]:
    """Every name, email, address and account number the seeded database holds about a
    person or an organisation, as stored and as written on a page."""
    from accounts.models import User
    from grants.models import Organisation
    from participation.models import Input, Registration

    found: set[str] = set()
    for name, email in User.objects.values_list("full_name", "email"):
        found |= {name, email}
    for org in Organisation.objects.all():
        found |= {org.email, org.address, f"{org.address}, {org.postcode}", org.account_number}
        found.add(formatting.account_number(org.account_number))
    for name, email in Registration.objects.values_list("name", "email"):
        found |= {name, email}
    for name, email in Input.objects.values_list("author_name", "author_email"):
        found |= {name, email}
    # Short strings would match by chance ("Oslo"); a person's data is longer than that.
    return {item for item in found if item and len(item.strip()) >= 6}


def _texts(content: bytes, fmt: str) -> str:
    if fmt == "csv":
        return content.decode("utf-8-sig")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(
            html.unescape(archive.read(name).decode("utf-8", errors="replace"))
            for name in archive.namelist()
        )


def test_no_export_of_the_boards_holds_personal_data(bjerke):
    call_command("seed_demo", stdout=io.StringIO())
    personal = _personal_data()
    assert len(personal) > 20  # the demo has people, organisations and accounts to look for
    board_user = make_user("board")
    client = Client()
    client.force_login(board_user)
    scope = permissions.programme_scope(board_user)
    board = figures.dashboard(Filters(), scope)
    keys = [table.key for section in board.sections for table in section.tables]
    assert keys
    area = bjerke.areas.order_by("pk").first()
    pages = [
        (reverse("dashboards:export", kwargs={"key": "KEY", "fmt": "FMT"}), {}),
        (
            reverse(
                "dashboards:district_export",
                kwargs={"slug": bjerke.slug, "key": "KEY", "fmt": "FMT"},
            ),
            {"area": area.pk} if area else {},
        ),
    ]
    leaks, exported = [], 0
    for pattern, query in pages:
        for key in keys:
            for fmt in ("csv", "xlsx"):
                url = pattern.replace("KEY", key).replace("FMT", fmt)
                response = client.get(url, query)
                if response.status_code == 404:  # a table the district page does not have
                    continue
                assert response.status_code == 200, url
                exported += 1
                text = _texts(response.content, fmt)
                leaks += [(url, item) for item in personal if item in text]
    assert exported >= 2 * len(keys)
    assert not leaks, leaks
