"""From a full folkemøte to what residents can see became of their input, in Norwegian.

A resident registers; a guest takes the last place by confirming their email; the event is full
and a third person goes on the waiting list; the guest cancels by the link in their email and the
waiting person is moved up and told. After the meeting the project leader records attendance and
two inputs from it, takes one up in a project, and the area's public page "Dette sa dere – dette
gjorde vi" shows what became of it. At the door the project leader checks people in, and htmx
swaps the list in place. axe-core checks every page each person sees, and the swapped-in list.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from participation.models import Event, Input, Registration
from tests.accounts.factories import PASSWORD, UserFactory, make_user
from tests.browser.conftest import follow, staff_login, submit, visit
from tests.participation.factories import EventFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db(transaction=True)

R = Registration.Status


def resident_login(page, email: str) -> None:
    visit(page, "/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    follow(page, lambda: page.locator("main form button[type=submit]").last.click())


def register(page, slug: str, **fields) -> None:
    visit(page, f"/medvirkning/{slug}/")
    for name, value in fields.items():
        page.locator(f"form.registration-form #id_{name}").fill(value)
    submit(page, "form.registration-form")


def link_in_last_email(to: str, pattern: str) -> str:
    """The path of the link in the newest email to ``to`` (emails carry the site's address)."""
    message = [m for m in mail.outbox if to in m.to][-1]
    return re.search(rf"https?://[^/\s]+(/\S*{pattern})", message.body).group(1)


def test_event_fills_a_cancellation_moves_the_queue_and_input_is_followed_up(
    page, second_page, bjerke
):
    event = EventFactory(
        title="Folkemøte om Sletteløkka torg",
        slug="folkemote-slettelokka-torg",
        capacity=2,
    )
    project = ProjectFactory(title="Nye benker på Sletteløkka torg", is_public=True)
    make_user("project_leader", bjerke, email="prosjektleder@example.org", full_name="Pia Leder")
    UserFactory(email="amina@example.org", full_name="Amina Hassan")
    UserFactory(email="ole@example.org", full_name="Ole Olsen")

    # --- Amina, signed in, registers and gets a place at once --------------------------------
    resident_login(page, "amina@example.org")
    visit(page, "/medvirkning/")
    follow(page, lambda: page.locator(f"main a[href='/medvirkning/{event.slug}/']").first.click())
    submit(page, "form.registration-form")
    assert Registration.objects.get(email="amina@example.org").status == R.CONFIRMED

    # --- A guest registers and confirms by the link in the email: the event is full -----------
    guest = second_page()
    register(guest, event.slug, name="Sara Gjest", email="sara@example.org")
    assert Registration.objects.get(email="sara@example.org").status == R.PENDING
    visit(guest, link_in_last_email("sara@example.org", "/bekreft/"))
    submit(guest, "main form")
    assert Registration.objects.get(email="sara@example.org").status == R.CONFIRMED

    # --- Ole comes too late and goes on the waiting list ----------------------------------
    ole = second_page()
    resident_login(ole, "ole@example.org")
    visit(ole, f"/medvirkning/{event.slug}/")
    expect(ole.locator("#pamelding .pkt-alert")).to_be_visible()  # the event is full
    submit(ole, "form.registration-form")
    assert Registration.objects.get(email="ole@example.org").status == R.WAITLISTED

    # --- The guest cancels by the link in the confirmation email; Ole moves up ---------------
    cancel_url = link_in_last_email("sara@example.org", "/avmeld/")
    mail.outbox.clear()
    visit(guest, cancel_url)
    submit(guest, "main form")
    assert Registration.objects.get(email="sara@example.org").status == R.CANCELLED
    assert Registration.objects.get(email="ole@example.org").status == R.CONFIRMED
    assert any("ole@example.org" in m.to for m in mail.outbox)
    visit(ole, "/medvirkning/mine/")
    expect(ole.locator("main")).to_contain_text("Folkemøte om Sletteløkka torg")

    # --- The meeting has begun: check-in, then attendance and two inputs -------------------------
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    staff = second_page()
    staff_login(staff, "prosjektleder@example.org")
    visit(staff, f"/intern/medvirkning/{event.slug}/")

    # --- At the door: htmx ticks Ole off the list and swaps in the list again ------------------
    ole_registration = Registration.objects.get(email="ole@example.org")
    row = staff.locator(f"#registration-{ole_registration.pk}")
    row.locator("button[type=submit]").click()
    expect(row).to_contain_text("Sjekket inn kl.")
    expect(staff.locator("#check-in-list [role=status]")).to_contain_text("Ole Olsen")
    staff.axe.check()  # the list htmx swapped in, with its new buttons
    ole_registration.refresh_from_db()
    assert ole_registration.checked_in_at is not None
    assert staff.url.endswith(f"/intern/medvirkning/{event.slug}/")  # no page load: a swap

    staff.locator("#id_attendance-total").fill("34")
    staff.locator("#id_attendance-group_eldre").fill("9")
    staff.locator("#id_attendance-group_barn_unge").fill("12")
    submit(staff, "#attendance")
    event.refresh_from_db()
    assert event.attendance_total == 34 and event.attendance_by_group["eldre"] == 9

    for text, topic in [
        ("Flere benker og skygge på torget, særlig for eldre.", "moteplasser"),
        ("Bedre belysning på gangveien til T-banen.", "trygghet"),
    ]:
        visit(staff, f"/intern/innspill/ny/?arrangement={event.slug}")
        staff.locator("#id_text").fill(text)
        staff.locator("#id_topic").select_option(topic)
        submit(staff, "main form.participation-input-form")
    assert Input.objects.filter(event=event).count() == 2

    benches = Input.objects.get(topic="moteplasser")
    visit(staff, f"/intern/innspill/{benches.pk}/")
    staff.locator("#id_take_up-project").select_option(str(project.pk))
    staff.locator("#id_take_up-response").fill("Seks nye benker settes opp til sommeren.")
    submit(staff, "#take_up")
    benches.refresh_from_db()
    assert benches.follow_up == Input.FollowUp.TAKEN_UP

    # --- The area's public page shows what became of it ---------------------------------------
    visit(page, "/omradeloft/veitvet-og-slettelokka/innspill/")
    item = page.locator(".input-item").filter(has_text="Flere benker og skygge på torget")
    expect(item).to_contain_text("Seks nye benker settes opp til sommeren.")
    expect(item.get_by_role("link", name="Nye benker på Sletteløkka torg")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Pia Leder")
