"""The benchmark's floor pages answer without touching the database (these tests have no
database: a query would fail them)."""

import pytest
from django.test import RequestFactory

from benchmarks import urls


@pytest.mark.parametrize("view", [urls.trivial, urls.bare, urls.pace])
def test_a_floor_page_answers_without_a_query(view):
    assert view(RequestFactory().get("/")).status_code == 200


def test_the_pace_view_does_the_same_work_every_time():
    request = RequestFactory().get("/")
    first = urls.pace(request).content
    assert int(first) > 10_000
    assert urls.pace(request).content == first
