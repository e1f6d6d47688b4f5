"""The pieces the services lean on: the round's rules (each tied to the step and field where the
applicant fixes it), the workflow table, the appeal deadline, upload checks and money shown."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from areas.models import Area
from core.formatting import kroner
from grants import rules, workflow
from grants.deadlines import appeal_deadline
from grants.models import ApplicantKind, AttachmentKind, GrantApplication
from grants.uploads import inspect_upload

from .factories import (
    MINIMAL_PDF,
    ApplicationFactory,
    GrantRoundFactory,
    OrganisationFactory,
    exe_upload,
    pdf_upload,
)

S = GrantApplication.Status
OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def where(application) -> list[tuple[str, str]]:
    return [(p.step, p.field) for p in rules.problems(application)]


# rules.problems --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_complete_draft_in_an_open_round_breaks_no_rule():
    assert rules.problems(ApplicationFactory()) == []


@pytest.mark.django_db
@pytest.mark.parametrize("field", rules.MEASURE_REQUIRED)
def test_each_missing_measure_field_is_named_on_the_measure_step(field):
    value = None if field in ("sub_goal", "area", "expected_participants") else ""
    if field in ("start_date", "end_date", "on_own_property"):
        value = None
    application = ApplicationFactory(**{field: value})

    problems = rules.problems(application)

    assert [(p.step, p.field) for p in problems] == [("tiltak", field)]
    if field == "on_own_property":  # a choice, not a text to fill in
        assert (
            problems[0].message == "Say whether the measure is on the organisation's own property."
        )
    else:
        assert problems[0].message.startswith("Fill in “")


@pytest.mark.django_db
def test_an_unanswered_property_question_asks_for_no_agreement_yet():
    application = ApplicationFactory(on_own_property=None)

    assert AttachmentKind.PROPERTY_AGREEMENT not in rules.required_attachment_kinds(application)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"own_contribution": 20_000, "other_funding": 40_000}, [("budsjett", "own_contribution")]),
        ({"other_funding": 0}, [("budsjett", "amount_applied")]),
        ({"cost_lines": []}, [("budsjett", "cost_lines")]),
        ({"cost_lines": [("Ingenting", 0)]}, [("budsjett", "cost_lines")]),
        ({"on_own_property": False}, [("vedlegg", "file")]),
        ({"attachments": False}, [("vedlegg", "file")]),
        ({"start_date": "yesterday"}, [("tiltak", "start_date")]),
    ],
    ids=["own share", "financing", "no lines", "zero lines", "agreement", "resolution", "start"],
)
def test_each_rule_points_at_the_step_and_field_to_fix(kwargs, expected):
    if kwargs.get("start_date") == "yesterday":
        kwargs["start_date"] = timezone.localdate() - timedelta(days=1)

    assert where(ApplicationFactory(**kwargs)) == expected


@pytest.mark.django_db
def test_city_share_and_max_amount_both_named_when_both_broken():
    grant_round = GrantRoundFactory(min_own_share_percent=10, max_amount=50_000)
    application = ApplicationFactory(
        round=grant_round, own_contribution=20_000, other_funding=0, amount_applied=80_000
    )

    messages = [p.message for p in rules.problems(application)]

    assert messages == [
        "The city can cover at most 70 % of the total cost, that is 70,000\xa0kr.",
        "This round grants at most 50,000\xa0kr per application.",
    ]


@pytest.mark.django_db
def test_the_round_rules_are_its_data():
    """The same figures pass a round with a lower minimum own share and fail a stricter one."""
    figures = {"own_contribution": 25_000, "other_funding": 35_000, "amount_applied": 40_000}
    loose = GrantRoundFactory(min_own_share_percent=20)
    strict = GrantRoundFactory(min_own_share_percent=60)

    assert rules.problems(ApplicationFactory(round=loose, **figures)) == []
    strict_problems = rules.problems(ApplicationFactory(round=strict, **figures))
    assert [p.field for p in strict_problems] == ["own_contribution"]
    assert "at least 60 % of the total cost, that is 60,000\xa0kr" in strict_problems[0].message


@pytest.mark.django_db
def test_applicant_type_not_in_the_round_is_named_on_the_organisation_step():
    grant_round = GrantRoundFactory(applicant_kinds=[ApplicantKind.HOUSING_COOP])
    organisation = OrganisationFactory(kind=ApplicantKind.SOCIAL_ENTERPRISE)

    problems = rules.problems(ApplicationFactory(round=grant_round, organisation=organisation))

    assert [(p.step, p.field) for p in problems] == [("organisasjon", "organisation")]
    assert problems[0].message == (
        "This round is open to: Housing co-operative (borettslag). "
        "Your organisation is registered as “Social entrepreneur”."
    )


@pytest.mark.django_db
def test_area_outside_the_round_names_the_area():
    grant_round = GrantRoundFactory(areas=[Area.objects.get(slug="haugenstua")])
    application = ApplicationFactory(round=grant_round)

    problems = rules.problems(application)

    assert [(p.step, p.field) for p in problems] == [("tiltak", "area")]
    assert str(application.area) in problems[0].message


@pytest.mark.django_db
def test_round_closing_time_is_shown_in_oslo_time():
    closes = datetime(2026, 4, 15, 23, 59, tzinfo=OSLO)
    grant_round = GrantRoundFactory(
        opens_at=datetime(2026, 1, 29, 9, tzinfo=OSLO), closes_at=closes
    )

    before_opening = rules.round_problems(grant_round, at=datetime(2026, 1, 20, tzinfo=OSLO))
    open_now = rules.round_problems(grant_round, at=datetime(2026, 3, 1, tzinfo=OSLO))
    after_closing = rules.round_problems(grant_round, at=closes)

    assert open_now == []
    assert before_opening[0].message == "The round has not opened yet. It opens 29.01.2026 09:00."
    assert after_closing[0].message == (
        "The round closed 15.04.2026 23:59. Applications can no longer be submitted."
    )
    assert (after_closing[0].step, after_closing[0].field) == ("oppsummering", "__all__")


# workflow --------------------------------------------------------------------------------------


def test_every_status_is_in_the_table_and_reachable_from_a_draft():
    edges = workflow.WORKFLOW.edges()
    assert {source for source, _name, _target in edges} | {t for *_e, t in edges} == set(S.values)
    reached, frontier = {S.DRAFT}, [S.DRAFT]
    while frontier:
        current = frontier.pop()
        for source, _name, target in edges:
            if source == current and target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(S.values)


@pytest.mark.parametrize("status", [S.CLOSED, S.WITHDRAWN, S.LAPSED])
def test_a_finished_case_moves_nowhere(status):
    assert not [edge for edge in workflow.WORKFLOW.edges() if edge[0] == status]


def test_withdrawal_only_before_the_decision():
    before_decision = {S.SUBMITTED, S.IN_REVIEW, S.AWAITING_INFO, S.PROPOSED}
    assert before_decision == workflow.WITHDRAWABLE
    assert not workflow.WITHDRAWABLE & workflow.DECIDED
    assert all(workflow.WORKFLOW.can_move(status, S.WITHDRAWN) for status in before_decision)


def test_a_refused_move_names_the_status_in_words():
    application = GrantApplication(status=S.REJECTED)

    refusal = workflow.status_refusal(application, "accept")

    assert str(refusal) == "This cannot be done while it is “Rejected”."
    assert not refusal.forbidden


def test_every_timeline_stage_covers_each_status_once_except_the_exits():
    covered = [status for _stage, statuses in workflow.TIMELINE for status in statuses]
    assert len(covered) == len(set(covered))
    assert set(S.values) - set(covered) == {S.WITHDRAWN}


# deadlines -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("notified", "deadline"),
    [
        # Three weeks to the day, a working day.
        (date(2026, 11, 2), date(2026, 11, 23)),
        # Three weeks after a Friday: Ascension Day is the Thursday before, not in the way.
        (date(2026, 4, 24), date(2026, 5, 15)),
        # Lands on Ascension Day (14 May 2026) → Friday.
        (date(2026, 4, 23), date(2026, 5, 15)),
        # Lands on Sunday 17 May 2026 → Monday.
        (date(2026, 4, 26), date(2026, 5, 18)),
        # Lands on Monday 17 May 2027 → Tuesday.
        (date(2027, 4, 26), date(2027, 5, 18)),
        # Lands on Saturday → Monday.
        (date(2026, 2, 21), date(2026, 3, 16)),
        # Lands on Maundy Thursday 2026 → past Good Friday, Easter and Easter Monday.
        (date(2026, 3, 12), date(2026, 4, 7)),
        # Lands on 1 May (Friday) → Monday.
        (date(2026, 4, 10), date(2026, 5, 4)),
        # Lands on Whit Monday 2026 → Tuesday.
        (date(2026, 5, 4), date(2026, 5, 26)),
        # Lands on 24 December → past Christmas and the weekend.
        (date(2026, 12, 3), date(2026, 12, 28)),
        # Lands on 31 December → past New Year's Day and the weekend.
        (date(2026, 12, 10), date(2027, 1, 4)),
    ],
)
def test_appeal_deadline_is_three_weeks_moved_to_the_next_working_day(notified, deadline):
    assert appeal_deadline(notified) == deadline


# uploads ---------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


def test_a_pdf_is_accepted_by_its_content():
    assert inspect_upload(pdf_upload()) == ("application/pdf", "pdf")


def test_a_png_is_accepted_whatever_it_is_called():
    upload = SimpleUploadedFile("bilde.pdf", PNG + b"\x00" * 64, content_type="application/pdf")

    assert inspect_upload(upload) == ("image/png", "png")


def test_an_executable_renamed_pdf_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        inspect_upload(exe_upload("tilbud.pdf"))

    assert excinfo.value.error_list[0].code == "file_type"
    assert excinfo.value.messages == [
        "“tilbud.pdf” is not a file type we accept, whatever its name says. "
        "Upload PDF, JPG, PNG, DOCX, XLSX, ODT."
    ]


def test_plain_text_called_pdf_is_refused():
    upload = SimpleUploadedFile("vedtak.pdf", b"Dette er ikke en PDF.\n" * 10)

    with pytest.raises(ValidationError) as excinfo:
        inspect_upload(upload)

    assert excinfo.value.error_list[0].code == "file_type"


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        inspect_upload(SimpleUploadedFile("tom.pdf", b""))

    assert excinfo.value.messages == ["The file is empty."]


def test_a_file_over_the_limit_is_refused_with_both_sizes(settings):
    settings.GRANT_ATTACHMENT_MAX_BYTES = 1024
    upload = SimpleUploadedFile("stor.pdf", MINIMAL_PDF + b"0" * (3000 - len(MINIMAL_PDF)))

    with pytest.raises(ValidationError) as excinfo:
        inspect_upload(upload)

    assert excinfo.value.error_list[0].code == "too_large"
    assert excinfo.value.messages == ["The file is 2.9\xa0KB. Files may be at most 1.0\xa0KB."]


def test_a_file_at_the_limit_is_accepted(settings):
    settings.GRANT_ATTACHMENT_MAX_BYTES = len(MINIMAL_PDF)

    assert inspect_upload(pdf_upload()) == ("application/pdf", "pdf")


# money -----------------------------------------------------------------------------------------


def test_amounts_are_shown_in_whole_kroner_with_norwegian_grouping():
    with translation.override("nb"):
        assert kroner(40_000).replace("\xa0", " ") == "40 000 kr"
        assert kroner(1_234_567.4).replace("\xa0", " ") == "1 234 567 kr"
