"""Factories for programmes: a programme in an area of Bjerke by default, with measures from
the area's projects."""

import factory

from areas.models import Area
from programmes.models import ActionProgramme, Measure
from tests.projects.factories import DEFAULT_AREA_SLUG, ProjectFactory


def bjerke_area() -> Area:
    return Area.objects.get(slug=DEFAULT_AREA_SLUG)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionProgramme

    area = factory.LazyFunction(bjerke_area)
    year = 2027
    introduction = "Handlingsprogrammet beskriver årets tiltak for området."
    challenges = "Trangboddhet, få møteplasser og lite grøntareal."


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    programme = factory.SubFactory(ProgrammeFactory)
    project = factory.LazyAttribute(lambda m: ProjectFactory(area=m.programme.area))
    position = factory.Sequence(lambda n: n + 1)
