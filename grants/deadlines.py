"""Deadlines counted as forvaltningsloven § 29–30 counts them.

The appeal period is three weeks from the day the notification reached the party. A deadline
that ends on a Saturday, Sunday, public holiday, 24 or 31 December runs to the next working day
(domstolloven § 148, which forvaltningsloven § 30 refers to).
"""

from datetime import date, timedelta

from dateutil.easter import easter

APPEAL_PERIOD = timedelta(weeks=3)


def norwegian_holidays(year: int) -> set[date]:
    e = easter(year)
    fixed = {(1, 1), (5, 1), (5, 17), (12, 24), (12, 25), (12, 26), (12, 31)}
    moving = {-3, -2, 0, 1, 39, 49, 50}  # skjærtorsdag … 2. pinsedag
    return {date(year, m, d) for m, d in fixed} | {e + timedelta(days=n) for n in moving}


def next_working_day(day: date) -> date:
    while day.weekday() >= 5 or day in norwegian_holidays(day.year):
        day += timedelta(days=1)
    return day


def appeal_deadline(notified_on: date) -> date:
    return next_working_day(notified_on + APPEAL_PERIOD)


def acceptance_deadline(notified_on: date, days: int) -> date:
    """The last day to accept a grant: ``days`` after the letter, moved off a weekend or holiday
    to the next working day like the appeal deadline (28 days from 4 Dec 2026 is 1 Jan 2027,
    so 4 Jan 2027)."""
    return next_working_day(notified_on + timedelta(days=days))


def appeal_handling_deadline(received_on: date) -> date:
    """The day by which the district should have handled an appeal it received on
    ``received_on``: changed its decision, or prepared the appeal and forwarded it to the appeal
    body (forvaltningsloven § 33). The period is ``GRANT_APPEAL_HANDLING_WEEKS`` (a setting);
    a deadline on a weekend or holiday runs to the next working day, as the appeal period does."""
    from django.conf import settings

    weeks = settings.GRANT_APPEAL_HANDLING_WEEKS
    return next_working_day(received_on + timedelta(weeks=weeks))
