"""Users log in with their email address; staff roles are scoped to one district."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person with an account. No username and never a national identity number."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    # The language the person last used the portal in; emails to them are written in it.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True, default=""
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    # The secretariat administers reference data, rounds, users and roles in the admin: the
    # role grants every model permission there, without Django's per-user permission rows.
    def has_perm(self, perm, obj=None) -> bool:
        from .permissions import is_secretariat

        return is_secretariat(self) or super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        from .permissions import is_secretariat

        return is_secretariat(self) or super().has_module_perms(app_label)


class Role(models.TextChoices):
    CASE_HANDLER = "case_handler", _("Case handler")
    PROJECT_LEADER = "project_leader", _("Project leader")
    PROGRAMME_LEADER = "programme_leader", _("Programme leader")
    BOARD = "board", _("Programme board")
    SECRETARIAT = "secretariat", _("Secretariat")


DISTRICT_ROLES = frozenset({Role.CASE_HANDLER, Role.PROJECT_LEADER, Role.PROGRAMME_LEADER})
GLOBAL_ROLES = frozenset({Role.BOARD, Role.SECRETARIAT})


class RoleAssignment(models.Model):
    """A staff role held by a user: district roles name one district, global roles none."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    district = models.ForeignKey(
        "areas.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("district"),
    )
    granted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user__email", "role"]
        constraints = [
            models.CheckConstraint(
                name="role_district_scope",
                condition=(
                    Q(role__in=sorted(r.value for r in DISTRICT_ROLES), district__isnull=False)
                    | Q(role__in=sorted(r.value for r in GLOBAL_ROLES), district__isnull=True)
                ),
                violation_error_message=_(
                    "District roles need a district; board and secretariat roles cover all "
                    "districts and take none."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "district"],
                condition=Q(district__isnull=False),
                name="role_assignment_unique_district",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(district__isnull=True),
                name="role_assignment_unique_global",
            ),
        ]

    def __str__(self) -> str:
        scope = self.district.name if self.district_id else _("all districts")
        return f"{self.user} – {self.get_role_display()} ({scope})"
