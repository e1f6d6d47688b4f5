import factory
from django.core.files.base import ContentFile

from areas.models import Area
from knowledge.models import Contact, Document, Lesson, Member, Recipe
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


class RecipeFactory(factory.django.DjangoModelFactory):
    """A draft recipe; ``published()`` makes a published one (status set at creation, as the
    workflow guards changes only)."""

    class Meta:
        model = Recipe
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Oppskrift nummer {n}")
    slug = factory.Sequence(lambda n: f"oppskrift-nummer-{n}")
    summary = "En måte å jobbe på."
    ingredients = "Innbyggere\nEt sted"
    steps = "Inviter bredt\nGjør det sammen"


class LessonFactory(factory.django.DjangoModelFactory):
    """An internal lesson of a public project in Bjerke."""

    class Meta:
        model = Lesson
        skip_postgeneration_save = True

    project = factory.LazyFunction(lambda: _project())
    title = factory.Sequence(lambda n: f"Erfaring nummer {n}")
    worked = "Det virket å gå ut av kontoret."
    did_not_work = "Møter på dagtid."
    advice = "Spør før dere tegner."

    @factory.post_generation
    def published(obj, create, extracted, **kwargs):
        if create and extracted and obj.status != Lesson.Status.PUBLISHED:
            Lesson.objects.filter(pk=obj.pk).update(status=Lesson.Status.PUBLISHED)
            obj.refresh_from_db()


def _project():
    from tests.projects.factories import ProjectFactory

    return ProjectFactory(is_public=True)
