"""Sessions, CSRF tokens, login throttling and security headers for the review app.

A session is a row in `sessions` (so that it can expire, and end when a user is disabled
or changes password); the browser holds only its id, signed, in an HttpOnly, SameSite
cookie. Each session has its own CSRF token, which every form carries and every POST must
return; logging in again gives a new one, so a form from an older page is refused.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from qa.store import Store, now

COOKIE = "qa_session"
LOGIN_COOKIE = "qa_login"  # the login form's CSRF token, before there is a session
LOGIN_WINDOW_S = 60.0  # attempts are counted over this many seconds
LOGIN_MAX_ATTEMPTS = 9  # the tenth attempt within the window is refused
LOGIN_LOCK_S = 300.0  # and further attempts for this long
ADDRESS_MAX_FAILURES = 29  # failed logins from one address in the window (many users share one)
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
    " media-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


def app_secret(store: Store) -> str:
    """The key that signs cookies: made once per database, so restarts keep sessions."""
    with store.transaction() as conn:
        row = conn.execute("SELECT value FROM app_secrets WHERE name = 'cookie'").fetchone()
        if row:
            return str(row[0])
        value = secrets.token_hex(32)
        conn.execute("INSERT INTO app_secrets (name, value) VALUES ('cookie', ?)", [value])
        return value


@dataclass(frozen=True)
class Session:
    id: str
    username: str
    csrf: str
    expires_at: str


def session_length(hours: float) -> timedelta:
    return timedelta(hours=hours)


def open_session(store: Store, username: str, hours: float) -> Session:
    sid = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    expires = (datetime.now(UTC) + session_length(hours)).isoformat(timespec="seconds")
    with store.transaction() as conn:
        conn.execute("DELETE FROM sessions WHERE expires_at < ?", [now()])
        conn.execute(
            "INSERT INTO sessions (id, username, csrf, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [sid, username, csrf, now(), expires],
        )
    return Session(sid, username, csrf, expires)


def find_session(store: Store, sid: str) -> Session | None:
    row = store.conn.execute(
        "SELECT s.id, s.username, s.csrf, s.expires_at FROM sessions s"
        " JOIN users u ON u.username = s.username WHERE s.id = ? AND u.disabled = 0",
        [sid],
    ).fetchone()
    if row is None or row[3] < now():
        return None
    return Session(*row)


def close_session(store: Store, sid: str) -> None:
    with store.transaction() as conn:
        conn.execute("DELETE FROM sessions WHERE id = ?", [sid])


def same_token(given: Any, expected: str) -> bool:
    return isinstance(given, str) and bool(given) and hmac.compare_digest(given, expected)


class LoginThrottle:
    """Counts login attempts per key (the user name tried, and the client address); the
    tenth within a minute is refused, and so is every attempt for a while after."""

    def __init__(
        self,
        window_s: float = LOGIN_WINDOW_S,
        max_attempts: int = LOGIN_MAX_ATTEMPTS,
        lock_s: float = LOGIN_LOCK_S,
    ):
        self.window_s, self.max_attempts, self.lock_s = window_s, max_attempts, lock_s
        self._seen: dict[str, deque[float]] = {}
        self._locked: dict[str, float] = {}
        self._lock = threading.Lock()

    def locked(self, key: str) -> bool:
        with self._lock:
            return self._locked.get(key, 0.0) > time.monotonic()

    def allow(self, *keys: str) -> bool:
        """Count one attempt under each key; False when any key is over its limit."""
        at = time.monotonic()
        ok = True
        with self._lock:
            for key in keys:
                if self._locked.get(key, 0.0) > at:
                    ok = False
                    continue
                seen = self._seen.setdefault(key, deque())
                while seen and seen[0] < at - self.window_s:
                    seen.popleft()
                if len(seen) >= self.max_attempts:
                    self._locked[key] = at + self.lock_s
                    seen.clear()
                    ok = False
                    continue
                seen.append(at)
        return ok
