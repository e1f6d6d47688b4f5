"""Admin pieces every app's admin shares, and the audit of rule changes."""

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from . import versions
from .models import AuditEntry


class BumpsDataVersionMixin:
    """An admin whose saves and deletes change what is cached (the dashboards' figures, the
    public pages): each one raises the data version of ``data_topics`` (``core.versions``)."""

    data_topics: tuple[str, ...] = ()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        versions.bump(*self.data_topics)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        versions.bump(*self.data_topics)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        versions.bump(*self.data_topics)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        versions.bump(*self.data_topics)


class NoDeleteMixin:
    """A public record, or something records point at: never hard-deleted."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyMixin(NoDeleteMixin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class AuditEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The audit of rule changes, for the secretariat to read: filter by what was done, to
    which kind of object, by whom and when. Nothing can be added, changed or deleted."""

    list_display = ["at", "actor", "action", "target_type", "target_repr", "changes_text"]
    list_filter = ["action", "target_type", ("at", admin.DateFieldListFilter)]
    search_fields = ["target_repr", "actor__email", "action"]
    date_hierarchy = "at"
    list_select_related = ["actor", "target_type"]
    fields = ["at", "actor", "action", "target_type", "target_id", "target_repr", "changes_text"]
    readonly_fields = fields

    @admin.display(description=_("old → new"))
    def changes_text(self, entry) -> str:
        # One line a rule; every value is escaped by format_html_join.
        return format_html_join(
            "",
            "{}: {} → {}<br>",
            (
                (name, _audit_value(pair[0]), _audit_value(pair[1]))
                for name, pair in sorted(entry.changes.items())
            ),
        )


def _audit_value(value) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


admin.site.register(AuditEntry, AuditEntryAdmin)
