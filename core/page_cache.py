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

The pages a process served last are also kept in its own memory (``_Recent``, bounded in
bytes), so a hit in the same worker costs the one query for the data versions and no trip to
the shared cache; their keys hold the versions too, so they are never out of date.

Each form's CSRF token is taken out of the stored page and a token of the visitor's own is put
in when the page is served, so the visitor also gets their own CSRF cookie and every form on
the page (the language switch, a registration) keeps working.

A page is stored compressed as well, for a browser that accepts gzip: the parts between the
tokens are deflated once, when the page is stored, each on its own, and served with the
visitor's token between them in an uncompressed block (``_gzip``). A hit costs a checksum of
the page, not a compression; and since no token is ever compressed, nor anything compressed
against one, the compressed length says nothing about a token (BREACH).

The cache is turned off with ``PUBLIC_PAGE_CACHE = False`` (the test settings do, since
factories write around the services; the tests of this module turn it on).
"""

import hashlib
import re
import struct
import threading
import zlib
from collections import OrderedDict
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
# The shape of a stored page; raised when it changes, so an entry of the old shape is not read.
FORMAT = 2

_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(")')
_PLACEHOLDER = b"\x00csrf\x00"
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Security-Policy")
# A gzip member's header: deflate, no name or time, no extra flags, the OS unknown (RFC 1952).
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"


class _Recent:
    """The pages this process served last, in front of the shared cache: a hit costs no round
    trip to Redis. A key holds the data versions, so an entry is never out of date, only no
    longer asked for; the oldest go first once ``limit`` bytes are held."""

    def __init__(self, limit: int):
        self.limit = limit
        self.size = 0
        self.entries: OrderedDict[str, dict] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> dict | None:
        with self.lock:
            stored = self.entries.get(key)
            if stored is not None:
                self.entries.move_to_end(key)
            return stored

    def put(self, key: str, stored: dict) -> None:
        size = _size(stored)
        if size > self.limit:
            return
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = stored
            self.size += size
            while self.size > self.limit:
                _, dropped = self.entries.popitem(last=False)
                self.size -= _size(dropped)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


_recent = _Recent(getattr(settings, "PUBLIC_PAGE_CACHE_LOCAL_BYTES", 16 * 1024 * 1024))


def forget() -> None:
    """Empty this process's memo of recent pages (with ``cache.clear()``, in tests)."""
    _recent.clear()


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
    return f"page:{FORMAT}:{digest}"


def _size(stored: dict) -> int:
    return len(stored["content"]) + sum(map(len, stored["deflated"]))


def _deflated_parts(content: bytes) -> list[bytes]:
    """The parts of ``content`` between its token placeholders, each deflated on its own: all
    but the last end on a byte boundary and leave the stream open (a sync flush), the last
    closes it."""
    parts = content.split(_PLACEHOLDER)
    deflated = []
    for index, part in enumerate(parts):
        compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        last = index == len(parts) - 1
        deflated.append(
            compressor.compress(part)
            + compressor.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)
        )
    return deflated


def _gzip(deflated: list[bytes], token: bytes, content: bytes) -> bytes:
    """The page as one gzip member: the deflated parts with ``token`` between them, each time
    in a stored (uncompressed) block, and the checksum and length of ``content``, the page
    with the token in."""
    block = b"\x00" + struct.pack("<HH", len(token), len(token) ^ 0xFFFF) + token
    body = block.join(deflated)
    trailer = struct.pack("<II", zlib.crc32(content), len(content) & 0xFFFFFFFF)
    return _GZIP_HEADER + body + trailer


def _stored(response) -> dict:
    content = _TOKEN.sub(rb"\1" + _PLACEHOLDER + rb"\2", response.content)
    return {
        "content": content,
        "deflated": _deflated_parts(content),
        "headers": {name: response[name] for name in _KEPT_HEADERS if response.has_header(name)},
    }


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether a request's ``Accept-Encoding`` allows gzip (RFC 9110, 12.5.3): named with a
    weight above zero (``x-gzip`` is its old name), or left to ``*`` with a weight above zero;
    ``gzip;q=0`` refuses it. A weight that is no number counts as refused."""
    weights: dict[str, float] = {}
    for item in accept_encoding.split(","):
        coding, _, params = item.partition(";")
        coding = coding.strip().lower()
        if not coding:
            continue
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value.strip())
                except ValueError:
                    weight = 0.0
        weights["gzip" if coding == "x-gzip" else coding] = weight
    if "gzip" in weights:
        return weights["gzip"] > 0
    return weights.get("*", 0.0) > 0


def _fill(request, response: HttpResponse, stored: dict) -> HttpResponse:
    """``response`` holding the stored page with the visitor's token, compressed if their
    browser accepts gzip."""
    content = stored["content"]
    token = b""
    if _PLACEHOLDER in content:
        token = get_token(request).encode()
        content = content.replace(_PLACEHOLDER, token)
    if accepts_gzip(request.headers.get("Accept-Encoding", "")):
        response.content = _gzip(stored["deflated"], token, content)
        response["Content-Encoding"] = "gzip"
    else:
        response.content = content
    return response


def _served(request, stored: dict) -> HttpResponse:
    response = HttpResponse()
    for name, value in stored["headers"].items():
        response[name] = value
    return _fill(request, response, stored)


def cached_for_visitors(*topics: str, seconds: int | None = None):
    """Serve the view's page to visitors who are not signed in from the cache, keyed by the
    data versions of ``topics`` (and renewed every ``seconds`` if given)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _enabled() or not _cacheable_request(request):
                return view(request, *args, **kwargs)
            key = _key(request, topics, seconds)
            stored = _recent.get(key)
            if stored is None:
                stored = cache.get(key)
                if stored is not None:
                    _recent.put(key, stored)
            if stored is not None:
                response = _served(request, stored)
                response[HEADER] = "hit"
            else:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                if not _cacheable_response(response):
                    return response
                stored = _stored(response)
                cache.set(key, stored, timeout=seconds or DEFAULT_SECONDS)
                _recent.put(key, stored)
                # The first visitor gets the page as every later one will (compressed too).
                response = _fill(request, response, stored)
                response[HEADER] = "miss"
            # The same address gives a signed-in person another page: shared caches on the
            # way must not hand one to the other.
            patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
            return response

        wrapped.page_cache_topics = topics  # what the page depends on, for the tests
        return wrapped

    return decorator
