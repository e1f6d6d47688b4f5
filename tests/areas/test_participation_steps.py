"""The brochure's deltakelsestrappa: the four steps, their words in every language, and the
partial that shows them with the current one marked."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from areas.models import ParticipationStep
from tests.participation.factories import EventFactory
from tests.projects.factories import ProjectFactory

PARTIAL = "areas/partials/_participation_steps.html"


def items(html: str) -> list[str]:
    return re.findall(r"<li\b[^>]*>.*?</li>", html, flags=re.S)


def current_items(html: str) -> list[str]:
    return [item for item in items(html) if 'aria-current="step"' in item]


def test_the_steps_are_the_brochures_four_in_bokmal_and_nynorsk():
    with translation.override("nb"):
        assert [(str(s.label), s.aim, s.practice) for s in ParticipationStep] == [
            ("Proaktiv rolle", "Tillit", "Konkret og tett på"),
            ("Veiledende rolle", "Deltakelseskultur", "Følge energien"),
            ("Koblerrolle", "«Økosystem» av deltakelse", "Bygge nettverk"),
            (
                "Reaktiv rolle / støtteapparat",
                "Innbyggerdrevet lokalsamfunnsutvikling",
                "Støtteapparat",
            ),
        ]
    with translation.override("nn"):
        assert [(str(s.label), s.aim, s.practice) for s in ParticipationStep] == [
            ("Proaktiv rolle", "Tillit", "Konkret og tett på"),
            ("Rettleiande rolle", "Deltakingskultur", "Følgje energien"),
            ("Koplarrolle", "«Økosystem» av deltaking", "Byggje nettverk"),
            (
                "Reaktiv rolle / støtteapparat",
                "Innbyggjardriven lokalsamfunnsutvikling",
                "Støtteapparat",
            ),
        ]


@pytest.mark.parametrize("current", [1, 2, 3, 4, "3", ParticipationStep.SUPPORT])
def test_the_partial_lists_the_four_steps_in_order_and_marks_the_current_one(current):
    with translation.override("nb"):
        html = render_to_string(PARTIAL, {"current": current})
    assert html.strip().startswith("<ol") and len(items(html)) == 4
    labels = ["Proaktiv rolle", "Veiledende rolle", "Koblerrolle", "Reaktiv rolle"]
    positions = [html.index(label) for label in labels]
    assert positions == sorted(positions)
    [marked] = current_items(html)
    assert labels[int(current) - 1] in marked
    assert "Trinnet nå" in marked
    assert html.count("Trinnet nå") == 1


@pytest.mark.parametrize("current", [None, "", 0, 5, "x"])
def test_the_partial_marks_nothing_for_a_value_that_is_not_a_step(current):
    html = render_to_string(PARTIAL, {"current": current})
    assert len(items(html)) == 4
    assert current_items(html) == []


@pytest.mark.django_db
def test_the_project_page_shows_its_step_of_four_and_marks_it(client):
    project = ProjectFactory(is_public=True, participation_step=ParticipationStep.GUIDING)
    response = client.get(project.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Veiledende rolle (2/4)" in html
    assert "/5)" not in html
    [marked] = current_items(html)
    assert "Veiledende rolle" in marked


@pytest.mark.django_db
def test_the_event_page_explains_the_steps_and_marks_the_events(client):
    event = EventFactory(participation_step=ParticipationStep.CONNECTOR)
    response = client.get(reverse("participation:event_detail", args=[event.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Trinn i deltakelsestrappa: Koblerrolle." in html
    assert "via en veiledende rolle (deltakelseskultur; følge energien)" in html
    [marked] = current_items(html)
    assert "Koblerrolle" in marked
