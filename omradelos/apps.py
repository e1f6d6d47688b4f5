from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class OmradelosConfig(AppConfig):
    default = True
    name = "omradelos"
    verbose_name = _("Områdeløft portal")


class PortalAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "omradelos.admin_site.PortalAdminSite"
