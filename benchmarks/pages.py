"""The key pages over HTTP: a keep-alive client per persona, server and client time, bytes,
queries, the cache's answer; and requests per second under concurrent load.

Server time is the ``Server-Timing: app;dur=`` header of ``benchmarks.middleware``; client time
is measured around the request here (loopback, one connection kept alive per persona).
"""

import http.client
import re
import shutil
import subprocess  # nosec B404 - wrk, a fixed argument list
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import psycopg

from .report import percentile

DEMO_PASSWORD = "Omradeloft-demo-2026"  # accounts.demo.DEMO_PASSWORD
STAFF = "saksbehandler@example.org"  # case handler, Bydel Bjerke: queue, case, projects
BOARD = "programstyret@example.org"  # the programme board: the dashboard
RESIDENT = "beboer@example.org"  # the demo resident: my applications
TOPICS = ("areas", "projects", "grants", "participation", "programmes", "knowledge")

_TIMING = re.compile(r"app;dur=([0-9.]+)")
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Answer:
    status: int
    server_ms: float
    client_ms: float
    bytes: int
    queries: int
    cache: str
    location: str = ""


@dataclass
class Client:
    """One keep-alive connection with its cookies: a visitor, or a signed-in person."""

    base_url: str
    cookies: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        parts = urlsplit(self.base_url)
        self.host, self.port = parts.hostname, parts.port
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            try:
                start = time.perf_counter()
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                elapsed = (time.perf_counter() - start) * 1000
                break
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt:
                    raise
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        timing = _TIMING.search(response.headers.get("Server-Timing", ""))
        answer = Answer(
            status=response.status,
            server_ms=float(timing.group(1)) if timing else float("nan"),
            client_ms=elapsed,
            bytes=len(content),
            queries=int(response.headers.get("X-Queries", "-1")),
            cache=response.headers.get("X-Page-Cache", ""),
            location=response.headers.get("Location", ""),
        )
        return answer, content

    def get(self, path: str) -> Answer:
        return self.request("GET", path)[0]

    def sign_in(self, email: str, password: str = DEMO_PASSWORD) -> None:
        """allauth's form with its CSRF token, as a browser fills it in."""
        answer, content = self.request("GET", "/accounts/login/")
        token = _CSRF_INPUT.search(content.decode())
        if answer.status != 200 or token is None:
            raise RuntimeError(f"no sign-in form ({answer.status})")
        body = urlencode(
            {"login": email, "password": password, "csrfmiddlewaretoken": token.group(1)}
        ).encode()
        answer, _ = self.request(
            "POST",
            "/accounts/login/",
            body,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{email} could not sign in ({answer.status})")


def bump_versions(database_url: str) -> None:
    """Every data version raised, as a write would: the next visitor's page is rendered anew."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        for topic in TOPICS:
            conn.execute(
                "INSERT INTO core_dataversion (topic, version) VALUES (%s, 1) "
                "ON CONFLICT (topic) DO UPDATE SET version = core_dataversion.version + 1",
                [topic],
            )


@dataclass
class Page:
    name: str
    label: str
    path: str
    persona: str  # "anonymous", "staff", "board", "resident"
    kind: str  # "public", "staff_list", "staff", "dashboard", "resident"


def summary(answers: list[Answer]) -> dict:
    server = [a.server_ms for a in answers]
    client = [a.client_ms for a in answers]
    return {
        "n": len(answers),
        "p50": percentile(server, 50),
        "p95": percentile(server, 95),
        "client_p50": percentile(client, 50),
        "client_p95": percentile(client, 95),
        "bytes": max(a.bytes for a in answers),
        "bytes_min": min(a.bytes for a in answers),
        # The count most requests made: a cached page renewed by the clock (every minute)
        # while it is measured is rendered once, and that one request is no hit.
        "queries": Counter(a.queries for a in answers).most_common(1)[0][0],
        "queries_max": max(a.queries for a in answers),
        "cache": sorted({a.cache for a in answers if a.cache}),
        "statuses": sorted({a.status for a in answers}),
    }


def measure_pages(
    base_url: str, database_url: str, pages: list[Page], requests: int, misses: int, log
) -> dict:
    """Every page ``requests`` times, interleaved (a slower moment of the machine weighs on
    every page alike), after two warm-up requests; then for the cached public pages and the
    dashboard ``misses`` requests each made right after every data version was raised."""
    clients = {"anonymous": Client(base_url)}
    for persona, email in (("staff", STAFF), ("board", BOARD), ("resident", RESIDENT)):
        client = Client(base_url)
        client.sign_in(email)
        clients[persona] = client
    trivial = Page("trivial", "Trivial view", "/_bench/trivial/", "anonymous", "floor")
    pace = Page("pace", "Pace view", "/_bench/pace/", "anonymous", "floor")
    everything = [trivial, pace, *pages]
    for page in everything:
        for _ in range(2):
            answer = clients[page.persona].get(page.path)
            if answer.status != 200:
                raise RuntimeError(f"{page.path} answered {answer.status} {answer.location}")
    series: dict[str, list[Answer]] = {page.name: [] for page in everything}
    for _ in range(requests):
        for page in everything:
            series[page.name].append(clients[page.persona].get(page.path))
    results = {name: summary(answers) for name, answers in series.items()}
    log(f"  {requests} requests of each page done; the cache misses …")
    for page in pages:
        if page.persona != "anonymous" and page.kind != "dashboard":
            continue
        answers = []
        for _ in range(misses):
            bump_versions(database_url)
            answers.append(clients[page.persona].get(page.path))
        results[page.name + ":miss"] = summary(answers)
    return results


def _wrk(url: str, connections: int, seconds: int) -> dict:
    out = subprocess.run(  # nosec B603 B607 - wrk from the system, a fixed argument list
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {"rps": rps, "non_2xx": int(bad.group(1)) if bad else 0, "errors": bool(errors)}


def _python_load(url: str, connections: int, seconds: int) -> dict:
    parts = urlsplit(url)
    counts, bad = [0] * connections, [0] * connections
    deadline = time.monotonic() + seconds

    def run(i):
        client = Client(f"{parts.scheme}://{parts.netloc}")
        while time.monotonic() < deadline:
            answer = client.get(parts.path)
            counts[i] += 1
            bad[i] += answer.status >= 400

    threads = [threading.Thread(target=run, args=(i,)) for i in range(connections)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"rps": sum(counts) / (time.monotonic() - start), "non_2xx": sum(bad), "errors": False}


def load_client() -> str:
    return "wrk" if shutil.which("wrk") else "python"


ROUNDS = 3


def throughput(base_url: str, paths: dict[str, str], connections: int, seconds: int) -> dict:
    """Requests per second with ``connections`` concurrent keep-alive connections for
    ``seconds`` each, by wrk when it is installed, else by Python threads."""
    # Three rounds, the paths taking turns, and the median of each: on two cores shared by
    # the client and both workers one run alone swings by half.
    run = _wrk if load_client() == "wrk" else _python_load
    rounds: dict[str, list[dict]] = {name: [] for name in paths}
    for _ in range(ROUNDS):
        for name, path in paths.items():
            rounds[name].append(run(base_url + path, connections, max(1, seconds // ROUNDS)))
    result = {}
    for name, runs in rounds.items():
        ordered = sorted(runs, key=lambda r: r["rps"])
        result[name] = {
            **ordered[len(ordered) // 2],
            "non_2xx": sum(r["non_2xx"] for r in runs),
            "errors": any(r["errors"] for r in runs),
            "rounds": [r["rps"] for r in runs],
        }
    return result
