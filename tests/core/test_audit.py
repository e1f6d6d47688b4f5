"""The audit of rule changes: rows hold codes, are never rewritten, and only the secretariat
reads them (in the admin, reached from the staff home page)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.urls import reverse

from accounts.models import Role
from core.audit import as_code, audit_record, diff
from core.models import AuditEntry
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_values_are_stored_as_codes(bjerke):
    oslo = datetime(2027, 1, 29, 9, 0, tzinfo=ZoneInfo("Europe/Oslo"))
    assert as_code(bjerke) == bjerke.pk
    assert as_code(Role.BOARD) == "board"
    assert as_code(date(2027, 3, 1)) == "2027-03-01"
    assert as_code(oslo) == "2027-01-29T08:00:00+00:00"
    assert as_code(Decimal("12.50")) == "12.50"
    assert as_code({"b", "a"}) == ["a", "b"]
    assert diff({"x": 1, "y": [1]}, {"x": 1, "y": [2], "z": None}) == {"y": [[1], [2]]}


def test_an_audit_row_records_who_what_and_old_to_new(users):
    target = UserFactory(email="kari@example.no", full_name="")
    entry = audit_record(
        actor=users["secretariat"],
        action="role.assigned",
        target=target,
        changes={"role": [None, Role.CASE_HANDLER]},
    )
    entry.refresh_from_db()
    assert entry.actor == users["secretariat"]
    assert entry.target_type.model_class() is type(target)
    assert (entry.target_id, entry.target_repr) == (str(target.pk), "kari@example.no")
    assert entry.changes == {"role": [None, "case_handler"]}


def test_audit_rows_are_append_only(users):
    entry = audit_record(actor=None, action="role.revoked", target=users["board"])
    entry.action = "something else"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()
    with pytest.raises(ValueError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().action == "role.revoked"


def test_an_audit_row_is_written_only_inside_the_change_transaction(transactional_db):
    target = UserFactory()
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="role.assigned", target=target)
    with pytest.raises(ValueError), transaction.atomic():
        audit_record(actor=None, action="role.assigned", target=target)
        raise ValueError("the change fails: its audit row goes with it")
    assert not AuditEntry.objects.exists()


def test_the_secretariat_reads_the_audit_and_no_other_role_does(client, users):
    with transaction.atomic():
        audit_record(
            actor=users["secretariat"],
            action="role.assigned",
            target=users["case_handler"],
            target_repr=users["case_handler"].email,
            changes={"role": [None, "case_handler"], "district": [None, "09"]},
        )
    changelist = reverse("admin:core_auditentry_changelist")

    client.force_login(users["secretariat"])
    home = client.get(reverse("staff_home")).content.decode()
    assert reverse("admin:index") in home  # the way there from the secretariat's work page
    index = client.get(reverse("admin:index")).content.decode()
    assert changelist in index
    page = client.get(changelist)
    html = page.content.decode()
    assert page.status_code == 200
    assert users["case_handler"].email in html and "district: – → 09" in html
    filtered = client.get(changelist, {"action": "round.updated"}).content.decode()
    assert users["case_handler"].email not in filtered
    entry = AuditEntry.objects.get()
    detail = client.get(reverse("admin:core_auditentry_change", args=[entry.pk]))
    assert detail.status_code == 200 and b'name="_save"' not in detail.content
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
    assert client.get(reverse("admin:core_auditentry_delete", args=[entry.pk])).status_code == 403

    for role in ["resident", "case_handler", "project_leader", "programme_leader", "board"]:
        client.force_login(users[role])
        response = client.get(changelist)
        assert response.status_code == 302, role  # to the admin's login: not theirs
        assert users["case_handler"].email.encode() not in response.content
