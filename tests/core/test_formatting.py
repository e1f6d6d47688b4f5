import pytest
from django.utils import translation

from core.formatting import account_number, kroner, org_number
from core.slugs import unique_slug
from projects.models import Project


def test_kroner_groups_in_the_active_language_with_no_break_spaces():
    with translation.override("nb"):
        assert kroner(40_000) == "40\xa0000\xa0kr"
        assert kroner(1_234_567.4, unit="kroner") == "1\xa0234\xa0567\xa0kroner"
    with translation.override("en"):
        assert kroner(40_000) == "40,000\xa0kr"
    assert kroner(None).startswith("0")


def test_account_and_org_numbers_are_written_as_banks_and_brreg_write_them():
    assert account_number("86011117947") == "8601 11 17947"
    assert account_number("8601.11.17947") == "8601 11 17947"
    assert account_number("") == ""
    assert org_number("923609016") == "923 609 016"
    assert org_number("") == ""


@pytest.mark.django_db
def test_unique_slug_spells_out_norwegian_letters_and_counts_up(bjerke):
    from tests.projects.factories import ProjectFactory

    first = unique_slug(Project, "Grønt løft på Årvoll", fallback="prosjekt")
    assert first == "gront-loft-pa-arvoll"
    ProjectFactory(slug=first)
    assert unique_slug(Project, "Grønt løft på Årvoll", fallback="prosjekt") == f"{first}-2"
    assert unique_slug(Project, "!!!", fallback="prosjekt") == "prosjekt"
