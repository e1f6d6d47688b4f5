"""The portal's one stylesheet: current with its sources, holding every Punkt rule the portal
names, and the only stylesheet a page's head waits for.

``static/css/site.css`` is joined from its sources by ``tools/css/bundle.py``; its Punkt part
is cut from the full Punkt bundle (``tools/css/punkt/pkt.min.css``) by PurgeCSS, which keeps
the rules whose class names appear in the templates, the Python and the JavaScript. A class
added to a template after the last cut would have no style: the second test finds it.
"""

import importlib.util
import re
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
FULL_PUNKT = ROOT / "tools" / "css" / "punkt" / "pkt.min.css"
SUBSET = ROOT / "static" / "vendor" / "punkt-css" / "pkt.subset.css"
PURGECSS_CONFIG = ROOT / "tools" / "css" / "purgecss.config.cjs"
REFRESH = (
    "cut Punkt again: `npm ci --prefix tools/css && tools/css/node_modules/.bin/purgecss "
    "--config tools/css/purgecss.config.cjs && .venv/bin/python tools/css/bundle.py` "
    "(static/vendor/README.md)"
)


def _bundle_module():
    spec = importlib.util.spec_from_file_location("css_bundle", ROOT / "tools/css/bundle.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _content_files():
    """What PurgeCSS reads (``purgecss.config.cjs``): templates, the apps' Python, the JS."""
    skipped = {"tests", "migrations", "node_modules", ".venv", "tools", "benchmarks"}
    yield from (ROOT / "templates").rglob("*.html")
    for path in ROOT.glob("*/**/*.py"):
        parts = set(path.relative_to(ROOT).parts)
        if not parts & skipped and not path.relative_to(ROOT).parts[0].startswith("staticfiles"):
            yield path
    yield from (ROOT / "static" / "js").rglob("*.js")


def _classes(css: str) -> set[str]:
    without_values = re.sub(r"\{[^{}]*\}", "{}", css)  # declarations hold no selectors
    return set(re.findall(r"\.(pkt-[\w-]+)", without_values))


def test_the_bundle_is_current():
    bundle = _bundle_module()
    assert (ROOT / "static" / bundle.TARGET).read_text(encoding="utf-8") == bundle.bundle(), (
        "static/css/site.css is out of date: run `.venv/bin/python tools/css/bundle.py`"
    )


def test_every_punkt_class_the_portal_names_is_in_the_subset():
    full = _classes(FULL_PUNKT.read_text(encoding="utf-8"))
    subset = _classes(SUBSET.read_text(encoding="utf-8"))
    named = set()
    for path in _content_files():
        named |= set(re.findall(r"pkt-[\w-]*[\w]", path.read_text(encoding="utf-8")))
    assert {"pkt-btn", "pkt-input", "pkt-container"} <= named  # the scan reads the templates
    missing = sorted(c for c in named if c in full and c not in subset)
    assert not missing, f"Punkt classes the portal uses but the subset lacks: {missing}; {REFRESH}"
    assert len(SUBSET.read_bytes()) < FULL_PUNKT.stat().st_size / 10


def test_classes_put_together_in_templates_are_safelisted():
    """``pkt-alert--{% if … %}error{% endif %}``: PurgeCSS sees only ``pkt-alert--``, so the
    prefix must be in the config's safelist (and then the finished classes in the subset)."""
    config = PURGECSS_CONFIG.read_text(encoding="utf-8")
    full = _classes(FULL_PUNKT.read_text(encoding="utf-8"))
    subset = _classes(SUBSET.read_text(encoding="utf-8"))
    prefixes = set()
    for path in (ROOT / "templates").rglob("*.html"):
        prefixes |= set(re.findall(r"(pkt-[\w-]*-)\{[{%]", path.read_text(encoding="utf-8")))
    assert "pkt-alert--" in prefixes
    for prefix in sorted(prefixes):
        assert f"^{prefix}" in config, f"{prefix}… is built in a template; safelist it, {REFRESH}"
    levels = [f"pkt-alert--{level}" for level in ("error", "warning", "success", "info")]
    assert len([c for c in levels if c in full]) == 3  # "info" is Punkt's plain alert
    assert all(c in subset for c in levels if c in full)


def test_the_full_punkt_bundle_is_not_served():
    assert not (ROOT / "static" / "vendor" / "punkt-css" / "pkt.min.css").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/medvirkning/", "/tilskudd/", "/sok/?q=park"])
def test_a_public_page_waits_for_one_stylesheet_and_no_script(path):
    html = Client().get(path).content.decode()
    head = html.split("</head>", 1)[0]
    # Oslo Sans' faces are linked after the largest paint (static/js/portal.js), or by a
    # noscript element when there is no script to do it.
    noscript = re.findall(r"<noscript>(.*?)</noscript>", head, re.S)
    assert len(noscript) == 1 and "punkt-assets/fonts" in noscript[0], noscript
    assert re.search(r'<meta name="portal-fonts" content="[^"]*punkt-assets/fonts[^"]*\.css"', head)
    stylesheets = re.findall(r"<link[^>]*rel=\"stylesheet\"[^>]*>", html.replace(noscript[0], ""))
    assert len(stylesheets) == 1 and "css/site" in stylesheets[0], stylesheets
    assert (
        "@font-face"
        not in (ROOT / "static" / "css" / "site.css").read_text().split("css/portal.css ----", 1)[0]
    )
    # No script in the head: the portal's own is in the page, at the end of the body.
    assert "<script" not in head
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts == ["<script>"] and html.rstrip().endswith("</script>\n</body>\n</html>")
    assert "htmx.min.js" not in html  # nothing on a visitor's page polls or swaps
    for preload in re.findall(r"<link[^>]*rel=\"preload\"[^>]*>", head):
        assert 'as="font"' in preload and "crossorigin" in preload
    for img in re.findall(r"<img\b[^>]*>", html):
        assert " width=" in img and " height=" in img, img


def test_the_faces_never_hide_text():
    fonts = (ROOT / "static" / "vendor" / "punkt-assets" / "fonts.css").read_text()
    faces = re.findall(r"@font-face\s*\{[^}]*\}", fonts)
    assert len(faces) == 5
    assert all("font-display: swap" in face for face in faces)


def test_no_template_comment_runs_over_a_line():
    """Django's ``{# … #}`` ends on its own line; one that runs on is written into the page
    as text (in the head, it ends the head there and shows at the top of every page)."""
    open_comments = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "templates").rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert not open_comments, f"use {{% comment %}} for these: {open_comments}"


@pytest.mark.django_db
def test_the_head_holds_no_text():
    html = Client().get("/").content.decode()
    head = html.split("<head>", 1)[1].split("</head>", 1)[0]
    outside_tags = re.sub(
        r"<title>.*?</title>|<noscript>.*?</noscript>|<[^>]*>", "", head, flags=re.S
    )
    assert not outside_tags.strip(), outside_tags.strip()[:200]
