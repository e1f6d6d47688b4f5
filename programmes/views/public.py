"""Public pages of the handlingsprogram: the published version, a draft out for comments and
residents' comments on it, what changed between versions, and the published PDF."""

from django.urls import path

urlpatterns: list = []
