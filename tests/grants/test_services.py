"""The applicant's side of the grant services: organisations, invitations, drafts, attachments,
submitting, withdrawing and messages. Each write: the happy path, each refusal (which writes
nothing) and the case-history row it leaves."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from areas.models import Area
from grants import services
from grants.models import (
    ApplicantKind,
    AttachmentKind,
    CaseEvent,
    CaseMessage,
    CostLine,
    GrantApplication,
    Invitation,
    Membership,
    Organisation,
)
from tests.accounts.factories import UserFactory

from .factories import (
    GrantRoundFactory,
    OrganisationFactory,
    assessed,
    decided,
    draft_for,
    exe_upload,
    grant_rows,
    pdf_upload,
    submitted,
)

pytestmark = pytest.mark.django_db

S = GrantApplication.Status
K = CaseEvent.Kind


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in the source language, whatever the catalogues say."""
    with translation.override("en"):
        yield


@pytest.fixture
def queued(monkeypatch):
    """The tasks the services hand over after commit, as (task, *args) tuples."""
    from grants import tasks

    calls = []
    for name in ("send_applicant_email", "send_invitation_email", "render_decision_letter"):
        fake = SimpleNamespace(delay=lambda *args, _name=name: calls.append((_name, *args)))
        monkeypatch.setattr(tasks, name, fake)
    return calls


def messages_of(excinfo) -> list[str]:
    return excinfo.value.messages


def events(application, kind=None) -> list[CaseEvent]:
    qs = CaseEvent.objects.filter(application=application)
    return list(qs.filter(kind=kind) if kind else qs)


def only_event(application, kind) -> CaseEvent:
    rows = events(application, kind)
    assert len(rows) == 1, rows
    return rows[0]


def outsider():
    """A verified resident who acts for another organisation than the application's."""
    user = UserFactory()
    OrganisationFactory(member=user)
    return user


# organisation_register -------------------------------------------------------------------------


def register_kwargs(**overrides) -> dict:
    kwargs = {
        "name": "Veitvet velforening",
        "org_number": "923 609 016",
        "account_number": "8601 11 17947",
        "kind": ApplicantKind.RESIDENTS_ASSOCIATION,
        "address": "Veitvetveien 8",
        "postcode": "0596",
        "city": "Oslo",
        "email": "post@veitvetvel.example.org",
    }
    kwargs.update(overrides)
    return kwargs


def test_organisation_register_stores_numbers_without_spaces_and_makes_actor_admin():
    user = UserFactory()

    organisation = services.organisation_register(actor=user, **register_kwargs())

    organisation = Organisation.objects.get(pk=organisation.pk)
    assert organisation.org_number == "923609016"
    assert organisation.account_number == "86011117947"
    assert organisation.kind == ApplicantKind.RESIDENTS_ASSOCIATION
    membership = Membership.objects.get(organisation=organisation)
    assert membership.user == user
    assert membership.is_admin


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"org_number": "923609017"}, "org_number", "is not a valid organisation number"),
        ({"org_number": "92360901"}, "org_number", "An organisation number has 9 digits"),
        ({"account_number": "86011117940"}, "account_number", "is not a valid account number"),
        ({"account_number": "8601 11 1794"}, "account_number", "An account number has 11 digits"),
        # An old 7-digit postgiro number passes its own check digit but cannot take payments.
        ({"account_number": "1000009"}, "account_number", "An account number has 11 digits"),
    ],
)
def test_organisation_register_refuses_bad_numbers_on_their_field(overrides, field, text):
    before = grant_rows()

    with pytest.raises(ValidationError) as excinfo:
        services.organisation_register(actor=UserFactory(), **register_kwargs(**overrides))

    errors = excinfo.value.message_dict
    assert list(errors) == [field]
    assert text in errors[field][0]
    assert grant_rows() == before


def test_organisation_register_names_both_bad_numbers_at_once():
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_register(
            actor=UserFactory(),
            **register_kwargs(org_number="123456789", account_number="12345678901"),
        )

    assert set(excinfo.value.message_dict) == {"org_number", "account_number"}


def test_organisation_register_refuses_a_number_already_registered_however_written():
    OrganisationFactory(org_number="923609016")
    before = grant_rows()

    with pytest.raises(ValidationError) as excinfo:
        services.organisation_register(
            actor=UserFactory(), **register_kwargs(org_number="923 609 016")
        )

    errors = excinfo.value.message_dict
    assert "already registered" in errors["org_number"][0]
    assert "invite you" in errors["org_number"][0]
    assert grant_rows() == before


def test_organisation_register_refuses_unverified_email():
    before = grant_rows()

    with pytest.raises(ValidationError) as excinfo:
        services.organisation_register(actor=UserFactory(verified=False), **register_kwargs())

    assert "Confirm your email address" in messages_of(excinfo)[0]
    assert grant_rows() == before


# invitations -----------------------------------------------------------------------------------


def test_invitation_create_by_admin_stores_lowercased_address_and_emails_it(
    django_capture_on_commit_callbacks, queued
):
    admin = UserFactory()
    organisation = OrganisationFactory(member=admin)

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            actor=admin, organisation=organisation, email="  Kari.Nordmann@Example.org "
        )

    invitation = Invitation.objects.get(pk=invitation.pk)
    assert invitation.email == "kari.nordmann@example.org"
    assert invitation.invited_by == admin
    assert len(invitation.token) >= 32
    assert invitation.is_valid()
    assert queued == [("send_invitation_email", invitation.pk)]


def test_invitation_create_refused_for_member_who_is_not_admin_and_for_outsider(
    django_capture_on_commit_callbacks, queued
):
    organisation = OrganisationFactory(member=UserFactory())
    plain_member = UserFactory()
    Membership.objects.create(organisation=organisation, user=plain_member, is_admin=False)
    stranger = outsider()
    before = grant_rows()

    for actor in (plain_member, stranger):
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
            services.invitation_create(actor=actor, organisation=organisation, email="a@b.no")

    assert grant_rows() == before
    assert queued == []


def test_invitation_create_refuses_someone_already_a_member():
    admin = UserFactory(email="leder@example.org")
    organisation = OrganisationFactory(member=admin)

    with pytest.raises(ValidationError) as excinfo:
        services.invitation_create(
            actor=admin, organisation=organisation, email="LEDER@example.org"
        )

    assert excinfo.value.message_dict == {"email": ["This person is already a member."]}
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("email", ["", "  ", "ikke-en-adresse"])
def test_invitation_create_refuses_an_address_that_is_not_one(
    email, django_capture_on_commit_callbacks, queued
):
    admin = UserFactory()
    organisation = OrganisationFactory(member=admin)
    before = grant_rows()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as exc:
        services.invitation_create(actor=admin, organisation=organisation, email=email)

    assert list(exc.value.message_dict) == ["email"]
    assert grant_rows() == before
    assert queued == []


def invitation_to(email: str, *, days_ago: int = 0) -> Invitation:
    admin = UserFactory()
    organisation = OrganisationFactory(member=admin)
    invitation = services.invitation_create(actor=admin, organisation=organisation, email=email)
    if days_ago:
        Invitation.objects.filter(pk=invitation.pk).update(
            created_at=timezone.now() - timedelta(days=days_ago)
        )
    return invitation


def test_invitation_accept_with_the_invited_address_makes_a_plain_member():
    invitation = invitation_to("ny@example.org")
    invitee = UserFactory(email="Ny@Example.org")

    organisation = services.invitation_accept(actor=invitee, token=invitation.token)

    assert organisation == invitation.organisation
    membership = Membership.objects.get(organisation=organisation, user=invitee)
    assert not membership.is_admin
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_invitation_cannot_be_used_twice():
    invitation = invitation_to("ny@example.org")
    invitee = UserFactory(email="ny@example.org")
    services.invitation_accept(actor=invitee, token=invitation.token)

    with pytest.raises(ValidationError) as excinfo:
        services.invitation_accept(actor=invitee, token=invitation.token)

    assert "no longer valid" in messages_of(excinfo)[0]


def test_invitation_accept_refuses_another_address():
    invitation = invitation_to("ny@example.org")
    before = grant_rows()

    with pytest.raises(ValidationError) as excinfo:
        services.invitation_accept(
            actor=UserFactory(email="noen.andre@example.org"), token=invitation.token
        )

    assert "sent to ny@example.org" in messages_of(excinfo)[0]
    assert grant_rows() == before


def test_invitation_accept_refuses_expired_and_unknown_tokens():
    invitation = invitation_to("ny@example.org", days_ago=15)
    invitee = UserFactory(email="ny@example.org")
    before = grant_rows()

    for token in (invitation.token, "ikke-en-ekte-lenke"):
        with pytest.raises(ValidationError) as excinfo:
            services.invitation_accept(actor=invitee, token=token)
        assert "no longer valid" in messages_of(excinfo)[0]

    assert grant_rows() == before


# application_start -----------------------------------------------------------------------------


def test_application_start_opens_a_draft_without_reference_and_records_it():
    user = UserFactory()
    organisation = OrganisationFactory(member=user)
    only_area = Area.objects.get(slug="veitvet-og-slettelokka")
    grant_round = GrantRoundFactory(areas=[only_area])

    application = services.application_start(
        actor=user, grant_round=grant_round, organisation=organisation
    )

    application = GrantApplication.objects.get(pk=application.pk)
    assert application.status == S.DRAFT
    assert application.reference is None
    assert application.created_by == user
    assert application.area == only_area  # a round with one area needs no choice
    event = only_event(application, K.CREATED)
    assert event.actor == user
    assert event.visible_to_applicant


def test_application_start_leaves_area_open_when_round_has_several():
    user = UserFactory()
    organisation = OrganisationFactory(member=user)

    application = services.application_start(
        actor=user, grant_round=GrantRoundFactory(), organisation=organisation
    )

    assert application.area is None


@pytest.mark.parametrize(
    ("dates", "text"),
    [
        ({"opens_at_days": 5, "closes_at_days": 40}, "has not opened yet"),
        ({"opens_at_days": -40, "closes_at_days": -1}, "closed"),
    ],
)
def test_application_start_refused_outside_theGrantRoundFactory(dates, text):
    user = UserFactory()
    organisation = OrganisationFactory(member=user)
    now = timezone.now()
    grant_round = GrantRoundFactory(
        opens_at=now + timedelta(days=dates["opens_at_days"]),
        closes_at=now + timedelta(days=dates["closes_at_days"]),
    )
    before = grant_rows()

    with pytest.raises(ValidationError) as excinfo:
        services.application_start(actor=user, grant_round=grant_round, organisation=organisation)

    assert text in messages_of(excinfo)[0]
    assert grant_rows() == before


def test_application_start_refused_for_an_unpublishedGrantRoundFactory():
    user = UserFactory()
    organisation = OrganisationFactory(member=user)
    grant_round = GrantRoundFactory(is_published=False)

    with pytest.raises(ValidationError) as excinfo:
        services.application_start(actor=user, grant_round=grant_round, organisation=organisation)

    assert messages_of(excinfo) == ["This round is not open for applications."]


def test_application_start_refused_for_an_organisation_the_actor_does_not_act_for(users):
    organisation = OrganisationFactory(member=UserFactory())
    grant_round = GrantRoundFactory()
    stranger = outsider()
    before = grant_rows()

    for actor in (stranger, users["case_handler"], users["secretariat"]):
        with pytest.raises(PermissionDenied):
            services.application_start(
                actor=actor, grant_round=grant_round, organisation=organisation
            )

    assert grant_rows() == before


# drafts: measure, budget, organisation --------------------------------------------------------


def test_application_save_measure_keeps_a_partial_draft():
    application = draft_for()

    services.application_save_measure(
        actor=application.applicant,
        application=application,
        title="Benker langs turstien",
        on_own_property=False,
        description="",
    )

    application.refresh_from_db()
    assert application.title == "Benker langs turstien"
    assert application.description == ""
    assert application.on_own_property is False
    assert application.location == "Bakgården, Sletteløkka 10"  # not sent, not touched


def test_application_save_measure_refuses_end_before_start():
    application = draft_for()
    before = grant_rows()
    start = timezone.localdate() + timedelta(days=30)

    with pytest.raises(ValidationError) as excinfo:
        services.application_save_measure(
            actor=application.applicant,
            application=application,
            start_date=start,
            end_date=start - timedelta(days=1),
        )

    assert list(excinfo.value.message_dict) == ["end_date"]
    assert grant_rows() == before


def test_application_save_budget_replaces_cost_lines_and_keeps_dugnad_apart():
    application = draft_for()

    services.application_save_budget(
        actor=application.applicant,
        application=application,
        cost_lines=[("Benker", 60_000), ("Montering", 20_000)],
        own_contribution=40_000,
        other_funding=0,
        amount_applied=40_000,
        dugnad_hours=300,
    )

    application.refresh_from_db()
    lines = list(
        CostLine.objects.filter(application=application).values_list("description", "amount")
    )
    assert lines == [("Benker", 60_000), ("Montering", 20_000)]
    assert application.total_cost == 80_000
    assert application.own_contribution == 40_000
    assert application.dugnad_hours == 300


@pytest.mark.parametrize(
    "call",
    [
        lambda a, u: services.application_save_measure(actor=u, application=a, title="X"),
        lambda a, u: services.application_save_budget(
            actor=u, application=a, cost_lines=[("X", 1)], amount_applied=1
        ),
        lambda a, u: services.attachment_add(
            actor=u, application=a, kind=AttachmentKind.QUOTE, upload=pdf_upload()
        ),
        lambda a, u: services.application_submit(actor=u, application=a),
        lambda a, u: services.application_change_organisation(
            actor=u, application=a, organisation=a.organisation
        ),
    ],
    ids=["measure", "budget", "attachment", "submit", "organisation"],
)
def test_draft_services_refused_for_someone_not_acting_for_the_organisation(users, call):
    application = draft_for()
    stranger = outsider()
    before = grant_rows()

    for actor in (stranger, users["case_handler"], users["programme_leader"], users["board"]):
        with pytest.raises(PermissionDenied):
            call(application, actor)

    assert grant_rows() == before


@pytest.mark.parametrize(
    "call",
    [
        lambda a, u: services.application_save_measure(actor=u, application=a, title="X"),
        lambda a, u: services.application_save_budget(
            actor=u, application=a, cost_lines=[("X", 1)], amount_applied=1
        ),
        lambda a, u: services.attachment_add(
            actor=u, application=a, kind=AttachmentKind.QUOTE, upload=pdf_upload()
        ),
    ],
    ids=["measure", "budget", "attachment"],
)
def test_a_submitted_application_can_no_longer_be_changed(call):
    application = submitted()
    before = grant_rows()

    with pytest.raises(ValidationError) as excinfo:
        call(application, application.applicant)

    assert "can no longer be changed" in messages_of(excinfo)[0]
    assert grant_rows() == before


def test_application_change_organisation_moves_draft_to_another_of_the_actors_organisations():
    application = draft_for()
    other = OrganisationFactory(member=application.applicant)

    services.application_change_organisation(
        actor=application.applicant, application=application, organisation=other
    )

    application.refresh_from_db()
    assert application.organisation == other


def test_application_change_organisation_refuses_an_organisation_the_actor_is_not_in():
    application = draft_for()
    foreign = OrganisationFactory(member=UserFactory())

    with pytest.raises(PermissionDenied):
        services.application_change_organisation(
            actor=application.applicant, application=application, organisation=foreign
        )

    application.refresh_from_db()
    assert application.organisation != foreign


# attachments -----------------------------------------------------------------------------------


def test_attachment_add_stores_a_pdf_under_a_random_name():
    application = draft_for(attachments=False)

    attachment = services.attachment_add(
        actor=application.applicant,
        application=application,
        kind=AttachmentKind.QUOTE,
        upload=pdf_upload("Tilbud fra Lekeland.pdf"),
    )

    assert attachment.content_type == "application/pdf"
    assert attachment.extension == "pdf"
    assert attachment.original_name == "Tilbud fra Lekeland.pdf"
    assert attachment.uploaded_by == application.applicant
    assert "Lekeland" not in attachment.file.name
    assert attachment.file.name.endswith(".pdf")
    assert attachment.file.read().startswith(b"%PDF")


def test_attachment_add_refuses_an_executable_renamed_pdf_on_the_file_field():
    application = draft_for(attachments=False)
    before = grant_rows()

    with pytest.raises(ValidationError) as excinfo:
        services.attachment_add(
            actor=application.applicant,
            application=application,
            kind=AttachmentKind.QUOTE,
            upload=exe_upload("tilbud.pdf"),
        )

    errors = excinfo.value.message_dict
    assert list(errors) == ["file"]
    assert "“tilbud.pdf” is not a file type we accept" in errors["file"][0]
    assert grant_rows() == before


def test_attachment_remove_takes_it_out_of_the_draft_but_keeps_the_row():
    application = draft_for()
    attachment = application.attachments.get()

    services.attachment_remove(actor=application.applicant, attachment=attachment)

    attachment.refresh_from_db()
    assert attachment.removed_at is not None
    with pytest.raises(ValidationError) as excinfo:
        services.application_submit(actor=application.applicant, application=application)
    assert messages_of(excinfo) == ["Attach: Board resolution (styrevedtak)."]


def test_attachment_remove_refused_after_submission_and_for_outsiders():
    application = submitted()
    attachment = application.attachments.get()
    stranger = outsider()
    before = grant_rows()

    with pytest.raises(ValidationError):
        services.attachment_remove(actor=application.applicant, attachment=attachment)
    with pytest.raises(PermissionDenied):
        services.attachment_remove(actor=stranger, attachment=attachment)

    assert grant_rows() == before


# application_submit ----------------------------------------------------------------------------


def test_application_submit_issues_the_first_reference_records_and_emails_a_receipt(
    django_capture_on_commit_callbacks, queued
):
    application = draft_for()
    applicant = application.applicant
    assert application.reference is None

    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=applicant, application=application)

    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert application.reference == "BMT-2026-0001"
    assert application.submitted_at is not None
    event = only_event(application, K.SUBMITTED)
    assert event.actor == applicant
    assert event.visible_to_applicant
    assert event.data == {"reference": "BMT-2026-0001"}
    assert queued == [("send_applicant_email", application.pk, "receipt", {})]


def test_submitting_emails_the_receipt_to_the_organisation_and_its_members(
    django_capture_on_commit_callbacks, mailoutbox
):
    application = draft_for()

    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(actor=application.applicant, application=application)

    application.refresh_from_db()
    (mail,) = mailoutbox
    assert sorted(mail.to) == sorted(
        [application.organisation.email, application.applicant.email.lower()]
    )
    assert "BMT-2026-0001" in mail.subject
    assert "BMT-2026-0001" in mail.body
    assert application.receipt_sent_at is not None


def test_references_count_up_per_year():
    first = submitted()
    second = submitted()
    next_year = submitted(round=GrantRoundFactory(year=2027))
    third = submitted()

    assert [first.reference, second.reference, third.reference] == [
        "BMT-2026-0001",
        "BMT-2026-0002",
        "BMT-2026-0003",
    ]
    assert next_year.reference == "BMT-2027-0001"


def test_a_refused_submission_uses_up_no_reference(django_capture_on_commit_callbacks, queued):
    refused = draft_for(title="")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.application_submit(actor=refused.applicant, application=refused)

    refused.refresh_from_db()
    assert refused.reference is None
    assert refused.status == S.DRAFT
    assert events(refused) == []
    assert queued == []
    assert submitted().reference == "BMT-2026-0001"


def test_application_submit_lists_every_problem_at_once():
    application = draft_for(
        title="",
        start_date=timezone.localdate() - timedelta(days=1),
        attachments=False,
    )

    with pytest.raises(ValidationError) as excinfo:
        services.application_submit(actor=application.applicant, application=application)

    assert messages_of(excinfo) == [
        "Fill in “title of the measure”.",
        "Measures that have already started cannot get a grant. The start date must be today "
        "or later.",
        "Attach: Board resolution (styrevedtak).",
    ]


REFUSALS = {
    # name: (factory kwargs for the draft, a text the one message contains)
    "round closed": (
        lambda: {
            "round": GrantRoundFactory(
                opens_at=timezone.now() - timedelta(days=60),
                closes_at=timezone.now() - timedelta(minutes=1),
            )
        },
        "The round closed",
    ),
    "round not yet open": (
        lambda: {
            "round": GrantRoundFactory(
                opens_at=timezone.now() + timedelta(days=1),
                closes_at=timezone.now() + timedelta(days=60),
            )
        },
        "The round has not opened yet",
    ),
    "own share too low": (
        # 25 % own share, the financing still adds up to the 100 000 of costs.
        lambda: {"own_contribution": 25_000, "other_funding": 35_000},
        "Your own contribution must be at least 30 % of the total cost, that is 30",
    ),
    "city share too high": (
        lambda: {
            "round": GrantRoundFactory(min_own_share_percent=20),
            "own_contribution": 25_000,
            "other_funding": 0,
            "amount_applied": 75_000,
        },
        "The city can cover at most 70 % of the total cost, that is 70",
    ),
    "max amount exceeded": (
        lambda: {"round": GrantRoundFactory(max_amount=30_000)},
        "This round grants at most 30",
    ),
    "financing does not add up": (
        lambda: {"other_funding": 0},
        "The financing does not add up",
    ),
    "no cost lines": (
        lambda: {"cost_lines": []},
        "Add at least one cost line with an amount.",
    ),
    "missing required attachment": (
        lambda: {"round": GrantRoundFactory(required_attachments=["styrevedtak", "tilbud"])},
        "Attach: Quote from a supplier.",
    ),
    "property agreement when not on own property": (
        lambda: {"on_own_property": False},
        "Attach: Agreement with the property owner.",
    ),
    "applicant type not eligible": (
        lambda: {
            "round": GrantRoundFactory(applicant_kinds=["borettslag", "sameie"]),
            "organisation": OrganisationFactory(kind=ApplicantKind.NON_PROFIT),
        },
        "This round is open to: Housing co-operative (borettslag), Condominium (sameie).",
    ),
    "area not in round": (
        lambda: {"round": GrantRoundFactory(areas=[Area.objects.get(slug="haugenstua")])},
        "This round does not cover",
    ),
    "start date in the past": (
        lambda: {"start_date": timezone.localdate() - timedelta(days=1)},
        "Measures that have already started cannot get a grant.",
    ),
}


@pytest.mark.parametrize("name", list(REFUSALS))
def test_application_submit_refuses_each_broken_rule_and_writes_nothing(
    name, django_capture_on_commit_callbacks, queued
):
    make_kwargs, text = REFUSALS[name]
    kwargs = make_kwargs()
    user = UserFactory()
    if "organisation" in kwargs:
        Membership.objects.create(organisation=kwargs["organisation"], user=user, is_admin=True)
    application = draft_for(user, **kwargs)
    before = grant_rows()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as exc:
        services.application_submit(actor=user, application=application)

    assert len(messages_of(exc)) == 1, messages_of(exc)
    assert text in messages_of(exc)[0]
    assert grant_rows() == before
    assert queued == []


def test_property_agreement_lets_a_measure_off_own_property_through():
    application = draft_for(on_own_property=False)
    services.attachment_add(
        actor=application.applicant,
        application=application,
        kind=AttachmentKind.PROPERTY_AGREEMENT,
        upload=pdf_upload("avtale-med-grunneier.pdf"),
    )

    services.application_submit(actor=application.applicant, application=application)

    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_own_share_exactly_at_the_minimum_is_accepted():
    application = draft_for(own_contribution=30_000, other_funding=30_000)

    services.application_submit(actor=application.applicant, application=application)

    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_dugnad_hours_do_not_count_as_own_contribution():
    application = draft_for(own_contribution=0, other_funding=60_000, dugnad_hours=5_000)

    with pytest.raises(ValidationError) as excinfo:
        services.application_submit(actor=application.applicant, application=application)

    assert any("Dugnad hours do not count" in m for m in messages_of(excinfo))


def test_application_submit_refused_once_submitted_even_after_release(users):
    application = submitted()
    handler = users["case_handler"]
    services.case_take(actor=handler, application=application)
    before = grant_rows()

    with pytest.raises(ValidationError):
        services.application_submit(actor=application.applicant, application=application)

    assert grant_rows() == before
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW
    assert application.reference == "BMT-2026-0001"


# application_withdraw --------------------------------------------------------------------------


def _in_review(users):
    application = submitted()
    services.case_take(actor=users["case_handler"], application=application)
    return application


def _awaiting_info(users):
    application = _in_review(users)
    handler = users["case_handler"]
    services.impartiality_declare(actor=handler, application=application, impartial=True)
    services.info_request(actor=handler, application=application, body="Send tegninger.")
    return application


def _proposed(users):
    return assessed(users["case_handler"])


@pytest.mark.parametrize(
    "make",
    [lambda users: submitted(), _in_review, _awaiting_info, _proposed],
    ids=["submitted", "in review", "awaiting info", "proposed"],
)
def test_application_withdraw_before_the_decision(users, make):
    application = make(users)
    applicant = application.applicant

    services.application_withdraw(
        actor=applicant, application=application, reason="Vi fikk penger fra et fond."
    )

    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    assert application.closed_at is not None
    event = only_event(application, K.WITHDRAWN)
    assert event.actor == applicant
    assert event.note == "Vi fikk penger fra et fond."
    assert event.visible_to_applicant


def test_application_withdraw_refused_after_the_decision(users):
    application = decided(users["case_handler"], users["programme_leader"])
    before = grant_rows()

    with pytest.raises(ValidationError) as excinfo:
        services.application_withdraw(actor=application.applicant, application=application)

    assert messages_of(excinfo) == ["An application can only be withdrawn before the decision."]
    assert grant_rows() == before


def test_application_withdraw_refused_for_a_draft_and_for_outsiders(users):
    draft = draft_for()
    application = submitted()
    stranger = outsider()
    before = grant_rows()

    with pytest.raises(ValidationError):
        services.application_withdraw(actor=draft.applicant, application=draft)
    for actor in (stranger, users["case_handler"], users["programme_leader"]):
        with pytest.raises(PermissionDenied):
            services.application_withdraw(actor=actor, application=application)

    assert grant_rows() == before


# applicant_message -----------------------------------------------------------------------------


def test_applicant_message_answering_an_info_request_sends_the_case_back_to_review(users):
    application = _awaiting_info(users)
    request = CaseMessage.objects.get(application=application, kind=CaseMessage.Kind.INFO_REQUEST)
    applicant = application.applicant

    message = services.applicant_message(
        actor=applicant, application=application, body="  Tegningene ligger ved.  "
    )

    application.refresh_from_db()
    request.refresh_from_db()
    assert application.status == S.IN_REVIEW
    assert request.answered_at is not None
    assert message.kind == CaseMessage.Kind.REPLY
    assert message.body == "Tegningene ligger ved."
    assert not message.from_staff
    event = only_event(application, K.INFO_GIVEN)
    assert event.actor == applicant
    assert event.visible_to_applicant


def test_applicant_message_without_open_request_is_a_plain_message(users):
    application = _in_review(users)

    message = services.applicant_message(
        actor=application.applicant, application=application, body="Når får vi svar?"
    )

    application.refresh_from_db()
    assert application.status == S.IN_REVIEW
    assert message.kind == CaseMessage.Kind.MESSAGE
    event = only_event(application, K.MESSAGE)
    assert event.actor == application.applicant
    assert event.visible_to_applicant


def test_applicant_message_refusals_write_nothing(users):
    application = submitted()
    draft = draft_for()
    stranger = outsider()
    before = grant_rows()

    with pytest.raises(ValidationError) as excinfo:
        services.applicant_message(actor=application.applicant, application=application, body=" ")
    assert list(excinfo.value.message_dict) == ["body"]
    with pytest.raises(ValidationError):
        services.applicant_message(actor=draft.applicant, application=draft, body="Hei")
    for actor in (stranger, users["case_handler"]):
        with pytest.raises(PermissionDenied):
            services.applicant_message(actor=actor, application=application, body="Hei")

    assert grant_rows() == before


# The case history is append-only ---------------------------------------------------------------


def test_a_saved_case_event_cannot_be_changed_or_deleted():
    application = submitted()
    event = only_event(application, K.SUBMITTED)

    event.note = "Endret i ettertid"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    with pytest.raises(ValueError, match="append-only"):
        CaseEvent.objects.filter(pk=event.pk).delete()

    stored = CaseEvent.objects.get(pk=event.pk)
    assert stored.note == ""
    assert stored.kind == K.SUBMITTED
