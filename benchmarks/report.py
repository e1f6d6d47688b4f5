"""The portal benchmark's pure parts: percentiles, the targets' verdicts and the markdown."""

import re
from pathlib import Path

HEADING = "## Portal"

TARGET_PUBLIC_MS = 50.0
TARGET_STAFF_MS = 100.0
TARGET_DASHBOARD_MS = 150.0
TARGET_RPS_SHARE = 0.5
TARGET_GROWTH = 1.5
# Sizes "equal" between scales: within 5 %. A bounded list shows the same number of rows at
# every scale, but the rows' own text differs (a copy's number has one digit more at ten times
# the data, a title is longer): some bytes a row, where a growing list adds whole rows.
TARGET_BYTES_SHARE = 0.05
# p95 within 1.5× — or within this many milliseconds for a page answered in a few: on two
# shared cores a 2 ms page swings by more than half from run to run.
TIME_ALLOWANCE_MS = 1.0
TARGET_RSS_MB = 250.0
TARGET_LETTER_S = 0.5
TARGET_PROGRAMME_S = 2.0
TARGET_LCP_MS = 1000.0
FLOOR_NAMES = {"pace": "pace view", "trivial": "trivial view"}

# The p95 target of each kind of page at scale 10.
TARGETS_MS = {
    "public": TARGET_PUBLIC_MS,
    "staff_list": TARGET_STAFF_MS,
    "staff": TARGET_STAFF_MS,
    "resident": TARGET_STAFF_MS,
    "dashboard": TARGET_DASHBOARD_MS,
}


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile of ``values``, interpolated between the nearest ranks."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("MET" if ok else "NOT MET")


def same_size(small: int, large: int) -> bool:
    """Sizes between scales count as equal within ``TARGET_BYTES_SHARE`` (a count of rows
    written with more digits changes a page by a few characters, a list growing by far more)."""
    return abs(large - small) <= TARGET_BYTES_SHARE * max(small, 1)


def scales_verdict(base: dict, large: dict, speed: float = 1.0) -> dict:
    """A page at a larger scale against the same page at the smaller: queries equal, size
    within 5 %, p95 within 1.5× (or 1 ms). ``speed`` is how much longer the machine took over
    the same fixed work in the larger scale's run than in the smaller's (``pace``; the scales
    are served one after the other, and a shared machine can change pace between them): the
    smaller scale's p95 is taken at the larger's pace, so a slower or faster machine is not
    read as the data's doing."""
    queries = base["queries"] == large["queries"]
    size = same_size(base["bytes"], large["bytes"])
    paced = base["p95"] * speed
    time_ok = large["p95"] <= max(TARGET_GROWTH * paced, paced + TIME_ALLOWANCE_MS)
    return {"queries": queries, "bytes": size, "time": time_ok, "all": queries and size and time_ok}


def pace(small: dict, large: dict) -> tuple[str, float, float]:
    """Which floor page tells the machine's pace in two runs, and its p50 in each: the pace
    view (a few milliseconds of fixed template work) where both runs have it, else the trivial
    view (older runs; under a millisecond, so one slow wake-up moves it by a third)."""
    name = "pace" if "pace" in small and "pace" in large else "trivial"
    return name, small[name]["p50"], large[name]["p50"]


def page_verdict(kind: str, figures: dict, miss: dict | None) -> bool | None:
    """p95 within the kind's target, for the page as served and, where it is cached, also
    rendered afresh after a write (what the first visitor after every change waits)."""
    target = TARGETS_MS.get(kind)
    if target is None:
        return None
    ok = figures["p95"] <= target
    if miss is not None:
        ok = ok and miss["p95"] <= target
    return ok


def rps_verdict(rps: dict) -> dict[str, bool]:
    floor = rps["trivial"]["rps"]
    return {
        name: r["rps"] >= TARGET_RPS_SHARE * floor and r["non_2xx"] == 0
        for name, r in rps.items()
        if name != "trivial"
    }


def write(section: str, path: Path, heading: str = HEADING) -> None:
    """Put ``section`` into ``path`` in place of its earlier version, keeping the rest."""
    text = (
        path.read_text(encoding="utf-8")
        if path.exists()
        else "# Benchmarks\n\nWhat the scripts in `benchmarks/` measured, one section each.\n"
    )
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def table(header: list[str], rows: list[list[str]], align: list[str] | None = None) -> list[str]:
    """A markdown table; ``align`` holds "l" or "r" per column."""
    align = align or ["l"] * len(header)
    rule = ["---:" if a == "r" else "---" for a in align]
    return [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join(rule) + " |",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def _ms(value: float) -> str:
    return f"{value:.1f}"


def report(run: dict) -> str:
    """The section of ``docs/benchmarks.md`` from one run's figures (see ``__main__``)."""
    pages = run["pages"]  # [{name, label, kind, path}]
    scales = sorted(run["scales"], key=int)
    lines = [HEADING, "", run["intro"], ""]
    verdicts: list[tuple[str, bool | None]] = []
    for scale in scales:
        s = run["scales"][scale]
        res = s["pages"]
        trivial = res["trivial"]
        lines += [f"### Scale {scale}", "", s["data"], ""]
        rows = [
            [
                "Trivial view `/_bench/trivial/`",
                _ms(trivial["p50"]),
                _ms(trivial["p95"]),
                "1.0",
                _ms(trivial["client_p50"]),
                str(trivial["bytes"]),
                str(trivial["queries"]),
                "–",
            ]
        ]
        if "pace" in res:
            rows.append(
                [
                    "Pace view `/_bench/pace/` (fixed template work, no data)",
                    _ms(res["pace"]["p50"]),
                    _ms(res["pace"]["p95"]),
                    f"{res['pace']['p50'] / trivial['p50']:.0f}",
                    _ms(res["pace"]["client_p50"]),
                    str(res["pace"]["bytes"]),
                    str(res["pace"]["queries"]),
                    "–",
                ]
            )
        for page in pages:
            f = res[page["name"]]
            miss = res.get(page["name"] + ":miss")
            ok = page_verdict(page["kind"], f, miss) if int(scale) == 10 else None
            if ok is not None:
                verdicts.append((f"{page['label']}: p95 at scale 10", ok))
            target = TARGETS_MS.get(page["kind"])
            cache = "/".join(f["cache"]) or "–"
            rows.append(
                [
                    f"{page['label']} `{page['path']}` ({cache})",
                    _ms(f["p50"]),
                    _ms(f["p95"]),
                    f"{f['p50'] / trivial['p50']:.0f}",
                    _ms(f["client_p50"]),
                    str(f["bytes"]),
                    str(f["queries"]),
                    f"≤ {target:.0f} ms: {verdict(ok)}" if ok is not None else "–",
                ]
            )
            if miss is not None:
                rows.append(
                    [
                        "– rendered afresh (every data version raised before each)",
                        _ms(miss["p50"]),
                        _ms(miss["p95"]),
                        f"{miss['p50'] / trivial['p50']:.0f}",
                        _ms(miss["client_p50"]),
                        str(miss["bytes"]),
                        str(miss["queries"]),
                        "",
                    ]
                )
        lines += table(
            [
                "Page",
                "p50 ms",
                "p95 ms",
                "p50 / trivial",
                "client p50 ms",
                "bytes",
                "queries",
                "target (p95)",
            ],
            rows,
            ["l", "r", "r", "r", "r", "r", "r", "l"],
        )
        lines.append("")
        rps = s.get("rps")
        if rps:
            ok = rps_verdict(rps)
            if int(scale) == 10:
                verdicts += [(f"{n} rps ≥ 50 % of trivial at scale 10", v) for n, v in ok.items()]
            floor = rps["trivial"]["rps"]
            lines += [
                f"Requests per second, {run['connections']} concurrent keep-alive connections "
                f"for {run['seconds']} s each (three rounds, the URLs taking turns, the median "
                f"of each), by {run['load_client']}; each gunicorn worker takes at most its "
                "share of the connections, as a load balancer in front of them would spread "
                "them (`--worker-connections`):",
                "",
                *table(
                    ["URL", "requests/s", "share of trivial", "non-2xx", "target"],
                    [
                        [
                            name,
                            f"{r['rps']:.0f}",
                            f"{100 * r['rps'] / floor:.0f} %",
                            str(r["non_2xx"]),
                            "–"
                            if name == "trivial"
                            else f"≥ 50 %: {verdict(ok[name])}"
                            if int(scale) == 10
                            else "–",
                        ]
                        for name, r in rps.items()
                    ],
                    ["l", "r", "r", "r", "l"],
                ),
                "",
            ]
        rss = s.get("rss")
        if rss:
            ok = max(rss) <= TARGET_RSS_MB
            verdicts.append((f"worker RSS ≤ 250 MB at scale {scale}", ok))
            lines += [
                "Gunicorn worker RSS after the load: "
                + ", ".join(f"{m:.0f} MB" for m in rss)
                + f" (≤ {TARGET_RSS_MB:.0f} MB: {verdict(ok)}).",
                "",
            ]
    # Growth between scales.
    for small, large in zip(scales, scales[1:], strict=False):
        a, b = run["scales"][small]["pages"], run["scales"][large]["pages"]
        floor, small_p50, large_p50 = pace(a, b)
        speed = large_p50 / small_p50
        rows = []
        for page in pages:
            for suffix, label in (("", ""), (":miss", " (afresh)")):
                name = page["name"] + suffix
                if name not in a or name not in b:
                    continue
                v = scales_verdict(a[name], b[name], speed)
                if int(large) == 100 and int(small) == 10:
                    verdicts.append((f"{page['label']}{label}: scale 100 as scale 10", v["all"]))
                rows.append(
                    [
                        page["label"] + label,
                        f"{a[name]['queries']} → {b[name]['queries']}",
                        f"{a[name]['bytes']} → {b[name]['bytes']}",
                        f"{a[name]['p95']:.1f} → {b[name]['p95']:.1f}",
                        f"{a[name]['p95'] * speed:.1f}",
                        "equal" if v["all"] else "GROWS",
                    ]
                )
        lines += [
            f"### Scale {small} → {large}",
            "",
            "Equal means the same queries, a size within 5 % (the same rows, their text a little "
            "longer with more digits) and a p95 within 1.5× (or 1 ms, for pages answered in a "
            "few) of the smaller scale's p95 at the pace of the larger scale's run: the "
            f"{FLOOR_NAMES[floor]}'s p50 was {small_p50:.2f} ms in the run of scale {small} and "
            f"{large_p50:.2f} ms in that of scale {large}, so the machine ran "
            f"{speed:.2f}× as slow, and the p95 of scale {small} is multiplied by that "
            "(the column *at the same pace*).",
            "",
            *table(
                [
                    "Page",
                    "queries",
                    "bytes",
                    "p95 ms",
                    f"scale {small} p95 at the same pace",
                    "verdict",
                ],
                rows,
                ["l", "r", "r", "r", "r", "l"],
            ),
            "",
        ]
    pdfs = run.get("pdfs")
    if pdfs:
        letter_ok = pdfs["letter"]["wall_s"] <= TARGET_LETTER_S
        programme_ok = pdfs["programme"]["wall_s"] <= TARGET_PROGRAMME_S
        verdicts += [
            ("decision letter ≤ 0.5 s", letter_ok),
            ("handlingsprogram ≤ 2 s", programme_ok),
        ]

        def row(label, key, target=""):
            return [label, f"{pdfs[key]['wall_s']:.3f}", f"{pdfs[key]['cpu_s']:.3f}", target]

        lines += [
            f"### PDFs (scale {pdfs['scale']})",
            "",
            *table(
                ["What", "wall s", "CPU s", "target (wall)"],
                [
                    row("WeasyPrint alone, a trivial document", "trivial"),
                    row(
                        "Decision letter (`grants.letters.render_letter_pdf`)",
                        "letter",
                        f"≤ 0.5 s: {verdict(letter_ok)}",
                    ),
                    row("– WeasyPrint alone on the same HTML", "letter_weasyprint"),
                    row(
                        f"Handlingsprogram, {pdfs['programme_measures']} measures, "
                        f"{pdfs['programme_pages']} pages (compose + HTML + PDF)",
                        "programme",
                        f"≤ 2 s: {verdict(programme_ok)}",
                    ),
                    row("– WeasyPrint alone on the same HTML", "programme_weasyprint"),
                ],
                ["l", "r", "r", "l"],
            ),
            "",
        ]
    lines += ["### Lighthouse", "", run["lighthouse_text"], ""]
    lh = run.get("lighthouse")
    if lh:
        bare = lh.get("bare", {}).get("lcp_ms")
        rows = []
        for name, r in lh.items():
            ok = r["lcp_ms"] <= TARGET_LCP_MS if name != "bare" else None
            if ok is not None:
                verdicts.append((f"LCP {name} ≤ 1.0 s", ok))
            rows.append(
                [
                    name,
                    f"{r['lcp_ms']:.0f}",
                    f"{r['lcp_ms'] / bare:.2f}" if bare else "–",
                    f"≤ 1000 ms: {verdict(ok)}" if ok is not None else "–",
                ]
            )
        lines += [*table(["Page", "LCP ms", "/ bare", "target"], rows, ["l", "r", "r", "l"]), ""]
    lines += ["### Load", "", run["load_text"], ""]
    if run.get("load"):
        from benchmarks.load import table as load_table

        result = run["load"]
        losses = ("server_errors", "lost_writes", "duplicates", "overbookings")
        clean = all(result.get(key, 0) == 0 for key in losses) and not result.get("problems")
        lines += [load_table(result), ""]
        lines += [
            f"No 5xx, lost write, duplicate or overbooking: {'MET' if clean else 'NOT MET'}.",
            "",
        ]
    met = sum(1 for _, ok in verdicts if ok)
    lines += [
        "### Targets",
        "",
        f"{met} of {len(verdicts)} met.",
        "",
        *table(["Target", "verdict"], [[name, verdict(ok)] for name, ok in verdicts]),
        "",
    ]
    return "\n".join(lines)
