import factory
from django.core.files.base import ContentFile

from areas.models import Area
from knowledge.models import Contact, Document, Member
from knowledge.simple_pdf import simple_pdf


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


class DocumentFactory(factory.django.DjangoModelFactory):
    """A programme plan for Veitvet og Sletteløkka (Bydel Bjerke), with its PDF."""

    class Meta:
        model = Document

    title = factory.Sequence(lambda n: f"Programplan nummer {n}")
    kind = Document.Kind.PROGRAMME_PLAN
    year = 2025
    area = factory.LazyFunction(lambda: Area.objects.get(slug="veitvet-og-slettelokka"))
    district = factory.LazyAttribute(lambda o: o.area.district)
    programme = factory.LazyAttribute(lambda o: o.area.district.programme)
    summary = "Et sammendrag av planen."
    is_public = True
    filename = "plan.pdf"
    file = factory.LazyFunction(
        lambda: ContentFile(simple_pdf(["Benker og belysning"]), name="plan.pdf")
    )
    size = 100
