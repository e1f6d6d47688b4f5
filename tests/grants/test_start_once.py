"""Pressing "Start" twice makes one draft: the start form's one-time key finds the draft the
first press made, one after the other and at the same moment (found by ``benchmarks/load.py``,
where a double click on the start form left two drafts behind)."""

import re
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from grants import services
from grants.models import CaseEvent, GrantApplication
from tests.accounts.factories import UserFactory

from .factories import GrantRoundFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _start_form(client, grant_round) -> tuple[str, dict]:
    url = reverse("grants:application_start", args=[grant_round.slug])
    page = client.get(url).content.decode()
    key = re.search(r'name="start_key" value="([A-Za-z0-9]+)"', page)
    assert key, "the start form carries a one-time key"
    return url, {"start_key": key.group(1)}


def test_the_same_start_form_posted_twice_makes_one_draft(client):
    user = UserFactory()
    organisation = OrganisationFactory(member=user)
    grant_round = GrantRoundFactory()
    client.force_login(user)
    url, data = _start_form(client, grant_round)
    data["organisation"] = organisation.pk

    first = client.post(url, data)
    second = client.post(url, data)

    application = GrantApplication.objects.get(organisation=organisation)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert f"/{application.pk}/" in first["Location"]
    assert application.events.filter(kind=CaseEvent.Kind.CREATED).count() == 1


def test_each_new_start_form_makes_a_new_draft(client):
    user = UserFactory()
    organisation = OrganisationFactory(member=user)
    grant_round = GrantRoundFactory()
    client.force_login(user)
    for _ in range(2):
        url, data = _start_form(client, grant_round)
        assert client.post(url, {**data, "organisation": organisation.pk}).status_code == 302
    assert GrantApplication.objects.filter(organisation=organisation).count() == 2


def test_a_start_key_is_one_users_alone():
    """Another person's key is not a way into their draft: it only names drafts of the actor."""
    grant_round = GrantRoundFactory()
    one, other = UserFactory(), UserFactory()
    mine = services.application_start(
        actor=one,
        grant_round=grant_round,
        organisation=OrganisationFactory(member=one),
        start_key="abc",
    )
    theirs = services.application_start(
        actor=other,
        grant_round=grant_round,
        organisation=OrganisationFactory(member=other),
        start_key="abc",
    )
    assert mine.pk != theirs.pk
    assert theirs.created_by == other


def test_a_tampered_start_key_is_refused_on_the_form(client):
    user = UserFactory()
    organisation = OrganisationFactory(member=user)
    grant_round = GrantRoundFactory()
    client.force_login(user)
    url = reverse("grants:application_start", args=[grant_round.slug])
    response = client.post(url, {"organisation": organisation.pk, "start_key": "<'; drop>"})
    assert response.status_code == 400
    assert not GrantApplication.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_presses_at_the_same_moment_make_one_draft():
    assert connection.vendor == "postgresql"
    user = UserFactory()
    organisation = OrganisationFactory(member=user)
    grant_round = GrantRoundFactory()
    presses = 6
    start = threading.Barrier(presses, timeout=60)
    made, errors = [], []
    lock = threading.Lock()

    def press():
        try:
            start.wait()
            application = services.application_start(
                actor=user, grant_round=grant_round, organisation=organisation, start_key="k1"
            )
            with lock:
                made.append(application.pk)
        except Exception as exc:
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press) for _ in range(presses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(made) == presses and len(set(made)) == 1
    assert GrantApplication.objects.filter(organisation=organisation).count() == 1
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.CREATED).count() == 1
