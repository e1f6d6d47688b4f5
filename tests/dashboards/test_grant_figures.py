"""The grant figures count each case's decision in force: a decision made again after
reconsideration replaces the one it supersedes, in the counts and in the sums."""

import pytest

from dashboards import selectors
from grants.models import GrantApplication, Recommendation
from tests.grants.test_selectors import case, decision

pytestmark = pytest.mark.django_db

S = GrantApplication.Status


def test_a_superseded_decision_is_counted_no_more(users):
    leader = users["programme_leader"]
    reconsidered = case(S.GRANTED)
    first = decision(reconsidered, Recommendation.APPROVE, 50_000, by=leader)
    decision(reconsidered, Recommendation.PARTIAL, 20_000, by=leader, supersedes=first)
    rejected = case(S.REJECTED, round=reconsidered.round)
    decision(rejected, Recommendation.REJECT, 0, by=leader)
    year = reconsidered.round.year

    figures = selectors.grants(selectors.Where(), "round__year")[year]

    assert figures["applications"] == 2
    assert figures["decided"] == 2
    assert figures["granted_cases"] == 1
    assert figures["granted"] == 20_000
    assert figures["approval_rate"] == 50.0
    by_area = selectors.grants(selectors.Where(), "area").values()
    assert sum(row["decided"] for row in by_area) == 2
    assert sum(row["granted"] for row in by_area) == 20_000
