from django.urls import include, path

from . import views

app_name = "dashboards"

urlpatterns = [
    # GET filters on every page: year, sub_programme, district, area, sub_goal (pks).
    path("intern/styring/", views.programme, name="programme"),
    path("intern/styring/eksport/<slug:key>.<str:fmt>", views.export, name="export"),
    path("intern/styring/bydel/<slug:slug>/", views.district, name="district"),
    path(
        "intern/styring/bydel/<slug:slug>/eksport/<slug:key>.<str:fmt>",
        views.district_export,
        name="district_export",
    ),
    # The board pack's routes (its own module).
    path("", include("dashboards.pack_urls")),
]
