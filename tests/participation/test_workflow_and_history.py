"""An input's follow-up and an event's status change only through their workflows, and their
history is kept as keys and codes: append-only, translated when shown, old rows converted.
Also what staff and residents see of it: the input's project, and a place in the queue."""

import importlib
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.workflow import WorkflowBypassed, permit_status_update
from participation import services
from participation.models import Event, EventChange, Input, InputChange, Registration
from tests.accounts.factories import UserFactory
from tests.projects.factories import ProjectFactory

from .factories import (
    BJERKE_OTHER_AREA,
    EventFactory,
    InputFactory,
    RegistrationFactory,
    area,
    participation_rows,
)

pytestmark = pytest.mark.django_db

F, R = Input.FollowUp, Registration.Status
migration = importlib.import_module("participation.migrations.0005_history_as_keys")


def html_of(response) -> str:
    return response.content.decode()


# --- The workflow is the one way a status changes -----------------------------------------------


def test_a_follow_up_change_outside_the_workflow_is_refused_by_the_model():
    item = InputFactory()
    item.follow_up = F.TAKEN_UP
    with pytest.raises(WorkflowBypassed):
        item.save()
    with pytest.raises(WorkflowBypassed):
        Input.objects.filter(pk=item.pk).update(follow_up=F.DONE)
    assert Input.objects.get(pk=item.pk).follow_up == F.RECEIVED
    assert not InputChange.objects.filter(input=item).exists()


def test_an_event_status_change_outside_the_workflow_is_refused_by_the_model():
    event = EventFactory(status=Event.Status.DRAFT)
    event.status = Event.Status.PUBLISHED
    with pytest.raises(WorkflowBypassed):
        event.save()
    with pytest.raises(WorkflowBypassed):
        Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    assert Event.objects.get(pk=event.pk).status == Event.Status.DRAFT


def test_the_workflow_changes_the_status_and_writes_the_history_row_together(users):
    item = InputFactory()

    services.input_follow_up(actor=users["project_leader"], item=item, transition="consider")

    change = InputChange.objects.get(input=item, action="consider")
    assert change.data == {"old": F.RECEIVED, "new": F.CONSIDERING}
    assert Input.objects.get(pk=item.pk).follow_up == F.CONSIDERING


def test_other_fields_save_as_before():
    item = InputFactory()
    item.text = "Rettet skrivefeil."
    item.save()
    assert Input.objects.get(pk=item.pk).text == "Rettet skrivefeil."
    # A bulk update that leaves the status alone is not the workflow's business.
    assert permit_status_update(Input.objects.filter(pk=item.pk)).update(follow_up=F.DONE) == 1


# --- History rows are append-only ---------------------------------------------------------------


@pytest.mark.parametrize("model", [InputChange, EventChange])
def test_history_rows_are_never_changed_or_deleted(users, model):
    item = InputFactory()
    services.input_follow_up(actor=users["project_leader"], item=item, transition="consider")
    event = EventFactory(status=Event.Status.DRAFT)
    services.event_publish(actor=users["project_leader"], event=event)
    row = model.objects.order_by("pk").last()

    with pytest.raises(ValueError, match="append-only"):
        row.save()
    with pytest.raises(ValueError, match="append-only"):
        row.delete()
    with pytest.raises(ValueError, match="append-only"):
        model.objects.all().delete()
    with pytest.raises(ValueError, match="append-only"):
        model.objects.update(data={})
    assert model.objects.filter(pk=row.pk).exists()


# --- History speaks the reader's language -------------------------------------------------------


def test_an_input_followed_up_on_a_bokmaal_page_reads_in_english_on_en(client, users):
    project = ProjectFactory(area=area(), title="Benker på torget")
    item = InputFactory()
    client.force_login(users["project_leader"])
    response = client.post(
        reverse("participation:staff_input_take_up", args=[item.pk]),
        {"take_up-project": project.pk, "take_up-response": "Vi setter opp benker."},
        HTTP_ACCEPT_LANGUAGE="nb",
    )
    assert response.status_code == 302
    nb = html_of(client.get(f"/intern/innspill/{item.pk}/"))
    assert "Mottatt → Tatt inn" in nb

    en = html_of(client.get(f"/en/intern/innspill/{item.pk}/"))
    assert "Received → Taken up" in en
    assert "Mottatt → Tatt inn" not in en


def test_an_event_changed_on_a_bokmaal_page_reads_in_english_on_en(client, users):
    event = EventFactory(status=Event.Status.DRAFT, capacity=20)
    client.force_login(users["project_leader"])
    assert client.post(f"/intern/medvirkning/{event.slug}/publiser/").status_code == 302
    services.event_update(actor=users["project_leader"], event=event, areas=[area()], capacity=40)
    nb = html_of(client.get(f"/intern/medvirkning/{event.slug}/"))
    assert "Arrangement publisert" in nb and "Antall plasser: 20 → 40" in nb

    en = html_of(client.get(f"/en/intern/medvirkning/{event.slug}/"))
    history = en[en.index('id="history-heading"') :]
    assert "Event published" in history
    assert "Event changed" in history and "Capacity: 20 → 40" in history
    assert "Arrangement" not in history and "Antall plasser" not in history


# --- Existing rows are converted ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "old", "new", "action", "data"),
    [
        ("created", "", "mottatt", "received", {"new": "mottatt"}),
        ("moderation", "venter", "godkjent", "shown", {"old": "venter", "new": "godkjent"}),
        ("moderation", "godkjent", "skjult", "hidden", {"old": "godkjent", "new": "skjult"}),
        ("follow_up", "mottatt", "vurderes", "consider", {"old": "mottatt", "new": "vurderes"}),
        ("follow_up", "vurderes", "tatt_inn", "take_up", {"old": "vurderes", "new": "tatt_inn"}),
        ("follow_up", "mottatt", "ikke_tatt_inn", "not_take_up", None),
        ("follow_up", "tatt_inn", "gjennomfort", "done", None),
        ("follow_up", "tatt_inn", "vurderes", "reconsider", None),
        ("follow_up", "ikke_tatt_inn", "vurderes", "reconsider", None),
    ],
)
def test_old_input_history_rows_become_keys_with_codes(field, old, new, action, data):
    converted = migration.input_change_as_key(field, old, new)
    assert converted == (action, data or {"old": old, "new": new})
    # And back again, should the migration be reversed.
    assert migration.key_as_input_change(*converted) == (field, old, new)


def test_old_event_history_rows_lose_their_sentence_and_keep_what_changed():
    assert migration.event_change_as_key("published", "Arrangementet er publisert", {}) == {}
    assert migration.event_change_as_key(
        "updated", "Arrangementet er endret", {"fields": ["title", "capacity"]}
    ) == {"changes": [{"field": "title"}, {"field": "capacity"}]}
    assert migration.event_change_as_key("cancelled", "Avlyst", {"reason": "Sykdom."}) == {
        "reason": "Sykdom."
    }
    # A key the portal does not know keeps its sentence, so nothing is lost.
    assert migration.event_change_as_key("imported", "Importert fra regneark", {}) == {
        "summary": "Importert fra regneark"
    }


def test_converted_rows_read_in_the_readers_language(client, users):
    """Rows as the migration leaves them are shown like new ones."""
    event = EventFactory()
    item = InputFactory(event=event)
    EventChange.objects.create(
        event=event,
        action="updated",
        data=migration.event_change_as_key("updated", "Endret", {"fields": ["capacity"]}),
    )
    action, data = migration.input_change_as_key("follow_up", "mottatt", "vurderes")
    InputChange.objects.create(input=item, action=action, data=data)
    client.force_login(users["project_leader"])

    event_html = html_of(client.get(f"/en/intern/medvirkning/{event.slug}/"))
    assert re.search(r"<td>Event changed</td>\s*<td>[^<]*</td>\s*<td>Capacity</td>", event_html)
    input_html = html_of(client.get(f"/en/intern/innspill/{item.pk}/"))
    assert "Received → Being considered" in input_html


# --- The input's project ------------------------------------------------------------------------


def test_the_project_dropdown_offers_only_the_inputs_own_areas_projects(client, users):
    ProjectFactory(area=area(), title="Benker på torget")
    ProjectFactory(area=area(BJERKE_OTHER_AREA), title="Aktivitetspark på Linderud")
    item = InputFactory()
    client.force_login(users["project_leader"])

    html = html_of(client.get(reverse("participation:staff_input", args=[item.pk])))

    for select in ("id_take_up-project", "id_link_project-project"):
        options = re.search(rf'<select[^>]*id="{select}".*?</select>', html, re.S).group(0)
        assert "Benker på torget" in options
        assert "Aktivitetspark på Linderud" not in options


def test_linking_a_project_of_another_area_is_refused_at_the_field(users):
    item = InputFactory()
    before = participation_rows()

    with pytest.raises(ValidationError) as excinfo:
        services.input_link_project(
            actor=users["project_leader"],
            item=item,
            project=ProjectFactory(area=area(BJERKE_OTHER_AREA)),
        )

    assert "project" in excinfo.value.message_dict
    assert participation_rows() == before


def test_after_linking_the_page_names_the_project_and_the_history_says_so(client, users):
    project = ProjectFactory(area=area(), title="Benker på torget")
    item = InputFactory()
    client.force_login(users["project_leader"])

    response = client.post(
        f"/en/intern/innspill/{item.pk}/prosjekt/", {"link_project-project": project.pk}
    )

    assert response.status_code == 302
    html = html_of(client.get(f"/en/intern/innspill/{item.pk}/"))
    assert re.search(r"<dt>Project</dt><dd><a [^>]*>Benker på torget</a></dd>", html)
    assert "<dt>Project</dt><dd>–</dd>" not in html
    assert re.search(r"<td>Project</td>\s*<td>Benker på torget</td>", html)


# --- A place in the queue -----------------------------------------------------------------------


def waiting_list(event, n: int) -> list[Registration]:
    start = timezone.now() - timedelta(hours=1)
    return [
        RegistrationFactory(
            event=event,
            status=R.WAITLISTED,
            confirmed_at=None,
            queued_at=start + timedelta(minutes=i),
            name=f"Venter {i + 1}",
        )
        for i in range(n)
    ]


def test_the_registration_page_tells_a_waiting_person_their_place_in_the_queue(client):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    first, second, third = waiting_list(event, 3)

    html = html_of(client.get(f"/en/medvirkning/pamelding/{third.token}/"))
    assert "You are number 3 in the queue." in html
    html = html_of(client.get(f"/medvirkning/pamelding/{first.token}/"))
    assert "Du er nummer 1 i køen." in html

    # The one ahead gives up their place in line: everyone behind moves up.
    services.registration_cancel(registration=second, token=second.token)
    html = html_of(client.get(f"/en/medvirkning/pamelding/{third.token}/"))
    assert "You are number 2 in the queue." in html


def test_my_registrations_show_the_place_in_the_queue(client):
    person = UserFactory()
    full = EventFactory(capacity=1, title="Fullt folkemøte")
    RegistrationFactory(event=full)
    waiting_list(full, 1)
    mine = waiting_list(full, 1)[0]
    Registration.objects.filter(pk=mine.pk).update(user=person)
    RegistrationFactory(event=EventFactory(title="Verksted"), user=person)
    client.force_login(person)

    html = html_of(client.get("/en/medvirkning/mine/"))

    assert "On the waiting list – number 2 in the queue" in html
    assert html.count("in the queue") == 1  # the confirmed place has none


def test_the_queue_costs_the_same_queries_for_one_and_many_registrations(
    client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = UserFactory()
    client.force_login(person)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/medvirkning/mine/").status_code == 200
        return len(queries)

    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    Registration.objects.filter(pk=waiting_list(event, 1)[0].pk).update(user=person)
    one = count()
    for _ in range(6):
        event = EventFactory(capacity=1)
        RegistrationFactory(event=event)
        waiting_list(event, 2)
        Registration.objects.filter(pk=waiting_list(event, 1)[0].pk).update(user=person)
    assert count() == one


def test_staff_see_each_place_on_the_waiting_list(client, users):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    waiting_list(event, 2)
    client.force_login(users["project_leader"])

    html = html_of(client.get(f"/en/intern/medvirkning/{event.slug}/"))

    table = html[html.index('id="waitlist-heading"') :]
    assert re.search(r'<td class="num">1</td>\s*<th scope="row">Venter 1</th>', table)
    assert re.search(r'<td class="num">2</td>\s*<th scope="row">Venter 2</th>', table)


def test_the_migration_converts_rows_written_in_the_old_format(transactional_db):
    """Back to the schema before, rows as they were written then, and forward again."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, latest = (
        ("participation", "0004_language"),
        ("participation", "0006_drop_old_history_fields"),
    )
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    event = old.get_model("participation", "Event").objects.create(
        title="Folkemøte",
        slug="folkemote-migrert",
        description="Om torget.",
        kind="folkemote",
        starts_at=timezone.now(),
        ends_at=timezone.now() + timedelta(hours=2),
        place="Veitvet",
        organiser="Bydel Bjerke",
    )
    old.get_model("participation", "EventChange").objects.create(
        event=event, action="updated", summary="Arrangement endret", data={"fields": ["capacity"]}
    )
    item = old.get_model("participation", "Input").objects.create(
        area_id=area().pk, text="Benker.", topic="moteplasser", channel="digitalt"
    )
    InputChangeThen = old.get_model("participation", "InputChange")
    InputChangeThen.objects.create(input=item, field="created", new="mottatt")
    InputChangeThen.objects.create(input=item, field="follow_up", old="mottatt", new="vurderes")

    executor = MigrationExecutor(connection)
    executor.migrate([latest])

    assert list(EventChange.objects.values_list("action", "data")) == [
        ("updated", {"changes": [{"field": "capacity"}]})
    ]
    assert list(InputChange.objects.order_by("pk").values_list("action", "data")) == [
        ("received", {"new": "mottatt"}),
        ("consider", {"old": "mottatt", "new": "vurderes"}),
    ]
