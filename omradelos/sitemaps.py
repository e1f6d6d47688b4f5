from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class StaticPageSitemap(Sitemap):
    changefreq = "weekly"
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return ["home", "accessibility", "privacy"]

    def location(self, item):
        return reverse(item)
