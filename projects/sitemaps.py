from django.contrib.sitemaps import Sitemap

from .permissions import projects_public


class ProjectSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return projects_public().order_by("slug")

    def lastmod(self, project):
        return project.updated_at
