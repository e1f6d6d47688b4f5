"""A dashboard built by hand, for the pages and exports to draw whatever computes the figures.

``fake_dashboard`` replaces ``dashboards.figures.dashboard`` and records the filters and scope
each call was made with, so a test can check what the page asked for."""

import datetime

import pytest
from django.utils import timezone

from dashboards import figures
from dashboards.figures import ChartSpec, Column, Dashboard, Row, Section, Table

FORMULA_LABEL = '=HYPERLINK("http://evil.example","x")'


def sample_dashboard(filters: figures.Filters, scope: figures.Scope) -> Dashboard:
    by_district = Table(
        key="budget-by-district",
        title="Budget by district",
        columns=(
            Column("label", "District", "text"),
            Column("planned", "Planned", "kr"),
            Column("spent", "Spent", "kr"),
            Column("share", "Share spent", "percent"),
        ),
        rows=(
            Row(
                "Bjerke",
                {"planned": 400000, "spent": 250000, "share": 62.5},
                links={
                    "label": "/intern/styring/bydel/bjerke/",
                    "spent": "/intern/prosjekter/?x=1",
                },
            ),
            Row("Alna", {"planned": 300000, "spent": 0, "share": 0.0}),
            Row(FORMULA_LABEL, {"planned": None, "spent": None, "share": None}),
        ),
        total=Row("Total", {"planned": 700000, "spent": 250000, "share": 35.7}),
        chart=ChartSpec(columns=("planned", "spent"), unit="kr"),
        summary="Spending rose each year.",
        note="Spent is what the projects reported as paid.",
    )
    steps = Table(
        key="projects-by-step",
        title="Projects by participation step",
        columns=(Column("label", "Step", "text"), Column("projects", "Projects")),
        rows=(Row("Inform", {"projects": 3}), Row("Co-create", {"projects": 1})),
        chart=ChartSpec(columns=("projects",)),
        summary="Most projects inform.",
    )
    days = Table(
        key="grant-days",
        title="Days to decision",
        columns=(Column("label", "Round", "text"), Column("median", "Median", "days")),
        rows=(Row("Round 2026", {"median": 21}),),
    )
    return Dashboard(
        filters=filters,
        scope=scope,
        sections=(
            Section(
                key="budget",
                title="Budget",
                tables=(by_district,),
                headlines=(("Planned", "700 000 kr", "#budget-by-district"),),
            ),
            Section(key="projects", title="Projects", tables=(steps, days)),
        ),
        taken_at=timezone.make_aware(datetime.datetime(2026, 12, 2, 10, 30)),
        years=(2025, 2026),
    )


@pytest.fixture
def fake_dashboard(monkeypatch):
    calls = []

    def fake(filters, scope):
        calls.append((filters, scope))
        return sample_dashboard(filters, scope)

    monkeypatch.setattr(figures, "dashboard", fake)
    return calls
