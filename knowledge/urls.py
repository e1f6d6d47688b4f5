from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("ansvar/", views.responsibility, name="responsibility"),
    path("intern/ansvar/", views.staff_responsibility, name="staff_responsibility"),
    path("intern/ansvar/medlemmer/ny/", views.staff_member_create, name="staff_member_create"),
    path("intern/ansvar/medlemmer/<int:pk>/", views.staff_member_edit, name="staff_member_edit"),
    path(
        "intern/ansvar/medlemmer/<int:pk>/fjern/",
        views.staff_member_delete,
        name="staff_member_delete",
    ),
    path("intern/ansvar/kontakter/ny/", views.staff_contact_create, name="staff_contact_create"),
    path("intern/ansvar/kontakter/<int:pk>/", views.staff_contact_edit, name="staff_contact_edit"),
    path(
        "intern/ansvar/kontakter/<int:pk>/fjern/",
        views.staff_contact_delete,
        name="staff_contact_delete",
    ),
]
