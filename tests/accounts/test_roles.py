import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

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


# --- Every role given or taken away is audited -------------------------------------------------


def _audit_rows():
    from core.models import AuditEntry

    return list(AuditEntry.objects.order_by("pk"))


def test_role_assign_writes_exactly_one_audit_row(bjerke):
    user, secretariat = UserFactory(), make_user("secretariat")

    services.role_assign(user=user, role=Role.CASE_HANDLER, district=bjerke, actor=secretariat)
    services.role_assign(user=user, role=Role.CASE_HANDLER, district=bjerke, actor=secretariat)

    [entry] = _audit_rows()  # giving a role already held changes nothing
    assert (entry.actor, entry.action, entry.target_id) == (
        secretariat,
        "role.assigned",
        str(user.pk),
    )
    assert entry.target_repr == user.email
    assert entry.changes == {"role": [None, "case_handler"], "district": [None, "09"]}


def test_role_revoke_writes_exactly_one_audit_row(bjerke):
    secretariat = make_user("secretariat")
    user = make_user("project_leader", bjerke)

    assert services.role_revoke(
        user=user, role=Role.PROJECT_LEADER, district=bjerke, actor=secretariat
    )
    assert not services.role_revoke(
        user=user, role=Role.PROJECT_LEADER, district=bjerke, actor=secretariat
    )

    [entry] = _audit_rows()  # taking away a role not held changes nothing
    assert (entry.actor, entry.action) == (secretariat, "role.revoked")
    assert entry.changes == {"role": ["project_leader", None], "district": ["09", None]}
    assert not permissions.has_role(user, Role.PROJECT_LEADER)


def test_refused_role_changes_write_nothing(bjerke):
    user, leader = UserFactory(), make_user("programme_leader", bjerke)
    held = make_user("case_handler", bjerke)
    with pytest.raises(PermissionDenied):
        services.role_assign(user=user, role=Role.CASE_HANDLER, district=bjerke, actor=leader)
    with pytest.raises(PermissionDenied):
        services.role_revoke(user=held, role=Role.CASE_HANDLER, district=bjerke, actor=leader)
    with pytest.raises(ValidationError):
        services.role_assign(user=user, role=Role.BOARD, district=bjerke, actor=None)

    assert not RoleAssignment.objects.filter(user=user).exists()
    assert RoleAssignment.objects.filter(user=held).exists()
    assert _audit_rows() == []


def _admin(client):
    secretariat = make_user("secretariat")
    client.force_login(secretariat)
    return secretariat


def test_the_role_admin_gives_and_takes_away_through_the_audited_services(client, bjerke):
    secretariat, user = _admin(client), UserFactory()

    response = client.post(
        reverse("admin:accounts_roleassignment_add"),
        {"user": user.pk, "role": Role.CASE_HANDLER, "district": bjerke.pk},
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=user)
    assert assignment.granted_by == secretariat
    [given] = _audit_rows()
    assert (given.actor, given.action) == (secretariat, "role.assigned")

    response = client.post(
        reverse("admin:accounts_roleassignment_delete", args=[assignment.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert [e.action for e in _audit_rows()] == ["role.assigned", "role.revoked"]

    others = [make_user("board"), make_user("project_leader", bjerke)]
    response = client.post(
        reverse("admin:accounts_roleassignment_changelist"),
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": [a.pk for a in RoleAssignment.objects.filter(user__in=others)],
        },
    )
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user__in=others).exists()
    revoked = [e for e in _audit_rows() if e.action == "role.revoked"]
    assert {e.target_id for e in revoked} == {str(user.pk)} | {str(o.pk) for o in others}


def test_a_role_cannot_be_edited_in_place_in_the_role_admin(client, bjerke, alna):
    _admin(client)
    assignment = make_user("case_handler", bjerke).role_assignments.get()
    response = client.post(
        reverse("admin:accounts_roleassignment_change", args=[assignment.pk]),
        {"user": assignment.user_id, "role": Role.CASE_HANDLER, "district": alna.pk},
    )
    assert response.status_code == 403
    assert RoleAssignment.objects.get(pk=assignment.pk).district == bjerke
    assert _audit_rows() == []


def _user_form(user, rows) -> dict:
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "is_active": "on",
        "last_login_0": "",
        "date_joined_0": "",
        "role_assignments-TOTAL_FORMS": str(len(rows)),
        "role_assignments-INITIAL_FORMS": str(sum(1 for r in rows if r.get("id"))),
        "role_assignments-MIN_NUM_FORMS": "0",
        "role_assignments-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"role_assignments-{i}-{key}"] = value
        data[f"role_assignments-{i}-user"] = user.pk
    return data


def test_the_user_admin_roles_go_through_the_audited_services(client, bjerke, alna):
    secretariat = _admin(client)
    user = make_user("case_handler", bjerke)
    held = user.role_assignments.get()
    change = reverse("admin:accounts_user_change", args=[user.pk])

    # One row moved to another district, one role added.
    response = client.post(
        change,
        _user_form(
            user,
            [
                {"id": held.pk, "role": Role.CASE_HANDLER, "district": alna.pk},
                {"role": Role.BOARD, "district": ""},
            ],
        ),
    )
    assert response.status_code == 302, response.context["errors"]
    assert set(user.role_assignments.values_list("role", "district")) == {
        (Role.CASE_HANDLER, alna.pk),
        (Role.BOARD, None),
    }
    rows = _audit_rows()
    assert [(e.action, e.changes["district"]) for e in rows] == [
        ("role.revoked", ["09", None]),
        ("role.assigned", [None, "12"]),
        ("role.assigned", [None, None]),
    ]
    assert {e.actor for e in rows} == {secretariat}

    # And one taken away.
    board = user.role_assignments.get(role=Role.BOARD)
    moved = user.role_assignments.get(role=Role.CASE_HANDLER)
    response = client.post(
        change,
        _user_form(
            user,
            [
                {"id": moved.pk, "role": Role.CASE_HANDLER, "district": alna.pk},
                {"id": board.pk, "role": Role.BOARD, "district": "", "DELETE": "on"},
            ],
        ),
    )
    assert response.status_code == 302
    assert list(user.role_assignments.values_list("role", flat=True)) == [Role.CASE_HANDLER]
    assert [e.action for e in _audit_rows()][3:] == ["role.revoked"]


def test_a_deleted_account_has_its_roles_revoked_and_its_name_gone_from_the_audit(bjerke):
    user = UserFactory(email="kari.nordmann@example.no")
    services.role_assign(user=user, role=Role.CASE_HANDLER, district=bjerke, actor=None)

    services.account_delete(user=user)

    rows = _audit_rows()
    assert [e.action for e in rows] == ["role.assigned", "role.revoked"]
    assert all(e.target_repr == f"slettet-{user.pk}@anonymisert.invalid" for e in rows)
