"""Digests: each follower gets exactly the news of their own areas since their last digest, in
their language, at their frequency, once; and no email when nothing happened."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from following import services
from following.models import Digest, Follower
from participation.models import EventChange, Input, InputChange
from tests.grants.factories import GrantRoundFactory
from tests.participation.factories import EventFactory, InputFactory, area
from tests.projects.factories import ProjectFactory, StatusUpdateFactory

pytestmark = pytest.mark.django_db

VEITVET = "veitvet-og-slettelokka"  # Bydel Bjerke
TROSTERUD = "trosterud-og-haugerud"  # Bydel Alna


def _follower(email, areas, frequency, language, covered_until) -> Follower:
    follower = Follower.objects.create(
        email=email,
        frequency=frequency,
        language=language,
        token=f"tok-{email}",
        confirmed_at=covered_until,
        covered_until=covered_until,
    )
    follower.areas.set([area(slug) for slug in areas])
    return follower


def _news(where: str, at, label: str) -> dict[str, str]:
    """One item of each kind in area ``where``, dated ``at``; returns their titles by kind."""
    event = EventFactory(title=f"Møte {label}", areas=[area(where)])
    EventChange.objects.create(event=event, action="published", created_at=at)
    project = ProjectFactory(title=f"Prosjekt {label}", area=area(where), is_public=True)
    update = StatusUpdateFactory(project=project, text=f"Oppdatering {label}", is_public=True)
    type(update).objects.filter(pk=update.pk).update(created_at=at)
    item = InputFactory(
        area=area(where), text=f"Innspill {label}", follow_up=Input.FollowUp.TAKEN_UP
    )
    InputChange.objects.create(
        input=item, action="take_up", data={"old": "mottatt", "new": "tatt_opp"}, created_at=at
    )
    grant_round = GrantRoundFactory(
        title=f"Runde {label}", opens_at=at, closes_at=at + timedelta(days=60), areas=[area(where)]
    )
    return {
        "event": event.title,
        "update": update.text,
        "input": item.text,
        "round": grant_round.title,
    }


def _make(now, capture):
    with capture(execute=True):
        made = services.make_digests(now=now)
    return made


def _mail_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_each_follower_gets_their_areas_news_since_their_last_digest_once(
    django_capture_on_commit_callbacks,
):
    start = timezone.now() - timedelta(days=30)
    daily = _follower("dagny@example.org", [VEITVET], "daglig", "nb", start)
    weekly = _follower("wendy@example.org", [TROSTERUD], "ukentlig", "en", start)

    before = _news(VEITVET, start - timedelta(hours=1), "før")  # before anyone followed
    veitvet = _news(VEITVET, start + timedelta(hours=3), "veitvet")
    trosterud = _news(TROSTERUD, start + timedelta(hours=5), "trosterud")

    day_one = start + timedelta(days=1, minutes=1)
    assert _make(day_one, django_capture_on_commit_callbacks) == 1
    (email,) = mail.outbox
    assert email.to == [daily.email]
    assert email.subject.endswith("Nytt fra nabolaget ditt: 4 nye saker")
    for text in veitvet.values():
        assert text in email.body
    for text in [*trosterud.values(), *before.values()]:
        assert text not in email.body
    assert email.extra_headers["List-Unsubscribe"].endswith(f"/folg/{daily.token}/avslutt/>")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Once: the same moment again, or a sweep of unsent digests, sends nothing more.
    assert _make(day_one, django_capture_on_commit_callbacks) == 0
    from following.tasks import send_digest

    assert send_digest(Digest.objects.get().pk) == 0
    assert len(mail.outbox) == 1

    # A week on: the weekly follower's first digest, in English, with only their area's news;
    # the daily follower had nothing new since their last digest, so no email.
    later = _news(VEITVET, start + timedelta(days=2), "senere")
    week = start + timedelta(days=7, minutes=2)
    mail.outbox.clear()
    assert _make(week, django_capture_on_commit_callbacks) == 2
    (to_weekly,) = _mail_to(weekly.email)
    assert to_weekly.subject.endswith("News from your neighbourhood: 4 new items")
    for text in trosterud.values():
        assert text in to_weekly.body
    for text in [*veitvet.values(), *later.values()]:
        assert text not in to_weekly.body
    (to_daily,) = _mail_to(daily.email)
    for text in later.values():
        assert text in to_daily.body
    for text in veitvet.values():
        assert text not in to_daily.body

    # Nothing happened in the next day: no digest, no email, but the window moved on.
    mail.outbox.clear()
    next_day = week + timedelta(days=1, minutes=1)
    assert _make(next_day, django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    daily.refresh_from_db()
    assert daily.covered_until == next_day
    assert Digest.objects.filter(follower=daily).count() == 2


def test_nothing_private_or_unfollowed_goes_in(django_capture_on_commit_callbacks):
    start = timezone.now() - timedelta(days=3)
    follower = _follower("p@example.org", [VEITVET], "daglig", "nb", start)
    at = start + timedelta(hours=1)
    hidden = InputFactory(
        area=area(VEITVET), text="Skjult innspill", moderation=Input.Moderation.HIDDEN
    )
    InputChange.objects.create(input=hidden, action="take_up", created_at=at)
    private = StatusUpdateFactory(
        project=ProjectFactory(area=area(VEITVET), is_public=False), text="Intern oppdatering"
    )
    type(private).objects.filter(pk=private.pk).update(created_at=at)
    internal_update = StatusUpdateFactory(
        project=ProjectFactory(area=area(VEITVET), is_public=True),
        text="Ikke offentlig",
        is_public=False,
    )
    type(internal_update).objects.filter(pk=internal_update.pk).update(created_at=at)
    draft = EventFactory(title="Utkast til møte", status="utkast", areas=[area(VEITVET)])
    EventChange.objects.create(event=draft, action="published", created_at=at)

    assert _make(start + timedelta(days=1, minutes=1), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    follower.refresh_from_db()
    assert follower.digests.count() == 0


def test_unconfirmed_followers_get_no_digest(django_capture_on_commit_callbacks):
    start = timezone.now() - timedelta(days=3)
    follower = _follower("u@example.org", [VEITVET], "daglig", "nb", start)
    Follower.objects.filter(pk=follower.pk).update(confirmed_at=None)
    _news(VEITVET, start + timedelta(hours=1), "x")
    assert _make(start + timedelta(days=1, minutes=1), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_a_digest_that_never_went_is_sent_by_the_next_beat_once(django_capture_on_commit_callbacks):
    """The broker was away when the digest was made: the beat task sends it, and only once."""
    from following.tasks import make_digests

    now = timezone.now()
    follower = _follower("s@example.org", [VEITVET], "ukentlig", "nn", now - timedelta(days=1))
    news = _news(VEITVET, now - timedelta(days=9), "gammel")
    Digest.objects.create(
        follower=follower, since=now - timedelta(days=10), until=now - timedelta(hours=1), items=4
    )
    with django_capture_on_commit_callbacks(execute=True):
        make_digests()
        make_digests()
    (email,) = mail.outbox
    assert email.subject.endswith("Nytt frå nabolaget ditt: 4 nye saker")
    assert news["event"] in email.body


def test_internal_lessons_and_documents_never_go_in(django_capture_on_commit_callbacks):
    from tests.knowledge.factories import DocumentFactory, LessonFactory

    start = timezone.now() - timedelta(days=3)
    _follower("k@example.org", [VEITVET], "daglig", "nb", start)
    news = _news(VEITVET, start + timedelta(hours=1), "k")
    project = ProjectFactory(area=area(VEITVET), is_public=True)
    LessonFactory(project=project, title="Intern erfaring om benkene", worked="Hemmelig råd")
    DocumentFactory(
        area=area(VEITVET), is_public=False, title="Internt notat", summary="Internt sammendrag"
    )
    assert _make(start + timedelta(days=1, minutes=1), django_capture_on_commit_callbacks) == 1
    (message,) = _mail_to("k@example.org")
    text = message.body + "".join(body for body, _type in getattr(message, "alternatives", []))
    assert news["event"] in text
    for secret in ("Intern erfaring om benkene", "Hemmelig råd", "Internt notat", "sammendrag"):
        assert secret not in text
