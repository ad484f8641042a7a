"""The SQLite store. Writes go through short explicit transactions so that a
killed run leaves whole files behind, never half of one, and two processes on
one database wait for each other instead of failing."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from qa.errors import ConfigError
from qa.migrations import apply_migrations
from qa.model import Agent, Evaluation, Failure, Flag, Interaction, Turn, Word
from qa.redact import RedactionPolicy, is_digit_token, redact
from qa.vocabulary import Channel

DB_ENV = "QA_DB"
DB_DEFAULT = "qa.db"
BUSY_TIMEOUT_S = 60.0


def resolve_db_path(path: str | os.PathLike[str] | None) -> Path:
    """--db wins, then $QA_DB, then ./qa.db."""
    return Path(path or os.environ.get(DB_ENV) or DB_DEFAULT)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class Store:
    def __init__(self, path: str | os.PathLike[str], redaction: RedactionPolicy | None = None):
        self.path = Path(path)
        if self.path.parent and not self.path.parent.exists():
            raise ConfigError(f"database folder {self.path.parent} does not exist")
        # isolation_level=None: this class opens its own transactions (BEGIN IMMEDIATE).
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
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- runs -----------------------------------------------------------------------

    def start_run(self, command: str, args: dict[str, Any]) -> str:
        run_id = uuid.uuid4().hex[
            :16
        ]  # a run is an event, not content: two may start in one second
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO runs (id, command, args, started_at) VALUES (?, ?, ?, ?)",
                [run_id, command, _json(args), now()],
            )
        return run_id

    def finish_run(self, run_id: str, processed: int, failed: int, skipped: int) -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE runs SET finished_at = ?, processed = ?, failed = ?, skipped = ? WHERE id = ?",
                [now(), processed, failed, skipped, run_id],
            )

    # -- sources and failures -------------------------------------------------

    def source_done(self, file_hash: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM sources WHERE file_hash = ?", [file_hash]).fetchone()
        return row is not None

    def _mark_source(
        self, conn: sqlite3.Connection, source: str, file_hash: str, kind: str, ids: list[str]
    ) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO sources (file_hash, source, kind, interaction_ids, ingested_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [file_hash, source, kind, _json(ids), now()],
        )
        # A file that failed before and now reads fine is no longer a failure.
        conn.execute("DELETE FROM failures WHERE source = ? AND stage = 'ingest'", [source])

    def record_failure(self, failure: Failure, run_id: str | None = None) -> None:
        key = hashlib.sha256(
            f"{failure.source}\0{failure.stage}\0{failure.file_hash}".encode()
        ).hexdigest()[:16]
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO failures"
                " (id, source, stage, reason, file_hash, run_id, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    key,
                    failure.source,
                    failure.stage,
                    failure.reason,
                    failure.file_hash,
                    run_id,
                    now(),
                ],
            )

    def failures(self) -> list[dict[str, Any]]:
        return [
            dict(r) for r in self.db.query("SELECT * FROM failures ORDER BY created_at, source")
        ]

    # -- interactions -----------------------------------------------------------

    def save_interactions(
        self,
        interactions: list[Interaction],
        source: str | None = None,
        file_hash: str | None = None,
        kind: str = "file",
    ) -> None:
        """Write interactions (and mark their source file done) in one transaction."""
        with self.transaction() as conn:
            for item in interactions:
                self._write_interaction(conn, item)
            if file_hash is not None and source is not None:
                self._mark_source(conn, source, file_hash, kind, [i.id for i in interactions])

    def _write_interaction(self, conn: sqlite3.Connection, item: Interaction) -> None:
        stamp = now()
        agent = item.agent
        if agent is not None:
            conn.execute(
                "INSERT INTO agents (id, name, team) VALUES (?, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET name = coalesce(excluded.name, agents.name),"
                " team = coalesce(excluded.team, agents.team)",
                [agent.id, agent.name, agent.team],
            )
        conn.execute(
            "INSERT INTO interactions (id, channel, source, agent_id, team, campaign, customer_id,"
            " case_id, direction, started_at, duration, language, status, error, metadata,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(id) DO UPDATE SET channel = excluded.channel, source = excluded.source,"
            " agent_id = excluded.agent_id, team = excluded.team, campaign = excluded.campaign,"
            " customer_id = excluded.customer_id, case_id = excluded.case_id,"
            " direction = excluded.direction, started_at = excluded.started_at,"
            " duration = excluded.duration, language = excluded.language,"
            " status = excluded.status, error = excluded.error, metadata = excluded.metadata,"
            " updated_at = excluded.updated_at",
            [
                item.id,
                item.channel,
                item.source,
                agent.id if agent else None,
                agent.team if agent else None,
                item.campaign,
                item.customer_id,
                item.case_id,
                item.direction,
                item.started_at,
                item.duration,
                item.language,
                item.status,
                item.error,
                _json(self._redact_obj(item.metadata)),
                stamp,
                stamp,
            ],
        )
        self._write_turns(conn, item)

    def _redact_obj(self, value: Any) -> Any:
        if isinstance(value, str):
            return redact(value, self.redaction)
        if isinstance(value, dict):
            return {k: self._redact_obj(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._redact_obj(v) for v in value]
        return value

    def _write_turns(self, conn: sqlite3.Connection, item: Interaction) -> None:
        conn.execute("DELETE FROM turns WHERE interaction_id = ?", [item.id])
        rows = []
        for idx, turn in enumerate(item.turns):
            words = [w.as_dict() for w in turn.words]
            # Redaction happens here, at the one door into the database, for every channel.
            rows.append(
                [
                    item.id,
                    idx,
                    turn.role,
                    turn.speaker,
                    turn.start,
                    turn.end,
                    redact(turn.text, self.redaction),
                    redact(turn.original, self.redaction) if turn.original is not None else None,
                    _json(self._redact_words(words)) if words else None,
                    _json(self._redact_obj(turn.meta)) if turn.meta else None,
                ]
            )
        conn.executemany(
            "INSERT INTO turns (interaction_id, idx, role, speaker, start, end, text, original,"
            " words, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )

    def _redact_words(self, words: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Mask card numbers spoken across several word tokens."""
        if not words:
            return words
        joined = " ".join(str(w["word"]).strip() for w in words)
        if redact(joined, self.redaction) == joined:
            return words
        out = []
        for i, w in enumerate(words):
            window = " ".join(str(x["word"]).strip() for x in words[max(0, i - 18) : i + 19])
            masked = redact(window, self.redaction) != window and is_digit_token(str(w["word"]))
            out.append(
                {**w, "word": "[CARD]" if masked else redact(str(w["word"]), self.redaction)}
            )
        return out

    # -- email messages, kept so that later replies join their threads ---------

    def save_email_messages(
        self, records: list[dict[str, Any]], source: str, file_hash: str
    ) -> None:
        with self.transaction() as conn:
            for rec in records:
                rec = {**rec, "body": redact(rec["body"], self.redaction)}
                conn.execute(
                    "INSERT INTO email_messages (message_id, thread_key, source, record)"
                    " VALUES (?, NULL, ?, ?) ON CONFLICT(message_id) DO NOTHING",
                    [rec["message_id"], source, _json(rec)],
                )
            self._mark_source(conn, source, file_hash, Channel.EMAIL, [])

    def email_messages(self) -> list[tuple[dict[str, Any], str | None]]:
        rows = self.conn.execute("SELECT record, thread_key FROM email_messages").fetchall()
        return [(json.loads(r[0]), r[1]) for r in rows]

    def save_thread(self, item: Interaction, message_ids: list[str]) -> None:
        """Write a thread and mark its messages threaded, in one transaction."""
        with self.transaction() as conn:
            marks = ",".join("?" * len(message_ids))
            stale = conn.execute(
                f"SELECT DISTINCT thread_key FROM email_messages WHERE message_id IN ({marks})"
                " AND thread_key IS NOT NULL AND thread_key != ?",
                [*message_ids, item.id],
            ).fetchall()
            for (old_id,) in stale:  # the thread grew a new first message: drop the old copy
                self._delete_interaction(conn, old_id)
            self._write_interaction(conn, item)
            conn.executemany(
                "UPDATE email_messages SET thread_key = ? WHERE message_id = ?",
                [(item.id, mid) for mid in message_ids],
            )

    def _delete_interaction(self, conn: sqlite3.Connection, ident: str) -> None:
        conn.execute(
            "DELETE FROM criterion_results WHERE evaluation_id IN"
            " (SELECT id FROM evaluations WHERE interaction_id = ?)",
            [ident],
        )
        for table in ("evaluations", "flags", "turns"):
            conn.execute(f"DELETE FROM {table} WHERE interaction_id = ?", [ident])
        conn.execute("DELETE FROM interactions WHERE id = ?", [ident])

    # -- scorecards and evaluations ---------------------------------------------

    def save_scorecard(self, name: str, digest: str, text: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO scorecards (hash, name, yaml, created_at) VALUES (?, ?, ?, ?)",
                [digest, name, text, now()],
            )

    def save_engine(self, stamp: str, settings: dict[str, Any]) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO engines (stamp, settings, created_at) VALUES (?, ?, ?)",
                [stamp, _json(settings), now()],
            )

    def save_campaign_set(self, digest: str, campaigns: list[dict[str, Any]]) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO campaign_sets (hash, campaigns, created_at) VALUES (?, ?, ?)",
                [digest, _json(campaigns), now()],
            )

    def campaign_set(self, digest: str) -> list[dict[str, Any]] | None:
        row = self.conn.execute(
            "SELECT campaigns FROM campaign_sets WHERE hash = ?", [digest]
        ).fetchone()
        return json.loads(row[0]) if row else None

    def latest_campaigns_hashes(self) -> dict[str, str | None]:
        """Per interaction, the campaign set its latest evaluation was checked against."""
        out: dict[str, str | None] = {}
        for ident, digest in self.conn.execute(
            "SELECT interaction_id, campaigns_hash FROM evaluations ORDER BY created_at, rowid"
        ):
            out[ident] = digest
        return out

    def stored_results(self, scorecard_hash: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        """(engine, {criterion id: (result, points)}) of the stored evaluations with this card."""
        out: dict[str, dict[str, Any]] = {}
        wanted = set(ids)
        for ident, engine, crit, result, points in self.conn.execute(
            "SELECT e.interaction_id, e.engine, c.criterion_id, c.result, c.points"
            " FROM evaluations e JOIN criterion_results c ON c.evaluation_id = e.id"
            " WHERE e.scorecard_hash = ? ORDER BY c.idx",
            [scorecard_hash],
        ):
            if ident in wanted:
                entry = out.setdefault(ident, {"engine": engine, "criteria": {}})
                entry["criteria"][crit] = (result, points)
        return out

    def save_evaluations(
        self,
        pairs: list[tuple[str, Evaluation, dict[str, Any], list[Flag] | None, str | None]],
        engine: str | None = None,
    ) -> None:
        """Write evaluations (interaction id, evaluation, metrics, campaign flags or None when
        campaigns were not checked, campaign set hash), made by one engine; one transaction
        for the lot."""
        with self.transaction() as conn:
            for interaction_id, ev, metrics, flags, campaigns_key in pairs:
                if flags is not None:
                    self._write_flags(conn, interaction_id, flags)
                eid = content_id("evaluation", interaction_id, ev.scorecard_hash)
                conn.execute("DELETE FROM criterion_results WHERE evaluation_id = ?", [eid])
                conn.execute(
                    "INSERT OR REPLACE INTO evaluations (id, interaction_id, scorecard_hash, total,"
                    " max, percent, auto_fail, passed, created_at, campaigns_hash, engine)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        eid,
                        interaction_id,
                        ev.scorecard_hash,
                        ev.total,
                        ev.max,
                        ev.percent,
                        int(ev.auto_fail),
                        int(ev.passed),
                        now(),
                        campaigns_key,
                        engine,
                    ],
                )
                conn.executemany(
                    "INSERT INTO criterion_results (evaluation_id, criterion_id, idx, section, type,"
                    " result, points, max_points, confidence, evidence, note, details)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        [
                            eid,
                            c.id,
                            i,
                            c.section,
                            c.type,
                            c.result,
                            c.points,
                            c.max_points,
                            c.confidence,
                            _json([asdict(e) for e in c.evidence]),
                            c.note,
                            _json(c.details) if c.details else None,
                        ]
                        for i, c in enumerate(ev.criteria)
                    ],
                )
                if metrics:
                    conn.execute(
                        "UPDATE interactions SET metadata = json_set(coalesce(metadata, '{}'),"
                        " '$.metrics', json(?)) WHERE id = ?",
                        [_json(metrics), interaction_id],
                    )

    def _write_flags(
        self, conn: sqlite3.Connection, interaction_id: str, flags: list[Flag]
    ) -> None:
        conn.execute("DELETE FROM flags WHERE interaction_id = ?", [interaction_id])
        conn.executemany(
            "INSERT INTO flags (id, interaction_id, kind, severity, campaign, fact, message,"
            " evidence, created_at, confidence, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [
                    content_id("flag", interaction_id, i, f.kind, f.fact),
                    interaction_id,
                    f.kind,
                    f.severity,
                    f.campaign,
                    f.fact,
                    redact(f.message, self.redaction),
                    _json(
                        [
                            {**asdict(e), "quote": redact(e.quote, self.redaction)}
                            for e in f.evidence
                        ]
                    ),
                    now(),
                    f.confidence,
                    f.status,
                ]
                for i, f in enumerate(flags)
            ],
        )

    def evaluated_ids(
        self, scorecard_hash: str, campaigns_hash: str | None = None, engine: str | None = None
    ) -> set[str]:
        """Interactions already scored with this card (checked against these campaigns, by
        this engine, where given)."""
        rows = self.conn.execute(
            "SELECT interaction_id FROM evaluations WHERE scorecard_hash = ?"
            " AND (? IS NULL OR campaigns_hash = ?) AND (? IS NULL OR engine = ?)",
            [scorecard_hash, campaigns_hash, campaigns_hash, engine, engine],
        ).fetchall()
        return {r[0] for r in rows}

    def load_interactions(self, ids: list[str] | None = None) -> list[Interaction]:
        """Interactions with their turns, as the scoring stage needs them."""
        where = ""
        params: list[str] = []
        if ids is not None:
            if not ids:
                return []
            self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS _wanted (id TEXT PRIMARY KEY)")
            self.conn.execute("DELETE FROM _wanted")
            self.conn.executemany("INSERT OR IGNORE INTO _wanted VALUES (?)", [(i,) for i in ids])
            where = " WHERE i.id IN (SELECT id FROM _wanted)"
        items: dict[str, Interaction] = {}
        for r in self.db.query(
            "SELECT i.*, a.name AS agent_name FROM interactions i"
            f" LEFT JOIN agents a ON a.id = i.agent_id{where} ORDER BY i.id",
            params,
        ):
            items[r["id"]] = Interaction(
                id=r["id"],
                channel=r["channel"],
                source=r["source"],
                agent=Agent(r["agent_id"], r["agent_name"], r["team"]) if r["agent_id"] else None,
                started_at=r["started_at"],
                duration=r["duration"],
                language=r["language"],
                direction=r["direction"],
                customer_id=r["customer_id"],
                case_id=r["case_id"],
                campaign=r["campaign"],
                status=r["status"],
                error=r["error"],
                metadata=json.loads(r["metadata"]) if r["metadata"] else {},
            )
        join = " WHERE interaction_id IN (SELECT id FROM _wanted)" if ids is not None else ""
        for r in self.conn.execute(
            f"SELECT interaction_id, role, speaker, start, end, text, words, meta FROM turns{join}"
            " ORDER BY interaction_id, idx"
        ):
            item = items.get(r[0])
            if item is not None:
                words = [Word(**w) for w in json.loads(r[6])] if r[6] else []
                meta = json.loads(r[7]) if r[7] else {}
                item.turns.append(
                    Turn(
                        role=r[1],
                        speaker=r[2],
                        start=r[3],
                        end=r[4],
                        text=r[5],
                        words=words,
                        meta=meta,
                    )
                )
        return list(items.values())

    # -- transcripts ------------------------------------------------------------

    def cached_transcript(self, key: str) -> str | None:
        row = self.conn.execute("SELECT result FROM transcripts WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def save_transcript(self, key: str, result: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO transcripts (key, result, created_at) VALUES (?, ?, ?)",
                [key, result, now()],
            )

    def set_status(self, ident: str, status: str, error: str | None) -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE interactions SET status = ?, error = ?, updated_at = ? WHERE id = ?",
                [status, error, now(), ident],
            )

    # -- embedding cache ----------------------------------------------------------

    def load_vectors(self, keys: list[str]) -> dict[str, bytes]:
        out: dict[str, bytes] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT key, vector FROM embeddings WHERE key IN ({marks})", chunk
            )
            out.update({k: v for k, v in rows})
        return out

    def save_vectors(self, vectors: dict[str, bytes]) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO embeddings (key, vector) VALUES (?, ?)",
                list(vectors.items()),
            )

    def interaction_ids(self, prefix: str = "") -> list[str]:
        rows = self.conn.execute(
            "SELECT id FROM interactions WHERE id LIKE ? ORDER BY id", [prefix + "%"]
        ).fetchall()
        return [r[0] for r in rows]

    def resolve_id(self, ident: str) -> str:
        """A full id, a unique id prefix, or a source path."""
        ids = self.interaction_ids(ident)
        if ident in ids:
            return ident
        if len(ids) == 1:
            return ids[0]
        if len(ids) > 1:
            raise ConfigError(f"'{ident}' matches {len(ids)} interactions: give more characters")
        rows = self.conn.execute(
            "SELECT id FROM interactions WHERE source = ? OR source LIKE ?", [ident, "%/" + ident]
        ).fetchall()
        if len(rows) == 1:
            return str(rows[0][0])
        raise ConfigError(f"no interaction '{ident}': list them with `qa export --format csv`")

    def count(self, table: str) -> int:
        return int(self.db[table].count)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def content_id(*parts: Any) -> str:
    """A stable id from content: re-reading the same conversation yields the same id."""
    payload = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
