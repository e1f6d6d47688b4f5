"""Whatever a person types into any form of the portal, the answer is never a 5xx, and a refused
form writes nothing.

The test reads each page as the user who works there, finds every form that posts (so a form
added to a page is covered without a line here), and lets hypothesis fill its fields with what
people and attackers send: NUL bytes, numbers too big for any column, dates in year 1 and 9999,
text in every script, choices that are not on the list. Each answer must be below 500; an
answer of 400 (the form shown again with its errors) must leave every table as it was.
"""

from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.accounts.factories import make_user
from tests.grants.factories import (
    GrantRoundFactory,
    assessed,
    decided,
    draft_for,
    letter_sent,
    submitted,
)
from tests.participation.factories import EventFactory, InputFactory, RegistrationFactory
from tests.projects.factories import IndicatorFactory, MilestoneFactory, ProjectFactory

pytestmark = pytest.mark.django_db

EXAMPLES = 12  # per form; the forms are many, and each example is a full request


# --- Reading the forms on a page -----------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, number, date, datetime-local, email, checkbox, radio, select …
    options: list[str] = field(default_factory=list)
    value: str = ""


@dataclass
class PostForm:
    action: str
    fields: dict[str, Field] = field(default_factory=dict)
    multipart: bool = False


class _FormParser(HTMLParser):
    def __init__(self, page_path: str):
        super().__init__()
        self.page_path = page_path
        self.forms: list[PostForm] = []
        self._form: PostForm | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                action = a.get("action") or self.page_path
                self._form = PostForm(
                    action=urlsplit(action).path or self.page_path,
                    multipart="multipart" in (a.get("enctype") or ""),
                )
            return
        form = self._form
        if form is None or not a.get("name") or a["name"] == "csrfmiddlewaretoken":
            if tag == "option" and self._select is not None:
                self._select.options.append(a.get("value", ""))
                if "selected" in a or not self._select.value:
                    self._select.value = a.get("value", "")
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            existing = form.fields.get(name)
            if existing and kind in ("checkbox", "radio"):
                existing.options.append(a.get("value", "on"))
                if "checked" in a:
                    existing.value = a.get("value", "on")
                return
            checkable = kind in ("checkbox", "radio")
            form.fields[name] = Field(
                name,
                kind,
                options=[a.get("value", "on")] if checkable else [],
                value=(a.get("value", "on") if "checked" in a else "")
                if checkable
                else a.get("value", ""),
            )
        elif tag == "textarea":
            self._textarea = form.fields[name] = Field(name, "textarea")
        elif tag == "select":
            self._select = form.fields[name] = Field(name, "select")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None


def post_forms(client: Client, path: str) -> list[PostForm]:
    response = client.get(path)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    parser = _FormParser(path)
    parser.feed(response.content.decode())
    # The language switcher and sign-out are on every page; they are tested elsewhere.
    skip = (reverse("set_language"), reverse("account_logout"))
    return [form for form in parser.forms if form.action not in skip]


# --- What people send ----------------------------------------------------------------------------

NASTY_TEXT = st.one_of(
    st.text(max_size=60),
    st.text(max_size=20).map(lambda t: f"{t}\x00{t}"),
    st.text(alphabet="æøåÆØÅ𝔘ñ中ض\u202e\ufeff'\"<>&;=+-@", max_size=40),
    st.just('=HYPERLINK("http://example.org")'),
    st.text(min_size=1000, max_size=1200),
)
NASTY_NUMBER = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["2147483648", "9223372036854775808", "-1", "1e9", "0x10", "١٢", "NaN", ""]),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    NASTY_TEXT,
)
NASTY_DATE = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30", "31.12.2026", "", "2026-13-01"]),
    NASTY_TEXT,
)
NASTY_DATETIME = st.one_of(
    NASTY_DATE.map(lambda d: f"{d}T12:00"),
    st.sampled_from(["9999-12-31T23:59", "0001-01-01T00:00", "2026-03-29T02:30"]),
    NASTY_TEXT,
)


def value_for(f: Field):
    if f.kind == "hidden":
        return st.one_of(st.just(f.value), NASTY_TEXT)
    if f.kind == "number":
        return NASTY_NUMBER
    if f.kind == "date":
        return NASTY_DATE
    if f.kind == "datetime-local":
        return NASTY_DATETIME
    if f.kind in ("checkbox", "radio", "select"):
        choices = list(f.options) or [""]
        return st.one_of(st.sampled_from(choices), st.just(""), NASTY_TEXT)
    return NASTY_TEXT


def form_data(form: PostForm):
    """The form as the page fills it, with one or two fields (or, now and then, all of them)
    replaced by what a careless or hostile sender puts there: a rule that only one field breaks
    is found, not hidden behind the errors of the others."""
    fields = [f for f in form.fields.values() if f.kind != "file"]
    defaults = {f.name: f.value for f in fields if f.value or f.kind not in ("checkbox", "radio")}
    if not fields:
        return st.just({})
    nasty_all = st.fixed_dictionaries({f.name: value_for(f) for f in fields})

    @st.composite
    def some_fields(draw):
        chosen = draw(
            st.lists(st.sampled_from(fields), min_size=1, max_size=2, unique_by=lambda f: f.name)
        )
        return defaults | {f.name: draw(value_for(f)) for f in chosen}

    return st.one_of(some_fields(), some_fields(), nasty_all)


# --- The world ------------------------------------------------------------------------------------


def _table_rows() -> list[tuple]:
    """A fingerprint of every table of the portal's own apps — row count and highest pk — in
    one query, so that it can be taken around every request."""
    parts = []
    for label in ("accounts", "grants", "participation", "projects", "areas", "core"):
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models():
            table, pk = model._meta.db_table, model._meta.pk.column
            # As text: a table keyed by a name (core's data versions) beside those keyed by
            # a number, in one UNION that PostgreSQL types column by column.
            parts.append(
                f"SELECT '{table}', COUNT(*), CAST(MAX({pk}) AS TEXT) FROM {table}"  # noqa: S608
            )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return sorted(cursor.fetchall())


@pytest.fixture
def people(bjerke):
    return {
        "resident": make_user(),
        "case_handler": make_user("case_handler", bjerke),
        "project_leader": make_user("project_leader", bjerke),
        "programme_leader": make_user("programme_leader", bjerke),
        "secretariat": make_user("secretariat"),
    }


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _check_every_form(client: Client, path: str):
    forms = post_forms(client, path)
    assert forms, f"{path} has no form to try"
    failures = []
    for form in forms:
        failure = _try_form(client, form)
        if failure:
            failures.append(failure)
    assert not failures, "\n".join(failures)


def _try_form(client: Client, form: PostForm) -> str | None:
    """Hypothesis's smallest failing example for ``form``, or None when every example holds."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=form_data(form))
    def attempt(data):
        before = _table_rows()
        response = client.post(form.action, data)  # a view's exception propagates from here
        assert response.status_code < 500, (form.action, data, response.status_code)
        if response.status_code == 400:
            assert _table_rows() == before, f"{form.action} refused {data!r} but wrote"

    try:
        attempt()
    except Exception as exc:  # noqa: BLE001 - every form's failure is collected, then reported
        return f"{form.action}: {type(exc).__name__}: {exc}"
    return None


# --- The pages, as the people who use them ----------------------------------------------------


def test_the_applicants_forms(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    resident = people["resident"]
    draft = draft_for(resident)
    client = _client(resident)
    for step in ("organisasjon", "tiltak", "budsjett", "vedlegg"):
        _check_every_form(client, reverse("grants:application_step", args=[draft.pk, step]))
    _check_every_form(client, reverse("grants:organisation_create"))
    _check_every_form(client, reverse("grants:organisation_detail", args=[draft.organisation.pk]))


def test_the_applicants_forms_after_the_decision(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    handler, leader, resident = (
        people["case_handler"],
        people["programme_leader"],
        people["resident"],
    )
    granted = letter_sent(decided(handler, leader, resident))
    client = _client(resident)
    _check_every_form(client, reverse("grants:application_detail", args=[granted.pk]))
    _check_every_form(client, reverse("grants:appeal_submit", args=[granted.pk]))
    _check_every_form(client, reverse("grants:grant_accept", args=[granted.pk]))


def test_the_case_handlers_forms(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    handler = people["case_handler"]
    client = _client(handler)
    fresh = submitted()
    _check_every_form(client, reverse("grants:staff_case", args=[fresh.pk]))
    taken = submitted()
    from grants import services

    services.case_take(actor=handler, application=taken)
    services.impartiality_declare(actor=handler, application=taken, impartial=True)
    _check_every_form(client, reverse("grants:staff_case", args=[taken.pk]))


def test_the_programme_leaders_forms(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    leader = people["programme_leader"]
    proposed = assessed(people["case_handler"])
    from grants import services

    services.impartiality_declare(actor=leader, application=proposed, impartial=True)
    _check_every_form(_client(leader), reverse("grants:staff_case", args=[proposed.pk]))


def test_the_secretariats_round_form(people):
    client = _client(people["secretariat"])
    _check_every_form(client, reverse("grants:staff_round_create"))
    grant_round = GrantRoundFactory()
    _check_every_form(client, reverse("grants:staff_round_edit", args=[grant_round.slug]))


def test_the_project_forms(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = ProjectFactory()
    MilestoneFactory(project=project)
    IndicatorFactory(project=project)
    client = _client(people["project_leader"])
    _check_every_form(client, reverse("projects:staff_create"))
    _check_every_form(client, reverse("projects:staff_edit", args=[project.slug]))
    _check_every_form(client, reverse("projects:staff_detail", args=[project.slug]))


def test_the_participation_staff_forms(people):
    event = EventFactory()
    RegistrationFactory(event=event)
    given_input = InputFactory()
    client = _client(people["project_leader"])
    _check_every_form(client, reverse("participation:staff_event_create"))
    _check_every_form(client, reverse("participation:staff_event_edit", args=[event.slug]))
    _check_every_form(client, reverse("participation:staff_event", args=[event.slug]))
    _check_every_form(client, reverse("participation:staff_input", args=[given_input.pk]))
    _check_every_form(client, reverse("participation:staff_input_create"))


def test_the_public_participation_forms(people):
    event = EventFactory()
    for user in (None, people["resident"]):
        client = _client(user)
        _check_every_form(client, reverse("participation:event_detail", args=[event.slug]))
        _check_every_form(client, reverse("participation:input_create"))


def test_the_account_forms(people):
    _check_every_form(_client(people["resident"]), reverse("accounts:profile"))
