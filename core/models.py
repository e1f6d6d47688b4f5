"""What every app shares in the database: append-only rows, and the audit of rule changes."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyQuerySet(models.QuerySet):
    """Rows written once. A bulk delete or update never calls the model's ``save``/``delete``,
    so they are refused here too."""

    def delete(self):
        raise ValueError(f"{self.model.__name__} rows are append-only.")

    def update(self, **kwargs):
        raise ValueError(f"{self.model.__name__} rows are append-only.")

    def erase_personal_data(self, **fields) -> int:
        """The one rewrite a record allows: a deleted person's details replaced by anonymous
        ones (GDPR art. 17), keeping what was done and when."""
        return super().update(**fields)


class AppendOnly(models.Model):
    """A record — case history, project and participation history, the audit — written once
    and never changed or deleted afterwards."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError(f"{type(self).__name__} rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{type(self).__name__} rows are append-only.")


class AuditEntry(AppendOnly):
    """One change to a rule of the portal (a role, a grant round's rules): who, when, what,
    and each field's old and new value as codes. Written by ``core.audit.audit_record`` in the
    changing service's transaction; never changed or deleted afterwards."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=40, db_index=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("object type")
    )
    target_id = models.CharField(_("object id"), max_length=40)
    target_repr = models.CharField(_("object"), max_length=200)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class DataVersion(models.Model):
    """A counter per topic of data (``core.versions``): the services that write the topic's
    rows raise it after their transaction commits, and caches of figures computed from the
    topic are keyed by it, so a change makes them miss instead of showing stale figures."""

    topic = models.CharField(max_length=40, primary_key=True)
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.topic}: {self.version}"
