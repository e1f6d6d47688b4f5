from django.contrib.sitemaps import Sitemap

from .permissions import lessons_public, recipes_public


class LessonSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return lessons_public().order_by("pk")

    def lastmod(self, lesson):
        return lesson.updated_at


class RecipeSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return recipes_public().order_by("slug")

    def lastmod(self, recipe):
        return recipe.updated_at
