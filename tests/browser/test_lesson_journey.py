"""A project leader records a lesson on a project from its page and publishes it; a visitor
finds it from the header's search box by another inflection of a word in it, reads it, goes
on to the project and its area, and follows the area. axe-core checks every page on the
way."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from following.models import Follower
from knowledge.models import Lesson
from tests.accounts.factories import make_user
from tests.browser.conftest import follow, staff_login, submit, visit
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)

VEITVET = "veitvet-og-slettelokka"


def test_a_lesson_is_recorded_published_found_and_its_area_followed(page, second_page, bjerke):
    make_user("project_leader", bjerke, email="leder@example.org", full_name="Lise Leder")
    project = ProjectFactory(
        title="Sletteløkka torg", summary="Et torg der naboene møtes.", is_public=True
    )

    # The project leader records the lesson from the project's page, and publishes it.
    staff_login(page, "leder@example.org")
    visit(page, f"/intern/prosjekter/{project.slug}/")
    follow(page, lambda: page.get_by_role("link", name="Registrer en erfaring").click())
    page.get_by_label("Tittel").fill("Naboene bygde benkene selv")
    page.get_by_label("Hva som virket").fill(
        "Benkene ble bygget på dugnad, og naboene som bygde dem, passer på dem."
    )
    page.get_by_label("Råd til andre").fill("La naboene velge plassen.")
    page.get_by_label("Sosialt liv og frivillighet").check()
    follow(page, lambda: page.get_by_role("button", name="Lagre").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Naboene bygde benkene selv")
    expect(page.get_by_text("Ansatte i alle bydeler kan lese denne erfaringen.")).to_be_visible()
    follow(page, lambda: page.locator("#publish").get_by_role("button").click())
    expect(page.get_by_text("Publisert: alle kan lese den.")).to_be_visible()
    lesson = Lesson.objects.get()
    assert lesson.status == Lesson.Status.PUBLISHED and lesson.project == project

    # A visitor searches "benk" and finds the lesson that says "benkene".
    visitor = second_page()
    visit(visitor, "/")
    visitor.locator("#site-search").fill("benk")
    follow(visitor, lambda: visitor.locator("header form[role=search] button").click())
    follow(visitor, lambda: visitor.get_by_role("link", name="Naboene bygde benkene selv").click())
    expect(visitor.get_by_role("heading", name="Hva som virket")).to_be_visible()
    follow(visitor, lambda: visitor.get_by_role("link", name="Sletteløkka torg").click())
    expect(visitor.get_by_role("link", name="Naboene bygde benkene selv")).to_be_visible()

    # From the project the visitor goes to its area and follows it.
    follow(
        visitor,
        lambda: visitor.locator("nav.breadcrumbs").get_by_role("link", name="Veitvet").click(),
    )
    follow(visitor, lambda: visitor.get_by_role("link", name=re.compile("Følg området")).click())
    assert visitor.locator(f"input[name=areas][value={VEITVET}]").is_checked()
    visitor.locator("#id_email").fill("nabo@example.org")
    visitor.get_by_label("Ukentlig").check()
    submit(visitor, "main form")
    assert "/folg/sendt/" in visitor.url
    (message,) = [m for m in mail.outbox if m.to == ["nabo@example.org"]]
    path = re.search(r"https?://[^/\s]+(/\S*folg/bekreft/\S+)", message.body).group(1)
    visit(visitor, path)
    submit(visitor, "main form")
    follower = Follower.objects.get(email="nabo@example.org")
    assert follower.is_confirmed and follower.frequency == "ukentlig"
    assert [a.slug for a in follower.areas.all()] == [VEITVET]


def test_a_visitor_reads_the_cookbook_and_filters_the_lessons_by_its_method(page):
    from tests.browser.test_narrow_screens import TOO_WIDE, WIDTH
    from tests.knowledge.factories import LessonFactory, RecipeFactory

    recipe = RecipeFactory(
        title="Trygghetsvandring",
        summary="Gå sammen gjennom nabolaget om kvelden.",
        ingredients="Innbyggere\nBymiljøetaten og politiet\nEt kart",
        steps="Inviter bredt\nGå en fast rute\nFølg opp det dere fant",
        status="publisert",
    )
    walked = LessonFactory(title="Lys i smuget etter vandringen", published=True)
    walked.methods.set([recipe])
    recipe.projects.set([walked.project])
    LessonFactory(title="En annen erfaring", published=True)

    visit(page, "/")
    follow(page, lambda: page.locator("footer").get_by_role("link", name="Oppskrifter").click())
    follow(page, lambda: page.get_by_role("link", name="Trygghetsvandring").click())
    expect(page.locator("section[aria-labelledby=steps-heading] ol li")).to_have_count(3)
    follow(page, lambda: page.get_by_role("link", name="Lys i smuget etter vandringen").click())
    follow(
        page, lambda: page.locator("nav.breadcrumbs").get_by_role("link", name="Erfaringer").click()
    )
    page.get_by_label("Metode").select_option(label="Trygghetsvandring")
    follow(page, lambda: page.get_by_role("button", name="Filtrer").click())
    expect(page.get_by_role("link", name="Lys i smuget etter vandringen")).to_be_visible()
    expect(page.get_by_role("link", name="En annen erfaring")).to_have_count(0)

    # Both pages fit a 320 px wide screen (WCAG 1.4.10 Reflow).
    page.set_viewport_size({"width": WIDTH, "height": 800})
    for path in (page.url, recipe.get_absolute_url()):
        visit(page, path)
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, page.evaluate(
            TOO_WIDE
        )
