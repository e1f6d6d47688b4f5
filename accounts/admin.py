"""The secretariat's admin for users and roles. Every role given or taken away goes through
``accounts.services`` (``role_assign`` / ``role_revoke``), which writes the audit row."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import services
from .models import RoleAssignment, User


def _revoke(request, assignment: RoleAssignment) -> None:
    # The row as stored, not as the form may have edited it before it was marked for deletion.
    stored = RoleAssignment.objects.get(pk=assignment.pk)
    services.role_revoke(
        user=stored.user, role=stored.role, district=stored.district, actor=request.user
    )


def _assign(request, assignment: RoleAssignment) -> None:
    saved = services.role_assign(
        user=assignment.user,
        role=assignment.role,
        district=assignment.district,
        actor=request.user,
    )
    assignment.pk, assignment.granted_by, assignment.granted_at = (
        saved.pk,
        saved.granted_by,
        saved.granted_at,
    )


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    fields = ["role", "district", "granted_by", "granted_at"]
    readonly_fields = ["granted_by", "granted_at"]
    autocomplete_fields = ["district"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "date_joined", "last_login"]
    list_filter = ["is_active", "is_superuser", "role_assignments__role"]
    search_fields = ["email", "full_name"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal information"), {"fields": ("full_name",)}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined"]

    @transaction.atomic
    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleAssignment:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for assignment in formset.deleted_objects:
            _revoke(request, assignment)
        # A changed row is the old role taken away and the new one given.
        for assignment, _fields in formset.changed_objects:
            _revoke(request, assignment)
            _assign(request, assignment)
        for assignment in formset.new_objects:
            _assign(request, assignment)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "district", "granted_by", "granted_at"]
    list_filter = ["role", "district"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user", "district"]
    readonly_fields = ["granted_by", "granted_at"]

    # A role is given or taken away, never edited in place: each is one audited act.
    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        _assign(request, obj)

    def delete_model(self, request, obj):
        _revoke(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for assignment in queryset:
            _revoke(request, assignment)
