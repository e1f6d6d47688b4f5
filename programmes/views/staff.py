"""Staff pages of the handlingsprogram: the list, starting one, writing it, its actions and
the PDF's progress."""

from django.urls import path

urlpatterns: list = []
