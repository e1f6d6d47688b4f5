from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import RoleAssignment, User


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

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for instance in instances:
            if isinstance(instance, RoleAssignment) and instance.granted_by_id is None:
                instance.granted_by = request.user
            instance.save()
        formset.save_m2m()


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "district", "granted_by", "granted_at"]
    list_filter = ["role", "district"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user", "district"]
    readonly_fields = ["granted_by", "granted_at"]

    def save_model(self, request, obj, form, change):
        if obj.granted_by_id is None:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)
