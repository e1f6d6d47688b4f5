from django.urls import path

from . import views

app_name = "areas"

urlpatterns = [
    path("<slug:slug>/", views.area_detail, name="detail"),
]
