from django.conf import settings

from accounts.permissions import is_staff_member
from dashboards.permissions import can_view_dashboards


def portal(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "PORTAL_CONTACT_EMAIL": settings.PORTAL_CONTACT_EMAIL,
        # Each language is named in itself (autonym), whatever the page's language.
        "PORTAL_LANGUAGES": settings.LANGUAGES,
        "user_is_staff_member": bool(user and is_staff_member(user)),
        # Whether the reader has a dashboard (from the roles already read, no query); the
        # programme dashboard's address takes district staff to their district's.
        "user_has_dashboard": bool(user and can_view_dashboards(user)),
    }
