"""Who may see and do what: the one permission check every view goes through.

An agent sees their own contacts only, a coach those of their teams; analysts (qa),
trainers and admins see every contact. What a person may not see does not exist for
them: the view answers 404, the same as for an id that is not there.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa.serve.users import User

# action -> roles allowed; "own" actions also need the resource to be the user's own.
ACTIONS: dict[str, frozenset[str]] = {
    "queue": frozenset({"admin", "qa"}),
    "decide": frozenset({"admin", "qa"}),
    "resolve": frozenset({"admin", "qa"}),
    "assign": frozenset({"admin", "qa"}),
    "calibration.open": frozenset({"admin", "qa"}),
    "calibration.results": frozenset({"admin", "qa"}),
    "adopt": frozenset({"admin", "trainer"}),
    "teach": frozenset({"admin", "trainer"}),
    "audit": frozenset({"admin"}),
    "acknowledge": frozenset({"agent"}),
    "dispute": frozenset({"agent"}),
    "agents": frozenset({"admin", "qa", "coach", "trainer"}),
}


@dataclass(frozen=True)
class Owner:
    """What a resource belongs to: the agent of a contact, and its team."""

    agent_id: str | None
    team: str | None


def sees(user: User, owner: Owner) -> bool:
    """Whether the user may read a contact (or an agent's page) with this owner."""
    if user.role in ("admin", "qa", "trainer"):
        return True
    if user.role == "coach":
        return owner.team is not None and owner.team in user.teams
    if user.role == "agent":
        return owner.agent_id is not None and owner.agent_id == user.agent_id
    return False


def may(user: User, action: str, owner: Owner | None = None) -> bool:
    """Whether the user may take the action (on a resource with this owner, if any).
    An agent acknowledges and disputes only their own contacts."""
    if user.disabled or user.role not in ACTIONS.get(action, frozenset()):
        return False
    if owner is None:
        return True
    return sees(user, owner)


def home(user: User) -> str:
    """Where a user lands after logging in."""
    return {
        "admin": "/queue",
        "qa": "/queue",
        "trainer": "/teach",
        "coach": "/agents",
        "agent": f"/agents/{user.agent_id}",
    }.get(user.role, "/")
