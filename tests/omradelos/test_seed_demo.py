import io

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD, DEMO_USERS
from accounts.models import RoleAssignment, User
from areas.models import Area
from participation.models import Event, Registration
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
        "users": sorted(User.objects.values_list("email", "password")),
        "roles": sorted(
            RoleAssignment.objects.values_list("user__email", "role", "district__number")
        ),
        "areas": sorted(Area.objects.values_list("slug", "description")),
        "programmes": sorted(
            ActionProgramme.objects.values_list("area__slug", "year", "status", "version")
        ),
        "measures": Measure.objects.count(),
        "comments": sorted(Measure.objects.values_list("pk", "comment")),
        "goals": ProgrammeGoal.objects.count(),
        "versions": sorted(ProgrammeVersion.objects.values_list("pk", "number", "published_at")),
        "renderings": Rendering.objects.count(),
        "programme_changes": ProgrammeChange.objects.count(),
        "budget": sorted(
            BudgetLine.objects.values_list("project__slug", "year", "source", "planned")
        ),
        "project_changes": ProjectChange.objects.count(),
    }


def test_seed_demo_twice_creates_nothing_new_and_makes_one_user_per_role(client):
    """Run twice, the second run creates nothing: no user, role, programme, version, PDF,
    budget line or history row (the demo's PDFs are rendered, in-process, by the first)."""
    call_command("seed_demo", stdout=io.StringIO())
    first = _snapshot()
    assert first["programmes"] and first["versions"] and first["renderings"]
    call_command("seed_demo", stdout=io.StringIO())
    assert _snapshot() == first

    for email, _name, role in DEMO_USERS:
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD)
        if role:
            assert user.role_assignments.filter(role=role).exists()
    response = client.post(
        "/accounts/login/", {"login": "beboer@example.org", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert Area.objects.get(slug="veitvet-og-slettelokka").description.count("1 000 timer")


def test_seed_demo_scale_multiplies_volumes():
    call_command("seed_demo", scale=1)
    at_one = User.objects.count()
    events, registrations = Event.objects.count(), Registration.objects.count()
    attended = Event.objects.filter(attendance_total__isnull=False).count()
    call_command("seed_demo", scale=3)
    assert User.objects.count() - at_one == 80
    # Participation grows with the rest: each event held three times, with its registrations
    # and its attendance.
    assert Event.objects.count() == 3 * events
    assert Registration.objects.count() == 3 * registrations
    assert Event.objects.filter(attendance_total__isnull=False).count() == 3 * attended
