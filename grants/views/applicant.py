"""The applicant's pages: rounds, organisations, the application in steps, the case page."""

urlpatterns: list = []
