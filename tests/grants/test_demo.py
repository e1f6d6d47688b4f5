"""The grant demo data: every state of a case, made through the services, and idempotent."""

import pytest
from django.utils import timezone

from accounts import demo as accounts_demo
from grants import demo
from grants.models import (
    Appeal,
    CaseEvent,
    Decision,
    GrantApplication,
    GrantRound,
    Organisation,
    Payment,
)
from omradelos.demo import SEEDERS, SeedReport

pytestmark = pytest.mark.django_db

S = GrantApplication.Status


def seed(scale: int = 1) -> SeedReport:
    report = SeedReport()
    accounts_demo.seed(scale=scale, report=report)
    demo.seed(scale=scale, report=report)
    return report


def snapshot() -> dict:
    return {
        "rounds": sorted(GrantRound.objects.values_list("slug", "opens_at", "closes_at")),
        "organisations": sorted(Organisation.objects.values_list("org_number", "name")),
        "applications": sorted(
            GrantApplication.objects.values_list("pk", "status", "reference", "title")
        ),
        "events": CaseEvent.objects.count(),
        "decisions": sorted(Decision.objects.values_list("pk", "letter_status", "letter")),
        "payments": Payment.objects.count(),
    }


def test_grants_seeder_is_registered_after_the_apps_it_builds_on():
    assert SEEDERS.index("grants.demo.seed") > SEEDERS.index("accounts.demo.seed")


def test_seed_makes_a_case_in_every_state_with_its_history_and_is_idempotent():
    report = seed()
    first = snapshot()
    seed()

    assert snapshot() == first
    assert any(line.startswith("Grants:") for line in report.lines)
    statuses = set(GrantApplication.objects.values_list("status", flat=True))
    assert {
        S.DRAFT,
        S.SUBMITTED,
        S.AWAITING_INFO,
        S.IN_REVIEW,
        S.GRANTED,
        S.ACCEPTED,
        S.CLOSED,
        S.REJECTED,
    } <= statuses
    # Made through the services: every submitted case has a history that starts with the draft.
    for application in GrantApplication.objects.exclude(status=S.DRAFT):
        kinds = list(application.events.values_list("kind", flat=True))
        assert kinds[:2] == [CaseEvent.Kind.CREATED, CaseEvent.Kind.SUBMITTED], application
        assert application.reference.startswith(f"BMT-{application.round.year}-")
    # Every decision has its letter, and the granted ones a deadline to accept.
    assert Decision.objects.exclude(letter_status=Decision.LetterStatus.READY).count() == 0
    assert not GrantApplication.objects.filter(status=S.GRANTED, accept_by__isnull=True).exists()
    closed = GrantApplication.objects.get(status=S.CLOSED)
    assert closed.final_report.status == "godkjent"
    assert closed.payments.exists()
    assert Appeal.objects.filter(application__status=S.REJECTED).exists()
    accepted = GrantApplication.objects.filter(status=S.ACCEPTED)
    assert any(a.payments.exists() for a in accepted)


def test_seed_rounds_keep_their_dates_and_one_is_open_to_apply():
    seed()

    spring = GrantRound.objects.get(slug="bomiljotilskudd-2026")
    opens = timezone.localtime(spring.opens_at)
    closes = timezone.localtime(spring.closes_at)
    assert (opens.month, opens.day) == (1, 29)
    assert (closes.month, closes.day) == (4, 15)
    assert not GrantRound.objects.get(slug="bomiljotilskudd-2025").is_open()
    assert any(r.is_open() for r in GrantRound.objects.all())


def test_seed_organisations_have_valid_numbers_and_demo_members():
    from stdnum.no import kontonr, orgnr

    seed()

    organisations = list(Organisation.objects.all())
    assert len(organisations) == len(demo.ORGANISATIONS)
    for organisation in organisations:
        assert orgnr.is_valid(organisation.org_number)
        assert kontonr.is_valid(organisation.account_number)
        assert organisation.memberships.exists()
    resident = Organisation.objects.filter(memberships__user__email=demo.APPLICANT)
    assert resident.count() >= 3


def test_scale_multiplies_the_generated_applications():
    seed(scale=1)
    at_one = GrantApplication.objects.count()
    seed(scale=2)

    assert GrantApplication.objects.count() - at_one == demo.GENERATED_PER_SCALE
