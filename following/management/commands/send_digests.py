from django.core.management.base import BaseCommand

from core.tasks import wait_for_background
from following.services import make_digests


class Command(BaseCommand):
    help = (
        "Make and send the digests that are due (beat does this every quarter of an hour; "
        "without a beat, run this from cron)."
    )

    def handle(self, *args, **options):
        made = make_digests()
        wait_for_background()
        self.stdout.write(f"{made} digest(s) made.")
