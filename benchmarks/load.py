"""Load without loss: a minute of mixed traffic against the portal, then the database checked.

Run as ``.venv/bin/python benchmarks/load.py``. It creates (once) and seeds the PostgreSQL
database ``omradelos_load`` (``seed_demo`` at scale 1, the marker of ``benchmarks.seeding``),
serves it with gunicorn (``benchmarks.server.serve``, two workers) on Redis db 6, starts a real
Celery worker with beat on the same settings (the decision letters are rendered by a task, and
the sweeps that send stuck letters again run as in production), runs the load
and prints the counts. ``--seconds`` and ``--users`` change the load; ``--json`` prints the
counts as JSON.

``run(base_url, database_url, seconds, users, redis_url)`` is the load alone against a portal
already served, for the benchmark command. The traffic, in threads of plain ``requests``
sessions (each a browser with its cookies and CSRF token), bounded by ``seconds``:

* **anonymous browsing**: home, area, project, event list and event pages;
* **residents** signing in (allauth) and applying: start a draft, the measure, the budget, two
  PDF attachments, submit (a share of them pressing "Start" and "Submit" twice at once);
* **guests** registering for a nearly full event: bursts of 30 guests at once for an event with
  5 places left, each confirming by the link the email carries (read from the database here,
  where a guest would read their inbox), some pressing "Register" and "Confirm" twice, and
  one in six cancelling again, so the waiting list moves up while others still register;
* **staff** deciding cases: a case handler takes, declares impartiality, assesses and proposes;
  a programme leader declares impartiality and decides (a share of the decisions posted twice
  at once, another share decided by both programme leaders at the same moment), which renders
  the decision letter in the background.

Then, in the database (``verify``): every application the client was told was submitted exists
once and is submitted; no draft was made twice by one press; every registration the client was
shown exists with the status shown; no event has more people confirmed than places, nobody on a
waiting list has been passed by someone behind them; every decision the client made exists once;
every decision letter is rendered exactly once (one file, one "letter ready" event). The bench
data (its own residents, organisations, staff and events, named by a run tag) is made by
``prepare`` before the load; nothing of the demo data is changed, but the bench data stays
(records are never deleted), so give the load a database of its own, not one whose pages are
timed.

Fixture and checks use the portal's services and models, so they run in a Django process of
their own (``python benchmarks/load.py --django prepare|verify``) with the server's settings;
the client itself needs no Django.
"""

import argparse
import json
import os
import random
import re
import subprocess  # nosec B404 - runs this interpreter on this file and on celery, no shell
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "Lasttest-benk-2026"
DISTRICT = "09"  # Bydel Bjerke, where the demo's staff work
GUESTS_PER_BURST = 30
PLACES_LEFT = 5
CAPACITY = 40
DEFAULT_USERS = 16
DEFAULT_DB = "omradelos_load"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432"
DEFAULT_REDIS = "redis://127.0.0.1:6379/6"
LETTER_WAIT = 90  # seconds the check waits for letters still being rendered
# A tiny PDF: the portal reads an upload's type from its content.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


# --- In Django: the bench data and the checks ---------------------------------------------------


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()


def _valid_number(rng: random.Random, width: int, is_valid, taken) -> str:
    while True:
        number = str(rng.randrange(10 ** (width - 1), 10**width))
        if is_valid(number) and not taken(number):
            return number


def _submitted_case(*, actor, grant_round, organisation, area, sub_goal, title: str):
    """A submitted application made through the services, as a resident's steps make it."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from grants import services
    from grants.models import AttachmentKind

    application = services.application_start(
        actor=actor, grant_round=grant_round, organisation=organisation
    )
    today = timezone.localdate()
    services.application_save_measure(
        actor=actor,
        application=application,
        **_measure_fields(title, area.pk, sub_goal.pk, today, as_objects=(area, sub_goal)),
    )
    services.application_save_budget(
        actor=actor,
        application=application,
        cost_lines=[("Materialer", 12_000), ("Arbeid", 8_000)],
        own_contribution=10_000,
        other_funding=0,
        amount_applied=10_000,
        dugnad_hours=20,
    )
    for kind in (AttachmentKind.BOARD_RESOLUTION, AttachmentKind.QUOTE):
        services.attachment_add(
            actor=actor,
            application=application,
            kind=kind,
            upload=SimpleUploadedFile(f"{kind}.pdf", PDF, content_type="application/pdf"),
        )
    return services.application_submit(actor=actor, application=application)


def _measure_fields(title, area_id, sub_goal_id, today, as_objects=None) -> dict:
    fields = {
        "title": title,
        "description": "Nye benker og beplantning i bakgården, laget sammen med beboerne.",
        "location": "Bakgården, Veitvetveien 20",
        "on_own_property": True,
        "target_group": "Alle beboerne",
        "expected_participants": 40,
        "resident_involvement": "Beboermøte med 30 deltakere og en dugnadsgruppe.",
        "start_date": today + timedelta(days=30),
        "end_date": today + timedelta(days=120),
    }
    if as_objects:
        fields["area"], fields["sub_goal"] = as_objects
    else:
        fields["area"], fields["sub_goal"] = area_id, sub_goal_id
    return fields


def prepare(*, tag: str, residents: int, cases: int, bursts: int) -> dict:
    """Make the bench data of one run, named by ``tag``: ``residents`` residents each with an
    organisation of their own, two case handlers and two programme leaders in Bydel Bjerke,
    ``cases`` applications already submitted (work for the staff from the first second) and
    ``bursts`` published events with ``PLACES_LEFT`` places left. Returns what the client needs
    (addresses, ids, the password) as plain data."""
    from django.utils import timezone
    from django.utils.crypto import get_random_string
    from stdnum.no import kontonr, orgnr

    from accounts.demo import ensure_user
    from accounts.models import Role
    from accounts.services import role_assign
    from areas.models import Area, District, SubGoal
    from grants import rules, services
    from grants.models import ApplicantKind, GrantRound, Organisation
    from participation.models import Event, Registration
    from projects.permissions import projects_public

    rng = random.Random(tag)  # nosec B311 - a repeatable traffic mix, nothing secret
    district = District.objects.get(number=DISTRICT)
    now = timezone.now()
    grant_round = next(
        (
            r
            for r in GrantRound.objects.filter(opens_at__lte=now, closes_at__gt=now)
            if not rules.round_problems(r) and r.areas.filter(district=district).exists()
        ),
        None,
    )
    if grant_round is None:
        raise RuntimeError("No grant round is open in Bydel Bjerke; run manage.py seed_demo.")
    area = grant_round.areas.filter(district=district).order_by("pk").first()
    sub_goal = SubGoal.objects.filter(sub_programme__served=True).order_by("number").first()

    def staff(role, n):
        user = ensure_user(f"load-{tag}-{role}-{n}@example.org", f"Last {role} {n}", PASSWORD)
        role_assign(user=user, role=role, district=district, actor=None)
        return user.email

    handlers = [staff(Role.CASE_HANDLER, n) for n in range(2)]
    leaders = [staff(Role.PROGRAMME_LEADER, n) for n in range(2)]
    people, organisations = [], []
    for n in range(residents):
        user = ensure_user(f"load-{tag}-r{n}@example.org", f"Last Beboer {n}", PASSWORD)
        organisation = services.organisation_register(
            actor=user,
            name=f"Lasttest {tag} borettslag {n}",
            org_number=_free_org_number(rng, orgnr.is_valid),
            account_number=_valid_number(rng, 11, kontonr.is_valid, lambda _n: False),
            kind=ApplicantKind.HOUSING_COOP,
            address=f"Veitvetveien {n + 1}",
            postcode="0596",
            city="Oslo",
            email=f"styret.load-{tag}-{n}@example.org",
        )
        people.append(user)
        organisations.append(organisation.pk)
    case_ids = [
        _submitted_case(
            actor=people[n % residents],
            grant_round=grant_round,
            organisation=Organisation.objects.get(pk=organisations[n % residents]),
            area=area,
            sub_goal=sub_goal,
            title=f"Lasttest {tag} forberedt {n}",
        ).pk
        for n in range(cases)
    ]
    events = []
    for n in range(bursts):
        starts = now + timedelta(days=14 + n)
        event = Event.objects.create(
            title=f"Lasttest {tag} verksted {n}",
            slug=f"lasttest-{tag}-{n}".lower(),
            description="Verksted om bakgårdene.",
            kind=Event.Kind.WORKSHOP,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place="Veitvet senter",
            capacity=CAPACITY,
            registration=Event.Registration.OPEN,
            status=Event.Status.PUBLISHED,
            organiser="Bydel Bjerke",
        )
        event.areas.set([area])
        Registration.objects.bulk_create(
            Registration(
                event=event,
                name=f"Påmeldt {i}",
                email=f"load-{tag}-{n}-early-{i}@example.org",
                people=1,
                status=Registration.Status.CONFIRMED,
                token=get_random_string(40),
                queued_at=now,
                confirmed_at=now,
            )
            for i in range(CAPACITY - PLACES_LEFT)
        )
        events.append({"pk": event.pk, "slug": event.slug})
    projects = list(projects_public().order_by("pk").values_list("slug", flat=True)[:40])
    return {
        "tag": tag,
        "password": PASSWORD,
        "round": grant_round.slug,
        "area": area.pk,
        "sub_goal": sub_goal.pk,
        "residents": [u.email for u in people],
        "organisations": organisations,
        "handlers": handlers,
        "leaders": leaders,
        "cases": case_ids,
        "events": events,
        "areas": list(Area.objects.order_by("pk").values_list("slug", flat=True)),
        "projects": projects,
    }


def _free_org_number(rng: random.Random, is_valid) -> str:
    from grants.models import Organisation

    return _valid_number(
        rng, 9, is_valid, lambda n: Organisation.objects.filter(org_number=n).exists()
    )


def confirm_token(database_url: str, token: str) -> str:
    """The link a guest's confirmation email carries, for the registration ``token``."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT confirm_token FROM participation_registration WHERE token = %s", [token]
        ).fetchone()
    return row[0] if row else ""


def _wait_for_letters(decisions, seconds: float) -> None:
    from grants.models import Decision

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not decisions.filter(letter_status=Decision.LetterStatus.PENDING).exists():
            return
        time.sleep(0.5)


def verify(fixture: dict, observed: dict, *, letter_wait: float = LETTER_WAIT) -> dict:
    """Check the database against what the client was told. Returns the counts and, under
    ``problems``, a sentence for each write lost or doubled, each overbooking, each letter not
    rendered exactly once."""
    from django.db.models import Count, Sum
    from django.utils import translation

    from grants.models import CaseEvent, Decision, GrantApplication
    from participation.models import Event, Registration

    problems: list[str] = []
    counts = Counter()
    S = GrantApplication.Status
    bench = GrantApplication.objects.filter(organisation_id__in=fixture["organisations"])

    # Applications: each submission the client saw succeed exists once, submitted.
    submitted = observed.get("submitted", [])
    for item in submitted:
        rows = list(bench.filter(title=item["title"]))
        if not rows:
            problems.append(f"lost application: “{item['title']}” (#{item['pk']}) is not there")
            counts["lost_writes"] += 1
        elif len(rows) > 1:
            problems.append(f"duplicated application: “{item['title']}” exists {len(rows)} times")
            counts["duplicates"] += len(rows) - 1
        elif rows[0].pk != item["pk"] or rows[0].status == S.DRAFT or not rows[0].reference:
            problems.append(f"lost submission: #{item['pk']} is {rows[0].status}")
            counts["lost_writes"] += 1
    # Every press of "Start" (once or twice) makes one draft: no more applications than starts.
    made = bench.exclude(pk__in=fixture["cases"]).count()
    extra = made - observed.get("starts", 0)
    if extra > 0:
        problems.append(f"duplicated drafts: {extra} more applications than starts")
        counts["duplicates"] += extra
    references = (
        GrantApplication.objects.filter(reference__isnull=False)
        .exclude(reference="")
        .values("reference")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    for row in references:
        problems.append(f"reference {row['reference']} given {row['n']} times")
        counts["duplicates"] += row["n"] - 1
    doubled_submits = (
        CaseEvent.objects.filter(application__in=bench, kind=CaseEvent.Kind.SUBMITTED)
        .values("application")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    for row in doubled_submits:
        problems.append(f"application #{row['application']} submitted {row['n']} times")
        counts["duplicates"] += row["n"] - 1
    # Submitted during the load: not counting the cases ``prepare`` submitted for the staff.
    counts["applications_submitted"] = (
        bench.exclude(status=S.DRAFT).exclude(pk__in=fixture["cases"]).count()
    )

    # Decisions: one per case, the ones the client made exist, each letter rendered once.
    decisions = Decision.objects.filter(application__in=bench)
    _wait_for_letters(decisions, letter_wait)
    per_case = decisions.values("application").annotate(n=Count("pk")).filter(n__gt=1)
    for row in per_case:
        problems.append(f"case #{row['application']} has {row['n']} decisions")
        counts["duplicates"] += row["n"] - 1
    decided = set(decisions.values_list("application_id", flat=True))
    for pk in observed.get("decided", []):
        if pk not in decided:
            problems.append(f"lost decision: case #{pk} has none")
            counts["lost_writes"] += 1
    ready_events = Counter(
        event.data.get("decision")
        for event in CaseEvent.objects.filter(
            application__in=bench, kind=CaseEvent.Kind.LETTER_READY
        )
    )
    for decision in decisions:
        rendered = ready_events.get(decision.pk, 0)
        if decision.letter_status != Decision.LetterStatus.READY or not decision.letter:
            problems.append(f"letter of decision #{decision.pk} is {decision.letter_status}")
            counts["letters_missing"] += 1
        elif not decision.letter.storage.exists(decision.letter.name):
            problems.append(f"letter of decision #{decision.pk} has no file")
            counts["letters_missing"] += 1
        elif rendered != 1:
            problems.append(f"letter of decision #{decision.pk} rendered {rendered} times")
            counts["letters_duplicated"] += max(rendered - 1, 0)
            counts["letters_missing"] += rendered == 0
        else:
            counts["letters_rendered"] += 1
    counts["decisions"] = decisions.count()

    # Registrations: nobody over capacity, the waiting list strictly first come, first served,
    # everyone the client was shown exists with the status shown, nobody registered twice.
    R = Registration.Status
    with translation.override("nb"):
        shown_status = {str(label): value for value, label in R.choices}
    for item in fixture["events"]:
        event = Event.objects.get(pk=item["pk"])
        regs = event.registrations.all()
        taken = regs.filter(status=R.CONFIRMED).aggregate(n=Sum("people"))["n"] or 0
        if taken > event.capacity:
            problems.append(f"event {event.slug}: {taken} confirmed for {event.capacity} places")
            counts["overbookings"] += taken - event.capacity
        waiting = list(regs.filter(status=R.WAITLISTED).order_by("queued_at", "pk"))
        if waiting and waiting[0].people <= event.capacity - taken:
            problems.append(f"event {event.slug}: places free while #{waiting[0].pk} waits")
            counts["waitlist_errors"] += 1
        if waiting:
            passed = regs.filter(
                status=R.CONFIRMED,
                promoted_at__isnull=True,
                queued_at__gt=waiting[0].queued_at,
            ).count()
            if passed:
                problems.append(f"event {event.slug}: {passed} confirmed after someone waiting")
                counts["waitlist_errors"] += passed
        doubled = (
            regs.exclude(status=R.CANCELLED).values("email").annotate(n=Count("pk")).filter(n__gt=1)
        )
        for row in doubled:
            problems.append(f"event {event.slug}: {row['email']} registered {row['n']} times")
            counts["duplicates"] += row["n"] - 1
        counts["registrations_confirmed"] += regs.filter(
            status=R.CONFIRMED, email__contains="-guest-"
        ).count()
        counts["registrations_waitlisted"] += len(waiting)
    for item in observed.get("registered", []):
        registration = Registration.objects.filter(token=item["token"]).first()
        expected = shown_status.get(item.get("shown", ""))
        if registration is None:
            problems.append(f"lost registration: {item['email']}")
            counts["lost_writes"] += 1
        elif (
            expected is not None
            and registration.status != expected
            # Shown on the waiting list, and moved up since, when someone cancelled.
            and not (
                expected == R.WAITLISTED
                and registration.status == R.CONFIRMED
                and registration.promoted_at is not None
            )
        ):
            problems.append(
                f"registration of {item['email']} shown as {item['shown']} but is "
                f"{registration.status}"
            )
            counts["lost_writes"] += 1
    for key in (
        "applications_submitted",
        "decisions",
        "letters_rendered",
        "registrations_confirmed",
        "registrations_waitlisted",
        "lost_writes",
        "duplicates",
        "overbookings",
        "waitlist_errors",
        "letters_missing",
        "letters_duplicated",
    ):
        counts.setdefault(key, 0)
    return {**dict(counts), "problems": problems}


def _django_main(mode: str, in_path: str, out_path: str) -> None:
    _setup_django()
    from core.tasks import wait_for_background

    data = json.loads(Path(in_path).read_text())
    result = prepare(**data) if mode == "prepare" else verify(data["fixture"], data["observed"])
    wait_for_background()
    Path(out_path).write_text(json.dumps(result))


def _in_django(mode: str, data: dict, database_url: str) -> dict:
    from benchmarks.server import environment

    with tempfile.TemporaryDirectory() as tmp:
        in_path, out_path = Path(tmp, "in.json"), Path(tmp, "out.json")
        in_path.write_text(json.dumps(data))
        subprocess.run(  # nosec B603 - this interpreter on this file, a fixed argument list
            [sys.executable, __file__, "--django", mode, str(in_path), str(out_path)],
            cwd=ROOT,
            env=environment(database_url),
            check=True,
        )
        return json.loads(out_path.read_text())


# --- The client ---------------------------------------------------------------------------------

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CASE_PK = re.compile(r"/tilskudd/soknader/(\d+)/")
STATUS_SHOWN = re.compile(r'<dl class="facts">\s*<div><dt>[^<]*</dt><dd>([^<]+)</dd>')


class Stats:
    """What the client saw, shared by every thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests = Counter()
        self.codes = Counter()
        self.codes_by_kind: dict[str, Counter] = {}
        self.not_found: list[str] = []
        self.server_errors: list[str] = []
        self.failures: list[str] = []
        self.resent_requests: list[str] = []
        self.submitted: list[dict] = []
        self.decided: list[int] = []
        self.registered: list[dict] = []
        self.starts = 0

    def count(self, kind: str, method: str, url: str, status: int) -> None:
        with self.lock:
            self.requests[kind] += 1
            self.codes[status] += 1
            self.codes_by_kind.setdefault(kind, Counter())[status] += 1
            if status == 404 and len(self.not_found) < 10:
                self.not_found.append(f"{method} {url}")
            if status >= 500:
                self.server_errors.append(f"{status} {method} {url}")

    def fail(self, text: str) -> None:
        with self.lock:
            self.failures.append(text)

    def resent(self, text: str) -> None:
        with self.lock:
            self.resent_requests.append(text)


IDEMPOTENT = ("GET", "HEAD")


def _closed_before_answering(exc: BaseException) -> bool:
    """Whether a request failed because the server closed the connection before sending any
    of an answer (not a timeout, not a refused connection, not a broken answer)."""
    from http.client import RemoteDisconnected

    seen: set[int] = set()
    pending = [exc]
    while pending:
        error = pending.pop()
        if id(error) in seen:
            continue
        seen.add(id(error))
        if isinstance(error, RemoteDisconnected | ConnectionResetError):
            return True
        pending += [arg for arg in error.args if isinstance(arg, BaseException)]
        pending += [e for e in (error.__cause__, error.__context__) if e is not None]
    return False


class Browser:
    """One person's browser: a session with its cookies, counting every request."""

    def __init__(self, base_url: str, stats: Stats) -> None:
        import requests

        self.base, self.stats = base_url, stats
        self.session = requests.Session()
        self.last_html = ""

    def request(self, kind: str, method: str, path: str, **kwargs):
        import requests

        url = path if path.startswith("http") else self.base + path
        for attempt in range(2):
            try:
                response = self.session.request(
                    method, url, allow_redirects=False, timeout=60, **kwargs
                )
                break
            except requests.RequestException as exc:
                if attempt == 0 and method in IDEMPOTENT and _closed_before_answering(exc):
                    # The server closed the kept-alive connection as the request went out
                    # (it closes one idle for two seconds): a browser sends such a request
                    # again on a new connection (RFC 9112, 9.3.1), and so does this one.
                    self.stats.resent(f"{method} {path}")
                    continue
                self.stats.count(kind, method, path, 599)
                self.stats.fail(f"{method} {path}: {exc!r}")
                return None
        self.stats.count(kind, method, path, response.status_code)
        if "text/html" in response.headers.get("Content-Type", ""):
            self.last_html = response.text
        return response

    def get(self, kind: str, path: str):
        return self.request(kind, "GET", path)

    def token(self) -> str:
        match = CSRF.search(self.last_html)
        return match.group(1) if match else self.session.cookies.get("csrftoken", "")

    def post(self, kind: str, path: str, data: dict, files=None, token: str | None = None):
        data = {"csrfmiddlewaretoken": token or self.token(), **data}
        return self.request(kind, "POST", path, data=data, files=files)

    def twice(self, kind: str, path: str, data: dict, files=None):
        """Press the button twice at once: two POSTs with the same form, in parallel."""
        token = self.token()
        results = [None, None]

        def press(i):
            results[i] = self.post(kind, path, data, files, token=token)

        threads = [threading.Thread(target=press, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    def sign_in(self, email: str, password: str) -> bool:
        self.get("sign_in", "/accounts/login/")
        response = self.post("sign_in", "/accounts/login/", {"login": email, "password": password})
        if response is None or response.status_code != 302:
            self.stats.fail(f"sign-in of {email}: {getattr(response, 'status_code', None)}")
            return False
        return True


def _location(response) -> str:
    return response.headers.get("Location", "") if response is not None else ""


def browse(browser: Browser, fixture: dict, rng: random.Random) -> None:
    choice = rng.random()
    if choice < 0.25:
        browser.get("home", "/")
    elif choice < 0.45:
        browser.get("area", f"/omradeloft/{rng.choice(fixture['areas'])}/")
    elif choice < 0.7 and fixture["projects"]:
        browser.get("project", f"/prosjekter/{rng.choice(fixture['projects'])}/")
    elif choice < 0.9:
        browser.get("event_list", "/medvirkning/")
    else:
        browser.get("event", f"/medvirkning/{rng.choice(fixture['events'])['slug']}/")


def apply_once(browser: Browser, fixture: dict, rng: random.Random, title: str, queue) -> None:
    """One application, every step as a resident's browser posts it."""
    from datetime import date

    start = f"/tilskudd/utlysning/{fixture['round']}/sok/"
    browser.get("apply", start)
    org = re.search(r'name="organisation" value="(\d+)"', browser.last_html)
    if org is None:
        browser.stats.fail("the start page offers no organisation")
        return
    data = {"organisation": org.group(1)}
    key = re.search(r'name="start_key" value="([^"]*)"', browser.last_html)
    if key:  # the form's one-time key, sent as a browser sends every hidden field
        data["start_key"] = key.group(1)
    double = rng.random() < 0.3
    responses = (
        browser.twice("apply", start, data) if double else [browser.post("apply", start, data)]
    )
    with browser.stats.lock:
        browser.stats.starts += 1
    pks = {m.group(1) for r in responses if (m := CASE_PK.search(_location(r)))}
    if not pks:
        return
    pk = min(pks)  # a second draft from the double press, if any, is left as it is
    step = f"/tilskudd/soknader/{pk}/steg/"
    browser.get("apply", f"{step}organisasjon/")
    browser.get("apply", f"{step}tiltak/")
    today = date.today()
    measure = _measure_fields(title, fixture["area"], fixture["sub_goal"], today)
    measure = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in measure.items()}
    measure["on_own_property"] = "True"
    browser.post("apply", f"{step}tiltak/", {**measure, "action": "continue"})
    browser.get("apply", f"{step}budsjett/")
    budget = {
        "own_contribution": "10000",
        "other_funding": "0",
        "amount_applied": "10000",
        "dugnad_hours": "20",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "100",
        "lines-0-description": "Materialer",
        "lines-0-amount": "12000",
        "lines-1-description": "Arbeid",
        "lines-1-amount": "8000",
        "action": "continue",
    }
    browser.post("apply", f"{step}budsjett/", budget)
    browser.get("apply", f"{step}vedlegg/")
    for kind, name in (("styrevedtak", "styrevedtak.pdf"), ("tilbud", "tilbud.pdf")):
        browser.post(
            "attachment",
            f"{step}vedlegg/",
            {"kind": kind, "action": "save"},
            files={"file": (name, PDF, "application/pdf")},
        )
    browser.get("apply", f"{step}oppsummering/")
    send = f"/tilskudd/soknader/{pk}/send/"
    double = rng.random() < 0.3
    responses = browser.twice("submit", send, {}) if double else [browser.post("submit", send, {})]
    if not any("/kvittering/" in _location(r) for r in responses):
        browser.stats.fail(
            f"submit of #{pk}: {[getattr(r, 'status_code', None) for r in responses]}"
        )
        return
    receipt = browser.get("submit", f"/tilskudd/soknader/{pk}/kvittering/")
    if receipt is not None and receipt.status_code == 200:
        with browser.stats.lock:
            browser.stats.submitted.append({"pk": int(pk), "title": title})
        queue.put(int(pk))


def resident(base, fixture, stats, n, deadline, queue) -> None:
    rng = random.Random(f"resident-{n}")  # nosec B311 - a repeatable traffic mix, nothing secret
    browser = Browser(base, stats)
    email = fixture["residents"][n % len(fixture["residents"])]
    if not browser.sign_in(email, fixture["password"]):
        return
    browser.get("apply", "/tilskudd/soknader/")
    i = 0
    while time.monotonic() < deadline:
        apply_once(browser, fixture, rng, f"Lasttest {fixture['tag']} r{n}-{i}", queue)
        browser.get("apply", "/tilskudd/soknader/")
        i += 1


def browser_user(base, fixture, stats, n, deadline) -> None:
    rng = random.Random(f"browser-{n}")  # nosec B311 - a repeatable traffic mix, nothing secret
    browser = Browser(base, stats)
    while time.monotonic() < deadline:
        browse(browser, fixture, rng)


def _case_post(browser, kind, pk, action, data, double=False):
    path = f"/intern/tilskudd/saker/{pk}/{action}"
    if double:
        return browser.twice(kind, path, data)
    return [browser.post(kind, path, data)]


def _done(responses) -> bool:
    return any(r is not None and r.status_code == 302 for r in responses)


def handler(base, fixture, stats, n, deadline, cases, proposed) -> None:
    """A case handler: take, impartiality, assessment, proposal, case after case."""
    import queue as queues

    browser = Browser(base, stats)
    if not browser.sign_in(fixture["handlers"][n], fixture["password"]):
        return
    while time.monotonic() < deadline:
        try:
            pk = cases.get(timeout=1)
        except queues.Empty:
            browser.get("staff", "/intern/tilskudd/")
            continue
        browser.get("staff", f"/intern/tilskudd/saker/{pk}/")
        steps = [
            ("ta/", {}),
            ("habilitet/", {"impartiality-impartial": "yes", "impartiality-note": ""}),
            (
                "vurdering/",
                {
                    **{f"assess-score_{i}": "4" for i in range(4)},
                    "assess-recommendation": "innvilg",
                    "assess-recommended_amount": "",
                    "assess-reasons": "",
                    "assess-conditions": "",
                    "assess-internal_notes": "",
                },
            ),
            ("innstill/", {}),
        ]
        for action, data in steps:
            if not _done(_case_post(browser, "staff", pk, action, data)):
                stats.fail(f"handler {action} on #{pk}")
                break
            browser.get("staff", f"/intern/tilskudd/saker/{pk}/")
        else:
            proposed.put(pk)


IMPARTIAL = {"impartiality-impartial": "yes", "impartiality-note": ""}
DECISION = {
    "decide-outcome": "innvilg",
    "decide-amount": "",
    "decide-reasons": "",
    "decide-conditions": "",
}


def _at_once(*presses):
    """Run the presses (callables) in parallel; their results in order."""
    results = [None] * len(presses)

    def run(i):
        results[i] = presses[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(presses))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [r for result in results for r in result]


def leader(base, fixture, stats, n, deadline, proposed) -> None:
    """A programme leader: impartiality and the decision. A third of the decisions are pressed
    twice at once; a sixth are contested: the other programme leader, signed in in a browser
    of their own, declares impartiality too and decides the same case at the same moment."""
    import queue as queues

    rng = random.Random(f"leader-{n}")  # nosec B311 - a repeatable traffic mix, nothing secret
    browser, rival = Browser(base, stats), Browser(base, stats)
    if not browser.sign_in(fixture["leaders"][n], fixture["password"]):
        return
    if not rival.sign_in(fixture["leaders"][1 - n], fixture["password"]):
        return
    while time.monotonic() < deadline:
        try:
            pk = proposed.get(timeout=1)
        except queues.Empty:
            browser.get("staff", "/intern/tilskudd/")
            continue
        case = f"/intern/tilskudd/saker/{pk}/"
        contested = rng.random() < 1 / 6
        deciders = [browser, rival] if contested else [browser]
        declared = True
        for person in deciders:
            person.get("staff", case)
            if not _done(_case_post(person, "decide", pk, "habilitet/", IMPARTIAL)):
                stats.fail(f"leader impartiality on #{pk}")
                declared = False
            person.get("staff", case)
        if not declared:
            continue
        if contested:
            responses = _at_once(
                *(
                    lambda p=person, pk=pk: _case_post(p, "decide", pk, "vedtak/", DECISION)
                    for person in deciders
                )
            )
        else:
            twice = rng.random() < 0.35
            responses = _case_post(browser, "decide", pk, "vedtak/", DECISION, twice)
        if _done(responses):
            with stats.lock:
                stats.decided.append(pk)
        else:
            stats.fail(f"decision on #{pk}: {[getattr(r, 'status_code', None) for r in responses]}")
        browser.get("staff", case)


def guest(base, fixture, stats, database_url, event, n, barrier) -> None:
    """A guest registering for a nearly full event and confirming by the emailed link."""
    browser = Browser(base, stats)
    email = f"load-{fixture['tag']}-{event['pk']}-guest-{n}@example.org"
    browser.get("register", f"/medvirkning/{event['slug']}/")
    data = {
        "name": f"Gjest {n}",
        "email": email,
        "people": "2" if n % 7 == 3 else "1",
        "interpretation_needed": "",
        "accessibility_needs": "",
    }
    path = f"/medvirkning/{event['slug']}/pamelding/"
    barrier.wait()
    double = n % 4 == 0
    responses = (
        browser.twice("register", path, data) if double else [browser.post("register", path, data)]
    )
    tokens = {
        m.group(1)
        for r in responses
        if (m := re.search(r"/medvirkning/pamelding/([^/]+)/", _location(r)))
    }
    if len(tokens) != 1:
        stats.fail(
            f"registration of {email}: {[getattr(r, 'status_code', None) for r in responses]}"
        )
        return
    token = tokens.pop()
    link = confirm_token(database_url, token)
    if link:
        browser.get("register", f"/medvirkning/pamelding/{link}/bekreft/")
        confirm = f"/medvirkning/pamelding/{link}/bekreft/"
        responses = (
            browser.twice("register", confirm, {})
            if double
            else [browser.post("register", confirm, {})]
        )
        if not _done(responses):
            stats.fail(f"confirmation of {email}")
    if n % 6 == 5:  # changed their mind: the place (if any) goes to the first in line
        cancel = f"/medvirkning/pamelding/{token}/avmeld/"
        browser.get("cancel", cancel)
        if not _done([browser.post("cancel", cancel, {})]):
            stats.fail(f"cancellation of {email}")
    page = browser.get("register", f"/medvirkning/pamelding/{token}/")
    shown = STATUS_SHOWN.search(page.text) if page is not None and page.status_code == 200 else None
    with stats.lock:
        stats.registered.append(
            {"email": email, "token": token, "shown": shown.group(1).strip() if shown else ""}
        )


def guests(base, fixture, stats, database_url, start_at, deadline) -> None:
    """A burst of ``GUESTS_PER_BURST`` guests at once per event, spread over the run."""
    events = fixture["events"]
    for i, event in enumerate(events):
        at = start_at + (deadline - start_at) * (i + 0.2) / len(events)
        time.sleep(max(0.0, at - time.monotonic()))
        barrier = threading.Barrier(GUESTS_PER_BURST)
        threads = [
            threading.Thread(
                target=guest, args=(base, fixture, stats, database_url, event, n, barrier)
            )
            for n in range(GUESTS_PER_BURST)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


@contextmanager
def celery_worker(database_url: str, redis_url: str):
    """A real Celery worker on the server's settings, for the length of the block."""
    from benchmarks.server import environment

    celery = Path(sys.executable).with_name("celery")
    schedule = Path(tempfile.mkdtemp(prefix="load-beat-")) / "schedule"
    process = subprocess.Popen(  # nosec B603 - the venv's celery, a fixed argument list
        [
            str(celery),
            "-A",
            "omradelos",
            "worker",
            "--concurrency=2",
            "--loglevel=WARNING",
            # With beat, as in production: the sweeps that send stuck letters again run too.
            "--beat",
            f"--schedule={schedule}",
        ],
        cwd=ROOT,
        env=environment(database_url, redis_url),
        stdout=subprocess.DEVNULL,  # the banner; warnings and errors go to stderr
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


def run(
    base_url: str,
    database_url: str,
    seconds: int = 60,
    users: int = DEFAULT_USERS,
    redis_url: str = "",
) -> dict:
    """``seconds`` of mixed traffic against the portal at ``base_url`` (served on
    ``database_url``), then the checks. With ``redis_url`` (the broker the server uses) a
    Celery worker renders the letters meanwhile; without it the server renders them itself
    (``TASKS_IN_BACKGROUND``). ``users`` threads share the traffic: a third residents, a third
    browsing, four staff; guests come in bursts of 30 on top. Returns the counts."""
    import queue as queues

    residents = max(users // 3, 1)
    browsers = max(users - residents - 4, 1)
    bursts = max(1, round(seconds / 20))
    tag = time.strftime("%m%d%H%M%S") + f"{random.randrange(100):02d}"  # nosec B311 - a repeatable traffic mix, nothing secret
    fixture = _in_django(
        "prepare",
        {"tag": tag, "residents": residents, "cases": 6, "bursts": bursts},
        database_url,
    )
    stats = Stats()
    cases, proposed = queues.Queue(), queues.Queue()
    for pk in fixture["cases"]:
        cases.put(pk)
    worker = celery_worker(database_url, redis_url) if redis_url else _nothing()
    with worker:
        started = time.monotonic()
        deadline = started + seconds
        jobs = [
            *((resident, (base_url, fixture, stats, n, deadline, cases)) for n in range(residents)),
            *((browser_user, (base_url, fixture, stats, n, deadline)) for n in range(browsers)),
            *(
                (handler, (base_url, fixture, stats, n, deadline, cases, proposed))
                for n in range(2)
            ),
            *((leader, (base_url, fixture, stats, n, deadline + 10, proposed)) for n in range(2)),
            (guests, (base_url, fixture, stats, database_url, started, deadline)),
        ]
        with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
            futures = [pool.submit(job, *args) for job, args in jobs]
            for future in futures:
                future.result()
        elapsed = time.monotonic() - started
        observed = {
            "submitted": stats.submitted,
            "decided": stats.decided,
            "registered": stats.registered,
            "starts": stats.starts,
        }
        checked = _in_django("verify", {"fixture": fixture, "observed": observed}, database_url)
    total = sum(stats.requests.values())
    return {
        "seconds": round(elapsed, 1),
        "users": users,
        "requests": total,
        "requests_per_second": round(total / elapsed, 1),
        "requests_by_kind": dict(sorted(stats.requests.items())),
        "status_codes": {str(k): v for k, v in sorted(stats.codes.items())},
        "status_codes_by_kind": {
            kind: {str(k): v for k, v in sorted(codes.items())}
            for kind, codes in sorted(stats.codes_by_kind.items())
        },
        "not_found_samples": stats.not_found,
        "server_errors": len(stats.server_errors),
        "server_error_samples": stats.server_errors[:10],
        "client_failures": len(stats.failures),
        "client_failure_samples": stats.failures[:10],
        "resent": len(stats.resent_requests),
        "resent_samples": stats.resent_requests[:10],
        "guests": len(stats.registered),
        **checked,
    }


@contextmanager
def _nothing():
    yield None


ROWS = [
    ("requests", "Requests"),
    ("requests_per_second", "Requests per second"),
    ("server_errors", "5xx responses"),
    ("client_failures", "Steps refused or failed (client side)"),
    ("resent", "GETs sent again: the server had closed the idle connection"),
    ("applications_submitted", "Applications submitted"),
    ("decisions", "Decisions made"),
    ("letters_rendered", "Decision letters rendered once"),
    ("guests", "Guests registering"),
    ("registrations_confirmed", "Guests confirmed"),
    ("registrations_waitlisted", "On waiting lists"),
    ("lost_writes", "Lost writes"),
    ("duplicates", "Duplicated writes"),
    ("overbookings", "Overbookings"),
    ("waitlist_errors", "Waiting-list errors"),
    ("letters_missing", "Letters missing"),
    ("letters_duplicated", "Letters rendered twice"),
]


def table(result: dict) -> str:
    lines = ["| | |", "| --- | ---: |"]
    lines += [f"| {label} | {result.get(key, 0)} |" for key, label in ROWS]
    lines += ["", "| Requests by kind | | Responses by status |", "| --- | ---: | --- |"]
    lines += [
        f"| {kind} | {result['requests_by_kind'][kind]} | "
        + ", ".join(f"{code}: {n}" for code, n in result["status_codes_by_kind"][kind].items())
        + " |"
        for kind in result["requests_by_kind"]
    ]
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--django":
        _django_main(*sys.argv[2:5])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=DEFAULT_USERS)
    parser.add_argument("--pg", default=DEFAULT_PG)
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--redis", default=DEFAULT_REDIS, help="'' renders letters in-process")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from benchmarks.seeding import seed
    from benchmarks.server import serve

    log = lambda text: print(text, file=sys.stderr)  # noqa: E731
    seed(args.pg, args.db, 1, reseed=False, log=log)  # migrates; seeds once (a marker)
    database_url = f"{args.pg}/{args.db}"
    with serve(database_url, redis_url=args.redis) as server:
        log(f"Load for {args.seconds} s with {args.users} users on {server.url} …")
        result = run(server.url, database_url, args.seconds, args.users, redis_url=args.redis)
        result["worker_rss_mb"] = [round(mb) for mb in server.worker_rss_mb()]
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(table(result))
        for problem in result["problems"]:
            print(f"- {problem}")
        for sample in result["server_error_samples"] + result["client_failure_samples"]:
            print(f"  {sample}")


if __name__ == "__main__":
    main()
