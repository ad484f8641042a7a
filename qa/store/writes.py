"""Every write into the database. Redaction happens here, at the one door that every
stored text passes: turns, words, metadata, email bodies, flag messages and quotes."""

from __future__ import annotations

import hashlib
import sqlite3
import uuid
from typing import Any

from qa.model import Agent, Evaluation, Evidence, Failure, Flag, Interaction
from qa.redact import is_digit_token, mask_split_cards, redact
from qa.store.connection import Connection, content_digest, content_id, now
from qa.store.connection import to_json as _json
from qa.vocabulary import Channel, Status


class Writes(Connection):
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

    def _mark_source(
        self, conn: sqlite3.Connection, source: str, file_hash: str, kind: str, ids: list[str]
    ) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO sources (file_hash, source, kind, interaction_ids, ingested_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [file_hash, _cards(source), kind, _json(ids), now()],
        )
        # A file that failed before and now reads fine is no longer a failure.
        conn.execute("DELETE FROM failures WHERE source = ? AND stage = 'ingest'", [_cards(source)])
        # Nor is a recording that failed to transcribe, once a new version of its file
        # stands in its place: the failed one held nothing (no turns, no scores).
        marks = ",".join("?" * len(ids))
        stale = conn.execute(
            "SELECT id, json_extract(metadata, '$.audio.sha256') FROM interactions"
            f" WHERE source = ? AND status = ? AND id NOT IN ({marks})",
            [_cards(source), Status.FAILED, *ids],
        ).fetchall()
        for ident, digest in stale:
            self._delete_interaction(conn, ident)
            conn.execute(
                "DELETE FROM failures WHERE source = ? AND stage = 'transcribe' AND file_hash IS ?",
                [_cards(source), digest],
            )

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
                    _cards(failure.source),
                    failure.stage,
                    redact(failure.reason, self.redaction),
                    failure.file_hash,
                    run_id,
                    now(),
                ],
            )

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
            # Agent ids may be email addresses that the roster resolves: only card numbers
            # are masked in them, so that two agents never collapse into one "[EMAIL]".
            agent = Agent(_cards(agent.id) or agent.id, _cards(agent.name), _cards(agent.team))
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
                _cards(item.source),
                agent.id if agent else None,
                agent.team if agent else None,
                item.campaign,
                self._redact_opt(item.customer_id),
                self._redact_opt(item.case_id),
                item.direction,
                item.started_at,
                item.duration,
                item.language,
                item.status,
                item.error,
                _json(self._redact_obj(self._with_identifier_hashes(item))),
                stamp,
                stamp,
            ],
        )
        self._write_turns(conn, item)
        conn.execute(
            "UPDATE interactions SET content = ? WHERE id = ?", [content_digest(item), item.id]
        )

    def _with_identifier_hashes(self, item: Interaction) -> dict[str, Any]:
        """The metadata, plus hashes of the customer's phone and addresses that redaction
        masks, so that journeys still link the contact (qa/journeys/identity.py)."""
        if not (self.redaction.emails or self.redaction.phones):
            return item.metadata
        from qa.journeys.identity import HASHES_KEY, hashes_before_redaction

        senders = [t.speaker for t in item.turns if t.role == "customer" and t.speaker]
        hashes = hashes_before_redaction(
            item.metadata,
            item.customer_id,
            senders,
            emails=self.redaction.emails,
            phones=self.redaction.phones,
        )
        for kind, values in (item.metadata.get(HASHES_KEY) or {}).items():  # kept by ingest
            hashes[kind] = sorted({*hashes.get(kind, []), *values})
        return {**item.metadata, HASHES_KEY: hashes} if hashes else item.metadata

    def _redact_opt(self, value: str | None) -> str | None:
        return redact(value, self.redaction) if value else value

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
        texts = _split_cards_masked([(t.role, t.speaker, t.text) for t in item.turns])
        for idx, turn in enumerate(item.turns):
            words = [w.as_dict() for w in turn.words]
            # Redaction happens here, at the one door into the database, for every channel.
            rows.append(
                [
                    item.id,
                    idx,
                    turn.role,
                    redact(turn.speaker, self.redaction) if turn.speaker else turn.speaker,
                    turn.start,
                    turn.end,
                    redact(texts[idx], self.redaction),
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

    def save_email_messages(
        self, records: list[dict[str, Any]], source: str, file_hash: str
    ) -> None:
        with self.transaction() as conn:
            for rec in records:
                # Addresses stay: threading and roles read them. Every other text is masked.
                rec = {
                    **rec,
                    "body": redact(rec["body"], self.redaction),
                    "subject": redact(rec.get("subject") or "", self.redaction),
                    "sender_name": self._redact_opt(rec.get("sender_name")),
                    "source": _cards(rec.get("source")),
                }
                conn.execute(
                    "INSERT INTO email_messages (message_id, thread_key, source, record)"
                    " VALUES (?, NULL, ?, ?) ON CONFLICT(message_id) DO NOTHING",
                    [rec["message_id"], source, _json(rec)],
                )
            self._mark_source(conn, source, file_hash, Channel.EMAIL, [])

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

    def save_scorecard(
        self, name: str, digest: str, text: str, definition: dict[str, Any] | None = None
    ) -> None:
        """The scorecard's YAML as written, and its validated definition."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO scorecards (hash, name, yaml, created_at) VALUES (?, ?, ?, ?)",
                [digest, name, text, now()],
            )
            if definition is not None:
                conn.execute(
                    "UPDATE scorecards SET definition = ? WHERE hash = ? AND definition IS NULL",
                    [_json(definition), digest],
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

    def save_evaluations(
        self,
        pairs: list[tuple[str, Evaluation, dict[str, Any], list[Flag] | None, str | None]],
        engine: str | None = None,
        contents: dict[str, str | None] | None = None,
    ) -> None:
        """Write evaluations (interaction id, evaluation, metrics, campaign flags or None when
        campaigns were not checked, campaign set hash), made by one engine; one transaction
        for the lot. `contents` holds the content digest each was made on: one whose
        interaction has changed since (another run rewrote the thread) is not written."""
        with self.transaction() as conn:
            for interaction_id, ev, metrics, flags, campaigns_key in pairs:
                row = conn.execute(
                    "SELECT content FROM interactions WHERE id = ?", [interaction_id]
                ).fetchone()
                current = row[0] if row else None
                if contents is not None and contents.get(interaction_id, current) != current:
                    continue
                if flags is not None:
                    self._write_flags(conn, interaction_id, flags)
                eid = content_id("evaluation", interaction_id, ev.scorecard_hash)
                conn.execute("DELETE FROM criterion_results WHERE evaluation_id = ?", [eid])
                conn.execute(
                    "INSERT OR REPLACE INTO evaluations (id, interaction_id, scorecard_hash, total,"
                    " max, percent, auto_fail, passed, created_at, campaigns_hash, engine, content)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                        current,
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
                            _json([self._evidence(e) for e in c.evidence]),
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
            " evidence, created_at, confidence, status, readings)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                [
                    content_id("flag", interaction_id, i, f.kind, f.fact),
                    interaction_id,
                    f.kind,
                    f.severity,
                    f.campaign,
                    f.fact,
                    redact(f.message, self.redaction),
                    _json([self._evidence(e) for e in f.evidence]),
                    now(),
                    f.confidence,
                    f.status,
                    _json(self._redact_obj(f.readings)) if f.readings else None,
                ]
                for i, f in enumerate(flags)
            ],
        )

    def _evidence(self, e: Evidence) -> dict[str, Any]:
        """An evidence quote as stored: redacted, with its recognition confidence on calls."""
        return {**e.as_dict(), "quote": redact(e.quote, self.redaction)}

    def save_routes(self, rows: list[dict[str, Any]]) -> None:
        """Routing decisions, one row per interaction (see m010_routing); the evidence
        quotes are redacted like every other stored text."""
        with self.transaction() as conn:
            for row in rows:
                row = {
                    **row,
                    "evidence": _json(
                        [
                            {**e, "quote": redact(str(e.get("quote") or ""), self.redaction)}
                            for e in row.get("evidence") or []
                        ]
                    ),
                    "scorecards": _json(row.get("scorecards") or []),
                    "created_at": now(),
                }
                names = list(row)
                conn.execute(
                    f"INSERT OR REPLACE INTO routings ({', '.join(names)})"
                    f" VALUES ({', '.join('?' * len(names))})",
                    [row[n] for n in names],
                )

    def save_asr_segments(
        self, interaction_id: str, segments: list[tuple[int, float, float, float, float]]
    ) -> None:
        """How sure the recogniser was per segment: channel, start, end, average log-probability,
        no-speech probability."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM asr_segments WHERE interaction_id = ?", [interaction_id])
            conn.executemany(
                "INSERT INTO asr_segments (interaction_id, idx, channel, start, end, avg_logprob,"
                " no_speech_prob) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(interaction_id, i, *seg) for i, seg in enumerate(segments)],
            )

    def set_metadata(self, ident: str, key: str, value: Any) -> None:
        """One key of an interaction's metadata, redacted like the rest of it."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE interactions SET metadata = json_set(coalesce(metadata, '{}'), ?, json(?))"
                " WHERE id = ?",
                [f"$.{key}", _json(self._redact_obj(value)), ident],
            )

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

    def save_vectors(self, vectors: dict[str, bytes]) -> None:
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO embeddings (key, vector) VALUES (?, ?)",
                list(vectors.items()),
            )


def _cards(text: str | None) -> str | None:
    """Card numbers masked (always), nothing else: for ids, names and file paths."""
    return redact(text) if text else text


def _split_cards_masked(turns: list[tuple[str | None, str | None, str]]) -> list[str]:
    """Turn texts with card numbers typed across one speaker's consecutive turns masked."""
    texts = [text for _, _, text in turns]
    start = 0
    for end in range(1, len(turns) + 1):
        if end == len(turns) or turns[end][:2] != turns[start][:2]:
            if end - start > 1:
                texts[start:end] = mask_split_cards(texts[start:end])
            start = end
    return texts
