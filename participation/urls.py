from .views import public, staff

app_name = "participation"

urlpatterns = public.urlpatterns + staff.urlpatterns
