"""Helpers the staff view modules share: who may open staff pages at all, fetching an event or
an input through the user's scope, and writing
CSV. No views and no URLs here.

The order of the checks is the house rule: no staff role is a 403, out of scope a 404, in scope
but not allowed a 403.
"""

import csv

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse

from core.csv import spreadsheet_cell
from core.files import protect_download
from core.pagination import paginate as core_paginate

from .. import permissions, selectors
from ..models import Event, Input

PAGE_SIZE = 25


def staff_user(request):
    if not permissions.can_view_staff_pages(request.user):
        raise PermissionDenied
    return request.user


def get_event(request, slug: str) -> Event:
    staff_user(request)
    try:
        return selectors.staff_event(request.user, slug)
    except Event.DoesNotExist as exc:
        raise Http404 from exc


def get_input(request, pk: int) -> Input:
    staff_user(request)
    try:
        return selectors.staff_input(request.user, pk)
    except Input.DoesNotExist as exc:
        raise Http404 from exc


def paginate(request, queryset):
    """The page asked for (``?side=``) and the rest of the query string for the page links."""
    return core_paginate(request, queryset, PAGE_SIZE)


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    protect_download(response)
    response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow([str(h) for h in header])
    for row in rows:
        writer.writerow([spreadsheet_cell(value) for value in row])
    return response
