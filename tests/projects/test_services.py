import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from accounts.models import RoleAssignment
from areas.models import Area, SubGoal
from projects import history, services
from projects.models import (
    BudgetLine,
    BudgetTally,
    Indicator,
    IndicatorValue,
    Milestone,
    Partner,
    Project,
    ProjectChange,
    ProjectTally,
    StatusUpdate,
)
from tests.accounts.factories import make_user

from .factories import (
    BudgetLineFactory,
    IndicatorFactory,
    MilestoneFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

# Roles that may read Bjerke projects (or not) but never change them.
REFUSED = ["resident", "case_handler", "board", "other_district_leader"]
EDITORS = ["project_leader", "programme_leader", "secretariat"]

ALL_MODELS = [
    Project,
    Project.sub_goals.through,
    Milestone,
    Indicator,
    IndicatorValue,
    BudgetLine,
    StatusUpdate,
    Partner,
    ProjectChange,
    ProjectTally,
    BudgetTally,
]


@pytest.fixture(autouse=True)
def _english():
    """Audit summaries are stored in the active language; pin it so the text is stable."""
    with translation.override("en"):
        yield


def snapshot() -> dict:
    """Every project row the services can touch, to show that a refused call wrote nothing."""
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in ALL_MODELS}


def goal(number: int) -> SubGoal:
    return SubGoal.objects.get(number=number)


def area(slug: str) -> Area:
    return Area.objects.get(slug=slug)


def said(change: ProjectChange) -> str:
    """The history row as an English page words it."""
    with translation.override("en"):
        return history.title(change)


def only_change(project: Project) -> ProjectChange:
    changes = list(ProjectChange.objects.filter(project=project))
    assert len(changes) == 1, changes
    return changes[0]


def create_kwargs(**overrides) -> dict:
    kwargs = {
        "area": area("veitvet-og-slettelokka"),
        "title": "Ny lekeplass på Veitvet",
        "summary": "En møteplass for alle.",
        "start_date": datetime.date(2025, 3, 1),
        "end_date": datetime.date(2026, 6, 30),
        "sub_goals": [goal(1), goal(3)],
    }
    kwargs.update(overrides)
    return kwargs


# project_create ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", EDITORS)
def test_project_create_by_editor_saves_project_and_records_creation(users, role):
    actor = users[role]

    project = services.project_create(actor=actor, **create_kwargs())

    project = Project.objects.get(pk=project.pk)
    assert project.title == "Ny lekeplass på Veitvet"
    assert project.slug == "ny-lekeplass-pa-veitvet"
    assert project.area.slug == "veitvet-og-slettelokka"
    assert project.end_date == datetime.date(2026, 6, 30)
    assert sorted(project.sub_goals.values_list("number", flat=True)) == [1, 3]
    change = only_change(project)
    assert change.actor == actor
    assert change.action == "created"
    assert (change.data, said(change)) == ({}, "Project created")


@pytest.mark.parametrize("role", REFUSED)
def test_project_create_refused_for_non_editors_of_the_district(users, role):
    before = snapshot()

    with pytest.raises(PermissionDenied):
        services.project_create(actor=users[role], **create_kwargs())

    assert snapshot() == before


def test_project_create_refused_in_another_districts_area(users):
    before = snapshot()

    with pytest.raises(PermissionDenied):
        services.project_create(
            actor=users["project_leader"], **create_kwargs(area=area("lindeberg"))
        )

    assert snapshot() == before


def test_project_create_refuses_end_before_start(users):
    before = snapshot()

    with pytest.raises(ValidationError) as exc:
        services.project_create(
            actor=users["project_leader"],
            **create_kwargs(
                start_date=datetime.date(2025, 5, 1), end_date=datetime.date(2025, 4, 30)
            ),
        )

    assert "end_date" in exc.value.message_dict
    assert snapshot() == before


@pytest.mark.parametrize("sub_goals", [[], None])
def test_project_create_refuses_without_sub_goals(users, sub_goals):
    before = snapshot()

    with pytest.raises(ValidationError) as exc:
        services.project_create(actor=users["project_leader"], **create_kwargs(sub_goals=sub_goals))

    assert "sub_goals" in exc.value.message_dict
    assert snapshot() == before


def test_project_create_gives_same_title_different_slugs(users):
    first = services.project_create(actor=users["project_leader"], **create_kwargs())
    second = services.project_create(actor=users["project_leader"], **create_kwargs())
    third = services.project_create(actor=users["programme_leader"], **create_kwargs())

    slugs = {first.slug, second.slug, third.slug}
    assert len(slugs) == 3
    assert all(s.startswith("ny-lekeplass-pa-veitvet") for s in slugs)
    assert Project.objects.filter(title="Ny lekeplass på Veitvet").count() == 3


# project_update ----------------------------------------------------------------------------


@pytest.fixture
def project(db) -> Project:
    return ProjectFactory(
        title="Lekeplass",
        status=Project.Status.PLANNED,
        start_date=datetime.date(2025, 1, 1),
        end_date=None,
        sub_goals=[goal(1)],
    )


@pytest.mark.parametrize("role", EDITORS)
def test_project_update_saves_fields_and_records_old_and_new_values(users, project, role):
    actor = users[role]

    services.project_update(
        project=project,
        actor=actor,
        title="Ny lekeplass",
        status=Project.Status.ONGOING,
        end_date=datetime.date(2025, 12, 31),
        summary=project.summary,  # unchanged: must not appear in the history
        sub_goals=[goal(2), goal(1)],
    )

    project.refresh_from_db()
    assert project.title == "Ny lekeplass"
    assert project.status == Project.Status.ONGOING
    assert project.end_date == datetime.date(2025, 12, 31)
    assert sorted(project.sub_goals.values_list("number", flat=True)) == [1, 2]
    change = only_change(project)
    assert change.actor == actor
    assert change.action == "updated"
    assert said(change) == "Project details changed"
    assert change.changes == {
        "title": ["Lekeplass", "Ny lekeplass"],
        "status": ["planlagt", "pagar"],
        "end_date": [None, "2025-12-31"],
        "sub_goals": [[1], [1, 2]],
    }


def test_project_update_without_changes_writes_no_history(users, project):
    before = snapshot()

    services.project_update(
        project=project,
        actor=users["project_leader"],
        title="Lekeplass",
        status=Project.Status.PLANNED,
        sub_goals=[goal(1)],
    )
    services.project_update(project=project, actor=users["project_leader"])

    assert snapshot() == before


@pytest.mark.parametrize("role", REFUSED)
def test_project_update_refused_for_non_editors(users, project, role):
    before = snapshot()

    with pytest.raises(PermissionDenied):
        services.project_update(project=project, actor=users[role], title="Kapret")

    assert snapshot() == before


def test_project_update_refuses_end_before_start(users, project):
    before = snapshot()

    with pytest.raises(ValidationError) as exc:
        services.project_update(
            project=project,
            actor=users["project_leader"],
            title="Ny tittel",
            end_date=datetime.date(2024, 12, 31),
        )

    assert "end_date" in exc.value.message_dict
    assert snapshot() == before


def test_project_update_refuses_empty_sub_goals(users, project):
    before = snapshot()

    with pytest.raises(ValidationError) as exc:
        services.project_update(
            project=project, actor=users["project_leader"], title="Ny tittel", sub_goals=[]
        )

    assert "sub_goals" in exc.value.message_dict
    assert snapshot() == before


def test_project_update_refuses_move_to_another_district_for_single_district_leader(users, project):
    before = snapshot()

    with pytest.raises(PermissionDenied):
        services.project_update(
            project=project, actor=users["project_leader"], area=area("lindeberg")
        )

    assert snapshot() == before
    assert Project.objects.get(pk=project.pk).area.slug == "veitvet-og-slettelokka"


def test_project_update_moves_within_district_and_records_area_ids(users, project):
    old = project.area
    services.project_update(project=project, actor=users["project_leader"], area=area("linderud"))

    assert Project.objects.get(pk=project.pk).area.slug == "linderud"
    assert only_change(project).changes == {"area": [old.pk, area("linderud").pk]}


def test_project_update_moves_across_districts_with_rights_in_both(users, project, alna):
    leader = users["project_leader"]
    RoleAssignment.objects.create(user=leader, role="project_leader", district=alna)
    leader = type(leader).objects.get(pk=leader.pk)  # no cached roles

    services.project_update(project=project, actor=leader, area=area("lindeberg"))

    assert Project.objects.get(pk=project.pk).area.slug == "lindeberg"
    assert only_change(project).changes == {
        "area": [area("veitvet-og-slettelokka").pk, area("lindeberg").pk]
    }


def test_project_update_by_secretariat_moves_across_districts(users, project):
    services.project_update(project=project, actor=users["secretariat"], area=area("lindeberg"))

    assert Project.objects.get(pk=project.pk).area.slug == "lindeberg"


def test_project_update_keeps_slug_unique_and_stable(users, project):
    other = ProjectFactory(title="Annet")

    services.project_update(project=other, actor=users["project_leader"], title="Lekeplass")

    other.refresh_from_db()
    assert other.title == "Lekeplass"
    assert other.slug != project.slug


# milestones --------------------------------------------------------------------------------


def test_milestone_add_saves_and_records(users, project):
    actor = users["project_leader"]

    milestone = services.milestone_add(
        project=project, actor=actor, title="Forprosjekt ferdig", due_date=datetime.date(2025, 4, 1)
    )

    assert list(project.milestones.values_list("title", "due_date", "done_date")) == [
        ("Forprosjekt ferdig", datetime.date(2025, 4, 1), None)
    ]
    assert milestone.project == project
    change = only_change(project)
    assert (change.actor, change.action, change.data) == (
        actor,
        "milestone_added",
        {"milestone": milestone.pk, "title": "Forprosjekt ferdig"},
    )
    assert said(change) == "Milestone added: Forprosjekt ferdig"


def test_milestone_complete_saves_and_records_done_date(users, project):
    actor = users["programme_leader"]
    milestone = MilestoneFactory(project=project, title="Åpning")

    services.milestone_complete(
        milestone=milestone, actor=actor, done_date=datetime.date(2025, 5, 17)
    )

    milestone.refresh_from_db()
    assert milestone.done_date == datetime.date(2025, 5, 17)
    change = only_change(project)
    assert (change.actor, change.action, change.data) == (
        actor,
        "milestone_done",
        {"milestone": milestone.pk, "title": "Åpning"},
    )
    assert said(change) == "Milestone done: Åpning"
    assert change.changes == {"done_date": [None, "2025-05-17"]}


def test_milestone_complete_again_on_same_date_writes_nothing(users, project):
    milestone = MilestoneFactory(project=project, done_date=datetime.date(2025, 5, 17))
    before = snapshot()

    services.milestone_complete(
        milestone=milestone, actor=users["project_leader"], done_date=datetime.date(2025, 5, 17)
    )

    assert snapshot() == before


def test_milestone_complete_on_new_date_records_previous_date_as_old_value(users, project):
    milestone = MilestoneFactory(project=project, done_date=datetime.date(2025, 5, 17))

    services.milestone_complete(
        milestone=milestone, actor=users["project_leader"], done_date=datetime.date(2025, 6, 1)
    )

    assert only_change(project).changes == {"done_date": ["2025-05-17", "2025-06-01"]}


# budget ------------------------------------------------------------------------------------


def test_budget_line_set_creates_line_and_records(users, project):
    actor = users["project_leader"]

    line = services.budget_line_set(
        project=project,
        actor=actor,
        year=2025,
        source=BudgetLine.Source.HOUSING_GRANT,
        planned=Decimal("250000"),
        spent=Decimal("0"),
    )

    assert list(project.budget_lines.values_list("year", "source", "planned", "spent")) == [
        (2025, "bomiljotilskudd", Decimal("250000"), Decimal("0"))
    ]
    assert line.pk is not None
    change = only_change(project)
    assert (change.actor, change.action, change.data) == (
        actor,
        "budget",
        {"year": 2025, "source": "bomiljotilskudd"},
    )
    assert said(change) == "Budget 2025, Bomiljøtilskudd"
    assert change.changes == {"planned": [None, "250000"], "spent": [None, "0"]}


def test_budget_line_set_changes_existing_line_and_records_old_amounts(users, project):
    BudgetLineFactory(
        project=project,
        year=2025,
        source=BudgetLine.Source.AREA_FUNDS,
        planned=Decimal("100000"),
        spent=Decimal("0"),
    )

    services.budget_line_set(
        project=project,
        actor=users["project_leader"],
        year=2025,
        source=BudgetLine.Source.AREA_FUNDS,
        planned=Decimal("120000"),
        spent=Decimal("40000"),
    )

    assert list(project.budget_lines.values_list("planned", "spent")) == [
        (Decimal("120000"), Decimal("40000"))
    ]
    assert only_change(project).changes == {
        "planned": ["100000", "120000"],
        "spent": ["0", "40000"],
    }


@pytest.mark.parametrize(
    ("planned", "spent"), [(Decimal("-1"), Decimal("0")), (Decimal("10"), Decimal("-5"))]
)
def test_budget_line_set_refuses_negative_amounts(users, project, planned, spent):
    BudgetLineFactory(project=project, year=2025, planned=Decimal("100"), spent=Decimal("0"))
    before = snapshot()

    with pytest.raises(ValidationError):
        services.budget_line_set(
            project=project,
            actor=users["project_leader"],
            year=2025,
            source=BudgetLine.Source.AREA_FUNDS,
            planned=planned,
            spent=spent,
        )
    with pytest.raises(ValidationError):
        services.budget_line_set(
            project=project,
            actor=users["project_leader"],
            year=2026,
            source=BudgetLine.Source.AREA_FUNDS,
            planned=planned,
            spent=spent,
        )

    assert snapshot() == before


# indicators, updates, partners -------------------------------------------------------------


def test_indicator_add_saves_and_records(users, project):
    actor = users["project_leader"]

    services.indicator_add(
        project=project,
        actor=actor,
        name="Besøkstall",
        unit="personer",
        baseline=Decimal("0"),
        target=Decimal("500"),
    )

    assert list(project.indicators.values_list("name", "unit", "baseline", "target")) == [
        ("Besøkstall", "personer", Decimal("0"), Decimal("500"))
    ]
    change = only_change(project)
    assert (change.actor, change.action, change.data["name"]) == (
        actor,
        "indicator_added",
        "Besøkstall",
    )
    assert said(change) == "Indicator added: Besøkstall"


def test_indicator_value_add_saves_and_records(users, project):
    actor = users["programme_leader"]
    indicator = IndicatorFactory(project=project, name="Dugnadstimer", unit="timer")

    services.indicator_value_add(
        indicator=indicator,
        actor=actor,
        date=datetime.date(2025, 9, 1),
        value=Decimal("42"),
        note="Høstdugnad",
    )

    assert list(indicator.values.values_list("date", "value", "note")) == [
        (datetime.date(2025, 9, 1), Decimal("42"), "Høstdugnad")
    ]
    change = only_change(project)
    assert (change.actor, change.action) == (actor, "indicator_value")
    assert change.data == {
        "indicator": indicator.pk,
        "name": "Dugnadstimer",
        "value": "42",
        "unit": "timer",
        "date": "2025-09-01",
    }
    assert said(change) == "Measured Dugnadstimer: 42 timer"


@pytest.mark.parametrize(
    ("is_public", "summary"),
    [(True, "Public status update added"), (False, "Internal status update added")],
)
def test_status_update_add_saves_with_actor_as_author_and_records(
    users, project, is_public, summary
):
    actor = users["project_leader"]

    services.status_update_add(
        project=project,
        actor=actor,
        date=datetime.date(2025, 10, 1),
        text="Anbud sendt ut.",
        is_public=is_public,
    )

    assert list(project.updates.values_list("text", "is_public", "author")) == [
        ("Anbud sendt ut.", is_public, actor.pk)
    ]
    change = only_change(project)
    assert (change.actor, change.action, change.data["public"]) == (
        actor,
        "update_added",
        is_public,
    )
    assert said(change) == summary


def test_partner_add_saves_and_records(users, project):
    actor = users["project_leader"]

    services.partner_add(
        project=project, actor=actor, name="Veitvet skole", kind=Partner.Kind.SCHOOL
    )

    assert list(project.partners.values_list("name", "kind")) == [("Veitvet skole", "skole")]
    change = only_change(project)
    assert (change.actor, change.action, change.data) == (
        actor,
        "partner_added",
        {"name": "Veitvet skole", "kind": "skole"},
    )
    assert said(change) == "Partner added: Veitvet skole"


# Every service refuses non-editors and writes nothing then -----------------------------------


def _call(name: str, project: Project, actor):
    day = datetime.date(2025, 8, 1)
    if name == "milestone_add":
        return services.milestone_add(project=project, actor=actor, title="X", due_date=day)
    if name == "milestone_complete":
        milestone = project.milestones.get()
        return services.milestone_complete(milestone=milestone, actor=actor, done_date=day)
    if name == "budget_line_set":
        return services.budget_line_set(
            project=project,
            actor=actor,
            year=2025,
            source=BudgetLine.Source.AREA_FUNDS,
            planned=Decimal("1"),
            spent=Decimal("1"),
        )
    if name == "indicator_add":
        return services.indicator_add(project=project, actor=actor, name="X", unit="stk")
    if name == "indicator_value_add":
        indicator = project.indicators.get()
        return services.indicator_value_add(
            indicator=indicator, actor=actor, date=day, value=Decimal("1")
        )
    if name == "status_update_add":
        return services.status_update_add(
            project=project, actor=actor, date=day, text="X", is_public=True
        )
    if name == "partner_add":
        return services.partner_add(project=project, actor=actor, name="X", kind=Partner.Kind.OTHER)
    raise AssertionError(name)


CHILD_SERVICES = [
    "milestone_add",
    "milestone_complete",
    "budget_line_set",
    "indicator_add",
    "indicator_value_add",
    "status_update_add",
    "partner_add",
]


@pytest.fixture
def furnished_project(project) -> Project:
    MilestoneFactory(project=project)
    IndicatorFactory(project=project)
    BudgetLineFactory(project=project, year=2025, planned=Decimal("5"), spent=Decimal("0"))
    return project


@pytest.mark.parametrize("service", CHILD_SERVICES)
@pytest.mark.parametrize("role", REFUSED)
def test_child_services_refuse_non_editors_and_write_nothing(
    users, furnished_project, service, role
):
    before = snapshot()

    with pytest.raises(PermissionDenied):
        _call(service, furnished_project, users[role])

    assert snapshot() == before


@pytest.mark.parametrize("service", CHILD_SERVICES)
def test_child_services_allowed_for_editor_write_one_history_row(users, furnished_project, service):
    _call(service, furnished_project, users["programme_leader"])

    change = only_change(furnished_project)
    assert change.actor == users["programme_leader"]


def test_child_services_refused_for_inactive_leader(project, bjerke):
    leader = make_user("project_leader", bjerke, is_active=False)
    before = snapshot()

    with pytest.raises(PermissionDenied):
        services.milestone_add(
            project=project, actor=leader, title="X", due_date=datetime.date(2025, 1, 1)
        )

    assert snapshot() == before
