"""Area descriptions drawn from the programme's 2025 brochure."""

from .models import Area

DESCRIPTIONS = {
    "veitvet-og-slettelokka": (
        "På Sletteløkka har innbyggerne jobbet sammen med arkitekter og ansatte i bydelen for å "
        "planlegge og bygge et grendehus, med dugnad som metode: 90 innbyggere bidro med 1 000 "
        "timer dugnad. I dag er det aktiviteter der sju dager i uka året rundt, drevet av "
        "innbyggerne, og 2 300 mennesker har fått et etterlengtet sted å møtes."
    ),
    "grorud": (
        "«Vi vil ha farger»: områdeløftet har gjennomført sju gatekunstprosjekter i samarbeid "
        "med innbyggerne, basert på ønsket om mer farge og kunst i bybildet. Områdeløftet "
        "samarbeidet også om nye Deichman Romsås."
    ),
    "romsas": (
        "Nye Deichman Romsås ble til i samarbeid med områdeløftet på Grorud, frivilligheten "
        "og de lokale skolene: en ny møteplass full av aktiviteter for barn og unge. "
        "Besøkstallene økte med 77 %, og Romsås senter oppleves som tryggere på grunn av "
        "forlenget åpningstid."
    ),
    "gronland-og-toyen": (
        "Aktivitetshuset K1 på Tøyen er et nabolagshus med et variert aktivitetstilbud, med "
        "spesielt fokus på barn og unge – med K1 Klubben for ungdom mellom 16 og 19 år og en "
        "gratis fritidsklubb for barn mellom 10 og 14 år."
    ),
}


def seed(*, scale: int, report) -> None:
    updated = 0
    for slug, text in DESCRIPTIONS.items():
        updated += Area.objects.filter(slug=slug, description="").update(description=text)
    report.add(f"Areas: {Area.objects.count()} in all, {updated} descriptions filled in.")
