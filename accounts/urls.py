from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("profil/eksport/", views.export, name="export"),
    path("profil/slett/", views.delete, name="delete"),
]
