from .views import comments_staff, public, staff

app_name = "programmes"

urlpatterns = [*public.urlpatterns, *staff.urlpatterns, *comments_staff.urlpatterns]
