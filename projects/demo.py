"""Demo projects: the brochure's examples with their published figures, plus generated ones.

Scale 1 is created through the services (as the demo secretariat user), so its projects carry
history like real projects; the copies a larger scale adds are written in bulk with the same
rows (``_bulk_create``). Idempotent: a project whose slug exists is left alone.
"""

from datetime import date
from decimal import Decimal

from accounts.models import User
from areas.models import Area, ParticipationStep, SubGoal
from core import versions
from core.audit import as_code
from omradelos.demo import bulk

from . import services, tallies
from .models import BudgetLine, Milestone, Partner, Project, ProjectChange

P = Partner.Kind
BROCHURE = [
    {
        "slug": "slettelokka-grendehus",
        "area": "veitvet-og-slettelokka",
        "title": "Sletteløkka grendehus",
        "summary": "Innbyggerne planla og bygde et grendehus sammen med arkitekter og bydelen, "
        "med dugnad som metode.",
        "description": "Hva kan skje om du gir fra deg litt kontroll? Vel, for eksempel at 2300 "
        "mennesker får et etterlengtet sted å møtes, slik som på Sletteløkka. Med dugnad som "
        "metode har innbyggerne jobbet sammen med arkitekter og ansatte i bydelen for å planlegge "
        "og bygge et grendehus. I dag er der aktiviteter sju dager i uka året rundt – drevet av "
        "innbyggerne – og utallige nettverk er bygget mellom innbyggere på tvers av kulturer.",
        "goals": [1, 2, 3],
        "status": Project.Status.COMPLETED,
        "step": ParticipationStep.SUPPORT,
        "start": date(2019, 3, 1),
        "end": date(2022, 9, 30),
        "partners": [("Innbyggere på Sletteløkka", P.RESIDENTS), ("Bydel Bjerke", P.AGENCY)],
        "indicators": [
            ("Innbyggere som deltok i dugnaden", "personer", None, None, [("2022-09-30", 90)]),
            ("Dugnadstimer", "timer", None, None, [("2022-09-30", 1000)]),
            (
                "Mennesker som har fått et sted å møtes",
                "personer",
                None,
                None,
                [("2022-09-30", 2300)],
            ),
            ("Dager i uka med aktivitet", "dager", 0, 7, [("2024-01-01", 7)]),
        ],
        "milestones": [
            ("Planlegging med arkitekter", "2019-12-01", True),
            ("Byggedugnad ferdig", "2022-06-30", True),
            ("Åpning", "2022-09-30", True),
        ],
    },
    {
        "slug": "sirkuslandsbyen-i-skilpaddeparken",
        "area": "bjornerud",
        "title": "Sirkuslandsbyen i Skilpaddeparken",
        "summary": "Circus Xanti arrangerer Sirkuslandsbyfestival på Rudshøgda med forestillinger, "
        "sirkusskole og aktiviteter.",
        "description": "Siden 2019 har Circus Xanti arrangert Sirkuslandsbyfestival på Rudshøgda. "
        "Da Skilpaddeparken skulle bygges, var innbyggerne med i alle stadier av utviklingen, og "
        "plass til sirkustelt var en viktig bestilling til utbygger.",
        "goals": [1, 2, 3],
        "status": Project.Status.ONGOING,
        "step": ParticipationStep.CONNECTOR,
        "start": date(2019, 6, 1),
        "end": None,
        "partners": [
            ("Circus Xanti", P.CULTURE),
            ("Lokale barnehager", P.KINDERGARTEN),
            ("Lokale skoler", P.SCHOOL),
        ],
        "indicators": [
            ("Barnehagebarn på aktiviteter hvert år", "barn", None, None, [("2025-06-30", 550)]),
            ("Elever på aktiviteter hvert år", "elever", None, None, [("2025-06-30", 500)]),
            (
                "Faste deltakere på sirkusskolen siden 2022",
                "barn og unge",
                None,
                None,
                [("2025-06-30", 100)],
            ),
            ("Naboer på nabolagsforestillinger", "personer", None, None, [("2025-06-30", 200)]),
            ("Deltakere på sommersirkus årlig", "personer", None, None, [("2025-08-15", 40)]),
            (
                "Aktive foreldre i styre og arrangementer",
                "personer",
                None,
                None,
                [("2025-06-30", 20)],
            ),
        ],
        "milestones": [
            ("Første festival", "2019-06-30", True),
            ("Sirkusskolen starter", "2022-01-15", True),
            ("Videreføring etter 2026 avklart", "2026-12-31", False),
        ],
    },
    {
        "slug": "gatekunst-i-grorud",
        "area": "grorud",
        "title": "Gatekunst i Grorud",
        "summary": "«Vi vil ha farger»: sju gatekunstprosjekter gjennomført i samarbeid med "
        "innbyggerne.",
        "description": "Basert på ønsket om mer farge og kunst i bybildet. Prosjektet skal "
        "stimulere kunstinteresse hos barn og ungdom og bidra til å skape et mer inspirerende og "
        "trivelig nærmiljø.",
        "goals": [1, 2],
        "status": Project.Status.COMPLETED,
        "step": ParticipationStep.GUIDING,
        "start": date(2020, 4, 1),
        "end": date(2024, 10, 31),
        "partners": [("Innbyggere i Grorud", P.RESIDENTS), ("Lokale kunstnere", P.CULTURE)],
        "indicators": [
            (
                "Gatekunstprosjekter gjennomført",
                "prosjekter",
                0,
                7,
                [("2022-10-01", 4), ("2024-10-31", 7)],
            )
        ],
        "milestones": [
            ("Innspill fra innbyggerne", "2020-09-01", True),
            ("Sju verk ferdige", "2024-10-31", True),
        ],
    },
    {
        "slug": "aktivitetshuset-k1-pa-toyen",
        "area": "gronland-og-toyen",
        "title": "Aktivitetshuset K1 på Tøyen",
        "summary": "Et nabolagshus med et variert aktivitetstilbud, med spesielt fokus på barn og "
        "unge.",
        "description": "K1 Klubben er et åpent møtested for ungdom mellom 16 og 19 år inne på "
        "Aktivitetshuset K1: her kan ungdom spille spill, bruke kafeen og delta på temakvelder. "
        "I underetasjen holder en gratis fritidsklubb for barn mellom 10 og 14 år til – et "
        "lavterskeltilbud med fokus på en møteplass for trygge aktiviteter og samvær.",
        "goals": [1, 2, 5],
        "status": Project.Status.ONGOING,
        "step": ParticipationStep.CONNECTOR,
        "start": date(2018, 1, 1),
        "end": None,
        "partners": [("Bydel Gamle Oslo", P.AGENCY)],
        "indicators": [],
        "milestones": [("K1 Klubben åpner for 16–19 år", "2019-09-01", True)],
    },
    {
        "slug": "deichman-romsas",
        "area": "romsas",
        "title": "Nye Deichman Romsås bibliotek",
        "summary": "Et nytt bibliotek og en ny møteplass full av aktiviteter for barn og unge.",
        "description": "Samarbeidet med områdeløftet på Grorud, frivilligheten og de lokale "
        "skolene. Romsås senter oppleves som tryggere på grunn av forlenget åpningstid til "
        "biblioteket, og engasjementet og fellesskapet i lokalmiljøet har økt.",
        "goals": [1, 2, 6],
        "status": Project.Status.COMPLETED,
        "step": ParticipationStep.GUIDING,
        "start": date(2019, 1, 1),
        "end": date(2021, 12, 31),
        "partners": [
            ("Deichman bibliotek", P.AGENCY),
            ("Lokale skoler", P.SCHOOL),
            ("Frivilligheten på Romsås", P.ASSOCIATION),
        ],
        "indicators": [("Økning i besøkstall", "%", 0, None, [("2022-12-31", 77)])],
        "milestones": [("Nytt bibliotek åpner", "2021-06-01", True)],
    },
]

# Each generated project with the municipality's role in it (deltakelsestrappa): the bydel
# leads what it builds, guides what residents start, connects what many run together, and
# supports what residents already run themselves.
GENERATED = [
    ("Belysning på snarveien", ParticipationStep.PROACTIVE),
    ("Benker og møteplass ved butikken", ParticipationStep.PROACTIVE),
    ("Nabolagsfest", ParticipationStep.GUIDING),
    ("Dugnad i borettslagene", ParticipationStep.GUIDING),
    ("Språkkafé", ParticipationStep.SUPPORT),
    ("Trygghetsvandring", ParticipationStep.PROACTIVE),
    ("Ungdomsråd", ParticipationStep.CONNECTOR),
    ("Aktivitetspark", ParticipationStep.PROACTIVE),
    ("Nabolagshage", ParticipationStep.GUIDING),
    ("Kulturkveld", ParticipationStep.CONNECTOR),
]
GENERATED_TITLES = [title for title, _step in GENERATED]
PER_AREA = 10  # scale 1: about what the twelve areas run today
Action = ProjectChange.Action


def _actor() -> User:
    return User.objects.get(email="sekretariat@example.org")


def _create(spec: dict, actor: User) -> None:
    area = Area.objects.get(slug=spec["area"])
    project = services.project_create(
        actor=actor,
        sub_goals=list(SubGoal.objects.filter(number__in=spec["goals"])),
        area=area,
        title=spec["title"],
        summary=spec["summary"],
        description=spec.get("description", ""),
        status=spec["status"],
        start_date=spec["start"],
        end_date=spec["end"],
        participation_step=spec["step"],
        owner=f"Bydel {area.district.name}",
        manager="Prosjektleder i bydelen",
        is_public=True,
    )
    if project.slug != spec["slug"]:
        Project.objects.filter(pk=project.pk).update(slug=spec["slug"])
        project.slug = spec["slug"]
    for name, kind in spec.get("partners", []):
        services.partner_add(project=project, actor=actor, name=name, kind=kind)
    for title, due, done in spec.get("milestones", []):
        milestone = services.milestone_add(
            project=project, actor=actor, title=title, due_date=date.fromisoformat(due)
        )
        if done:
            services.milestone_complete(
                milestone=milestone, actor=actor, done_date=date.fromisoformat(due)
            )
    for name, unit, baseline, target, values in spec.get("indicators", []):
        indicator = services.indicator_add(
            project=project, actor=actor, name=name, unit=unit, baseline=baseline, target=target
        )
        for measured, value in values:
            services.indicator_value_add(
                indicator=indicator, actor=actor, date=date.fromisoformat(measured), value=value
            )
    for year, planned in spec.get("budget", []):
        for source, amount in _budget_split(planned):
            services.budget_line_set(
                project=project,
                actor=actor,
                year=year,
                source=source,
                planned=amount,
                spent=amount,
            )


def _generated(area: Area, n: int) -> dict:
    """The n-th generated project of an area (n from 0)."""
    title = GENERATED_TITLES[n % len(GENERATED_TITLES)]
    year = 2020 + n % 7
    month = 1 + n % 12
    return {
        "slug": f"{area.slug}-tiltak-{n + 1:03d}",
        "area": area.slug,
        "title": f"{title} – {area.name} {n + 1}",
        "summary": f"{title} i {area.name}.",
        "goals": [1 + n % 6, 1 + (n + 2) % 6],
        "status": STATUSES[n % len(STATUSES)],
        "step": GENERATED[n % len(GENERATED)][1],
        "start": date(year, month, 1),
        "end": date(year + 1, month, 1),
        "milestones": [
            ("Oppstart", f"{year}-{month:02d}-01", True),
            ("Gjennomført", f"{year + 1}-{month:02d}-01", n % 3 == 0),
        ],
        "budget": [(year, 50_000 + 10_000 * (n % 10))],
    }


STATUSES = list(Project.Status)


def _budget_split(planned: int) -> list[tuple[str, Decimal]]:
    # The områdeløft funds come from the state and from Oslo kommune: here the state
    # pays 60 % and the city 40 % of each generated project.
    state = Decimal(planned * 3 // 5)
    return [
        (BudgetLine.Source.STATE_AREA_FUNDS, state),
        (BudgetLine.Source.AREA_FUNDS, Decimal(planned) - state),
    ]


def _bulk_create(specs: list[dict], actor: User) -> None:
    """The copies beyond scale 1, written in bulk: the same rows the services write for a
    generated project (the project, its sub-goals, milestones and budget lines, and the history
    rows of each step), without a round trip per row."""
    if not specs:
        return
    versions.bump(versions.PROJECTS)
    areas = {a.slug: a for a in Area.objects.select_related("district")}
    goals: dict[int, list[SubGoal]] = {}
    for goal in SubGoal.objects.all():
        goals.setdefault(goal.number, []).append(goal)
    projects = bulk(
        [
            Project(
                area=areas[spec["area"]],
                title=spec["title"],
                slug=spec["slug"],
                summary=spec["summary"],
                status=spec["status"],
                start_date=spec["start"],
                end_date=spec["end"],
                participation_step=spec["step"],
                owner=f"Bydel {areas[spec['area']].district.name}",
                manager="Prosjektleder i bydelen",
                is_public=True,
            )
            for spec in specs
        ]
    )
    through = Project.sub_goals.through
    bulk(
        [
            through(project_id=project.pk, subgoal_id=goal.pk)
            for project, spec in zip(projects, specs, strict=True)
            for number in dict.fromkeys(spec["goals"])
            for goal in goals.get(number, [])
        ]
    )
    changes = [
        ProjectChange(project=project, actor=actor, action=Action.CREATED) for project in projects
    ]
    milestones = bulk(
        [
            Milestone(
                project=project,
                title=title,
                due_date=date.fromisoformat(due),
                done_date=date.fromisoformat(due) if done else None,
            )
            for project, spec in zip(projects, specs, strict=True)
            for title, due, done in spec["milestones"]
        ]
    )
    for milestone in milestones:
        mark = {"milestone": milestone.pk, "title": milestone.title}
        changes.append(
            ProjectChange(
                project=milestone.project, actor=actor, action=Action.MILESTONE_ADDED, data=mark
            )
        )
        if milestone.done_date:
            changes.append(
                ProjectChange(
                    project=milestone.project,
                    actor=actor,
                    action=Action.MILESTONE_DONE,
                    data=mark,
                    changes={"done_date": [None, as_code(milestone.done_date)]},
                )
            )
    lines = bulk(
        [
            BudgetLine(project=project, year=year, source=source, planned=amount, spent=amount)
            for project, spec in zip(projects, specs, strict=True)
            for year, planned in spec["budget"]
            for source, amount in _budget_split(planned)
        ]
    )
    changes += [
        ProjectChange(
            project=line.project,
            actor=actor,
            action=Action.BUDGET,
            data={"year": line.year, "source": line.source},
            changes={
                "planned": [None, as_code(line.planned)],
                "spent": [None, as_code(line.spent)],
            },
        )
        for line in lines
    ]
    bulk(changes)


def seed(*, scale: int, report) -> None:
    actor = _actor()
    made = 0
    for spec in BROCHURE:
        if not Project.objects.filter(slug=spec["slug"]).exists():
            _create(spec, actor)
            made += 1
    have = set(Project.objects.values_list("slug", flat=True))
    copies = []
    for area in Area.objects.order_by("slug"):
        for n in range(PER_AREA * scale):
            spec = _generated(area, n)
            if spec["slug"] in have:
                continue
            if n < PER_AREA:
                # Scale 1 goes through the services, so its projects carry real history.
                _create(spec, actor)
            else:
                copies.append(spec)
            made += 1
    _bulk_create(copies, actor)
    if copies:
        # The bulk rows went around the services, which keep the tallies.
        tallies.refresh_all()
    report.add(f"Projects: {Project.objects.count()} in all, {made} made now.")
