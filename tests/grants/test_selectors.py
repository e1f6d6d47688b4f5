"""The reads behind the grant list pages: a fixed number of queries however many rows, the right
rows for the user, and the board's figures without personal data."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from areas.models import Area
from grants import permissions, selectors
from grants.models import CaseMessage, Decision, GrantApplication, Recommendation
from tests.accounts.factories import UserFactory

from .factories import ApplicationFactory, GrantRoundFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

S = GrantApplication.Status
_numbers = itertools.count(1)


def case(status=S.SUBMITTED, **kwargs) -> GrantApplication:
    reference = None if status == S.DRAFT else f"BMT-2026-{next(_numbers):04d}"
    submitted_at = None if status == S.DRAFT else timezone.now()
    return ApplicationFactory(
        status=status, reference=reference, submitted_at=submitted_at, attachments=False, **kwargs
    )


def decision(application, outcome, amount, *, by, supersedes=None) -> Decision:
    return Decision.objects.create(
        application=application,
        outcome=outcome,
        amount=amount,
        reasons="" if outcome == Recommendation.APPROVE else "Grunn.",
        legal_basis=application.round.legal_basis,
        appeal_body=application.round.appeal_body,
        decided_by=by,
        appeal_deadline=timezone.localdate() + timedelta(days=21),
        supersedes=supersedes,
    )


# case_queue ------------------------------------------------------------------------------------


def queue_rows(user) -> list[tuple]:
    """What the queue page shows of each case."""
    return [
        (
            c.reference,
            c.organisation.name,
            c.title,
            c.area.name,
            c.area.district.name,
            c.amount_applied,
            c.total_cost,
            c.get_status_display(),
            str(c.assigned_to) if c.assigned_to else "",
            c.submitted_at,
            c.reply_by,
        )
        for c in selectors.case_queue(user)
    ]


@pytest.mark.parametrize("count", [1, 20])
def test_case_queue_costs_one_query_however_many_cases(users, django_assert_num_queries, count):
    handler = users["case_handler"]
    for n in range(count):
        application = case(assigned_to=handler if n % 2 else None)
        if n % 3 == 0:
            CaseMessage.objects.create(
                application=application,
                kind=CaseMessage.Kind.INFO_REQUEST,
                body="Send tegning.",
                from_staff=True,
                reply_by=timezone.localdate() + timedelta(days=14),
            )
    permissions.can_view_cases(handler)  # the role lookup is cached per request

    with django_assert_num_queries(1):
        rows = queue_rows(handler)

    assert len(rows) == count


def test_case_queue_shows_the_districts_submitted_cases_with_their_figures(users):
    handler = users["case_handler"]
    waiting = case(S.AWAITING_INFO, cost_lines=[("Benker", 60_000), ("Maling", 5_000)])
    reply_by = timezone.localdate() + timedelta(days=10)
    CaseMessage.objects.create(
        application=waiting,
        kind=CaseMessage.Kind.INFO_REQUEST,
        body="Send tilbud.",
        from_staff=True,
        reply_by=reply_by,
    )
    answered = case(S.IN_REVIEW)
    CaseMessage.objects.create(
        application=answered,
        kind=CaseMessage.Kind.INFO_REQUEST,
        body="Send tilbud.",
        from_staff=True,
        reply_by=reply_by,
        answered_at=timezone.now(),
    )
    case(S.DRAFT)
    case(area=Area.objects.get(slug="trosterud-og-haugerud"))  # Alna

    rows = {c.pk: c for c in selectors.case_queue(handler)}

    assert set(rows) == {waiting.pk, answered.pk}
    assert rows[waiting.pk].reply_by == reply_by
    assert rows[waiting.pk].total_cost == 65_000
    assert rows[answered.pk].reply_by is None


# applicant_applications ------------------------------------------------------------------------


def my_rows(user) -> list[tuple]:
    """What "my applications" shows of each application."""
    return [
        (
            a.display_reference,
            a.title,
            a.organisation.name,
            a.round.title,
            a.area.name,
            a.get_status_display(),
            getattr(selectors.current_decision(a), "appeal_deadline", None),
        )
        for a in selectors.applicant_applications(user)
    ]


@pytest.mark.parametrize("count", [1, 20])
def test_applicant_applications_cost_two_queries_however_many(
    users, django_assert_num_queries, count
):
    member = UserFactory()
    organisation = OrganisationFactory(member=member)
    for n in range(count):
        application = case([S.DRAFT, S.SUBMITTED, S.REJECTED][n % 3], organisation=organisation)
        if application.status == S.REJECTED:
            decision(application, Recommendation.REJECT, 0, by=users["programme_leader"])

    with django_assert_num_queries(2):
        rows = my_rows(member)

    assert len(rows) == count


def test_applicant_applications_show_only_the_decision_in_force(users):
    member = UserFactory()
    organisation = OrganisationFactory(member=member)
    application = case(S.GRANTED, organisation=organisation)
    leader = users["programme_leader"]
    old = decision(application, Recommendation.REJECT, 0, by=leader)
    new = decision(application, Recommendation.APPROVE, 40_000, by=leader, supersedes=old)
    case(S.SUBMITTED, organisation=OrganisationFactory(member=UserFactory()))

    (row,) = selectors.applicant_applications(member)

    assert row == application
    assert selectors.current_decision(row) == new


# round_statistics ------------------------------------------------------------------------------


@pytest.fixture
def figures_round(users):
    """A round with one application in each interesting state and distinct figures."""
    leader = users["programme_leader"]
    grant_round = GrantRoundFactory(year=2026, budget=1_500_000)
    member = UserFactory(full_name="Kari Nordmann", email="kari@example.org")
    organisation = OrganisationFactory(
        member=member, name="Sletteløkka borettslag", email="styret@slettelokka.example.org"
    )

    def make(status, applied, dugnad):
        return case(
            status,
            round=grant_round,
            organisation=organisation,
            amount_applied=applied,
            dugnad_hours=dugnad,
        )

    make(S.DRAFT, 80_000, 128)  # not yet submitted: counts nowhere
    make(S.SUBMITTED, 10_000, 1)
    granted = make(S.GRANTED, 20_000, 2)
    decision(granted, Recommendation.APPROVE, 20_000, by=leader)
    accepted = make(S.ACCEPTED, 30_000, 4)
    decision(accepted, Recommendation.PARTIAL, 25_000, by=leader)
    closed = make(S.CLOSED, 40_000, 8)
    first = decision(closed, Recommendation.REJECT, 0, by=leader)
    decision(closed, Recommendation.APPROVE, 40_000, by=leader, supersedes=first)  # on appeal
    rejected = make(S.REJECTED, 50_000, 16)
    decision(rejected, Recommendation.REJECT, 0, by=leader)
    lapsed = make(S.LAPSED, 60_000, 32)
    decision(lapsed, Recommendation.APPROVE, 60_000, by=leader)  # never accepted
    make(S.WITHDRAWN, 70_000, 64)
    return grant_round


def test_round_statistics_figures(figures_round):
    empty = GrantRoundFactory(
        year=2025, budget=900_000, opens_at=timezone.now() - timedelta(days=400)
    )

    rows = selectors.round_statistics()

    assert [row["round"] for row in rows] == [figures_round, empty]
    assert {k: v for k, v in rows[0].items() if k != "round"} == {
        "submitted": 7,
        "granted": 3,
        "rejected": 1,
        "applied": 280_000,
        "granted_amount": 85_000,
        "dugnad_hours": 127,
        "budget": 1_500_000,
    }
    assert {k: v for k, v in rows[1].items() if k != "round"} == {
        "submitted": 0,
        "granted": 0,
        "rejected": 0,
        "applied": 0,
        "granted_amount": 0,
        "dugnad_hours": 0,
        "budget": 900_000,
    }


def test_round_statistics_hold_no_personal_data(figures_round):
    (row,) = selectors.round_statistics()

    assert set(row) == {
        "round",
        "submitted",
        "granted",
        "rejected",
        "applied",
        "granted_amount",
        "dugnad_hours",
        "budget",
    }
    assert all(isinstance(v, int) for k, v in row.items() if k != "round")
    shown = repr(row) + repr(vars(row["round"]))
    for personal in (
        "Kari Nordmann",
        "kari@example.org",
        "Sletteløkka borettslag",
        "styret@slettelokka.example.org",
        "Ny lekeplass i bakgården",
    ):
        assert personal not in shown


@pytest.mark.parametrize("count", [1, 5])
def test_round_statistics_cost_one_query_however_many_rounds(
    users, django_assert_num_queries, count
):
    for _ in range(count):
        grant_round = GrantRoundFactory()
        case(round=grant_round)

    with django_assert_num_queries(1):
        rows = selectors.round_statistics()
        titles = [row["round"].title for row in rows]

    assert len(titles) == count
