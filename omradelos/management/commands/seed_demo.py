from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core import versions
from omradelos.demo import SeedReport, run_seeders


class Command(BaseCommand):
    help = "Load demo users and content (idempotent). --scale N multiplies volumes."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Volume multiplier (1 = today).")

    def handle(self, *args, scale: int, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        with transaction.atomic():
            report = run_seeders(scale=scale, report=SeedReport())
            # Some demo rows are put in place directly, not through a service.
            versions.bump(*versions.TOPICS)
        for line in report.lines:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready (scale {scale})."))
