"""``{% inline_script "js/portal.js" %}`` and ``{% data_uri "favicon.svg" %}``: the files of
``core.inline_assets`` written into the page (the script allowed by its hash in the CSP)."""

from django import template
from django.utils.safestring import mark_safe

from core import inline_assets

register = template.Library()


@register.simple_tag
def inline_script(path: str) -> str:
    path = path.encode().decode()  # a plain string, not the template's SafeString
    # The project's own file, written as it is: its hash is what the CSP allows.
    text = inline_assets.source(path) if path in inline_assets.SCRIPTS else None
    if text is None:
        raise template.TemplateSyntaxError(f"{path} is not an inline script")
    return mark_safe(f"<script>{text}</script>")  # nosec B308 B703 - a file of the project


@register.simple_tag
def data_uri(path: str) -> str:
    return inline_assets.data_uri(path.encode().decode())
