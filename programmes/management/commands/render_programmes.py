"""``manage.py render_programmes --year 2027``: the PDF of every area's programme for a year.

Each programme is rendered as it stands (its adopted version if adopted, otherwise the live
composition), one task per area, so with two workers two areas render at a time. A programme
whose content has its PDF already is not rendered again.
"""

from django.core.management.base import BaseCommand, CommandError

from programmes.models import Rendering
from programmes.services.rendering import renderings_request_year

R = Rendering.Status

OUTCOME = {
    R.QUEUED: "queued",
    R.RENDERING: "being rendered",
    R.READY: "ready already (this content has its PDF)",
    R.FAILED: "failed",
}


class Command(BaseCommand):
    help = "Render the PDF of every area's handlingsprogram for a year (one task per area)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="The programmes' year.")

    def handle(self, *args, year: int, **options):
        if not 2000 <= year <= 2100:
            raise CommandError("--year must be between 2000 and 2100.")
        outcome = renderings_request_year(actor=None, year=year)
        for programme, rendering in outcome.renderings:
            self.stdout.write(
                f"{programme.area.name} {year}: {OUTCOME[rendering.status]} "
                f"(rendering {rendering.pk})"
            )
        if outcome.areas_without_programme:
            self.stdout.write(
                self.style.WARNING(
                    f"No programme for {year}: " + ", ".join(outcome.areas_without_programme)
                )
            )
        queued = len(outcome.with_status(R.QUEUED))
        ready = len(outcome.with_status(R.READY))
        self.stdout.write(
            self.style.SUCCESS(
                f"{year}: {len(outcome.renderings)} programmes, {queued} queued, "
                f"{ready} ready already."
            )
        )
