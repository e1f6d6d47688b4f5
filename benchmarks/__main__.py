"""The portal's one benchmark: ``python -m benchmarks`` (``make bench``).

Seeds PostgreSQL at ``seed_demo --scale`` 1, 10 and 100 (``--scales`` chooses; databases
``<prefix>_s1`` … created and seeded once, reused after), serves each with gunicorn (two
workers, production settings, the Redis cache shared by the workers) and measures, over HTTP
on loopback: every key page's server time (p50/p95, from ``Server-Timing``), client time,
bytes and SQL queries, against the trivial view ``/_bench/trivial/`` of the same run; cached
public pages and the dashboard also rendered afresh after every data version was raised;
requests per second for the home page, the area page and the trivial view under concurrent
load; the workers' RSS after it; a decision letter and a handlingsprogram against WeasyPrint
alone; Lighthouse's LCP (``benchmarks.lighthouse``) and the mixed load run
(``benchmarks.load``) when those modules are there. Writes the "## Portal" section of
``docs/benchmarks.md`` (other sections are kept) and prints it.
"""

import argparse
import importlib
import json
import os
import platform
import subprocess  # nosec B404 - this interpreter on benchmarks.probe
import sys
import time
from datetime import date
from pathlib import Path

import psycopg

from . import report as reporting
from .pages import Page, load_client, measure_pages, throughput
from .seeding import DEFAULT_PG, DEFAULT_PREFIX, database_name, seed
from .server import serve

ROOT = Path(__file__).resolve().parent.parent

PAGES = [
    # name, label, persona, kind
    ("home", "Home", "anonymous", "public"),
    ("area", "Area (Veitvet og Sletteløkka)", "anonymous", "public"),
    ("project", "Project", "anonymous", "public"),
    ("events", "Event list", "anonymous", "public"),
    ("round", "Grant round", "anonymous", "public"),
    ("handlingsprogram", "Handlingsprogram page", "anonymous", "public"),
    ("staff_projects", "Staff project list (case handler)", "staff", "staff_list"),
    ("case_queue", "Case queue (case handler)", "staff", "staff_list"),
    ("case", "Case page (case handler)", "staff", "staff"),
    ("my_applications", "My applications (resident)", "resident", "resident"),
    ("dashboard", "Programme dashboard (board)", "board", "dashboard"),
]


def log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def probe(command: str, database_url: str) -> dict:
    out = subprocess.run(  # nosec B603 - this interpreter on our module, no shell
        [sys.executable, "-m", "benchmarks.probe", command, database_url],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def optional(module: str):
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def rows_in(database_url: str) -> str:
    tables = {
        "projects_project": "projects",
        "grants_grantapplication": "grant applications",
        "participation_event": "events",
        "participation_registration": "registrations",
        "participation_input": "inputs",
    }
    parts = []
    with psycopg.connect(database_url) as conn:
        for table, label in tables.items():
            try:
                n = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # nosec B608
            except psycopg.Error:
                conn.rollback()
                continue
            parts.append(f"{n} {label}")
    return ", ".join(parts)


def redis_flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG", DEFAULT_PG))
    parser.add_argument("--db-prefix", default=os.environ.get("BENCH_DB_PREFIX", DEFAULT_PREFIX))
    parser.add_argument(
        "--redis", default=os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/7")
    )
    parser.add_argument("--scales", default="1,10,100", help="comma-separated, e.g. 1,10")
    parser.add_argument("--requests", type=int, default=40, help="requests of each page")
    # As many as the pages' own requests: of 15, the p95 is all but the slowest one alone.
    parser.add_argument("--misses", type=int, default=40, help="fresh renders of cached pages")
    parser.add_argument("--connections", type=int, default=12)
    parser.add_argument(
        "--seconds", type=int, default=15, help="each page's throughput, in three rounds"
    )
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--no-load", action="store_true")
    parser.add_argument("--no-pdfs", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    urls = {s: f"{args.pg}/{database_name(args.db_prefix, s)}" for s in scales}
    for scale in scales:
        seed(args.pg, database_name(args.db_prefix, scale), scale, reseed=args.reseed, log=log)
    main_scale = 10 if 10 in scales else scales[-1]
    load = os.getloadavg()
    run: dict = {"scales": {}, "connections": args.connections, "seconds": args.seconds}
    run["load_client"] = load_client()
    pages: list[Page] = []
    lighthouse = None if args.no_lighthouse else optional("benchmarks.lighthouse")
    if lighthouse is not None and not lighthouse.LIGHTHOUSE.exists():
        log("Lighthouse is not installed: `npm ci --prefix benchmarks` installs it.")
        lighthouse = None
    load_module = None if args.no_load else optional("benchmarks.load")
    run["lighthouse_text"] = (
        "Skipped (`--no-lighthouse`)."
        if args.no_lighthouse
        else "Skipped: Lighthouse is not installed (`npm ci --prefix benchmarks`)."
        if lighthouse is None
        else f"`benchmarks.lighthouse.lcp` at scale {main_scale}, against the bare page."
    )
    run["load_text"] = (
        "Skipped (`--no-load`)."
        if args.no_load
        else "Skipped: `benchmarks.load` is not there."
        if load_module is None
        else f"`benchmarks.load.run` for {args.load_seconds} s on a database of its own "
        "(`seed_demo`, scale 1), with a Celery worker on the same Redis."
    )
    for scale in scales:
        database_url = urls[scale]
        paths = probe("paths", database_url)
        pages = [Page(n, label, paths[n], persona, kind) for n, label, persona, kind in PAGES]
        redis_flush(args.redis)
        log(f"Scale {scale}: serving {database_url} …")
        with serve(
            database_url, redis_url=args.redis, workers=2, connections=args.connections
        ) as server:
            results = measure_pages(
                server.url, database_url, pages, args.requests, args.misses, log
            )
            log(f"  throughput by {run['load_client']} …")
            rps = throughput(
                server.url,
                {"trivial": "/_bench/trivial/", "home": paths["home"], "area": paths["area"]},
                args.connections,
                args.seconds,
            )
            rss = server.worker_rss_mb()
            entry = {"pages": results, "rps": rps, "rss": rss}
            if scale == main_scale and lighthouse is not None:
                log("  Lighthouse …")
                public = {p.name: p.path for p in pages if p.kind == "public"}
                entry["lighthouse"] = lighthouse.lcp(
                    server.url, {**public, "bare": "/_bench/bare/"}, runs=3
                )
                run["lighthouse"] = entry["lighthouse"]
        entry["data"] = f"`seed_demo --scale {scale}`: {rows_in(database_url)}."
        run["scales"][str(scale)] = entry
    if load_module is not None:
        # The load writes (applications, registrations, decisions) and records are never
        # deleted, so it runs on a database of its own: the timed pages stay as seeded.
        name = f"{args.db_prefix}_load"
        seed(args.pg, name, 1, reseed=False, log=log)
        redis_flush(args.redis)
        log(f"The load run on {name} …")
        with serve(f"{args.pg}/{name}", redis_url=args.redis, workers=2) as server:
            run["load"] = load_module.run(
                server.url, f"{args.pg}/{name}", seconds=args.load_seconds, redis_url=args.redis
            )
    run["pages"] = [
        {"name": p.name, "label": p.label, "kind": p.kind, "path": p.path} for p in pages
    ]
    if not args.no_pdfs:
        log(f"PDFs at scale {main_scale} …")
        run["pdfs"] = {**probe("renders", urls[main_scale]), "scale": main_scale}
    with psycopg.connect(f"{args.pg}/postgres") as conn:
        pg_version = conn.execute("SHOW server_version").fetchone()[0].split()[0]
    run["intro"] = (
        f"Measured by `python -m benchmarks --scales {args.scales}` (`make bench`) on "
        f"{date.today().isoformat()}: {os.cpu_count()} CPU cores "
        f"({platform.processor() or platform.machine()}), Python {sys.version.split()[0]}, "
        f"PostgreSQL {pg_version}, gunicorn with 2 workers and production settings "
        "(`benchmarks.settings`) on loopback, the cache in Redis. Load average when the run "
        f"began: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (other work on the machine "
        "slows every figure alike; the trivial view shows by how much). Server time is the "
        "`Server-Timing` header (the request entering the middleware to the response leaving "
        f"it), queries the `X-Queries` header; {args.requests} requests of each page, "
        "interleaved, after two warm-up requests; client time is measured around the request "
        "on a keep-alive connection. Public pages are fetched as a visitor (from the cache: "
        "*hit*), and each is also rendered afresh "
        f"{args.misses} times right after every data version was raised (*miss*, what the "
        "first visitor after a change waits); the target applies to both. Staff pages are "
        "fetched signed in over HTTP as the demo case handler, the dashboard as the board "
        "member (warm, and afresh after a version raise), my applications as the demo "
        "resident. Signed-in pages and lists are held to 100 ms. Sizes are the HTML bytes, "
        "uncompressed."
    )
    section = reporting.report(run)
    print(section)
    if not args.no_write:
        reporting.write(section, ROOT / "docs" / "benchmarks.md")
        (ROOT / "docs" / "benchmarks-portal.json").write_text(json.dumps(run, indent=1))


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    log(f"Done in {time.perf_counter() - start:.0f} s.")
