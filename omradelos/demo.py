"""Demo data: one seeder per app, run in dependency order by ``manage.py seed_demo``.

Each seeder takes ``scale`` (1 is roughly Oslo today) and must be idempotent: running it twice
changes nothing. Later apps append their seeder to ``SEEDERS``.

Scale 1 goes through the services, so the demo's content carries real history. The copies a
larger scale adds (``--scale 10`` and ``100`` are for measuring) are written in bulk with the
same rows and fields the services would have written, history included; only the emails and
tasks the services would have sent are left out.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from unittest import mock

from django.utils.module_loading import import_string

from core import versions

# Rows written in one INSERT by the bulk paths (SQLite lowers it to its own variable limit).
BATCH_SIZE = 500

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


def bulk(objects: list, batch_size: int = BATCH_SIZE) -> list:
    """``bulk_create`` of ``objects`` (all of one model), their primary keys set."""
    if not objects:
        return objects
    return type(objects[0]).objects.bulk_create(objects, batch_size=batch_size)


def clone(obj, **fields):
    """An unsaved copy of ``obj``: its concrete fields but the primary key, then ``fields``."""
    model = type(obj)
    values = {
        f.attname: getattr(obj, f.attname)
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in fields and f.attname not in fields
    }
    return model(**values, **fields)


def run_seeders(*, scale: int, report: SeedReport) -> SeedReport:
    """Run every seeder. The services raise a topic's data version for each write, once per
    write on commit; while seeding, each topic written is raised once at the end instead (the
    same versions a reader sees afterwards, without thousands of single-row updates)."""
    written: dict[str, None] = {}

    def collect(*topics: str) -> None:
        written.update(dict.fromkeys(topics))

    with mock.patch.object(versions, "bump", collect):
        for dotted in SEEDERS:
            seeder: Callable[..., None] = import_string(dotted)
            seeder(scale=scale, report=report)
    versions.bump(*written)
    return report
