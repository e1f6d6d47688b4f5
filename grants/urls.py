from .views import (
    applicant,
    application_steps,
    files,
    letters,
    organisations,
    rounds,
    staff,
    staff_case,
)

app_name = "grants"

# No two of these patterns match the same path, so none shadows another whatever the order.
urlpatterns = (
    rounds.urlpatterns
    + application_steps.urlpatterns
    + organisations.urlpatterns
    + applicant.urlpatterns
    + staff.urlpatterns
    + staff_case.urlpatterns
    + files.urlpatterns
    + letters.urlpatterns
)
