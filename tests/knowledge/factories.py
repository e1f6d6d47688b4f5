import factory

from knowledge.models import Contact, Member


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    body = Member.Body.BOARD
    role = Member.Role.MEMBER
    organisation = factory.Sequence(lambda n: f"Etat nummer {n}")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    role = "Prosjektleder"
    name = factory.Sequence(lambda n: f"Kontakt Person {n}")
    email = factory.Sequence(lambda n: f"kontakt{n}@bydel.oslo.kommune.no")
