from django.contrib.sitemaps import Sitemap

from .selectors import areas_public


class AreaSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return areas_public().order_by("slug")
