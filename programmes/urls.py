from .views import public, staff

app_name = "programmes"

urlpatterns = [*public.urlpatterns, *staff.urlpatterns]
