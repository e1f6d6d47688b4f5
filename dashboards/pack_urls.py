"""The board pack's routes, included by ``dashboards.urls`` (names live in its namespace)."""

from django.urls import path

from . import pack_views

urlpatterns = [
    # POST with the dashboard's filters (year, sub_programme, district, area, sub_goal).
    path("intern/styring/styrepakke/", pack_views.pack_request, name="pack_request"),
    path(
        "intern/styring/bydel/<slug:slug>/styrepakke/",
        pack_views.district_pack_request,
        name="district_pack_request",
    ),
    path("intern/styring/styrepakke/<int:pk>/", pack_views.pack_status, name="pack_status"),
    path(
        "intern/styring/styrepakke/<int:pk>/last-ned/",
        pack_views.pack_download,
        name="pack_download",
    ),
]
