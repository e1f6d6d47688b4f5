import pytest
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD, DEMO_USERS
from accounts.models import RoleAssignment, User
from areas.models import Area
from participation.models import Event, Registration

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        sorted(User.objects.values_list("email", "password")),
        sorted(RoleAssignment.objects.values_list("user__email", "role", "district__number")),
        sorted(Area.objects.values_list("slug", "description")),
    )


def test_seed_demo_is_idempotent_and_makes_one_user_per_role(client):
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
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
