"""Reference data from the programme's 2025 brochure and Oslo kommune's pages.

The rows are data: the secretariat edits them in the admin. The texts are frozen here so the
migration means the same thing whenever it runs; reversing it removes only untouched rows.
"""

from django.db import migrations

PROGRAMMES = [
    ("groruddalssatsingen", "Groruddalssatsingen", 2026, 1,
     "Områdesatsing i Groruddalen, i bydelene Alna, Bjerke, Grorud og Stovner.",
     "Områdesatsing i Groruddalen, i bydelane Alna, Bjerke, Grorud og Stovner.",
     "Area programme in Groruddalen, in the districts of Alna, Bjerke, Grorud and Stovner."),
    ("oslo-sor", "Oslo sør-satsingen", 2026, 2,
     "Områdesatsing i bydel Søndre Nordstrand.",
     "Områdesatsing i bydel Søndre Nordstrand.",
     "Area programme in the district of Søndre Nordstrand."),
    ("oslo-indre-ost", "Oslo indre øst-satsingen", 2026, 3,
     "Områdesatsing i bydel Gamle Oslo.",
     "Områdesatsing i bydel Gamle Oslo.",
     "Area programme in the district of Gamle Oslo."),
]

SUB_PROGRAMMES = [
    # slug, nb, nn, en, served, order, main goal nb/nn/en
    ("naermiljo", "Nærmiljø", "Nærmiljø", "Local environment", True, 1,
     "Nærmiljøkvaliteter skal styrkes og innsatsen skal bidra til inkluderende lokalsamfunn "
     "der flere er aktivt deltakende.",
     "Nærmiljøkvalitetar skal styrkjast, og innsatsen skal bidra til inkluderande "
     "lokalsamfunn der fleire er aktivt deltakande.",
     "Local environment qualities are strengthened, and the effort contributes to inclusive "
     "communities where more people take an active part."),
    ("oppvekst-og-utdanning", "Oppvekst og utdanning", "Oppvekst og utdanning",
     "Childhood and education", False, 2, "", "", ""),
    ("sysselsetting", "Sysselsetting", "Sysselsetjing", "Employment", False, 3, "", "", ""),
]

MAIN_GOAL = (
    "Programmet skal bidra til varige forbedringer av tjenester og nærmiljøkvaliteter i "
    "områder der behovene er størst slik at flere beboere i disse områdene blir økonomisk "
    "selvstendige og aktivt deltakende i lokalsamfunn og storsamfunn.",
    "Programmet skal bidra til varige forbetringar av tenester og nærmiljøkvalitetar i område "
    "der behova er størst, slik at fleire bebuarar i desse områda blir økonomisk sjølvstendige "
    "og aktivt deltakande i lokalsamfunn og storsamfunn.",
    "The programme contributes to lasting improvements in services and local environment "
    "qualities in the areas where the needs are greatest, so that more residents there become "
    "financially independent and take an active part in their local community and society.",
)

SUB_GOALS = [
    (1, "Sosialt liv og frivillighet", "Sosialt liv og frivilligheit",
     "Social life and volunteering",
     "Kommunen legger til rette for et variert kultur- og organisasjonsliv og nye former for "
     "frivillighet og deltakelse.",
     "Kommunen legg til rette for eit variert kultur- og organisasjonsliv og nye former for "
     "frivilligheit og deltaking.",
     "The city enables a varied cultural and organisational life and new forms of volunteering "
     "and participation."),
    (2, "Fysiske nærmiljøkvaliteter", "Fysiske nærmiljøkvalitetar",
     "Physical qualities of the neighbourhood",
     "Bygninger og uteområder brukes og er godt vedlikeholdte, og innbyggerne har god "
     "tilgjengelighet til viktige funksjoner i og utenfor området.",
     "Bygningar og uteområde blir brukte og er godt haldne ved like, og innbyggjarane har god "
     "tilgang til viktige funksjonar i og utanfor området.",
     "Buildings and outdoor spaces are used and well maintained, and residents have good access "
     "to important functions in and outside the area."),
    (3, "Medborgerskap", "Medborgarskap", "Citizenship",
     "Innbyggerne bidrar i økende grad til å utvikle eget lokalsamfunn.",
     "Innbyggjarane bidreg i aukande grad til å utvikle sitt eige lokalsamfunn.",
     "Residents increasingly contribute to developing their own community."),
    (4, "Byutvikling", "Byutvikling", "Urban development",
     "Areal- og infrastrukturplanlegging, bolig- og byutvikling bygger på innsikt i lokale "
     "behov og bidrar til å øke områdenes attraktivitet.",
     "Areal- og infrastrukturplanlegging, bustad- og byutvikling byggjer på innsikt i lokale "
     "behov og bidreg til å auke attraktiviteten til områda.",
     "Land use and infrastructure planning, housing and urban development build on insight "
     "into local needs and make the areas more attractive."),
    (5, "Bomiljø", "Bumiljø", "Residential environment",
     "Bomiljøene er i økende grad velfungerende og oppleves som trygge av beboerne.",
     "Bumiljøa er i aukande grad velfungerande og blir opplevde som trygge av bebuarane.",
     "Residential environments increasingly function well and feel safe to residents."),
    (6, "Ny kommunal praksis", "Ny kommunal praksis", "New municipal practice",
     "Kommunen er bedre til å samarbeide innad og utad for å skape gode bo- og "
     "oppvekstmiljøer.",
     "Kommunen er betre til å samarbeide innover og utover for å skape gode bu- og "
     "oppvekstmiljø.",
     "The city is better at cooperating internally and externally to create good places to "
     "live and grow up."),
]

DISTRICTS = [
    ("01", "Gamle Oslo", "gamle-oslo", "oslo-indre-ost"),
    ("09", "Bjerke", "bjerke", "groruddalssatsingen"),
    ("10", "Grorud", "grorud", "groruddalssatsingen"),
    ("11", "Stovner", "stovner", "groruddalssatsingen"),
    ("12", "Alna", "alna", "groruddalssatsingen"),
    ("15", "Søndre Nordstrand", "sondre-nordstrand", "oslo-sor"),
]

GJ, AV = "gjennomforing", "avslutning"
AREAS = [
    # slug, name, district number, start, end, phase
    ("gronland-og-toyen", "Grønland og Tøyen", "01", 2017, 2026, AV),
    ("linderud", "Linderud", "09", 2017, 2026, AV),
    ("veitvet-og-slettelokka", "Veitvet og Sletteløkka", "09", 2017, 2026, AV),
    ("romsas", "Romsås", "10", 2017, 2026, AV),
    ("grorud", "Grorud", "10", 2019, 2026, GJ),
    ("haugenstua", "Haugenstua", "11", 2017, 2026, AV),
    ("stovner-sentrum", "Stovner sentrum (Fossum og Rommen)", "11", 2019, 2026, GJ),
    ("vestli", "Vestli", "11", 2019, 2026, GJ),
    ("trosterud-og-haugerud", "Trosterud og Haugerud", "12", 2017, 2026, AV),
    ("lindeberg", "Lindeberg", "12", 2019, 2026, GJ),
    ("holmlia-syd", "Holmlia syd", "15", 2018, 2026, AV),
    ("bjornerud", "Bjørnerud", "15", 2019, 2026, GJ),
]


def area_texts(name: str, district: str) -> tuple[str, str, str]:
    return (
        f"Områdeløft i Bydel {district}: bydelen, beboerne og lokale aktører styrker "
        f"nærmiljøet i {name} sammen.",
        f"Områdeløft i Bydel {district}: bydelen, bebuarane og lokale aktørar styrkjer "
        f"nærmiljøet i {name} saman.",
        f"Area upgrade in the district of {district}: the district, residents and local actors "
        f"strengthen the neighbourhood of {name} together.",
    )


def load(apps, schema_editor):
    Programme = apps.get_model("areas", "Programme")
    SubProgramme = apps.get_model("areas", "SubProgramme")
    MainGoal = apps.get_model("areas", "MainGoal")
    SubGoal = apps.get_model("areas", "SubGoal")
    District = apps.get_model("areas", "District")
    Area = apps.get_model("areas", "Area")

    programmes = {}
    for slug, name, end_year, order, nb, nn, en in PROGRAMMES:
        programmes[slug], _ = Programme.objects.get_or_create(
            slug=slug,
            defaults=dict(name=name, end_year=end_year, sort_order=order, description=nb,
                          description_nn=nn, description_en=en),
        )
    subs = {}
    for slug, nb, nn, en, served, order, goal_nb, goal_nn, goal_en in SUB_PROGRAMMES:
        sub, _ = SubProgramme.objects.get_or_create(
            slug=slug,
            defaults=dict(name=nb, name_nn=nn, name_en=en, served=served, sort_order=order,
                          main_goal=goal_nb, main_goal_nn=goal_nn, main_goal_en=goal_en),
        )
        sub.programmes.add(*programmes.values())
        subs[slug] = sub
    if not MainGoal.objects.exists():
        MainGoal.objects.create(text=MAIN_GOAL[0], text_nn=MAIN_GOAL[1], text_en=MAIN_GOAL[2])
    sub_goals = []
    for number, title, title_nn, title_en, text, text_nn, text_en in SUB_GOALS:
        goal, _ = SubGoal.objects.get_or_create(
            sub_programme=subs["naermiljo"], number=number,
            defaults=dict(title=title, title_nn=title_nn, title_en=title_en, description=text,
                          description_nn=text_nn, description_en=text_en),
        )
        sub_goals.append(goal)
    districts = {}
    for number, name, slug, programme in DISTRICTS:
        districts[number], _ = District.objects.get_or_create(
            number=number, defaults=dict(name=name, slug=slug, programme=programmes[programme])
        )
    for slug, name, number, start, end, phase in AREAS:
        nb, nn, en = area_texts(name, districts[number].name)
        area, created = Area.objects.get_or_create(
            slug=slug,
            defaults=dict(name=name, district=districts[number], sub_programme=subs["naermiljo"],
                          start_year=start, end_year=end, phase=phase, summary=nb,
                          summary_nn=nn, summary_en=en),
        )
        if created:
            area.sub_goals.add(*sub_goals)


def unload(apps, schema_editor):
    for model, field, values in [
        ("Area", "slug", [a[0] for a in AREAS]),
        ("District", "number", [d[0] for d in DISTRICTS]),
        ("SubGoal", "number", [g[0] for g in SUB_GOALS]),
        ("SubProgramme", "slug", [s[0] for s in SUB_PROGRAMMES]),
        ("Programme", "slug", [p[0] for p in PROGRAMMES]),
    ]:
        apps.get_model("areas", model).objects.filter(**{f"{field}__in": values}).delete()
    apps.get_model("areas", "MainGoal").objects.filter(text=MAIN_GOAL[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
