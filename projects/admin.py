from django.contrib import admin

from core import versions
from core.admin import BumpsDataVersionMixin

from . import tallies
from .models import (
    BudgetLine,
    Indicator,
    IndicatorValue,
    Milestone,
    Partner,
    Project,
    ProjectChange,
    ProjectImage,
    StatusUpdate,
)


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0


class ImageInline(admin.StackedInline):
    model = ProjectImage
    extra = 0


class BudgetInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class ChangeInline(admin.TabularInline):
    """History is append-only: shown, never edited."""

    model = ProjectChange
    extra = 0
    can_delete = False
    fields = ["at", "actor", "action", "data", "changes"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RefreshesTalliesMixin:
    """An admin of projects and their budget lines: each save and delete counts the tallies
    again (``projects.tallies``), in the same transaction (every area: a save here may move a
    project, and the secretariat's edits are few)."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        tallies.refresh_all()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        tallies.refresh_all()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        tallies.refresh_all()


@admin.register(Project)
class ProjectAdmin(RefreshesTalliesMixin, BumpsDataVersionMixin, admin.ModelAdmin):
    data_topics = (versions.PROJECTS,)

    list_display = ["title", "area", "status", "participation_step", "is_public"]
    list_filter = ["status", "participation_step", "is_public", "area__district"]
    search_fields = ["title", "summary"]
    readonly_fields = ["slug", "created_at", "updated_at"]
    filter_horizontal = ["sub_goals"]
    inlines = [PartnerInline, ImageInline, BudgetInline, MilestoneInline, ChangeInline]


class ValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(BumpsDataVersionMixin, admin.ModelAdmin):
    data_topics = (versions.PROJECTS,)

    list_display = ["name", "unit", "project"]
    search_fields = ["name", "project__title"]
    inlines = [ValueInline]


@admin.register(StatusUpdate)
class StatusUpdateAdmin(BumpsDataVersionMixin, admin.ModelAdmin):
    data_topics = (versions.PROJECTS,)

    list_display = ["project", "date", "is_public", "author"]
    list_filter = ["is_public"]
