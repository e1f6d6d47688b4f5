"""Public pages for visitors who are not signed in, served from the cache.

``@cached_for_visitors(topics)`` on a public view keeps the page it renders in the cache under
a key of the address (host, path and query, which holds the language prefix), the active
language and the current data versions of the topics the page shows (``core.versions``). A
writing service bumps its topic when its transaction commits, so the next visitor's key is new
and the page is rendered again: a visitor never sees a page older than the data, and nothing
waits for a timeout. A page that also changes with the clock (coming events, a round that
opens) is given ``seconds``: it is rendered again at least that often.

What is never served from or put into the cache:

* anything but GET and HEAD, and any request of a signed-in person (their pages show their
  name, roles and own registrations);
* a request with messages waiting to be shown (they belong to that visitor alone);
* a response that is not a plain 200, sets a cookie of its own, or says ``private`` or
  ``no-store``.

Each form's CSRF token is taken out of the stored page and a token of the visitor's own is put
in when the page is served, so the visitor also gets their own CSRF cookie and every form on
the page (the language switch, a registration) keeps working. Turned off with
``PUBLIC_PAGE_CACHE = False`` (the test settings do, since factories write around the
services; the tests of this module turn it on).
"""

import hashlib
import re
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.cache import patch_vary_headers

from . import versions

# How long a page may stay when nothing but its data changes it: the version in its key
# retires it as soon as the data does; this only bounds what an unvisited page occupies.
DEFAULT_SECONDS = 24 * 60 * 60
HEADER = "X-Page-Cache"

_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(")')
_PLACEHOLDER = b"\x00csrf\x00"
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Security-Policy")


def _enabled() -> bool:
    return getattr(settings, "PUBLIC_PAGE_CACHE", True)


def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.user.is_authenticated:
        return False
    # Messages waiting for this visitor (a confirmation after a form) make the page theirs.
    return len(get_messages(request)) == 0


def _cacheable_response(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "")
    return "private" not in control and "no-store" not in control


def _key(request, topics: tuple[str, ...], seconds: int | None) -> str:
    stamp = versions.current(*topics) if topics else ()
    parts = [
        request.get_host(),
        request.get_full_path(),
        translation.get_language() or "",
        ",".join(map(str, stamp)),
    ]
    if seconds:
        import time

        parts.append(str(int(time.time() // seconds)))
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page:{digest}"


def _stored(response) -> dict:
    return {
        "content": _TOKEN.sub(rb"\1" + _PLACEHOLDER + rb"\2", response.content),
        "headers": {name: response[name] for name in _KEPT_HEADERS if response.has_header(name)},
    }


def _served(request, stored: dict) -> HttpResponse:
    content = stored["content"]
    if _PLACEHOLDER in content:
        content = content.replace(_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content)
    for name, value in stored["headers"].items():
        response[name] = value
    return response


def cached_for_visitors(*topics: str, seconds: int | None = None):
    """Serve the view's page to visitors who are not signed in from the cache, keyed by the
    data versions of ``topics`` (and renewed every ``seconds`` if given)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _enabled() or not _cacheable_request(request):
                return view(request, *args, **kwargs)
            key = _key(request, topics, seconds)
            stored = cache.get(key)
            if stored is not None:
                response = _served(request, stored)
                response[HEADER] = "hit"
            else:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                if not _cacheable_response(response):
                    return response
                cache.set(key, _stored(response), timeout=seconds or DEFAULT_SECONDS)
                response[HEADER] = "miss"
            # The same address gives a signed-in person another page: shared caches on the
            # way must not hand one to the other.
            patch_vary_headers(response, ("Cookie",))
            return response

        wrapped.page_cache_topics = topics  # what the page depends on, for the tests
        return wrapped

    return decorator
