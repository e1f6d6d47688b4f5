from django.conf import settings

from accounts.permissions import is_staff_member


def portal(request) -> dict:
    user = getattr(request, "user", None)
    return {
        "PORTAL_CONTACT_EMAIL": settings.PORTAL_CONTACT_EMAIL,
        "user_is_staff_member": bool(user and is_staff_member(user)),
    }
