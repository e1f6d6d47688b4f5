from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class PortalAdminSite(admin.AdminSite):
    """The admin belongs to the secretariat (and superusers), not to Django's is_staff flag."""

    site_header = _("Områdeløft – administration")
    site_title = _("Områdeløft administration")
    index_title = _("Reference data, users and roles")

    def has_permission(self, request) -> bool:
        from accounts.permissions import is_secretariat

        return request.user.is_active and is_secretariat(request.user)
