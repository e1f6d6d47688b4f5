"""What the programme knows and who answers for it: its bodies and contacts, its documents,
the lessons its projects learned and the method recipes built from them.

Every write goes through ``knowledge.services``, which writes an audit row in the same
transaction.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from areas.models import Area, District

PHONE = RegexValidator(
    r"^\+?[0-9][0-9 ]{6,18}[0-9]$",
    _("Enter a phone number of digits, e.g. 21 80 21 80 or +47 21 80 21 80."),
)


class Member(models.Model):
    """An organisation in one of the programme's bodies: the programme board (programstyre),
    the programme committee (programutvalg) or the secretariat. The board's leader also names
    the person who holds the post."""

    class Body(models.TextChoices):
        BOARD = "programstyre", _("Programme board")
        COMMITTEE = "programutvalg", _("Programme committee")
        SECRETARIAT = "sekretariat", _("Secretariat")

    class Role(models.TextChoices):
        LEADER = "leder", _("Leader")
        MEMBER = "medlem", _("Member")

    body = models.CharField(_("body"), max_length=16, choices=Body.choices)
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    organisation = models.CharField(_("organisation"), max_length=160)
    person_name = models.CharField(_("person"), max_length=120, blank=True)
    title = models.CharField(
        _("title"), max_length=120, blank=True, help_text=_("For example Bydelsdirektør.")
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["body", "-role", "sort_order", "organisation"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(
                fields=["body"],
                condition=Q(role="leder"),
                name="member_one_leader_per_body",
                violation_error_message=_(
                    "This body already has a leader. Make the present leader a member first."
                ),
            ),
            models.UniqueConstraint(
                fields=["body", "role", "organisation"],
                name="member_unique_organisation",
                violation_error_message=_(
                    "This organisation is listed in the body already, in this role."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.organisation


class Contact(models.Model):
    """Someone to contact: for the programme as a whole (neither district nor area), for a
    district, or for one area."""

    role = models.CharField(
        _("role"), max_length=120, help_text=_("For example Programleder or Prosjektleder.")
    )
    name = models.CharField(_("name"), max_length=120)
    organisation = models.CharField(_("organisation"), max_length=160, blank=True)
    email = models.EmailField(_("email address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[PHONE])
    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("district"),
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("area"),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "name", "pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(
                condition=Q(district__isnull=True) | Q(area__isnull=True),
                name="contact_district_or_area",
                violation_error_message=_(
                    "Choose a district or an area, not both: an area's district is known."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"
