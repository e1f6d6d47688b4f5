"""The long lists of a programme page, a page of each at a time.

A programme of a large area holds hundreds of measures, and its results hundreds of indicators
and completed projects. The public page and the staff preview show each of those lists a page
at a time, each named by a parameter of its own (``?tiltak-side=3``), so the page's size and
the work of drawing it stay the same whatever the area holds; the contents list names the
measures on the page shown. The PDF holds them all (it does not use this).
"""

from core.pagination import paginate

MEASURES_PER_PAGE = 20
RESULTS_PER_PAGE = 10

# (context name, the list in the composition, its page parameter, rows a page, its anchor)
LISTS = (
    ("measure_page", ("measures",), "tiltak-side", MEASURES_PER_PAGE, "tiltak"),
    (
        "completed_page",
        ("results", "projects_completed"),
        "ferdige-side",
        RESULTS_PER_PAGE,
        "ferdige-prosjekter",
    ),
    (
        "indicator_page",
        ("results", "indicators"),
        "indikator-side",
        RESULTS_PER_PAGE,
        "indikatorer",
    ),
)


def _items(content: dict, keys: tuple[str, ...]) -> list:
    value = content
    for key in keys:
        value = (value or {}).get(key)
    return value or []


def content_pages(request, content: dict) -> dict:
    """The context the content partial pages its lists by: for each list, its page, the query
    string its page links keep, the parameter and the anchor."""
    context = {}
    for name, keys, param, size, anchor in LISTS:
        page, query = paginate(request, _items(content, keys), size, param=param)
        context[name] = page
        context[f"{name}_links"] = {"query": query, "param": param, "anchor": anchor}
    return context


def measure_url(programme, number: int) -> str:
    """The public page's address of measure ``number``: on the page of measures that holds it."""
    page = (max(number, 1) - 1) // MEASURES_PER_PAGE + 1
    query = f"?tiltak-side={page}" if page > 1 else ""
    return f"{programme.get_absolute_url()}{query}#tiltak-{number}"
