from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("Participation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts.services import ERASE_HOOKS, EXPORT_SECTIONS

        from .export import participation_erase, participation_export

        EXPORT_SECTIONS["participation"] = participation_export
        ERASE_HOOKS["participation"] = participation_erase
