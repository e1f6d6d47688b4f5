"""The board pack: the dashboard for chosen filters as a tagged PDF, for the board's papers.

A ``BoardPack`` row is the job, as a programme's ``Rendering`` is: who asked, for which filters
and scope, the figures as they were taken (``content``, the snapshot the PDF is made from, and
``taken_at``, when they were computed), its state, and the file in private storage. The
snapshot's hash names the row, so asking again for the same figures returns the same PDF and
nothing is rendered twice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.storages import private_storage


class BoardPack(models.Model):
    class Status(models.TextChoices):
        QUEUED = "ko", _("Queued")
        RENDERING = "lager", _("Rendering")
        READY = "klar", _("Ready")
        FAILED = "feilet", _("Failed")

    # The filters as GET parameters (``Filters.as_query``) and the districts the pack covers
    # (``{"district_ids": null}`` for the whole programme), for the permission check.
    filters = models.JSONField(pgettext_lazy("board pack", "filters"), default=dict)
    scope = models.JSONField(pgettext_lazy("board pack", "scope"), default=dict)
    content = models.JSONField(_("content"))
    content_hash = models.CharField(_("content hash"), max_length=64, unique=True)
    taken_at = models.DateTimeField(pgettext_lazy("board pack", "figures taken"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    pdf = models.FileField(_("PDF"), storage=private_storage, blank=True, max_length=200)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    # The Celery task that holds the claim (see ``dashboards.services``).
    task_id = models.CharField(max_length=64, blank=True)
    renders = models.PositiveIntegerField(_("renders completed"), default=0)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("board pack", "requested by"),
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = pgettext_lazy("board pack", "board pack")
        verbose_name_plural = pgettext_lazy("board pack", "board packs")
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.content.get('title', 'Styrepakke')} ({self.content_hash[:12]})"

    @property
    def district_ids(self) -> frozenset[int] | None:
        ids = (self.scope or {}).get("district_ids")
        return None if ids is None else frozenset(int(i) for i in ids)
