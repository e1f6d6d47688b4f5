"""Who may see and do what with a grant case: each scope and each check as a matrix over the
roles of the ``users`` fixture and every status an application can have."""

import itertools

import pytest

from areas.models import Area
from grants import actions, permissions
from grants.models import Assessment, GrantApplication, ImpartialityDeclaration, Membership
from tests.accounts.factories import UserFactory
from tests.matrix import ROLES

from .factories import ApplicationFactory, GrantRoundFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

S = GrantApplication.Status
STAFF = [role for role in ROLES if role != "anonymous"]
HANDLERS = {"case_handler", "programme_leader"}
BJERKE_AREA = "veitvet-og-slettelokka"
ALNA_AREA = "trosterud-og-haugerud"
_numbers = itertools.count(1)


def application(status: str, area_slug: str = BJERKE_AREA, **kwargs) -> GrantApplication:
    """An application as it stands in ``status``; how it got there does not matter here."""
    reference = None if status == S.DRAFT else f"BMT-2026-{next(_numbers):04d}"
    return ApplicationFactory(
        status=status,
        reference=reference,
        area=Area.objects.get(slug=area_slug),
        attachments=False,
        **kwargs,
    )


def declare(user, app, impartial=True):
    return ImpartialityDeclaration.objects.create(application=app, user=user, impartial=impartial)


def assert_no_mismatches(mismatches: list[str]) -> None:
    assert not mismatches, "Permission mismatches:\n" + "\n".join(mismatches)


# applications_visible_to -----------------------------------------------------------------------


def staff_may_see(role: str, district: str, status: str) -> bool:
    if status == S.DRAFT:
        return False  # a draft is the applicant's alone
    if role == "secretariat":
        return True
    if role in HANDLERS:
        return district == "bjerke"
    if role == "other_district_leader":
        return district == "alna"
    return False  # residents, project leaders and the board reach no case


def test_applications_visible_to_matrix(users):
    cases = {
        (district, status): application(status, slug)
        for district, slug in (("bjerke", BJERKE_AREA), ("alna", ALNA_AREA))
        for status in S.values
    }
    mismatches = []

    for role in STAFF:
        visible = set(permissions.applications_visible_to(users[role]).values_list("pk", flat=True))
        for (district, status), app in cases.items():
            expected = staff_may_see(role, district, status)
            if (app.pk in visible) != expected:
                mismatches.append(f"{role} {district} {status}: expected {expected}")

    assert_no_mismatches(mismatches)


def test_applications_visible_to_anonymous_is_empty():
    from django.contrib.auth.models import AnonymousUser

    application(S.SUBMITTED)

    assert not permissions.applications_visible_to(AnonymousUser()).exists()


# can_handle ------------------------------------------------------------------------------------


def test_can_handle_matrix(users):
    mismatches = []
    for status in S.values:
        bjerke_case, alna_case = application(status), application(status, ALNA_AREA)
        for role in STAFF:
            for district, app in (("bjerke", bjerke_case), ("alna", alna_case)):
                expected = status != S.DRAFT and (
                    (role in HANDLERS and district == "bjerke")
                    or (role == "other_district_leader" and district == "alna")
                )
                if permissions.can_handle(users[role], app) != expected:
                    mismatches.append(f"{role} {district} {status}: expected {expected}")

    assert_no_mismatches(mismatches)


def test_no_one_handles_an_application_without_an_area(users):
    app = ApplicationFactory(status=S.SUBMITTED, reference="BMT-2026-9999", area=None)

    assert [role for role in STAFF if permissions.can_handle(users[role], app)] == []
    assert [role for role in STAFF if permissions.has_decider_role(users[role], app)] == []


# can_assess ------------------------------------------------------------------------------------


def test_can_assess_matrix_assigned_and_impartial(users):
    """Each role given the case and declared impartial: only the district's handlers may assess."""
    mismatches = []
    for status in S.values:
        for role in STAFF:
            app = application(status, assigned_to=users[role])
            declare(users[role], app)
            expected = status != S.DRAFT and role in HANDLERS
            if permissions.can_assess(users[role], app) != expected:
                mismatches.append(f"{role} {status}: expected {expected}")

    assert_no_mismatches(mismatches)


@pytest.mark.parametrize(
    ("assigned", "declarations", "expected"),
    [
        (True, [], False),
        (True, [True], True),
        (True, [False], False),
        (True, [True, False], False),  # the latest declaration counts
        (True, [False, True], True),
        (False, [True], False),
    ],
    ids=["undeclared", "impartial", "not impartial", "changed to not", "changed to", "not hers"],
)
def test_can_assess_needs_the_case_and_a_latest_declaration_of_impartiality(
    users, assigned, declarations, expected
):
    handler = users["case_handler"]
    colleague = users["programme_leader"]
    app = application(S.IN_REVIEW, assigned_to=handler if assigned else colleague)
    for impartial in declarations:
        declare(handler, app, impartial)
    declare(colleague, app, True)  # a colleague's declaration is not hers

    assert permissions.can_assess(handler, app) is expected


# deciding --------------------------------------------------------------------------------------


def can_decide(user, app) -> bool:
    """What the case page offers and ``decision_make`` accepts: the one check of the action."""
    return actions.Decide().allowed(user, app)


def test_can_decide_matrix(users):
    """Each role, impartial, on a case a colleague assessed: only Bjerke's programme leader, and
    only once the case is proposed."""
    assessor = users["case_handler"]
    mismatches = []
    for status in S.values:
        for role in STAFF:
            app = application(status)
            Assessment.objects.create(application=app, assessor=assessor)
            declare(users[role], app)
            expected = status == S.PROPOSED and role == "programme_leader"
            if can_decide(users[role], app) != expected:
                mismatches.append(f"{role} {status}: expected {expected}")

    assert_no_mismatches(mismatches)


def test_other_districts_programme_leader_decides_only_there(users):
    leader = users["other_district_leader"]
    alna_case = application(S.PROPOSED, ALNA_AREA)
    bjerke_case = application(S.PROPOSED)
    declare(leader, alna_case)
    declare(leader, bjerke_case)

    assert can_decide(leader, alna_case)
    assert not can_decide(leader, bjerke_case)


@pytest.mark.parametrize(
    ("four_eyes", "self_assessed", "impartial", "expected"),
    [
        (True, False, True, True),
        (True, True, True, False),  # four eyes: the assessor does not decide
        (False, True, True, True),
        (True, False, None, False),  # not declared
        (True, False, False, False),
    ],
)
def test_can_decide_four_eyes_and_impartiality(
    users, four_eyes, self_assessed, impartial, expected
):
    leader = users["programme_leader"]
    app = application(S.PROPOSED, round=GrantRoundFactory(four_eyes=four_eyes))
    Assessment.objects.create(
        application=app, assessor=leader if self_assessed else users["case_handler"]
    )
    if impartial is not None:
        declare(leader, app, impartial)

    assert can_decide(leader, app) is expected
    assert permissions.may_decide_here(leader, app) is (not (four_eyes and self_assessed))


# applications_for_applicant --------------------------------------------------------------------


def test_applications_for_applicant_matrix(users):
    """A member reaches every application of their organisations, drafts included; no one else
    reaches them this way, whatever staff role they hold."""
    member = UserFactory()
    own_org = OrganisationFactory(member=member)
    other_org = OrganisationFactory(member=UserFactory())
    own = {status: application(status, organisation=own_org) for status in S.values}
    other = {status: application(status, organisation=other_org) for status in S.values}

    assert set(permissions.applications_for_applicant(member)) == set(own.values())
    for role in STAFF:
        reached = set(permissions.applications_for_applicant(users[role]))
        assert reached == set(), role
    assert not set(permissions.applications_for_applicant(member)) & set(other.values())


def test_an_applicant_acting_for_two_organisations_sees_each_application_once():
    member = UserFactory()
    first, second = OrganisationFactory(member=member), OrganisationFactory(member=member)
    apps = [application(S.DRAFT, organisation=first), application(S.SUBMITTED, organisation=second)]

    reached = list(permissions.applications_for_applicant(member))

    assert sorted(a.pk for a in reached) == sorted(a.pk for a in apps)
    assert list(permissions.organisations_for(member).order_by("pk")) == [first, second]


def test_only_an_admin_member_may_invite(users):
    admin = UserFactory()
    organisation = OrganisationFactory(member=admin)
    plain = UserFactory()
    Membership.objects.create(organisation=organisation, user=plain, is_admin=False)

    assert permissions.can_invite(admin, organisation)
    assert not permissions.can_invite(plain, organisation)
    assert not any(permissions.can_invite(users[role], organisation) for role in STAFF)


# staff pages -----------------------------------------------------------------------------------


def test_who_reaches_the_case_queue_and_the_round_figures(users):
    queue = {role for role in STAFF if permissions.can_view_cases(users[role])}
    rounds = {role for role in STAFF if permissions.can_manage_rounds(users[role])}

    assert queue == {"case_handler", "programme_leader", "other_district_leader", "secretariat"}
    assert rounds == {"secretariat"}
