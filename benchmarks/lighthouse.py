"""Largest contentful paint of the public pages in Lighthouse, against a bare page served alike.

``lcp(base_url, paths, runs=3)`` runs the npm ``lighthouse`` CLI (mobile form factor, its default
simulated throttling: a slow 4G network and a 4× slower CPU, performance category only) ``runs``
times on every named path and on ``/_bench/bare/`` (``benchmarks.urls``: one heading and one
paragraph, no stylesheet, font or script, the floor this server can paint at), and returns for each
name the medians of the runs::

    {"bare": {"path": "/_bench/bare/", "lcp_ms": 640.0, "fcp_ms": 640.0, "transfer_bytes": 1234,
              "render_blocking": 0, "lcp_runs": [...]}, "home": {...}, ...}

The CLI is installed once, project-locally, from ``benchmarks/package-lock.json``::

    npm ci --prefix benchmarks

Chromium is Debian's (``CHROME_PATH``, ``/usr/bin/chromium`` unless set), headless.

Run as a script, it serves the portal with ``benchmarks.server.serve`` (gunicorn, two workers,
production settings) on a database already seeded with ``seed_demo``, finds one page of each
public kind from the portal's own sitemap and lists, and prints a table::

    .venv/bin/python benchmarks/lighthouse.py \\
        --database-url postgres://postgres@127.0.0.1:5432/omradelos_bench_s1
"""

import argparse
import json
import os
import re
import statistics
import subprocess  # nosec B404 - runs the project-local lighthouse CLI, no shell
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "benchmarks" / "node_modules" / ".bin" / "lighthouse"
BARE_PATH = "/_bench/bare/"
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking"
    " --disable-component-update --disable-sync --no-first-run"
)


def _run_once(url: str, attempts: int = 3) -> dict:
    """``_run_lighthouse`` on ``url``, tried again when Lighthouse itself fails (now and then it
    records no trace: ``NO_NAVSTART``)."""
    for attempt in range(attempts):
        try:
            return _run_lighthouse(url)
        except (subprocess.CalledProcessError, RuntimeError):
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _run_lighthouse(url: str) -> dict:
    """One Lighthouse run on ``url``: its LCP, FCP (ms), bytes transferred and the number of
    render-blocking resources it found."""
    if not LIGHTHOUSE.exists():
        raise RuntimeError(f"{LIGHTHOUSE} is missing: run `npm ci --prefix benchmarks` first")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(  # nosec B603 - the project's lighthouse, a fixed argument list
            [
                str(LIGHTHOUSE),
                url,
                "--only-categories=performance",
                "--output=json",
                f"--output-path={report}",
                f"--chrome-flags={CHROME_FLAGS}",
                "--quiet",
            ],
            env=env,
            check=True,
            timeout=180,
        )
        result = json.loads(report.read_text())
    if result.get("runtimeError"):
        raise RuntimeError(f"Lighthouse failed on {url}: {result['runtimeError']}")
    audits = result["audits"]
    blocking = audits.get("render-blocking-resources", {}).get("details", {}).get("items", [])
    return {
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "fcp_ms": audits["first-contentful-paint"]["numericValue"],
        "transfer_bytes": audits["total-byte-weight"]["numericValue"],
        "render_blocking": len(blocking),
    }


def _warm(url: str, times: int = 4) -> None:
    """Ask for ``url`` a few times first: Lantern's estimate starts from the server time it
    observed, and a worker's first request (templates compiled, caches empty) is not the
    steady state the pages are measured in."""
    for _ in range(times):
        with urllib.request.urlopen(url, timeout=30) as response:  # nosec B310 - loopback
            response.read()


def lcp(base_url: str, paths: dict[str, str], runs: int = 3) -> dict[str, dict]:
    """For the bare page (``"bare"``) and each ``name: path`` in ``paths``, the median over
    ``runs`` Lighthouse runs of LCP and FCP in ms and of the bytes transferred, the number of
    render-blocking resources, and the LCP of every run (``lcp_runs``)."""
    base_url = base_url.rstrip("/")
    results = {}
    for name, path in {"bare": BARE_PATH, **paths}.items():
        _warm(base_url + path)
        measured = [_run_once(base_url + path) for _ in range(runs)]
        results[name] = {
            "path": path,
            **{
                key: statistics.median(run[key] for run in measured)
                for key in ("lcp_ms", "fcp_ms", "transfer_bytes", "render_blocking")
            },
            "lcp_runs": [run["lcp_ms"] for run in measured],
        }
    return results


# -- the CLI -----------------------------------------------------------------------------------


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:  # nosec B310 - loopback
        return response.read().decode()


def _first(pattern: str, text: str, what: str) -> str:
    match = re.search(pattern, text)
    if not match:
        raise RuntimeError(f"No {what} found: is the database seeded (manage.py seed_demo)?")
    return match.group(1)


def public_paths(base_url: str) -> dict[str, str]:
    """One page of each public kind, found in the served portal itself: the area, project,
    grant round and handlingsprogram pages from its sitemap, an event from the events list."""
    base_url = base_url.rstrip("/")
    sitemap = [
        urllib.parse.urlsplit(loc).path
        for loc in re.findall(r"<loc>([^<]+)</loc>", _get(base_url + "/sitemap.xml"))
    ]
    locs = "\n".join(sitemap)
    events = _get(base_url + "/medvirkning/")
    return {
        "home": "/",
        "area": _first(r"(?m)^(/omradeloft/[\w-]+/)$", locs, "area page"),
        "project": _first(r"(?m)^(/prosjekter/[\w-]+/)$", locs, "project page"),
        "events": "/medvirkning/",
        "event": _first(r'href="(/medvirkning/(?!mine/)[\w-]+/)"', events, "event page"),
        "grant rounds": "/tilskudd/",
        "grant round": _first(r"(?m)^(/tilskudd/utlysning/[\w-]+/)$", locs, "grant round"),
        "handlingsprogram": _first(
            r"(?m)^(/handlingsprogram/[\w-]+/\d{4}/)$", locs, "handlingsprogram page"
        ),
        "lessons": "/erfaringer/",
        "recipes": "/oppskrifter/",
        "search": "/sok/?q=lekeplass",
    }


def format_table(results: dict[str, dict]) -> str:
    floor = results["bare"]["lcp_ms"]
    lines = [
        f"{'page':<18} {'LCP ms':>7} {'× bare':>7} {'FCP ms':>7} {'KB':>7} {'blocking':>8}  path",
    ]
    for name, r in results.items():
        lines.append(
            f"{name:<18} {r['lcp_ms']:>7.0f} {r['lcp_ms'] / floor:>7.2f} {r['fcp_ms']:>7.0f}"
            f" {r['transfer_bytes'] / 1024:>7.1f} {r['render_blocking']:>8}  {r['path']}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a database seeded by seed_demo")
    parser.add_argument("--redis-url", default="", help="Redis for the cache (default: none)")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from benchmarks.server import serve

    with serve(args.database_url, args.redis_url) as server:
        results = lcp(server.url, public_paths(server.url), runs=args.runs)
    print(format_table(results))
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
