from .views import (
    public,
    public_inputs,
    public_registrations,
    staff_events,
    staff_exports,
    staff_inputs,
)

app_name = "participation"

# ``public_registrations`` comes first: its "medvirkning/mine/" would otherwise be read as the
# page of an event with the slug "mine".
urlpatterns = (
    public_registrations.urlpatterns
    + public.urlpatterns
    + public_inputs.urlpatterns
    + staff_exports.urlpatterns
    + staff_events.urlpatterns
    + staff_inputs.urlpatterns
)
