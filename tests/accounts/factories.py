import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from accounts.models import DISTRICT_ROLES, RoleAssignment, User

PASSWORD = "Riktig-hest-batteri-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="no_NO")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


def make_user(role: str | None = None, district=None, *, totp: bool = True, **kwargs) -> User:
    """A user holding ``role`` (in ``district`` for district roles), with a TOTP device by default
    so that staff pass the two-factor requirement."""
    user = UserFactory(**kwargs)
    if role is not None:
        RoleAssignment.objects.create(
            user=user, role=role, district=district if role in DISTRICT_ROLES else None
        )
        if totp:
            Authenticator.objects.create(
                user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
            )
    return user


def record_second_factor(client, user: User) -> None:
    """Mark ``client``'s session as signed in with password and TOTP, as allauth records a
    completed two-factor sign-in (``account_authentication_methods``)."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return
    now = time.time()
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "id": authenticator.pk, "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
