from django.http import Http404
from django.shortcuts import render

from . import selectors
from .models import Area


def area_detail(request, slug: str):
    try:
        area = selectors.area_detail(slug=slug)
    except Area.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "areas/area_detail.html", {"area": area})
