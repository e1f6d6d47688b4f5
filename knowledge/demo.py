"""Demo knowledge: who is responsible, from Oslo kommune's page on delprogram nærmiljø.

Organisations and roles are the page's own. The page names two contacts in Byrådsavdeling for
byutvikling and their roles but no number we may repeat, so no phone number is made up; the
district contacts are the districts' programme leaders by role, reached through the
programme's public address. Idempotent: rows that exist are left alone.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.demo import ensure_user
from accounts.models import Role
from accounts.services import role_assign
from areas.models import Area, District

from . import services
from .models import Contact, Document, Member
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
    report.add(
        f"Knowledge: {Member.objects.count()} members of bodies, "
        f"{Contact.objects.count()} contacts, {Document.objects.count()} documents."
    )
