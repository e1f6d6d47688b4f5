"""The portal benchmark's pure parts: percentiles, the verdicts and the markdown it writes."""

import pytest

from benchmarks import report


def figures(p95, queries=5, size=10_000, p50=None):
    return {
        "n": 10,
        "p50": p50 if p50 is not None else p95 / 2,
        "p95": p95,
        "client_p50": p95,
        "client_p95": p95,
        "bytes": size,
        "bytes_min": size,
        "queries": queries,
        "cache": [],
        "statuses": [200],
    }


def test_percentile_interpolates_between_ranks():
    assert report.percentile([1, 2, 3, 4, 5], 50) == 3
    assert report.percentile([10, 20], 50) == 15
    assert report.percentile([5, 1, 3], 100) == 5
    assert report.percentile([7], 95) == 7
    assert report.percentile(list(range(1, 21)), 95) == pytest.approx(19.05)
    with pytest.raises(ValueError):
        report.percentile([], 50)


def test_a_page_meets_its_target_only_when_its_fresh_render_does_too():
    assert report.page_verdict("public", figures(40), figures(45)) is True
    assert report.page_verdict("public", figures(40), figures(60)) is False
    assert report.page_verdict("public", figures(51), None) is False
    assert report.page_verdict("staff_list", figures(99), None) is True
    assert report.page_verdict("dashboard", figures(120), figures(151)) is False
    assert report.page_verdict("floor", figures(1), None) is None


def test_scales_are_equal_with_the_same_queries_a_size_within_five_percent_and_time_in_bounds():
    base = figures(20, queries=8, size=10_000)
    assert report.scales_verdict(base, figures(29, queries=8, size=10_480))["all"]
    assert not report.scales_verdict(base, figures(20, queries=9, size=10_000))["queries"]
    assert not report.scales_verdict(base, figures(20, queries=8, size=10_600))["bytes"]
    assert not report.scales_verdict(base, figures(31, queries=8, size=10_000))["time"]
    # A page answered in two milliseconds may take one more; not ten times as long.
    fast = figures(2, queries=1, size=10_000)
    assert report.scales_verdict(fast, figures(3, queries=1, size=10_000))["time"]
    assert not report.scales_verdict(fast, figures(3.5, queries=1, size=10_000))["time"]


def test_scales_are_compared_at_the_pace_the_trivial_view_shows_in_each_run():
    base = figures(20, queries=8, size=10_000)
    # The machine took 1.5× as long over the trivial view in the larger scale's run.
    assert report.scales_verdict(base, figures(44, queries=8, size=10_000), 1.5)["time"]
    assert not report.scales_verdict(base, figures(46, queries=8, size=10_000), 1.5)["time"]
    # And a faster run is held to the faster pace.
    assert not report.scales_verdict(base, figures(29, queries=8, size=10_000), 0.5)["time"]


def test_throughput_is_held_to_half_of_the_trivial_view_without_errors():
    rps = {
        "trivial": {"rps": 2000, "non_2xx": 0},
        "home": {"rps": 1000, "non_2xx": 0},
        "area": {"rps": 999, "non_2xx": 0},
        "broken": {"rps": 1500, "non_2xx": 3},
    }
    assert report.rps_verdict(rps) == {"home": True, "area": False, "broken": False}


def run_figures():
    pages = [
        {"name": "home", "label": "Home", "kind": "public", "path": "/"},
        {"name": "queue", "label": "Queue", "kind": "staff_list", "path": "/intern/"},
    ]

    def scale(home_bytes, queue_p95):
        return {
            "data": "data",
            "pages": {
                "trivial": figures(1),
                "home": figures(2),
                "home:miss": figures(20, size=home_bytes),
                "queue": figures(queue_p95),
            },
            "rps": {"trivial": {"rps": 1000, "non_2xx": 0}, "home": {"rps": 400, "non_2xx": 0}},
            "rss": [100.0, 300.0],
        }

    return {
        "intro": "How it was measured.",
        "pages": pages,
        "scales": {"1": scale(10_000, 50), "10": scale(10_000, 80), "100": scale(20_000, 80)},
        "connections": 12,
        "seconds": 10,
        "load_client": "wrk",
        "lighthouse_text": "Skipped.",
        "load_text": "Skipped.",
    }


def test_the_report_names_every_verdict():
    text = report.report(run_figures())
    assert text.startswith("## Portal\n")
    assert "| Home: p95 at scale 10 | MET |" in text
    assert "| Queue: p95 at scale 10 | MET |" in text
    assert "| home rps ≥ 50 % of trivial at scale 10 | NOT MET |" in text
    assert "| worker RSS ≤ 250 MB at scale 10 | NOT MET |" in text
    # The fresh home page doubled in size from scale 10 to 100.
    assert "| Home (afresh): scale 100 as scale 10 | NOT MET |" in text
    assert "| Queue: scale 100 as scale 10 | MET |" in text
    assert "| Home (afresh) | 5 → 5 | 10000 → 20000 | 20.0 → 20.0 | 20.0 | GROWS |" in text


def test_write_replaces_its_own_section_and_keeps_the_others(tmp_path):
    path = tmp_path / "benchmarks.md"
    path.write_text("# Benchmarks\n\n## Dashboard\n\nold dashboard\n\n## Portal\n\nold portal\n")
    report.write("## Portal\n\nnew portal\n", path)
    text = path.read_text()
    assert "old dashboard" in text and "new portal" in text and "old portal" not in text
    report.write("## Portal\n\nnewer\n", path)
    assert path.read_text().count("## Portal") == 1


def test_scales_are_paced_by_the_pace_view_where_both_runs_have_it():
    run = run_figures()
    small, large = run["scales"]["10"]["pages"], run["scales"]["100"]["pages"]
    # The trivial view's p50 jumped (one slow wake-up) while the fixed work took as long.
    small["trivial"], large["trivial"] = figures(1, p50=0.7), figures(1, p50=0.5)
    small["pace"], large["pace"] = figures(10, p50=5.0), figures(10, p50=5.0)
    small["queue"], large["queue"] = figures(30), figures(43)
    assert report.pace(small, large) == ("pace", 5.0, 5.0)
    text = report.report(run)
    assert "the pace view's p50 was 5.00 ms in the run of scale 10" in text
    assert "| Queue | 5 → 5 | 10000 → 10000 | 30.0 → 43.0 | 30.0 | equal |" in text
    assert "| Pace view `/_bench/pace/` (fixed template work, no data) | 5.0 | 10.0 |" in text
    # Paced by the trivial view, the same figures would read as growth.
    del small["pace"]
    assert report.pace(small, large) == ("trivial", 0.7, 0.5)
    assert "| Queue | 5 → 5 | 10000 → 10000 | 30.0 → 43.0 | 21.4 | GROWS |" in report.report(run)
