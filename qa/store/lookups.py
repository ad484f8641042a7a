"""The pipeline's own reads: what is done (resume keys), what is cached, which id a
user means. Reports and exports read through qa.store.read instead."""

from __future__ import annotations

import json
from typing import Any

from qa.errors import ConfigError
from qa.model import Agent, Failure, Interaction, Turn, Word
from qa.store.connection import Connection
from qa.vocabulary import Status


class Lookups(Connection):
    def source_done(self, file_hash: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM sources WHERE file_hash = ?", [file_hash]).fetchone()
        return row is not None

    def failures(self) -> list[dict[str, Any]]:
        return [
            dict(r) for r in self.db.query("SELECT * FROM failures ORDER BY created_at, source")
        ]

    def open_failures(self, source: str | None = None) -> list[dict[str, Any]]:
        """Every input that failed and is not fixed yet, oldest first: the file, the stage
        (ingest, transcribe), the reason and when. With `source`, only those of that file
        (its path, or its name under any folder)."""
        where, params = "", []
        if source is not None:
            where, params = " AND (f.source = ? OR f.source LIKE ?)", [source, "%/" + source]
        rows = self.conn.execute(
            "SELECT f.source, f.stage, f.reason, f.file_hash, f.created_at FROM failures f"
            # A recording's failure holds while the recording stands failed (a redone or
            # replaced one is no failure any more).
            " WHERE (f.stage != 'transcribe' OR EXISTS (SELECT 1 FROM interactions i"
            "  WHERE i.source = f.source AND i.status = ?"
            "  AND json_extract(i.metadata, '$.audio.sha256') IS f.file_hash))"
            f"{where} ORDER BY f.created_at, f.source",
            [Status.FAILED, *params],
        )
        keys = ("source", "stage", "reason", "file_hash", "at")
        return [dict(zip(keys, r, strict=True)) for r in rows]

    def recording_failures(self, ids: list[str]) -> list[Failure]:
        """The failures of those interactions whose recording still stands as failed (a
        fixed file is a new recording): each with its stored reason, so that every run over
        the recording lists it again."""
        out: list[Failure] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                "SELECT source, error, json_extract(metadata, '$.audio.sha256') AS sha,"
                " (SELECT f.reason FROM failures f WHERE f.source = i.source"
                "  AND f.stage = 'transcribe'"
                "  AND f.file_hash = json_extract(i.metadata, '$.audio.sha256')"
                "  ORDER BY f.created_at DESC LIMIT 1)"
                f" FROM interactions i WHERE status = ? AND id IN ({marks}) ORDER BY source",
                [Status.FAILED, *chunk],
            ).fetchall()
            out += [
                Failure(r[0], "transcribe", r[3] or r[1] or "no reason kept", r[2]) for r in rows
            ]
        return out

    def email_messages(self) -> list[tuple[dict[str, Any], str | None]]:
        rows = self.conn.execute("SELECT record, thread_key FROM email_messages").fetchall()
        return [(json.loads(r[0]), r[1]) for r in rows]

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

    def evaluated_ids(
        self, scorecard_hash: str, campaigns_hash: str | None = None, engine: str | None = None
    ) -> set[str]:
        """Interactions already scored with this card (checked against these campaigns, by
        this engine, where given)."""
        # An evaluation made on other content (a thread that has grown since) does not count.
        rows = self.conn.execute(
            "SELECT e.interaction_id FROM evaluations e JOIN interactions i"
            " ON i.id = e.interaction_id AND e.content IS i.content"
            " WHERE e.scorecard_hash = ?"
            " AND (? IS NULL OR e.campaigns_hash = ?) AND (? IS NULL OR e.engine = ?)",
            [scorecard_hash, campaigns_hash, campaigns_hash, engine, engine],
        ).fetchall()
        return {r[0] for r in rows}

    def earlier_sources(self) -> dict[str, str]:
        """Each file read before (its stored path) and the ids of the interactions its last
        ingest wrote (JSON): one read of the table, as a file's own lookup would read all of
        it (sources is keyed by the file's digest, not its path)."""
        rows = self.conn.execute(
            "SELECT source, interaction_ids FROM sources ORDER BY ingested_at, rowid"
        )
        return {source: ids for source, ids in rows if ids}  # the latest ingest of a path wins

    def stored_given(self, ids: list[str], keys: tuple[str, ...]) -> dict[str, Interaction]:
        """A lean read of these interactions for a new ingest of their files: the fields a
        manifest sets, and of the metadata only the given keys (no turns)."""
        out: dict[str, Interaction] = {}
        picks = "".join(f", json_extract(i.metadata, '$.{k}')" for k in keys)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = self.conn.execute(
                "SELECT i.id, i.channel, i.source, i.agent_id, a.name, i.team, i.campaign,"
                f" i.customer_id, i.case_id, i.direction, i.started_at{picks}"
                " FROM interactions i LEFT JOIN agents a ON a.id = i.agent_id"
                f" WHERE i.id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            for r in rows:
                metadata = {k: json.loads(v) for k, v in zip(keys, r[11:], strict=True) if v}
                out[r[0]] = Interaction(
                    id=r[0],
                    channel=r[1],
                    source=r[2],
                    agent=Agent(r[3], r[4], r[5]) if r[3] else None,
                    campaign=r[6],
                    customer_id=r[7],
                    case_id=r[8],
                    direction=r[9],
                    started_at=r[10],
                    metadata=metadata,
                )
        return out

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
                content=r["content"],
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

    def stored_routes(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Per interaction, its stored routing: the key it was made on, the hashes of the
        scorecards it gave, its work type and direction."""
        out: dict[str, dict[str, Any]] = {}
        wanted = set(ids)
        for ident, key, cards, work_type, direction in self.conn.execute(
            "SELECT interaction_id, route_key, scorecards, work_type, direction FROM routings"
        ):
            if ident in wanted:
                out[ident] = {
                    "key": key,
                    "cards": [c["hash"] for c in json.loads(cards or "[]")],
                    "work_type": work_type,
                    "direction": direction,
                }
        return out

    def routing_inputs(self, ids: list[str]) -> dict[str, list[Any]]:
        """What a routing decision reads besides the turns, per interaction: channel,
        direction, campaign, language, agent, team, metadata (less what scoring adds)
        and the content digest."""
        out: dict[str, list[Any]] = {}
        wanted = set(ids)
        for r in self.conn.execute(
            "SELECT id, channel, direction, campaign, language, agent_id, team, metadata, content"
            " FROM interactions"
        ):
            if r[0] in wanted:
                meta = json.loads(r[7]) if r[7] else {}
                meta = {k: v for k, v in meta.items() if k not in ("metrics", "verification")}
                out[r[0]] = [*r[1:7], meta, r[8]]
        return out

    def cached_transcript(self, key: str) -> str | None:
        row = self.conn.execute("SELECT result FROM transcripts WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

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
