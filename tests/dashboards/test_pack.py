"""The board pack: one click renders the dashboard for the chosen filters as a tagged PDF with
the moment its figures were taken; the same figures make one PDF; only those who may see the
dashboard's scope ask for it or download it; bad input is refused in words.

Tasks run in-process (tests/conftest.py), so a pack asked for is rendered before the request
returns. The dashboard is built by hand here from a few numbers; the expected text of the PDF
is written from the same numbers by the test's own formatting."""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from dashboards import figures, pack, services, tasks
from dashboards.figures import ChartSpec, Column, Dashboard, Filters, Row, Scope, Section, Table
from dashboards.models import BoardPack
from tests.accounts.factories import make_user

pytestmark = pytest.mark.django_db

P = BoardPack.Status
TAKEN_AT = datetime.datetime(2026, 11, 24, 9, 5, tzinfo=datetime.UTC)
# planned and spent kroner by district, and grant applications (applied, granted)
BUDGET = {"Alna": (1_234_567, 987_654), "Bjerke": (2_500_000, 1_250_000), "Stovner": (640_000, 0)}
GRANTS = {"2025": (14, 9), "2026": (22, 15)}


def build_dashboard(filters: Filters, scope: Scope, budget=BUDGET) -> Dashboard:
    budget_rows = tuple(
        Row(name, {"planned": planned, "spent": spent}, links={"label": f"/x/{name}/"})
        for name, (planned, spent) in budget.items()
    )
    total = Row(
        "Sum",
        {
            "planned": sum(p for p, _s in budget.values()),
            "spent": sum(s for _p, s in budget.values()),
        },
    )
    budget_table = Table(
        key="budget-by-district",
        title="Budsjett og forbruk per bydel",
        columns=(
            Column("label", "Bydel", "text"),
            Column("planned", "Planlagt", "kr"),
            Column("spent", "Brukt", "kr"),
        ),
        rows=budget_rows,
        total=total,
        chart=ChartSpec(columns=("planned", "spent"), unit="kr"),
        summary="Forbruket økte fra år til år.",
        note="Brukt er det prosjektene har rapportert som betalt.",
    )
    grant_table = Table(
        key="grants-by-year",
        title="Søknader om bomiljøtilskudd per år",
        columns=(
            Column("label", "År", "text"),
            Column("applied", "Søknader"),
            Column("granted", "Innvilget"),
            Column("rate", "Andel innvilget", "percent"),
        ),
        rows=tuple(
            Row(year, {"applied": a, "granted": g, "rate": round(100 * g / a, 1)})
            for year, (a, g) in GRANTS.items()
        ),
        chart=ChartSpec(columns=("applied", "granted"), horizontal=False),
        summary="Flere søkte i 2026 enn i 2025.",
    )
    return Dashboard(
        filters=filters,
        scope=scope,
        sections=(
            Section(
                key="budget",
                title="Penger",
                tables=(budget_table,),
                headlines=(("Planlagt i alt", "4 374 567 kr", "#budget-by-district"),),
            ),
            Section(key="grants", title="Bomiljøtilskudd", tables=(grant_table,)),
        ),
        taken_at=TAKEN_AT,
        years=(2025, 2026),
    )


@pytest.fixture
def hand_dashboard(monkeypatch):
    """``dashboards.figures.dashboard`` answers with the dashboard above; ``calls`` records the
    filters and scope each call asked for, and ``budget`` may be changed to change the data."""

    class Fake:
        calls: list = []
        budget = dict(BUDGET)

        def __call__(self, filters, scope):
            self.calls.append((filters, scope))
            return build_dashboard(filters, scope, self.budget)

    fake = Fake()
    fake.calls = []
    monkeypatch.setattr(figures, "dashboard", fake)
    return fake


@pytest.fixture(autouse=True)
def _commits(django_capture_on_commit_callbacks, monkeypatch):
    """What runs after commit (the render enqueued) runs as each request or service call
    returns, as it would in a transaction that commits."""
    from django.db import transaction

    real = transaction.on_commit

    def on_commit(func, using=None, robust=False):
        with django_capture_on_commit_callbacks(execute=True):
            real(func, using=using, robust=robust)

    monkeypatch.setattr("core.tasks.transaction.on_commit", on_commit)


@pytest.fixture
def staff(bjerke, alna):
    return {
        "resident": make_user(),
        "case_handler": make_user("case_handler", bjerke),
        "project_leader": make_user("project_leader", bjerke),
        "programme_leader": make_user("programme_leader", bjerke),
        "other_district_leader": make_user("programme_leader", alna),
        "board": make_user("board"),
        "secretariat": make_user("secretariat"),
    }


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def kr(amount: int) -> str:
    return f"{amount:,}".replace(",", " ") + " kr"


def read(board_pack: BoardPack) -> bytes:
    board_pack.refresh_from_db()
    with board_pack.pdf.open("rb") as handle:
        return handle.read()


PROGRAMME = Scope(district_ids=None, grant_cases=False, label="")


# --- The PDF ------------------------------------------------------------------------------------


def test_the_pack_is_a_tagged_pdf_holding_every_figure(hand_dashboard, staff):
    board_pack = services.pack_request(actor=staff["board"], filters=Filters(), scope=PROGRAMME)
    board_pack.refresh_from_db()
    assert board_pack.status == P.READY, board_pack.error
    assert board_pack.renders == 1
    assert board_pack.taken_at == TAKEN_AT
    data = read(board_pack)
    assert data.startswith(b"%PDF-")

    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]) == "nb"
    assert board_pack.page_count == len(reader.pages)

    text = text_of(data)
    assert "Styrepakke: hele programmet" in text
    local = timezone.localtime(TAKEN_AT)
    assert f"Tallene er hentet {local.day}. november 2026 kl. {local:%H.%M}" in text
    for name, (planned, spent) in BUDGET.items():
        assert name in text
        assert kr(planned) in text
        assert kr(spent) in text
    assert kr(sum(p for p, _s in BUDGET.values())) in text
    for year, (applied, granted) in GRANTS.items():
        assert year in text
        rate = f"{100 * granted / applied:.1f}".replace(".", ",")
        assert f"{applied} {granted} {rate} %" in text
    assert "Forbruket økte fra år til år." in text
    assert "Brukt er det prosjektene har rapportert som betalt." in text
    assert "Planlagt i alt" in text
    # Each chart is drawn (pygal's SVG, its title inside it) beside its numbers.
    html = pack.render_html(board_pack.content)
    assert html.count("<svg") == 2
    assert "/x/Alna/" not in html  # paper leads nowhere


def test_the_pack_names_the_filters_chosen(hand_dashboard, staff, bjerke):
    filters = Filters(year=2025, district=bjerke.pk)
    board_pack = services.pack_request(actor=staff["board"], filters=filters, scope=PROGRAMME)
    assert hand_dashboard.calls[-1] == (filters, PROGRAMME)
    assert board_pack.filters == {"year": 2025, "district": bjerke.pk}
    text = text_of(read(board_pack))
    assert "År: 2025" in text
    assert f"Bydel: {bjerke}" in text


def test_the_same_figures_make_one_pack(hand_dashboard, staff):
    first = services.pack_request(actor=staff["board"], filters=Filters(), scope=PROGRAMME)
    # The secretariat's scope lets figures lead to grant cases; on paper that makes no change.
    again = services.pack_request(
        actor=staff["secretariat"],
        filters=Filters(),
        scope=Scope(district_ids=None, grant_cases=True),
    )
    assert again.pk == first.pk
    assert BoardPack.objects.count() == 1
    again.refresh_from_db()
    assert again.renders == 1
    # The task delivered again finds the pack done and renders nothing.
    assert tasks.render_board_pack.apply(args=[first.pk]).get() == "skipped"
    again.refresh_from_db()
    assert again.renders == 1


def test_changed_figures_make_a_new_pack(hand_dashboard, staff):
    first = services.pack_request(actor=staff["board"], filters=Filters(), scope=PROGRAMME)
    hand_dashboard.budget = {**BUDGET, "Alna": (1_300_000, 990_000)}
    second = services.pack_request(actor=staff["board"], filters=Filters(), scope=PROGRAMME)
    assert second.pk != first.pk
    assert kr(1_300_000) in text_of(read(second))
    other_filters = services.pack_request(
        actor=staff["board"], filters=Filters(year=2026), scope=PROGRAMME
    )
    assert other_filters.pk not in (first.pk, second.pk)


def test_a_failed_pack_records_why_and_is_made_when_asked_again(hand_dashboard, staff, monkeypatch):
    real = pack.render_pdf

    def broken(content):
        raise pack.BoardPackError("The font is missing")

    monkeypatch.setattr(pack, "render_pdf", broken)
    failed = services.pack_request(actor=staff["board"], filters=Filters(), scope=PROGRAMME)
    failed.refresh_from_db()
    assert failed.status == P.FAILED
    assert "font is missing" in failed.error
    monkeypatch.setattr(pack, "render_pdf", real)
    again = services.pack_request(actor=staff["board"], filters=Filters(), scope=PROGRAMME)
    assert again.pk == failed.pk
    assert again.status == P.READY
    assert again.error == ""


def test_the_sweep_sends_a_pack_lost_on_the_way(hand_dashboard, staff, monkeypatch):
    monkeypatch.setattr(services, "_enqueue", lambda board_pack: None)  # the broker was away
    lost = services.pack_request(actor=staff["board"], filters=Filters(), scope=PROGRAMME)
    assert lost.status == P.QUEUED
    assert tasks.sweep_pending_board_packs() == 0  # not yet overdue
    BoardPack.objects.filter(pk=lost.pk).update(
        requested_at=timezone.now() - services.LOST_IN_QUEUE * 2
    )
    assert tasks.sweep_pending_board_packs() == 1
    lost.refresh_from_db()
    assert lost.status == P.READY


# --- Asking for it, its page and the download ---------------------------------------------------


def test_the_board_asks_for_the_pack_and_downloads_it(hand_dashboard, staff, bjerke):
    client = client_for(staff["board"])
    response = client.post(reverse("dashboards:pack_request"), {"year": "2025", "area": ""})
    board_pack = BoardPack.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboards:pack_status", kwargs={"pk": board_pack.pk})
    assert hand_dashboard.calls[-1][0] == Filters(year=2025)

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    body = page.content.decode()
    download = reverse("dashboards:pack_download", kwargs={"pk": board_pack.pk})
    assert download in body
    assert 'http-equiv="refresh"' not in body  # ready: nothing to wait for

    got = client.get(download)
    assert got.status_code == 200
    assert got["Content-Type"] == "application/pdf"
    assert got["Content-Disposition"].startswith("attachment;")
    assert got["Cache-Control"] == "no-store"
    data = b"".join(got.streaming_content)
    assert data == read(board_pack)


def test_a_district_leader_asks_for_their_districts_pack(hand_dashboard, staff, bjerke):
    client = client_for(staff["programme_leader"])
    url = reverse("dashboards:district_pack_request", kwargs={"slug": bjerke.slug})
    response = client.post(url, {"sub_goal": ""})
    assert response.status_code == 302
    _filters, scope = hand_dashboard.calls[-1]
    assert scope.district_ids == frozenset({bjerke.pk})
    board_pack = BoardPack.objects.get()
    assert board_pack.district_ids == frozenset({bjerke.pk})
    assert str(bjerke) in text_of(read(board_pack))


def test_the_status_page_shows_progress_and_refreshes_itself_while_pending(staff):
    board_pack = BoardPack.objects.create(
        content={"title": "Styrepakke: hele programmet", "filter_labels": []},
        content_hash="a" * 64,
        taken_at=TAKEN_AT,
        scope={"district_ids": None},
    )
    client = client_for(staff["board"])
    url = reverse("dashboards:pack_status", kwargs={"pk": board_pack.pk})
    body = client.get(url).content.decode()
    assert re.search(r'<noscript><meta http-equiv="refresh" content="\d+"></noscript>', body)
    assert '<progress id="pack-progress"' in body
    assert 'value="1"' in body
    assert f'hx-get="{url}"' in body
    assert "venter på tur" in body
    # htmx asks for the fragment alone
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert 'id="pack-status"' in fragment
    BoardPack.objects.filter(pk=board_pack.pk).update(status=P.RENDERING)
    assert 'value="2"' in client.get(url, HTTP_HX_REQUEST="true").content.decode()
    # not ready: no download
    download = reverse("dashboards:pack_download", kwargs={"pk": board_pack.pk})
    assert client.get(download).status_code == 404
    BoardPack.objects.filter(pk=board_pack.pk).update(status=P.FAILED)
    failed = client.get(url).content.decode()
    assert "hx-get" not in failed and 'http-equiv="refresh"' not in failed
    assert reverse("dashboards:pack_request") in failed  # "try again" asks once more


def test_the_button_sends_the_dashboards_filters(bjerke):
    html = render_to_string(
        "dashboards/pack/_button.html", {"filters": Filters(year=2026, area=3), "district": bjerke}
    )
    assert reverse("dashboards:district_pack_request", kwargs={"slug": bjerke.slug}) in html
    assert '<input type="hidden" name="year" value="2026">' in html
    assert '<input type="hidden" name="area" value="3">' in html
    assert 'method="post"' in html


# --- Who may ------------------------------------------------------------------------------------


def _packs(bjerke):
    programme = BoardPack.objects.create(
        content={"title": "Styrepakke: hele programmet"},
        content_hash="p" * 64,
        taken_at=TAKEN_AT,
        scope={"district_ids": None},
        status=P.READY,
    )
    district = BoardPack.objects.create(
        content={"title": "Styrepakke: Bydel Bjerke"},
        content_hash="d" * 64,
        taken_at=TAKEN_AT,
        scope={"district_ids": [bjerke.pk]},
        status=P.READY,
    )
    from django.core.files.base import ContentFile

    for board_pack in (programme, district):
        board_pack.pdf.save(f"styrepakker/{board_pack.pk}.pdf", ContentFile(b"%PDF-1.7 x"))
    return programme, district


# role -> may see (the programme's pack, Bjerke's pack); None for anonymous
SEES = {
    "anonymous": (False, False),
    "resident": (False, False),
    "case_handler": (False, False),
    "project_leader": (False, True),
    "programme_leader": (False, True),
    "other_district_leader": (False, False),
    "board": (True, True),
    "secretariat": (True, True),
}


@pytest.mark.parametrize("role", sorted(SEES))
def test_only_those_who_see_the_scope_read_or_download_the_pack(role, staff, bjerke):
    programme, district = _packs(bjerke)
    client = client_for(staff.get(role))
    for board_pack, allowed in zip((programme, district), SEES[role], strict=True):
        for name in ("pack_status", "pack_download"):
            got = client.get(reverse(f"dashboards:{name}", kwargs={"pk": board_pack.pk}))
            if allowed:
                assert got.status_code == 200, (name, board_pack.scope)
            elif role == "anonymous":
                assert got.status_code == 302 and "/login" in got["Location"]
            elif role in ("resident", "case_handler"):
                assert got.status_code == 403
            else:  # a dashboard of their own, but not this one
                assert got.status_code == 404


@pytest.mark.parametrize("role", sorted(SEES))
def test_only_those_who_see_the_dashboard_ask_for_its_pack(role, hand_dashboard, staff, bjerke):
    client = client_for(staff.get(role))
    may_programme, may_district = SEES[role]
    got = client.post(reverse("dashboards:pack_request"), {})
    assert got.status_code == (302 if may_programme or role == "anonymous" else 403)
    got = client.post(reverse("dashboards:district_pack_request", kwargs={"slug": bjerke.slug}), {})
    if may_district or role == "anonymous":
        assert got.status_code == 302
    else:
        assert got.status_code in (403, 404)
    if role != "anonymous":
        asked = may_programme + may_district
        assert len(hand_dashboard.calls) == asked


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"year": "tjuetjuefem"}, "ikke et tall"),
        ({"year": "-1"}, "ikke et tall"),
        ({"district": "1e3"}, "ikke et tall"),
        ({"area": "9" * 40}, "ikke et tall"),
        ({"year": "1850"}, "ingen tall for det året"),
        ({"district": "999999"}, "finnes ikke"),
        ({"sub_goal": "424242"}, "finnes ikke"),
    ],
)
def test_bad_filters_are_refused_in_words(data, words, hand_dashboard, staff):
    got = client_for(staff["board"]).post(reverse("dashboards:pack_request"), data)
    assert got.status_code == 400
    assert words in got.content.decode()
    assert not BoardPack.objects.exists()
    assert hand_dashboard.calls == []


def test_a_district_leader_cannot_filter_to_another_district(hand_dashboard, staff, bjerke, alna):
    url = reverse("dashboards:district_pack_request", kwargs={"slug": bjerke.slug})
    got = client_for(staff["programme_leader"]).post(url, {"district": str(alna.pk)})
    assert got.status_code == 400
    assert not BoardPack.objects.exists()


def test_other_bad_requests(staff, hand_dashboard, bjerke):
    client = client_for(staff["board"])
    assert client.get(reverse("dashboards:pack_request")).status_code == 405
    assert client.post(reverse("dashboards:pack_status", kwargs={"pk": 1})).status_code == 405
    assert client.get(reverse("dashboards:pack_status", kwargs={"pk": 2**70})).status_code == 404
    assert client.get(reverse("dashboards:pack_download", kwargs={"pk": 99})).status_code == 404
    url = reverse("dashboards:district_pack_request", kwargs={"slug": "finnes-ikke"})
    assert client.post(url, {}).status_code == 404


def test_filters_from_data_reads_what_the_form_sends(bjerke):
    assert services.filters_from_data({}) == Filters()
    assert services.filters_from_data({"year": " 2025 ", "district": str(bjerke.pk)}) == Filters(
        year=2025, district=bjerke.pk
    )
    with pytest.raises(ValidationError):
        services.filters_from_data({"year": "2025.0"})


# --- With the figures computed from the database ------------------------------------------------


def test_the_pack_of_the_real_dashboard_holds_the_budget_entered(staff, bjerke, alna):
    from decimal import Decimal

    from areas.models import Area
    from tests.projects.factories import BudgetLineFactory, ProjectFactory

    entered = {bjerke: [125_000, 310_500], alna: [87_250]}
    for district, amounts in entered.items():
        area = Area.objects.filter(district=district).order_by("pk").first()
        project = ProjectFactory(area=area)
        for n, amount in enumerate(amounts):
            BudgetLineFactory(project=project, year=2025 + n, planned=Decimal(amount))
    board_pack = services.pack_request(actor=staff["board"], filters=Filters(), scope=PROGRAMME)
    text = text_of(read(board_pack))
    assert board_pack.status == P.READY, board_pack.error
    for amounts in entered.values():
        assert kr(sum(amounts)) in text  # each district's planned budget
    assert kr(sum(sum(a) for a in entered.values())) in text  # and the programme's
    # A year's filter: only that year's lines.
    year_pack = services.pack_request(
        actor=staff["board"], filters=Filters(year=2026), scope=PROGRAMME
    )
    assert year_pack.pk != board_pack.pk
    assert kr(310_500) in text_of(read(year_pack))


def test_the_dashboard_pages_carry_the_button(fake_dashboard, staff, bjerke):
    page = client_for(staff["board"]).get(reverse("dashboards:programme"), {"year": "2026"})
    body = page.content.decode()
    assert f'action="{reverse("dashboards:pack_request")}"' in body
    assert '<input type="hidden" name="year" value="2026">' in body
    district_page = client_for(staff["programme_leader"]).get(
        reverse("dashboards:district", kwargs={"slug": bjerke.slug})
    )
    url = reverse("dashboards:district_pack_request", kwargs={"slug": bjerke.slug})
    assert f'action="{url}"' in district_page.content.decode()
