from django.contrib.sitemaps import Sitemap

from .models import ActionProgramme
from .permissions import programmes_public


class ProgrammeSitemap(Sitemap):
    """Published programmes (a draft out for comments is not a lasting page)."""

    changefreq = "yearly"
    priority = 0.6
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return (
            ActionProgramme.objects.filter(
                pk__in=programmes_public().filter(versions__published_at__isnull=False)
            )
            .select_related("area")
            .order_by("area__slug", "year")
        )
