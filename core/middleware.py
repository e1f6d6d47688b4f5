"""Middleware every page shares: refuse input no page can use, and the headers every response
carries (Permissions-Policy, and ``Cache-Control: no-store`` where a page shows personal data).

The Content-Security-Policy itself comes from django-csp (``CONTENT_SECURITY_POLICY``).
"""

from importlib import import_module

from django.conf import settings
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

NUL = "\x00"


def _has_nul(values) -> bool:
    return any(NUL in value for value in values if isinstance(value, str))


class RefuseNulBytesMiddleware:
    """A NUL byte is never part of a real address, search or form: no text column can hold it
    (PostgreSQL refuses it outright), so it is turned away before any view or query sees it.

    In the path it answers 404 (no object has such a name); in the query string or a form field,
    400 with a page that says what was wrong (as for a form body that cannot be read at all). A
    session cookie holding one is treated as no session at all, so the visitor simply is signed
    out instead of meeting an error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
        if NUL in session_key and hasattr(request, "session"):
            engine = import_module(settings.SESSION_ENGINE)
            request.session = engine.SessionStore()
        if NUL in request.path_info:
            return self._refuse(request, status=404)
        try:
            refused = self._query_or_form_has_nul(request)
        except MultiPartParserError:
            # A form body that is not what its Content-Type says: nothing can be read from it.
            return self._refuse(request, status=400, unreadable=True)
        if refused:
            return self._refuse(request, status=400)
        return self.get_response(request)

    @staticmethod
    def _query_or_form_has_nul(request) -> bool:
        for data in (request.GET, _form_data(request)):
            for key, values in data.lists():
                if NUL in key or _has_nul(values):
                    return True
        return any(NUL in (f.name or "") for f in _files(request))

    @staticmethod
    def _refuse(request, *, status: int, unreadable: bool = False):
        context = {"status": status, "unreadable": unreadable}
        return render(request, "core/bad_input.html", context, status=status)


def _form_data(request):
    if request.method != "POST":
        return request.GET.__class__()
    return request.POST


def _files(request):
    if request.method != "POST":
        return []
    return [f for _, files in request.FILES.lists() for f in files]


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; ``Cache-Control: no-store`` on every page a browser
    or a proxy must not keep: what a signed-in person sees, what a secret link (a ``token`` in
    the address) shows, and the answer to any form sent with POST (it shows what was typed)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = getattr(settings, "PERMISSIONS_POLICY", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.permissions_policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.permissions_policy
        # A response that already says no-store (a private download) keeps its exact header.
        already_private = "no-store" in response.get("Cache-Control", "")
        if self._personal(request) and not already_private:
            add_never_cache_headers(response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if "token" in view_kwargs:
            request.reached_by_secret_link = True

    @staticmethod
    def _personal(request) -> bool:
        # Without a session cookie nobody is signed in; no need to load the session to know.
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES and getattr(
            getattr(request, "user", None), "is_authenticated", False
        )
        return bool(
            signed_in
            or getattr(request, "reached_by_secret_link", False)
            or request.method not in ("GET", "HEAD", "OPTIONS")
        )
