"""PostgreSQL databases seeded with ``seed_demo --scale N`` once, and reused between runs.

A database is created when missing and migrated on every run; it is seeded only when the
marker table (``benchmark_seed_marker``) does not say it was seeded at that scale already.
The marker is written once the seed has finished, so a seed that was interrupted runs again
(``seed_demo`` is idempotent). ``--reseed`` in the commands that use this runs it regardless,
e.g. after a seeder changed. The seeded databases are named ``<prefix>_s<scale>``.
"""

import os
import subprocess  # nosec B404 - runs this interpreter on manage.py
import sys
import time
from pathlib import Path

from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
MARKER = "benchmark_seed_marker"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432"
DEFAULT_PREFIX = "omradelos_bench"


def database_name(prefix: str, scale: int) -> str:
    return f"{prefix}_s{scale}"


def _admin_connection(pg: str):
    import psycopg

    return psycopg.connect(f"{pg}/postgres", autocommit=True)


def ensure_database(pg: str, name: str) -> None:
    """Create the database ``name`` when it does not exist."""
    with _admin_connection(pg) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _connect(pg: str, name: str):
    import psycopg

    return psycopg.connect(f"{pg}/{name}", autocommit=True)


def seeded_scale(pg: str, name: str) -> int | None:
    """The scale the marker says ``name`` was seeded at, or None (not seeded, or not to the
    end: the marker is written only once the seed has finished)."""
    with _connect(pg, name) as conn:
        if conn.execute("SELECT to_regclass(%s)", [MARKER]).fetchone()[0] is None:
            return None
        row = conn.execute(
            sql.SQL("SELECT scale FROM {} ORDER BY seeded_at DESC LIMIT 1").format(
                sql.Identifier(MARKER)
            )
        )
        row = row.fetchone()
    return row[0] if row else None


def _manage(pg: str, name: str, *command: str) -> None:
    env = dict(os.environ, DATABASE_URL=f"{pg}/{name}")
    env["DJANGO_SETTINGS_MODULE"] = "omradelos.settings.test"
    env.pop("REDIS_URL", None)  # the seed's tasks run in-process
    subprocess.run(  # nosec B603 - a fixed argument list, no shell
        [sys.executable, str(ROOT / "manage.py"), *command], env=env, check=True
    )


def seed(pg: str, name: str, scale: int, *, reseed: bool, log) -> float:
    """Migrate ``name``, then seed it at ``scale`` unless the marker says it is done; the
    seconds the seed took (0 when it was done already)."""
    ensure_database(pg, name)
    _manage(pg, name, "migrate", "--verbosity", "0")
    if seeded_scale(pg, name) == scale and not reseed:
        log(f"{name}: seeded at scale {scale} already.")
        return 0.0
    log(f"{name}: seeding at scale {scale} …")
    start = time.perf_counter()
    _manage(pg, name, "seed_demo", "--scale", str(scale), "--verbosity", "0")
    elapsed = time.perf_counter() - start
    with _connect(pg, name) as conn:
        marker = sql.Identifier(MARKER)
        conn.execute(
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} "
                "(scale integer NOT NULL, seeded_at timestamptz NOT NULL DEFAULT now())"
            ).format(marker)
        )
        conn.execute(sql.SQL("INSERT INTO {} (scale) VALUES (%s)").format(marker), [scale])
        # The planner's statistics of the tables just filled, as autovacuum would gather them
        # some time later: without them, every figure is measured on a plan for empty tables.
        conn.execute("ANALYZE")
    log(f"{name}: seeded in {elapsed:.0f} s.")
    return elapsed
