"""Every URL the portal has, filled with real objects, fetched as every role.

The table below names, for each URL, the roles that may read it. Everyone else must get a login
redirect, a 403, a 404 or a 405 — never a page, never a 500. A URL added to the portal without a
row here fails the test, so the table cannot fall behind. The programme board's pages are also
scanned for the personal data of the world's residents.
"""

from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from grants.actions import CASE_ACTIONS
from participation.actions import INPUT_ACTIONS
from tests.accounts.factories import make_user
from tests.grants.factories import decided, letter_sent
from tests.participation.factories import EventFactory, InputFactory, RegistrationFactory
from tests.projects.factories import IndicatorFactory, MilestoneFactory, ProjectFactory

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "resident",  # the applicant: member of the organisation, registered for the event
    "other_resident",
    "case_handler",
    "project_leader",
    "programme_leader",
    "other_district_leader",
    "board",
    "secretariat",
)
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
EVERYONE = frozenset(ROLES)
DISTRICT_STAFF = frozenset({"case_handler", "project_leader", "programme_leader"})
STAFF = DISTRICT_STAFF | {"other_district_leader", "board", "secretariat"}
APPLICANT = frozenset({"resident"})
# Grant case handling: the district's case handler and programme leader, and the secretariat.
CASE_STAFF = frozenset({"case_handler", "programme_leader", "secretariat"})
# Project and participation work: the district's staff, the secretariat, and the board reads.
PROJECT_EDITORS = frozenset({"project_leader", "programme_leader", "secretariat"})
# Participation is the project leaders' and programme leaders' work; case handlers handle grants.
PARTICIPATION_STAFF = STAFF - {"case_handler"}
NOBODY = frozenset()
# The dashboards: the board and the secretariat, and the district's project and programme leaders.
DASHBOARD_VIEWERS = frozenset({"project_leader", "programme_leader", "board", "secretariat"})

# Answers that mean "not for you": login redirect, forbidden, not found, wrong method.
REFUSED = {302, 403, 404, 405}


@dataclass
class World:
    users: dict
    objects: dict = field(default_factory=dict)
    # Strings that are personal data of residents: never on a page the board may read.
    personal: list[str] = field(default_factory=list)


@pytest.fixture
def world(bjerke, alna, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    users = {
        "resident": make_user(full_name="Kari Søker Nordmann"),
        "other_resident": make_user(),
        "case_handler": make_user("case_handler", bjerke),
        "project_leader": make_user("project_leader", bjerke),
        "programme_leader": make_user("programme_leader", bjerke),
        "other_district_leader": make_user("programme_leader", alna),
        "board": make_user("board"),
        "secretariat": make_user("secretariat"),
    }
    handler, leader = users["case_handler"], users["programme_leader"]
    application = letter_sent(decided(handler, leader, users["resident"]))
    decision = application.decisions.get()
    attachment = application.attachments.first()
    organisation = application.organisation
    project = ProjectFactory()
    milestone = MilestoneFactory(project=project)
    indicator = IndicatorFactory(project=project)
    event = EventFactory(project=project)
    registration = RegistrationFactory(
        event=event,
        user=users["resident"],
        name="Kari Søker Nordmann",
        email=users["resident"].email,
        accessibility_needs="Rullestol",
        confirm_token="c" * 40,
    )
    given = InputFactory(
        project=project,
        author=users["resident"],
        author_name="Kari Søker Nordmann",
        author_email=users["resident"].email,
        consent=True,
    )
    programme = _programme_on_hearing(leader, given)
    objects = {
        "programme": programme,
        "application": application,
        "decision": decision,
        "attachment": attachment,
        "organisation": organisation,
        "round": application.round,
        "project": project,
        "milestone": milestone,
        "indicator": indicator,
        "event": event,
        "registration": registration,
        "input": given,
        "area": application.area,
        **_programme_objects(programme),
        **_knowledge_objects(),
    }
    personal = [
        users["resident"].email,
        "Kari Søker Nordmann",
        organisation.account_number,
        "Rullestol",
    ]
    return World(users=users, objects=objects, personal=personal)


def _programme_on_hearing(leader, given):
    """A programme with version 1 published (its PDF ready) and version 2 out for comments,
    with ``given`` as a comment on it."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from programmes import services as programme_services
    from programmes.models import PlanLink, ProgrammeComment, Rendering
    from tests.programmes.factories import MeasureFactory

    measure = MeasureFactory()
    programme = measure.programme
    programme_services.programme_send_for_review(actor=leader, programme=programme)
    version = programme_services.programme_adopt(actor=leader, programme=programme)
    rendering = version.rendering
    rendering.pdf.save("handlingsprogram/access.pdf", ContentFile(b"%PDF-1.7"), save=False)
    Rendering.objects.filter(pk=rendering.pk).update(
        status=Rendering.Status.READY, pdf=rendering.pdf.name
    )
    programme_services.programme_publish(actor=leader, programme=programme)
    programme = programme_services.programme_revise(actor=leader, programme=programme)
    programme = programme_services.programme_put_on_hearing(
        actor=leader, programme=programme, until=timezone.localdate() + timedelta(days=14)
    )
    ProgrammeComment.objects.create(
        programme=programme, input=given, section="tiltak", measure=measure, version=2
    )
    PlanLink.objects.create(input=given, programme=programme, measure=measure)
    return programme


def _programme(w, **extra):
    programme = w.objects["programme"]
    return {"area": programme.area.slug, "year": programme.year, **extra}


def _programme_objects(programme) -> dict:
    """The programme's first measure, its published version's ready PDF, and a PDF that
    failed."""
    from programmes.models import Rendering

    failed = Rendering.objects.create(
        programme=programme, content={}, content_hash="f" * 64, status=Rendering.Status.FAILED
    )
    return {
        "measure": programme.measures.order_by("position", "pk").first(),
        "pdf": programme.versions.get(number=1).rendering,
        "failed_pdf": failed,
    }


def _knowledge_objects() -> dict:
    from areas.models import District
    from tests.knowledge.factories import (
        ContactFactory,
        DocumentFactory,
        LessonFactory,
        MemberFactory,
        RecipeFactory,
    )

    return {
        "member": MemberFactory(),
        "contact": ContactFactory(),
        "public_document": DocumentFactory(is_public=True),
        "internal_document": DocumentFactory(is_public=False),
        "public_lesson": LessonFactory(published=True),
        "internal_lesson": LessonFactory(),
        "public_recipe": RecipeFactory(status="publisert"),
        "draft_recipe": RecipeFactory(district=District.objects.get(number="09")),
    }


def _staff_programme(**extra):
    return lambda w: {"pk": w.objects["programme"].pk, **extra}


def _staff_programme_with(**objects):
    return lambda w: {
        "pk": w.objects["programme"].pk,
        **{key: w.objects[name].pk for key, name in objects.items()},
    }


def _o(name):
    return lambda w: w.objects[name]


def _pk(name):
    return lambda w: {"pk": w.objects[name].pk}


def _slug(name):
    return lambda w: {"slug": w.objects[name].slug}


def _district_of(name, **extra):
    return lambda w: {"slug": w.objects[name].district.slug, **extra}


def _case(w, **extra):
    return {"pk": w.objects["application"].pk, **extra}


@dataclass(frozen=True)
class Rule:
    """Who may read a URL (GET answers below 400), and how to fill it."""

    may: frozenset
    kwargs: object = None  # a function of the world returning the URL's kwargs
    post_only: bool = False  # an action: GET is 405; POST is refused to everyone else
    # A page that a secret link opens (a registration's status page): it is the link holder's
    # own page, whoever holds it, so it may show their own details.
    by_link: bool = False


def rule(may, kwargs=None, *, post_only=False, by_link=False) -> Rule:
    return Rule(frozenset(may), kwargs, post_only, by_link)


def _board_pack(district: str | None):
    """A ready board pack of the whole programme (``district`` None) or of one district."""

    def kwargs(w):
        from django.core.files.base import ContentFile
        from django.utils import timezone

        from areas.models import District
        from dashboards.models import BoardPack

        ids = None if district is None else [District.objects.get(number=district).pk]
        board_pack, created = BoardPack.objects.get_or_create(
            content_hash=f"access-{district}".ljust(64, "0"),
            defaults={
                "content": {"title": "Styrepakke", "filter_labels": []},
                "scope": {"district_ids": ids},
                "taken_at": timezone.now(),
                "status": BoardPack.Status.READY,
            },
        )
        if created:
            board_pack.pdf.save("styrepakker/access.pdf", ContentFile(b"%PDF-1.7"))
        return {"pk": board_pack.pk}

    return kwargs


CASE = lambda w: _case(w)  # noqa: E731
TABLE: dict[str, Rule] = {
    # The public portal
    "healthz": rule(EVERYONE),
    "set_language": rule(EVERYONE, post_only=True),
    "django.contrib.sitemaps.views.sitemap": rule(EVERYONE),
    "home": rule(EVERYONE),
    "accessibility": rule(EVERYONE),
    "privacy": rule(EVERYONE),
    "area_detail": rule(EVERYONE, _slug("area")),
    "staff_home": rule(STAFF),
    "favicon": rule(EVERYONE),
    # Public media holds project images alone; a letter's old, guessable address finds nothing.
    "public_media": rule(NOBODY, lambda w: {"name": "grants/vedtak/vedtak-BMT-2026-0001-1.pdf"}),
    # Projects
    "projects:open_data_json": rule(EVERYONE),
    "projects:open_data_csv": rule(EVERYONE),
    "projects:detail": rule(EVERYONE, _slug("project")),
    "projects:staff_list": rule(STAFF),
    "projects:staff_create": rule(PROJECT_EDITORS | {"other_district_leader"}),
    "projects:staff_detail": rule(STAFF - {"other_district_leader"}, _slug("project")),
    "projects:staff_edit": rule(PROJECT_EDITORS, _slug("project")),
    "projects:staff_history": rule(STAFF - {"other_district_leader"}, _slug("project")),
    "projects:milestone_add": rule(PROJECT_EDITORS, _slug("project"), post_only=True),
    "projects:milestone_done": rule(
        PROJECT_EDITORS,
        lambda w: {"slug": w.objects["project"].slug, "pk": w.objects["milestone"].pk},
        post_only=True,
    ),
    "projects:indicator_add": rule(PROJECT_EDITORS, _slug("project"), post_only=True),
    "projects:indicator_value_add": rule(
        PROJECT_EDITORS,
        lambda w: {"slug": w.objects["project"].slug, "pk": w.objects["indicator"].pk},
        post_only=True,
    ),
    "projects:update_add": rule(PROJECT_EDITORS, _slug("project"), post_only=True),
    "projects:budget_set": rule(PROJECT_EDITORS, _slug("project"), post_only=True),
    "projects:partner_add": rule(PROJECT_EDITORS, _slug("project"), post_only=True),
    "projects:image_add": rule(PROJECT_EDITORS, _slug("project"), post_only=True),
    # Grants: the applicant's side
    "grants:rounds": rule(EVERYONE),
    "grants:round_detail": rule(EVERYONE, _slug("round")),
    "grants:application_start": rule(SIGNED_IN, _slug("round")),
    "grants:application_step": rule(APPLICANT, lambda w: _case(w, step="tiltak")),
    "grants:attachment_remove": rule(
        APPLICANT,
        lambda w: _case(w, attachment_pk=w.objects["attachment"].pk),
        post_only=True,
    ),
    "grants:application_submit": rule(APPLICANT, CASE, post_only=True),
    "grants:application_receipt": rule(APPLICANT, CASE),
    "grants:organisations": rule(SIGNED_IN),
    "grants:organisation_create": rule(SIGNED_IN),
    "grants:organisation_detail": rule(APPLICANT, _pk("organisation")),
    "grants:invitation_accept": rule(NOBODY, lambda w: {"token": "no-such-invitation"}),
    "grants:my_applications": rule(SIGNED_IN),
    "grants:application_detail": rule(APPLICANT, CASE),
    "grants:application_withdraw": rule(APPLICANT, CASE),
    "grants:application_message": rule(APPLICANT, CASE, post_only=True),
    "grants:grant_accept": rule(APPLICANT, CASE),
    "grants:report_submit": rule(APPLICANT, CASE),
    "grants:appeal_submit": rule(APPLICANT, CASE),
    "grants:decision_letter": rule(
        APPLICANT, lambda w: _case(w, decision_pk=w.objects["decision"].pk)
    ),
    "grants:attachment_download": rule(
        APPLICANT, lambda w: _case(w, attachment_pk=w.objects["attachment"].pk)
    ),
    # Grants: the district's side
    "grants:staff_queue": rule(CASE_STAFF | {"other_district_leader"}),
    "grants:staff_rounds": rule(STAFF - {"project_leader"}),
    "grants:staff_round_create": rule({"secretariat"}),
    "grants:staff_round_edit": rule({"secretariat"}, _slug("round")),
    "grants:staff_case": rule(CASE_STAFF, CASE),
    **{
        f"grants:case_{action.name}": rule(CASE_STAFF, CASE, post_only=True)
        for action in CASE_ACTIONS
    },
    "grants:letter_status": rule(
        APPLICANT, lambda w: _case(w, decision_pk=w.objects["decision"].pk)
    ),
    "grants:staff_letter_status": rule(
        CASE_STAFF, lambda w: _case(w, decision_pk=w.objects["decision"].pk)
    ),
    "grants:staff_decision_letter": rule(
        CASE_STAFF, lambda w: _case(w, decision_pk=w.objects["decision"].pk)
    ),
    "grants:staff_attachment": rule(
        CASE_STAFF, lambda w: _case(w, attachment_pk=w.objects["attachment"].pk)
    ),
    # Participation
    "participation:my_registrations": rule(SIGNED_IN),
    "participation:registration_status": rule(
        EVERYONE, by_link=True, kwargs=lambda w: {"token": w.objects["registration"].token}
    ),
    "participation:registration_confirm": rule(
        EVERYONE, by_link=True, kwargs=lambda w: {"token": w.objects["registration"].confirm_token}
    ),
    "participation:registration_cancel": rule(
        EVERYONE, by_link=True, kwargs=lambda w: {"token": w.objects["registration"].token}
    ),
    "participation:events": rule(EVERYONE),
    "participation:event_detail": rule(EVERYONE, _slug("event")),
    "participation:event_register": rule(EVERYONE, _slug("event"), post_only=True),
    "participation:event_ics": rule(EVERYONE, _slug("event")),
    "participation:area_calendar": rule(EVERYONE, _slug("area")),
    "participation:input_create": rule(EVERYONE),
    "participation:input_thanks": rule(EVERYONE),
    "participation:area_inputs": rule(EVERYONE, _slug("area")),
    "participation:staff_attendance_csv": rule(PARTICIPATION_STAFF),
    "participation:staff_event_registrations_csv": rule(PROJECT_EDITORS, _slug("event")),
    "participation:staff_inputs_csv": rule(PARTICIPATION_STAFF),
    "participation:staff_events": rule(PARTICIPATION_STAFF),
    "participation:staff_event_create": rule(PROJECT_EDITORS | {"other_district_leader"}),
    "participation:staff_event": rule(
        PARTICIPATION_STAFF - {"other_district_leader"}, _slug("event")
    ),
    "participation:staff_event_edit": rule(PROJECT_EDITORS, _slug("event")),
    "participation:staff_event_publish": rule(PROJECT_EDITORS, _slug("event"), post_only=True),
    "participation:staff_event_cancel": rule(PROJECT_EDITORS, _slug("event"), post_only=True),
    "participation:staff_attendance": rule(PROJECT_EDITORS, _slug("event"), post_only=True),
    "participation:staff_check_in": rule(
        PROJECT_EDITORS,
        lambda w: {
            "slug": w.objects["event"].slug,
            "registration_pk": w.objects["registration"].pk,
        },
        post_only=True,
    ),
    "participation:staff_inputs": rule(PARTICIPATION_STAFF),
    "participation:staff_input_create": rule(PROJECT_EDITORS | {"other_district_leader"}),
    "participation:staff_input": rule(
        PARTICIPATION_STAFF - {"other_district_leader"}, _pk("input")
    ),
    **{
        f"participation:staff_input_{action.name}": rule(
            PROJECT_EDITORS, _pk("input"), post_only=True
        )
        for action in INPUT_ACTIONS
    },
    # Handlingsprogram: the public side and residents' comments
    "programmes:detail": rule(EVERYONE, _programme),
    "programmes:comment": rule(EVERYONE, _programme),
    "programmes:versions": rule(EVERYONE, _programme),
    "programmes:version_pdf": rule(EVERYONE, lambda w: _programme(w, number=1)),
    "programmes:staff_comments": rule(STAFF - {"other_district_leader"}, _programme),
    "programmes:staff_comment_take_in": rule(
        PROJECT_EDITORS, lambda w: _programme(w, pk=w.objects["input"].pk), post_only=True
    ),
    # Handlingsprogram: the staff side. The district's staff, the board and the secretariat
    # read every page; the district's project and programme leaders and the secretariat write.
    "programmes:staff_programmes": rule(STAFF),
    "programmes:staff_programme_create": rule(PROJECT_EDITORS | {"other_district_leader"}),
    **{
        f"programmes:{name}": rule(STAFF - {"other_district_leader"}, kwargs)
        for name, kwargs in {
            "staff_programme": _staff_programme(),
            "staff_programme_edit": _staff_programme(),
            "staff_goal_edit": _staff_programme(number=1),
            "staff_measures": _staff_programme(),
            "staff_measure_comment": _staff_programme_with(measure_pk="measure"),
            "staff_rendering_status": _staff_programme(),
            "staff_rendering_download": _staff_programme_with(rendering_pk="pdf"),
            "staff_history": _staff_programme(),
        }.items()
    },
    **{
        f"programmes:{name}": rule(PROJECT_EDITORS, kwargs, post_only=True)
        for name, kwargs in {
            "staff_measure_add": _staff_programme(),
            "staff_measure_remove": _staff_programme_with(measure_pk="measure"),
            "staff_measure_move": _staff_programme_with(measure_pk="measure"),
            "staff_action": _staff_programme(name="hearing"),
            "staff_rendering_request": _staff_programme(),
            "staff_rendering_retry": _staff_programme_with(rendering_pk="failed_pdf"),
        }.items()
    },
    # Following a neighbourhood: the form for everyone; a follow's own pages open by the secret
    # link in its emails alone (an unknown link finds nothing).
    "following:follow": rule(EVERYONE),
    "following:sent": rule(EVERYONE),
    "following:confirm": rule(NOBODY, lambda w: {"token": "no-such-follower"}),
    "following:manage": rule(NOBODY, lambda w: {"token": "no-such-follower"}),
    "following:unfollow": rule(NOBODY, lambda w: {"token": "no-such-follower"}),
    # Search: everyone; each finds only what they may read (tests/search).
    "search:search": rule(EVERYONE),
    # Dashboards: the board and the secretariat see the programme and every district; the
    # district's project and programme leaders their district's (the programme's address takes
    # them there); no one else.
    "dashboards:programme": rule(DASHBOARD_VIEWERS | {"other_district_leader"}),
    "dashboards:export": rule(
        {"board", "secretariat"}, lambda w: {"key": "projects-status", "fmt": "xlsx"}
    ),
    "dashboards:district": rule(DASHBOARD_VIEWERS, _district_of("area")),
    "dashboards:district_export": rule(
        DASHBOARD_VIEWERS, _district_of("area", key="projects-status", fmt="csv")
    ),
    # Dashboards: the board pack. The whole programme's for the board and the secretariat; a
    # district's also for that district's programme and project leaders.
    "dashboards:pack_request": rule({"board", "secretariat"}, post_only=True),
    "dashboards:district_pack_request": rule(
        DASHBOARD_VIEWERS,
        lambda w: {"slug": "bjerke"},
        post_only=True,
    ),
    "dashboards:pack_status": rule(DASHBOARD_VIEWERS, _board_pack("09")),
    "dashboards:pack_download": rule({"board", "secretariat"}, _board_pack(None)),
    # Knowledge: who is responsible
    "knowledge:responsibility": rule(EVERYONE),
    "knowledge:staff_responsibility": rule({"secretariat"}),
    "knowledge:staff_member_create": rule({"secretariat"}),
    "knowledge:staff_member_edit": rule({"secretariat"}, _pk("member")),
    "knowledge:staff_member_delete": rule({"secretariat"}, _pk("member"), post_only=True),
    "knowledge:staff_contact_create": rule({"secretariat"}),
    "knowledge:staff_contact_edit": rule({"secretariat"}, _pk("contact")),
    "knowledge:staff_contact_delete": rule({"secretariat"}, _pk("contact"), post_only=True),
    # Knowledge: the document archive
    "knowledge:archive": rule(EVERYONE),
    "knowledge:document_detail": rule(EVERYONE, _pk("public_document")),
    "knowledge:document_file": rule(EVERYONE, _pk("public_document")),
    "knowledge:staff_archive": rule(STAFF),
    "knowledge:staff_document_create": rule(PROJECT_EDITORS | {"other_district_leader"}),
    "knowledge:staff_document": rule(STAFF, _pk("internal_document")),
    "knowledge:staff_document_file": rule(STAFF, _pk("internal_document")),
    "knowledge:staff_document_edit": rule(PROJECT_EDITORS, _pk("internal_document")),
    # Lessons learned: the published ones for everyone; every one for the staff of every
    # district; written by the project's leaders in its district and the secretariat.
    "knowledge:lessons": rule(EVERYONE),
    "knowledge:lesson_detail": rule(EVERYONE, _pk("public_lesson")),
    "knowledge:staff_lessons": rule(STAFF),
    "knowledge:staff_lesson": rule(STAFF, _pk("internal_lesson")),
    "knowledge:staff_lesson_edit": rule(PROJECT_EDITORS, _pk("internal_lesson")),
    "knowledge:staff_lesson_publish": rule(PROJECT_EDITORS, _pk("internal_lesson"), post_only=True),
    "knowledge:staff_lesson_unpublish": rule(PROJECT_EDITORS, _pk("public_lesson"), post_only=True),
    "knowledge:staff_lesson_create": rule(PROJECT_EDITORS, _slug("project")),
    # Method recipes: published ones for everyone, drafts for staff; a district's recipe is
    # written by its leaders and the secretariat.
    "knowledge:recipes": rule(EVERYONE),
    "knowledge:recipe_detail": rule(EVERYONE, _slug("public_recipe")),
    "knowledge:staff_recipes": rule(STAFF),
    "knowledge:staff_recipe": rule(STAFF, _slug("draft_recipe")),
    "knowledge:staff_recipe_create": rule(PROJECT_EDITORS | {"other_district_leader"}),
    "knowledge:staff_recipe_edit": rule(PROJECT_EDITORS, _slug("draft_recipe")),
    "knowledge:staff_recipe_publish": rule(PROJECT_EDITORS, _slug("draft_recipe"), post_only=True),
    "knowledge:staff_recipe_unpublish": rule(
        PROJECT_EDITORS, _slug("public_recipe"), post_only=True
    ),
    # My account
    "accounts:profile": rule(SIGNED_IN),
    "accounts:export": rule(SIGNED_IN, post_only=True),
    "accounts:delete": rule(SIGNED_IN),
}

# URLs that are not the portal's own pages: the admin (tested below, model by model), allauth's
# sign-in pages (tested below), and patterns Django adds without a name.
FOREIGN_PREFIXES = ("admin:", "account_", "mfa_")


def _patterns(resolver=None, namespace=""):
    """Every named URL pattern as (qualified name, pattern)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _patterns(entry, inner)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}{entry.name}" if entry.name else None), entry, namespace


def _portal_names() -> set[str]:
    names = set()
    for name, pattern, namespace in _patterns():
        if name is None:
            if namespace == "admin:":  # the admin's catch-all redirects
                continue
            raise AssertionError(f"A URL pattern without a name cannot be checked: {pattern}")
        if not name.startswith(FOREIGN_PREFIXES):
            names.add(name)
    return names


def _clients(world: World) -> dict[str, Client]:
    clients = {"anonymous": Client()}
    for role, user in world.users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def test_every_portal_url_has_a_row():
    names = _portal_names()
    assert not names - TABLE.keys(), f"URLs without an access rule: {sorted(names - TABLE.keys())}"
    assert not TABLE.keys() - names, f"Rules for URLs that no longer exist: {TABLE.keys() - names}"


def test_no_role_reads_what_is_not_theirs(world):
    """GET every portal URL as every role (and POST every action as those who may not take
    it): refused roles get a login redirect, 403, 404 or 405; allowed roles get a page or a
    redirect; nobody gets a 500. The board's pages carry no resident's personal data."""
    clients = _clients(world)
    failures = []
    for name, rule_ in sorted(TABLE.items()):
        path = reverse(name, kwargs=rule_.kwargs(world) if rule_.kwargs else None)
        for role in ROLES:
            response = clients[role].get(path)
            got = response.status_code
            allowed = role in rule_.may
            if rule_.post_only:
                ok = got in REFUSED
            elif allowed:
                ok = got < 400
            else:
                ok = got in REFUSED
            if not ok:
                failures.append(f"GET {path} ({name}) as {role}: got {got}")
            scan = role == "board" and got == 200 and not rule_.by_link
            if scan and "text" in response.get("Content-Type", ""):
                body = b"".join(response) if response.streaming else response.content
                text = body.decode(errors="replace")
                leaked = [item for item in world.personal if item and item in text]
                if leaked:
                    failures.append(f"GET {path} as board shows personal data: {leaked}")
            if rule_.post_only and not allowed:
                answer = clients[role].post(path, {})
                if answer.status_code not in REFUSED - {405}:
                    failures.append(f"POST {path} ({name}) as {role}: got {answer.status_code}")
    assert not failures, "Access mismatches:\n" + "\n".join(failures)


def _admin_kwargs(name: str, pattern) -> dict | None:
    """Real objects for an admin URL: the first row of the model it names."""
    route = str(pattern.pattern)
    if "content_type_id" in route:
        return None
    if "<path:object_id>" not in route and "<id>" not in route:
        if "app_label" in route:
            return {"app_label": "grants"}
        return {}
    if "<id>" in route:  # the password form of the user admin
        model = apps.get_model(settings.AUTH_USER_MODEL)
    else:
        short = name.removeprefix("admin:").rsplit("_", 1)[0]
        models = {f"{m._meta.app_label}_{m._meta.model_name}": m for m in apps.get_models()}
        assert short in models, f"No model for the admin URL {name}"
        model = models[short]
    obj = model._default_manager.order_by("pk").first()
    if obj is None:
        return None
    return {"id": obj.pk} if "<id>" in route else {"object_id": obj.pk}


def test_the_admin_is_the_secretariats_alone(world):
    clients = _clients(world)
    failures = []
    for name, pattern, _namespace in _patterns():
        if not name or not name.startswith("admin:") or name in ("admin:logout", "admin:login"):
            continue
        kwargs = _admin_kwargs(name, pattern)
        if kwargs is None:
            continue
        path = reverse(name, kwargs=kwargs)
        for role in ROLES:
            got = clients[role].get(path).status_code
            ok = got < 500 if role == "secretariat" else got in REFUSED
            if not ok:
                failures.append(f"GET {path} as {role}: got {got}")
    assert not failures, "Admin access mismatches:\n" + "\n".join(failures)


def test_sign_in_pages_never_fail(world):
    clients = _clients(world)
    failures = []
    for name, pattern, _namespace in _patterns():
        if not name or not name.startswith(("account_", "mfa_")):
            continue
        route = str(pattern.pattern)
        kwargs = {}
        if "(?P<key>" in route:
            kwargs = {"key": "not-a-key"}
        if "uidb36" in route:
            kwargs = {"uidb36": "zz", "key": "not-a-key"}
        path = reverse(name, kwargs=kwargs)
        for role in ROLES:
            got = clients[role].get(path).status_code
            if got >= 500 or (name.startswith("mfa_") and role == "anonymous" and got == 200):
                failures.append(f"GET {path} as {role}: got {got}")
    assert not failures, "Sign-in page failures:\n" + "\n".join(failures)
