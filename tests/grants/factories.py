"""Grant factories and helpers that walk a case through its steps via the real services."""

from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from areas.models import Area, SubGoal
from grants import selectors, services
from grants.models import (
    ApplicantKind,
    AttachmentKind,
    CostLine,
    GrantApplication,
    GrantRound,
    Membership,
    Organisation,
    Recommendation,
)
from tests.accounts.factories import UserFactory

DEFAULT_AREA_SLUG = "veitvet-og-slettelokka"  # Bydel Bjerke
# Valid under MOD11 (python-stdnum); the factory walks through a list of real-format numbers.
VALID_ORG_NUMBERS = [
    "923609016",
    "974760673",
    "971524960",
    "983887457",
    "889640782",
    "974761076",
]
VALID_ACCOUNT = "86011117947"
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_upload(name: str = "styrevedtak.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def exe_upload(name: str = "tilbud.pdf") -> SimpleUploadedFile:
    """A Windows executable renamed to look like a PDF."""
    return SimpleUploadedFile(
        name, b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="application/pdf"
    )


def _org_number(n: int) -> str:
    from stdnum.no import orgnr

    # Generate valid numbers beyond the fixed list by searching for a valid check digit.
    if n < len(VALID_ORG_NUMBERS):
        return VALID_ORG_NUMBERS[n]
    base = 810000000 + n * 100  # a stride wider than any gap between valid numbers
    while not orgnr.is_valid(str(base)):
        base += 1
    return str(base)


class GrantRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrantRound
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Bomiljøtilskudd {2026} runde {n}")
    slug = factory.Sequence(lambda n: f"bomiljotilskudd-2026-{n}")
    year = 2026
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    budget = 2_000_000
    min_own_share_percent = 30
    max_city_share_percent = 70
    max_amount = 300_000
    required_attachments = factory.LazyFunction(lambda: [AttachmentKind.BOARD_RESOLUTION.value])
    acceptance_days = 28
    report_deadline = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=300))
    criteria = "Nytte for beboerne\nMedvirkning\nGjennomførbarhet"
    four_eyes = True

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if not create:
            return
        obj.areas.set(extracted if extracted is not None else list(Area.objects.all()))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Sletteløkka borettslag {n}")
    org_number = factory.Sequence(_org_number)
    account_number = VALID_ACCOUNT
    kind = ApplicantKind.HOUSING_COOP
    address = "Sletteløkka 10"
    postcode = "0597"
    city = "Oslo"
    email = factory.Sequence(lambda n: f"styret{n}@example.org")

    @factory.post_generation
    def member(obj, create, extracted, **kwargs):
        """``OrganisationFactory(member=user)`` makes the user an admin member."""
        if create and extracted is not None:
            Membership.objects.create(organisation=obj, user=extracted, is_admin=True)


def applicant_with_organisation(**org_kwargs):
    user = UserFactory()
    organisation = OrganisationFactory(member=user, **org_kwargs)
    return user, organisation


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A complete draft that passes every rule of a default round (not yet submitted)."""

    class Meta:
        model = GrantApplication
        skip_postgeneration_save = True

    round = factory.SubFactory(GrantRoundFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    title = "Ny lekeplass i bakgården"
    description = "Vi vil bygge en lekeplass som alle i borettslaget kan bruke."
    sub_goal = factory.LazyFunction(lambda: SubGoal.objects.get(number=2))
    area = factory.LazyFunction(lambda: Area.objects.get(slug=DEFAULT_AREA_SLUG))
    location = "Bakgården, Sletteløkka 10"
    on_own_property = True
    target_group = "Barnefamilier"
    expected_participants = 60
    resident_involvement = "Beboermøte i mars med 40 deltakere."
    start_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=150))
    own_contribution = 50_000
    other_funding = 10_000
    amount_applied = 40_000
    dugnad_hours = 120

    @factory.post_generation
    def cost_lines(obj, create, extracted, **kwargs):
        if not create:
            return
        lines = (
            extracted if extracted is not None else [("Lekeapparater", 70_000), ("Dekke", 30_000)]
        )
        CostLine.objects.bulk_create(
            CostLine(application=obj, description=d, amount=a, position=i)
            for i, (d, a) in enumerate(lines)
        )

    @factory.post_generation
    def attachments(obj, create, extracted, **kwargs):
        """Attach a board resolution unless ``attachments=False``; needs a member to upload."""
        if not create or extracted is False:
            return
        from grants.models import Attachment

        upload = pdf_upload()
        attachment = Attachment(
            application=obj,
            kind=AttachmentKind.BOARD_RESOLUTION,
            original_name=upload.name,
            content_type="application/pdf",
            extension="pdf",
            size=upload.size,
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()


def draft_for(user=None, **kwargs) -> GrantApplication:
    """A complete draft whose organisation has ``user`` (a new applicant if None) as member."""
    user = user or UserFactory()
    organisation = kwargs.pop("organisation", None) or OrganisationFactory(member=user)
    application = ApplicationFactory(organisation=organisation, created_by=user, **kwargs)
    application.applicant = user  # for the test's convenience only
    return application


def submitted(user=None, **kwargs) -> GrantApplication:
    application = draft_for(user, **kwargs)
    applicant = application.applicant
    application = services.application_submit(actor=applicant, application=application)
    application.applicant = applicant
    return application


def assessed(handler, user=None, *, recommendation=Recommendation.APPROVE, amount=None, **kw):
    """Submitted, taken by ``handler``, impartiality declared, assessed and proposed."""
    application = submitted(user, **kw)
    applicant = application.applicant
    services.case_take(actor=handler, application=application)
    services.impartiality_declare(actor=handler, application=application, impartial=True)
    services.assessment_save(
        actor=handler,
        application=application,
        scores={"Nytte for beboerne": 4, "Medvirkning": 5, "Gjennomførbarhet": 4},
        recommendation=recommendation,
        recommended_amount=amount,
        reasons="" if recommendation == Recommendation.APPROVE else "Begrenset budsjett.",
    )
    services.decision_propose(actor=handler, application=application)
    application.refresh_from_db()
    application.applicant = applicant
    return application


def decided(handler, leader, user=None, *, outcome=Recommendation.APPROVE, amount=None, **kw):
    """Assessed by ``handler`` and decided by ``leader``; the letter renders (eager tasks)."""
    application = assessed(handler, user, recommendation=outcome, amount=amount, **kw)
    applicant = application.applicant
    services.impartiality_declare(actor=leader, application=application, impartial=True)
    services.decision_make(
        actor=leader,
        application=application,
        outcome=outcome,
        amount=amount,
        reasons="" if outcome == Recommendation.APPROVE else "Søknaden oppfyller ikke kravene.",
    )
    application.refresh_from_db()
    application.applicant = applicant
    return application


def grant_rows() -> dict:
    """Every row the grant services can write, to show that a refused call wrote nothing."""
    from django.apps import apps

    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_app_config("grants").get_models()
    }


def letter_sent(application: GrantApplication) -> GrantApplication:
    """Render the current decision's letter through the service (as the task does), which
    counts the deadlines from today; return the application as it is afterwards."""
    decision = selectors.current_decision(application)
    services.decision_letter_render(decision_id=decision.pk)
    applicant = getattr(application, "applicant", None)
    application.refresh_from_db()
    application.applicant = applicant
    return application
