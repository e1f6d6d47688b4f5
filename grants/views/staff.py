"""District staff pages: the case queue, case handling, decisions, rounds."""

urlpatterns: list = []
