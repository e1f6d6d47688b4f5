"""What the portal benchmark asks Django about one seeded database, in a process of its own.

``python -m benchmarks.probe paths DATABASE_URL`` prints, as JSON, the address of each key page
(the same objects at every scale: the demo area Veitvet og Sletteløkka, its first public
project, the first public grant round, the first submitted case in Bydel Bjerke, the area's
published handlingsprogram). ``python -m benchmarks.probe renders DATABASE_URL`` prints the
render times of a decision letter and of the largest handlingsprogram of the database, each
beside WeasyPrint alone on the same HTML and on a trivial document.
"""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AREA = "veitvet-og-slettelokka"
DEMO_DISTRICT = "09"


def setup(database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "omradelos.settings.test"
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def sign_in_passwords() -> None:
    """The demo users' passwords hashed as the served portal checks them: the seed runs with
    the test settings, whose fast MD5 hasher the production settings do not accept."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from accounts.demo import DEMO_PASSWORD, DEMO_USERS
    from accounts.models import User

    hasher = PBKDF2PasswordHasher()
    for user in User.objects.filter(email__in=[email for email, _n, _r in DEMO_USERS]):
        if not user.password.startswith(hasher.algorithm + "$"):
            user.password = hasher.encode(DEMO_PASSWORD, hasher.salt())
            user.save(update_fields=["password"])


def paths() -> dict[str, str]:
    sign_in_passwords()
    from django.urls import reverse

    from grants.models import GrantApplication
    from grants.sitemaps import GrantRoundSitemap
    from programmes.sitemaps import ProgrammeSitemap
    from projects.selectors import projects_public

    project = projects_public().filter(area__slug=AREA).order_by("pk").first()
    grant_round = GrantRoundSitemap().items().first()
    case = (
        GrantApplication.objects.filter(area__district__number=DEMO_DISTRICT)
        .exclude(status=GrantApplication.Status.DRAFT)
        .order_by("pk")
        .first()
    )
    programmes = [p for p in ProgrammeSitemap().items() if p.area.slug == AREA]
    programme = programmes[-1] if programmes else ProgrammeSitemap().items().last()
    return {
        "home": reverse("home"),
        "area": reverse("area_detail", kwargs={"slug": AREA}),
        "project": reverse("projects:detail", kwargs={"slug": project.slug}),
        "events": reverse("participation:events"),
        "round": reverse("grants:round_detail", kwargs={"slug": grant_round.slug}),
        "handlingsprogram": reverse(
            "programmes:detail", kwargs={"area": programme.area.slug, "year": programme.year}
        ),
        "staff_projects": reverse("projects:staff_list"),
        "case_queue": reverse("grants:staff_queue"),
        "case": reverse("grants:staff_case", kwargs={"pk": case.pk}),
        "my_applications": reverse("grants:my_applications"),
        "dashboard": reverse("dashboards:programme"),
    }


def _timed(fn, repeat: int) -> dict:
    """Medians of ``repeat`` runs after a warm-up: wall-clock and CPU seconds."""
    import statistics

    fn()
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {"wall_s": statistics.median(walls), "cpu_s": statistics.median(cpus)}


def renders(repeat: int = 3) -> dict:
    from django.db.models import Count
    from django.utils import timezone
    from weasyprint import HTML

    from benchmarks.handlingsprogram import render_one
    from grants import letters
    from grants.models import Decision
    from programmes import pdf
    from programmes.compose import compose, queryset_for_compose
    from programmes.models import ActionProgramme

    def trivial():
        HTML(string="<html lang='nb'><title>x</title><p>Hei på deg.</p></html>").write_pdf()

    decision = Decision.objects.select_related("application").order_by("pk").first()
    today = timezone.localdate()
    letter_html = letters.render_letter_html(decision, notified_on=today, appeal_deadline=today)

    def letter():
        letters.render_letter_pdf(decision, notified_on=today, appeal_deadline=today)

    def letter_weasyprint():
        HTML(string=letter_html, base_url=str(letters.ASSET_ROOT) + "/").write_pdf(
            pdf_variant="pdf/ua-1", custom_metadata=True
        )

    programme = ActionProgramme.objects.annotate(n=Count("measures")).order_by("-n", "pk").first()
    content = compose(queryset_for_compose().get(pk=programme.pk))
    programme_html = pdf.render_html(content)

    def programme_weasyprint():
        HTML(string=programme_html, base_url=str(pdf.ASSET_ROOT) + "/").write_pdf(
            stylesheets=[str(pdf.STYLESHEET)], pdf_variant="pdf/ua-1", custom_metadata=True
        )

    document = render_one(programme.pk)
    return {
        "trivial": _timed(trivial, repeat),
        "letter": _timed(letter, repeat),
        "letter_weasyprint": _timed(letter_weasyprint, repeat),
        "programme": _timed(lambda: render_one(programme.pk), repeat),
        "programme_weasyprint": _timed(programme_weasyprint, repeat),
        "programme_measures": len(content["measures"]),
        "programme_pages": document.page_count,
    }


def main() -> None:
    command, database_url = sys.argv[1], sys.argv[2]
    setup(database_url)
    result = paths() if command == "paths" else renders()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
