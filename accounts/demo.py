"""Demo users: one per role, with the passwords the README lists."""

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from areas.models import District
from omradelos.demo import bulk

from .models import Role, User
from .services import role_assign

DEMO_PASSWORD = "Omradeloft-demo-2026"
DEMO_DISTRICT = "09"  # Bydel Bjerke: Veitvet og Sletteløkka, Linderud

DEMO_USERS = [
    ("beboer@example.org", "Amina Beboer", None),
    ("saksbehandler@example.org", "Sara Saksbehandler", Role.CASE_HANDLER),
    ("prosjektleder@example.org", "Per Prosjektleder", Role.PROJECT_LEADER),
    ("programleder@example.org", "Pia Programleder", Role.PROGRAMME_LEADER),
    ("programstyret@example.org", "Bo Programstyre", Role.BOARD),
    ("sekretariat@example.org", "Siri Sekretariat", Role.SECRETARIAT),
]


def ensure_user(email: str, full_name: str, password: str = DEMO_PASSWORD) -> User:
    """A verified, active user; the password is set only when the user is first made."""
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


RESIDENTS = 40  # at scale 1


def _bulk_residents(numbers: range) -> None:
    """The residents a larger scale adds, as ``ensure_user`` makes them (verified, with the demo
    password), in bulk. The password is hashed once for all of them: the work factor is the
    point of a password hash, and these accounts share a published password anyway."""
    wanted = {f"beboer-{n:05d}@example.org": f"Beboer {n}" for n in numbers}
    have = set(User.objects.filter(email__in=wanted).values_list("email", flat=True))
    if len(have) < len(wanted):
        password = make_password(DEMO_PASSWORD)
        bulk(
            [
                User(email=email, full_name=name, password=password)
                for email, name in wanted.items()
                if email not in have
            ]
        )
    verified = set(EmailAddress.objects.filter(email__in=wanted).values_list("email", flat=True))
    users = User.objects.filter(email__in=set(wanted) - verified).values_list("pk", "email")
    bulk(
        [EmailAddress(user_id=pk, email=email, verified=True, primary=True) for pk, email in users]
    )


def seed(*, scale: int, report) -> None:
    district = District.objects.get(number=DEMO_DISTRICT)
    for email, name, role in DEMO_USERS:
        user = ensure_user(email, name)
        if role is not None:
            role_assign(
                user=user,
                role=role,
                district=district
                if role in (Role.CASE_HANDLER, Role.PROJECT_LEADER, Role.PROGRAMME_LEADER)
                else None,
                actor=None,
            )
    # Staff in every other district, so district scoping is visible in the demo.
    for other in District.objects.exclude(number=DEMO_DISTRICT):
        user = ensure_user(f"prosjektleder-{other.slug}@example.org", f"Prosjektleder {other.name}")
        role_assign(user=user, role=Role.PROJECT_LEADER, district=other, actor=None)
    residents = RESIDENTS * scale
    for n in range(1, RESIDENTS + 1):
        ensure_user(f"beboer-{n:05d}@example.org", f"Beboer {n}")
    _bulk_residents(range(RESIDENTS + 1, residents + 1))
    report.add(f"Users: {len(DEMO_USERS)} demo roles, {residents} residents.")
