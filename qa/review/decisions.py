"""Human decisions on automatic results, and how they override them when read.

A decision is kept apart from the automatic result it overrides: `qa rescore` rewrites
evaluations and flags, the decision stays, and it is laid over the new result when read,
as long as the interaction's content (its transcript) is the one it was made on. A new
transcript voids it: the person decided on words that are no longer there.

A person decides on the version of a result they saw. When the result was re-scored (or
decided by someone else) meanwhile, the decision is refused with both versions, so that
nothing is overwritten silently.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any

from qa.errors import QAError
from qa.review.audit import record
from qa.store import Store, content_id, now
from qa.store.read import CriterionView, EvaluationView, FlagView, InteractionView
from qa.vocabulary import FlagStatus

RESULTS = ("pass", "fail", "na")
ACTIONS = ("confirm", "dismiss", "change")
TARGETS = ("criterion", "flag")
FLAG_DISMISSED = "dismissed"  # the status a flag a person dismissed reads with
SOURCE_QUEUE = "queue"  # where a decision was taken: the review queue, or a dispute


class ReviewError(QAError):
    """A decision, acknowledgement or dispute that cannot be taken as asked."""


class Conflict(ReviewError):
    """The result changed since the person saw it: both versions, nothing written."""

    def __init__(self, seen: dict[str, Any], current: dict[str, Any]):
        super().__init__("this result changed since you opened it: nothing was saved")
        self.seen, self.current = seen, current


@dataclass
class Decision:
    id: str
    interaction_id: str
    target: str
    target_key: str
    action: str
    machine: str
    human: str
    comment: str
    username: str
    created_at: str
    source: str


def flag_key(f: FlagView | dict[str, Any]) -> str:
    """A flag's identity across re-scoring: its kind, campaign and fact (ids are positional)."""
    get = f.get if isinstance(f, dict) else (lambda k: getattr(f, k))
    return f"{get('kind')}|{get('campaign') or ''}|{get('fact') or ''}"


def criterion_version(ev: EvaluationView, c: CriterionView) -> str:
    return content_id("criterion", ev.id, ev.created_at, c.result, c.points, c.evidence)


def flag_version(f: FlagView) -> str:
    return content_id("flag", f.created_at, f.kind, f.fact, f.message, f.confidence)


def check_comment(text: str, limit: int, what: str = "comment") -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise ReviewError(
            f"the {what} has {len(text)} characters; at most {limit} are kept. Nothing was saved."
        )
    return text


def find_target(
    item: InteractionView, target: str, key: str
) -> tuple[EvaluationView | None, CriterionView | FlagView]:
    """The automatic result a decision is about, as read now."""
    if target == "criterion":
        for ev in reversed(item.evaluations):
            for c in ev.criteria:
                if c.criterion_id == key:
                    return ev, c
    elif target == "flag":
        for f in item.flags:
            if flag_key(f) == key:
                return None, f
    raise ReviewError(f"no {target} {key!r} on this interaction")


def _machine_result(found: CriterionView | FlagView) -> str:
    human = getattr(found, "human", None)
    if human:
        return str(human["current"])
    if isinstance(found, CriterionView):
        return found.result
    return str(found.status or FlagStatus.OPEN)


def _version(ev: EvaluationView | None, found: CriterionView | FlagView) -> str:
    if isinstance(found, CriterionView):
        assert ev is not None
        return criterion_version(ev, found)
    return flag_version(found)


def _outcome(target: str, action: str, machine: str, result: str | None) -> str:
    if action not in ACTIONS:
        raise ReviewError(f"action {action!r} is not one of {', '.join(ACTIONS)}")
    if target == "flag":
        if action == "change":
            raise ReviewError("a flag is confirmed or dismissed, not changed")
        return FlagStatus.OPEN if action == "confirm" else FLAG_DISMISSED
    if action == "confirm":
        return machine
    if action == "dismiss":
        if machine not in ("pass", "fail"):
            raise ReviewError("only a pass or a fail can be dismissed; change it instead")
        return "pass" if machine == "fail" else "fail"
    if result not in RESULTS:
        raise ReviewError(f"result {result!r} is not one of {', '.join(RESULTS)}")
    return result


def decide(
    store: Store,
    item: InteractionView,
    username: str,
    target: str,
    key: str,
    action: str,
    comment: str,
    seen_version: str,
    seen_decision: str = "",
    result: str | None = None,
    comment_limit: int = 2000,
    source: str = SOURCE_QUEUE,
) -> Decision:
    """Record a person's decision on one result of `item` (read with decisions laid over).

    `seen_version` is the automatic result's version the person saw and `seen_decision`
    the decision then in force ("" for none): either having moved raises Conflict."""
    if target not in TARGETS:
        raise ReviewError(f"target {target!r} is not one of {', '.join(TARGETS)}")
    comment = check_comment(comment, comment_limit)
    ev, found = find_target(item, target, key)
    machine = _machine_result(found)
    outcome = _outcome(target, action, machine, result)
    current = {
        "version": _version(ev, found),
        "machine": machine,
        "decision": (getattr(found, "human", None) or {}).get("id", ""),
        "human": (getattr(found, "human", None) or {}).get("result"),
        "by": (getattr(found, "human", None) or {}).get("by"),
    }
    if current["version"] != seen_version or current["decision"] != (seen_decision or ""):
        raise Conflict({"version": seen_version, "decision": seen_decision}, current)
    did = uuid.uuid4().hex[:16]
    stamp = now()
    with store.transaction() as conn:
        row = conn.execute("SELECT content FROM interactions WHERE id = ?", [item.id]).fetchone()
        # Re-checked inside the write lock: another reviewer may have decided meanwhile.
        latest = _in_force(conn, item.id, target, key, row[0] if row else None)
        if (latest or "") != (seen_decision or ""):
            raise Conflict({"version": seen_version, "decision": seen_decision}, current)
        conn.execute(
            "INSERT INTO decisions (id, interaction_id, evaluation_id, target, target_key, action,"
            " machine, human, comment, username, content, version, source, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                did,
                item.id,
                ev.id if ev else None,
                target,
                key,
                action,
                machine,
                outcome,
                comment,
                username,
                row[0] if row else None,
                current["version"],
                source,
                stamp,
            ],
        )
        if latest:
            conn.execute("UPDATE decisions SET superseded_by = ? WHERE id = ?", [did, latest])
        before = current["human"] or machine
        record(
            conn,
            username,
            f"decision.{action}",
            f"{item.id} {target} {key}",
            before,
            outcome,
            comment,
        )
    return Decision(
        did, item.id, target, key, action, machine, outcome, comment, username, stamp, source
    )


def _in_force(
    conn: sqlite3.Connection, ident: str, target: str, key: str, content: str | None
) -> str | None:
    row = conn.execute(
        "SELECT id FROM decisions WHERE interaction_id = ? AND target = ? AND target_key = ?"
        " AND superseded_by IS NULL AND content IS ? ORDER BY created_at DESC, rowid DESC LIMIT 1",
        [ident, target, key, content],
    ).fetchone()
    return row[0] if row else None


def decisions_for(store: Store, ident: str) -> list[dict[str, Any]]:
    """Every decision on an interaction, newest first, in force or not."""
    return list(
        store.db.query(
            "SELECT d.*, (d.superseded_by IS NULL AND d.content IS i.content) AS in_force"
            " FROM decisions d JOIN interactions i ON i.id = d.interaction_id"
            " WHERE d.interaction_id = ? ORDER BY d.created_at DESC, d.rowid DESC",
            [ident],
        )
    )


# -- laid over the automatic results, on the one read path ---------------------------------


def overlay(conn: sqlite3.Connection, items: dict[str, InteractionView]) -> None:
    """Lay the decisions in force over the selected interactions' results (read from the
    temporary table _sel): the human result wins, stamped as human, and each evaluation's
    totals follow it."""
    rows = conn.execute(
        "SELECT d.id, d.interaction_id, d.target, d.target_key, d.action, d.machine, d.human,"
        " d.comment, d.username, d.created_at, d.source FROM decisions d"
        " JOIN interactions i ON i.id = d.interaction_id"
        " WHERE d.interaction_id IN (SELECT id FROM _sel) AND d.superseded_by IS NULL"
        " AND d.content IS i.content ORDER BY d.created_at, d.rowid"
    ).fetchall()
    if not rows:
        return
    cards: dict[str, dict[str, Any]] = {}
    touched: set[str] = set()
    for did, ident, target, key, action, machine, human, comment, user, at, source in rows:
        item = items.get(ident)
        if item is None:
            continue
        stamp = {
            "id": did,
            "by": user,
            "at": at,
            "action": action,
            "machine": machine,
            "result": human,
            "comment": comment,
            "source": source,
        }
        if target == "flag":
            for f in item.flags:
                if flag_key(f) == key:
                    f.human = {**stamp, "current": f.status or FlagStatus.OPEN}
                    f.status = human
            continue
        for ev in item.evaluations:
            for c in ev.criteria:
                if c.criterion_id == key:
                    _set_result(conn, cards, ev, c, human, stamp)
                    touched.add(ev.id)
    for item in items.values():
        for ev in item.evaluations:
            if ev.id in touched:
                _retotal(cards[ev.scorecard_hash], ev)


def _card(
    conn: sqlite3.Connection, cards: dict[str, dict[str, Any]], digest: str
) -> dict[str, Any]:
    if digest not in cards:
        row = conn.execute("SELECT definition FROM scorecards WHERE hash = ?", [digest]).fetchone()
        card = json.loads(row[0]) if row and row[0] else {}
        crits = {
            c["id"]: c
            for s in card.get("sections") or []
            for c in s.get("criteria") or []
            if isinstance(c, dict) and "id" in c
        }
        cards[digest] = {"pass_mark": card.get("pass_mark", 80), "criteria": crits}
    return cards[digest]


def _set_result(
    conn: sqlite3.Connection,
    cards: dict[str, dict[str, Any]],
    ev: EvaluationView,
    c: CriterionView,
    human: str,
    stamp: dict[str, Any],
) -> None:
    spec = _card(conn, cards, ev.scorecard_hash)["criteria"].get(c.criterion_id, {})
    full = spec.get("points")
    if full is None:
        full = spec.get("weight")
    full = float(full if full is not None else (c.max_points or 1.0))
    c.human = {**stamp, "current": c.result}
    c.result = human
    c.max_points = 0.0 if human == "na" else full
    c.points = full if human == "pass" else 0.0
    c.confidence = 1.0


def _retotal(card: dict[str, Any], ev: EvaluationView) -> None:
    total = round(sum(c.points for c in ev.criteria), 2)
    maximum = round(sum(c.max_points for c in ev.criteria), 2)
    auto_fail = any(
        c.result == "fail" and card["criteria"].get(c.criterion_id, {}).get("critical")
        for c in ev.criteria
    )
    percent = 0.0 if auto_fail else (round(100 * total / maximum, 1) if maximum else 0.0)
    ev.total, ev.max, ev.percent = total, maximum, percent
    ev.auto_fail = int(auto_fail)
    ev.passed = int(not auto_fail and percent >= float(card["pass_mark"]))
    ev.human = True


def human_labels(store: Store) -> list[dict[str, Any]]:
    """Decisions in force on criteria, as `qa calibrate` reads human ratings."""
    return [
        {
            "interaction_id": r["interaction_id"],
            "criterion_id": r["target_key"],
            "result": r["human"],
            "points": None,
            "evaluator": r["username"],
            "comment": r["comment"] or "",
        }
        for r in store.db.query(
            "SELECT d.* FROM decisions d JOIN interactions i ON i.id = d.interaction_id"
            " WHERE d.target = 'criterion' AND d.superseded_by IS NULL AND d.content IS i.content"
        )
    ]
