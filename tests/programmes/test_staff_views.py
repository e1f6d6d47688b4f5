"""The programme's staff pages: the list and starting one, the programme's page with its
actions and preview, writing the text, goals and measures, the PDF's progress and download, and
the history in words."""

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from areas.models import Area, SubGoal
from programmes import services
from programmes.compose import compose, content_hash
from programmes.models import ActionProgramme, Measure, ProgrammeChange, Rendering
from tests.projects.factories import BudgetLineFactory, ProjectFactory

from .factories import MeasureFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

S = ActionProgramme.Status
R = Rendering.Status


def url(url_name, programme=None, /, **kwargs):
    if programme is not None:
        kwargs["pk"] = programme.pk
    return reverse(f"programmes:{url_name}", kwargs=kwargs or None)


def login(client, user):
    client.force_login(user)
    return client


def post_forms(page: str) -> int:
    """The page's own forms (the header's sign-out and language forms left out)."""
    return len(re.findall(r'<form\b[^>]*action="/intern/', page))


def posts_to(page: str, address: str) -> bool:
    return f'action="{address}"' in page


def alna_area():
    return Area.objects.filter(district__number="12").order_by("pk").first()


def adopted(programme, leader):
    services.programme_send_for_review(actor=leader, programme=programme)
    services.programme_adopt(actor=leader, programme=programme)
    programme.refresh_from_db()
    return programme


def ready_rendering(programme, **extra) -> Rendering:
    content = compose(programme)
    rendering = Rendering.objects.create(
        programme=programme,
        content=content,
        content_hash=content_hash(content),
        status=R.READY,
        page_count=12,
        finished_at=timezone.now(),
        **extra,
    )
    rendering.pdf.save("handlingsprogram/test.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    return rendering


# --- The list -----------------------------------------------------------------------------------


def test_the_list_shows_the_districts_programmes_and_filters_them(client, users):
    mine = ProgrammeFactory(year=2027)
    older = ProgrammeFactory(year=2026)
    foreign = ProgrammeFactory(area=alna_area(), year=2027)
    login(client, users["project_leader"])
    page = client.get(url("staff_programmes")).content.decode()
    assert url("staff_programme", mine) in page
    assert url("staff_programme", older) in page
    assert url("staff_programme", foreign) not in page

    page = client.get(url("staff_programmes"), {"year": 2026}).content.decode()
    assert url("staff_programme", older) in page
    assert url("staff_programme", mine) not in page


def test_the_board_lists_every_district_and_filters_by_district_and_status(client, users, alna):
    mine = ProgrammeFactory()
    foreign = ProgrammeFactory(area=alna_area(), status=S.HEARING)
    login(client, users["board"])
    page = client.get(url("staff_programmes")).content.decode()
    assert url("staff_programme", mine) in page and url("staff_programme", foreign) in page
    page = client.get(url("staff_programmes"), {"district": alna.pk}).content.decode()
    assert url("staff_programme", foreign) in page and url("staff_programme", mine) not in page
    page = client.get(url("staff_programmes"), {"status": S.DRAFT}).content.decode()
    assert url("staff_programme", mine) in page and url("staff_programme", foreign) not in page
    # The board starts nothing.
    assert url("staff_programme_create") not in page


@pytest.mark.parametrize("year", ["9999", "abc", "-1", "1" * 40])
def test_a_year_that_is_no_year_is_an_error_at_the_filter_not_a_failure(client, users, year):
    ProgrammeFactory()
    login(client, users["board"])
    response = client.get(url("staff_programmes"), {"year": year})
    assert response.status_code == 200
    assert "2000" in response.content.decode()  # "Enter a year from 2000 to 2100." or the like


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("staff_programmes")).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_for_one_programme_and_for_many(client, users):
    login(client, users["secretariat"])
    MeasureFactory(programme=ProgrammeFactory(year=2020))
    one = _list_queries(client)
    for year in range(2021, 2030):
        programme = ProgrammeFactory(year=year)
        MeasureFactory.create_batch(3, programme=programme)
    assert _list_queries(client) == one


# --- Starting a programme -----------------------------------------------------------------------


def test_a_project_leader_starts_a_programme_with_the_areas_active_projects(client, users):
    area = Area.objects.get(slug="veitvet-og-slettelokka")
    project = ProjectFactory(area=area)
    login(client, users["project_leader"])
    response = client.post(
        url("staff_programme_create"), {"area": area.pk, "year": 2028, "copy_from_last_year": "on"}
    )
    programme = ActionProgramme.objects.get(area=area, year=2028)
    assert response.status_code == 302
    assert response["Location"] == url("staff_programme", programme)
    assert programme.measures.filter(project=project).exists()
    assert programme.changes.filter(action="created").exists()


def test_a_second_programme_for_the_same_area_and_year_is_a_clear_error(client, users):
    existing = ProgrammeFactory(year=2028)
    login(client, users["project_leader"])
    response = client.post(url("staff_programme_create"), {"area": existing.area.pk, "year": 2028})
    assert response.status_code == 400
    page = response.content.decode()
    assert "already has an action programme for 2028" in page or "har allerede" in page
    assert 'value="2028"' in page  # what was typed is kept
    assert ActionProgramme.objects.filter(area=existing.area, year=2028).count() == 1


def test_an_area_of_another_district_cannot_be_chosen(client, users):
    login(client, users["project_leader"])
    response = client.post(url("staff_programme_create"), {"area": alna_area().pk, "year": 2028})
    assert response.status_code == 400
    assert not ActionProgramme.objects.filter(year=2028).exists()


def test_a_year_out_of_range_is_refused_on_the_form(client, users):
    area = Area.objects.get(slug="veitvet-og-slettelokka")
    login(client, users["project_leader"])
    response = client.post(url("staff_programme_create"), {"area": area.pk, "year": 9999})
    assert response.status_code == 400
    assert not ActionProgramme.objects.filter(area=area).exists()


def test_the_case_handler_and_the_board_cannot_start_a_programme(client, users):
    area = Area.objects.get(slug="veitvet-og-slettelokka")
    for role in ("case_handler", "board"):
        login(client, users[role])
        assert client.get(url("staff_programme_create")).status_code == 403
        assert (
            client.post(url("staff_programme_create"), {"area": area.pk, "year": 2028}).status_code
            == 403
        )
    assert not ActionProgramme.objects.exists()


# --- The programme's page -----------------------------------------------------------------------


def test_the_page_shows_status_the_preview_and_the_editors_actions(client, users):
    measure = MeasureFactory(comment="Årets vekt er på ungdom.")
    programme = measure.programme
    login(client, users["project_leader"])
    page = client.get(url("staff_programme", programme)).content.decode()
    assert measure.project.title in page
    assert "Årets vekt er på ungdom." in page
    assert programme.get_status_display() in page
    assert url("staff_action", programme, name="hearing") in page
    assert url("staff_action", programme, name="review") in page
    # Only the programme leader adopts: the project leader is not offered it.
    assert url("staff_action", programme, name="adopt") not in page
    assert posts_to(page, url("staff_rendering_request", programme))


def test_the_board_reads_the_page_without_any_form(client, users):
    programme = MeasureFactory().programme
    login(client, users["board"])
    response = client.get(url("staff_programme", programme))
    page = response.content.decode()
    assert response.status_code == 200
    assert programme.measures.get().project.title in page
    assert post_forms(page) == 0


def _page_queries(client, programme) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("staff_programme", programme)).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_for_one_measure_and_for_many(client, users):
    programme = ProgrammeFactory()
    first = MeasureFactory(programme=programme)
    BudgetLineFactory(project=first.project, year=programme.year)
    login(client, users["project_leader"])
    one = _page_queries(client, programme)
    for _ in range(8):
        measure = MeasureFactory(programme=programme)
        BudgetLineFactory(project=measure.project, year=programme.year)
    assert _page_queries(client, programme) == one


def test_an_action_with_a_wrong_date_comes_back_with_what_was_typed(client, users):
    programme = ProgrammeFactory()
    login(client, users["project_leader"])
    too_soon = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client.post(
        url("staff_action", programme, name="hearing"), {"hearing-until": too_soon}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert too_soon in page
    assert "error-summary" in page
    programme.refresh_from_db()
    assert programme.status == S.DRAFT


def test_putting_the_draft_out_for_comments_changes_its_status(client, users):
    programme = ProgrammeFactory()
    login(client, users["project_leader"])
    until = (timezone.localdate() + timedelta(days=21)).isoformat()
    response = client.post(url("staff_action", programme, name="hearing"), {"hearing-until": until})
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.status == S.HEARING
    assert programme.hearing_until.isoformat() == until


def test_an_unknown_action_is_not_found(client, users):
    programme = ProgrammeFactory()
    login(client, users["project_leader"])
    assert client.post(url("staff_action", programme, name="explode")).status_code == 404


def test_the_programme_leader_adopts_and_the_page_then_shows_the_frozen_version(client, users):
    programme = MeasureFactory().programme
    leader = users["programme_leader"]
    services.programme_send_for_review(actor=leader, programme=programme)
    login(client, leader)
    assert client.post(url("staff_action", programme, name="adopt")).status_code == 302
    programme.refresh_from_db()
    assert programme.status == S.ADOPTED
    page = client.get(url("staff_programme", programme)).content.decode()
    assert (
        "Start a new version" in page
        or "Start ein ny versjon" in page
        or "Start en ny versjon" in page
    )
    assert url("staff_action", programme, name="publish") in page
    # The content is frozen: no edit links say "edit", and "make the PDF" is not offered.
    assert not posts_to(page, url("staff_rendering_request", programme))


# --- Writing the text, goals and measures -------------------------------------------------------


def test_the_text_and_the_step_are_saved_and_recorded(client, users):
    programme = ProgrammeFactory()
    login(client, users["project_leader"])
    data = {f"edit-{name}": "" for name in ("area_text", "challenges", "participation_summary")}
    data.update(
        {
            "edit-introduction": "Ny innledning om Veitvet.",
            "edit-participation_step": "2",
            "edit-participation_plan": "Folkemøte i mars.",
            "edit-risks": "",
            "edit-organisation": "",
        }
    )
    response = client.post(url("staff_programme_edit", programme), data)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.introduction == "Ny innledning om Veitvet."
    assert programme.participation_step == 2
    change = programme.changes.get(action="updated")
    assert "introduction" in change.data["fields"]


def test_an_adopted_programme_refuses_every_write_with_the_reason(client, users):
    measure = MeasureFactory()
    programme = adopted(measure.programme, users["programme_leader"])
    before = ProgrammeChange.objects.count()
    login(client, users["project_leader"])
    reason = "adopted"

    response = client.post(
        url("staff_programme_edit", programme),
        {"edit-introduction": "Endret", "edit-participation_step": "1"},
    )
    assert response.status_code == 400
    assert reason in response.content.decode() or "vedtatt" in response.content.decode()

    goal = SubGoal.objects.get(number=1)
    response = client.post(
        url("staff_goal_edit", programme, number=goal.number), {"local_goal": "x"}
    )
    assert response.status_code == 400
    response = client.post(url("staff_measure_remove", programme, measure_pk=measure.pk))
    assert response.status_code == 400
    response = client.post(url("staff_measure_move", programme, measure_pk=measure.pk))
    assert response.status_code == 400
    response = client.post(
        url("staff_measure_comment", programme, measure_pk=measure.pk), {"comment": "x"}
    )
    assert response.status_code == 400
    project = ProjectFactory(area=programme.area)
    response = client.post(url("staff_measure_add", programme), {"project": project.pk})
    assert response.status_code == 400
    response = client.post(url("staff_rendering_request", programme))
    assert response.status_code == 400
    assert "vedtatt" in response.content.decode() or reason in response.content.decode()

    programme.refresh_from_db()
    assert programme.introduction != "Endret"
    assert Measure.objects.filter(pk=measure.pk).exists()
    assert ProgrammeChange.objects.count() == before
    # The editor's pages say why, and offer no form.
    page = client.get(url("staff_programme_edit", programme)).content.decode()
    assert "<textarea" not in page


def test_the_board_sees_the_edit_pages_read_only(client, users):
    measure = MeasureFactory()
    programme = measure.programme
    login(client, users["board"])
    for address in (
        url("staff_programme_edit", programme),
        url("staff_goal_edit", programme, number=1),
        url("staff_measures", programme),
        url("staff_measure_comment", programme, measure_pk=measure.pk),
    ):
        response = client.get(address)
        assert response.status_code == 200, address
        assert post_forms(response.content.decode()) == 0, address


def test_goals_and_strategies_are_saved_under_their_sub_goal(client, users):
    programme = ProgrammeFactory()
    login(client, users["project_leader"])
    response = client.post(
        url("staff_goal_edit", programme, number=2),
        {"local_goal": "Flere grønne møteplasser.", "strategies": "Samarbeid med borettslagene."},
    )
    assert response.status_code == 302
    goal = programme.goals.get(sub_goal__number=2)
    assert goal.local_goal == "Flere grønne møteplasser."
    page = client.get(url("staff_programme", programme)).content.decode()
    assert "Flere grønne møteplasser." in page


def test_a_sub_goal_that_is_not_the_programmes_is_not_found(client, users):
    programme = ProgrammeFactory()
    login(client, users["project_leader"])
    assert client.get(url("staff_goal_edit", programme, number=99)).status_code == 404


def test_measures_are_added_moved_commented_and_removed(client, users):
    programme = ProgrammeFactory()
    first = MeasureFactory(programme=programme, position=1)
    second = MeasureFactory(programme=programme, position=2)
    new = ProjectFactory(area=programme.area, title="Ungdomsklubb på Veitvet")
    login(client, users["project_leader"])

    page = client.get(url("staff_measures", programme)).content.decode()
    assert "Ungdomsklubb på Veitvet" in page  # offered to add

    assert client.post(url("staff_measure_add", programme), {"project": new.pk}).status_code == 302
    added = programme.measures.get(project=new)

    response = client.post(
        url("staff_measure_move", programme, measure_pk=second.pk), {"retning": "opp"}
    )
    assert response.status_code == 302
    order = list(programme.measures.order_by("position").values_list("pk", flat=True))
    assert order == [second.pk, first.pk, added.pk]

    response = client.post(
        url("staff_measure_comment", programme, measure_pk=added.pk),
        {"comment": "Åpner til høsten."},
    )
    assert response.status_code == 302
    added.refresh_from_db()
    assert added.comment == "Åpner til høsten."

    assert (
        client.post(url("staff_measure_remove", programme, measure_pk=first.pk)).status_code == 302
    )
    assert not programme.measures.filter(pk=first.pk).exists()
    assert first.project.__class__.objects.filter(pk=first.project_id).exists()
    actions = set(programme.changes.values_list("action", flat=True))
    assert {"measure_added", "measure_moved", "measure_commented", "measure_removed"} <= actions


def test_a_project_of_another_area_cannot_be_added(client, users):
    programme = ProgrammeFactory()
    foreign = ProjectFactory(area=alna_area())
    login(client, users["project_leader"])
    response = client.post(url("staff_measure_add", programme), {"project": foreign.pk})
    assert response.status_code == 400
    assert not programme.measures.filter(project=foreign).exists()


def test_a_measure_of_another_programme_is_not_found(client, users):
    programme = ProgrammeFactory()
    other = MeasureFactory(programme=ProgrammeFactory(year=2030))
    login(client, users["project_leader"])
    response = client.post(url("staff_measure_remove", programme, measure_pk=other.pk))
    assert response.status_code == 404
    assert Measure.objects.filter(pk=other.pk).exists()


# --- The PDF ------------------------------------------------------------------------------------


def test_make_the_pdf_queues_one_rendering_and_the_fragment_polls_while_queued(client, users):
    programme = MeasureFactory().programme
    login(client, users["project_leader"])
    response = client.post(url("staff_rendering_request", programme))
    assert response.status_code == 302
    client.post(url("staff_rendering_request", programme))  # asked twice: still one
    rendering = Rendering.objects.get(programme=programme)
    assert rendering.status == R.QUEUED

    fragment = client.get(url("staff_rendering_status", programme), HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert fragment.status_code == 200
    assert 'hx-trigger="every 2s"' in body
    assert f'hx-get="{url("staff_rendering_status", programme)}"' in body
    assert "<html" not in body
    assert fragment["Cache-Control"] == "no-store"

    # Without JavaScript the page itself carries the state and a reload link.
    page = client.get(url("staff_programme", programme)).content.decode()
    assert url("staff_programme", programme) + "#pdf" in page

    Rendering.objects.filter(pk=rendering.pk).update(status=R.RENDERING)
    body = client.get(url("staff_rendering_status", programme), HTTP_HX_REQUEST="true").content
    assert b'hx-trigger="every 2s"' in body


def test_the_fragment_without_htmx_sends_the_reader_to_the_page(client, users):
    programme = ProgrammeFactory()
    login(client, users["case_handler"])
    response = client.get(url("staff_rendering_status", programme))
    assert response.status_code == 302
    assert response["Location"] == url("staff_programme", programme) + "#pdf"


def test_a_ready_pdf_stops_the_polling_and_downloads_from_private_storage(client, users):
    programme = MeasureFactory().programme
    rendering = ready_rendering(programme)
    login(client, users["case_handler"])
    body = client.get(url("staff_rendering_status", programme), HTTP_HX_REQUEST="true").content
    download = url("staff_rendering_download", programme, rendering_pk=rendering.pk)
    assert b"hx-trigger" not in body
    assert download.encode() in body

    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    assert not download.startswith("/media")
    with pytest.raises(ValueError):
        rendering.pdf.url  # noqa: B018 - private storage has no URL at all


def test_the_draft_pdf_is_not_for_staff_of_another_district(client, users):
    programme = ProgrammeFactory()
    rendering = ready_rendering(programme)
    login(client, users["other_district_leader"])
    download = url("staff_rendering_download", programme, rendering_pk=rendering.pk)
    assert client.get(download).status_code == 404
    client.logout()
    response = client.get(download)
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_pdf_not_ready_or_of_another_programme_is_not_downloaded(client, users):
    programme = ProgrammeFactory()
    queued = Rendering.objects.create(programme=programme, content={}, content_hash="a" * 64)
    other = ready_rendering(ProgrammeFactory(year=2030))
    login(client, users["project_leader"])
    assert (
        client.get(url("staff_rendering_download", programme, rendering_pk=queued.pk)).status_code
        == 404
    )
    assert (
        client.get(url("staff_rendering_download", programme, rendering_pk=other.pk)).status_code
        == 404
    )


def test_a_failed_pdf_shows_its_error_and_can_be_tried_again(client, users):
    programme = ProgrammeFactory()
    failed = Rendering.objects.create(
        programme=programme,
        content={},
        content_hash="b" * 64,
        status=R.FAILED,
        error="WeasyPrint: font not found",
    )
    login(client, users["project_leader"])
    body = client.get(
        url("staff_rendering_status", programme), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "font not found" in body
    assert "hx-trigger" not in body
    retry = url("staff_rendering_retry", programme, rendering_pk=failed.pk)
    assert retry in body

    # The board sees the failure, but has no button to retry.
    board = login(client.__class__(), users["board"])
    board_body = board.get(url("staff_rendering_status", programme), HTTP_HX_REQUEST="true").content
    assert retry.encode() not in board_body
    assert board.post(retry).status_code == 403

    assert client.post(retry).status_code == 302
    failed.refresh_from_db()
    assert failed.status == R.QUEUED and failed.error == ""
    # Only a failed one is tried again.
    assert client.post(retry).status_code == 400


def test_a_pdf_of_older_content_is_said_to_be_out_of_date(client, users):
    programme = ProgrammeFactory()
    ready_rendering(programme)
    login(client, users["project_leader"])
    page = client.get(url("staff_programme", programme)).content.decode()
    assert not posts_to(
        page, url("staff_rendering_request", programme)
    )  # up to date: nothing to make
    MeasureFactory(programme=programme)
    page = client.get(url("staff_programme", programme)).content.decode()
    assert posts_to(page, url("staff_rendering_request", programme))


# --- History ------------------------------------------------------------------------------------


def test_the_history_speaks_the_readers_language(client, users):
    programme = ProgrammeFactory()
    project = ProjectFactory(area=programme.area, title="Grønn gårdsplass")
    leader = users["project_leader"]
    services.measure_add(actor=leader, programme=programme, project=project)
    services.programme_update(actor=leader, programme=programme, risks="Forsinkelser")
    until = timezone.localdate() + timedelta(days=14)
    services.programme_put_on_hearing(actor=leader, programme=programme, until=until)
    login(client, users["board"])

    page = client.get(url("staff_history", programme)).content.decode()
    assert "Grønn gårdsplass" in page
    assert "Et tiltak ble lagt til" in page
    assert "Fra Utkast til På høring." in page
    assert "Endret: risiko." in page
    assert ">horing<" not in page and "utkast til horing" not in page.lower()  # no codes
    assert leader.full_name in page

    english = client.get("/en" + url("staff_history", programme)).content.decode()
    assert "A measure was added" in english
    assert "From Draft to Out for comments." in english
    assert "Changed: risks." in english


def test_a_number_too_large_for_any_row_is_not_found(client, users):
    programme = MeasureFactory().programme
    huge = 10**30
    login(client, users["secretariat"])
    assert client.get(f"/intern/handlingsprogram/{huge}/").status_code == 404
    measure_page = f"/intern/handlingsprogram/{programme.pk}/tiltak/{huge}/kommentar/"
    assert client.get(measure_page).status_code == 404
    download = f"/intern/handlingsprogram/{programme.pk}/pdf/{huge}/last-ned/"
    assert client.get(download).status_code == 404
    assert (
        client.post(f"/intern/handlingsprogram/{programme.pk}/pdf/{huge}/prov-igjen/").status_code
        == 404
    )


def test_a_text_form_with_an_error_keeps_what_was_typed(client, users):
    programme = ProgrammeFactory()
    login(client, users["project_leader"])
    response = client.post(
        url("staff_programme_edit", programme),
        {"edit-introduction": "Min nye innledning", "edit-participation_step": "9"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Min nye innledning" in page
    assert 'href="#id_edit-participation_step_0"' in page  # the summary links to the field
    programme.refresh_from_db()
    assert programme.introduction != "Min nye innledning"
    assert not programme.changes.exists()
