"""Residents who follow one or more areas and get a digest email of what is new there.

A follower is one email address: a signed-in person's (confirmed at once, the account's address
is verified) or a guest's, confirmed by the link sent to it. ``covered_until`` is where the
next digest starts: everything that happened after it and up to the digest's moment is in it,
and each digest moves it on, whether or not anything happened (no email then).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from areas.models import Area


class Follower(models.Model):
    class Frequency(models.TextChoices):
        DAILY = "daglig", _("Daily")
        WEEKLY = "ukentlig", _("Weekly")

    email = models.EmailField(_("email address"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follows",
        verbose_name=_("account"),
    )
    areas = models.ManyToManyField(Area, related_name="followers", verbose_name=_("areas"))
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    # ``token`` opens the page to change or end the follow (in every digest); ``confirm_token``
    # is only ever sent by email, to confirm a guest's address.
    token = models.CharField(max_length=48, unique=True)
    confirm_token = models.CharField(max_length=48, blank=True, db_index=True)
    confirm_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    covered_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="follower_unique_email"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def period(self) -> timedelta:
        return timedelta(days=1 if self.frequency == self.Frequency.DAILY else 7)


class Digest(models.Model):
    """One digest: the window it covers and whether its email has gone. A follower's window
    ends once (unique), so a digest is made once however often the beat task runs."""

    follower = models.ForeignKey(Follower, on_delete=models.CASCADE, related_name="digests")
    since = models.DateTimeField()
    until = models.DateTimeField()
    items = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["until", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["follower", "until"], name="digest_unique_window"),
        ]

    def __str__(self) -> str:
        return f"{self.follower_id}: {self.since:%Y-%m-%d %H:%M}–{self.until:%Y-%m-%d %H:%M}"
