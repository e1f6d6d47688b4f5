from django.conf import settings

from accounts.permissions import is_staff_member


def portal(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "PORTAL_CONTACT_EMAIL": settings.PORTAL_CONTACT_EMAIL,
        # Each language is named in itself (autonym), whatever the page's language.
        "PORTAL_LANGUAGES": settings.LANGUAGES,
        "user_is_staff_member": bool(user and is_staff_member(user)),
    }
