"""Every change to a round's rules is audited: who, when, and each rule's old and new value."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from areas.models import Area
from core.models import AuditEntry
from grants import services
from grants.models import GrantRound
from grants.services.rounds import ROUND_FIELDS

from .factories import GrantRoundFactory

pytestmark = pytest.mark.django_db


def _rules(**overrides) -> dict:
    opens = timezone.now().replace(microsecond=0) + timedelta(days=5)
    return {
        "title": "Bomiljøtilskudd 2027",
        "slug": "bomiljotilskudd-2027",
        "year": 2027,
        "opens_at": opens,
        "closes_at": opens + timedelta(days=60),
        "applicant_kinds": ["borettslag", "sameie"],
        "budget": 3_000_000,
        "min_own_share_percent": 30,
        "max_city_share_percent": 70,
        "max_amount": 300_000,
        "required_attachments": ["styrevedtak"],
        "acceptance_days": 28,
        "report_deadline": timezone.localdate() + timedelta(days=400),
        "criteria": "Nytte for beboerne",
        "four_eyes": True,
        "legal_basis": "Retningslinjer for bomiljøtilskudd",
        "appeal_body": "Oslo kommunes klagenemnd",
        "is_published": True,
    } | overrides


def _areas():
    return list(Area.objects.filter(slug__in=["linderud", "veitvet-og-slettelokka"]))


def test_creating_a_round_audits_every_rule_from_nothing(users):
    secretariat = users["secretariat"]
    rules = _rules()

    grant_round = services.round_save(actor=secretariat, areas=_areas(), **rules)

    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_id) == (
        secretariat,
        "round.created",
        str(grant_round.pk),
    )
    assert entry.target_type.model_class() is GrantRound
    assert entry.target_repr == "Bomiljøtilskudd 2027"
    assert set(entry.changes) == {*ROUND_FIELDS, "areas"}
    assert entry.changes["min_own_share_percent"] == [None, 30]
    assert entry.changes["four_eyes"] == [None, True]
    assert entry.changes["report_deadline"] == [None, rules["report_deadline"].isoformat()]
    assert entry.changes["areas"] == [None, ["linderud", "veitvet-og-slettelokka"]]


def test_changing_a_round_audits_only_the_rules_that_changed_old_to_new(users):
    secretariat = users["secretariat"]
    rules = _rules()
    grant_round = services.round_save(actor=secretariat, areas=_areas(), **rules)
    AuditEntry.objects.filter(action="round.created").get()  # the creation's row

    services.round_save(
        actor=secretariat,
        instance=grant_round,
        areas=Area.objects.filter(slug="linderud"),
        **rules
        | {"min_own_share_percent": 40, "four_eyes": False, "required_attachments": ["tilbud"]},
    )

    entry = AuditEntry.objects.get(action="round.updated")
    assert entry.actor == secretariat
    assert entry.changes == {
        "min_own_share_percent": [30, 40],
        "four_eyes": [True, False],
        "required_attachments": [["styrevedtak"], ["tilbud"]],
        "areas": [["linderud", "veitvet-og-slettelokka"], ["linderud"]],
    }


def test_saving_a_round_unchanged_writes_no_audit_row(users):
    rules = _rules()
    grant_round = services.round_save(actor=users["secretariat"], areas=_areas(), **rules)
    # The same moment handed over in Oslo time is no change either.
    rules["opens_at"] = timezone.localtime(grant_round.opens_at)

    services.round_save(actor=users["secretariat"], instance=grant_round, areas=_areas(), **rules)

    assert AuditEntry.objects.count() == 1


def test_refused_round_changes_write_no_audit_row(users):
    grant_round = GrantRoundFactory()
    with pytest.raises(PermissionDenied):
        services.round_save(
            actor=users["programme_leader"], instance=grant_round, areas=_areas(), **_rules()
        )
    with pytest.raises(ValidationError):
        services.round_save(
            actor=users["secretariat"],
            instance=grant_round,
            areas=_areas(),
            **_rules(closes_at=grant_round.opens_at - timedelta(days=1)),
        )
    with pytest.raises(ValidationError):
        services.round_save(actor=users["secretariat"], areas=[], **_rules())

    assert not AuditEntry.objects.exists()
    grant_round.refresh_from_db()
    assert grant_round.title != "Bomiljøtilskudd 2027"


def test_the_staff_round_form_writes_the_audit_row(client, users):
    grant_round = GrantRoundFactory(acceptance_days=28)
    client.force_login(users["secretariat"])
    url = reverse("grants:staff_round_edit", kwargs={"slug": grant_round.slug})
    opens = timezone.localtime(grant_round.opens_at)
    closes = timezone.localtime(grant_round.closes_at)
    data = {
        "title": grant_round.title,
        "slug": grant_round.slug,
        "year": "2026",
        "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
        "areas": [str(a.pk) for a in grant_round.areas.all()],
        "applicant_kinds": grant_round.applicant_kinds,
        "budget": str(grant_round.budget),
        "min_own_share_percent": "30",
        "max_city_share_percent": "70",
        "max_amount": str(grant_round.max_amount),
        "required_attachments": grant_round.required_attachments,
        "acceptance_days": "21",
        "report_deadline": grant_round.report_deadline.isoformat(),
        "criteria": grant_round.criteria,
        "four_eyes": "on",
        "legal_basis": grant_round.legal_basis,
        "appeal_body": grant_round.appeal_body,
        "is_published": "on",
    }

    assert client.post(url, data).status_code == 302

    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action) == (users["secretariat"], "round.updated")
    assert entry.changes["acceptance_days"] == [28, 21]


def _admin_data(grant_round, **overrides) -> dict:
    opens = timezone.localtime(grant_round.opens_at)
    closes = timezone.localtime(grant_round.closes_at)
    return {
        "title": grant_round.title,
        "slug": grant_round.slug,
        "year": grant_round.year,
        "opens_at_0": opens.strftime("%Y-%m-%d"),
        "opens_at_1": opens.strftime("%H:%M:%S"),
        "closes_at_0": closes.strftime("%Y-%m-%d"),
        "closes_at_1": closes.strftime("%H:%M:%S"),
        "areas": [a.pk for a in grant_round.areas.all()],
        "applicant_kinds": grant_round.applicant_kinds,
        "budget": grant_round.budget,
        "min_own_share_percent": grant_round.min_own_share_percent,
        "max_city_share_percent": grant_round.max_city_share_percent,
        "max_amount": grant_round.max_amount,
        "required_attachments": grant_round.required_attachments,
        "acceptance_days": grant_round.acceptance_days,
        "report_deadline": grant_round.report_deadline.isoformat(),
        "criteria": grant_round.criteria,
        "four_eyes": "on",
        "legal_basis": grant_round.legal_basis,
        "appeal_body": grant_round.appeal_body,
        "is_published": "on",
    } | overrides


def test_the_round_admin_writes_the_audit_row_and_a_refused_change_none(client, users):
    now = timezone.now().replace(microsecond=0)
    grant_round = GrantRoundFactory(
        opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=30), max_amount=300_000
    )
    client.force_login(users["secretariat"])
    change = reverse("admin:grants_grantround_change", args=[grant_round.pk])

    refused = client.post(change, _admin_data(grant_round, closes_at_0="2000-01-01"))
    assert refused.status_code == 200
    assert not AuditEntry.objects.exists()

    linderud = Area.objects.get(slug="linderud")
    response = client.post(
        change, _admin_data(grant_round, max_amount=250_000, areas=[linderud.pk])
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action) == (users["secretariat"], "round.updated")
    assert set(entry.changes) == {"max_amount", "areas"}
    assert entry.changes["max_amount"] == [300_000, 250_000]
    assert entry.changes["areas"][1] == ["linderud"]
    assert list(grant_round.areas.all()) == [linderud]
