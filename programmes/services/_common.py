"""Helpers the programme services share."""

from accounts.models import User
from core import versions

from ..models import ActionProgramme, ProgrammeChange


def record(programme: ActionProgramme, actor: User | None, action: str, **data) -> ProgrammeChange:
    """Write a row of the programme's history: the key of what happened and its codes."""
    versions.bump(versions.PROGRAMMES)
    return ProgrammeChange.objects.create(
        programme=programme,
        actor=actor,
        action=action,
        data={"version": programme.version, **data},
    )


def lock(programme: ActionProgramme) -> ActionProgramme:
    """The programme's row, locked for the rest of the transaction."""
    return (
        ActionProgramme.objects.select_for_update()
        .select_related("area__district")
        .get(pk=programme.pk)
    )
