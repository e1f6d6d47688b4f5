"""Residents' comments on a draft out for comments, taking an input into a measure, and the
free text of ``taken_into_plan`` read as a link (``programmes.plan_text``)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.actions import ActionNotPossibleNow, ActionRefused
from participation.models import Input, InputChange
from participation.services import input_follow_up, input_moderate
from programmes import services
from programmes.models import ActionProgramme, PlanLink, ProgrammeChange, ProgrammeComment
from programmes.plan_text import Candidate, match_plan_text
from tests.participation.factories import ALNA_AREA, InputFactory, area

from .factories import MeasureFactory, ProgrammeFactory
from .test_public_views import on_hearing, page_url, publish

pytestmark = pytest.mark.django_db

F = Input.FollowUp
M = Input.Moderation


def comment_url(programme) -> str:
    return reverse("programmes:comment", args=[programme.area.slug, programme.year])


@pytest.fixture
def hearing(users):
    measure = MeasureFactory()
    MeasureFactory(programme=measure.programme)
    return on_hearing(measure.programme, users["project_leader"])


def _end_hearing_yesterday(programme):
    ActionProgramme.objects.filter(pk=programme.pk).update(
        hearing_until=timezone.localdate() - timedelta(days=1)
    )


# --- Giving a comment ---------------------------------------------------------------------------


def test_a_guest_comments_on_a_section_as_an_input_waiting_for_moderation(client, hearing):
    response = client.post(
        comment_url(hearing), {"target": "risiko", "text": "Husk vinterbrøyting av stien."}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#risiko")
    comment = ProgrammeComment.objects.get()
    item = comment.input
    assert comment.section == "risiko" and comment.measure is None
    assert comment.programme == hearing and comment.version == hearing.version
    assert item.area == hearing.area and item.channel == Input.Channel.ONLINE
    assert item.moderation == M.PENDING and item.author is None
    assert InputChange.objects.filter(input=item, action="received").exists()
    # Waiting for moderation: not on the page yet.
    assert "Husk vinterbrøyting" not in client.get(page_url(hearing)).content.decode()


def test_a_signed_in_resident_comments_on_a_measure_and_it_shows_under_it(client, users, hearing):
    measure = hearing.measures.order_by("position", "pk")[1]
    client.force_login(users["resident"])
    response = client.post(
        comment_url(hearing),
        {"target": "tiltak-2", "text": "Flott tiltak, men start før sommeren."},
    )
    assert response.status_code == 302
    comment = ProgrammeComment.objects.get()
    assert comment.section == "tiltak" and comment.measure == measure
    assert comment.input.project == measure.project
    assert comment.input.moderation == M.APPROVED
    body = client.get(page_url(hearing)).content.decode()
    measure_at = body.index('id="tiltak-2"')
    assert body.index("Flott tiltak, men start før sommeren.") > measure_at
    assert "1 kommentar til dette tiltaket" in body
    assert users["resident"].full_name not in body


def test_a_hidden_comment_is_not_shown(client, users, hearing):
    client.force_login(users["resident"])
    client.post(comment_url(hearing), {"target": "innledning", "text": "Skjul meg."})
    item = ProgrammeComment.objects.get().input
    input_moderate(actor=users["project_leader"], item=item, show=False, reason="Personangrep.")
    assert "Skjul meg." not in client.get(page_url(hearing)).content.decode()


def test_comment_preselects_its_target_and_keeps_what_was_typed(client, hearing):
    page = client.get(f"{comment_url(hearing)}?om=tiltak-1").content.decode()
    assert 'value="tiltak-1" selected' in page
    response = client.post(
        comment_url(hearing),
        {"target": "mal", "text": "Gode mål.", "email": "kari@example.org"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "error-summary" in body and "Gode mål." in body
    assert not ProgrammeComment.objects.exists()


@pytest.mark.parametrize("target", ["tiltak-99", "nowhere", "tiltak-\x00"])
def test_a_target_not_in_the_programme_is_refused(client, hearing, target):
    response = client.post(comment_url(hearing), {"target": target, "text": "Hei."})
    assert response.status_code == 400
    assert not Input.objects.exists()


def test_comments_are_refused_after_the_last_day(client, users, hearing):
    _end_hearing_yesterday(hearing)
    page = client.get(comment_url(hearing))
    assert page.status_code == 200
    assert "Høringsfristen gikk ut" in page.content.decode()
    response = client.post(comment_url(hearing), {"target": "risiko", "text": "For sent."})
    assert response.status_code == 400
    assert not Input.objects.exists()
    hearing.refresh_from_db()
    with pytest.raises(ActionNotPossibleNow):
        services.comment_submit(
            actor=users["resident"], programme=hearing, section="risiko", text="For sent."
        )
    assert not Input.objects.exists()


def test_comments_are_open_on_the_last_day(users, hearing):
    ActionProgramme.objects.filter(pk=hearing.pk).update(hearing_until=timezone.localdate())
    hearing.refresh_from_db()
    comment = services.comment_submit(
        actor=users["resident"], programme=hearing, section="budsjett", text="I tide."
    )
    assert comment.section == "budsjett"


def test_comments_are_refused_before_the_hearing_and_for_a_hidden_programme(client, users):
    draft = MeasureFactory().programme
    assert client.get(comment_url(draft)).status_code == 404
    assert (
        client.post(comment_url(draft), {"target": "risiko", "text": "Tidlig."}).status_code == 404
    )
    with pytest.raises(ActionNotPossibleNow):
        services.comment_submit(
            actor=users["resident"], programme=draft, section="risiko", text="Tidlig."
        )
    on_hearing(draft, users["project_leader"])
    draft.area.is_published = False
    draft.area.save()
    assert (
        client.post(comment_url(draft), {"target": "risiko", "text": "Skjult."}).status_code == 404
    )
    draft.refresh_from_db()
    with pytest.raises(ActionRefused):
        services.comment_submit(
            actor=users["resident"], programme=draft, section="risiko", text="Skjult."
        )
    assert not Input.objects.exists()


def test_a_measure_of_another_programme_is_refused(users, hearing):
    other = MeasureFactory(programme=ProgrammeFactory(year=2028))
    with pytest.raises(ValidationError):
        services.comment_submit(
            actor=users["resident"], programme=hearing, section="tiltak", measure=other, text="Hm."
        )
    assert not Input.objects.exists()


def test_a_comment_appears_in_participations_staff_list(client, users, hearing):
    client.post(comment_url(hearing), {"target": "organisering", "text": "Hvem er kontakten?"})
    client.force_login(users["project_leader"])
    body = client.get(reverse("participation:staff_inputs")).content.decode()
    assert "Hvem er kontakten?" in body


# --- Taking an input into a measure --------------------------------------------------------------


def _comment(users, programme, number=1) -> Input:
    measure = programme.measures.order_by("position", "pk")[number - 1]
    return services.comment_submit(
        actor=users["resident"],
        programme=programme,
        section="tiltak",
        measure=measure,
        text="Lys langs hele stien, takk.",
    ).input


def test_take_in_moves_the_follow_up_and_links_the_measure(users, hearing):
    item = _comment(users, hearing)
    measure = hearing.measures.order_by("position", "pk")[1]
    link = services.comment_take_in(
        actor=users["project_leader"], input=item, measure=measure, response="Tas med i år."
    )
    item.refresh_from_db()
    assert item.follow_up == F.TAKEN_UP and item.response == "Tas med i år."
    assert item.taken_into_plan_link == link and link.measure == measure
    assert link.number == 2
    assert link.get_absolute_url().endswith("#tiltak-2")
    change = ProgrammeChange.objects.get(programme=hearing, action="input_taken_in")
    assert change.data["input"] == item.pk and change.data["measure"] == measure.pk
    assert InputChange.objects.filter(input=item, action="take_up").exists()


def test_take_in_of_an_input_already_taken_up_keeps_its_status(users, hearing):
    item = InputFactory(area=hearing.area, follow_up=F.DONE)
    measure = hearing.measures.first()
    services.comment_take_in(actor=users["programme_leader"], input=item, measure=measure)
    item.refresh_from_db()
    assert item.follow_up == F.DONE
    assert PlanLink.objects.get(input=item).measure == measure


def test_take_in_is_refused_to_the_board_and_another_district(users, hearing):
    item = _comment(users, hearing)
    measure = hearing.measures.first()
    for role in ("board", "other_district_leader", "case_handler", "resident"):
        with pytest.raises(ActionRefused):
            services.comment_take_in(actor=users[role], input=item, measure=measure)
    assert not PlanLink.objects.exists()
    item.refresh_from_db()
    assert item.follow_up == F.RECEIVED


def test_take_in_refuses_an_input_of_another_area_or_not_taken_up(users, hearing):
    measure = hearing.measures.first()
    elsewhere = InputFactory(area=area(ALNA_AREA))
    with pytest.raises(ValidationError):
        services.comment_take_in(actor=users["secretariat"], input=elsewhere, measure=measure)
    refused = InputFactory(area=hearing.area, follow_up=F.NOT_TAKEN_UP)
    with pytest.raises(ValidationError):
        services.comment_take_in(actor=users["project_leader"], input=refused, measure=measure)
    assert not PlanLink.objects.exists()


def test_take_in_refused_once_the_programme_is_adopted(users, hearing):
    item = _comment(users, hearing)
    leader = users["programme_leader"]
    publish(hearing, leader)
    with pytest.raises(ActionNotPossibleNow):
        services.comment_take_in(actor=leader, input=item, measure=hearing.measures.first())


def take_in_url(programme, item) -> str:
    return reverse(
        "programmes:staff_comment_take_in", args=[programme.area.slug, programme.year, item.pk]
    )


def test_take_in_view_for_district_editors_only(client, users, hearing):
    item = _comment(users, hearing)
    measure = hearing.measures.first()
    url = take_in_url(hearing, item)
    client.force_login(users["other_district_leader"])
    assert client.post(url, {"measure": measure.pk}).status_code == 404
    client.force_login(users["board"])
    assert client.post(url, {"measure": measure.pk}).status_code == 403
    assert not PlanLink.objects.exists()
    client.force_login(users["project_leader"])
    assert client.get(url).status_code == 405
    response = client.post(url, {"measure": "99999999999999999"})
    assert response.status_code == 302 and not PlanLink.objects.exists()
    response = client.post(url, {"measure": measure.pk})
    assert response.status_code == 302
    assert PlanLink.objects.get(input=item).measure == measure
    staff_page = client.get(response["Location"]).content.decode()
    assert "Handlingsprogram 2027, tiltak 1" in staff_page


def test_the_public_input_page_names_and_links_the_measure(client, users, hearing):
    item = _comment(users, hearing)
    measure = hearing.measures.order_by("position", "pk")[0]
    services.comment_take_in(actor=users["project_leader"], input=item, measure=measure)
    body = client.get(
        reverse("participation:area_inputs", args=[hearing.area.slug])
    ).content.decode()
    assert "Tatt inn i Handlingsprogram 2027, tiltak 1:" in body
    assert f'href="{page_url(hearing)}#tiltak-1"' in body
    assert measure.project.title in body


def test_a_reconsidered_input_no_longer_shows_the_measure(client, users, hearing):
    item = _comment(users, hearing)
    services.comment_take_in(
        actor=users["project_leader"], input=item, measure=hearing.measures.first()
    )
    item.refresh_from_db()
    input_follow_up(actor=users["project_leader"], item=item, transition="reconsider")
    body = client.get(
        reverse("participation:area_inputs", args=[hearing.area.slug])
    ).content.decode()
    assert "Tatt inn i Handlingsprogram" not in body


# --- The old free text as a link ------------------------------------------------------------------

PROGRAMMES = [
    Candidate(programme_id=10, year=2026, measures=((101, "Lys på stien"), (102, "Benker"))),
    Candidate(
        programme_id=20,
        year=2027,
        measures=((201, "Møteplass på torget"), (202, "Lys på stien"), (203, "Grendehus")),
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Handlingsprogram 2027, tiltak 3", (20, 203)),
        ("handlingsprogrammet 2026 tiltak nr. 2", (10, 102)),
        ("Handlingsprogram 2027, tiltak 1 (møteplasser)", (20, 201)),
        # A number past the measures: the title decides, or the programme alone.
        ("Handlingsprogram 2027, tiltak 9", (20, None)),
        ("Handlingsprogram 2027, tiltak 9: Grendehus", (20, 203)),
        # No number: a project title named in the text, in the year named.
        ("Tatt med i handlingsprogram 2026 under Lys på stien", (10, 101)),
        ("Tas inn som en del av Møteplass på torget", (20, 201)),
        ("Handlingsprogram 2027", (20, None)),
        ("Handlingsprogram 2031, tiltak 4", None),
        ("Skjøtselsplan for grøntarealene", None),
        ("", None),
    ],
)
def test_plan_text_mapping(text, expected):
    assert match_plan_text(text, PROGRAMMES) == expected


def test_plan_text_mapping_without_programmes():
    assert match_plan_text("Handlingsprogram 2027, tiltak 4", []) is None


def test_the_giver_is_told_of_the_measure_by_email(
    users, hearing, mailoutbox, django_capture_on_commit_callbacks
):
    measure = hearing.measures.order_by("position", "pk")[0]
    item = services.comment_submit(
        actor=None,
        programme=hearing,
        section="tiltak",
        measure=measure,
        text="Mer lys.",
        email="kari@example.org",
        consent=True,
        language="nb",
    ).input
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_take_in(actor=users["project_leader"], input=item, measure=measure)
    (mail,) = mailoutbox
    assert mail.to == ["kari@example.org"]
    assert f"Handlingsprogram 2027, tiltak 1: {measure.project.title}" in mail.body
    assert f"{hearing.get_absolute_url()}#tiltak-1" in mail.body


def test_the_staff_input_page_names_the_measure(client, users, hearing):
    item = _comment(users, hearing)
    services.comment_take_in(
        actor=users["project_leader"], input=item, measure=hearing.measures.first()
    )
    client.force_login(users["project_leader"])
    body = client.get(reverse("participation:staff_input", args=[item.pk])).content.decode()
    assert "Tatt inn i Handlingsprogram 2027, tiltak 1:" in body


def _public_list_queries(place) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from participation import selectors

    with CaptureQueriesContext(connection) as ctx:
        for items in selectors.area_inputs_public(place).values():
            for item in items:
                plan = item.taken_into_plan_link
                assert plan.is_current and plan.is_public
                assert plan.number and plan.measure_title and plan.get_absolute_url()
    return len(ctx.captured_queries)


def test_the_public_input_list_names_the_measures_in_a_fixed_number_of_queries(users, hearing):
    measures = list(hearing.measures.order_by("position", "pk"))
    first = InputFactory(area=hearing.area)
    services.comment_take_in(actor=users["project_leader"], input=first, measure=measures[0])
    one = _public_list_queries(hearing.area)
    for n in range(6):
        item = InputFactory(area=hearing.area)
        services.comment_take_in(actor=users["project_leader"], input=item, measure=measures[n % 2])
    assert _public_list_queries(hearing.area) == one


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_links_the_free_text_before_the_column_goes(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [
        ("participation", "0007_participation_step"),
        ("programmes", "0002_plan_links_and_comments"),
    ]
    after = [
        ("participation", "0008_remove_input_taken_into_plan"),
        ("programmes", "0003_taken_into_plan_text_to_links"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Area = old.get_model("areas", "Area")
    Project = old.get_model("projects", "Project")
    Programme = old.get_model("programmes", "ActionProgramme")
    Measure = old.get_model("programmes", "Measure")
    Input = old.get_model("participation", "Input")
    place = Area.objects.get(slug="veitvet-og-slettelokka")
    programme = Programme.objects.create(area=place, year=2027)
    projects = [
        Project.objects.create(area=place, title=title, slug=f"p-{n}")
        for n, title in enumerate(["Lys på stien", "Møteplass på torget"])
    ]
    measures = [
        Measure.objects.create(programme=programme, project=p, position=n)
        for n, p in enumerate(projects, start=1)
    ]
    common = {"area": place, "topic": "annet", "channel": "digitalt", "follow_up": "tatt_inn"}
    by_number = Input.objects.create(
        text="a", taken_into_plan="Handlingsprogram 2027, tiltak 2", **common
    )
    by_title = Input.objects.create(text="b", taken_into_plan="Se Lys på stien", **common)
    unmatched = Input.objects.create(text="c", taken_into_plan="Skjøtselsplan", **common)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)

    links = dict(PlanLink.objects.values_list("input_id", "measure_id"))
    assert links == {by_number.pk: measures[1].pk, by_title.pk: measures[0].pk}
    assert unmatched.pk not in links
    columns = [
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), "participation_input"
        )
    ]
    assert "taken_into_plan" not in columns
