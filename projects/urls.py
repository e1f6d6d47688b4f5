from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("prosjekter/apne-data.json", views.open_data_json, name="open_data_json"),
    path("prosjekter/apne-data.csv", views.open_data_csv, name="open_data_csv"),
    path("prosjekter/<slug:slug>/", views.project_detail, name="detail"),
    path("intern/prosjekter/", views.staff_list, name="staff_list"),
    path("intern/prosjekter/ny/", views.staff_create, name="staff_create"),
    path("intern/prosjekter/<slug:slug>/", views.staff_detail, name="staff_detail"),
    path("intern/prosjekter/<slug:slug>/endre/", views.staff_edit, name="staff_edit"),
    path("intern/prosjekter/<slug:slug>/historikk/", views.staff_history, name="staff_history"),
    path("intern/prosjekter/<slug:slug>/milepeler/", views.milestone_add, name="milestone_add"),
    path(
        "intern/prosjekter/<slug:slug>/milepeler/<int:pk>/ferdig/",
        views.milestone_done,
        name="milestone_done",
    ),
    path("intern/prosjekter/<slug:slug>/indikatorer/", views.indicator_add, name="indicator_add"),
    path(
        "intern/prosjekter/<slug:slug>/indikatorer/<int:pk>/malinger/",
        views.indicator_value_add,
        name="indicator_value_add",
    ),
    path("intern/prosjekter/<slug:slug>/oppdateringer/", views.update_add, name="update_add"),
    path("intern/prosjekter/<slug:slug>/budsjett/", views.budget_set, name="budget_set"),
    path("intern/prosjekter/<slug:slug>/partnere/", views.partner_add, name="partner_add"),
    path("intern/prosjekter/<slug:slug>/bilder/", views.image_add, name="image_add"),
]
