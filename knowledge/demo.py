"""Demo knowledge: who is responsible, from Oslo kommune's page on delprogram nærmiljø; the
documents, method recipes and lessons learned, in the brochure's words.

Organisations and roles are the page's own. The page names two contacts in Byrådsavdeling for
byutvikling and their roles but no number we may repeat, so no phone number is made up; the
district contacts are the districts' programme leaders by role, reached through the
programme's public address. Idempotent: rows that exist are left alone.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.demo import ensure_user
from accounts.models import Role
from accounts.services import role_assign
from areas.models import Area, District, SubGoal

from . import services
from .models import Contact, Document, Lesson, Member, Recipe
from .simple_pdf import simple_pdf

SECRETARIAT = "sekretariat@example.org"
PROGRAMME_ADDRESS = "postmottak@byr.oslo.kommune.no"

BOARD_LEADER = ("Bydel Bjerke", "Bydelsdirektør", "Bovild Tjønn")
BOARD = [
    "Bydel Alna",
    "Bydel Bjerke",
    "Bydel Grorud",
    "Bydel Stovner",
    "Bydel Gamle Oslo",
    "Bydel Søndre Nordstrand",
    "Plan- og bygningsetaten",
    "Eiendoms- og byfornyelsesetaten",
    "Bymiljøetaten",
    "Velferdsetaten",
    "Kulturetaten",
    "Boligbygg Oslo KF",
    "Kommunal- og distriktsdepartementet (KDD)",
    "Miljødirektoratet",
    "Husbanken",
    "Kulturtanken",
    "Helsedirektoratet",
    "Integrerings- og mangfoldsdirektoratet",
    "Utdanningsetaten",
    "Byrådsavdeling for kultur, idrett og frivillighet",
    "Byrådsavdeling for miljø og samferdsel",
    "Byrådsavdeling for arbeid, inkludering og sosiale tjenester",
]
COMMITTEE = [
    "Programstyreleder",
    "Representant for sekretariatet",
    "Kommunal- og distriktsdepartementet (KDD)",
    "Husbanken",
    "Bymiljøetaten",
    "Plan- og bygningsetaten",
    "Kulturetaten",
]
SECRETARIAT_BODY = ["Byrådsavdeling for byutvikling, ved seksjon for områdeutvikling"]
PROGRAMME_CONTACTS = [
    ("Kommunikasjonsrådgiver", "Roy Tjomsland", "Byrådsavdeling for byutvikling"),
    ("Spesialrådgiver", "Kristine Høglund Solgaard", "Byrådsavdeling for byutvikling"),
]


K = Document.Kind
# (title, kind, year, area slug or None, public, summary, the page's text), from the brochure.
DOCUMENTS = [
    (
        "Områdeløft – ikke bare en benk",
        K.OTHER,
        2025,
        None,
        True,
        "Brosjyren fra delprogram nærmiljø: hvordan medvirkning, samarbeid og støtte til "
        "innbyggere kan løfte nabolag, med kunnskap og læring fra tiltak og prosjekter.",
        [
            "I et nabolag representerer en benk mange ting.",
            "Det kan være et sted å hvile på vei gjennom nabolaget,",
            "og det kan også være en møteplass.",
            "Oslo, september 2025. Programstyret i delprogram nærmiljø.",
        ],
    ),
    (
        "Håndbok for områdeløft",
        K.HANDBOOK,
        2024,
        None,
        True,
        "Områdeløftmetodikken slik den er utviklet over tid: tankesettet, prinsippene og "
        "deltakelsestrappa, der tillit og gode resultater bygges gjennom tilstedeværelse "
        "over tid.",
        [
            "Områdeløftmetodikken er utviklet over tid.",
            "Tillit bygges gjennom tilstedeværelse over tid.",
            "Deltakelsestrappa: proaktiv, veiledende, kobler og reaktiv rolle.",
        ],
    ),
    (
        "Kokebok for bedre bomiljø",
        K.HANDBOOK,
        2025,
        None,
        True,
        "Ingrediensene og oppskriftene som bidrar til et triveligere nærmiljø, med bakgrunn "
        "i erfaringer fra områdesatsingene.",
        [
            "Ingredienser og oppskrifter for et triveligere nærmiljø.",
            "Dugnad som metode. Trygghetsvandring. Nabolagsinkubator.",
        ],
    ),
    (
        "Stedsanalyse Veitvet og Sletteløkka – arbeidsnotat",
        K.PLACE_ANALYSIS,
        2024,
        "veitvet-og-slettelokka",
        False,
        "Arbeidsnotat til stedsanalysen: møteplasser, trygghet og frivillighet i området, "
        "til bruk i bydelene før analysen er ferdig.",
        [
            "Behov for flere møteplasser og oppgraderte uteområder.",
            "Enkelte steder skaper utrygghet, spesielt om kvelden.",
        ],
    ),
]


def _seed_documents(actor) -> None:
    have = set(Document.objects.values_list("title", flat=True))
    for title, kind, year, area_slug, public, summary, lines in DOCUMENTS:
        if title in have:
            continue
        area = Area.objects.get(slug=area_slug) if area_slug else None
        upload = SimpleUploadedFile(
            f"{title}.pdf", simple_pdf(lines, title=title), content_type="application/pdf"
        )
        services.document_upload(
            actor=actor,
            upload=upload,
            title=title,
            kind=kind,
            language="nb",
            year=year,
            programme=None,
            district=None,
            area=area,
            summary=summary,
            is_public=public,
        )
    services.programme_documents_sync()


def _secretariat():
    user = ensure_user(SECRETARIAT, "Sekretariatet")
    role_assign(user=user, role=Role.SECRETARIAT, district=None, actor=None)
    return user


def seed(*, scale: int, report) -> None:
    actor = _secretariat()
    existing = set(Member.objects.values_list("body", "role", "organisation"))
    B = Member.Body
    wanted = [(B.BOARD, Member.Role.LEADER, *BOARD_LEADER, 0)]
    wanted += [(B.BOARD, Member.Role.MEMBER, name, "", "", n) for n, name in enumerate(BOARD, 1)]
    wanted += [
        (B.COMMITTEE, Member.Role.MEMBER, name, "", "", n) for n, name in enumerate(COMMITTEE, 1)
    ]
    wanted += [(B.SECRETARIAT, Member.Role.MEMBER, name, "", "", 1) for name in SECRETARIAT_BODY]
    for body, role, organisation, title, person, order in wanted:
        if (body, role, organisation) in existing:
            continue
        if role == Member.Role.LEADER and Member.objects.filter(body=body, role=role).exists():
            continue
        services.member_save(
            actor=actor,
            body=body,
            role=role,
            organisation=organisation,
            title=title,
            person_name=person,
            sort_order=order,
        )
    names = set(Contact.objects.values_list("name", "district_id", "area_id"))
    for order, (role, name, organisation) in enumerate(PROGRAMME_CONTACTS, 1):
        if (name, None, None) not in names:
            services.contact_save(
                actor=actor, role=role, name=name, organisation=organisation, sort_order=order
            )
    for district in District.objects.order_by("number"):
        name = f"Programlederen i {district}"
        if (name, district.pk, None) not in names:
            services.contact_save(
                actor=actor,
                role="Programleder for områdeløft",
                name=name,
                organisation=str(district),
                email=PROGRAMME_ADDRESS,
                district=district,
            )
    _seed_documents(actor)
    _seed_recipes(actor)
    _seed_lessons(actor)
    report.add(
        f"Knowledge: {Member.objects.count()} members of bodies, "
        f"{Contact.objects.count()} contacts, {Document.objects.count()} documents, "
        f"{Recipe.objects.count()} recipes, {Lesson.objects.count()} lessons."
    )


# The cookbook's recipes: (slug, title, summary, introduction, ingredients, steps, projects).
RECIPES = [
    (
        "dugnad-som-metode",
        "Dugnad som metode",
        "Innbyggerne planlegger og bygger sammen med fagfolk og ansatte i bydelen – og eier "
        "resultatet etterpå.",
        "Hva kan skje om du gir fra deg litt kontroll? På Sletteløkka jobbet innbyggerne "
        "sammen med arkitekter og ansatte i bydelen for å planlegge og bygge et grendehus. "
        "90 innbyggere bidro med 1.000 timer dugnad, og i dag er der aktiviteter sju dager i "
        "uka året rundt – drevet av innbyggerne.",
        [
            "Ildsjeler og grupper som har forslag og idéer",
            "Arkitekter eller andre fagfolk som vil planlegge sammen med innbyggerne",
            "Ansatte i bydelen som er til stede over tid",
            "Et sted, materialer og verktøy",
            "Tålmodighet: det tar tid å sørge for at flest mulig får være med",
        ],
        [
            "Gå ut av kontoret og snakk med folk om hva de ønsker seg",
            "Planlegg sammen: ta utgangspunkt i innbyggernes idéer og behov",
            "Del arbeidet i oppgaver som passer for mange, også dem som aldri har snekret",
            "Bygg sammen på faste dugnadsdager, med fagfolk til stede",
            "Feir det som er bygget, og la innbyggerne drive det videre",
        ],
        ["slettelokka-grendehus"],
    ),
    (
        "trygghetsvandring",
        "Trygghetsvandring",
        "Innbyggere og etater går sammen gjennom nabolaget, gjerne om kvelden, og ser på "
        "stedene som oppleves utrygge.",
        "Mange opplever områdene som trygge, men det er enkelte steder som skaper utrygghet, "
        "spesielt om kvelden. En opplyst løkke er bedre for flere enn et mørkt smug. En "
        "trygghetsvandring gjør stedene synlige for dem som kan gjøre noe med dem.",
        [
            "Innbyggere i ulike aldre, også barn og unge",
            "Bymiljøetaten, politiet og bydelens tjenester",
            "Et kart over området og noe å notere på",
            "En kveld i den mørke årstiden",
        ],
        [
            "Inviter bredt, og oppsøk dem som sjelden kommer på møter",
            "Gå en fast rute sammen, og stopp der noen kjenner seg utrygge",
            "Noter hvert sted: hva som er galt, og hva som kunne gjort det bedre",
            "Fordel oppfølgingen på etatene som eier stedene",
            "Fortell deltakerne hva som ble gjort – ta innbyggerne på alvor",
        ],
        [],
    ),
    (
        "nabolagsinkubator",
        "Nabolagsinkubator",
        "Støtte til innbyggere som vil starte noe – en sosial virksomhet, en forening eller en "
        "liten bedrift – i sitt eget nabolag.",
        "Håndboken fra Norge Unlimited gir kunnskap om sosialt entreprenørskap og beskriver "
        "hvordan starte en nabolagsinkubator og hva det innebærer. Den som blir sett på som en "
        "ressurs, blir gradvis en ressurs.",
        [
            "Innbyggere med en idé og lyst til å starte noe",
            "Sosiale entreprenører og lokale bedrifter som veiledere",
            "Et lokale der de kan møtes og jobbe",
            "Et lite startbeløp, for eksempel bomiljøtilskudd",
        ],
        [
            "Finn ildsjelene: spør rundt, og lytt etter idéene som allerede finnes",
            "Sett sammen en gruppe og en veileder for hver idé",
            "Møtes jevnlig for å prøve ut idéene i det små",
            "Koble gruppene til nettverk, lokaler og finansiering utenfor bydelen",
            "Trekk kommunen gradvis tilbake, til et støtteapparat",
        ],
        [],
    ),
    (
        "medvirkning-i-tidlige-faser",
        "Medvirkning i tidlige faser",
        "Brede prosesser og mange involverte i tidlige faser, mindre grupper senere, og åpen "
        "formidling når planene er klare.",
        "Aktiv involvering av innbyggere sikrer at det vi gjør er forankret i deres behov og "
        "ønsker. Da Skilpaddeparken skulle bygges, var innbyggerne med i alle stadier av "
        "utviklingen, og plass til sirkustelt var en viktig bestilling til utbygger.",
        [
            "Tid og tilstedeværelse i området",
            "Ulike måter å si sin mening på: møter, pop-ups, samtaler på gata",
            "Et åpent sinn: ingen ferdige løsninger «på høring»",
            "Noen som følger opp det folk spiller inn",
        ],
        [
            "Gå ut bredt – og prøv å se og lytte til «alle»",
            "Skap dialog, ikke monolog: spør før dere tegner",
            "Samle innspillene og vis hva dere har hørt",
            "Arbeid videre i mindre grupper med dem som vil være med",
            "Formidle planene åpent når de er klare, og si hva som ble av innspillene",
        ],
        ["sirkuslandsbyen-i-skilpaddeparken", "slettelokka-grendehus"],
    ),
]

# Lessons of the brochure's example projects: (project slug, title, worked, did not work,
# advice, sub-goal numbers, recipe slugs, published).
LESSONS = [
    (
        "slettelokka-grendehus",
        "Gi fra deg litt kontroll",
        "Med dugnad som metode planla og bygde innbyggerne grendehuset sammen med arkitekter "
        "og ansatte i bydelen. 90 innbyggere bidro med 1.000 timer dugnad, og utallige "
        "nettverk ble bygget mellom innbyggere på tvers av kulturer. I dag drives aktivitetene "
        "av innbyggerne selv, sju dager i uka.",
        "Saksgangen i kommunen er kompleks og tidkrevende, og den passet dårlig med "
        "dugnadsdagene. Det tok tid før alle avtaler var på plass.",
        "Vis tillit til innbyggerne ved å gi dem frihet, handlingsrom og slingringsmonn. Å bli "
        "gitt tillit skaper tillit. Lær byråkratiet å kjenne, og bruk handlingsrommet.",
        [1, 2, 3],
        ["dugnad-som-metode", "medvirkning-i-tidlige-faser"],
        True,
    ),
    (
        "sirkuslandsbyen-i-skilpaddeparken",
        "Innbyggerne med i alle stadier",
        "Innbyggerne var med i alle stadier da Skilpaddeparken skulle bygges, og plass til "
        "sirkustelt var en viktig bestilling til utbygger. Hvert år deltar 550 "
        "barnehagebarn og 500 elever på aktiviteter organisert av Sirkuslandsbyen.",
        "",
        "Gjør innbyggernes ønsker til konkrete bestillinger til utbyggeren tidlig, før "
        "tegningene er ferdige.",
        [1, 4],
        ["medvirkning-i-tidlige-faser"],
        True,
    ),
    (
        "deichman-romsas",
        "Lengre åpningstid gir et tryggere senter",
        "Biblioteket samarbeidet med områdeløftet, frivilligheten og de lokale skolene. "
        "Besøkstallene økte med 77 %, og Romsås senter oppleves som tryggere på grunn av "
        "forlenget åpningstid til biblioteket.",
        "",
        "Se møteplasser og trygghet i sammenheng: et åpent og opplyst sted om kvelden gjør "
        "mer enn et nytt tiltak alene.",
        [1, 5],
        [],
        True,
    ),
    (
        "gatekunst-i-grorud",
        "Gatekunst krever avtaler med mange eiere",
        "Sju gatekunstprosjekter ble gjennomført sammen med innbyggerne, basert på ønsket om "
        "mer farge og kunst i bybildet.",
        "Avtalene med eierne av veggene tok lengre tid enn planlagt.",
        "Snakk med eierne av veggene før dere lover innbyggerne et bestemt sted.",
        [2],
        [],
        False,
    ),
]


def _seed_recipes(actor) -> None:
    from projects.models import Project

    for slug, title, summary, intro, ingredients, steps, project_slugs in RECIPES:
        if Recipe.objects.filter(slug=slug).exists():
            continue
        recipe = services.recipe_save(
            actor=actor,
            title=title,
            summary=summary,
            introduction=intro,
            ingredients="\n".join(ingredients),
            steps="\n".join(steps),
            district=None,
            projects=list(Project.objects.filter(slug__in=project_slugs)),
        )
        if recipe.slug != slug:
            Recipe.objects.filter(pk=recipe.pk).update(slug=slug)
            recipe.slug = slug
        services.recipe_publish(actor=actor, recipe=recipe)


def _seed_lessons(actor) -> None:
    from projects.models import Project

    projects = {p.slug: p for p in Project.objects.filter(slug__in=[x[0] for x in LESSONS])}
    for slug, title, worked, not_worked, advice, goals, methods, published in LESSONS:
        project = projects.get(slug)
        if project is None or Lesson.objects.filter(project=project, title=title).exists():
            continue
        lesson = services.lesson_create(
            actor=actor,
            project=project,
            title=title,
            worked=worked,
            did_not_work=not_worked,
            advice=advice,
            sub_goals=list(SubGoal.objects.filter(number__in=goals, sub_programme__served=True)),
            methods=list(Recipe.objects.filter(slug__in=methods)),
        )
        if published and project.is_public and project.area.is_published:
            services.lesson_publish(actor=actor, lesson=lesson)
