"""One page of a list, asked for by ``?side=N``: the one way every list in the portal pages.

A page shows a bounded number of rows whatever the number behind it, and does its work for the
rows it shows: the count and the slice run on the plain queryset, and ``prepare`` — the
annotations and prefetches a list renders (milestones done, sub-goals) — runs on the page's
rows only, so a list of 1,200 projects counts milestones for the 50 on the page, not for all.
A page number that is not a number is page 1, one past the end is the last page
(``Paginator.get_page``): nothing a visitor writes in the address gives an error. A page that
holds more than one list names each list's page by a parameter of its own (``param``), and
each list's page links keep the others' pages.
"""

from collections.abc import Callable

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def paginate(
    request,
    items,
    size: int,
    *,
    prepare: Callable[[QuerySet], QuerySet] | None = None,
    param: str = "side",
) -> tuple[Page, str]:
    """The page asked for and the rest of the query string, for the page links."""
    page = Paginator(items, size).get_page(request.GET.get(param))
    if prepare is not None:
        ids = list(page.object_list.values_list("pk", flat=True))
        rows = {row.pk: row for row in prepare(items.model.objects.filter(pk__in=ids))}
        page.object_list = [rows[pk] for pk in ids if pk in rows]
    query = request.GET.copy()
    query.pop(param, None)
    return page, query.urlencode()
