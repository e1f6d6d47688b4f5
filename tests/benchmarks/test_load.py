"""The checks of the load benchmark (``benchmarks/load.py``): what they count as lost,
doubled, overbooked or not rendered once, on bench data made by its own ``prepare``."""

import http.server
import socket
import threading

import pytest
from django.utils import timezone
from django.utils.crypto import get_random_string

from accounts.models import User
from benchmarks import load
from grants import services
from grants.models import CaseEvent, Decision, GrantApplication, Recommendation
from participation.models import Event, Registration

from ..grants.factories import GrantRoundFactory

pytestmark = pytest.mark.django_db
R = Registration.Status


@pytest.fixture
def bench():
    GrantRoundFactory(required_attachments=["styrevedtak", "tilbud"])
    return load.prepare(tag="t1", residents=2, cases=2, bursts=1)


def _observed(bench, **extra) -> dict:
    submitted = [
        {"pk": a.pk, "title": a.title}
        for a in GrantApplication.objects.filter(pk__in=bench["cases"])
    ]
    return {"submitted": submitted, "decided": [], "registered": [], "starts": 0, **extra}


@pytest.fixture
def decide(bench, django_capture_on_commit_callbacks):
    """Decide a bench case through the services; its letter renders on commit, as it would."""

    def run(pk: int) -> Decision:
        with django_capture_on_commit_callbacks(execute=True):
            decision = _decide(bench, pk)
        decision.refresh_from_db()
        return decision

    return run


def _decide(bench, pk: int) -> Decision:
    handler = User.objects.get(email=bench["handlers"][0])
    leader = User.objects.get(email=bench["leaders"][0])
    application = GrantApplication.objects.get(pk=pk)
    services.case_take(actor=handler, application=application)
    services.impartiality_declare(actor=handler, application=application, impartial=True)
    services.assessment_save(
        actor=handler, application=application, scores={}, recommendation=Recommendation.APPROVE
    )
    services.decision_propose(actor=handler, application=application)
    services.impartiality_declare(actor=leader, application=application, impartial=True)
    return services.decision_make(
        actor=leader, application=application, outcome=Recommendation.APPROVE
    )


def _registration(event_pk: int, status: str, queued_at=None, people: int = 1) -> Registration:
    now = timezone.now()
    return Registration.objects.create(
        event_id=event_pk,
        name="Gjest",
        email=f"load-t1-guest-{get_random_string(6).lower()}@example.org",
        people=people,
        status=status,
        token=get_random_string(40),
        queued_at=queued_at or now,
        confirmed_at=now if status == R.CONFIRMED else None,
    )


def test_the_bench_data_is_a_nearly_full_event_and_cases_waiting(bench):
    event = Event.objects.get(pk=bench["events"][0]["pk"])
    taken = event.registrations.filter(status=R.CONFIRMED).count()
    assert event.capacity - taken == load.PLACES_LEFT
    assert event.takes_registrations
    cases = GrantApplication.objects.filter(pk__in=bench["cases"])
    assert [c.status for c in cases] == [GrantApplication.Status.SUBMITTED] * 2
    assert len(bench["residents"]) == len(bench["organisations"]) == 2


def test_a_clean_run_reports_nothing(bench, decide):
    decide(bench["cases"][0])
    event = bench["events"][0]["pk"]
    shown = _registration(event, R.CONFIRMED)
    for _ in range(load.PLACES_LEFT - 1):
        _registration(event, R.CONFIRMED)
    _registration(event, R.WAITLISTED)  # after the last place went: first come, first served
    registered = [{"email": shown.email, "token": shown.token, "shown": "Bekreftet"}]

    result = load.verify(
        bench,
        _observed(bench, decided=[bench["cases"][0]], registered=registered),
        letter_wait=0,
    )

    assert result["problems"] == []
    assert result["decisions"] == result["letters_rendered"] == 1
    assert result["applications_submitted"] == 0  # the prepared cases are not counted
    assert result["registrations_confirmed"] == load.PLACES_LEFT
    assert result["registrations_waitlisted"] == 1
    for key in ("lost_writes", "duplicates", "overbookings", "waitlist_errors", "letters_missing"):
        assert result[key] == 0, key


def test_lost_writes_are_counted(bench):
    event = bench["events"][0]["pk"]
    waiting = _registration(event, R.WAITLISTED)
    observed = _observed(
        bench,
        decided=[bench["cases"][1]],  # the client was told so, but no decision was made
        registered=[
            {"email": "gone@example.org", "token": "no-such-token", "shown": "Bekreftet"},
            {"email": waiting.email, "token": waiting.token, "shown": "Bekreftet"},
        ],
    )
    observed["submitted"].append({"pk": 10**6, "title": "Aldri lagret"})

    result = load.verify(bench, observed, letter_wait=0)

    assert result["lost_writes"] == 4
    assert len(result["problems"]) >= 4


def test_doubled_writes_are_counted(bench, decide):
    resident = User.objects.get(email=bench["residents"][0])
    organisation = resident.memberships.get().organisation
    application = GrantApplication.objects.get(pk=bench["cases"][0])
    for _ in range(2):  # two drafts from one press of "Start"
        services.application_start(
            actor=resident, grant_round=application.round, organisation=organisation
        )
    decision = decide(bench["cases"][0])
    CaseEvent.objects.create(
        application=application,
        kind=CaseEvent.Kind.LETTER_READY,
        data={"decision": decision.pk},
    )

    result = load.verify(bench, _observed(bench, starts=1), letter_wait=0)

    assert result["duplicates"] == 1
    assert result["letters_duplicated"] == 1
    assert result["letters_rendered"] == 0


def test_overbooking_is_counted(bench):
    event = bench["events"][0]["pk"]
    for _ in range(load.PLACES_LEFT + 2):
        _registration(event, R.CONFIRMED)

    result = load.verify(bench, _observed(bench), letter_wait=0)

    assert result["overbookings"] == 2


def test_a_waiting_list_passed_over_is_counted(bench):
    event = bench["events"][0]["pk"]
    first = _registration(event, R.WAITLISTED)
    _registration(event, R.CONFIRMED, queued_at=first.queued_at + timezone.timedelta(seconds=1))

    result = load.verify(bench, _observed(bench), letter_wait=0)

    # A place is still free while the first in line waits, and someone behind got one.
    assert result["waitlist_errors"] == 2


def test_a_letter_not_rendered_is_counted(bench, decide):
    decision = decide(bench["cases"][0])
    Decision.objects.filter(pk=decision.pk).update(letter_status=Decision.LetterStatus.PENDING)

    result = load.verify(bench, _observed(bench), letter_wait=0)

    assert result["letters_missing"] == 1
    assert result["letters_rendered"] == 0


def test_a_guest_moved_up_from_the_waiting_list_is_no_lost_write(bench):
    event = bench["events"][0]["pk"]
    moved_up = _registration(event, R.CONFIRMED)
    Registration.objects.filter(pk=moved_up.pk).update(promoted_at=timezone.now())
    never_waited = _registration(event, R.CONFIRMED)
    registered = [
        {"email": r.email, "token": r.token, "shown": "På venteliste"}
        for r in (moved_up, never_waited)
    ]

    result = load.verify(bench, _observed(bench, registered=registered), letter_wait=0)

    # Shown on the waiting list and promoted since: as it should be. Confirmed without ever
    # being promoted, though the guest was told they wait: the write the guest saw is lost.
    assert result["lost_writes"] == 1
    assert never_waited.email in " ".join(result["problems"])


class _ClosesTheFirstConnection(http.server.BaseHTTPRequestHandler):
    """Answers every request but the very first, whose connection it closes unanswered (as
    a server does with a kept-alive connection it has just timed out)."""

    protocol_version = "HTTP/1.1"
    seen = 0

    def _answer(self):
        type(self).seen += 1
        if type(self).seen == 1:
            self.close_connection = True
            return
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def closing_server():
    _ClosesTheFirstConnection.seen = 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ClosesTheFirstConnection)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_get_whose_connection_the_server_closed_is_sent_again_and_counted(closing_server):
    stats = load.Stats()
    response = load.Browser(closing_server, stats).get("home", "/")
    assert response is not None and response.status_code == 200
    assert stats.resent_requests == ["GET /"]
    assert stats.codes == {200: 1}
    assert not stats.server_errors and not stats.failures


def test_a_post_is_never_sent_twice(closing_server):
    stats = load.Stats()
    assert load.Browser(closing_server, stats).request("apply", "POST", "/", data={}) is None
    assert _ClosesTheFirstConnection.seen == 1
    assert stats.codes == {599: 1} and len(stats.failures) == 1
    assert not stats.resent_requests


def test_a_refused_connection_is_a_failure_not_a_resend():
    stats = load.Stats()
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    assert load.Browser(f"http://127.0.0.1:{port}", stats).get("home", "/") is None
    assert stats.codes == {599: 1} and not stats.resent_requests
