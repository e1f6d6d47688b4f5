"""The search page: every source's best hits, or one source's hits page by page."""

from django import forms
from django.core.paginator import InvalidPage, Paginator
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from . import engine
from .sources import SOURCES, source

app_name = "search"

PER_SOURCE = 5
PAGE_SIZE = 20
MAX_LENGTH = 200


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=MAX_LENGTH,
        required=False,
        error_messages={
            "max_length": _("Write at most %(limit_value)d characters in the search."),
        },
    )
    type = forms.ChoiceField(
        label=_("Show"),
        choices=[("", _("Everything")), *((s.key, s.label) for s in SOURCES)],
        required=False,
    )


def _hits(src, qs):
    return [src.hit(obj) for obj in qs]


@require_safe
def search(request):
    form = SearchForm(request.GET or None)
    groups = []
    page = None
    chosen = None
    text = ""
    if form.is_valid():
        text = form.cleaned_data["q"].strip()
        chosen = source(form.cleaned_data["type"])
    if text and chosen is not None:
        matches = engine.match(chosen.queryset(request.user), text, chosen.fields)
        paginator = Paginator(matches, PAGE_SIZE)
        try:
            page = paginator.page(request.GET.get("side", 1))
        except (InvalidPage, ValueError, OverflowError):
            page = paginator.page(1)
        groups.append(
            {"source": chosen, "hits": _hits(chosen, page.object_list), "count": paginator.count}
        )
    elif text:
        for src in SOURCES:
            matches = engine.match(src.queryset(request.user), text, src.fields)
            hits = _hits(src, matches[:PER_SOURCE])
            groups.append({"source": src, "hits": hits, "count": matches.count()})
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "text": text,
            "groups": groups,
            "total": sum(g["count"] for g in groups),
            "page": page,
            "chosen": chosen,
            "full_text": engine.uses_full_text(),
        },
        status=400 if form.errors else 200,
    )


urlpatterns = [path("sok/", search, name="search")]
