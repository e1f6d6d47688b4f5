"""``seed_demo`` run twice: the second run creates nothing, PDFs and history included."""

import io

import pytest
from django.core.management import call_command

from programmes.models import (
    ActionProgramme,
    Measure,
    ProgrammeChange,
    ProgrammeGoal,
    ProgrammeVersion,
    Rendering,
)
from projects.models import BudgetLine, ProjectChange

pytestmark = pytest.mark.django_db


def _snapshot() -> dict:
    return {
        "programmes": sorted(
            ActionProgramme.objects.values_list("area__slug", "year", "status", "version")
        ),
        "measures": Measure.objects.count(),
        "comments": sorted(Measure.objects.values_list("pk", "comment")),
        "goals": ProgrammeGoal.objects.count(),
        "versions": sorted(ProgrammeVersion.objects.values_list("pk", "number", "published_at")),
        "renderings": Rendering.objects.count(),
        "changes": ProgrammeChange.objects.count(),
        "budget": sorted(
            BudgetLine.objects.values_list("project__slug", "year", "source", "planned")
        ),
        "project_changes": ProjectChange.objects.count(),
    }


def test_running_seed_demo_twice_creates_nothing_new():
    call_command("seed_demo", stdout=io.StringIO())
    first = _snapshot()
    assert first["programmes"] and first["versions"]
    call_command("seed_demo", stdout=io.StringIO())
    assert _snapshot() == first
