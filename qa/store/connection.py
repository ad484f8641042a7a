"""The database connection: opened with the settings every writer relies on, migrated,
and short explicit transactions, so that a killed run leaves whole files behind, never
half of one, and two processes on one database wait for each other instead of failing."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from qa.errors import ConfigError
from qa.migrations import apply_migrations
from qa.redact import RedactionPolicy
from qa.sqlite_db import Database

DB_ENV = "QA_DB"
DB_DEFAULT = "qa.db"
BUSY_TIMEOUT_S = 60.0


def resolve_db_path(path: str | os.PathLike[str] | None) -> Path:
    """--db wins, then $QA_DB, then ./qa.db."""
    return Path(path or os.environ.get(DB_ENV) or DB_DEFAULT)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def to_json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def content_id(*parts: Any) -> str:
    """A stable id from content: re-reading the same conversation yields the same id."""
    payload = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def content_digest(item: Any) -> str:
    """What scoring reads of an interaction: a change re-scores it (a grown email thread)."""
    agent = item.agent
    return content_id(
        "content",
        item.channel,
        item.direction,
        item.campaign,
        [agent.id, agent.name] if agent else None,
        [[t.role, t.speaker, t.start, t.end, t.text] for t in item.turns],
    )


class Connection:
    def __init__(self, path: str | os.PathLike[str], redaction: RedactionPolicy | None = None):
        self.path = Path(path)
        if self.path.parent and not self.path.parent.exists():
            raise ConfigError(f"database folder {self.path.parent} does not exist")
        # isolation_level=None: the store opens its own transactions (BEGIN IMMEDIATE).
        conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        self.conn = conn
        self.db = Database(conn)
        self.redaction = redaction or RedactionPolicy()
        apply_migrations(self.db)

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Reads inside see one state of the database (a WAL read transaction), whatever a
        writer commits meanwhile; inside a transaction already open, that one serves."""
        if self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN")
        try:
            yield self.conn
        finally:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")
