"""Who may open which page. Later apps add their rows in their own matrix tests."""

import pytest
from django.urls import reverse

from tests.matrix import LOGIN, ROLES, Row, assert_matrix, expect_all, staff_only

pytestmark = pytest.mark.django_db

PUBLIC_ROWS = [
    Row("home", expect_all(200)),
    Row("accessibility", expect_all(200)),
    Row("privacy", expect_all(200)),
    Row("area_detail", expect_all(200), kwargs={"slug": "romsas"}),
    Row(lambda: "/healthz", expect_all(200)),
    Row(lambda: "/sitemap.xml", expect_all(200)),
]

STAFF_ROWS = [
    Row("staff_home", staff_only()),
    # The admin belongs to the secretariat alone; others are sent to the admin's login page,
    # which tells a signed-in user they lack access.
    Row(
        "admin:index",
        dict.fromkeys(ROLES, 302) | {"secretariat": 200},
    ),
    Row("admin:areas_area_changelist", dict.fromkeys(ROLES, 302) | {"secretariat": 200}),
    Row("admin:accounts_user_changelist", dict.fromkeys(ROLES, 302) | {"secretariat": 200}),
]

ACCOUNT_ROWS = [
    Row("accounts:profile", expect_all(200, anonymous=LOGIN)),
    Row("accounts:delete", expect_all(200, anonymous=LOGIN)),
    Row("accounts:export", expect_all(200, anonymous=LOGIN), method="post"),
]


def test_public_pages_are_open_to_everyone(users):
    assert_matrix(users, PUBLIC_ROWS)


def test_staff_pages_by_role(users):
    assert_matrix(users, STAFF_ROWS)


def test_account_pages_need_login(users):
    assert_matrix(users, ACCOUNT_ROWS)


def test_anonymous_never_reaches_a_staff_url(client):
    """Every staff URL known to the matrix answers anonymous users with login or 403/404."""
    for row in STAFF_ROWS + ACCOUNT_ROWS:
        path = row.path()
        response = getattr(client, row.method)(path)
        assert response.status_code in (302, 403, 404), path
        if response.status_code == 302:
            assert "login" in response["Location"], path


def test_admin_login_redirect_goes_to_the_admin_login(client):
    response = client.get(reverse("admin:index"))
    assert "/admin/login/" in response["Location"]
