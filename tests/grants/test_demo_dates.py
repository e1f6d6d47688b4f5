"""The demo's dates agree with its rounds: every demo application was written and sent while
its round was open, its case was handled after that and before today, and nothing is dated in
the future."""

import pytest
from django.utils import timezone

from accounts import demo as accounts_demo
from grants import demo
from grants.models import CaseEvent, Decision, GrantApplication
from omradelos.demo import SeedReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    report = SeedReport()
    accounts_demo.seed(scale=1, report=report)
    demo.seed(scale=1, report=report)


def test_every_demo_application_is_dated_inside_its_rounds_open_period(seeded):
    applications = GrantApplication.objects.select_related("round")
    assert applications.filter(round__year=2025).exists()
    for application in applications:
        rnd = application.round
        assert rnd.opens_at <= application.created_at <= rnd.closes_at, application.title
        if application.submitted_at:
            assert rnd.opens_at <= application.submitted_at <= rnd.closes_at, application.title
            assert application.submitted_at.year == rnd.year


def test_the_case_history_follows_the_application_and_stays_in_the_past(seeded):
    now = timezone.now()
    for application in GrantApplication.objects.exclude(submitted_at=None):
        times = list(
            CaseEvent.objects.filter(application=application)
            .order_by("pk")
            .values_list("created_at", flat=True)
        )
        assert times == sorted(times), application.title  # in the order it happened
        assert times[0] >= application.round.opens_at
        assert times[-1] <= now
    for decision in Decision.objects.select_related("application__round"):
        assert decision.application.submitted_at < decision.decided_at <= now


def test_a_case_that_waits_on_someone_today_has_its_deadline_ahead(seeded):
    today = timezone.localdate()
    granted = GrantApplication.objects.filter(status=GrantApplication.Status.GRANTED)
    assert granted.exists()
    for application in granted:
        assert application.accept_by >= today, application.title
    for decision in Decision.objects.filter(appeals__isnull=False).distinct():
        assert (
            decision.appeal_deadline
            >= timezone.localtime(decision.appeals.get().submitted_at).date()
        )
