"""The verdict on a pip-audit JSON report, for .ci/audit: fail on a vulnerability; say plainly,
without failing, that the database could not be reached; never call an unaudited lock clean.

Usage: pip_audit_verdict.py REPORT.json STDERR.txt EXIT_STATUS
"""

import json
import sys
from pathlib import Path

report_path, errors_path, status = sys.argv[1], sys.argv[2], int(sys.argv[3])
errors = Path(errors_path).read_text(encoding="utf-8", errors="replace")
UNREACHABLE = "pip-audit could not reach the vulnerability database"
NETWORK_WORDS = (
    "ConnectionError",
    "Max retries",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "timed out",
    "NameResolutionError",
    "ProxyError",
)

try:
    with open(report_path, encoding="utf-8") as handle:
        report = json.load(handle)
except (OSError, ValueError):
    report = None

if report is None:
    if any(word in errors for word in NETWORK_WORDS):
        print(f"WARNING: {UNREACHABLE}; the dependencies were NOT audited.")
        print(errors.strip()[-2000:])
        sys.exit(0)
    print(f"pip-audit failed (exit {status}) without a report:")
    print(errors.strip()[-2000:])
    sys.exit(1)

dependencies = report.get("dependencies", [])
vulnerable = [d for d in dependencies if d.get("vulns")]
unaudited = [d for d in dependencies if "skip_reason" in d]
audited = len(dependencies) - len(unaudited)

for dependency in vulnerable:
    for vuln in dependency["vulns"]:
        fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
        print(
            f"VULNERABLE: {dependency['name']} {dependency.get('version')}: {vuln['id']} "
            f"(fixed in {fixes})"
        )
if vulnerable:
    print(f"pip-audit: {len(vulnerable)} vulnerable package(s) in requirements.lock")
    sys.exit(1)
if dependencies and audited == 0:
    print(
        f"WARNING: {UNREACHABLE} (no package of {len(dependencies)} could be looked up: "
        f"{unaudited[0]['skip_reason']}). The dependencies were NOT audited."
    )
    sys.exit(0)
if status != 0:
    print(f"pip-audit failed (exit {status}):")
    print(errors.strip()[-2000:])
    sys.exit(1)
for dependency in unaudited:
    print(f"not audited: {dependency['name']}: {dependency['skip_reason']}")
print(f"pip-audit: no known vulnerabilities in the {audited} audited package(s)")
