"""The application's life as data: which status may follow which.

Services call ``require`` before every transition; a move not in the table is refused with a
message the user can read, and nothing is written.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import GrantApplication

S = GrantApplication.Status

TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.IN_REVIEW, S.WITHDRAWN},
    S.IN_REVIEW: {S.SUBMITTED, S.AWAITING_INFO, S.PROPOSED, S.WITHDRAWN},
    S.AWAITING_INFO: {S.IN_REVIEW, S.WITHDRAWN},
    S.PROPOSED: {S.IN_REVIEW, S.GRANTED, S.REJECTED, S.WITHDRAWN},
    # A decision may be changed on appeal: granted <-> rejected, or a new amount.
    S.GRANTED: {S.ACCEPTED, S.LAPSED, S.GRANTED, S.REJECTED},
    S.REJECTED: {S.GRANTED, S.REJECTED},
    S.ACCEPTED: {S.REPORT_SUBMITTED, S.GRANTED, S.REJECTED},
    S.REPORT_SUBMITTED: {S.ACCEPTED, S.CLOSED},
    S.LAPSED: set(),
    S.WITHDRAWN: set(),
    S.CLOSED: set(),
}

# The statuses an applicant may still withdraw from: before any decision.
WITHDRAWABLE = {S.SUBMITTED, S.IN_REVIEW, S.AWAITING_INFO, S.PROPOSED}
# Under the district's handling: the case queue shows these by default.
OPEN_CASE = {S.SUBMITTED, S.IN_REVIEW, S.AWAITING_INFO, S.PROPOSED}
DECIDED = {S.GRANTED, S.REJECTED, S.ACCEPTED, S.REPORT_SUBMITTED, S.CLOSED, S.LAPSED}


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, set())


def require(current: str, target: str) -> None:
    """Raise ValidationError if ``target`` may not follow ``current``."""
    if not can_move(current, target):
        raise ValidationError(
            _("This cannot be done while the application is “%(status)s”.")
            % {"status": S(current).label}
        )


# The applicant's timeline: the stages a case passes, in order, for the progress indicator.
TIMELINE = [
    (S.DRAFT, {S.DRAFT}),
    (S.SUBMITTED, {S.SUBMITTED}),
    (S.IN_REVIEW, {S.IN_REVIEW, S.AWAITING_INFO, S.PROPOSED}),
    ("vedtak", {S.GRANTED, S.REJECTED, S.LAPSED}),
    (S.ACCEPTED, {S.ACCEPTED}),
    (S.REPORT_SUBMITTED, {S.REPORT_SUBMITTED}),
    (S.CLOSED, {S.CLOSED}),
]
