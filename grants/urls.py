from .views import applicant, staff

app_name = "grants"

urlpatterns = applicant.urlpatterns + staff.urlpatterns
