import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts import permissions, services
from accounts.models import Role, RoleAssignment
from tests.accounts.factories import UserFactory, make_user

pytestmark = pytest.mark.django_db


def test_district_role_needs_a_district_and_global_role_refuses_one(bjerke):
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.role_assign(user=user, role=Role.PROJECT_LEADER, district=None, actor=None)
    with pytest.raises(ValidationError):
        services.role_assign(user=user, role=Role.BOARD, district=bjerke, actor=None)
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_database_enforces_the_role_scope_too(bjerke):
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=Role.CASE_HANDLER, district=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=Role.SECRETARIAT, district=bjerke)


def test_role_assign_is_idempotent_and_records_who_granted_it(bjerke):
    user, admin = UserFactory(), make_user("secretariat")
    first = services.role_assign(user=user, role=Role.CASE_HANDLER, district=bjerke, actor=admin)
    again = services.role_assign(user=user, role=Role.CASE_HANDLER, district=bjerke, actor=admin)
    assert first.pk == again.pk
    assert first.granted_by == admin
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=Role.CASE_HANDLER, district=bjerke)
    services.role_assign(user=admin, role=Role.BOARD, district=None, actor=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=admin, role=Role.BOARD, district=None)


def test_district_roles_cover_their_district_only(bjerke, alna):
    leader = make_user("project_leader", bjerke)

    assert permissions.has_role(leader, Role.PROJECT_LEADER, district=bjerke)
    assert not permissions.has_role(leader, Role.PROJECT_LEADER, district=alna)
    assert not permissions.has_role(leader, Role.PROGRAMME_LEADER, district=bjerke)
    assert list(permissions.districts_for(leader)) == [bjerke]


def test_global_roles_cover_every_district(bjerke, alna):
    board, secretariat = make_user("board"), make_user("secretariat")

    assert permissions.has_role(board, Role.BOARD, district=alna)
    assert permissions.district_ids_for(board) == set()  # reads everything, works in none
    assert permissions.district_ids_for(secretariat) is None
    assert permissions.districts_for(secretariat).count() == 6


def test_roles_are_read_once_per_request(bjerke, django_assert_num_queries):
    leader = make_user("project_leader", bjerke)
    leader = type(leader).objects.get(pk=leader.pk)
    with django_assert_num_queries(1):
        for _ in range(5):
            permissions.has_role(leader, Role.PROJECT_LEADER, district=bjerke)
            permissions.is_staff_member(leader)


def test_inactive_and_anonymous_users_hold_no_roles(bjerke):
    from django.contrib.auth.models import AnonymousUser

    leader = make_user("programme_leader", bjerke, is_active=False)
    assert not permissions.is_staff_member(leader)
    assert not permissions.is_staff_member(AnonymousUser())
