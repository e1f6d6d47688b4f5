"""Admin pieces every app's admin shares."""


class NoDeleteMixin:
    """A public record, or something records point at: never hard-deleted."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyMixin(NoDeleteMixin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
