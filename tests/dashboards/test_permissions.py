"""Who sees which dashboard and which export: the board and the secretariat every district, a
programme or project leader their own (another district is a 404), residents and case handlers a
403, anonymous visitors the sign-in page. Figures lead to grant cases only for those who may
open them, never for the board."""

import pytest
from django.urls import reverse

from accounts.models import RoleAssignment
from dashboards import permissions
from tests.accounts.factories import make_user
from tests.matrix import LOGIN, Row, assert_matrix

pytestmark = pytest.mark.django_db

KEY = "projects-status"  # a table every dashboard has


def _district(slug_of):
    return lambda: reverse("dashboards:district", kwargs={"slug": slug_of()})


def test_the_page_and_export_matrix(users, bjerke, alna):
    """Against the real figures (an empty programme): every role, every page, every format."""
    own = {"anonymous": LOGIN, "resident": 403, "case_handler": 403}
    programme = {
        **own,
        # District staff who ask for the programme are taken to their own district.
        "project_leader": 302,
        "programme_leader": 302,
        "other_district_leader": 302,
        "board": 200,
        "secretariat": 200,
    }
    bjerke_page = {
        **own,
        "project_leader": 200,
        "programme_leader": 200,
        "other_district_leader": 404,
        "board": 200,
        "secretariat": 200,
    }
    alna_page = {**bjerke_page, "project_leader": 404, "programme_leader": 404}
    alna_page["other_district_leader"] = 200
    export_programme = {
        **programme,
        **dict.fromkeys(("project_leader", "programme_leader", "other_district_leader"), 403),
    }
    rows = [
        Row("dashboards:programme", programme),
        Row("dashboards:district", bjerke_page, kwargs={"slug": bjerke.slug}),
        Row("dashboards:district", alna_page, kwargs={"slug": alna.slug}),
        Row(
            "dashboards:district",
            {**own, **dict.fromkeys(("project_leader", "board", "secretariat"), 404)},
            kwargs={"slug": "no-such-district"},
        ),
    ]
    for fmt in ("csv", "xlsx"):
        rows += [
            Row("dashboards:export", export_programme, kwargs={"key": KEY, "fmt": fmt}),
            Row(
                "dashboards:district_export",
                bjerke_page,
                kwargs={"slug": bjerke.slug, "key": KEY, "fmt": fmt},
            ),
            Row(
                "dashboards:district_export",
                alna_page,
                kwargs={"slug": alna.slug, "key": KEY, "fmt": fmt},
            ),
        ]
    rows += [
        # An unknown table or format is not found, for those who may export at all.
        Row(
            "dashboards:export",
            {**own, "board": 404, "secretariat": 404},
            kwargs={"key": "no-such-table", "fmt": "csv"},
        ),
        Row(
            "dashboards:export",
            {**own, "board": 404, "secretariat": 404},
            kwargs={"key": KEY, "fmt": "pdf"},
        ),
    ]
    assert_matrix(users, rows)


def test_a_page_answers_only_get_and_head(users):
    from django.test import Client

    client = Client()
    client.force_login(users["board"])
    assert client.post(reverse("dashboards:programme")).status_code == 405
    assert client.head(reverse("dashboards:programme")).status_code == 200


@pytest.mark.parametrize(
    ("role", "district_role", "grant_cases"),
    [
        ("board", None, False),
        ("secretariat", None, True),
        ("programme_leader", "programme_leader", True),
        ("project_leader", "project_leader", False),
    ],
)
def test_who_may_follow_figures_to_the_grant_cases(bjerke, role, district_role, grant_cases):
    user = make_user(role, bjerke)
    _district, scope = permissions.district_scope(user, bjerke.slug)
    assert scope.grant_cases is grant_cases
    assert scope.district_ids == frozenset({bjerke.pk})
    if role in ("board", "secretariat"):
        assert permissions.programme_scope(user).grant_cases is grant_cases


def test_the_board_never_reaches_grant_cases_even_with_a_district_role(bjerke):
    user = make_user("board")
    RoleAssignment.objects.create(user=user, role="programme_leader", district=bjerke)
    assert permissions.programme_scope(user).grant_cases is False
    assert permissions.district_scope(user, bjerke.slug)[1].grant_cases is False


def test_a_case_handler_with_a_leader_role_elsewhere_sees_only_that_district(bjerke, alna):
    from django.http import Http404

    user = make_user("case_handler", bjerke)
    RoleAssignment.objects.create(user=user, role="project_leader", district=alna)
    assert permissions.dashboard_district_ids(user) == {alna.pk}
    with pytest.raises(Http404):
        permissions.district_scope(user, bjerke.slug)
    assert permissions.district_scope(user, alna.slug)[0] == alna


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (None, set()),
        ("case_handler", set()),
        ("project_leader", "bjerke"),
        ("programme_leader", "bjerke"),
        ("board", None),
        ("secretariat", None),
    ],
)
def test_dashboard_districts_per_role(bjerke, role, expected):
    user = make_user(role, bjerke)
    if expected == "bjerke":
        expected = {bjerke.pk}
    assert permissions.dashboard_district_ids(user) == expected
    assert permissions.can_view_dashboards(user) is (expected != set())


def test_an_inactive_board_member_sees_nothing(db):
    user = make_user("board")
    user.is_active = False
    user.save()
    assert permissions.can_view_dashboards(user) is False
