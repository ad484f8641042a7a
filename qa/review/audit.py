"""The audit trail: one row for every act that changes what the app shows."""

from __future__ import annotations

import sqlite3
from typing import Any

from qa.store import Store, now


def record(
    conn: sqlite3.Connection,
    username: str,
    action: str,
    what: str,
    before: str | None,
    after: str | None,
    why: str | None,
) -> None:
    """Who, when, what changed, from what to what, and why: inside the act's transaction."""
    conn.execute(
        "INSERT INTO audit (at, username, action, what, before, after, why)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [now(), username, action, what, before, after, why],
    )


def read_audit(store: Store, limit: int = 500) -> list[dict[str, Any]]:
    return list(store.db.query("SELECT * FROM audit ORDER BY id DESC LIMIT ?", [limit]))
