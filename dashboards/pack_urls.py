"""The board pack's routes, included by ``dashboards.urls`` (names live in its namespace)."""

urlpatterns: list = []
