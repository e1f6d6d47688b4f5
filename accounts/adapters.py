from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up stays open to everyone: residents and their organisations register themselves.

    Staff roles are never given at sign-up; the secretariat assigns them in the admin.
    """

    def is_open_for_signup(self, request) -> bool:
        return True
