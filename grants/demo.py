"""Demo grants: rounds, housing co-operatives in Bjerke and Grorud, and cases in every state.

Every case is walked through the real services by the demo users from ``accounts.demo`` — the
resident applies, the case handler assesses, the programme leader decides — so each carries
its full history and its decision letter. Idempotent: a round, organisation or application
that exists (by slug, organisation number, or round + organisation + title) is left alone.

Every case is dated inside its round: the seeder walks it on a demo clock (``DemoClock``) set
to a time when the round was open for the application, then to the weeks after the round closed
for the case handling, never later than now. The services see that time as "now", so they
refuse nothing a real case of that round would not have met, and every date the case carries
(submitted, decided, the deadlines, the letter) agrees with its round. Cases of the round open
today are dated in the days since it opened, relative to today.
"""

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from unittest import mock
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from stdnum.no import kontonr, orgnr

from accounts.models import User
from areas.models import Area, SubGoal

from . import services
from .models import (
    ApplicantKind,
    AttachmentKind,
    GrantApplication,
    GrantRound,
    Organisation,
    Recommendation,
)

OSLO = ZoneInfo("Europe/Oslo")
SECRETARIAT = "sekretariat@example.org"
HANDLER = "saksbehandler@example.org"
LEADER = "programleder@example.org"
APPLICANT = "beboer@example.org"

CRITERIA = "\n".join(
    [
        "Tiltaket kommer mange beboere til gode",
        "Beboerne har vært med på å planlegge tiltaket",
        "Tiltaket kan gjennomføres innen fristen og budsjettet",
        "Tiltaket bidrar til delmålene for områdeløftet",
    ]
)
CRITERIA_NN = "\n".join(
    [
        "Tiltaket kjem mange bebuarar til gode",
        "Bebuarane har vore med på å planleggje tiltaket",
        "Tiltaket kan gjennomførast innan fristen og budsjettet",
        "Tiltaket bidreg til delmåla for områdeløftet",
    ]
)
CRITERIA_EN = "\n".join(
    [
        "The measure benefits many residents",
        "The residents have taken part in planning the measure",
        "The measure can be carried out within the deadline and the budget",
        "The measure contributes to the sub-goals of the area upgrade",
    ]
)


def _oslo(day: date, hour: int = 0, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=OSLO)


def _rounds(today: date) -> list[dict]:
    rounds = [
        {
            "slug": "bomiljotilskudd-2025",
            "title": "Bomiljøtilskudd 2025",
            "year": 2025,
            "opens_at": _oslo(date(2025, 1, 29)),
            "closes_at": _oslo(date(2025, 4, 15), 23, 59),
            "report_deadline": date(2026, 3, 1),
            "budget": 2_500_000,
        },
        {
            "slug": "bomiljotilskudd-2026",
            "title": "Bomiljøtilskudd 2026",
            "year": 2026,
            "opens_at": _oslo(date(2026, 1, 29)),
            "closes_at": _oslo(date(2026, 4, 15), 23, 59),
            "report_deadline": date(2027, 3, 1),
            "budget": 3_000_000,
        },
    ]
    if today > date(2026, 4, 15):
        # The 2026 round has closed: an extra round open now, so the demo can apply. It has
        # been open for at least two weeks, so its cases have days to be dated in.
        opens = min(today.replace(day=1), today - timedelta(days=14))
        rounds.append(
            {
                "slug": f"bomiljotilskudd-{today.year}-hostrunde",
                "title": f"Bomiljøtilskudd {today.year} – høstrunde",
                "year": today.year,
                "opens_at": _oslo(opens),
                "closes_at": _oslo(opens + timedelta(days=75), 23, 59),
                "report_deadline": date(today.year + 1, 9, 1),
                "budget": 1_000_000,
            }
        )
    return rounds


def _valid_number(base: int, width: int, is_valid) -> str:
    """The first number from ``base`` up that passes the MOD11 check of python-stdnum."""
    n = base
    while not is_valid(str(n).zfill(width)):
        n += 1
    return str(n).zfill(width)


# name, type, address, postcode, member's email (None: the demo resident Amina)
ORGANISATIONS = [
    ("Veitvet Park borettslag", ApplicantKind.HOUSING_COOP, "Veitvetveien 20", "0596", None),
    ("Sletteløkka Hageby borettslag", ApplicantKind.HOUSING_COOP, "Sletteløkka 12", "0597", None),
    ("Linderud Terrasse borettslag", ApplicantKind.HOUSING_COOP, "Linderudsletta 5", "0594", None),
    ("Veitvet velforening", ApplicantKind.RESIDENTS_ASSOCIATION, "Veitvetsvingen 4", "0596", None),
    (
        "Romsås Øvre borettslag",
        ApplicantKind.HOUSING_COOP,
        "Romsåsveien 30",
        "0970",
        "beboer-00001@example.org",
    ),
    (
        "Grorud Hageby borettslag",
        ApplicantKind.HOUSING_COOP,
        "Grorudveien 40",
        "0976",
        "beboer-00002@example.org",
    ),
]


def _organisations() -> list[Organisation]:
    result = []
    for n, (name, kind, address, postcode, member) in enumerate(ORGANISATIONS):
        number = _valid_number(998_100_000 + 1000 * n, 9, orgnr.is_valid)
        existing = Organisation.objects.filter(org_number=number).first()
        if existing is not None:
            result.append(existing)
            continue
        slug = name.lower().split()[0].replace("ø", "o").replace("å", "a")
        result.append(
            services.organisation_register(
                actor=User.objects.get(email=member or APPLICANT),
                name=name,
                org_number=number,
                account_number=_valid_number(1503_00_10000 + 137 * n, 11, kontonr.is_valid),
                kind=kind,
                address=address,
                postcode=postcode,
                city="Oslo",
                email=f"styret.{slug}.{n}@example.org",
            )
        )
    return result


@lru_cache(maxsize=4)
def _document(title: str, text: str) -> bytes:
    """A one-page PDF for the demo's attachments, so a case handler can open them."""
    from weasyprint import HTML

    html = (
        f'<html lang="nb"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><h1>{title}</h1><p>{text}</p></body></html>"
    )
    return HTML(string=html).write_pdf()


def _attach(actor: User, application: GrantApplication) -> None:
    documents = [
        (
            AttachmentKind.BOARD_RESOLUTION,
            "styrevedtak.pdf",
            _document("Styrevedtak", "Styret vedtok å søke om bomiljøtilskudd til tiltaket."),
        ),
        (
            AttachmentKind.QUOTE,
            "tilbud.pdf",
            _document("Tilbud", "Tilbud på materialer og arbeid, gyldig i 60 dager."),
        ),
    ]
    for kind, name, content in documents:
        services.attachment_add(
            actor=actor,
            application=application,
            kind=kind,
            upload=SimpleUploadedFile(name, content, content_type="application/pdf"),
        )


class DemoClock:
    """The time the services see while a demo case is walked: ``timezone.now`` (and so
    ``localdate``, ``auto_now_add``, ``default=timezone.now`` and the deadlines) reads the clock,
    which moves on with the real time from the moment it is set, so events keep their order.
    Never later than now."""

    def __init__(self) -> None:
        self.real_now = lambda: datetime.now(tz=UTC)
        self._at = self._set_at = None

    def set(self, at: datetime) -> None:
        self._at = min(at, self.real_now() - timedelta(minutes=5))
        self._set_at = self.real_now()

    def later(self, days: float) -> None:
        self.set(self.now() + timedelta(days=days))

    def now(self) -> datetime:
        if self._at is None:
            return self.real_now()
        return self._at + (self.real_now() - self._set_at)

    def __enter__(self):
        clock = self

        class _AnyDatetime(type):
            # The module's other uses of ``datetime`` (``isinstance`` in ``localtime`` and
            # ``template_localtime``) must still see every datetime as one.
            def __instancecheck__(cls, value):
                return isinstance(value, datetime)

        class _ClockDatetime(datetime, metaclass=_AnyDatetime):
            # ``timezone.now`` asks its module's ``datetime`` for the time; field defaults
            # hold that same function, so they follow too.
            @classmethod
            def now(cls, tz=None):
                return clock.now().astimezone(tz) if tz else clock.now()

        self._patch = mock.patch("django.utils.timezone.datetime", _ClockDatetime)
        self._patch.start()
        return self

    def __exit__(self, *exc) -> None:
        self._patch.stop()
        self._at = None


def _applied_at(grant_round: GrantRound, n: int) -> datetime:
    """When the n-th demo case of a round was written and sent: within the round's open period
    (a round still open: in the days since it opened), spread out by ``n``."""
    now = timezone.now()
    end = min(grant_round.closes_at, now) - timedelta(hours=1)
    span = max(end - grant_round.opens_at, timedelta(hours=2))
    return end - span * ((n % 9) + 1) / 12


# States in which a case waits on the applicant or the district today.
WAITING_NOW = {"awaiting_info", "in_review", "granted", "partial", "rejected_appealed"}


class Walk:
    """Takes one case from a draft to the state it should end in, through the services."""

    def __init__(self) -> None:
        self.handler = User.objects.get(email=HANDLER)
        self.leader = User.objects.get(email=LEADER)

    def run(
        self, spec: dict, grant_round: GrantRound, organisation: Organisation, clock: DemoClock
    ) -> None:
        """Walk the case on ``clock``, which the caller has set to when it was applied for."""
        actor = organisation.memberships.order_by("pk").first().user
        app = services.application_start(
            actor=actor, grant_round=grant_round, organisation=organisation
        )
        today = timezone.localdate()
        services.application_save_measure(
            actor=actor,
            application=app,
            title=spec["title"],
            description=spec["description"],
            sub_goal=SubGoal.objects.filter(number=spec["goal"]).first(),
            area=Area.objects.get(slug=spec["area"]),
            location=f"{organisation.address}, {organisation.postcode} Oslo",
            on_own_property=True,
            target_group=spec.get("target", "Alle beboerne"),
            expected_participants=spec.get("participants", 80),
            resident_involvement=spec.get(
                "involvement",
                "Forslaget kom fra beboermøtet, og en arbeidsgruppe på seks beboere har "
                "planlagt tiltaket sammen med styret.",
            ),
            start_date=today + timedelta(days=30),
            end_date=today + timedelta(days=150),
        )
        if spec["state"] == "draft":
            return
        total = sum(amount for _d, amount in spec["costs"])
        applied = spec["applied"]
        services.application_save_budget(
            actor=actor,
            application=app,
            cost_lines=spec["costs"],
            own_contribution=total - applied,
            other_funding=0,
            amount_applied=applied,
            dugnad_hours=spec.get("dugnad", 60),
        )
        _attach(actor, app)
        app = services.application_submit(actor=actor, application=app)
        state = spec["state"]
        if state == "submitted":
            return
        # The district takes the case a couple of days later, a round that has closed only
        # after its deadline.
        handling = timezone.now() + timedelta(days=2)
        if grant_round.closes_at < clock.real_now():
            handling = max(handling, grant_round.closes_at + timedelta(days=3))
        if state in WAITING_NOW:
            # Handled in the last weeks, so that today's deadlines (to reply, to accept, to
            # handle the appeal) are still ahead, as in a case that waits on someone now.
            handling = max(handling, clock.real_now() - timedelta(days=20))
        clock.set(handling)
        services.case_take(actor=self.handler, application=app)
        services.impartiality_declare(actor=self.handler, application=app, impartial=True)
        if state == "awaiting_info":
            services.info_request(
                actor=self.handler,
                application=app,
                body="Kan dere sende et kart eller en skisse som viser hvor tiltaket skal være?",
            )
            return
        outcome = {
            "partial": Recommendation.PARTIAL,
            "rejected_appealed": Recommendation.REJECT,
        }.get(state, Recommendation.APPROVE)
        amount = spec.get("granted") if outcome == Recommendation.PARTIAL else None
        # Reasons are the applicant's right unless the grant is in full (fvl. § 24).
        reasons = spec.get("reasons", "") if outcome != Recommendation.APPROVE else ""
        services.assessment_save(
            actor=self.handler,
            application=app,
            scores={c: 3 + i % 3 for i, c in enumerate(grant_round.criteria_list)},
            recommendation=outcome,
            recommended_amount=amount,
            reasons=reasons,
            conditions=spec.get("conditions", ""),
            internal_notes="Befaring gjort. Styret virker godt forberedt.",
        )
        if state == "in_review":
            return
        clock.later(days=14)
        services.decision_propose(actor=self.handler, application=app)
        services.impartiality_declare(actor=self.leader, application=app, impartial=True)
        decision = services.decision_make(
            actor=self.leader,
            application=app,
            outcome=outcome,
            amount=amount,
            reasons=reasons,
            conditions=spec.get("conditions", ""),
        )
        # Rendered here rather than left to the task, so the case can go on in this transaction
        # (and with a broker, without waiting for a worker). The task finds it ready.
        services.decision_letter_render(decision_id=decision.pk)
        if state in ("granted", "partial"):
            return
        if state == "rejected_appealed":
            clock.later(days=7)  # inside the three weeks
            services.appeal_submit(
                actor=actor,
                application=app,
                text="Vi klager på avslaget. Tiltaket er planlagt sammen med beboerne, og vi ber "
                "bydelen vurdere søknaden på nytt og innvilge den i sin helhet.",
            )
            return
        clock.later(days=5)
        services.grant_accept(actor=actor, application=app)
        clock.later(days=10)
        services.payment_register(
            actor=self.handler,
            application=app,
            amount=applied // 2 if state == "accepted" else applied,
            paid_on=timezone.localdate(),
            note="Første utbetaling" if state == "accepted" else "Hele tilskuddet",
        )
        if state == "accepted":
            return
        clock.later(days=90)
        services.report_submit(
            actor=actor,
            application=app,
            what_was_done=spec.get(
                "report", "Tiltaket ble gjennomført som planlagt, med god deltakelse."
            ),
            participants=spec.get("participants", 80) + 12,
            dugnad_hours=spec.get("dugnad", 60) + 20,
            actuals={line.pk: line.amount for line in app.cost_lines.all()},
        )
        clock.later(days=7)
        services.report_review(
            actor=self.handler, application=app, approve=True, note="Takk for god rapport."
        )


# The showcase: one case in each state, in the round it belongs to.
SHOWCASE = [
    {
        "round": "bomiljotilskudd-2025",
        "org": 1,
        "state": "closed",
        "title": "Ny lekeplass i bakgården",
        "description": "Lekeapparater, fallunderlag og to benker i bakgården, for barna i "
        "borettslaget og i nabolaget.",
        "area": "veitvet-og-slettelokka",
        "goal": 2,
        "costs": [("Lekeapparater", 90_000), ("Fallunderlag", 40_000), ("Benker", 20_000)],
        "applied": 100_000,
        "report": "Lekeplassen ble bygget på dugnad i august og åpnet med nabolagsfest.",
        "participants": 120,
    },
    {
        "round": "bomiljotilskudd-2026",
        "org": 3,
        "state": "rejected_appealed",
        "title": "Ny asfalt på parkeringsplassen",
        "description": "Ny asfalt og oppmerking på parkeringsplassen bak blokkene.",
        "area": "veitvet-og-slettelokka",
        "goal": 2,
        "costs": [("Asfaltering", 160_000), ("Oppmerking", 20_000)],
        "applied": 120_000,
        "reasons": "Bomiljøtilskudd gis ikke til drift og vedlikehold. Ny asfalt på en "
        "eksisterende parkeringsplass er vedlikehold, og søknaden oppfyller derfor ikke "
        "vilkårene i utlysningen.",
    },
    {
        "round": "bomiljotilskudd-2026",
        "org": 0,
        "state": "granted",
        "title": "Utebelysning langs gangveiene",
        "description": "Tolv nye lyktestolper langs gangveiene mellom blokkene, så beboerne "
        "føler seg trygge når det er mørkt.",
        "area": "veitvet-og-slettelokka",
        "goal": 2,
        "costs": [("Lyktestolper med LED", 96_000), ("Graving og montering", 44_000)],
        "applied": 70_000,
        "conditions": "Belysningen skal være skjermet, slik at den ikke lyser inn i leilighetene.",
        "target": "Alle beboerne, særlig eldre og barn",
    },
    {
        "round": "bomiljotilskudd-2026",
        "org": 2,
        "state": "partial",
        "title": "Felles grillplass og sittegruppe",
        "description": "En murt grillplass med sittegruppe for 20 personer på plenen.",
        "area": "linderud",
        "goal": 1,
        "costs": [("Murt grill", 30_000), ("Sittegruppe", 40_000), ("Belegningsstein", 30_000)],
        "applied": 60_000,
        "granted": 40_000,
        "reasons": "Tiltaket er godt forankret blant beboerne. Budsjettet i utlysningen er "
        "begrenset, og belegningsstein kan borettslaget legge på dugnad. Bydelen innvilger "
        "derfor 40 000 kroner til grill og sittegruppe.",
    },
    {
        "round": "bomiljotilskudd-2026",
        "org": 1,
        "state": "accepted",
        "title": "Sykkelverksted i fellesrommet",
        "description": "Verktøy og stativer til et sykkelverksted som beboerne driver selv.",
        "area": "veitvet-og-slettelokka",
        "goal": 1,
        "costs": [("Verktøy", 25_000), ("Sykkelstativer", 35_000)],
        "applied": 30_000,
        "target": "Barn og unge",
    },
    {
        "round": "bomiljotilskudd-2026",
        "org": 0,
        "state": "in_review",
        "title": "Hagekasser til felles dyrking",
        "description": "Tjue hagekasser og et redskapsskur på taket av garasjeanlegget.",
        "area": "veitvet-og-slettelokka",
        "goal": 1,
        "costs": [("Hagekasser", 40_000), ("Redskapsskur", 20_000)],
        "applied": 30_000,
    },
    {
        "round": "open",
        "org": 3,
        "state": "awaiting_info",
        "title": "Vinteraktiviteter for barna",
        "description": "Akebakke, skøyteis og lån av utstyr på lørdager gjennom vinteren.",
        "area": "veitvet-og-slettelokka",
        "goal": 1,
        "costs": [("Utstyr", 30_000), ("Islegging", 10_000)],
        "applied": 20_000,
    },
    {
        "round": "open",
        "org": 4,
        "state": "submitted",
        "title": "Gapahuk ved turstien",
        "description": "En gapahuk med bålplass der turstien går inn i skogen.",
        "area": "romsas",
        "goal": 2,
        "costs": [("Materialer", 50_000), ("Bålpanne og benker", 10_000)],
        "applied": 30_000,
    },
    {
        "round": "open",
        "org": 0,
        "state": "draft",
        "title": "Gatekunst på garasjeveggen",
        "description": "Barn og unge maler veggen sammen med en kunstner.",
        "area": "veitvet-og-slettelokka",
        "goal": 1,
    },
]

GENERATED_TITLES = [
    "Nye benker og bord",
    "Blomsterbed ved inngangene",
    "Ballbinge ved skolen",
    "Nabolagsfest og dugnad",
    "Trygg skolevei med belysning",
    "Felles bokhylle i oppgangen",
]
# States the generated cases rotate through; drafts and fresh applications go to the open round.
GENERATED_STATES = ["submitted", "in_review", "granted", "draft", "partial", "accepted"]
GENERATED_PER_SCALE = 6


def _generated(scale: int) -> list[dict]:
    specs = []
    for n in range(GENERATED_PER_SCALE * scale):
        state = GENERATED_STATES[n % len(GENERATED_STATES)]
        base = 20_000 + 5_000 * (n % 8)
        specs.append(
            {
                "round": "open" if state in ("draft", "submitted") else "bomiljotilskudd-2026",
                "org": n % 4,
                "state": state,
                "title": f"{GENERATED_TITLES[n % len(GENERATED_TITLES)]} ({n + 1})",
                "description": "Et tiltak beboerne har foreslått og vil gjennomføre sammen.",
                "area": "linderud" if n % 2 else "veitvet-og-slettelokka",
                "goal": 1 + n % 6,
                "costs": [("Materialer", base), ("Arbeid", base)],
                "applied": base,
                "granted": base // 2,
                "reasons": "Bydelen prioriterer tiltak som når flest beboere, og innvilger "
                "derfor en del av beløpet.",
            }
        )
    return specs


def _ensure_rounds(today: date) -> dict[str, GrantRound]:
    actor = User.objects.get(email=SECRETARIAT)
    areas = list(Area.objects.all())
    rounds = {}
    for spec in _rounds(today):
        existing = GrantRound.objects.filter(slug=spec["slug"]).first()
        rounds[spec["slug"]] = existing or services.round_save(
            actor=actor,
            areas=areas,
            criteria=CRITERIA,
            criteria_nn=CRITERIA_NN,
            criteria_en=CRITERIA_EN,
            max_amount=300_000,
            min_own_share_percent=30,
            max_city_share_percent=70,
            required_attachments=[AttachmentKind.BOARD_RESOLUTION, AttachmentKind.QUOTE],
            acceptance_days=28,
            **spec,
        )
    open_now = [r for r in rounds.values() if r.is_open()]
    rounds["open"] = open_now[0] if open_now else rounds["bomiljotilskudd-2026"]
    return rounds


def seed(*, scale: int, report) -> None:
    today = timezone.localdate()
    rounds = _ensure_rounds(today)
    with DemoClock() as clock:  # registered before the first round's cases were written
        clock.set(min(r.opens_at for r in rounds.values()) - timedelta(days=30))
        organisations = _organisations()
    walk = Walk()
    made = 0
    for n, spec in enumerate(SHOWCASE + _generated(scale)):
        grant_round = rounds[spec["round"]]
        organisation = organisations[spec["org"]]
        if GrantApplication.objects.filter(
            round=grant_round, organisation=organisation, title=spec["title"]
        ).exists():
            continue
        with DemoClock() as clock, transaction.atomic():
            clock.set(_applied_at(grant_round, n))
            walk.run(spec, GrantRound.objects.get(pk=grant_round.pk), organisation, clock)
        made += 1
    report.add(
        f"Grants: {GrantRound.objects.count()} rounds, {Organisation.objects.count()} "
        f"organisations, {GrantApplication.objects.count()} applications, {made} made now."
    )
