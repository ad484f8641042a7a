"""The SQLite store, in rooms: the connection and its migrations, the writes (with
redaction at their one door), the pipeline's lookups, and one bulk read path into
typed read models for show, export, report and calibrate."""

from __future__ import annotations

import os
from pathlib import Path

from qa.errors import ConfigError
from qa.redact import RedactionPolicy
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
    "discard_if_empty",
    "now",
    "resolve_db_path",
]


class Store(Writes, Lookups):
    """One database: open it, write to it, look things up in it."""

    @classmethod
    def existing(
        cls, path: str | os.PathLike[str], redaction: RedactionPolicy | None = None
    ) -> Store:
        """A database that is already there: a command that only reads never makes an
        empty one (a wrong --db would print nothing and exit 0)."""
        if not Path(path).is_file():
            raise ConfigError(
                f"no database at {path}: run `qa score` first, or set --db / {DB_ENV}"
            )
        return cls(path, redaction)


def discard_if_empty(path: str | os.PathLike[str]) -> None:
    """Remove a database that holds nothing (no interaction, no failure): what a command
    that stopped on a usage error had just made."""
    if not Path(path).is_file():
        return
    store = Store(path)
    try:
        empty = store.count("interactions") == 0 and store.count("failures") == 0
    finally:
        store.close()
    if empty:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
