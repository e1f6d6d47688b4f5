"""The public grant pages fit a 320 px wide screen (WCAG 1.4.10 Reflow): nothing scrolls
sideways, in Norwegian or in English."""

import pytest

from tests.browser.conftest import visit
from tests.grants.factories import GrantRoundFactory

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH = 320

# What sticks out: elements whose content is wider than their box.
TOO_WIDE = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible')
  .map(e => `${e.tagName.toLowerCase()}.${e.className} ${e.scrollWidth}>${e.clientWidth}`)
  .slice(0, 8)"""


@pytest.mark.parametrize("path", ["/tilskudd/", "/en/tilskudd/", "/", "round"])
def test_the_page_fits_320_px_without_scrolling_sideways(page, path):
    grant_round = GrantRoundFactory(title="Bomiljøtilskudd 2026 – høstrunde")
    if path == "round":
        path = f"/tilskudd/utlysning/{grant_round.slug}/"
    page.set_viewport_size({"width": WIDTH, "height": 800})
    visit(page, path)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, page.evaluate(TOO_WIDE)
