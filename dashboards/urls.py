from django.urls import include, path

app_name = "dashboards"

urlpatterns = [
    # The board pack's routes (its own module).
    path("", include("dashboards.pack_urls")),
]
