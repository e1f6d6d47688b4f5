"""Demo participation: events in Bjerke, Grorud and Stovner, and resident input followed up.

Everything goes through the services, by the demo staff from ``accounts.demo`` (the project
leader of each district) and the demo residents, so each event and input carries its history.
Past events are created with their dates in the past — the services allow that, and refuse
attendance before the start — and their attendance is recorded by target group. Upcoming
events take registrations; one is full and has a waiting list, one is cancelled.

Scale 1 goes through the services. The events and input a larger scale adds are copies of the
scale-1 ones, written in bulk with the rows the services wrote for them (registrations,
attendance, history, follow-up), on other days and by other residents.

Idempotent: an event whose title exists, or an input whose text exists in its area, is left
alone. Dates are relative to the day of seeding.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from accounts.demo import DEMO_DISTRICT
from accounts.models import User
from areas.models import Area, ParticipationStep, SubGoal
from core import versions
from core.slugs import _NORWEGIAN
from omradelos.demo import bulk, clone
from projects.models import Project

from . import services
from .models import Event, EventChange, Input, InputChange, Registration, TargetGroup, Topic

OSLO = ZoneInfo("Europe/Oslo")
RESIDENT = "beboer@example.org"
K = Event.Kind
G = TargetGroup
F = Input.FollowUp


def _oslo(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=OSLO)


def _resident(n: int) -> str:
    return f"beboer-{n:05d}@example.org"


def staff_for(area: Area) -> User:
    """The demo project leader of the area's district."""
    district = area.district
    if district.number == DEMO_DISTRICT:
        return User.objects.get(email="prosjektleder@example.org")
    return User.objects.get(email=f"prosjektleder-{district.slug}@example.org")


# Each event: when (days from today, start hour, hours), what, and what happened. ``people`` are
# the registrations in order: (email, number of people, interpretation, accessibility needs);
# None as the email is a guest who has not yet confirmed the address.
EVENTS = [
    {
        "title": "Trygghetsvandring på Veitvet",
        "areas": ["veitvet-og-slettelokka"],
        "kind": K.SAFETY_WALK,
        "days": -21,
        "hour": 18,
        "hours": 2,
        "place": "Oppmøte ved Veitvet senter, Veitvetveien 8",
        "description": "Vi går sammen gjennom nabolaget når det er mørkt og noterer steder der "
        "du føler deg utrygg: mørke snarveier, gjengrodde busker, steder uten lys. Bydelen, "
        "politiet og Bymiljøetaten går med.",
        "target_groups": [G.EVERYONE, G.WOMEN, G.ELDERLY],
        "step": ParticipationStep.PROACTIVE,
        "step_free": True,
        "notes": "Ruten er om lag 2 km på asfalt, med én bratt bakke. Vi tar pauser underveis.",
        "attendance": (23, {G.WOMEN: 11, G.ELDERLY: 6, G.CHILDREN_YOUTH: 3}),
    },
    {
        "title": "Dugnad ved Sletteløkka grendehus",
        "areas": ["veitvet-og-slettelokka"],
        "project": "slettelokka-grendehus",
        "kind": K.DUGNAD,
        "days": -45,
        "hour": 11,
        "hours": 4,
        "place": "Sletteløkka grendehus, Sletteløkka 2",
        "description": "Vårdugnad rundt grendehuset: vi rydder, planter og maler benkene. "
        "Bydelen stiller med utstyr, grendehusets venner med vafler og kaffe.",
        "target_groups": [G.EVERYONE, G.FAMILIES],
        "step": ParticipationStep.SUPPORT,
        "organiser": "Sletteløkka grendehus og Bydel Bjerke",
        "step_free": True,
        "attendance": (48, {G.FAMILIES: 20, G.CHILDREN_YOUTH: 17, G.NEWCOMERS: 5}),
    },
    {
        "title": "Folkemøte om Sletteløkka torg",
        "areas": ["veitvet-og-slettelokka"],
        "kind": K.PUBLIC_MEETING,
        "days": 10,
        "hour": 18,
        "hours": 2,
        "place": "Sletteløkka grendehus, Sletteløkka 2",
        "description": "Torget skal pusses opp. Hva vil du ha der: benker, lek, scene, "
        "sykkelparkering? Kom og si din mening før arkitektene begynner å tegne. Vi serverer "
        "suppe.",
        "target_groups": [G.EVERYONE],
        "step": ParticipationStep.PROACTIVE,
        "languages": "norsk, somali, urdu",
        "interpretation": "tegnspråk ved behov",
        "step_free": True,
        "hearing_loop": True,
        "capacity": 60,
        "people": [
            (RESIDENT, 2, "", ""),
            (_resident(14), 1, "somali", ""),
            (_resident(15), 3, "", ""),
            (_resident(16), 1, "", "Kommer med rullestol"),
            (_resident(17), 2, "urdu", ""),
            (_resident(18), 1, "", ""),
            (None, 1, "", ""),
        ],
    },
    {
        "title": "Verksted for ungdom: Hva skal skje på Linderud?",
        "areas": ["linderud"],
        "kind": K.WORKSHOP,
        "days": 5,
        "hour": 17,
        "hours": 3,
        "place": "Linderud fritidsklubb, Linderudsletta 1",
        "description": "Et verksted for deg mellom 13 og 19 år. Vi bygger modeller av "
        "uteområdene slik dere vil ha dem, og forslagene går rett inn i handlingsprogrammet "
        "for neste år. Pizza og brus.",
        "target_groups": [G.CHILDREN_YOUTH],
        "step": ParticipationStep.GUIDING,
        "languages": "norsk, engelsk",
        "step_free": True,
        "capacity": 12,
        "people": [
            *[(_resident(n), 1, "", "") for n in range(1, 11)],
            (_resident(11), 2, "", ""),
            (RESIDENT, 1, "", ""),
            (_resident(12), 1, "", ""),
            (_resident(13), 2, "", ""),
        ],
    },
    {
        "title": "Stand på Linderud senter",
        "areas": ["linderud"],
        "kind": K.POP_UP,
        "days": 20,
        "hour": 12,
        "hours": 4,
        "place": "Linderud senter, ved hovedinngangen",
        "description": "Stikk innom standen og fortell oss hva du synes om nærmiljøet.",
        "target_groups": [G.EVERYONE, G.BUSINESSES],
        "step": ParticipationStep.PROACTIVE,
        "registration": Event.Registration.NONE,
        "draft": True,
    },
    {
        "title": "Folkemøte om gatekunst i Grorud",
        "areas": ["grorud"],
        "project": "gatekunst-i-grorud",
        "kind": K.PUBLIC_MEETING,
        "days": -60,
        "hour": 18,
        "hours": 2,
        "place": "Grorud samfunnshus, Grorudveien 51",
        "description": "Hvilke vegger skal få farger neste år, og hvem vil male? Kunstnerne "
        "viser skisser, og du sier hva du synes.",
        "target_groups": [G.EVERYONE, G.CHILDREN_YOUTH],
        "step": ParticipationStep.GUIDING,
        "languages": "norsk, polsk",
        "step_free": True,
        "hearing_loop": True,
        "attendance": (37, {G.CHILDREN_YOUTH: 12, G.ELDERLY: 8}),
    },
    {
        "title": "Trygghetsvandring på Romsås",
        "areas": ["romsas"],
        "kind": K.SAFETY_WALK,
        "days": 3,
        "hour": 19,
        "hours": 2,
        "place": "Oppmøte ved Romsås senter, Romsås senter 1",
        "description": "Vi går gjennom Romsås etter mørkets frembrudd og ser på belysning, "
        "snarveier og inngangspartier. Bydelen og politiet er med.",
        "target_groups": [G.EVERYONE, G.WOMEN],
        "step": ParticipationStep.PROACTIVE,
        "languages": "norsk, arabisk",
        "interpretation": "arabisk",
        "capacity": 25,
        "notes": "Ruten er trinnfri, men går delvis på grusvei.",
        "step_free": True,
        "people": [
            *[(_resident(n), 1, "", "") for n in range(1, 5)],
            (_resident(5), 2, "arabisk", ""),
            (None, 1, "", ""),
        ],
    },
    {
        "title": "Dugnad på Haugenstua",
        "areas": ["haugenstua"],
        "kind": K.DUGNAD,
        "days": -30,
        "hour": 10,
        "hours": 4,
        "place": "Haugenstua torg",
        "description": "Vi rydder torget og stiene rundt, og planter blomster i kassene.",
        "target_groups": [G.EVERYONE, G.FAMILIES, G.NEWCOMERS],
        "step": ParticipationStep.CONNECTOR,
        "languages": "norsk, somali, tigrinja",
        "step_free": True,
        "attendance": (31, {G.FAMILIES: 14, G.NEWCOMERS: 9, G.CHILDREN_YOUTH: 10}),
    },
    {
        "title": "Verksted: Nye møteplasser på Vestli",
        "areas": ["vestli"],
        "kind": K.WORKSHOP,
        "days": 14,
        "hour": 18,
        "hours": 2,
        "place": "Vestli bibliotek, Vestlisvingen 205",
        "description": "Hvor møtes du og naboene dine, og hvor mangler det et sted å være? Vi "
        "tegner på kartet sammen.",
        "target_groups": [G.EVERYONE, G.ELDERLY, G.WOMEN],
        "step": ParticipationStep.GUIDING,
        "languages": "norsk, urdu, somali",
        "interpretation": "urdu og somali",
        "step_free": True,
        "hearing_loop": True,
        "capacity": 20,
        "people": [(_resident(n), 1 + n % 2, "", "") for n in range(20, 26)],
    },
    {
        "title": "Digitalt møte om handlingsprogrammet i Stovner sentrum",
        "areas": ["stovner-sentrum"],
        "kind": K.DIGITAL,
        "days": 8,
        "hour": 19,
        "hours": 1,
        "place": "Digitalt (lenke sendes før møtet)",
        "description": "Bydelen legger fram utkastet til handlingsprogram for neste år.",
        "target_groups": [G.EVERYONE],
        "step": ParticipationStep.PROACTIVE,
        "capacity": 100,
        "people": [(_resident(n), 1, "", "") for n in range(26, 29)],
        "cancel": "Vi flytter møtet til Stovner bydelshus, så flere kan komme. Ny dato kommer "
        "snart her på siden.",
    },
]


def _create_event(spec: dict, today: date) -> Event:
    areas = list(Area.objects.filter(slug__in=spec["areas"]).select_related("district"))
    actor = staff_for(areas[0])
    starts = _oslo(today + timedelta(days=spec["days"]), spec["hour"])
    past = spec["days"] < 0
    event = services.event_create(
        actor=actor,
        areas=areas,
        title=spec["title"],
        description=spec["description"],
        kind=spec["kind"],
        project=Project.objects.filter(slug=spec.get("project", "")).first(),
        starts_at=starts,
        ends_at=starts + timedelta(hours=spec["hours"]),
        place=spec["place"],
        step_free=spec.get("step_free", False),
        hearing_loop=spec.get("hearing_loop", False),
        accessibility_notes=spec.get("notes", ""),
        languages=spec.get("languages", "norsk"),
        interpretation=spec.get("interpretation", ""),
        target_groups=[str(g) for g in spec["target_groups"]],
        participation_step=spec["step"],
        capacity=spec.get("capacity"),
        registration=spec.get(
            "registration",
            Event.Registration.NONE if past else Event.Registration.OPEN,
        ),
        organiser=spec.get("organiser", f"Bydel {areas[0].district.name}"),
    )
    if spec.get("draft"):
        return event
    event = services.event_publish(actor=actor, event=event)
    for n, (email, people, interpretation, needs) in enumerate(spec.get("people", [])):
        person = User.objects.filter(email=email).first() if email else None
        if email and person is None:
            continue  # fewer demo residents than the list names
        services.registration_create(
            event=event,
            actor=person,
            name="" if person else "Nabo som kommer",
            email="" if person else f"gjest.{event.pk}.{n}@example.org",
            people=people,
            interpretation_needed=interpretation,
            accessibility_needs=needs,
        )
    if "attendance" in spec:
        total, by_group = spec["attendance"]
        event = services.attendance_record(
            actor=actor,
            event=event,
            total=total,
            by_group={str(g): n for g, n in by_group.items()},
        )
    if "cancel" in spec:
        event = services.event_cancel(actor=actor, event=event, reason=spec["cancel"])
    return event


# Input: area, topic, delmål, who gave it, and the path its follow-up takes. ``source`` is an
# event title (registered by staff at the event), "resident" (signed in), or "anonymous".
# ``path`` is the follow-up statuses in order; ``project`` a project slug (or ``plan``: the
# area's first project) for the input taken up; ``response`` what the district says.
INPUTS = [
    {
        "area": "veitvet-og-slettelokka",
        "topic": Topic.SAFETY,
        "goal": 5,
        "source": "Trygghetsvandring på Veitvet",
        "text": "Snarveien mellom Veitvetveien og skolen er helt mørk om kvelden. Der går "
        "barna om vinteren.",
        "name": ("Hanne Nabo", "hanne.nabo@example.org"),
        "path": [F.CONSIDERING, F.TAKEN_UP, F.DONE],
        "project": "veitvet-og-slettelokka-tiltak-001",
        "response": "Bymiljøetaten satte opp seks nye lyktestolper langs snarveien i november.",
    },
    {
        "area": "veitvet-og-slettelokka",
        "topic": Topic.GREEN_AND_PLAY,
        "goal": 2,
        "source": "Trygghetsvandring på Veitvet",
        "text": "Buskene ved undergangen er så høye at man ikke ser hvem som står der.",
        "path": [F.CONSIDERING, F.TAKEN_UP, F.DONE],
        "plan": "Skjøtselsplan for grøntarealene",
        "response": "Buskene ble klippet ned i vår, og de klippes nå to ganger i året.",
    },
    {
        "area": "veitvet-og-slettelokka",
        "topic": Topic.MEETING_PLACES,
        "goal": 1,
        "source": "Dugnad ved Sletteløkka grendehus",
        "text": "Grendehuset trenger flere frivillige til kaféen på lørdager.",
        "path": [F.CONSIDERING, F.TAKEN_UP],
        "project": "slettelokka-grendehus",
        "response": "Grendehuset har startet en frivilliggruppe; bydelen hjelper med å verve.",
    },
    {
        "area": "veitvet-og-slettelokka",
        "topic": Topic.CHILDREN_YOUTH,
        "goal": 1,
        "source": "resident",
        "text": "Ungdommene har ingen steder å være på kveldstid etter at klubben stenger "
        "klokka ni.",
        "path": [F.CONSIDERING],
    },
    {
        "area": "veitvet-og-slettelokka",
        "topic": Topic.TRAFFIC,
        "goal": 2,
        "source": "resident",
        "text": "Bilene kjører for fort i Veitvetsvingen. Vi ønsker fartsdumper ved lekeplassen.",
        "path": [F.CONSIDERING, F.NOT_TAKEN_UP],
        "response": "Veien er kommunal, og fartsdumper der avgjøres av Bymiljøetaten. Vi har "
        "sendt ønsket videre dit; områdeløftet kan ikke finansiere tiltaket.",
    },
    {
        "area": "veitvet-og-slettelokka",
        "topic": Topic.CULTURE,
        "goal": 3,
        "source": "anonymous",
        "text": "Hva med en sommerfestival på Sletteløkka torg, med mat fra alle landene vi "
        "kommer fra?",
        "email": "festival.ideen@example.org",
        "moderate": "show",
        "path": [F.TAKEN_UP],
        "plan": "next",
        "response": "Festivalen er med i forslaget til handlingsprogram for neste år.",
    },
    {
        "area": "veitvet-og-slettelokka",
        "topic": Topic.OTHER,
        "goal": None,
        "source": "anonymous",
        "text": "Det er alltid de samme folka i blokk C som ødelegger, alle vet hvem det er.",
        "moderate": "hide",
        "path": [],
    },
    {
        "area": "linderud",
        "topic": Topic.GREEN_AND_PLAY,
        "goal": 2,
        "source": "resident",
        "text": "Lekeplassen ved Linderud gård trenger nye huskestativer; de gamle er sperret av.",
        "path": [F.TAKEN_UP, F.DONE],
        "project": "linderud-tiltak-008",  # Aktivitetspark – Linderud
        "response": "Nye husker kom på plass i august.",
    },
    {
        "area": "linderud",
        "topic": Topic.MEETING_PLACES,
        "goal": 1,
        "source": "resident",
        "text": "Det mangler benker langs turveien langs Alna, særlig for oss eldre.",
        "path": [],
    },
    {
        "area": "linderud",
        "topic": Topic.CLEANLINESS,
        "goal": 5,
        "source": "anonymous",
        "text": "Søppelet ved bussholdeplassen blir ikke tømt ofte nok om sommeren.",
        "moderate": "show",
        "path": [F.NOT_TAKEN_UP],
        "response": "Tømming av søppelkasser er drift, som Bymiljøetaten har ansvaret for. Vi "
        "har meldt det dit, og de tømmer nå oftere i sommerhalvåret.",
    },
    {
        "area": "grorud",
        "topic": Topic.CULTURE,
        "goal": 1,
        "source": "Folkemøte om gatekunst i Grorud",
        "text": "Garasjeveggen ved Grorud T-bane er perfekt for et nytt gatekunstverk, og "
        "ungdommene vil gjerne være med å male.",
        "name": ("Jonas Maler", "jonas.maler@example.org"),
        "path": [F.CONSIDERING, F.TAKEN_UP, F.DONE],
        "project": "gatekunst-i-grorud",
        "response": "Veggen ble malt sommeren etter, av tolv ungdommer sammen med en kunstner.",
    },
    {
        "area": "grorud",
        "topic": Topic.SAFETY,
        "goal": 5,
        "source": "Folkemøte om gatekunst i Grorud",
        "text": "Undergangen under Trondheimsveien trenger både farger og bedre lys.",
        "path": [F.CONSIDERING, F.TAKEN_UP],
        "project": "gatekunst-i-grorud",
        "response": "Undergangen er med i neste runde med gatekunst, og lyset skiftes samtidig.",
    },
    {
        "area": "grorud",
        "topic": Topic.HOUSING,
        "goal": 5,
        "source": "resident",
        "text": "Borettslagene trenger hjelp til å søke om bomiljøtilskudd.",
        "path": [F.CONSIDERING],
    },
    {
        "area": "romsas",
        "topic": Topic.MEETING_PLACES,
        "goal": 6,
        "source": "resident",
        "text": "Biblioteket på Romsås burde ha åpent på søndager også.",
        "path": [F.TAKEN_UP, F.DONE],
        "project": "deichman-romsas",
        "response": "Biblioteket er nå meråpent alle dager fra 7 til 23.",
    },
    {
        "area": "romsas",
        "topic": Topic.GREEN_AND_PLAY,
        "goal": 2,
        "source": "anonymous",
        "text": "Vi vil ha en gapahuk ved turstien inn mot Lillomarka.",
        "moderate": "show",
        "path": [],
    },
    {
        "area": "haugenstua",
        "topic": Topic.CLEANLINESS,
        "goal": 5,
        "source": "Dugnad på Haugenstua",
        "text": "Vi vil gjerne ha dugnad to ganger i året, med containere fra bydelen.",
        "name": ("Fatima Dugnad", "fatima.dugnad@example.org"),
        "path": [F.CONSIDERING, F.TAKEN_UP],
        "plan": "next",
        "response": "To dugnader i året med containere er tatt inn i handlingsprogrammet.",
    },
    {
        "area": "haugenstua",
        "topic": Topic.CHILDREN_YOUTH,
        "goal": 1,
        "source": "Dugnad på Haugenstua",
        "text": "Barna trenger en ballbinge som er åpen også om kvelden.",
        "path": [F.CONSIDERING, F.NOT_TAKEN_UP],
        "response": "Det er allerede en ballbinge ved Haugenstua skole, 300 meter unna. Vi "
        "ber skolen holde den åpen og opplyst om kvelden.",
    },
    {
        "area": "vestli",
        "topic": Topic.MEETING_PLACES,
        "goal": 1,
        "source": "resident",
        "text": "Vestli trenger en kafé der naboer kan møtes uten å måtte kjøpe noe.",
        "path": [],
    },
    {
        "area": "vestli",
        "topic": Topic.TRAFFIC,
        "goal": 4,
        "source": "resident",
        "text": "Gangbroen over til Vestli T-bane er glatt og bratt om vinteren.",
        "path": [F.CONSIDERING],
    },
    {
        "area": "stovner-sentrum",
        "topic": Topic.SAFETY,
        "goal": 5,
        "source": "anonymous",
        "text": "Det er utrygt å gå gjennom parkeringshuset ved Stovner senter om kvelden.",
        "moderate": "pending",
        "path": [],
    },
]


# A larger scale spreads the copies of each curated event over these many days before today
# (past events) or after it (coming ones), a step of ``window // scale`` days a round: every
# scale above one then has events in each of the last three years (last year's
# handlingsprogram reports on the year before it), so the yearly figures (the programmes'
# results, the dashboards) show the same rows at scale 10 as at 100.
PAST_WINDOW_DAYS = 3 * 364
COMING_WINDOW_DAYS = 364


def _events(scale: int) -> list[dict]:
    """The curated events at scale 1; at a larger scale each is held again, further from today
    each round (past ones further back, coming ones further ahead, over ``PAST_WINDOW_DAYS``
    and ``COMING_WINDOW_DAYS``), with the same registrations, attendance and follow-up, so
    every participation list and figure grows."""
    specs = list(EVENTS)
    for round_ in range(1, scale):
        for spec in EVENTS:
            window = -PAST_WINDOW_DAYS if spec["days"] < 0 else COMING_WINDOW_DAYS
            specs.append(
                {
                    **spec,
                    "title": f"{spec['title']} ({round_ + 1})",
                    "days": spec["days"] + window * round_ // scale,
                }
            )
    return specs


def _inputs(scale: int) -> list[dict]:
    """The curated input at scale 1; at a larger scale each is given again by another
    resident, marked with a number, so the lists grow."""
    specs = list(INPUTS)
    for round_ in range(1, scale):
        for spec in INPUTS:
            specs.append({**spec, "text": f"{spec['text']} ({round_ + 1})"})
    return specs


def _give(spec: dict, area: Area, n: int) -> Input:
    actor = staff_for(area)
    common = {
        "area": area,
        "text": spec["text"],
        "topic": spec["topic"],
        "sub_goal": SubGoal.objects.filter(number=spec["goal"]).first() if spec["goal"] else None,
    }
    source = spec["source"]
    if source == "resident":
        person = User.objects.filter(email=_resident(1 + (n * 7) % 40)).first()
        if person is None:
            person = User.objects.get(email=RESIDENT)
        return services.input_submit(actor=person, **common)
    if source == "anonymous":
        email = spec.get("email", "")
        item = services.input_submit(actor=None, email=email, consent=bool(email), **common)
        moderate = spec.get("moderate", "pending")
        if moderate == "show":
            item = services.input_moderate(actor=actor, item=item, show=True)
        elif moderate == "hide":
            item = services.input_moderate(
                actor=actor,
                item=item,
                show=False,
                reason="Innspillet peker ut enkeltpersoner. Ta gjerne kontakt med bydelen direkte.",
            )
        return item
    event = Event.objects.filter(title=source).first()
    name, email = spec.get("name", ("", ""))
    return services.input_register(
        actor=actor,
        event=event,
        project=event.project if event else None,
        name=name,
        email=email,
        consent=bool(name or email),
        **common,
    )


def _follow(spec: dict, item: Input, today: date, n: int) -> None:
    actor = staff_for(item.area)
    for status in spec["path"]:
        kwargs = {}
        if status == F.TAKEN_UP:
            project = Project.objects.filter(slug=spec.get("project", "")).first()
            if project is None:
                # Input the programme takes in is linked to its measure from the programme's
                # side; here it is taken up in one of the area's projects.
                project = Project.objects.filter(area=item.area).order_by("pk").first()
            kwargs = {"project": project, "in_plan": project is None}
        last = status == spec["path"][-1]
        response = spec.get("response", "") if last else ""
        if status == F.NOT_TAKEN_UP and not response:
            response = "Innspillet faller utenfor det områdeløftet kan gjøre."
        if status == F.DONE and not response:
            response = "Tiltaket er gjennomført."
        item = services.input_follow_up(
            actor=actor, item=item, status=status, response=response, **kwargs
        )


def _slug_for(title: str, starts_at, taken: set[str]) -> str:
    """The slug ``event_create`` gives (``core.slugs.unique_slug`` of title and date)."""
    base = slugify(f"{title} {timezone.localtime(starts_at):%Y-%m-%d}".translate(_NORWEGIAN))
    slug, n = base[:160] or "arrangement", 2
    while slug in taken:
        slug, n = f"{base[:160]}-{n}", n + 1
    taken.add(slug)
    return slug


def _bulk_events(copies: list[tuple[dict, Event]]) -> None:
    """The events a larger scale adds, each a copy of its scale-1 event (``template``) held on
    another day: the event, its areas, registrations and history, as the services wrote them
    for the template, in bulk. Places are given as at the template, so no copy is overbooked."""
    if not copies:
        return
    versions.bump(versions.PARTICIPATION)
    taken = set(Event.objects.values_list("slug", flat=True))
    templates = [template for _spec, template in copies]
    events = []
    for spec, template in copies:
        shift = timedelta(days=spec["days"] - template_days(template.title))
        events.append(
            clone(
                template,
                title=spec["title"],
                starts_at=template.starts_at + shift,
                ends_at=template.ends_at + shift,
                slug=_slug_for(spec["title"], template.starts_at + shift, taken),
            )
        )
    events = bulk(events)
    through = Event.areas.through
    area_ids: dict[int, list[int]] = {}
    for event_id, area_id in through.objects.filter(event__in=templates).values_list(
        "event_id", "area_id"
    ):
        area_ids.setdefault(event_id, []).append(area_id)
    bulk(
        [
            through(event_id=event.pk, area_id=area_id)
            for event, template in zip(events, templates, strict=True)
            for area_id in area_ids.get(template.pk, [])
        ]
    )
    registrations: dict[int, list[Registration]] = {}
    for registration in Registration.objects.filter(event__in=templates).order_by("pk"):
        registrations.setdefault(registration.event_id, []).append(registration)
    made, pairs = [], []
    for event, template in zip(events, templates, strict=True):
        guest = f"gjest.{template.pk}."
        for registration in registrations.get(template.pk, []):
            made.append(
                clone(
                    registration,
                    event=event,
                    email=registration.email.replace(guest, f"gjest.{event.pk}.", 1),
                    token=get_random_string(40),
                    confirm_token=get_random_string(40) if registration.confirm_token else "",
                )
            )
            pairs.append(registration.pk)
    made = bulk(made)
    new_pk = dict(zip(pairs, (r.pk for r in made), strict=True))
    changes: dict[int, list[EventChange]] = {}
    for change in EventChange.objects.filter(event__in=templates).order_by("pk"):
        changes.setdefault(change.event_id, []).append(change)
    bulk(
        [
            clone(
                change,
                event=event,
                data={**change.data, "pk": new_pk[change.data["pk"]]}
                if "pk" in change.data
                else change.data,
            )
            for event, template in zip(events, templates, strict=True)
            for change in changes.get(template.pk, [])
        ]
    )


def template_days(title: str) -> int:
    return next(spec["days"] for spec in EVENTS if spec["title"] == title)


def _bulk_inputs(copies: list[tuple[int, dict, Input]]) -> None:
    """The input a larger scale adds, each a copy of its scale-1 input with its follow-up and
    history, given by another resident where a resident gave it, in bulk."""
    if not copies:
        return
    versions.bump(versions.PARTICIPATION)
    emails = {_resident(1 + (n * 7) % 40) for n, spec, _t in copies if spec["source"] == "resident"}
    people = {u.email: u for u in User.objects.filter(email__in=emails)}
    items = []
    for n, spec, template in copies:
        author = template.author
        if spec["source"] == "resident":
            author = people.get(_resident(1 + (n * 7) % 40), author)
        items.append(clone(template, text=spec["text"], author=author))
    items = bulk(items)
    templates = [template for _n, _spec, template in copies]
    history: dict[int, list[InputChange]] = {}
    for change in InputChange.objects.filter(input__in=templates).order_by("pk"):
        history.setdefault(change.input_id, []).append(change)
    bulk(
        [
            clone(
                change,
                input=item,
                actor_id=item.author_id
                if template.author_id and change.actor_id == template.author_id
                else change.actor_id,
            )
            for item, template in zip(items, templates, strict=True)
            for change in history.get(template.pk, [])
        ]
    )


def seed(*, scale: int, report) -> None:
    today = timezone.localdate()
    events_made = inputs_made = 0
    have = set(Event.objects.values_list("title", flat=True))
    copies = []
    for n, spec in enumerate(_events(scale)):
        if spec["title"] in have:
            continue
        if n < len(EVENTS):
            # Scale 1 goes through the services, so its events carry real history.
            with transaction.atomic():
                _create_event(spec, today)
        else:
            original = EVENTS[n % len(EVENTS)]["title"]
            copies.append((spec, Event.objects.filter(title=original).order_by("pk").first()))
        events_made += 1
    _bulk_events(copies)
    areas = {a.slug: a for a in Area.objects.select_related("district")}
    given = set(Input.objects.values_list("area_id", "text"))
    copies = []
    for n, spec in enumerate(_inputs(scale)):
        area = areas[spec["area"]]
        if (area.pk, spec["text"]) in given:
            continue
        if n < len(INPUTS):
            with transaction.atomic():
                item = _give(spec, area, n)
                _follow(spec, item, today, n)
        else:
            original = INPUTS[n % len(INPUTS)]["text"]
            template = (
                Input.objects.filter(area=area, text=original).select_related("author").first()
            )
            copies.append((n, spec, template))
        inputs_made += 1
    _bulk_inputs(copies)
    confirmed = Registration.objects.filter(status=Registration.Status.CONFIRMED).count()
    report.add(
        f"Participation: {Event.objects.count()} events, {confirmed} confirmed registrations, "
        f"{Input.objects.count()} inputs; {events_made} events and {inputs_made} inputs made now."
    )
