"""The acceptance deadline is moved off weekends and holidays, as the appeal deadline is."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.utils import timezone

from grants import letters
from grants.deadlines import acceptance_deadline
from grants.models import Decision
from grants.services import follow_up
from tests.grants.factories import decided


@pytest.mark.parametrize(
    ("notified", "deadline"),
    [
        (date(2026, 12, 4), date(2027, 1, 4)),  # 1 Jan 2027, a holiday and a Friday → Monday
        (date(2026, 11, 30), date(2026, 12, 28)),  # a Monday, four weeks on: a working day
        (date(2026, 12, 5), date(2027, 1, 4)),  # 2 Jan 2027 is a Saturday
        (date(2026, 2, 26), date(2026, 3, 26)),  # a Thursday: left alone
        (date(2026, 3, 5), date(2026, 4, 7)),  # skjærtorsdag 2 Apr … 2. påskedag 6 Apr
    ],
)
def test_acceptance_deadline_moves_to_the_next_working_day(notified, deadline):
    assert acceptance_deadline(notified, 28) == deadline


@pytest.mark.django_db
def test_a_grant_notified_on_4_december_2026_may_be_accepted_until_4_january(users):
    application = decided(users["case_handler"], users["programme_leader"])
    decision = application.decisions.get()
    Decision.objects.filter(pk=decision.pk).update(letter_status=Decision.LetterStatus.PENDING)
    application.__class__.objects.filter(pk=application.pk).update(accept_by=None)
    notified = date(2026, 12, 4)
    clock = SimpleNamespace(localdate=lambda: notified, now=timezone.now)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(follow_up, "timezone", clock)
        follow_up.decision_letter_render(decision_id=decision.pk)

    application.refresh_from_db()
    assert application.accept_by == date(2027, 1, 4)
    context = letters.letter_context(
        decision, notified_on=notified, appeal_deadline=date(2026, 12, 28)
    )
    assert context["accept_by"] == application.accept_by  # the letter says the same day
