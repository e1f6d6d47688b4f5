"""Oslo Sans comes after the largest paint, and comes: a visitor arriving from elsewhere sees
the text at once in the fallback (Arial scaled to Oslo Sans' metrics), then the faces; one going
on from another of the portal's pages, whose fonts are cached, gets them linked at once."""

import pytest

from tests.browser.conftest import follow, visit

pytestmark = pytest.mark.django_db(transaction=True)

FONTS = "vendor/punkt-assets/fonts/"
TIMES = """fonts => {
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const faces = performance.getEntriesByType('resource').filter(e => e.name.includes(fonts));
  return {paint: paint ? paint.startTime : null, faces: faces.map(e => e.startTime)};
}"""

LARGEST = """new Promise(resolve => new PerformanceObserver(list => {
  const entries = list.getEntries();
  resolve(entries.length ? entries[entries.length - 1].startTime : null);
}).observe({type: 'largest-contentful-paint', buffered: true}))"""
SHEET = """performance.getEntriesByType('resource')
  .filter(e => e.name.includes('punkt-assets/fonts.'))[0]?.startTime ?? null"""


def _faces_loaded(page) -> None:
    page.wait_for_function("document.getElementById('portal-fonts') !== null")
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")


def test_a_visitor_from_elsewhere_sees_text_before_the_faces_are_asked_for(page):
    visit(page, "/")
    _faces_loaded(page)
    times = page.evaluate(TIMES, FONTS)
    assert times["paint"] is not None and times["faces"], times
    assert min(times["faces"]) > times["paint"], times
    # Not before the largest paint either: the faces are no part of the page's first view.
    largest = page.evaluate(LARGEST)
    sheet = page.evaluate(SHEET)
    assert largest is not None and sheet is not None and sheet > largest, (largest, sheet)
    assert page.evaluate("document.fonts.check('300 16px \"Oslo Sans\"')")
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith('"Oslo Sans", "Oslo Sans fallback"'), family
    # The fallback is a face of its own, sized to Oslo Sans: a local Arial, never a download.
    fallback = page.evaluate(
        "[...document.fonts].filter(f => f.family.includes('fallback')).map(f => f.sizeAdjust)"
    )
    assert fallback and all(size.startswith("10") for size in fallback), fallback


def test_a_visitor_going_on_in_the_portal_gets_the_faces_at_once(page):
    visit(page, "/")
    _faces_loaded(page)
    follow(page, lambda: page.locator(".site-header__nav a[href='/medvirkning/']").click())
    assert page.evaluate("document.referrer").endswith("/")
    _faces_loaded(page)
    times = page.evaluate(TIMES, FONTS)
    # Linked by the deferred script as soon as the document is parsed, not a frame later.
    link_time = page.evaluate(SHEET)
    dom_ready = page.evaluate("performance.getEntriesByType('navigation')[0].domInteractive")
    assert link_time is not None and link_time <= dom_ready + 50, (link_time, dom_ready, times)
    assert page.evaluate("document.fonts.check('300 16px \"Oslo Sans\"')")


def test_without_javascript_the_faces_are_linked_by_the_noscript_element(browser, live_server):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto("/")
        page.wait_for_load_state("networkidle")
        names = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
        assert any(f"{FONTS}OsloSans-Light" in name for name in names), names
    finally:
        context.close()
