"""Texts that read right in the reader's language: the step "Organisasjon", the organisation
number in the choice of organisation, sub-goals and round criteria on English pages, and a
partial grant that reads "Innvilget delvis" under the status "Innvilget"."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from areas.models import SubGoal
from grants.models import Recommendation
from tests.accounts.factories import UserFactory
from tests.grants.factories import GrantRoundFactory, OrganisationFactory, decided, draft_for

pytestmark = pytest.mark.django_db


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode().replace("\xa0", " ")


def test_the_organisation_step_is_organisasjon_in_norwegian(client):
    applicant = UserFactory()
    client.force_login(applicant)
    draft = draft_for(applicant)
    for lang, prefix in (("nb", ""), ("nn", "/nn")):
        html = page(client, f"{prefix}/tilskudd/soknader/{draft.pk}/steg/organisasjon/")
        assert "<h1>Organisasjon</h1>" in html, lang
        assert "Organisering" not in html


def test_the_organisation_choice_says_org_nr_in_norwegian(client):
    applicant = UserFactory()
    client.force_login(applicant)
    OrganisationFactory(member=applicant, name="Veitvet borettslag")
    grant_round = GrantRoundFactory()
    html = page(client, f"/tilskudd/utlysning/{grant_round.slug}/sok/")
    assert re.search(r"Veitvet borettslag \(org\.nr\. \d{3} \d{3} \d{3}", html)
    assert "org. no." not in html
    html = page(client, f"/en/tilskudd/utlysning/{grant_round.slug}/sok/")
    assert "(org. no. " in html


def test_sub_goals_read_in_english_on_english_pages(client):
    applicant = UserFactory()
    client.force_login(applicant)
    draft = draft_for(applicant)
    goal = SubGoal.objects.get(number=2)
    assert goal.title_en and goal.title_en != goal.title
    html = page(client, f"/en/tilskudd/soknader/{draft.pk}/steg/tiltak/")
    assert f"2. {goal.title_en}" in html and goal.title not in html
    html = page(client, f"/en/tilskudd/soknader/{draft.pk}/steg/oppsummering/")
    assert goal.title_en in html and goal.title not in html
    with translation.override("en"):
        assert str(goal) == f"2. {goal.title_en}"
    with translation.override("nn"):
        assert str(goal) == f"2. {goal.title_nn}"


def test_round_criteria_read_in_the_readers_language(client):
    grant_round = GrantRoundFactory(
        criteria="Nytte for beboerne\nMedvirkning",
        criteria_en="Benefit to residents\nParticipation",
    )
    url = f"/en/tilskudd/utlysning/{grant_round.slug}/"
    html = page(client, url)
    assert "<li>Benefit to residents</li>" in html and "Nytte for beboerne" not in html
    assert "<li>Nytte for beboerne</li>" in page(client, url.removeprefix("/en"))
    # Not translated into nynorsk: bokmål, marked as such for screen readers.
    assert re.search(r'<ol lang="nb"><li>Nytte for beboerne</li>', page(client, "/nn" + url[3:]))


def test_a_partial_grant_reads_granted_in_part_under_granted(client, users):
    application = decided(
        users["case_handler"],
        users["programme_leader"],
        outcome=Recommendation.PARTIAL,
        amount=20_000,
    )
    client.force_login(application.applicant)
    html = page(
        client, reverse("grants:application_detail", args=[application.pk]).removeprefix("/en")
    )
    assert "Innvilget delvis: 20 000 kr" in html
    assert "Delvis innvilge" not in html
    html = page(
        client,
        "/en" + reverse("grants:application_detail", args=[application.pk]).removeprefix("/en"),
    )
    assert "Granted in part: 20 000 kr" in html or "Granted in part: 20,000 kr" in html
