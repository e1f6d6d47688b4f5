"""Demo data: one seeder per app, run in dependency order by ``manage.py seed_demo``.

Each seeder takes ``scale`` (1 is roughly Oslo today) and must be idempotent: running it twice
changes nothing. Later apps append their seeder to ``SEEDERS``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.module_loading import import_string

SEEDERS = [
    "areas.demo.seed",
    "accounts.demo.seed",
    "projects.demo.seed",
    "grants.demo.seed",
    "participation.demo.seed",
    "programmes.demo.seed",
    "knowledge.demo.seed",
]


@dataclass
class SeedReport:
    lines: list[str] = field(default_factory=list)

    def add(self, line: str) -> None:
        self.lines.append(line)


def run_seeders(*, scale: int, report: SeedReport) -> SeedReport:
    for dotted in SEEDERS:
        seeder: Callable[..., None] = import_string(dotted)
        seeder(scale=scale, report=report)
    return report
