"""The portal's URLs and the benchmark's two floor pages.

* ``/_bench/trivial/``: a view that returns a few bytes through the whole middleware chain;
* ``/_bench/bare/``: a complete HTML page with one heading and one paragraph, no stylesheet,
  no font, no script: what a browser can paint at best from this server (Lighthouse's floor);
* ``/_bench/pace/``: a fixed amount of template rendering and no data (a few milliseconds), the
  machine's pace in a run: the scales are served one after the other, and a shared machine can
  run faster or slower between them. The trivial view answers in under a millisecond, too little
  to tell a machine's pace from the jitter of one wake-up.
"""

from django.http import HttpResponse
from django.template import Context, Engine
from django.urls import path

from omradelos.urls import urlpatterns as portal_urlpatterns

BARE_PAGE = """<!doctype html>
<html lang="nb"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Områdeløft</title></head>
<body><main><h1>Områdeløft i Oslo</h1>
<p>Områdeløft er et samarbeid mellom staten og Oslo kommune om å bedre bomiljøet i utvalgte
områder, sammen med dem som bor der.</p></main></body></html>
"""


# Rows of a list with the filters the portal's pages use most; the same work on every call.
PACE_TEMPLATE = Engine().from_string(
    "{% for row in rows %}<li class='row{{ forloop.counter|divisibleby:2|yesno:\" even,\" }}'>"
    "{{ row.title|title }}: {{ row.amount|floatformat:2 }} kr, {{ row.text|truncatewords:8 }}"
    "{% if row.done %} ✓{% endif %}</li>{% endfor %}"
)
PACE_ROWS = [
    {"title": f"rad nummer {n}", "amount": n * 1234.5, "text": "ord " * 20, "done": n % 3 == 0}
    for n in range(150)
]


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


def bare(request):
    return HttpResponse(BARE_PAGE)


def pace(request):
    rendered = PACE_TEMPLATE.render(Context({"rows": PACE_ROWS}))
    return HttpResponse(str(len(rendered)), content_type="text/plain")


urlpatterns = [
    path("_bench/trivial/", trivial, name="bench_trivial"),
    path("_bench/bare/", bare, name="bench_bare"),
    path("_bench/pace/", pace, name="bench_pace"),
    *portal_urlpatterns,
]
