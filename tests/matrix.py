"""The permission matrix: URL × role → expected answer.

Each later app adds its rows to a list of ``Row`` and calls ``assert_matrix``. An expectation is
an HTTP status, or ``LOGIN`` for a redirect to the login page.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.test import Client
from django.urls import reverse

LOGIN = "login"

ROLES = (
    "anonymous",
    "resident",
    "case_handler",
    "project_leader",
    "programme_leader",
    "other_district_leader",
    "board",
    "secretariat",
)
STAFF_ROLES = ROLES[2:]


@dataclass
class Row:
    """One URL and what each role gets. ``url`` is a URL name or a callable returning a path."""

    url: str | Callable[[], str]
    expect: dict[str, int | str]
    method: str = "get"
    data: dict = field(default_factory=dict)
    kwargs: dict = field(default_factory=dict)

    def path(self) -> str:
        return self.url() if callable(self.url) else reverse(self.url, kwargs=self.kwargs)


def expect_all(value: int | str, **overrides: int | str) -> dict[str, int | str]:
    return {role: overrides.get(role, value) for role in ROLES}


def staff_only(allowed: int = 200, **overrides: int | str) -> dict[str, int | str]:
    """Anonymous → login, residents → 403, every staff role → ``allowed`` unless overridden."""
    base = {"anonymous": LOGIN, "resident": 403}
    base.update(dict.fromkeys(STAFF_ROLES, allowed))
    base.update(overrides)
    return base


def assert_matrix(users: dict, rows: Iterable[Row]) -> None:
    """Request every row as every role; collect every mismatch and fail once, listing them all."""
    failures = []
    for row in rows:
        path = row.path()
        for role, expected in row.expect.items():
            client = Client()
            if role != "anonymous":
                client.force_login(users[role])
            response = getattr(client, row.method)(path, row.data)
            if expected == LOGIN:
                ok = response.status_code == 302 and "/accounts/login/" in response["Location"]
            else:
                ok = response.status_code == expected
            if not ok:
                got = response.status_code
                if got in (301, 302):
                    got = f"{got} → {response['Location']}"
                failures.append(
                    f"{row.method.upper()} {path} as {role}: expected {expected}, got {got}"
                )
    assert not failures, "Permission matrix mismatches:\n" + "\n".join(failures)
