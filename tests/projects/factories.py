import datetime
from decimal import Decimal

import factory

from areas.models import Area, SubGoal
from projects import tallies
from projects.models import (
    BudgetLine,
    Indicator,
    IndicatorValue,
    Milestone,
    Partner,
    Project,
    StatusUpdate,
)
from tests.accounts.factories import UserFactory

DEFAULT_AREA_SLUG = "veitvet-og-slettelokka"  # Bydel Bjerke


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    area = factory.LazyFunction(lambda: Area.objects.get(slug=DEFAULT_AREA_SLUG))
    title = factory.Sequence(lambda n: f"Tiltak nummer {n}")
    slug = factory.Sequence(lambda n: f"tiltak-nummer-{n}")
    summary = "Et tiltak for nærmiljøet."
    start_date = datetime.date(2025, 1, 1)
    end_date = datetime.date(2025, 12, 31)

    @factory.post_generation
    def sub_goals(obj, create, extracted, **kwargs):
        if not create:
            return
        obj.sub_goals.set(extracted if extracted is not None else [SubGoal.objects.get(number=1)])

    @factory.post_generation
    def tallies(obj, create, extracted, **kwargs):
        # The services keep the tallies in every write; a factory writes around them.
        if create:
            tallies.refresh(obj.area_id)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Milepæl {n}")
    due_date = datetime.date(2025, 6, 1)
    done_date = None


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Dugnadstimer {n}")
    unit = "timer"
    baseline = Decimal("0")
    target = Decimal("100")


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    date = datetime.date(2025, 3, 1)
    value = Decimal("10")


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    year = 2025
    source = BudgetLine.Source.AREA_FUNDS
    planned = Decimal("100000")
    spent = Decimal("0")

    @factory.post_generation
    def tallies(obj, create, extracted, **kwargs):
        if create:
            tallies.refresh(obj.project.area_id)


class StatusUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusUpdate

    project = factory.SubFactory(ProjectFactory)
    date = datetime.date(2025, 2, 1)
    text = factory.Sequence(lambda n: f"Statusoppdatering {n}")
    is_public = False
    author = factory.SubFactory(UserFactory)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Velforening {n}")
    kind = Partner.Kind.RESIDENTS_ASSOCIATION
