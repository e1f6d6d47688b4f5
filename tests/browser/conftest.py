"""Browser tests: Playwright drives Debian's Chromium; axe-core checks every page visited.

Every page load is recorded. ``visit``/``follow`` (or ``check_accessibility``) run axe-core with
the WCAG 2.1 A and AA rules on the page; at the end of each test, a page that loaded but was
never checked, or any violation found, fails the test.

The pages run under the portal's Content-Security-Policy, enforced as in production: axe-core is
loaded from the portal's own static files (an inline script would be refused), and any policy
violation Chromium reports on a page fails the test too.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.accounts.factories import PASSWORD
from tests.browser.totp import TOTP_SECRET, totp_now

CHROMIUM = "/usr/bin/chromium"
AXE_JS = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
AXE_URL = "/static/vendor/axe-core/axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install -y chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class AxeRecorder:
    def __init__(self, page):
        self.page = page
        self.loaded: list[str] = []
        self.checked: set[str] = set()
        self.violations: list[str] = []
        self.csp_violations: list[str] = []
        page.on("load", lambda p: self.loaded.append(p.url))
        page.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(f"{self.page.url}: {message.text}")

    def check(self) -> None:
        page = self.page
        page.wait_for_load_state("load")
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            # From the portal's origin, which the policy allows; inline content it would refuse.
            assert AXE_JS.exists(), f"{AXE_JS} is missing"
            origin = page.evaluate("location.origin")
            page.add_script_tag(url=origin + AXE_URL)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        self.checked.add(page.url)
        for violation in result["violations"]:
            targets = "; ".join(" ".join(n["target"]) for n in violation["nodes"][:5])
            self.violations.append(
                f"{page.url}: {violation['id']} ({violation['impact']}) – {violation['help']}"
                f" – {targets}"
            )


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(locale="nb-NO", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    recorder = AxeRecorder(page)
    page.axe = recorder
    yield page
    failed = request.node.stash.get(_failed_key, False)
    try:
        if not failed:
            if page.url not in recorder.checked and page.url != "about:blank":
                recorder.check()
            unchecked = [u for u in recorder.loaded if u not in recorder.checked]
            assert not unchecked, f"Pages loaded but never checked with axe: {unchecked}"
            assert not recorder.violations, "axe-core found WCAG 2.1 A/AA violations:\n" + (
                "\n".join(recorder.violations)
            )
            assert not recorder.csp_violations, "Content-Security-Policy violations:\n" + (
                "\n".join(recorder.csp_violations)
            )
    finally:
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        context.close()


_failed_key = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        item.stash[_failed_key] = True
    return report


def visit(page, path: str):
    """Go to ``path`` and check the page with axe."""
    response = page.goto(path)
    page.axe.check()
    return response


def follow(page, action):
    """Run ``action`` (a click or a submit) that navigates, wait for the new page, check it."""
    with page.expect_navigation():
        action()
    page.axe.check()


@pytest.fixture
def second_page(browser, live_server):
    """Another person's browser, with its own axe recorder, checked when the test ends."""
    contexts = []

    def make():
        context = browser.new_context(locale="nb-NO", base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.axe = AxeRecorder(page)
        return page

    yield make
    try:
        for context in contexts:
            for page in context.pages:
                recorder = page.axe
                unchecked = [u for u in recorder.loaded if u not in recorder.checked]
                assert not unchecked, f"Pages loaded but never checked with axe: {unchecked}"
                assert not recorder.violations, "axe-core found violations:\n" + "\n".join(
                    recorder.violations
                )
                assert not recorder.csp_violations, "CSP violations:\n" + "\n".join(
                    recorder.csp_violations
                )
    finally:
        for context in contexts:
            context.close()


def staff_login(page, email: str) -> None:
    visit(page, "/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    follow(page, lambda: page.locator("form button[type=submit]").last.click())
    assert "/accounts/2fa/authenticate/" in page.url
    page.locator("input[name=code]").fill(totp_now(TOTP_SECRET, valid_for=10))
    follow(page, lambda: page.locator("main form button[type=submit]").first.click())


def submit(page, form_selector: str) -> None:
    follow(page, lambda: page.locator(f"{form_selector} button[type=submit]").first.click())
