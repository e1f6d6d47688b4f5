"""The portal's URLs and the benchmark's two floor pages.

* ``/_bench/trivial/``: a view that returns a few bytes through the whole middleware chain;
* ``/_bench/bare/``: a complete HTML page with one heading and one paragraph, no stylesheet,
  no font, no script: what a browser can paint at best from this server (Lighthouse's floor).
"""

from django.http import HttpResponse
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


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


def bare(request):
    return HttpResponse(BARE_PAGE)


urlpatterns = [
    path("_bench/trivial/", trivial, name="bench_trivial"),
    path("_bench/bare/", bare, name="bench_bare"),
    *portal_urlpatterns,
]
