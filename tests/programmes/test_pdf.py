"""The handlingsprogram PDF read back as a reader, a screen reader and a PDF viewer get it: what
it says (area, measures, æøå, budget and last year's figures, each against sums computed here
from the database on their own), its table of contents against the pages the headings are on,
its bookmarks, its tags, language and title, and the charts' numbers against the data."""

import io
import re
from collections import defaultdict
from datetime import datetime, timedelta

import pytest
from django.utils import timezone, translation
from pypdf import PdfReader

from core.formatting import kroner
from grants import services as grant_services
from grants.models import Decision, GrantApplication, Payment, Recommendation
from participation.models import Event
from programmes import pdf
from programmes.charts import budget_chart, reached_chart
from programmes.compose import compose, queryset_for_compose
from projects.models import BudgetLine
from tests.grants.factories import decided, letter_sent, submitted
from tests.participation.factories import EventFactory
from tests.pdf import pdf_text
from tests.projects.factories import BudgetLineFactory, ProjectFactory

from .factories import MeasureFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

TITLES = [
    "Møteplass på Sletteløkka torg",
    "Grønn gård i Åsvegen",
    "Bærekraftig nabolag – øvelse i gjenbruk",
    "Leksehjelp på biblioteket",
]
SOURCES = [code for code, _label in BudgetLine.Source.choices]


def folded(text: str) -> str:
    """Whitespace (no-break spaces too) folded to single spaces, as ``pdf_text`` does."""
    return " ".join(text.split())


def money(amount) -> str:
    return folded(kroner(amount))


@pytest.fixture
def year():
    """The programme is for next year, so its results year is this year, where the grant
    and event factories put their dates."""
    return timezone.localdate().year + 1


@pytest.fixture
def programme(users, year):
    from areas.models import SubGoal

    programme = ProgrammeFactory(
        year=year,
        introduction="Blåbærsyltetøy, ærlig talt: området får en ny møteplass.",
        risks="Økte kostnader og færre frivillige.",
    )
    goals = list(SubGoal.objects.order_by("number"))
    for n, title in enumerate(TITLES):
        project = ProjectFactory(area=programme.area, title=title, sub_goals=[goals[n % 3]])
        MeasureFactory(programme=programme, project=project, position=n + 1)
        for i, source in enumerate(SOURCES[: 1 + n % len(SOURCES)]):
            BudgetLineFactory(
                project=project, year=year, source=source, planned=11_000 * (n + 1) + 700 * i
            )
        # Other years' money is not this year's budget.
        BudgetLineFactory(project=project, year=year - 1, planned=999_000)
    # A project of the area that is not a measure of the programme does not count either.
    BudgetLineFactory(project=ProjectFactory(area=programme.area), year=year, planned=555_000)
    return programme


@pytest.fixture
def last_year(users, programme):
    """Grants applied for, granted and paid, and events held, in the programme's area this
    year; and the same in another area, which must not count."""
    handler, leader = users["case_handler"], users["programme_leader"]
    area = programme.area

    def costs(applied):  # the cost adds up to own share, other funding and the amount applied
        return {
            "amount_applied": applied,
            "cost_lines": [("Arbeid og materialer", 60_000 + applied)],
        }

    granted = decided(handler, leader, area=area, **costs(40_000))
    partial = decided(
        handler, leader, area=area, outcome=Recommendation.PARTIAL, amount=25_000, **costs(65_000)
    )
    submitted(area=area, **costs(17_500))
    for application, amount in ((granted, 12_500), (partial, 20_000)):
        letter_sent(application)
        grant_services.grant_accept(actor=application.applicant, application=application)
        grant_services.payment_register(
            actor=handler, application=application, amount=amount, paid_on=timezone.localdate()
        )
    from tests.participation.factories import area as area_by_slug

    submitted(area=area_by_slug("linderud"), **costs(33_000))

    now = timezone.now()
    start_of_year = timezone.make_aware(datetime(now.year, 1, 1, 12))
    held = max(start_of_year, now - timedelta(hours=3))
    for total, groups in ((48, {"alle": 30, "barn_unge": 18}), (27, {"eldre": 20, "alle": 7})):
        EventFactory(
            starts_at=held,
            ends_at=held + timedelta(minutes=30),
            attendance_total=total,
            attendance_by_group=groups,
        )
    EventFactory(  # another area's event
        starts_at=held,
        ends_at=held + timedelta(minutes=30),
        attendance_total=500,
        attendance_by_group={"alle": 500},
        areas=[area_by_slug("linderud")],
    )
    return programme


def expected_budget(programme) -> dict:
    """This year's planned money over the programme's measures, summed here from the rows."""
    by_source: dict[str, int] = defaultdict(int)
    by_goal: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for measure in programme.measures.select_related("project"):
        first_goal = min(g.number for g in measure.project.sub_goals.all())
        for line in BudgetLine.objects.filter(project=measure.project, year=programme.year):
            by_source[line.source] += int(line.planned)
            by_goal[first_goal][line.source] += int(line.planned)
    return {"total": sum(by_source.values()), "by_source": by_source, "by_goal": by_goal}


def expected_results(programme) -> dict:
    """Last year's figures of the area, summed here from the rows one by one."""
    year = programme.year - 1
    area = programme.area
    applications = [
        a
        for a in GrantApplication.objects.filter(area=area)
        if a.submitted_at and timezone.localtime(a.submitted_at).year == year
    ]
    in_force = {
        GrantApplication.Status.GRANTED,
        GrantApplication.Status.ACCEPTED,
        GrantApplication.Status.REPORT_SUBMITTED,
        GrantApplication.Status.CLOSED,
    }
    granted = [
        d
        for d in Decision.objects.filter(application__area=area, superseded_by__isnull=True)
        if d.application.status in in_force
        and d.outcome in (Recommendation.APPROVE, Recommendation.PARTIAL)
        and timezone.localtime(d.decided_at).year == year
    ]
    paid = [p for p in Payment.objects.filter(application__area=area) if p.paid_on.year == year]
    by_group: dict[str, int] = defaultdict(int)
    attendance = 0
    for event in Event.objects.filter(areas=area, status=Event.Status.PUBLISHED):
        if timezone.localtime(event.starts_at).year == year and event.starts_at < timezone.now():
            attendance += event.attendance_total or 0
            for code, people in event.attendance_by_group.items():
                by_group[code] += people
    return {
        "applied_count": len(applications),
        "applied_amount": sum(a.amount_applied for a in applications),
        "granted_count": len(granted),
        "granted_amount": sum(d.amount for d in granted),
        "paid_amount": sum(p.amount for p in paid),
        "attendance": attendance,
        "by_group": dict(by_group),
    }


def render(programme):
    content = compose(queryset_for_compose().get(pk=programme.pk))
    return content, pdf.render_pdf(content)


def pages_text(data: bytes) -> list[list[str]]:
    """Each page's text lines, whitespace folded."""
    reader = PdfReader(io.BytesIO(data))
    return [
        [folded(line) for line in page.extract_text().splitlines() if line.strip()]
        for page in reader.pages
    ]


def test_the_pdf_says_what_the_database_holds(last_year):
    programme = last_year
    content, document = render(programme)
    text = pdf_text(document.data)

    assert document.page_count > 1
    assert len(PdfReader(io.BytesIO(document.data)).pages) == document.page_count
    assert programme.area.name in text
    assert f"Bydel {programme.area.district.name}" in text
    for title in TITLES:
        assert title in text
    assert "Blåbærsyltetøy, ærlig talt" in text
    assert "Økte kostnader og færre frivillige." in text

    budget = expected_budget(programme)
    assert budget["total"] == sum(
        11_000 * (n + 1) + 700 * i for n in range(4) for i in range(1 + n % 4)
    )
    assert content["budget"]["total"] == budget["total"]
    pages = pages_text(document.data)
    reader = PdfReader(io.BytesIO(document.data))
    section = next(
        b
        for b in reader.outline
        if not isinstance(b, list) and b.title.startswith(("Budget", "Budsjett"))
    )
    budget_page = " ".join(pages[reader.get_destination_page_number(section)])
    assert money(budget["total"]) in budget_page
    for source, amount in budget["by_source"].items():
        assert money(amount) in budget_page, source
    assert money(999_000) not in text and money(555_000) not in text

    results = expected_results(programme)
    assert results["applied_count"] == 3 and results["granted_count"] == 2
    assert results["applied_amount"] == 40_000 + 65_000 + 17_500
    assert results["granted_amount"] == 40_000 + 25_000
    assert results["paid_amount"] == 12_500 + 20_000
    assert results["attendance"] == 48 + 27
    for key in ("applied_amount", "granted_amount", "paid_amount"):
        assert money(results[key]) in text, key
        assert content["results"]["grants"][key] == results[key]
    # The grants table: each row's count beside its amount.
    assert f"{results['applied_count']} {money(results['applied_amount'])}" in text
    assert f"{results['granted_count']} {money(results['granted_amount'])}" in text
    assert f"{results['attendance']} " in text
    # People reached: each target group's row in the chart's table.
    from programmes.templatetags.programme_content import target_group

    with translation.override("nb"):
        for code, people in results["by_group"].items():
            assert f"{target_group(code)} {people}" in text, code
    assert content["results"]["events"]["attendance"] == results["attendance"]


def test_contents_bookmarks_and_tags(programme):
    content, document = render(programme)
    reader = PdfReader(io.BytesIO(document.data))
    pages = pages_text(document.data)

    # The contents: every entry's printed page number is the page its heading is on.
    toc_pages = [
        i for i, lines in enumerate(pages) if lines and lines[0] in ("Innhold", "Contents")
    ]
    assert toc_pages == [1] or toc_pages[0] == 1

    def is_contents(lines):
        return any(re.search(r"(?:\. ?){5,}", line) for line in lines)

    toc_end = 1
    while toc_end + 1 < len(pages) and is_contents(pages[toc_end + 1]):
        toc_end += 1
    entries = []
    for lines in pages[1 : toc_end + 1]:
        for line in lines:
            if match := re.fullmatch(r"(.+?)\s*(?:\.\s*){3,}(\d+)", line):
                entries.append((match.group(1).strip(), int(match.group(2))))
    measure_headings = [f"{m['number']}. {m['title']}" for m in content["measures"]]
    titles = [title for title, _page in entries]
    subheadings = set(measure_headings) | {
        t for t in titles if t.startswith(("Sub-goal", "Delmål"))
    }
    for heading in measure_headings:
        assert heading in titles
    assert len(entries) >= 9 + len(measure_headings)

    sections = [title for title, _page in entries if title not in subheadings]

    def heading_page(title, after):
        """The first page from ``after`` on with the heading (a section's opens its page)."""
        for number in range(after, len(pages) + 1):
            lines = pages[number - 1]
            if (lines[:1] == [title]) if title in sections else (title in lines):
                return number
        raise AssertionError(f"No heading {title!r} after the contents")

    found = toc_end + 2
    for title, page in entries:
        found = heading_page(title, found)
        assert found == page, title
    assert max(page for _t, page in entries) <= document.page_count

    # Bookmarks: the sections, with the measures under theirs, each pointing at its page.
    outline = reader.outline
    top = [item for item in outline if not isinstance(item, list)]
    assert [b.title for b in top] == sections
    nested = [b for item in outline if isinstance(item, list) for b in item]
    assert [b.title for b in nested if b.title in measure_headings] == measure_headings
    pages_by_title = dict(entries)
    for bookmark in top + nested:
        assert reader.get_destination_page_number(bookmark) + 1 == pages_by_title[bookmark.title]
    assert not any(b.title.startswith("Handlingsprogram") for b in top)

    # Tagged PDF/UA with its language and title.
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "nb"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    title = f"Handlingsprogram {programme.year} – {programme.area.name}"
    assert reader.metadata.title == title

    # Oslo Sans is embedded; the footer counts the pages.
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    assert fonts and all("Oslo-Sans" in name for name in fonts), fonts
    assert f"Side 2 av {document.page_count}" in " ".join(pages[1])
    assert f"Side {document.page_count} av {document.page_count}" in " ".join(pages[-1])


def test_the_cover_says_draft_until_adopted(programme):
    content, document = render(programme)
    cover = " ".join(pages_text(document.data)[0])
    assert programme.area.name in cover and str(programme.year) in cover
    assert "Utkast" in cover
    content["adopted_on"] = f"{programme.year}-02-14"
    adopted = " ".join(pages_text(pdf.render_pdf(content).data)[0])
    assert "Utkast" not in adopted
    assert f"14. februar {programme.year}" in adopted
    assert f"ersjon {content['version']}" in adopted


def test_the_same_content_gives_the_same_file(programme):
    content, first = render(programme)
    assert pdf.render_pdf(content).data == first.data


def test_the_charts_numbers_are_the_data(last_year):
    programme = last_year
    content = compose(queryset_for_compose().get(pk=programme.pk))
    budget = expected_budget(programme)

    chart = budget_chart(content)
    sources = [s for s in SOURCES if s in budget["by_source"]]
    goals = sorted(budget["by_goal"])
    assert len(chart.table.rows) == len(goals)
    for (label, values), goal in zip(chart.table.rows, goals, strict=True):
        assert label.startswith(f"{goal}. ")
        assert list(values) == [budget["by_goal"][goal].get(s, 0) for s in sources]
    assert list(chart.table.column_totals) == [budget["by_source"][s] for s in sources]
    assert chart.table.total == budget["total"]
    assert "<script" not in chart.svg

    reached = reached_chart(content)
    results = expected_results(programme)
    assert {
        code: values[0]
        for code, values in zip(
            sorted(results["by_group"]), [v for _l, v in reached.table.rows], strict=True
        )
    } == results["by_group"]
    assert sum(v[0] for _l, v in reached.table.rows) == sum(results["by_group"].values())
