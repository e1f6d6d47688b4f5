"""The Content-Security-Policy in a real browser: what it refuses is refused and reported, and
what the portal needs (its scripts, htmx, axe-core from the static files) still runs."""

import contextlib

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.accounts.factories import PASSWORD, make_user
from tests.browser.conftest import follow, visit

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_inline_script_is_refused_and_reported(page):
    visit(page, "/")
    # Playwright may report the refused script as an error of its own; the refusal is the point.
    with contextlib.suppress(PlaywrightError):
        page.add_script_tag(content="window.injected = true")
    assert page.evaluate("window.injected === undefined")
    page.wait_for_timeout(200)  # console messages arrive asynchronously
    recorded = page.axe.csp_violations
    assert any("script-src" in message for message in recorded), recorded
    page.axe.csp_violations.clear()  # this page's violation was the test's own


def test_htmx_runs_under_the_policy_and_injects_no_style(page):
    visit(page, "/")
    assert page.evaluate("typeof window.htmx === 'undefined'")  # a visitor's page needs none
    make_user(email="beboer.csp@example.org")
    visit(page, "/accounts/login/")
    page.locator("#id_login").fill("beboer.csp@example.org")
    page.locator("#id_password").fill(PASSWORD)
    follow(page, lambda: page.locator("form button[type=submit]").last.click())
    visit(page, "/")
    assert page.evaluate("typeof window.htmx === 'object'")
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    assert page.locator("head style").count() == 0
    assert page.evaluate("typeof window.axe === 'object'")  # axe ran from the static files
