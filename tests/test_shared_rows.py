"""Rows written once for a module are seen by each of its tests; what a test writes is not."""

import pytest

from areas.models import District
from tests.shared_rows import rows_for_the_module

pytestmark = pytest.mark.django_db

NAME = "Bydel for modulen"


@pytest.fixture(scope="module")
def module_district(django_db_setup, django_db_blocker):
    with rows_for_the_module(django_db_blocker):
        programme = District.objects.first().programme
        yield District.objects.create(
            name=NAME, number="98", slug="bydel-for-modulen", programme=programme
        )


@pytest.mark.parametrize("turn", [1, 2])
def test_each_test_sees_the_modules_rows_and_none_of_another_tests(module_district, turn):
    assert District.objects.filter(name=NAME).count() == 1
    assert not District.objects.filter(number="99").exists()
    District.objects.create(
        name=f"Skrevet av test {turn}",
        number="99",
        slug=f"test-{turn}",
        programme=module_district.programme,
    )
