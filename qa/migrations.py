"""Ordered schema migrations. Append new ones; never edit one that has shipped."""

from __future__ import annotations

from collections.abc import Callable

from qa.sqlite_db import Database

Migration = Callable[[Database], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
def m001_initial(db: Database) -> None:
    db.table("agents").create({"id": str, "name": str, "team": str}, pk="id")
    db.table("interactions").create(
        {
            "id": str,
            "channel": str,
            "source": str,
            "agent_id": str,
            "team": str,
            "campaign": str,
            "customer_id": str,
            "case_id": str,
            "direction": str,
            "started_at": str,
            "duration": float,
            "language": str,
            "status": str,
            "error": str,
            "metadata": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
    )
    db.table("interactions").create_index(["agent_id"])
    db.table("interactions").create_index(["channel"])
    db.table("turns").create(
        {
            "interaction_id": str,
            "idx": int,
            "role": str,
            "speaker": str,
            "start": float,
            "end": float,
            "text": str,
            "original": str,
            "words": str,
            "meta": str,
        },
        pk=("interaction_id", "idx"),
    )
    db.table("turns").enable_fts(["text"], create_triggers=True)
    # One row per input file that was read in full: a re-run skips it.
    db.table("sources").create(
        {"file_hash": str, "source": str, "kind": str, "interaction_ids": str, "ingested_at": str},
        pk="file_hash",
    )
    db.table("failures").create(
        {
            "id": str,
            "source": str,
            "stage": str,
            "reason": str,
            "file_hash": str,
            "run_id": str,
            "created_at": str,
        },
        pk="id",
    )
    db.table("runs").create(
        {
            "id": str,
            "command": str,
            "args": str,
            "started_at": str,
            "finished_at": str,
            "processed": int,
            "failed": int,
            "skipped": int,
        },
        pk="id",
    )
    db.table("scorecards").create(
        {"hash": str, "name": str, "yaml": str, "created_at": str},
        pk="hash",
    )
    db.table("evaluations").create(
        {
            "id": str,
            "interaction_id": str,
            "scorecard_hash": str,
            "total": float,
            "max": float,
            "percent": float,
            "auto_fail": int,
            "passed": int,
            "created_at": str,
        },
        pk="id",
    )
    db.table("evaluations").create_index(["interaction_id"])
    db.table("criterion_results").create(
        {
            "evaluation_id": str,
            "criterion_id": str,
            "idx": int,
            "section": str,
            "type": str,
            "result": str,
            "points": float,
            "max_points": float,
            "confidence": float,
            "evidence": str,
            "note": str,
            "details": str,
        },
        pk=("evaluation_id", "criterion_id"),
    )
    db.table("flags").create(
        {
            "id": str,
            "interaction_id": str,
            "kind": str,
            "severity": str,
            "campaign": str,
            "fact": str,
            "message": str,
            "evidence": str,
            "created_at": str,
        },
        pk="id",
    )
    db.table("flags").create_index(["interaction_id"])
    # Every email message read, so that a reply arriving in a later batch joins its thread.
    db.table("email_messages").create(
        {"message_id": str, "thread_key": str, "source": str, "record": str},
        pk="message_id",
    )


@migration
def m002_embeddings(db: Database) -> None:
    # Sentence embeddings, so that a rescore does not run the text model again.
    db.table("embeddings").create({"key": str, "vector": bytes}, pk="key")


@migration
def m003_transcripts(db: Database) -> None:
    # Raw recognition per audio channel, keyed by audio hash and settings: never run twice.
    db.table("transcripts").create({"key": str, "result": str, "created_at": str}, pk="key")


@migration
def m004_human_evaluations(db: Database) -> None:
    db.table("human_evaluations").create(
        {
            "id": str,
            "interaction_id": str,
            "criterion_id": str,
            "result": str,
            "points": float,
            "evaluator": str,
            "comment": str,
            "source_file": str,
            "imported_at": str,
        },
        pk="id",
    )
    db.table("human_evaluations").create_index(["interaction_id", "criterion_id"])


@migration
def m005_evaluation_campaigns(db: Database) -> None:
    # Which campaign files an evaluation was checked against: changed files mean a re-check.
    db.table("evaluations").add_column("campaigns_hash", str)


@migration
def m006_flag_review(db: Database) -> None:
    # Every campaign flag carries a confidence; under the review bar its status is "review".
    db.table("flags").add_column("confidence", float)
    db.table("flags").add_column("status", str)


@migration
def m007_engine_stamp(db: Database) -> None:
    # Which engine (qa's version and the settings that change results) made an evaluation,
    # and the campaign set it was checked against, kept whole so a rescore can reuse it.
    db.table("evaluations").add_column("engine", str)
    db.table("engines").create({"stamp": str, "settings": str, "created_at": str}, pk="stamp")
    db.table("campaign_sets").create({"hash": str, "campaigns": str, "created_at": str}, pk="hash")


@migration
def m007_scorecard_definitions(db: Database) -> None:
    # The validated scorecard as JSON, so that nothing downstream parses its YAML again.
    db.table("scorecards").add_column("definition", str)


@migration
def m008_recognition_confidence(db: Database) -> None:
    # How sure the recogniser was, per segment (word probabilities ride in turns.words),
    # and a flag's evidence span as first heard and as decoded again before flagging.
    db.table("asr_segments").create(
        {
            "interaction_id": str,
            "idx": int,
            "channel": int,
            "start": float,
            "end": float,
            "avg_logprob": float,
            "no_speech_prob": float,
        },
        pk=("interaction_id", "idx"),
    )
    db.table("flags").add_column("readings", str)


@migration
def m009_content_key(db: Database) -> None:
    # The content an evaluation was made on, so that an email thread that grows in a later
    # batch, or a call transcribed again, is scored again instead of keeping stale results.
    db.table("interactions").add_column("content", str)
    db.table("evaluations").add_column("content", str)


@migration
def m010_routing(db: Database) -> None:
    # What kind of contact each interaction is (work type, direction, contact reason, each
    # with its confidence and source), the turns that say so, and the routing rule that
    # chose its scorecards. One row per interaction: the latest routing.
    db.table("routings").create(
        {
            "interaction_id": str,
            "work_type": str,
            "work_type_confidence": float,
            "work_type_source": str,
            "direction": str,
            "direction_confidence": float,
            "direction_source": str,
            "contact_reason": str,
            "contact_reason_confidence": float,
            "contact_reason_source": str,
            "evidence": str,
            "rule": str,
            "rule_line": int,
            "undecided": int,
            "reason": str,
            "scorecards": str,
            "routing_file": str,
            "routing_hash": str,
            "route_key": str,
            "created_at": str,
        },
        pk="interaction_id",
    )
    db.table("routings").create_index(["work_type"])


@migration
def m012_review(db: Database) -> None:
    # The review app (qa serve): people and their sessions, human decisions on automatic
    # results, what agents acknowledge and dispute, review assignments, calibration
    # sessions, the examples trainers adopt from decisions, and an audit row for each act.
    db.table("users").create(
        {
            "username": str,
            "role": str,
            "agent_id": str,
            "teams": str,
            "password_hash": str,
            "disabled": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="username",
    )
    db.table("sessions").create(
        {"id": str, "username": str, "csrf": str, "created_at": str, "expires_at": str},
        pk="id",
    )
    db.table("app_secrets").create({"name": str, "value": str}, pk="name")
    db.table("decisions").create(
        {
            "id": str,
            "interaction_id": str,
            "evaluation_id": str,
            "target": str,  # criterion | flag
            "target_key": str,  # the criterion id, or the flag's kind:fact
            "action": str,  # confirm | dismiss | change
            "machine": str,  # the automatic result decided on
            "human": str,  # the result the person set
            "comment": str,
            "username": str,
            "content": str,  # the interaction's content when decided: a new transcript voids it
            "version": str,  # the automatic result's version the person saw
            "source": str,  # review | dispute | assignment
            "created_at": str,
            "superseded_by": str,
        },
        pk="id",
    )
    db.table("decisions").create_index(["interaction_id"])
    db.table("audit").create(
        {
            "id": int,
            "at": str,
            "username": str,
            "action": str,
            "what": str,
            "before": str,
            "after": str,
            "why": str,
        },
        pk="id",
    )
    db.table("acknowledgements").create(
        {
            "id": str,
            "interaction_id": str,
            "evaluation_id": str,
            "agent_id": str,
            "username": str,
            "comment": str,
            "created_at": str,
        },
        pk="id",
    )
    db.table("disputes").create(
        {
            "id": str,
            "interaction_id": str,
            "evaluation_id": str,
            "criterion_id": str,
            "agent_id": str,
            "username": str,
            "reason": str,
            "status": str,  # open | upheld | overturned
            "resolution": str,
            "resolved_by": str,
            "resolved_at": str,
            "created_at": str,
        },
        pk="id",
    )
    db.table("disputes").create_index(["agent_id"])
    db.table("assignments").create(
        {
            "id": str,
            "username": str,
            "interaction_id": str,
            "period": str,
            "rule": str,
            "reason": str,
            "priority": float,
            "created_at": str,
            "done_at": str,
        },
        pk="id",
    )
    db.table("calibration_sessions").create(
        {
            "id": str,
            "title": str,
            "created_by": str,
            "interaction_ids": str,
            "evaluators": str,
            "created_at": str,
        },
        pk="id",
    )
    db.table("calibration_scores").create(
        {
            "session_id": str,
            "username": str,
            "interaction_id": str,
            "criterion_id": str,
            "result": str,
            "created_at": str,
        },
        pk=("session_id", "username", "interaction_id", "criterion_id"),
    )
    db.table("adoptions").create(
        {
            "id": str,
            "decision_id": str,
            "username": str,
            "kind": str,
            "target": str,
            "file": str,
            "sentence": str,
            "agreement_before": float,
            "created_at": str,
        },
        pk="id",
    )


@migration
def m011_journeys(db: Database) -> None:
    # Customers across channels and their journeys, rebuilt whole from the stored
    # interactions by qa/journeys/run.py (so every table here is derived, never edited).
    # Identifier values are hashed when redaction masks their kind.
    db.table("customers").create(
        {"key": str, "customer_ids": str, "contacts": int, "explain": str}, pk="key"
    )
    db.table("customer_identifiers").create(
        {"customer": str, "kind": str, "value": str, "origins": str, "interactions": str},
        pk=("customer", "kind", "value"),
    )
    db.table("identifier_conflicts").create(
        {"kind": str, "value": str, "customer_ids": str, "interactions": str, "note": str},
        pk=("kind", "value"),
    )
    db.table("journeys").create(
        {
            "id": str,
            "customer": str,
            "reason": str,
            "first_at": str,
            "last_at": str,
            "contacts": int,
            "customer_contacts": int,
            "channels": str,
            "switches": int,
            "hours": float,
            "fcr": int,
            "resolved": int,
            "effort": float,
            "linked_by": str,
        },
        pk="id",
    )
    db.table("journeys").create_index(["customer"])
    db.table("journey_contacts").create(
        {
            "interaction_id": str,
            "journey_id": str,
            "position": int,
            "initiated_by": str,
            "outcome": str,
            "outcome_turn": int,
            "outcome_cue": str,
            "repeat_of": str,
            "effort": float,
            "effort_parts": str,
        },
        pk="interaction_id",
    )
    db.table("journey_contacts").create_index(["journey_id"])
    # Findings between contacts (repeat_contact, journey_inconsistency, broken_promise,
    # open_promise): apart from `flags`, which scoring rewrites per interaction.
    db.table("journey_flags").create(
        {
            "id": str,
            "journey_id": str,
            "interaction_id": str,
            "other_interaction_id": str,
            "kind": str,
            "severity": str,
            "message": str,
            "quote": str,
            "turn": int,
            "other_quote": str,
            "other_turn": int,
            "details": str,
        },
        pk="id",
    )
    db.table("journey_flags").create_index(["interaction_id"])
    # Whole-store results of the last build: survey gaming per agent, counts, settings.
    db.table("journey_summary").create({"key": str, "value": str}, pk="key")


@migration
def m013_customer_rosters(db: Database) -> None:
    # Each site's customer roster (keyed by its qa.yaml) with how that site writes identifiers
    # down, so that a journey rebuild links every site's contacts whichever site ran last.
    db.table("customer_rosters").create(
        {"site": str, "entries": str, "settings": str, "saved_at": str}, pk="site"
    )


def apply_migrations(db: Database) -> list[str]:
    """Apply every migration not yet applied, in order. Returns the names applied."""
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT)")
    done = {row[0] for row in db.execute("SELECT name FROM _migrations").fetchall()}
    applied = []
    for name, fn in MIGRATIONS:
        if name in done:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have applied it while this one waited for the lock.
            if db.execute("SELECT 1 FROM _migrations WHERE name = ?", [name]).fetchone():
                db.execute("COMMIT")
                continue
            fn(db)
            db.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, datetime('now'))", [name]
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied
