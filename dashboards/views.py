"""The programme and district dashboards (pages, exports)."""

from django.http import Http404


def programme(request):
    raise Http404


def district(request, slug: str):
    raise Http404


def export(request, key: str, fmt: str):
    raise Http404


def district_export(request, slug: str, key: str, fmt: str):
    raise Http404
