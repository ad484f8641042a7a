"""Agents acknowledge an evaluation or dispute a criterion, within the review window;
analysts resolve disputes. The evaluation stands (upheld) or the result changes
(overturned, a decision that overrides it like any other)."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from qa.review.audit import record
from qa.review.decisions import ReviewError, check_comment, criterion_version, decide
from qa.store import Store, now
from qa.store.read import InteractionView

PENDING = "pending"  # a dispute waiting for an analyst
OUTCOMES = ("upheld", "overturned")  # upheld: the evaluation stands; overturned: it changes


def window_end(created_at: str, window_days: int) -> datetime:
    """When an evaluation made at `created_at` stops taking acknowledgements and disputes."""
    made = datetime.fromisoformat(created_at)
    if made.tzinfo is None:
        made = made.replace(tzinfo=UTC)
    return made + timedelta(days=window_days)


def _within_window(item: InteractionView, window_days: int) -> None:
    ev = item.latest
    if ev is None:
        raise ReviewError("this contact has no evaluation to acknowledge or dispute")
    closes = window_end(ev.created_at, window_days)
    if datetime.now(UTC) > closes:
        raise ReviewError(
            f"the review window of {window_days} days closed on {closes.date().isoformat()}"
        )


def window_closes(item: InteractionView, window_days: int) -> str | None:
    ev = item.latest
    return None if ev is None else window_end(ev.created_at, window_days).date().isoformat()


def acknowledge(
    store: Store, item: InteractionView, username: str, comment: str, window_days: int, limit: int
) -> str:
    _within_window(item, window_days)
    comment = check_comment(comment, limit)
    assert item.latest is not None
    aid = uuid.uuid4().hex[:16]
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO acknowledgements (id, interaction_id, evaluation_id, agent_id, username,"
            " comment, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [aid, item.id, item.latest.id, item.agent_id, username, comment, now()],
        )
        record(conn, username, "acknowledge", item.id, None, "acknowledged", comment)
    return aid


def dispute(
    store: Store,
    item: InteractionView,
    username: str,
    criterion_id: str,
    reason: str,
    window_days: int,
    limit: int,
) -> str:
    _within_window(item, window_days)
    reason = check_comment(reason, limit, "reason")
    if not reason:
        raise ReviewError("a dispute needs a reason")
    assert item.latest is not None
    if not any(c.criterion_id == criterion_id for c in item.latest.criteria):
        raise ReviewError(f"no criterion {criterion_id!r} on this evaluation")
    did = uuid.uuid4().hex[:16]
    with store.transaction() as conn:
        if conn.execute(
            "SELECT 1 FROM disputes WHERE interaction_id = ? AND criterion_id = ?"
            " AND status = 'pending'",
            [item.id, criterion_id],
        ).fetchone():
            raise ReviewError(f"{criterion_id} is already disputed and not yet resolved")
        conn.execute(
            "INSERT INTO disputes (id, interaction_id, evaluation_id, criterion_id, agent_id,"
            " username, reason, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?)",
            [did, item.id, item.latest.id, criterion_id, item.agent_id, username, reason, now()],
        )
        record(
            conn, username, "dispute", f"{item.id} criterion {criterion_id}", None, PENDING, reason
        )
    return did


def get_dispute(store: Store, dispute_id: str) -> dict[str, Any] | None:
    rows = list(store.db.query("SELECT * FROM disputes WHERE id = ?", [dispute_id]))
    return rows[0] if rows else None


def resolve(
    store: Store,
    item: InteractionView,
    dispute_row: dict[str, Any],
    username: str,
    outcome: str,
    resolution: str,
    limit: int,
    result: str | None = None,
) -> None:
    """Close a dispute. Overturned: the criterion takes `result` (or the opposite of a pass
    or fail), as a decision stamped with the analyst and the dispute."""
    if outcome not in OUTCOMES:
        raise ReviewError(f"outcome {outcome!r} is not one of {', '.join(OUTCOMES)}")
    if dispute_row["status"] != PENDING:
        raise ReviewError("this dispute is already resolved")
    resolution = check_comment(resolution, limit, "resolution")
    key = dispute_row["criterion_id"]
    ev = item.latest
    found = next((c for c in ev.criteria if c.criterion_id == key), None) if ev else None
    if ev is None or found is None:
        raise ReviewError(f"no criterion {key!r} on this evaluation any more")
    seen = (found.human or {}).get("id", "")
    version = criterion_version(ev, found)
    if outcome == "overturned":
        decide(
            store, item, username, "criterion", key, "change" if result else "dismiss",
            resolution, version, seen, result, limit, source="dispute",
        )  # fmt: skip
    else:
        decide(
            store, item, username, "criterion", key, "confirm", resolution, version, seen,
            None, limit, source="dispute",
        )  # fmt: skip
    with store.transaction() as conn:
        conn.execute(
            "UPDATE disputes SET status = ?, resolution = ?, resolved_by = ?, resolved_at = ?"
            " WHERE id = ? AND status = 'pending'",
            [outcome, resolution, username, now(), dispute_row["id"]],
        )
        record(conn, username, "dispute.resolve", f"dispute {dispute_row['id']}", PENDING, outcome,
               resolution)  # fmt: skip


def list_disputes(
    store: Store, agent_id: str | None = None, status: str | None = None
) -> list[dict[str, Any]]:
    clauses, params = [], []
    if agent_id is not None:
        clauses.append("agent_id = ?")
        params.append(agent_id)
    if status is not None:
        clauses.append("status = ?")
        params.append(status)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return list(store.db.query(f"SELECT * FROM disputes{where} ORDER BY created_at DESC", params))


def dispute_counts(store: Store) -> dict[str, Any]:
    """Disputes raised, upheld and overturned, per criterion and per analyst."""
    rows = list(store.db.query("SELECT criterion_id, status, resolved_by FROM disputes"))
    per_criterion: dict[str, Counter[str]] = {}
    per_analyst: dict[str, Counter[str]] = {}
    for r in rows:
        per_criterion.setdefault(r["criterion_id"], Counter())["raised"] += 1
        per_criterion[r["criterion_id"]][_COUNTED.get(r["status"], r["status"])] += 1
        if r["resolved_by"]:
            per_analyst.setdefault(r["resolved_by"], Counter())[r["status"]] += 1
    total = Counter(r["status"] for r in rows)
    return {
        "raised": len(rows),
        "open": total[PENDING],
        "upheld": total["upheld"],
        "overturned": total["overturned"],
        "per_criterion": {k: _counted(v) for k, v in sorted(per_criterion.items())},
        "per_analyst": {k: _counted(v) for k, v in sorted(per_analyst.items())},
    }


_COUNTED = {PENDING: "waiting"}


def _counted(c: Counter[str]) -> dict[str, int]:
    return {k: c[k] for k in ("raised", "waiting", "upheld", "overturned")}


def acknowledgements_for(store: Store, ident: str) -> list[dict[str, Any]]:
    return list(
        store.db.query(
            "SELECT * FROM acknowledgements WHERE interaction_id = ? ORDER BY created_at DESC",
            [ident],
        )
    )


def feedback_by_interaction(
    store: Store, ident: str | None = None
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    """Acknowledgements and disputes per interaction (one interaction's, or all), oldest
    first, in the shape `qa export` writes them: two queries, however many there are."""
    where, params = (" WHERE interaction_id = ?", [ident]) if ident else ("", [])
    acks: dict[str, list[dict[str, Any]]] = {}
    for r in store.db.query(
        f"SELECT * FROM acknowledgements{where} ORDER BY created_at, rowid", params
    ):
        acks.setdefault(r["interaction_id"], []).append(
            {"evaluation_id": r["evaluation_id"], "by": r["username"], "at": r["created_at"],
             "comment": r["comment"] or ""}
        )  # fmt: skip
    disputes: dict[str, list[dict[str, Any]]] = {}
    for r in store.db.query(f"SELECT * FROM disputes{where} ORDER BY created_at, rowid", params):
        disputes.setdefault(r["interaction_id"], []).append(
            {"id": r["id"], "evaluation_id": r["evaluation_id"], "criterion": r["criterion_id"],
             "by": r["username"], "at": r["created_at"], "reason": r["reason"],
             "status": r["status"], "resolution": r["resolution"],
             "resolved_by": r["resolved_by"], "resolved_at": r["resolved_at"]}
        )  # fmt: skip
    return acks, disputes
