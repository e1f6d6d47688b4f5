"""A handlingsprogram from draft to published PDF, in Norwegian, in real Chromium.

The project leader puts the draft out for comments; a resident reads it on the public page and
comments on a measure; the project leader takes the comment into that measure and sends the
programme for consideration; the programme leader adopts it. The PDF is made on the embedded
mode's background thread while the page is open: the page shows it waiting, then ready, without
a reload (htmx), and the PDF downloads. The programme leader publishes it, and the public page
shows the adopted version. axe-core checks every page, and the swapped-in status.
"""

import threading
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.tasks import wait_for_background
from participation.models import Input
from programmes import pdf
from programmes.models import ActionProgramme, PlanLink, Rendering
from tests.accounts.factories import make_user
from tests.browser.conftest import follow, staff_login, submit, visit
from tests.programmes.factories import MeasureFactory
from tests.projects.factories import BudgetLineFactory, ProjectFactory

from .test_participation_journey import resident_login

pytestmark = pytest.mark.django_db(transaction=True)

S = ActionProgramme.Status


def test_draft_on_hearing_a_resident_comments_staff_take_it_in_and_the_pdf_follows(
    page, second_page, bjerke, settings, monkeypatch
):
    year = timezone.localdate().year + 1
    benches = ProjectFactory(title="Benker i skyggen på Sletteløkka torg", is_public=True)
    lights = ProjectFactory(title="Lys på stien til Veitvetparken", is_public=True)
    first = MeasureFactory(project=benches, programme__year=year, position=1)
    programme = first.programme
    MeasureFactory(programme=programme, project=lights, position=2)
    for project, amount in ((benches, 180_000), (lights, 95_000)):
        BudgetLineFactory(project=project, year=year, planned=amount)
    make_user("project_leader", bjerke, email="prosjektleder@example.org", full_name="Per Leder")
    make_user("programme_leader", bjerke, email="programleder@example.org", full_name="Pia Leder")
    make_user(email="amina@example.org", full_name="Amina Hassan")
    public_path = f"/handlingsprogram/{programme.area.slug}/{year}/"
    staff_path = f"/intern/handlingsprogram/{programme.pk}/"

    # The project leader puts the draft out for comments for two weeks.
    staff_login(page, "prosjektleder@example.org")
    visit(page, staff_path)
    until = timezone.localdate() + timedelta(days=14)
    page.locator("form#hearing input[name=hearing-until]").fill(until.isoformat())
    submit(page, "form#hearing")
    expect(page.locator("main")).to_contain_text("på høring")
    programme.refresh_from_db()
    assert programme.status == S.HEARING

    # A resident reads the draft and comments on the first measure.
    resident = second_page()
    resident_login(resident, "amina@example.org")
    visit(resident, public_path)
    expect(resident.locator("main")).to_contain_text("Utkast på høring")
    expect(resident.locator("main")).to_contain_text("Benker i skyggen på Sletteløkka torg")
    follow(
        resident,
        lambda: resident.get_by_role("link", name="Kommenter dette tiltaket").first.click(),
    )
    resident.locator("textarea[name=text]").fill(
        "Sett benkene under trærne, mange eldre tåler ikke sola."
    )
    submit(resident, "form.input-form")
    expect(resident.locator("main")).to_contain_text("Sett benkene under trærne")
    comment = Input.objects.get(text__startswith="Sett benkene")
    assert comment.programme_comment.measure == first

    # The project leader takes the comment into the measure and sends the programme on.
    visit(page, f"/intern/handlingsprogram/{programme.area.slug}/{year}/kommentarer/")
    expect(page.locator("main")).to_contain_text("Sett benkene under trærne")
    page.locator(f"select#measure-{comment.pk}").select_option(str(first.pk))
    submit(page, f"form[action$='/innspill/{comment.pk}/ta-inn/']")
    link = PlanLink.objects.get(input=comment)
    assert link.measure == first
    comment.refresh_from_db()
    assert comment.follow_up == Input.FollowUp.TAKEN_UP
    visit(page, staff_path)
    submit(page, "form#review")
    programme.refresh_from_db()
    assert programme.status == S.REVIEW

    # The programme leader adopts; the PDF is made in the background while the page is open.
    settings.TASKS_IN_BACKGROUND = True
    started, release = threading.Event(), threading.Event()
    real_render = pdf.render_pdf

    def held_render(content):
        started.set()
        assert release.wait(30)
        return real_render(content)

    monkeypatch.setattr(pdf, "render_pdf", held_render)
    leader = second_page()
    try:
        staff_login(leader, "programleder@example.org")
        visit(leader, staff_path)
        submit(leader, "form#adopt")
        assert started.wait(15)
        status = leader.locator("#rendering-status")
        expect(status).to_have_attribute("data-status", Rendering.Status.RENDERING)
        leader.evaluate("window.stillTheSamePage = true")
        release.set()
        expect(status).to_have_attribute("data-status", Rendering.Status.READY, timeout=30_000)
        assert leader.evaluate("window.stillTheSamePage === true")  # swapped in, not reloaded
        leader.axe.check()
    finally:
        release.set()
        wait_for_background()

    with leader.expect_download() as download:
        status.get_by_role("link").first.click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # Published: the public page shows the adopted version.
    visit(leader, staff_path)
    submit(leader, "form#publish")
    programme.refresh_from_db()
    assert programme.status == S.PUBLISHED
    visit(resident, public_path)
    expect(resident.locator("main")).not_to_contain_text("Utkast på høring")
    expect(resident.locator("main")).to_contain_text("Lys på stien til Veitvetparken")
    expect(resident.get_by_role("link", name="PDF").first).to_be_visible()
