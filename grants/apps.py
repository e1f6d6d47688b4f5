from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Bomiljøtilskudd")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts.services import EXPORT_SECTIONS

        from .export import grants_export

        EXPORT_SECTIONS["grants"] = grants_export
