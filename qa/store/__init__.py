"""The SQLite store, in rooms: the connection and its migrations, the writes (with
redaction at their one door), the pipeline's lookups, and one bulk read path into
typed read models for show, export, report and calibrate."""

from __future__ import annotations

from qa.store.connection import (
    BUSY_TIMEOUT_S,
    DB_DEFAULT,
    DB_ENV,
    content_digest,
    content_id,
    now,
    resolve_db_path,
)
from qa.store.lookups import Lookups
from qa.store.writes import Writes

__all__ = [
    "BUSY_TIMEOUT_S",
    "DB_DEFAULT",
    "DB_ENV",
    "Store",
    "content_digest",
    "content_id",
    "now",
    "resolve_db_path",
]


class Store(Writes, Lookups):
    """One database: open it, write to it, look things up in it."""
