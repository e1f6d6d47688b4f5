"""Nothing of Punkt's look is lost in the subset: each key page, drawn with the full Punkt
bundle and then with the portal's stylesheet (the PurgeCSS subset), is the same to the pixel.

Both stylesheets are served in place of ``css/site.css`` (the full one joined from the same
sources by ``tools/css/bundle.py``, with ``tools/css/punkt/pkt.min.css`` for the subset), and
the page is loaded once: after the first screenshot its stylesheet link is swapped for the
other, so the markup, the data and the focus are the same in both pictures. A last check
drops one Punkt rule from the subset and expects the comparison to see it.
"""

import importlib.util
import re
from io import BytesIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from PIL import Image, ImageChops

from benchmarks.lighthouse import public_paths
from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
VIEWPORTS = {"mobile": {"width": 412, "height": 823}, "desktop": {"width": 1280, "height": 900}}


def _bundle(**texts):
    spec = importlib.util.spec_from_file_location("css_bundle", ROOT / "tools/css/bundle.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.bundle(texts)


FULL = _bundle(
    **{"vendor/punkt-css/pkt.subset.css": (ROOT / "tools/css/punkt/pkt.min.css").read_text()}
)
SUBSET = (ROOT / "static/css/site.css").read_text()

SWAP = """variant => new Promise((resolve, reject) => {
  const old = document.querySelector('link[rel=stylesheet]');
  const link = old.cloneNode();
  link.href = old.href.split('?')[0] + '?variant=' + variant;
  link.onload = () => { old.remove(); resolve(); };
  link.onerror = reject;
  old.after(link);
})"""


def _settled(page) -> None:
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => new Promise(r => setTimeout(r, 50)))")


def _shot(page) -> Image.Image:
    return Image.open(BytesIO(page.screenshot(full_page=True, animations="disabled"))).convert(
        "RGB"
    )


def _difference(a: Image.Image, b: Image.Image) -> int | None:
    """None when ``a`` and ``b`` are the same picture, else the number of pixels that differ."""
    if a.size != b.size:
        return abs(a.size[0] * a.size[1] - b.size[0] * b.size[1]) or 1
    diff = ImageChops.difference(a, b)
    if diff.getbbox() is None:
        return None
    return diff.convert("L").point(lambda v: 255 if v else 0).histogram()[255]


def _send_signup_with_errors(page) -> None:
    page.locator("form[method=post] input[name=email]").fill("ny@example.org")
    page.locator("form[method=post] input[name=password1]").fill("kort")
    page.locator("form[method=post] input[name=password2]").fill("annet")
    with page.expect_navigation():
        page.locator("form[method=post] button[type=submit]").last.click()
    assert page.locator(".error-summary").count() == 1


def _compare(context, url: str, name: str, variants: dict[str, str], action=None) -> str | None:
    page = context.new_page()
    page.route(
        re.compile(r".*/static/css/site(\.[0-9a-f]+)?\.css(\?.*)?$"),
        lambda route: route.fulfill(
            status=200,
            content_type="text/css",
            body=variants[route.request.url.rsplit("variant=", 1)[-1]]
            if "variant=" in route.request.url
            else variants["full"],
        ),
    )
    page.goto(url)
    assert page.url == url, f"{name}: {url} led to {page.url}"  # not sent to the sign-in page
    if action:
        action(page)
    _settled(page)
    before = _shot(page)
    page.evaluate(SWAP, "subset")
    _settled(page)
    after = _shot(page)
    page.close()
    differing = _difference(before, after)
    if differing is None:
        return None
    ARTIFACTS.mkdir(exist_ok=True)
    before.save(ARTIFACTS / f"visual-{name}-full.png")
    after.save(ARTIFACTS / f"visual-{name}-subset.png")
    return f"{name} ({url}): {differing} pixels differ"


def test_the_punkt_subset_draws_every_key_page_as_the_full_punkt_does(browser, live_server):
    call_command("seed_demo", scale=1, verbosity=0)
    base = live_server.url
    paths = public_paths(base)
    staff = Client()
    from allauth.mfa.models import Authenticator

    from accounts.models import User

    leader = User.objects.get(email="programleder@example.org")
    Authenticator.objects.create(
        user=leader, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    staff.force_login(leader)
    session = staff.cookies["sessionid"].value
    staff_paths = {
        "staff project list": "/intern/prosjekter/",
        "staff case queue": "/intern/tilskudd/",
        "staff project form": "/intern/prosjekter/ny/",
    }
    variants = {"full": FULL, "subset": SUBSET}
    differences = []
    for viewport_name, viewport in VIEWPORTS.items():
        context = browser.new_context(
            viewport=viewport, locale="nb-NO", reduced_motion="reduce", base_url=base
        )
        for name, path in paths.items():
            found = _compare(context, base + path, f"{viewport_name}-{name}", variants)
            differences.append(found)
        differences.append(
            _compare(
                context,
                base + "/accounts/signup/",
                f"{viewport_name}-sign-up with errors",
                variants,
                action=_send_signup_with_errors,
            )
        )
        context.close()

        signed_in = browser.new_context(
            viewport=viewport, locale="nb-NO", reduced_motion="reduce", base_url=base
        )
        signed_in.add_cookies([{"name": "sessionid", "value": session, "url": base}])
        for name, path in staff_paths.items():
            found = _compare(signed_in, base + path, f"{viewport_name}-{name}", variants)
            differences.append(found)
        signed_in.close()

    differences = [d for d in differences if d]
    assert not differences, "The subset draws these pages differently:\n" + "\n".join(differences)

    # The comparison sees a lost rule: the subset without Punkt's button styles.
    broken = re.sub(r"\.pkt-btn\{[^}]*\}", "", SUBSET)
    assert broken != SUBSET
    context = browser.new_context(viewport=VIEWPORTS["mobile"], reduced_motion="reduce")
    lost = _compare(context, base + "/", "mobile-home-broken", {"full": FULL, "subset": broken})
    context.close()
    assert lost, "Dropping .pkt-btn from the subset changed no pixel: the comparison is blind"
