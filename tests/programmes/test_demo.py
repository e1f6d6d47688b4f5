"""The programme demo: a handlingsprogram for every area this year, last year's adopted and
published, one on høring, the brochure's examples as measures — made through the services, and
idempotent."""

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts.models import Role
from areas import demo as areas_demo
from areas.models import Area, SubGoal
from omradelos.demo import SEEDERS, SeedReport
from participation.models import Input
from programmes import demo
from programmes.models import (
    PROSE_FIELDS,
    ActionProgramme,
    Measure,
    PlanLink,
    ProgrammeGoal,
    ProgrammeVersion,
)
from programmes.permissions import programmes_public
from projects import demo as projects_demo
from projects.models import BudgetLine, Project
from tests.shared_rows import rows_for_the_module

pytestmark = pytest.mark.django_db

S = ActionProgramme.Status
# The brochure's example projects (the brochure's "Eksempler på prosjekter") and their areas,
# written out here rather than read from the demo module.
BROCHURE_EXAMPLES = {
    "slettelokka-grendehus": "veitvet-og-slettelokka",
    "sirkuslandsbyen-i-skilpaddeparken": "bjornerud",
    "gatekunst-i-grorud": "grorud",
    "aktivitetshuset-k1-pa-toyen": "gronland-og-toyen",
    "deichman-romsas": "romsas",
}


def seed() -> SeedReport:
    report = SeedReport()
    for module in (areas_demo, accounts_demo, projects_demo, demo):
        module.seed(scale=1, report=report)
    return report


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> SeedReport:
    """The demo's programmes, written once for the module's tests. Their content is what these
    tests read; the PDFs wait for a worker (as with the broker away) instead of twelve renders.
    ``tests/omradelos/test_seed_demo`` runs ``seed_demo`` itself, PDFs and all."""
    from programmes.services import rendering

    with pytest.MonkeyPatch.context() as patch, rows_for_the_module(django_db_blocker):
        patch.setattr(rendering, "_enqueue", lambda rendering: None)
        yield seed()


def this_year() -> int:
    return timezone.localdate().year


def test_the_programme_seeder_runs_after_the_data_it_composes():
    position = SEEDERS.index("programmes.demo.seed")
    for earlier in ("accounts.demo.seed", "projects.demo.seed", "participation.demo.seed"):
        assert SEEDERS.index(earlier) < position


def test_every_area_has_a_written_programme_this_year(seeded):
    report = seeded
    year = this_year()
    areas = Area.objects.count()
    programmes = ActionProgramme.objects.filter(year=year).select_related("area")
    assert sorted(p.area_id for p in programmes) == sorted(
        Area.objects.values_list("pk", flat=True)
    )
    assert any(line.startswith("Programmes:") for line in report.lines)
    for programme in programmes:
        assert not programme.is_frozen, programme
        for name in PROSE_FIELDS:
            assert getattr(programme, name).strip(), (programme, name)
        assert programme.area.name in programme.introduction
        assert "lorem" not in programme.introduction.lower()
        goals = ProgrammeGoal.objects.filter(programme=programme)
        assert (
            goals.count()
            == SubGoal.objects.filter(sub_programme=programme.area.sub_programme_id).count()
        )
        assert all(goal.local_goal and goal.strategies for goal in goals)
        assert programme.measures.exists()
        # Written by the district's staff through the services: the history says so.
        actions = set(programme.changes.values_list("action", flat=True))
        assert {"created", "updated", "goal_saved"} <= actions
    assert programmes.count() == areas


def test_last_years_programmes_are_adopted_and_published_with_a_frozen_version(seeded):
    year = this_year() - 1
    programmes = ActionProgramme.objects.filter(year=year)
    assert programmes.count() == Area.objects.count()
    for programme in programmes:
        assert programme.status == S.PUBLISHED
        [version] = ProgrammeVersion.objects.filter(programme=programme)
        assert version.number == 1 and version.published_at is not None
        assert version.content["year"] == year
        # Walked in its own year: adopted and published on dates in that year.
        assert timezone.localtime(version.adopted_at).year == year
        assert version.adopted_at <= version.published_at
        assert version.adopted_by.role_assignments.filter(
            role=Role.PROGRAMME_LEADER, district=programme.area.district
        ).exists()
        assert version.rendering.content_hash
        steps = list(programme.changes.order_by("at", "pk").values_list("action", flat=True))
        assert steps[-4:] == ["hearing", "review", "adopt", "publish"]
    assert set(programmes_public().filter(year=year)) == set(programmes)


def test_one_programme_is_on_hearing_for_three_weeks_and_is_public(seeded):
    on_hearing = ActionProgramme.objects.filter(status=S.HEARING)
    assert on_hearing.count() == 1
    programme = demo.demo_hearing_programme()
    assert programme == on_hearing.get()
    assert programme.year == this_year()
    assert programme.hearing_until == timezone.localdate() + timedelta(days=21)
    assert programme in programmes_public()
    assert ActionProgramme.objects.filter(year=this_year(), status=S.REVIEW).count() == 2


def test_residents_have_commented_on_the_draft_on_hearing_and_one_comment_is_taken_in(seeded):
    programme = demo.demo_hearing_programme()
    comments = list(programme.comments.select_related("input", "measure"))
    assert len(comments) == len(demo.HEARING_COMMENTS)
    # Every comment is shown on the public page, under its section or measure.
    assert {c.input.moderation for c in comments} == {Input.Moderation.APPROVED}
    assert {c.section for c in comments} >= {"tiltak", "medvirkning", "budsjett"}
    taken = PlanLink.objects.filter(programme=programme)
    assert taken.count() == 1
    link = taken.get()
    assert link.input.follow_up == Input.FollowUp.TAKEN_UP
    assert link.measure == programme.measures.order_by("position", "pk").first()


def test_every_brochure_example_is_a_measure_in_its_areas_programme_with_both_years_budget(seeded):
    year = this_year()
    for slug, area_slug in BROCHURE_EXAMPLES.items():
        project = Project.objects.get(slug=slug)
        assert project.area.slug == area_slug
        for programme_year in (year - 1, year):
            programme = ActionProgramme.objects.get(area=project.area, year=programme_year)
            measure = Measure.objects.get(programme=programme, project=project)
            assert measure.comment, (slug, programme_year)
            planned = BudgetLine.objects.filter(project=project, year=programme_year).aggregate(
                total=Sum("planned")
            )["total"]
            assert planned and planned > 0, (slug, programme_year)
        # The adopted version froze the measure with last year's budget from the database.
        version = ProgrammeVersion.objects.get(
            programme__area=project.area, programme__year=year - 1
        )
        [frozen] = [m for m in version.content["measures"] if m["slug"] == slug]
        assert frozen["budget_total"] == int(
            BudgetLine.objects.filter(project=project, year=year - 1).aggregate(
                total=Sum("planned")
            )["total"]
        )
