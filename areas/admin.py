from django.contrib import admin

from core import versions
from core.admin import BumpsDataVersionMixin

from .models import Area, District, MainGoal, Programme, SubGoal, SubProgramme, TargetZone


@admin.register(Programme)
class ProgrammeAdmin(BumpsDataVersionMixin, admin.ModelAdmin):
    data_topics = (versions.AREAS,)

    list_display = ["name", "end_year", "sort_order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(SubProgramme)
class SubProgrammeAdmin(BumpsDataVersionMixin, admin.ModelAdmin):
    data_topics = (versions.AREAS,)

    list_display = ["name", "served", "sort_order"]
    list_filter = ["served"]
    filter_horizontal = ["programmes"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(MainGoal)
class MainGoalAdmin(BumpsDataVersionMixin, admin.ModelAdmin):
    data_topics = (versions.AREAS,)

    list_display = ["__str__", "sort_order"]


@admin.register(SubGoal)
class SubGoalAdmin(BumpsDataVersionMixin, admin.ModelAdmin):
    data_topics = (versions.AREAS,)

    list_display = ["number", "title", "sub_programme"]
    list_filter = ["sub_programme"]
    search_fields = ["title", "description"]


@admin.register(District)
class DistrictAdmin(BumpsDataVersionMixin, admin.ModelAdmin):
    data_topics = (versions.AREAS,)

    list_display = ["name", "number", "programme"]
    list_filter = ["programme"]
    search_fields = ["name", "number"]
    prepopulated_fields = {"slug": ["name"]}


class TargetZoneInline(admin.StackedInline):
    model = TargetZone
    extra = 0


@admin.register(Area)
class AreaAdmin(BumpsDataVersionMixin, admin.ModelAdmin):
    data_topics = (versions.AREAS,)

    list_display = ["name", "district", "start_year", "end_year", "phase", "is_published"]
    list_filter = ["district", "phase", "is_published", "sub_programme"]
    search_fields = ["name", "summary", "description"]
    filter_horizontal = ["sub_goals"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TargetZoneInline]
