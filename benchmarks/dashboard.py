"""How long the programme dashboard takes on the server, at ``seed_demo --scale 10`` on PostgreSQL.

Run as ``.venv/bin/python benchmarks/dashboard.py``. It needs PostgreSQL on
``postgres://postgres@127.0.0.1:5432`` (``--pg`` changes it) and seeds two databases it keeps
between runs: ``omradelos_bench_s1`` (``seed_demo --scale 1``) and ``omradelos_bench_s10``
(``--scale 10``, about half a minute the first time); ``--db-prefix`` names them otherwise. Each is
created when missing and seeded once: a marker table records the scale when the seed has
finished, so a later run only migrates it (``--reseed`` runs the idempotent seeders again,
e.g. after a seeder changed). ``--scales 1,10,100`` seeds ``<prefix>_s100`` (``--scale 100``) the
same way, for the benchmarks that measure it; the dashboard is measured at 1 and 10.

With Django's test ``Client`` in this process (no HTTP server, no network: server time only),
signed in as the board's demo user, it measures:

* the programme dashboard, **cold**: the cache cleared and the dashboards' data version bumped
  before each request, so every figure is computed from the database;
* the same page **warm**: the figures from the cache;
* a **trivial page of the same layout**: a template extending the same base with no figures,
  rendered by the same middleware and context processors, as the floor the others stand on;
* the CPU time of each of those requests beside its server time (steadier on a shared
  machine), and the CPU time drawing one of the programme dashboard's charts anew takes;
* the SQL queries of one cold request at scale 1 and at scale 10 (they must be equal: the
  figures are grouped in the database, never looped over in Python).

The figures are written into ``docs/benchmarks.md`` under their own heading (other sections
are kept) and printed. ``--no-write`` only prints; ``--seed-only`` seeds and stops.
"""

import argparse
import atexit
import json
import os
import platform
import re
import subprocess  # nosec B404 - runs this interpreter on manage.py and on this file
import sys
import time
from datetime import date
from pathlib import Path

from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.seeding import DEFAULT_PG, _connect, seed  # noqa: E402

TARGET_P95_COLD_MS = 150.0
HEADING = "## Dashboard"


def setup_django(pg: str, name: str) -> None:
    """Django with the test settings on the database ``name``."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "omradelos.settings.test"
    os.environ["DATABASE_URL"] = f"{pg}/{name}"
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django
    from django.conf import settings

    django.setup()
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile of ``values``, interpolated between the nearest ranks."""
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# --- In this process, on one database -----------------------------------------------------------

TRIVIAL = (
    '{% extends "base.html" %}{% block title %}Styring{% endblock %}'
    "{% block content %}<h1>Styring</h1><p>Ingen tall her.</p>{% endblock %}"
)


def trivial_urls():
    """The portal's URLs and one more: a page of the same layout (the same base template,
    middleware and context processors, signed in) with no figures."""
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.template import engines
    from django.urls import path

    template = engines["django"].from_string(TRIVIAL)

    @login_required
    def trivial(request):
        return HttpResponse(template.render({}, request))

    from omradelos import urls

    module = type(sys)("benchmark_urls")
    module.urlpatterns = [
        path("benchmark/trivial/", trivial, name="benchmark_trivial"),
        *urls.urlpatterns,
    ]
    sys.modules["benchmark_urls"] = module
    return "benchmark_urls"


def board_client():
    """A client signed in as the demo board member, with the second factor recorded as a
    completed sign-in records it."""
    from allauth.mfa.models import Authenticator
    from django.test import Client

    from accounts.models import User
    from tests.accounts.factories import record_second_factor

    user = User.objects.get(email="programstyret@example.org")
    authenticator, created = Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}}
    )
    if created:
        # The seeded databases are shared with `python -m benchmarks`, which signs the board
        # member in with the password alone: the factor made here goes when this run ends.
        atexit.register(Authenticator.objects.filter(pk=authenticator.pk).delete)
    client = Client()
    client.force_login(user)
    record_second_factor(client, user)
    return client


def make_cold() -> None:
    """Nothing computed is left: the cache emptied and every data version raised."""
    from django.core.cache import cache

    from core import versions

    cache.clear()
    versions.bump(*versions.TOPICS)  # outside a transaction: at once


def make_cold_with_charts() -> None:
    """Cold, and every chart drawn anew too (the page's memo of drawn charts emptied)."""
    from dashboards import display

    make_cold()
    display.forget_charts()


def timed(client, url: str, before=None) -> tuple[float, float]:
    """The request's server time and this process's CPU time for it, in milliseconds (the
    CPU time leaves out the database's own work and, on a shared machine, the time others
    took the cores)."""
    if before:
        before()
    cpu = time.process_time()
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    assert response.status_code == 200, (url, response.status_code)
    return elapsed * 1000, cpu * 1000


def timed_get(client, url: str, before=None) -> float:
    return timed(client, url, before)[0]


def time_charts(rounds: int = 20) -> tuple[int, float]:
    """The programme dashboard's charts and the CPU time drawing one anew takes, in
    milliseconds (the median of ``rounds`` drawings of all of them, the memo of drawn charts
    and the charts' stylesheets emptied before each)."""
    from dashboards import display, figures

    make_cold()
    board = figures.dashboard(figures.Filters(), figures.Scope(district_ids=None))
    tables = [table for section in board.sections for table in section.tables]
    times = []
    for _ in range(rounds):
        display.forget_charts()
        start = time.process_time()
        drawn = [chart for chart in map(display.chart_for, tables) if chart is not None]
        times.append((time.process_time() - start) * 1000)
    return len(drawn), percentile(times, 50) / max(len(drawn), 1)


def time_figures() -> tuple[float, float]:
    """The programme's figures alone, computed cold (``figures.dashboard``, no page): how much
    of a cold request is the database's work and how much drawing the page. Wall and CPU
    time, in milliseconds."""
    from dashboards import figures

    make_cold()
    cpu = time.process_time()
    start = time.perf_counter()
    figures.dashboard(figures.Filters(), figures.Scope(district_ids=None))
    return (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000


def count_queries(client, url: str) -> int:
    """The SQL queries of one cold request for ``url``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_cold()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def dashboard_urls() -> dict[str, str]:
    from django.urls import reverse

    return {
        "programme": reverse("dashboards:programme"),
        "district": reverse("dashboards:district", kwargs={"slug": "bjerke"}),
        "trivial": "/benchmark/trivial/",
    }


def prepare() -> tuple:
    from django.conf import settings

    settings.ROOT_URLCONF = trivial_urls()
    from django.urls import clear_url_caches

    clear_url_caches()
    return board_client(), dashboard_urls()


def measure(requests: int) -> dict:
    """Server time of each page, cold and warm, in milliseconds; the queries of a cold one."""
    from django.conf import settings

    client, urls = prepare()
    for url in urls.values():  # load every module and template once
        timed_get(client, url, make_cold)
    load = os.getloadavg()
    series: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}

    def record(name: str, times: tuple[float, float]) -> None:
        series.setdefault(name, []).append(times[0])
        cpu.setdefault(name, []).append(times[1])

    # Interleaved, so a slower moment of the machine weighs on every page alike.
    for _ in range(requests):
        # Every chart drawn anew: each request empties the memo of drawn charts and fills it
        # with its own page's, so the programme's are drawn once more, unmeasured, before the
        # cold requests, which find both pages' charts in the memo as they would in a running
        # process.
        for page in ("programme", "district"):
            record(f"{page}-cold-charts", timed(client, urls[page], make_cold_with_charts))
        timed(client, urls["programme"], make_cold)
        for page in ("programme", "district"):
            record(f"{page}-cold", timed(client, urls[page], make_cold))
            record(f"{page}-warm", timed(client, urls[page]))
        record("trivial", timed(client, urls["trivial"]))
        record("programme-figures", time_figures())
    charts_drawn, chart_cpu_ms = time_charts()
    figures = {
        "load": load,
        "requests": requests,
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "times": {
            name: (percentile(values, 50), percentile(values, 95))
            for name, values in series.items()
        },
        "cpu": {name: percentile(values, 50) for name, values in cpu.items()},
        "charts": (charts_drawn, chart_cpu_ms),
        "queries": {
            page: {10: count_queries(client, urls[page])} for page in ("programme", "district")
        },
    }
    return figures


def queries_only() -> None:
    """Print the queries of one cold request of each dashboard (for the other database)."""
    client, urls = prepare()
    for page in ("programme", "district"):
        timed_get(client, urls[page], make_cold)
    print(
        json.dumps({page: count_queries(client, urls[page]) for page in ("programme", "district")})
    )


def rows_in(pg: str, name: str) -> dict[str, int]:
    with _connect(pg, name) as conn:
        return {
            table: conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in (
                "projects_project",
                "projects_budgetline",
                "grants_grantapplication",
                "participation_event",
                "participation_input",
            )
        }


# --- The report ---------------------------------------------------------------------------------


def report(f: dict) -> str:
    t, q = f["times"], f["queries"]
    cold_p95 = t["programme-cold"][1]
    met = cold_p95 <= TARGET_P95_COLD_MS
    district_met = t["district-cold"][1] <= TARGET_P95_COLD_MS
    equal = all(q[page][1] == q[page][10] for page in q)

    def met_target(name: str) -> str:
        met = t[name][1] <= TARGET_P95_COLD_MS
        return f"p95 ≤ {TARGET_P95_COLD_MS:.0f} ms: {'MET' if met else 'MISSED'}"

    def row(label: str, name: str, target: str = "–") -> str:
        p50, p95 = t[name]
        return f"| {label} | {p50:.1f} | {p95:.1f} | {f['cpu'][name]:.1f} | {target} |"

    rows1, rows10 = f["rows"][1], f["rows"][10]
    lines = [
        HEADING,
        "",
        f"Measured by `benchmarks/dashboard.py` on {date.today().isoformat()}: "
        f"{os.cpu_count()} CPU cores ({platform.processor() or platform.machine()}), "
        f"Python {sys.version.split()[0]}, PostgreSQL {f['pg_version']}, cache "
        f"{f['cache']}. Load average when the run began: "
        f"{f['load'][0]:.2f} / {f['load'][1]:.2f} / {f['load'][2]:.2f} (1 / 5 / 15 min; "
        "other work on the machine slows every figure alike, the trivial page shows by how "
        "much). Data: `seed_demo --scale 10` "
        f"({rows10['projects_project']} projects, {rows10['projects_budgetline']} budget lines, "
        f"{rows10['grants_grantapplication']} grant applications, "
        f"{rows10['participation_event']} events, {rows10['participation_input']} inputs). "
        "Server time only: Django's test client in the same process (no HTTP, no network), "
        "signed in as the board's demo member, from the request entering the middleware to "
        f"the response leaving it; {f['requests']} requests of each kind, interleaved. "
        "*Cold*: the cache emptied and every data version raised before the request, so "
        "every figure is computed from the database; the charts are drawn from those figures, "
        "and a chart whose numbers and language are those of one drawn before in the process "
        "is taken from the page's memo of drawn charts (`dashboards.display`), so after a "
        "change of data only the charts whose numbers changed are drawn again; the row "
        "*every chart drawn anew too* empties that memo as well, the first request after a "
        "restart. *Warm*: the figures from the cache. *CPU*: this process's CPU time for the "
        "request (the database's own work left out; on a shared machine the steadier figure).",
        "",
        "| Page | p50 ms | p95 ms | CPU p50 ms | Target |",
        "| --- | ---: | ---: | ---: | --- |",
        row("Trivial page, the same layout, no figures", "trivial"),
        row(
            "Programme dashboard, cold",
            "programme-cold",
            f"p95 ≤ {TARGET_P95_COLD_MS:.0f} ms: {'MET' if met else 'MISSED'}",
        ),
        row("– of which the figures alone (`figures.dashboard`, cold)", "programme-figures"),
        row(
            "Programme dashboard, cold, every chart drawn anew too",
            "programme-cold-charts",
            met_target("programme-cold-charts"),
        ),
        row("Programme dashboard, warm", "programme-warm"),
        row(
            "District dashboard (Bjerke), cold",
            "district-cold",
            f"p95 ≤ {TARGET_P95_COLD_MS:.0f} ms: {'MET' if district_met else 'MISSED'}",
        ),
        row(
            "District dashboard (Bjerke), cold, every chart drawn anew too",
            "district-cold-charts",
            met_target("district-cold-charts"),
        ),
        row("District dashboard (Bjerke), warm", "district-warm"),
        "",
        f"The programme dashboard draws {f['charts'][0]} charts (`core.charts.bar_chart`, "
        "pygal drawing still images: no tooltip data, script or hover rules made); drawing "
        f"one anew takes {f['charts'][1]:.2f} ms of CPU time (the median of 20 drawings of "
        "all of them, the memo of drawn charts and their stylesheets emptied before each).",
        "",
        "SQL queries of one cold request (the same at both scales: the figures are grouped "
        f"and summed in the database): {'EQUAL' if equal else 'NOT EQUAL'}.",
        "",
        "| Page | Queries at scale 1 | Queries at scale 10 |",
        "| --- | ---: | ---: |",
        *(f"| {page.capitalize()} dashboard | {q[page][1]} | {q[page][10]} |" for page in q),
        "",
        f"Scale 1 holds {rows1['projects_project']} projects and "
        f"{rows1['projects_budgetline']} budget lines. Run it again with "
        f"`.venv/bin/python benchmarks/dashboard.py --db-prefix {f['prefix']}` (PostgreSQL on "
        f"127.0.0.1:5432; the seeded databases `{f['prefix']}_s1` and `{f['prefix']}_s10` are "
        "kept and reused).",
        "",
    ]
    return "\n".join(lines)


def write(section: str, path: Path) -> None:
    """Put ``section`` into ``path`` in place of its earlier version, keeping the rest."""
    text = (
        path.read_text(encoding="utf-8")
        if path.exists()
        else "# Benchmarks\n\nWhat the scripts in `benchmarks/` measured, one section each.\n"
    )
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG", DEFAULT_PG))
    parser.add_argument("--requests", type=int, default=40, help="requests of each kind")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--seed-only", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument(
        "--db-prefix",
        default=os.environ.get("BENCH_DB_PREFIX", "omradelos_bench"),
        help="the seeded databases are <prefix>_s1 and <prefix>_s10",
    )
    parser.add_argument(
        "--scales",
        default="1,10",
        help="the scales to seed, comma-separated (1 and 10 always; e.g. 1,10,100)",
    )
    parser.add_argument("--queries-only", metavar="DATABASE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.queries_only:
        setup_django(args.pg, args.queries_only)
        queries_only()
        return
    scales = sorted({1, 10, *(int(n) for n in args.scales.split(",") if n.strip())})
    names = {scale: f"{args.db_prefix}_s{scale}" for scale in scales}

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    for scale, name in names.items():
        seed(args.pg, name, scale, reseed=args.reseed, log=log)
    if args.seed_only:
        return
    # The scale-1 queries in a process of their own, on its database.
    scale1 = subprocess.run(  # nosec B603 - this interpreter on this file, no shell
        [sys.executable, __file__, "--pg", args.pg, "--queries-only", names[1]],
        check=True,
        capture_output=True,
        text=True,
    )
    queries1 = json.loads(scale1.stdout.strip().splitlines()[-1])
    setup_django(args.pg, names[10])
    log(f"Measuring {args.requests} requests of each kind …")
    figures = measure(args.requests)
    for page, count in queries1.items():
        figures["queries"][page][1] = count
    figures["rows"] = {scale: rows_in(args.pg, name) for scale, name in names.items()}
    figures["prefix"] = args.db_prefix
    with _connect(args.pg, "postgres") as conn:
        figures["pg_version"] = conn.execute("SHOW server_version").fetchone()[0].split()[0]
    section = report(figures)
    print(section)
    if not args.no_write:
        write(section, ROOT / "docs" / "benchmarks.md")


if __name__ == "__main__":
    main()
