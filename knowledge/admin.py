"""The secretariat's admin of the programme's knowledge. A lesson's and a recipe's status is
changed on the staff pages only, where the workflow checks it and writes the history. Every
save raises the knowledge data version, so the public pages that show it are rendered anew."""

from django.contrib import admin

from core import versions
from core.admin import BumpsDataVersionMixin, NoDeleteMixin

from .models import Contact, Document, Lesson, Member, Recipe


@admin.register(Member)
class MemberAdmin(BumpsDataVersionMixin, admin.ModelAdmin):
    data_topics = (versions.KNOWLEDGE,)
    list_display = ["organisation", "body", "role", "person_name", "sort_order"]
    list_filter = ["body", "role"]
    search_fields = ["organisation", "person_name"]


@admin.register(Contact)
class ContactAdmin(BumpsDataVersionMixin, admin.ModelAdmin):
    data_topics = (versions.KNOWLEDGE,)
    list_display = ["name", "role", "organisation", "district", "area"]
    list_filter = ["district"]
    search_fields = ["name", "role", "organisation", "email"]
    list_select_related = ["district", "area"]


@admin.register(Document)
class DocumentAdmin(BumpsDataVersionMixin, NoDeleteMixin, admin.ModelAdmin):
    data_topics = (versions.KNOWLEDGE,)
    list_display = ["title", "kind", "year", "language", "is_public", "district", "area"]
    list_filter = ["kind", "is_public", "language", "year"]
    search_fields = ["title", "summary"]
    list_select_related = ["district", "area"]
    # The PDF is private (no URL): it is replaced on the staff pages, which read its text.
    readonly_fields = ["filename", "size", "programme_version", "uploaded_by"]
    exclude = ["text", "file"]


@admin.register(Lesson)
class LessonAdmin(BumpsDataVersionMixin, NoDeleteMixin, admin.ModelAdmin):
    data_topics = (versions.KNOWLEDGE,)
    list_display = ["title", "project", "status", "published_at"]
    list_filter = ["status", "sub_goals", "methods"]
    search_fields = ["title", "worked", "did_not_work", "advice", "project__title"]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]
    filter_horizontal = ["sub_goals", "methods"]
    readonly_fields = ["status", "published_at", "written_by"]


@admin.register(Recipe)
class RecipeAdmin(BumpsDataVersionMixin, NoDeleteMixin, admin.ModelAdmin):
    data_topics = (versions.KNOWLEDGE,)
    list_display = ["title", "district", "status", "published_at"]
    list_filter = ["status", "district"]
    search_fields = ["title", "summary", "ingredients", "steps"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["projects"]
    readonly_fields = ["status", "published_at", "created_by"]
