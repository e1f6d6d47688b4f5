import datetime

import pytest
from django.utils import translation

from core.formatting import account_number, kroner, org_number, time_span
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


def _utc(*parts):
    return datetime.datetime(*parts, tzinfo=datetime.UTC)


def test_a_time_span_is_written_in_oslo_time_with_the_weekday_within_one_day():
    with translation.override("nb"):
        assert time_span(_utc(2026, 2, 3, 17, 0), _utc(2026, 2, 3, 19, 0)) == (
            '<time datetime="2026-02-03T18:00:00+01:00">tirsdag 03.02.2026, 18:00</time>'
            '–<time datetime="2026-02-03T20:00:00+01:00">20:00</time>'
        )
    with translation.override("nn"):
        assert "tysdag 03.02.2026, 18:00" in time_span(
            _utc(2026, 2, 3, 17, 0), _utc(2026, 2, 3, 19, 0)
        )
    with translation.override("en"):
        # The night summer time begins: one day in Oslo, two offsets.
        assert time_span(_utc(2026, 3, 29, 0, 30), _utc(2026, 3, 29, 4, 0)) == (
            '<time datetime="2026-03-29T01:30:00+01:00">Sunday 29.03.2026, 01:30</time>'
            '–<time datetime="2026-03-29T06:00:00+02:00">06:00</time>'
        )


def test_a_time_span_over_midnight_in_oslo_names_both_dates():
    # 22:30–00:30 UTC is one UTC day but two in Oslo.
    assert time_span(_utc(2026, 2, 3, 22, 30), _utc(2026, 2, 4, 0, 30)) == (
        '<time datetime="2026-02-03T23:30:00+01:00">03.02.2026 23:30</time>'
        ' – <time datetime="2026-02-04T01:30:00+01:00">04.02.2026 01:30</time>'
    )
