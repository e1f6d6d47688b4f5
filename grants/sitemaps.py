from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .selectors import rounds_public


class GrantRoundSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return rounds_public().order_by("slug")

    def location(self, item):
        return reverse("grants:round_detail", kwargs={"slug": item.slug})
