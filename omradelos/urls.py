from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static as static_url
from django.urls import include, path

from areas.sitemaps import AreaSitemap
from core.files import public_media
from grants.sitemaps import GrantRoundSitemap
from knowledge.sitemaps import LessonSitemap, RecipeSitemap
from programmes.sitemaps import ProgrammeSitemap
from projects.sitemaps import ProjectSitemap

from . import views
from .sitemaps import StaticPageSitemap


def favicon(request):
    """Browsers ask for /favicon.ico whatever a page links; it is a static file (its hashed
    name in production, so it is looked up per request, not when the URLs load)."""
    return HttpResponsePermanentRedirect(static_url("favicon.ico"))


sitemaps = {
    "pages": StaticPageSitemap,
    "areas": AreaSitemap,
    "projects": ProjectSitemap,
    "grants": GrantRoundSitemap,
    "programmes": ProgrammeSitemap,
    "lessons": LessonSitemap,
    "recipes": RecipeSitemap,
}

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path(
        "sitemap.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("tilgjengelighet/", views.accessibility_statement, name="accessibility"),
    path("personvern/", views.privacy_statement, name="privacy"),
    path("omradeloft/<slug:slug>/", views.area_detail, name="area_detail"),
    path("intern/", views.staff_home, name="staff_home"),
    path("", include("projects.urls")),
    path("", include("grants.urls")),
    path("", include("participation.urls")),
    path("", include("programmes.urls")),
    path("", include("dashboards.urls")),
    path("", include("knowledge.urls")),
    path("", include("following.urls")),
    path("", include("search.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

# Public media only (project images), in every mode; private files have no URL at all.
if settings.MEDIA_URL.startswith("/"):
    urlpatterns.insert(
        0, path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", public_media, name="public_media")
    )
