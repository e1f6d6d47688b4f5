"""Demo handlingsprogram: one for every area this year, and last year's adopted and published.

Every programme is written and moved through its workflow by the real services: the district's
project leader writes the draft (introduction, the area, challenges, goals and strategies per
delmål, participation, risks, organisation, a comment on each measure), puts it on høring or
sends it to the local programme committee, and the district's programme leader adopts and
publishes it. The texts build on the programme's 2025 brochure (delprogram nærmiljø): the
method, the deltakelsestrappa and the example projects.

Last year's programmes are walked on the grants demo's clock (``grants.demo.DemoClock``) so
they are put on høring, considered, adopted and published on dates in that year, and their
frozen versions say so. This year's are drafts, two are under consideration, and one — that of
Veitvet og Sletteløkka — is on høring for three weeks from the day of seeding
(``demo_hearing_programme``).

The brochure's example projects are measures in their areas' programmes both years, each with
its budget lines for both years, even where the project itself is completed: the programme
carries what the area still puts into it (running costs, maintenance, the handover).

Idempotent: a programme that exists for an area and year is left alone; budget lines that
already hold the amounts are not written again.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_DISTRICT, ensure_user
from accounts.models import Role, User
from accounts.services import role_assign
from areas.models import Area, ParticipationStep, SubGoal
from grants.demo import DemoClock
from participation.demo import staff_for
from projects import services as project_services
from projects.models import BudgetLine, Project

from . import services
from .models import ActionProgramme, Measure

OSLO = ZoneInfo("Europe/Oslo")
SECRETARIAT = "sekretariat@example.org"
HEARING_AREA = "veitvet-og-slettelokka"
REVIEW_AREAS = ("linderud", "grorud")
HEARING_DAYS = 21
STEP = ParticipationStep
SRC = BudgetLine.Source


def this_year() -> int:
    return timezone.localdate().year


def demo_hearing_programme() -> ActionProgramme:
    """This year's programme that the demo puts on høring (Veitvet og Sletteløkka): the one
    residents comment on in the demo."""
    return ActionProgramme.objects.select_related("area__district").get(
        area__slug=HEARING_AREA, year=this_year()
    )


# --- What each area is like ------------------------------------------------------------------
#
# ``area``: what marks the place; ``challenge``: what the place analysis found there beyond
# what the areas share; ``steps``: the municipality's role last year and this year.

AREAS = {
    "gronland-og-toyen": {
        "area": "Grønland og Tøyen ligger i Bydel Gamle Oslo, tett på sentrum, mellom Tøyenparken, "
        "Botanisk hage og Grønlandsleiret. Området har mange små leiligheter i bygårder og "
        "kommunale boliger, et rikt gateliv og mange lag, foreninger og trossamfunn. "
        "Aktivitetshuset K1 på Tøyen er blitt et nabolagshus for hele området.",
        "challenge": "Mange barnefamilier bor trangt og har få steder å være innendørs etter "
        "skoletid. Utrygghet rundt Tøyen torg om kvelden går igjen i innspillene, og mange "
        "tilbud for ungdom har vært prosjekter som ikke har vart.",
        "steps": (STEP.CONNECTOR, STEP.SUPPORT),
    },
    "linderud": {
        "area": "Linderud ligger i Bydel Bjerke, rundt Linderud senter og Linderud gård, med "
        "borettslag fra 1960- og 70-tallet, grøntdrag ned mot Alna og gode T-baneforbindelser. "
        "Senteret er den viktigste møteplassen, men det finnes få steder å være uten å handle.",
        "challenge": "Uteområdene mellom blokkene er slitte, og mange borettslag har lite penger "
        "til vedlikehold. Ungdom savner steder å være på kveldstid, og mange eldre bor alene.",
        "steps": (STEP.GUIDING, STEP.CONNECTOR),
    },
    "veitvet-og-slettelokka": {
        "area": "Veitvet og Sletteløkka ligger i Bydel Bjerke, på begge sider av Trondheimsveien. "
        "Veitvet ble bygd ut som en av Oslos første drabantbyer på 1950-tallet, med borettslag, "
        "skole og senter; Sletteløkka har småhus, blokker og Sletteløkka grendehus, som "
        "innbyggerne selv planla og bygde på dugnad.",
        "challenge": "Området har sterke lokale krefter, men de samme ildsjelene bærer mye, og "
        "mange nye innbyggere kjenner ikke tilbudene. Veitvet senter trenger mer liv på kveldstid, "
        "og snarveiene mellom boligene er mørke om vinteren.",
        "steps": (STEP.CONNECTOR, STEP.SUPPORT),
    },
    "grorud": {
        "area": "Grorud ligger i Bydel Grorud, rundt Grorud senter, Grorud T-banestasjon og "
        "Grorudparken, med en blanding av eldre småhusbebyggelse, borettslag og nye boliger "
        "langs Trondheimsveien. Innbyggerne har bedt om mer farge og kunst i bybildet.",
        "challenge": "Store veier og jernbane deler området, og det er få naturlige møteplasser "
        "mellom senteret og boligområdene. Mange barn og unge har lite å gå til etter skoletid.",
        "steps": (STEP.PROACTIVE, STEP.GUIDING),
    },
    "romsas": {
        "area": "Romsås ligger i Bydel Grorud, på en høyde med Lillomarka rett utenfor døra. "
        "Drabantbyen ble bygd på 1970-tallet rundt Romsås senter, bilfritt mellom blokkene. Nye "
        "Deichman Romsås er blitt en møteplass full av aktiviteter for barn og unge.",
        "challenge": "Senteret har stått med tomme lokaler, og mange har opplevd det som utrygt "
        "om kvelden. Turstiene og uteområdene er et stort gode, men trenger vedlikehold og "
        "belysning.",
        "steps": (STEP.CONNECTOR, STEP.SUPPORT),
    },
    "haugenstua": {
        "area": "Haugenstua ligger i Bydel Stovner, mellom Haugenstua stasjon og Alna, med "
        "høyblokker og borettslag fra 1970-tallet og en av Oslos yngste befolkninger. "
        "Haugenstua skole og idrettsanlegget er de viktigste samlingsstedene.",
        "challenge": "Mange store husholdninger bor trangt, og det mangler innendørs møteplasser. "
        "Området har hatt et dårlig rykte som innbyggerne ikke kjenner seg igjen i.",
        "steps": (STEP.GUIDING, STEP.CONNECTOR),
    },
    "stovner-sentrum": {
        "area": "Stovner sentrum – Fossum og Rommen – ligger i Bydel Stovner, rundt Stovner senter "
        "og Stovner bydelshus, med borettslag, småhus og store grøntområder mot Marka. Senteret "
        "er et knutepunkt for hele Groruddalen.",
        "challenge": "Sentrum er bygd for bil og handel, ikke for opphold. Gangforbindelsene "
        "mellom Fossum, Rommen og senteret er lange og utrygge om kvelden.",
        "steps": (STEP.PROACTIVE, STEP.GUIDING),
    },
    "vestli": {
        "area": "Vestli ligger i Bydel Stovner, ved endestasjonen for T-banen, med borettslag fra "
        "1970-tallet, Vestli senter og kort vei til Marka. Området har mange nyankomne familier.",
        "challenge": "Vestli senter er slitt og har få aktiviteter. Gangbroene og byrommene rundt "
        "T-banen oppleves som utrygge, og det er få tilbud for jenter i tenårene.",
        "steps": (STEP.PROACTIVE, STEP.GUIDING),
    },
    "lindeberg": {
        "area": "Lindeberg ligger i Bydel Alna, mellom Lindeberg T-banestasjon og Østmarka, med "
        "borettslag, rekkehus og skoler tett på hverandre. Mange flytter inn og ut.",
        "challenge": "Gjennomtrekken gjør det vanskelig å bygge varige nettverk. Borettslagene har "
        "få felles møteplasser, og ungdom etterspør aktiviteter nær der de bor.",
        "steps": (STEP.PROACTIVE, STEP.GUIDING),
    },
    "trosterud-og-haugerud": {
        "area": "Trosterud og Haugerud ligger i Bydel Alna, langs T-banen mot Østmarka, med "
        "borettslag fra 1960- og 70-tallet, Haugerud senter og et aktivt idrettsmiljø.",
        "challenge": "Uteområdene ved senteret er slitte, og flere borettslag ønsker hjelp til å "
        "organisere dugnader og søke om midler. Mange barn og unge vokser opp i familier med "
        "lav inntekt.",
        "steps": (STEP.CONNECTOR, STEP.SUPPORT),
    },
    "bjornerud": {
        "area": "Bjørnerud ligger i Bydel Søndre Nordstrand, på Rudshøgda ved Mortensrud, med "
        "borettslag, nye boliger og Skilpaddeparken, der plass til sirkustelt var en av "
        "innbyggernes viktigste bestillinger. Circus Xanti arrangerer Sirkuslandsbyfestival her.",
        "challenge": "Mye av området er nytt, og naboene kjenner hverandre lite. Det er behov for "
        "flere trygge møteplasser for barn og unge og for at foreldre engasjerer seg.",
        "steps": (STEP.GUIDING, STEP.CONNECTOR),
    },
    "holmlia-syd": {
        "area": "Holmlia syd ligger i Bydel Søndre Nordstrand, med rekkehus og borettslag fra "
        "1980-tallet, Holmlia senter og nærhet til Gjersjøen og Marka. Området har et rikt "
        "foreningsliv og mange språk.",
        "challenge": "Frivilligheten er aktiv, men innsatsen er ofte spredt. Uteområdene mellom "
        "borettslagene trenger fornying, og mange ønsker bedre belysning på gangveiene.",
        "steps": (STEP.CONNECTOR, STEP.SUPPORT),
    },
}

SHARED_CHALLENGES = (
    "Stedsanalysen viser det samme bildet som i de andre områdeløftene: en høy andel trangbodde "
    "husholdninger, som øker behovet for offentlige møteplasser både innendørs og utendørs; "
    "mange barn og unge, som trenger trygge omgivelser og et variert fritidstilbud; og flere "
    "innbyggere utenfor arbeidslivet enn i resten av Oslo. Mange opplever området som trygt, "
    "men enkelte steder skaper utrygghet, særlig om kvelden. Frivilligheten er aktiv, men "
    "innsatsen er ofte fragmentert og trenger bedre koordinering og flere møteplasser."
)

# The local goal and strategies under each delmål of delprogram nærmiljø.
GOALS = {
    1: (
        "Flere innbyggere i {area} deltar i et variert kultur- og organisasjonsliv, og lag og "
        "foreninger har steder å være.",
        "Støtte ildsjeler og grupper som har forslag og idéer, med hjelp til å søke midler og "
        "låne lokaler. Jobbe aktivt og over tid med ressurspersoner i frivillige lag og "
        "foreninger. Samordne aktivitetstilbudene så de når flere.",
    ),
    2: (
        "Uteområder og møteplasser i {area} brukes, er godt vedlikeholdt og er trygge å ferdes "
        "i, også om kvelden.",
        "Oppgradere møteplasser og snarveier sammen med dem som bruker dem: trygghetsvandringer, "
        "befaringer og dugnader før noe blir tegnet. Raske og synlige forbedringer der det er "
        "mulig, som lys, benker og beplantning, så innbyggerne ser at innspillene følges opp.",
    ),
    3: (
        "Innbyggerne i {area} bidrar i økende grad til å utvikle eget lokalsamfunn.",
        "Gå ut bredt og oppsøke grupper som sjelden deltar, der de er. Bruke dugnad som metode. "
        "Gi innbyggerne frihet, handlingsrom og slingringsmonn: å bli gitt tillit skaper tillit.",
    ),
    4: (
        "Planer for bolig- og byutvikling i {area} bygger på innsikt i lokale behov.",
        "Formidle innbyggernes innspill og stedsanalysen til Plan- og bygningsetaten og "
        "utbyggere, og være med i medvirkningen i reguleringssakene i området.",
    ),
    5: (
        "Bomiljøene i {area} er i økende grad velfungerende og oppleves som trygge av beboerne.",
        "Styrke ressurser og innsatsvilje i borettslag, sameier og velforeninger, blant annet "
        "gjennom bomiljøtilskudd, nabolagsverter og felles dugnader.",
    ),
    6: (
        "Bydelen og etatene samarbeider bedre innad og utad om gode bo- og oppvekstmiljøer i "
        "{area}.",
        "Bygge nettverk på tvers av tjenester, etater, skoler og frivillighet, og forankre "
        "områdeløftmetodikken i bydelens ordinære drift før satsingen avsluttes.",
    ),
}

# What each kind of generated project does in the programme's year, by its title.
MEASURE_COMMENTS = {
    "Belysning på snarveien": "Bymiljøetaten og bydelen setter opp lys på snarveien som "
    "trygghetsvandringen pekte ut. Innbyggerne er med på befaringen før arbeidet starter.",
    "Benker og møteplass ved butikken": "Benkene settes opp der innbyggerne ba om dem. "
    "Borettslaget ved butikken har sagt ja til å ta vare på beplantningen.",
    "Nabolagsfest": "Festen planlegges av en arbeidsgruppe av naboer; bydelen stiller med "
    "utstyr, søknader og kontakt med lag og foreninger.",
    "Dugnad i borettslagene": "Borettslagene organiserer dugnadene selv. Bydelen hjelper med "
    "containere, verktøy og søknad om bomiljøtilskudd.",
    "Språkkafé": "Språkkafeen drives av frivillige. Områdeløftet betaler lokaler og "
    "bevertning, og frivilligsentralen overtar koordineringen.",
    "Trygghetsvandring": "Vandringene gjentas vår og høst, med politiet, Bymiljøetaten og "
    "borettslagene. Funnene følges opp i egne tiltak.",
    "Ungdomsråd": "Ungdomsrådet gir råd om tiltak for ungdom og forvalter en egen pott til "
    "små tiltak. Fritidsklubben følger rådet opp.",
    "Aktivitetspark": "Parken planlegges sammen med elevene på skolene i området og bygges "
    "når reguleringen er avklart.",
    "Nabolagshage": "Hagen drives av en forening av naboer. Områdeløftet kjøper inn "
    "pallekarmer og jord og kobler hagen til skolen og barnehagene.",
    "Kulturkveld": "Kulturkveldene lages av lokale kulturaktører og foreninger, med "
    "områdeløftet som koblingsboks mot lokaler og finansiering.",
}

# The brochure's example projects: what the programme says of each, last year and this year,
# and the money the area puts into it each year: (source, planned) per year. The områdeløft
# funds are the state's and Oslo kommune's share (mostly half each).
BROCHURE_MEASURES = {
    "slettelokka-grendehus": {
        "comments": (
            "Grendehuset er ferdig og drives av innbyggerne, med aktiviteter sju dager i uka. "
            "Områdeløftet støtter styret med driftsutgifter og opplæring i år.",
            "Grendehuset drives av innbyggerne. I år avtaler bydelen og styret hvordan driften "
            "skal støttes etter at områdeløftet avsluttes, så grendehuset står på egne ben.",
        ),
        "budget": (
            [(SRC.STATE_AREA_FUNDS, 75_000), (SRC.AREA_FUNDS, 75_000), (SRC.OTHER_PUBLIC, 50_000)],
            [(SRC.STATE_AREA_FUNDS, 50_000), (SRC.AREA_FUNDS, 50_000), (SRC.OTHER_PUBLIC, 80_000)],
        ),
    },
    "sirkuslandsbyen-i-skilpaddeparken": {
        "comments": (
            "Sirkuslandsbyfestivalen på Rudshøgda og sirkusskolen fortsetter, med aktiviteter "
            "for barnehagebarn og elever og sommersirkus i skoleferien.",
            "Festivalen og sirkusskolen fortsetter. Foreldrene i Mortensrud sirkusskole tar "
            "over mer av arrangementene, og videreføringen etter 2026 avklares med "
            "Kulturetaten.",
        ),
        "budget": (
            [
                (SRC.STATE_AREA_FUNDS, 200_000),
                (SRC.AREA_FUNDS, 200_000),
                (SRC.OTHER_PUBLIC, 150_000),
                (SRC.PRIVATE, 100_000),
            ],
            [(SRC.AREA_FUNDS, 350_000), (SRC.OTHER_PUBLIC, 200_000), (SRC.PRIVATE, 100_000)],
        ),
    },
    "gatekunst-i-grorud": {
        "comments": (
            "De sju gatekunstverkene er ferdige. I år vedlikeholdes verkene, og en "
            "gatekunstvandring for skolene formidler dem.",
            "Et nytt verk på garasjeveggen ved Grorud T-bane males av ungdom sammen med en "
            "kunstner, etter innspill fra innbyggerne.",
        ),
        "budget": (
            [(SRC.AREA_FUNDS, 60_000)],
            [(SRC.AREA_FUNDS, 90_000), (SRC.OTHER_PUBLIC, 30_000)],
        ),
    },
    "aktivitetshuset-k1-pa-toyen": {
        "comments": (
            "K1 Klubben for ungdom mellom 16 og 19 år og fritidsklubben for barn mellom 10 og 14 "
            "år holder åpent fire kvelder i uka. Ungdommene planlegger temakveldene selv.",
            "Nabolagshuset drives videre med bydelen som støtteapparat; husstyret, der "
            "foreningene i huset sitter, får ansvar for utleie og aktivitetskalender.",
        ),
        "budget": (
            [
                (SRC.STATE_AREA_FUNDS, 300_000),
                (SRC.AREA_FUNDS, 300_000),
                (SRC.OTHER_PUBLIC, 300_000),
            ],
            [(SRC.AREA_FUNDS, 550_000), (SRC.OTHER_PUBLIC, 350_000)],
        ),
    },
    "deichman-romsas": {
        "comments": (
            "Biblioteket er åpnet. Områdeløftet støtter aktiviteter for barn og unge i samarbeid "
            "med frivilligheten og skolene, og den forlengede åpningstiden.",
            "Aktivitetene for barn og unge videreføres i bibliotekets ordinære drift. "
            "Områdeløftet betaler leksehjelp og helgeaktiviteter ut året.",
        ),
        "budget": (
            [(SRC.STATE_AREA_FUNDS, 60_000), (SRC.AREA_FUNDS, 60_000)],
            [(SRC.AREA_FUNDS, 100_000), (SRC.OTHER_PUBLIC, 40_000)],
        ),
    },
}

STEP_WORDS = {
    STEP.PROACTIVE: "en proaktiv rolle: konkret og tett på, for å bygge tillit",
    STEP.GUIDING: "en veiledende rolle: vi følger energien og bygger en deltakelseskultur",
    STEP.CONNECTOR: "en koblerrolle: vi bygger nettverk, et «økosystem» av deltakelse",
    STEP.SUPPORT: "en reaktiv rolle som støtteapparat for innbyggerdrevet lokalsamfunnsutvikling",
}


def _prose(area: Area, year: int, step: int, first: bool) -> dict:
    """The programme's texts for ``area`` in ``year``; ``first`` for last year's, written
    anew, otherwise this year's, which start from last year's."""
    spec = AREAS.get(area.slug, {})
    district = area.district.name
    ends = area.end_year
    left = ends - year
    if left > 0:
        horizon = f"Områdeløftet varer ut {ends}, og {year} er det nest siste året."
        if left > 1:
            horizon = f"Områdeløftet varer ut {ends}; det er {left} år igjen etter {year}."
    elif left < 0:
        horizon = (
            f"Områdeløftet ble avsluttet i {ends}; programmet gjelder videreføringen av det "
            "som ble bygd opp."
        )
    else:
        horizon = (
            f"{year} er områdeløftets siste år. Målet er at det som er bygd opp, lever videre "
            "i lokalsamfunnet og i bydelens ordinære tjenester."
        )
    return {
        "introduction": (
            f"Handlingsprogrammet for {year} viser hva områdeløftet i {area.name} skal gjøre i "
            f"år, hva det kostet og oppnådde året før, og hvordan innbyggerne har vært med. "
            f"Bydel {district} har laget det i samarbeid med beboerne, lag og foreninger og "
            f"tjenestene i bydelen. {horizon}\n\n"
            "Små ting – som en benk, lys på en gangvei eller et innbyggerdrevet språkkurs – gir "
            "store ringvirkninger: på enkeltmennesker, i lokalmiljøet og for samfunnet. "
            "Områdeløftet styrker det som er bra i området og tilfører nye kvaliteter, ved å "
            "oppmuntre og støtte lokalt engasjement og frivillig innsats."
        ),
        "area_text": spec.get("area", area.description or area.summary),
        "challenges": f"{SHARED_CHALLENGES}\n\n{spec.get('challenge', '')}".strip(),
        "participation_summary": (
            "Vi har vært til stede i området over tid: på stand ved senteret, på "
            "trygghetsvandringer, i borettslagenes årsmøter og på dugnader, og vi har oppsøkt "
            "grupper som sjelden kommer på folkemøter. Det innbyggerne spiller inn, følges opp "
            "i portalen, der alle kan se hva som ble av innspillet.\n\n"
            + (
                "Brede prosesser med mange involverte har preget de tidlige fasene; nå jobber vi "
                "mer i mindre grupper med dem som vil drive tiltakene videre."
                if not first
                else "Vi har lyttet før vi har laget løsninger: ingen ferdige planer «på høring», "
                "men dialog – ikke monolog."
            )
        ),
        "participation_plan": (
            f"I {year} har kommunen i {area.name} {STEP_WORDS[STEP(step)]}. "
            "Utkastet til handlingsprogram legges ut på høring, så alle kan kommentere hvert "
            "kapittel og hvert tiltak. Vi holder folkemøte og stand før høringsfristen, og "
            "kommentarene behandles som andre innspill: hver får et svar.\n\n"
            "Gjennom året bruker vi trygghetsvandringer, verksteder med ungdom og dugnader, og vi "
            "gir borettslag og foreninger hjelp til å søke bomiljøtilskudd."
        ),
        "risks": (
            "Lav tillit til det offentlige, manglende tid og kapasitet hos innbyggerne, og at det "
            "er uvant å bli involvert, kan gjøre at få deltar. Vi møter det med raske og synlige "
            "resultater der det er mulig, og ved å følge opp det folk spiller inn.\n\n"
            "Kommunens saksgang kan være kompleks og tidkrevende, og tiltak kan bli forsinket "
            "av regulering og anskaffelser. Prosjektlederne lærer byråkratiet å kjenne og bruker "
            "handlingsrommet, og tidsplanene har slingringsmonn.\n\n"
            "Når satsingen avsluttes, kan tiltak som ikke er forankret i bydelens drift eller hos "
            "innbyggerne, falle bort. Derfor planlegges videreføringen sammen med dem som skal "
            "eie tiltakene."
        ),
        "organisation": (
            f"Bydel {district} eier områdeløftet. Programlederen og prosjektlederne er ansatt i "
            "bydelen og har kontor i området. Det lokale programutvalget, med bydelsutvalget, "
            "bydelsledelsen, borettslag og frivillige organisasjoner, behandler "
            "handlingsprogrammet før programlederen vedtar det.\n\n"
            "Områdeløftet er en del av delprogram nærmiljø i Områdesatsingene i Oslo, med "
            "programeiergruppen (PEG) og Byrådsavdelingen for byutvikling (BYU). Vi samarbeider "
            "med skoler og barnehager, lag og foreninger, Deichman, Bymiljøetaten, Plan- og "
            "bygningsetaten, politiet og lokale bedrifter.\n\n"
            "Kontakt: Områdesatsingene i Oslo, postmottak@byr.oslo.kommune.no, eller "
            f"områdeløftets kontor i Bydel {district}."
        ),
    }


# --- Who does it -----------------------------------------------------------------------------


def _programme_leader(area: Area) -> User:
    """The district's programme leader, who adopts and publishes (one per district)."""
    district = area.district
    if district.number == DEMO_DISTRICT:
        return User.objects.get(email="programleder@example.org")
    user = ensure_user(f"programleder-{district.slug}@example.org", f"Programleder {district.name}")
    role_assign(user=user, role=Role.PROGRAMME_LEADER, district=district, actor=None)
    return user


def _oslo(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=OSLO)


# --- The brochure's examples -----------------------------------------------------------------


def _brochure_budgets(years: tuple[int, int]) -> None:
    """Each brochure example's budget lines for last year and this year (written only when
    the amounts differ, so a second run writes nothing)."""
    actor = User.objects.get(email=SECRETARIAT)
    projects = Project.objects.in_bulk(list(BROCHURE_MEASURES), field_name="slug")
    for slug, spec in BROCHURE_MEASURES.items():
        project = projects.get(slug)
        if project is None:
            continue
        for year, lines, share in zip(
            years, spec["budget"], (Decimal(1), Decimal("0.8")), strict=True
        ):
            for source, planned in lines:
                project_services.budget_line_set(
                    project=project,
                    actor=actor,
                    year=year,
                    source=source,
                    planned=Decimal(planned),
                    spent=(Decimal(planned) * share).quantize(Decimal(1)),
                )


def _write(programme: ActionProgramme, actor: User, *, first: bool, step: int) -> None:
    """The draft's texts, goals and measure comments, through the editing services."""
    area = programme.area
    services.programme_update(
        actor=actor,
        programme=programme,
        participation_step=int(step),
        **_prose(area, programme.year, step, first),
    )
    for sub_goal in SubGoal.objects.filter(sub_programme=area.sub_programme_id):
        if sub_goal.number not in GOALS:
            continue
        local_goal, strategies = GOALS[sub_goal.number]
        services.goal_save(
            actor=actor,
            programme=programme,
            sub_goal=sub_goal,
            local_goal=local_goal.format(area=area.name),
            strategies=strategies,
        )
    brochure = {
        p.pk: slug
        for slug, p in Project.objects.in_bulk(list(BROCHURE_MEASURES), field_name="slug").items()
        if p.area_id == area.pk
    }
    present = set(programme.measures.values_list("project_id", flat=True))
    for project_id in brochure.keys() - present:
        services.measure_add(
            actor=actor, programme=programme, project=Project.objects.get(pk=project_id)
        )
    which = 0 if first else 1
    for measure in Measure.objects.filter(programme=programme).select_related("project"):
        slug = brochure.get(measure.project_id)
        if slug:
            comment = BROCHURE_MEASURES[slug]["comments"][which]
        else:
            kind = measure.project.title.split(" – ")[0]
            comment = MEASURE_COMMENTS.get(kind, "")
        if comment:
            services.measure_comment(actor=actor, measure=measure, comment=comment)


def _last_year(area: Area, year: int, clock: DemoClock) -> ActionProgramme:
    """Last year's programme: written in January, on høring in February, considered in March,
    adopted and published at the end of March — on those dates."""
    writer, leader = staff_for(area), _programme_leader(area)
    with clock:
        clock.set(_oslo(date(year, 1, 12)))
        programme = services.programme_create(actor=writer, area=area, year=year)
        _write(programme, writer, first=True, step=AREAS.get(area.slug, {}).get("steps", (1, 1))[0])
        clock.set(_oslo(date(year, 2, 2)))
        services.programme_put_on_hearing(
            actor=writer, programme=programme, until=date(year, 2, 27)
        )
        clock.set(_oslo(date(year, 3, 4)))
        services.programme_send_for_review(actor=writer, programme=programme)
        clock.set(_oslo(date(year, 3, 24), 14))
        services.programme_adopt(actor=leader, programme=programme)
        clock.later(days=2)
        services.programme_publish(actor=leader, programme=programme)
    return programme


def _this_year(area: Area, year: int, clock: DemoClock) -> ActionProgramme:
    """This year's programme: started from last year's in January and written anew; one is
    on høring from today, two are with the programme committee, the rest are drafts."""
    writer = staff_for(area)
    step = AREAS.get(area.slug, {}).get("steps", (1, 1))[1]
    with clock:
        clock.set(_oslo(date(year, 1, 11)))
        programme = services.programme_create(actor=writer, area=area, year=year)
        _write(programme, writer, first=False, step=step)
        if area.slug in REVIEW_AREAS:
            clock.set(_oslo(date(year, 11, 20)))
            services.programme_send_for_review(actor=writer, programme=programme)
    if area.slug == HEARING_AREA:
        services.programme_put_on_hearing(
            actor=writer,
            programme=programme,
            until=timezone.localdate() + timedelta(days=HEARING_DAYS),
        )
        _hearing_comments(programme, writer)
    return programme


# Residents' comments on the draft on høring: (email, name, section, measure number or None,
# text, taken in). A signed-in resident's comment is shown at once; a guest's waits for the
# project leader, who shows it.
HEARING_COMMENTS = [
    (
        "beboer@example.org",
        "Amina Beboer",
        "tiltak",
        1,
        "Fint at torget får flere benker. Kan noen av dem stå i skyggen under trærne? "
        "Mange eldre går ikke ut når det er varmt.",
        True,
    ),
    (
        None,
        "Jonas fra Sletteløkka",
        "medvirkning",
        None,
        "Møtene er ofte på dagtid. Legg noen til kvelden eller helgen, så kan vi som jobber "
        "også komme.",
        False,
    ),
    (
        "beboer-00001@example.org",
        "Beboer 1",
        "budsjett",
        None,
        "Bruk mer av pengene på aktiviteter for ungdom om kvelden, ikke bare på ting som skal "
        "bygges.",
        False,
    ),
    (
        None,
        "Fatima, Veitvet",
        "tiltak",
        2,
        "Vi i borettslaget vil gjerne være med på dugnaden. Hvem kontakter vi?",
        False,
    ),
]


def _hearing_comments(programme: ActionProgramme, writer: User) -> None:
    """Residents comment on the draft; the project leader shows them and takes the first into
    its measure, as the follow-up of any input."""
    from participation.services import input_moderate

    measures = list(programme.measures.order_by("position", "pk"))
    for email, name, section, number, text, take_in in HEARING_COMMENTS:
        measure = measures[number - 1] if number and len(measures) >= number else None
        resident = ensure_user(email, name) if email else None
        comment = services.comment_submit(
            actor=resident,
            programme=programme,
            section="tiltak" if measure else ("innledning" if section == "tiltak" else section),
            measure=measure,
            text=text,
            name="" if resident else name,
            consent=resident is None,
            language="nb",
        )
        item = comment.input
        item.refresh_from_db()
        if item.moderation != item.Moderation.APPROVED:
            input_moderate(actor=writer, item=item, show=True)
        if take_in and measure is not None:
            services.comment_take_in(
                actor=writer,
                input=item,
                measure=measure,
                response="Vi ber om at minst tre av benkene settes i skyggen under trærne.",
            )


def seed(*, scale: int, report) -> None:
    year = this_year()
    _brochure_budgets((year - 1, year))
    clock = DemoClock()
    made = 0
    for area in Area.objects.select_related("district").order_by("district__number", "name"):
        existing = set(
            ActionProgramme.objects.filter(area=area, year__in=(year - 1, year)).values_list(
                "year", flat=True
            )
        )
        if year - 1 not in existing:
            with transaction.atomic():
                _last_year(area, year - 1, clock)
            made += 1
        if year not in existing:
            with transaction.atomic():
                _this_year(area, year, clock)
            made += 1
    report.add(
        f"Programmes: {ActionProgramme.objects.count()} in all, {made} made now; "
        f"{ActionProgramme.objects.filter(status=ActionProgramme.Status.HEARING).count()} on "
        "høring."
    )
