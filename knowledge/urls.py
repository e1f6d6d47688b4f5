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
    path("dokumenter/", views.archive, name="archive"),
    path("dokumenter/<int:pk>/", views.document_detail, name="document_detail"),
    path("dokumenter/<int:pk>/fil/", views.document_file, name="document_file"),
    path("intern/dokumenter/", views.staff_archive, name="staff_archive"),
    path("intern/dokumenter/ny/", views.staff_document_create, name="staff_document_create"),
    path("intern/dokumenter/<int:pk>/", views.staff_document, name="staff_document"),
    path(
        "intern/dokumenter/<int:pk>/endre/",
        views.staff_document_edit,
        name="staff_document_edit",
    ),
    path(
        "intern/dokumenter/<int:pk>/fil/",
        views.staff_document_file,
        name="staff_document_file",
    ),
]

urlpatterns += [
    path("erfaringer/", views.lessons, name="lessons"),
    path("erfaringer/<int:pk>/", views.lesson_detail, name="lesson_detail"),
    path("intern/erfaringer/", views.staff_lessons, name="staff_lessons"),
    path("intern/erfaringer/<int:pk>/", views.staff_lesson, name="staff_lesson"),
    path("intern/erfaringer/<int:pk>/endre/", views.staff_lesson_edit, name="staff_lesson_edit"),
    path(
        "intern/erfaringer/<int:pk>/publiser/",
        views.staff_lesson_publish,
        name="staff_lesson_publish",
    ),
    path(
        "intern/erfaringer/<int:pk>/gjor-intern/",
        views.staff_lesson_unpublish,
        name="staff_lesson_unpublish",
    ),
    path(
        "intern/prosjekter/<slug:slug>/erfaringer/ny/",
        views.staff_lesson_create,
        name="staff_lesson_create",
    ),
    path("oppskrifter/", views.recipes, name="recipes"),
    path("oppskrifter/<slug:slug>/", views.recipe_detail, name="recipe_detail"),
    path("intern/oppskrifter/", views.staff_recipes, name="staff_recipes"),
    path("intern/oppskrifter/ny/", views.staff_recipe_create, name="staff_recipe_create"),
    path("intern/oppskrifter/<slug:slug>/", views.staff_recipe, name="staff_recipe"),
    path(
        "intern/oppskrifter/<slug:slug>/endre/",
        views.staff_recipe_edit,
        name="staff_recipe_edit",
    ),
    path(
        "intern/oppskrifter/<slug:slug>/publiser/",
        views.staff_recipe_publish,
        name="staff_recipe_publish",
    ),
    path(
        "intern/oppskrifter/<slug:slug>/til-utkast/",
        views.staff_recipe_unpublish,
        name="staff_recipe_unpublish",
    ),
]
