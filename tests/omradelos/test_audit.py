"""The pip-audit step in CI: a vulnerability fails it, an unreachable database is said plainly
and never reported as clean."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

VERDICT = Path(__file__).resolve().parents[2] / ".ci" / "pip_audit_verdict.py"


def verdict(tmp_path, report, *, stderr: str = "", status: int = 0):
    report_path = tmp_path / "report.json"
    if report is not None:
        report_path.write_text(json.dumps(report))
    errors = tmp_path / "errors.txt"
    errors.write_text(stderr)
    result = subprocess.run(
        [sys.executable, str(VERDICT), str(report_path), str(errors), str(status)],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, result.stdout


def test_a_vulnerable_package_fails_the_step(tmp_path):
    report = {
        "dependencies": [
            {
                "name": "django",
                "version": "5.2.0",
                "vulns": [{"id": "PYSEC-1", "fix_versions": ["5.2.1"]}],
            },
            {"name": "celery", "version": "5.5.0", "vulns": []},
        ]
    }
    code, out = verdict(tmp_path, report, status=1)
    assert code == 1
    assert "VULNERABLE: django 5.2.0: PYSEC-1 (fixed in 5.2.1)" in out


def test_a_clean_lock_passes_and_says_how_many_were_audited(tmp_path):
    report = {"dependencies": [{"name": "django", "version": "5.2.9", "vulns": []}]}
    code, out = verdict(tmp_path, report)
    assert code == 0
    assert "no known vulnerabilities in the 1 audited package(s)" in out


def test_every_package_not_found_is_an_unreachable_database_not_a_clean_lock(tmp_path):
    reason = "Dependency not found on PyPI and could not be audited: django (5.2.9)"
    report = {"dependencies": [{"name": "django", "skip_reason": reason}]}
    code, out = verdict(tmp_path, report)
    assert code == 0
    assert "pip-audit could not reach the vulnerability database" in out
    assert "NOT audited" in out
    assert "no known vulnerabilities" not in out


@pytest.mark.parametrize("status", [1, 2])
def test_a_connection_error_is_reported_as_such(tmp_path, status):
    stderr = "requests.exceptions.ConnectionError: Max retries exceeded with url: /pypi/"
    code, out = verdict(tmp_path, None, stderr=stderr, status=status)
    assert code == 0
    assert "pip-audit could not reach the vulnerability database" in out


def test_any_other_failure_fails_the_step(tmp_path):
    code, out = verdict(tmp_path, None, stderr="Invalid requirement: 'django=='", status=1)
    assert code == 1
    assert "pip-audit failed" in out
