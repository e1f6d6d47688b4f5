"""The dashboard pages: what they show, how they keep the filters, and bad filter input."""

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.adapters import AccountAdapter
from areas.models import Area, SubGoal, SubProgramme
from dashboards.display import display_table
from dashboards.figures import Column, Row, Table
from tests.accounts.factories import make_user

pytestmark = pytest.mark.django_db

PROGRAMME = "/intern/styring/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def board(db):
    return make_user("board")


def test_the_page_draws_every_table_with_chart_numbers_and_links(board, fake_dashboard):
    response = client_for(board).get(reverse("dashboards:programme"))
    assert response.status_code == 200
    html = response.content.decode()
    # Every section and table, a chart where the table asks for one, and its sentence.
    for text in ("Budget by district", "Projects by participation step", "Days to decision"):
        assert "<caption id=" in html and text in html
    assert html.count('role="img"') == 2  # two tables ask for a chart
    assert "Spending rose each year." in html
    assert "Spent is what the projects reported as paid." in html
    # The numbers in a real table, headed by scope, each figure with its link.
    assert '<th scope="col">District</th>' in html
    assert '<a class="pkt-link" href="/intern/styring/bydel/bjerke/">Bjerke</a>' in html
    assert 'href="/intern/prosjekter/?x=1"' in html
    assert "62,5\u00a0%" in html
    assert "21 dager" in html
    # The headline card, and the formula-looking label only as escaped text.
    assert "700 000 kr" in html
    assert "=HYPERLINK(&quot;http://evil.example&quot;" in html
    # The Content-Security-Policy forbids inline styles: no <style>, no style="…".
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    # The pack's include point is there.
    assert "Last ned" in html or "Download" in html


def test_the_filters_reach_the_figures_and_every_link_keeps_them(board, fake_dashboard):
    area = Area.objects.order_by("pk").first()
    query = {"year": "2026", "area": str(area.pk), "district": str(area.district_id)}
    response = client_for(board).get(PROGRAMME, query)
    assert response.status_code == 200
    filters, scope = fake_dashboard[-1]
    assert (filters.year, filters.area, filters.district) == (2026, area.pk, area.district_id)
    assert scope.district_ids is None and scope.grant_cases is False
    html = response.content.decode()
    kept = f"year=2026&amp;district={area.district_id}&amp;area={area.pk}"
    exports = re.findall(r'href="(/intern/styring/eksport/[^"]+)"', html)
    assert len(exports) == 6  # three tables, two formats each
    assert all(kept in url for url in exports)


def test_the_area_level_shows_the_lists_behind_the_figures(bjerke, fake_dashboard):
    leader = make_user("programme_leader", bjerke)
    area = Area.objects.filter(district=bjerke).first()
    url = reverse("dashboards:district", kwargs={"slug": bjerke.slug})
    html = client_for(leader).get(url, {"area": area.pk}).content.decode()
    assert f'href="{reverse("projects:staff_list")}?area={area.pk}"' in html
    assert f'href="{reverse("participation:staff_events")}?area={area.pk}"' in html
    assert f'href="{reverse("participation:staff_inputs")}?area={area.pk}"' in html
    # A programme leader may open the district's grant cases; the link says so.
    assert f'href="{reverse("grants:staff_queue")}?area={area.pk}&amp;status=all"' in html
    # Without an area, no such list.
    assert (
        reverse("participation:staff_events") + "?"
        not in client_for(leader).get(url).content.decode()
    )


def test_the_board_gets_no_link_to_grant_cases(board, fake_dashboard):
    area = Area.objects.order_by("pk").first()
    html = client_for(board).get(PROGRAMME, {"area": area.pk}).content.decode()
    assert reverse("grants:staff_queue") not in html
    assert reverse("participation:staff_events") in html


def test_the_district_page_offers_only_its_own_areas(bjerke, alna, fake_dashboard):
    leader = make_user("programme_leader", bjerke)
    url = reverse("dashboards:district", kwargs={"slug": bjerke.slug})
    response = client_for(leader).get(url)
    choices = {str(pk) for pk, _label in response.context["form"].fields["area"].choices if pk}
    expected = {str(pk) for pk in Area.objects.filter(district=bjerke).values_list("pk", flat=True)}
    assert choices == expected
    # No district field on a district's page.
    assert "district" not in response.context["form"].fields
    other = Area.objects.filter(district=alna).first()
    response = client_for(leader).get(url, {"area": other.pk})
    assert response.status_code == 400
    assert "Velg et av områdene i listen." in response.content.decode()
    filters, _scope = fake_dashboard[-1]
    assert filters.area is None and filters.district == bjerke.pk


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("year", "9999"),
        ("year", "1999"),
        ("year", "x" * 5000),
        ("year", "9" * 400),
        ("area", "9" * 400),
        ("area", "99999999"),
        ("area", "-1"),
        ("district", "99999999999999999999"),
        ("district", "bjerke"),
        ("sub_programme", "0"),
        ("sub_goal", "1.5"),
        ("sub_goal", "٣"),  # a digit, but not one of ours
    ],
)
def test_bad_filter_input_is_a_message_at_the_field(board, fake_dashboard, field, value):
    response = client_for(board).get(PROGRAMME, {field: value})
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert f'href="#id_{field}"' in html
    # The figures are still shown, without the filter that was wrong.
    filters, _scope = fake_dashboard[-1]
    assert getattr(filters, field) is None
    assert "Budget by district" in html


@pytest.mark.parametrize("value", ["\x00", "1\x00", "20\x0026"])
@pytest.mark.parametrize("name", ["dashboards:programme", "dashboards:export"])
def test_a_nul_byte_in_a_filter_is_a_400_that_says_so(board, fake_dashboard, name, value):
    kwargs = {"key": "budget-by-district", "fmt": "xlsx"} if name == "dashboards:export" else {}
    for field in ("year", "area", "sub_goal"):
        response = client_for(board).get(reverse(name, kwargs=kwargs), {field: value})
        assert response.status_code == 400
        assert "NUL" in response.content.decode()
    assert fake_dashboard == []


def test_bad_filter_input_on_an_export_is_a_400_that_says_what_is_wrong(board, fake_dashboard):
    url = reverse("dashboards:export", kwargs={"key": "budget-by-district", "fmt": "csv"})
    response = client_for(board).get(url, {"year": "9999"})
    assert response.status_code == 400
    assert "2000" in response.content.decode()


def test_filters_that_do_not_belong_together_are_refused_at_the_field(board, fake_dashboard):
    sub_programme = SubProgramme.objects.order_by("pk").first()
    foreign_goal = SubGoal.objects.exclude(sub_programme=sub_programme).first()
    area = Area.objects.order_by("pk").first()
    other_district = Area.objects.exclude(district=area.district).first().district
    query = {"area": area.pk, "district": other_district.pk}
    if foreign_goal is not None:
        query |= {"sub_programme": sub_programme.pk, "sub_goal": foreign_goal.pk}
    response = client_for(board).get(PROGRAMME, query)
    assert response.status_code == 400
    assert "area" in response.context["form"].errors
    if foreign_goal is not None:
        assert "sub_goal" in response.context["form"].errors


def test_a_valid_choice_of_every_filter_is_kept_in_the_form(board, fake_dashboard):
    area = Area.objects.select_related("sub_programme").order_by("pk").first()
    goal = SubGoal.objects.filter(sub_programme=area.sub_programme).first()
    query = {
        "year": 2026,
        "sub_programme": area.sub_programme_id,
        "district": area.district_id,
        "area": area.pk,
    }
    if goal:
        query["sub_goal"] = goal.pk
    response = client_for(board).get(PROGRAMME, query)
    assert response.status_code == 200
    filters, _scope = fake_dashboard[-1]
    assert filters.as_query() == query
    assert f'<option value="{area.pk}" selected>' in response.content.decode()


def test_a_leader_of_several_districts_can_switch_between_them(bjerke, alna, fake_dashboard):
    leader = make_user("project_leader", bjerke)
    from accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=leader, role="programme_leader", district=alna)
    url = reverse("dashboards:district", kwargs={"slug": bjerke.slug})
    html = client_for(leader).get(url, {"year": 2026}).content.decode()
    assert f'href="{reverse("dashboards:district", kwargs={"slug": alna.slug})}?year=2026"' in html


def test_a_leader_on_the_programme_page_is_taken_to_their_district(bjerke, fake_dashboard):
    leader = make_user("project_leader", bjerke)
    response = client_for(leader).get(PROGRAMME, {"year": "2026", "district": "12"})
    assert response.status_code == 302
    district_url = reverse("dashboards:district", kwargs={"slug": bjerke.slug})
    assert response["Location"] == f"{district_url}?year=2026"


def test_the_staff_home_and_the_navigation_link_the_dashboard(bjerke, board, fake_dashboard):
    html = client_for(board).get(reverse("staff_home")).content.decode()
    assert f'<a href="{PROGRAMME}">Programstyrets dashbord</a>' in html
    assert f'<a class="pkt-link" href="{PROGRAMME}">Dashbord</a>' in html
    leader = make_user("programme_leader", bjerke)
    html = client_for(leader).get(reverse("staff_home")).content.decode()
    district_url = reverse("dashboards:district", kwargs={"slug": bjerke.slug})
    assert f'<a href="{district_url}">' in html
    handler = make_user("case_handler", bjerke)
    html = client_for(handler).get(reverse("staff_home")).content.decode()
    assert "/intern/styring/" not in html


# --- Where each role lands after signing in ------------------------------------------------------


def _landing(user, query=""):
    from allauth.account.utils import get_login_redirect_url
    from allauth.core.context import request_context

    request = RequestFactory().get("/accounts/login/" + query)
    request.user = user
    with request_context(request):
        return get_login_redirect_url(request)


def test_who_lands_where_after_signing_in(bjerke, alna):
    board = make_user("board")
    secretariat = make_user("secretariat")
    leader = make_user("programme_leader", alna)
    project_leader = make_user("project_leader", bjerke)
    handler = make_user("case_handler", bjerke)
    resident = make_user()
    assert _landing(board) == PROGRAMME
    assert _landing(secretariat) == PROGRAMME
    assert _landing(leader) == reverse("dashboards:district", kwargs={"slug": alna.slug})
    assert _landing(project_leader) == reverse("dashboards:district", kwargs={"slug": bjerke.slug})
    assert _landing(handler) == reverse("home")
    assert _landing(resident) == reverse("home")


def test_a_leader_of_several_districts_lands_on_the_first_in_oslos_numbering(bjerke, alna):
    from accounts.models import RoleAssignment

    leader = make_user("programme_leader", alna)  # 12
    RoleAssignment.objects.create(user=leader, role="project_leader", district=bjerke)  # 09
    first = min((bjerke, alna), key=lambda d: d.number)
    assert _landing(leader) == reverse("dashboards:district", kwargs={"slug": first.slug})


def test_next_comes_first(bjerke):
    board = make_user("board")
    assert _landing(board, "?next=/intern/") == "/intern/"
    assert AccountAdapter().get_login_redirect_url(_request(board)) == PROGRAMME


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _sign_in(client, user, password, query=""):
    """Password, then the second factor, as a staff member signs in."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    response = client.post(
        reverse("account_login") + query, {"login": user.email, "password": password}
    )
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    code = format_hotp_value(hotp_value("JBSWY3DPEHPK3PXP", int(time.time()) // 30))
    return client.post(response["Location"], {"code": code})


@pytest.mark.parametrize(("query", "lands"), [("", PROGRAMME), ("?next=/intern/", "/intern/")])
def test_signing_in_with_the_form_lands_the_board_on_its_dashboard(client, query, lands):
    board = make_user("board")
    board.set_password("a-long-board-password-1")
    board.save()
    response = _sign_in(client, board, "a-long-board-password-1", query)
    assert response.status_code == 302
    assert response["Location"] == lands


def test_signing_in_lands_a_programme_leader_on_their_district(client, bjerke):
    leader = make_user("programme_leader", bjerke)
    leader.set_password("a-long-leader-password-1")
    leader.save()
    response = _sign_in(client, leader, "a-long-leader-password-1")
    assert response["Location"] == reverse("dashboards:district", kwargs={"slug": bjerke.slug})


def test_a_table_s_rows_are_written_escaped_with_their_links():
    table = Table(
        key="t",
        title="T",
        columns=(Column("label", "Område", "text"), Column("n", "Prosjekter")),
        rows=(
            Row("<b>Tøyen</b> & co", {"n": 1200}, {"label": "/a?x=1&y=2", "n": '/p?"q"'}),
            Row("Furuset", {"n": None}),
        ),
        total=Row("I alt", {"n": 1200}),
    )
    shown = display_table(table, with_chart=False)
    rows = str(shown.rows_html).split("\n")
    assert rows[0] == (
        '<tr><th scope="row"><a class="pkt-link" href="/a?x=1&amp;y=2">'
        "&lt;b&gt;Tøyen&lt;/b&gt; &amp; co</a></th>"
        '<td class="num"><a class="pkt-link" href="/p?&quot;q&quot;">1\xa0200</a></td></tr>'
    )
    assert rows[1] == '<tr><th scope="row">Furuset</th><td class="num">–</td></tr>'
    assert shown.total_html == '<tr><th scope="row">I alt</th><td class="num">1\xa0200</td></tr>'
