"""The people who use the review app: who they are, what role they have, how they log in.

Passwords are kept only as Argon2 hashes. A wrong password and an unknown user give the
same answer, and verifying an unknown user costs the same time as a known one, so the
login cannot be used to learn who has an account.

The hashes' cost is a site's: `review.password_memory_mib` and `review.password_passes` in
qa.yaml (RFC 9106's recommended 64 MiB and 3 passes by default, 4 lanes). A new cost
applies to passwords set from then on, and to each stored hash at its user's next successful
login: the password is hashed again at the site's cost and stored in place.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from qa.errors import ConfigError
from qa.review.audit import record as _audit
from qa.store import Store, now

if TYPE_CHECKING:
    from qa.config import ReviewConfig

ROLES = ("admin", "qa", "coach", "trainer", "agent")
PASSWORD_MIN_CHARS = 10  # shorter passwords are refused when set
_NAME = re.compile(r"^[A-Za-z0-9_.@-]{2,64}$")


@dataclass(frozen=True)
class User:
    username: str
    role: str
    agent_id: str | None = None
    teams: tuple[str, ...] = field(default_factory=tuple)
    disabled: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "username": self.username,
            "role": self.role,
            "agent_id": self.agent_id,
            "teams": list(self.teams),
            "disabled": self.disabled,
        }


PASSWORD_LANES = 4  # Argon2's parallelism, RFC 9106's recommendation


def password_hasher(review: ReviewConfig | None = None) -> Any:
    """Argon2id at the site's cost (the recommended one without a configuration)."""
    from argon2 import PasswordHasher

    if review is None:
        from qa.config import ReviewConfig

        review = ReviewConfig()
    return PasswordHasher(
        time_cost=review.password_passes,
        memory_cost=review.password_memory_mib * 1024,
        parallelism=PASSWORD_LANES,
    )


# Verified against when the user is unknown, so both answers take an Argon2 verification
# at the cost of the stored hashes; one per cost.
_DUMMY: dict[tuple[int, int, int], str] = {}


def _dummy_hash(store: Store) -> str:
    """A hash of no one's password at the cost most stored hashes have (a site that changed
    its cost holds hashes of both until everyone has set a new password), else at the
    recommended cost."""
    from argon2 import PasswordHasher, extract_parameters
    from argon2.exceptions import InvalidHashError

    costs: Counter[tuple[int, int, int]] = Counter()
    for (digest,) in store.db.execute("SELECT password_hash FROM users"):
        try:
            p = extract_parameters(digest)
        except InvalidHashError:
            continue
        costs[(p.time_cost, p.memory_cost, p.parallelism)] += 1
    hasher = password_hasher()
    if costs:
        time_cost, memory_cost, lanes = costs.most_common(1)[0][0]
        hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=lanes)
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _DUMMY:
        _DUMMY[key] = hasher.hash("not a password of anyone")
    return _DUMMY[key]


def _check_password(password: str) -> None:
    if len(password) < PASSWORD_MIN_CHARS:
        raise ConfigError(f"a password needs at least {PASSWORD_MIN_CHARS} characters")


def _row_user(row: Any) -> User:
    return User(
        row["username"],
        row["role"],
        row["agent_id"],
        tuple(json.loads(row["teams"] or "[]")),
        bool(row["disabled"]),
    )


def add_user(
    store: Store,
    username: str,
    role: str,
    password: str,
    agent_id: str | None = None,
    teams: list[str] | None = None,
    review: ReviewConfig | None = None,
) -> User:
    """Create a user. An agent needs its agent id, a coach at least one team. `review`
    holds the site's password-hash cost (default: the recommended one)."""
    if not _NAME.match(username):
        raise ConfigError(
            f"user name {username!r}: 2 to 64 letters, digits or the characters _ . @ -"
        )
    if role not in ROLES:
        raise ConfigError(f"role {role!r} is not one of {', '.join(ROLES)}")
    teams = [t.strip() for t in teams or [] if t.strip()]
    if role == "agent" and not agent_id:
        raise ConfigError("an agent user needs --agent: the agent id its evaluations carry")
    if role != "agent" and agent_id:
        raise ConfigError("--agent goes with the role agent only")
    if role == "coach" and not teams:
        raise ConfigError("a coach needs at least one --team")
    if role != "coach" and teams:
        raise ConfigError("--team goes with the role coach only")
    _check_password(password)
    digest = password_hasher(review).hash(password)
    stamp = now()
    with store.transaction() as conn:
        if conn.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone():
            raise ConfigError(f"user {username!r} already exists")
        conn.execute(
            "INSERT INTO users (username, role, agent_id, teams, password_hash, disabled,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
            [username, role, agent_id, json.dumps(teams), digest, stamp, stamp],
        )
        _audit(conn, "cli", "user.add", f"user:{username}", None, role, "")
    return User(username, role, agent_id, tuple(teams))


def list_users(store: Store) -> list[User]:
    return [_row_user(r) for r in store.db.query("SELECT * FROM users ORDER BY role, username")]


def get_user(store: Store, username: str) -> User | None:
    rows = list(store.db.query("SELECT * FROM users WHERE username = ?", [username]))
    return _row_user(rows[0]) if rows else None


def set_disabled(store: Store, username: str, disabled: bool = True) -> None:
    """Disable (or enable again) a user; a disabled user's sessions end at once."""
    with store.transaction() as conn:
        cur = conn.execute(
            "UPDATE users SET disabled = ?, updated_at = ? WHERE username = ?",
            [int(disabled), now(), username],
        )
        if not cur.rowcount:
            raise ConfigError(f"no user {username!r}")
        conn.execute("DELETE FROM sessions WHERE username = ?", [username])
        what = "user.disable" if disabled else "user.enable"
        _audit(conn, "cli", what, f"user:{username}", None, None, "")


def set_password(
    store: Store, username: str, password: str, review: ReviewConfig | None = None
) -> None:
    """A new password, hashed at the site's cost; the user's open sessions end."""
    _check_password(password)
    digest = password_hasher(review).hash(password)
    with store.transaction() as conn:
        cur = conn.execute(
            "UPDATE users SET password_hash = ?, updated_at = ? WHERE username = ?",
            [digest, now(), username],
        )
        if not cur.rowcount:
            raise ConfigError(f"no user {username!r}")
        conn.execute("DELETE FROM sessions WHERE username = ?", [username])
        _audit(conn, "cli", "user.passwd", f"user:{username}", None, None, "")


def authenticate(
    store: Store, username: str, password: str, review: ReviewConfig | None = None
) -> User | None:
    """The user when the password is right and the account enabled; None otherwise, after
    the same work either way. On a successful login a hash made at another cost than the
    site's (`review`; default: the recommended one) is replaced by one at the site's cost."""
    from argon2.exceptions import InvalidHashError, VerificationError

    rows = list(store.db.query("SELECT * FROM users WHERE username = ?", [username]))
    digest = rows[0]["password_hash"] if rows else _dummy_hash(store)
    hasher = password_hasher(review)
    try:
        hasher.verify(digest, password)  # at the cost the hash names
        ok = bool(rows)
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or rows[0]["disabled"]:
        return None
    if hasher.check_needs_rehash(digest):
        _rehash(store, username, digest, hasher.hash(password))
    return _row_user(rows[0])


def _rehash(store: Store, username: str, old: str, new: str) -> None:
    """The user's hash at the site's cost, in place of the one just verified (unless the
    password changed meanwhile); the user's sessions stay open."""
    with store.transaction() as conn:
        cur = conn.execute(
            "UPDATE users SET password_hash = ?, updated_at = ?"
            " WHERE username = ? AND password_hash = ?",
            [new, now(), username, old],
        )
        if cur.rowcount:
            what = f"user:{username}"
            _audit(conn, username, "user.rehash", what, _cost(old), _cost(new), "")


def _cost(digest: str) -> str:
    from argon2 import extract_parameters

    p = extract_parameters(digest)
    return f"m={p.memory_cost},t={p.time_cost},p={p.parallelism}"
