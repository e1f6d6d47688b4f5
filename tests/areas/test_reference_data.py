import pytest
from django.core.exceptions import ValidationError

from areas.models import Area, District, MainGoal, Programme, SubGoal, SubProgramme

pytestmark = pytest.mark.django_db


def test_migrate_loads_the_three_programmes_with_their_sub_programmes():
    names = list(Programme.objects.values_list("name", flat=True))
    assert names == ["Groruddalssatsingen", "Oslo sør-satsingen", "Oslo indre øst-satsingen"]
    assert all(p.end_year == 2026 for p in Programme.objects.all())
    for programme in Programme.objects.all():
        assert programme.sub_programmes.count() == 3
    assert list(SubProgramme.objects.filter(served=True).values_list("slug", flat=True)) == [
        "naermiljo"
    ]


def test_migrate_loads_the_six_districts_with_oslo_numbers():
    numbers = dict(District.objects.values_list("name", "number"))
    assert numbers == {
        "Gamle Oslo": "01",
        "Bjerke": "09",
        "Grorud": "10",
        "Stovner": "11",
        "Alna": "12",
        "Søndre Nordstrand": "15",
    }
    assert District.objects.get(number="15").programme.slug == "oslo-sor"
    assert District.objects.get(number="01").programme.slug == "oslo-indre-ost"


def test_migrate_loads_twelve_areas_each_with_period_phase_and_district():
    assert Area.objects.count() == 12
    per_district = {d.name: d.areas.count() for d in District.objects.all()}
    assert per_district == {
        "Gamle Oslo": 1,
        "Bjerke": 2,
        "Grorud": 2,
        "Stovner": 3,
        "Alna": 2,
        "Søndre Nordstrand": 2,
    }
    for area in Area.objects.all():
        assert area.start_year <= area.end_year
        assert area.phase in Area.Phase.values


def test_main_goal_and_six_sub_goals_carry_the_brochure_texts():
    assert MainGoal.objects.get().text.startswith("Programmet skal bidra til varige forbedringer")
    goals = list(SubGoal.objects.values_list("number", "title"))
    assert goals == [
        (1, "Sosialt liv og frivillighet"),
        (2, "Fysiske nærmiljøkvaliteter"),
        (3, "Medborgerskap"),
        (4, "Byutvikling"),
        (5, "Bomiljø"),
        (6, "Ny kommunal praksis"),
    ]
    assert SubGoal.objects.get(number=5).description == (
        "Bomiljøene er i økende grad velfungerende og oppleves som trygge av beboerne."
    )
    for goal in SubGoal.objects.all():
        assert goal.title_nn and goal.title_en and goal.description_nn and goal.description_en


def test_area_validation_rejects_reversed_period_and_bad_boundary():
    area = Area.objects.get(slug="romsas")
    area.start_year, area.end_year = 2026, 2020
    area.boundary = {"type": "Point", "coordinates": [10.8, 59.9]}
    with pytest.raises(ValidationError) as exc:
        area.full_clean()
    assert set(exc.value.message_dict) == {"end_year", "boundary"}


def test_localized_text_falls_back_to_bokmal_and_says_so():
    from django.utils import translation

    area = Area.objects.get(slug="romsas")
    area.description, area.description_en = "Tekst på bokmål", ""
    with translation.override("en"):
        text = area.tr.description
    assert (text.text, text.lang, text.is_fallback) == ("Tekst på bokmål", "nb", True)
    with translation.override("nb"):
        assert area.tr.description.is_fallback is False
