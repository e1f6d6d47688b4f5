"""Who is responsible: the public page, the area page's contacts and the secretariat's pages."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from areas.models import Area
from core.models import AuditEntry
from knowledge import services
from knowledge.models import Contact, Member
from tests.knowledge.factories import ContactFactory, MemberFactory

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _fill(bjerke, n: int) -> None:
    area = Area.objects.filter(district=bjerke).first()
    for body in Member.Body:
        MemberFactory.create_batch(n, body=body)
    ContactFactory.create_batch(n)
    ContactFactory.create_batch(n, district=bjerke)
    ContactFactory.create_batch(n, area=area)


def test_public_page_names_the_board_its_leader_the_committee_and_the_contacts(bjerke):
    MemberFactory(role=Member.Role.LEADER, organisation="Bydel Bjerke", person_name="Bo Tjønn")
    MemberFactory(organisation="Husbanken")
    MemberFactory(body=Member.Body.COMMITTEE, organisation="Kulturetaten")
    MemberFactory(body=Member.Body.SECRETARIAT, organisation="Byrådsavdeling for byutvikling")
    ContactFactory(name="Rita Rådgiver", role="Spesialrådgiver", phone="21 80 21 80")
    ContactFactory(name="Per Programleder", district=bjerke)
    body = _client().get(reverse("knowledge:responsibility")).content.decode()
    for text in (
        "Bo Tjønn",
        "Husbanken",
        "Kulturetaten",
        "Byrådsavdeling for byutvikling",
        "Rita Rådgiver",
        'href="tel:21802180"',
        "Per Programleder",
    ):
        assert text in body


def test_public_page_costs_the_same_queries_for_few_and_many_rows(bjerke):
    client = _client()
    url = reverse("knowledge:responsibility")
    _fill(bjerke, 1)
    few = _queries(client, url)
    _fill(bjerke, 15)
    assert _queries(client, url) == few


def test_area_page_shows_its_own_and_its_districts_contacts_only(bjerke, alna):
    area = Area.objects.filter(district=bjerke).first()
    ContactFactory(name="Områdets Kontakt", area=area)
    ContactFactory(name="Bydelens Kontakt", district=bjerke)
    ContactFactory(name="Annen Bydel", district=alna)
    ContactFactory(name="Annet Område", area=Area.objects.filter(district=bjerke)[1])
    body = _client().get(area.get_absolute_url()).content.decode()
    assert "Områdets Kontakt" in body and "Bydelens Kontakt" in body
    assert "Annen Bydel" not in body and "Annet Område" not in body
    assert body.index("Områdets Kontakt") < body.index("Bydelens Kontakt")


def test_area_page_query_count_does_not_grow_with_contacts(bjerke):
    area = Area.objects.filter(district=bjerke).first()
    client = _client()
    ContactFactory(area=area)
    few = _queries(client, area.get_absolute_url())
    ContactFactory.create_batch(10, area=area)
    ContactFactory.create_batch(10, district=bjerke)
    assert _queries(client, area.get_absolute_url()) == few


STAFF_URLS = [
    ("knowledge:staff_responsibility", None),
    ("knowledge:staff_member_create", None),
    ("knowledge:staff_contact_create", None),
]


@pytest.mark.parametrize("role", ["programme_leader", "project_leader", "board", "case_handler"])
@pytest.mark.parametrize("name,kwargs", STAFF_URLS)
def test_only_the_secretariat_opens_the_editing_pages(users, role, name, kwargs):
    assert _client(users[role]).get(reverse(name, kwargs=kwargs)).status_code == 403
    assert _client(users["secretariat"]).get(reverse(name, kwargs=kwargs)).status_code == 200


def test_anonymous_is_sent_to_sign_in():
    response = _client().get(reverse("knowledge:staff_responsibility"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_secretariat_adds_a_member_and_the_audit_says_so(users):
    response = _client(users["secretariat"]).post(
        reverse("knowledge:staff_member_create"),
        {"body": "programstyre", "role": "medlem", "organisation": "Husbanken", "sort_order": 1},
    )
    assert response.status_code == 302
    member = Member.objects.get()
    assert member.organisation == "Husbanken"
    entry = AuditEntry.objects.get(action="member_created")
    assert entry.actor == users["secretariat"] and entry.target_id == str(member.pk)


def test_others_cannot_add_a_member_even_by_posting(users):
    response = _client(users["programme_leader"]).post(
        reverse("knowledge:staff_member_create"),
        {"body": "programstyre", "role": "medlem", "organisation": "Husbanken", "sort_order": 1},
    )
    assert response.status_code == 403
    assert not Member.objects.exists()


def test_the_service_refuses_anyone_but_the_secretariat(users):
    from core.actions import ActionRefused

    with pytest.raises(ActionRefused):
        services.contact_save(actor=users["board"], role="Rådgiver", name="Navn")
    assert not Contact.objects.exists()


def test_a_second_leader_is_refused_with_a_message(users):
    MemberFactory(role=Member.Role.LEADER)
    response = _client(users["secretariat"]).post(
        reverse("knowledge:staff_member_create"),
        {"body": "programstyre", "role": "leder", "organisation": "Bydel Alna", "sort_order": 0},
    )
    assert response.status_code == 400
    assert "Dette organet har allerede en leder" in response.content.decode()
    assert Member.objects.count() == 1


@pytest.mark.parametrize(
    "data,field",
    [
        ({"name": "x" * 500}, "name"),
        ({"phone": "ring meg"}, "phone"),
        ({"email": "ikke en adresse"}, "email"),
        ({"sort_order": "99999999"}, "sort_order"),
    ],
)
def test_bad_contact_input_gets_a_message_not_a_500(users, data, field):
    post = {"role": "Rådgiver", "name": "Navn", "sort_order": 0, **data}
    response = _client(users["secretariat"]).post(reverse("knowledge:staff_contact_create"), post)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Contact.objects.exists()


def test_a_contact_with_both_district_and_area_is_refused(users, bjerke):
    area = Area.objects.filter(district=bjerke).first()
    response = _client(users["secretariat"]).post(
        reverse("knowledge:staff_contact_create"),
        {
            "role": "Rådgiver",
            "name": "Navn",
            "sort_order": 0,
            "district": bjerke.pk,
            "area": area.pk,
        },
    )
    assert response.status_code == 400
    assert not Contact.objects.exists()


def test_nul_bytes_are_refused_with_a_page(users):
    response = _client(users["secretariat"]).post(
        reverse("knowledge:staff_contact_create"),
        {"role": "Råd\x00giver", "name": "Navn", "sort_order": 0},
    )
    assert response.status_code == 400
    assert not Contact.objects.exists()


def test_secretariat_edits_and_removes_a_contact(users):
    contact = ContactFactory(name="Gammelt Navn")
    client = _client(users["secretariat"])
    response = client.post(
        reverse("knowledge:staff_contact_edit", kwargs={"pk": contact.pk}),
        {"role": "Rådgiver", "name": "Nytt Navn", "sort_order": 0},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.name == "Nytt Navn"
    changed = AuditEntry.objects.get(action="contact_changed")
    assert changed.changes["name"] == ["Gammelt Navn", "Nytt Navn"]
    response = client.post(reverse("knowledge:staff_contact_delete", kwargs={"pk": contact.pk}))
    assert response.status_code == 302
    assert not Contact.objects.exists()
    assert AuditEntry.objects.filter(action="contact_deleted").exists()


def test_removing_is_post_only_and_the_secretariats(users):
    contact = ContactFactory()
    url = reverse("knowledge:staff_contact_delete", kwargs={"pk": contact.pk})
    assert _client(users["secretariat"]).get(url).status_code == 405
    assert _client(users["programme_leader"]).post(url).status_code == 403
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_the_demo_seeds_the_oslo_kommune_page_and_is_idempotent(db):
    from knowledge.demo import BOARD, COMMITTEE, seed
    from omradelos.demo import SeedReport

    seed(scale=1, report=SeedReport())
    counts = (Member.objects.count(), Contact.objects.count())
    seed(scale=1, report=SeedReport())
    assert (Member.objects.count(), Contact.objects.count()) == counts
    leader = Member.objects.get(body=Member.Body.BOARD, role=Member.Role.LEADER)
    assert leader.person_name == "Bovild Tjønn"
    assert Member.objects.filter(body=Member.Body.BOARD, role="medlem").count() == len(BOARD)
    assert Member.objects.filter(body=Member.Body.COMMITTEE).count() == len(COMMITTEE)
    assert not Contact.objects.exclude(phone="").exists()  # no phone number made up
