"""Who may see and change the programme's knowledge. Out of scope is a 404, in scope but not
allowed a 403 (as everywhere in the portal)."""

from accounts.permissions import AnyUser, is_secretariat, is_staff_member


def can_edit_responsibility(user: AnyUser) -> bool:
    """Who is responsible is the secretariat's to keep up to date."""
    return is_secretariat(user)


def is_staff(user: AnyUser) -> bool:
    """Staff of every district, the board and the secretariat: they read internal knowledge."""
    return is_staff_member(user)
