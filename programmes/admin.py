"""The secretariat's admin for handlingsprogram.

Programmes are written on the staff pages, through the services and the workflow table; here
they, their versions, PDFs and history are only shown. Two things can be done: render the PDF
of every area's programme for a year (the same service as ``manage.py render_programmes``), and
try a failed PDF again. Nothing is added, changed or deleted here.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin import ReadOnlyMixin

from .models import (
    ActionProgramme,
    Measure,
    ProgrammeChange,
    ProgrammeGoal,
    ProgrammeVersion,
    Rendering,
)
from .services.rendering import rendering_retry, renderings_request_year

R = Rendering.Status


class GoalInline(ReadOnlyMixin, admin.TabularInline):
    model = ProgrammeGoal
    extra = 0
    fields = ["sub_goal", "local_goal", "strategies"]
    readonly_fields = fields


class MeasureInline(ReadOnlyMixin, admin.TabularInline):
    model = Measure
    extra = 0
    fields = ["position", "project", "comment"]
    readonly_fields = fields


class VersionInline(ReadOnlyMixin, admin.TabularInline):
    model = ProgrammeVersion
    extra = 0
    fields = ["number", "adopted_at", "adopted_by", "published_at", "rendering"]
    readonly_fields = fields


@admin.register(ActionProgramme)
class ActionProgrammeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["area", "year", "status", "version", "participation_step", "updated_at"]
    list_filter = ["year", "status", "area__district"]
    search_fields = ["area__name"]
    list_select_related = ["area__district"]
    inlines = [GoalInline, MeasureInline, VersionInline]
    actions = ["render_years"]

    @admin.action(description=gettext_lazy("Render the PDF of every area for the selected years"))
    def render_years(self, request, queryset):
        """Every area's programme for each year among the selected programmes: select one
        programme of 2027 (or filter by year and select all) to render all of 2027."""
        for year in sorted(set(queryset.values_list("year", flat=True))):
            outcome = renderings_request_year(actor=request.user, year=year)
            queued = outcome.with_status(R.QUEUED) + outcome.with_status(R.RENDERING)
            if queued:
                self.message_user(
                    request,
                    _("%(year)s: the PDF is being made for %(areas)s.")
                    % {"year": year, "areas": _names(queued)},
                    messages.SUCCESS,
                )
            ready = outcome.with_status(R.READY)
            if ready:
                self.message_user(
                    request,
                    _("%(year)s: unchanged since the last PDF, not rendered again: %(areas)s.")
                    % {"year": year, "areas": _names(ready)},
                    messages.INFO,
                )
            if outcome.areas_without_programme:
                self.message_user(
                    request,
                    _("%(year)s: no programme written for %(areas)s.")
                    % {"year": year, "areas": ", ".join(outcome.areas_without_programme)},
                    messages.WARNING,
                )


def _names(pairs) -> str:
    return ", ".join(programme.area.name for programme, _rendering in pairs)


@admin.register(Rendering)
class RenderingAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["programme", "status", "renders", "page_count", "requested_at", "finished_at"]
    list_filter = ["status", "programme__year"]
    search_fields = ["programme__area__name", "content_hash"]
    list_select_related = ["programme__area"]
    fields = [
        "programme",
        "status",
        "content_hash",
        "pdf_file",
        "page_count",
        "renders",
        "error",
        "requested_at",
        "requested_by",
        "started_at",
        "finished_at",
    ]
    readonly_fields = fields
    actions = ["retry_failed"]

    @admin.display(description=gettext_lazy("PDF"))
    def pdf_file(self, rendering) -> str:
        # A private file has no address; staff download it from the programme's page.
        return rendering.pdf.name or "–"

    @admin.action(description=gettext_lazy("Try the selected failed PDFs again"))
    def retry_failed(self, request, queryset):
        retried = [
            rendering_retry(rendering=rendering, actor=request.user)
            for rendering in queryset.filter(status=R.FAILED).select_related("programme__area")
        ]
        self.message_user(
            request,
            _("Queued again: %(renderings)s.")
            % {"renderings": ", ".join(str(r) for r in retried) or "–"},
            messages.SUCCESS if retried else messages.WARNING,
        )


@admin.register(ProgrammeVersion)
class ProgrammeVersionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["programme", "number", "adopted_at", "adopted_by", "published_at"]
    list_filter = ["programme__year"]
    list_select_related = ["programme__area", "adopted_by"]
    exclude = ["content"]
    readonly_fields = ["programme", "number", "rendering", "adopted_at", "adopted_by"]


@admin.register(ProgrammeChange)
class ProgrammeChangeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "programme", "actor", "action"]
    list_filter = ["action"]
    list_select_related = ["programme__area", "actor"]
    fields = ["at", "programme", "actor", "action", "data"]
    readonly_fields = fields
