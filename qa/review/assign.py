"""Review assignments: a sample of each agent's contacts per period (coverage), the
contacts `qa` is least sure of first, so that human time goes where it teaches most.

How sure: the least confident result of the evaluation (a result under the review bar
counts double), how near its score is to the pass mark, and flags held for review."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from qa.config import ReviewConfig
from qa.review.audit import record
from qa.store import Store, now
from qa.vocabulary import FlagStatus


def period_bounds(day: date, period: str) -> tuple[date, date]:
    if period == "day":
        return day, day
    if period == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following - timedelta(days=1)


def rule_text(cfg: ReviewConfig) -> str:
    return (
        f"{cfg.sample_per_agent} contact(s) per agent per {cfg.period}, least sure first:"
        f" lowest result confidence (under {cfg.unsure_below:.2f} counts double), nearest the"
        " pass mark, flags held for review (qa.yaml review:)"
    )


def _candidates(store: Store, first: date, last: date) -> list[dict[str, Any]]:
    rows = store.conn.execute(
        "SELECT i.id, i.agent_id, e.percent, e.scorecard_hash, s.definition,"
        " (SELECT min(c.confidence) FROM criterion_results c WHERE c.evaluation_id = e.id"
        "  AND c.result != 'na'),"
        " (SELECT count(*) FROM flags f WHERE f.interaction_id = i.id AND f.status = ?)"
        " FROM interactions i JOIN evaluations e ON e.interaction_id = i.id"
        " LEFT JOIN scorecards s ON s.hash = e.scorecard_hash"
        " WHERE substr(i.started_at, 1, 10) BETWEEN ? AND ? AND i.agent_id IS NOT NULL",
        [FlagStatus.REVIEW, first.isoformat(), last.isoformat()],
    ).fetchall()
    marks: dict[str, float] = {}
    out: dict[str, dict[str, Any]] = {}
    for ident, agent, percent, digest, definition, least, review_flags in rows:
        if digest not in marks:
            marks[digest] = float(
                (json.loads(definition) if definition else {}).get("pass_mark", 80)
            )
        c = {
            "id": ident,
            "agent": agent,
            "confidence": 1.0 if least is None else float(least),
            "distance": abs(float(percent or 0) - marks[digest]),
            "review_flags": int(review_flags),
        }
        if ident not in out or c["confidence"] < out[ident]["confidence"]:
            out[ident] = c
    return list(out.values())


def _priority(c: dict[str, Any], cfg: ReviewConfig) -> float:
    """Lower is less sure: reviewed first."""
    doubt = c["confidence"] * (0.5 if c["confidence"] < cfg.unsure_below else 1.0)
    return round(doubt + min(c["distance"], 50.0) / 100.0 - 0.3 * min(c["review_flags"], 2), 4)


def _reason(c: dict[str, Any]) -> str:
    parts = [f"least confidence {c['confidence']:.2f}", f"{c['distance']:.0f} points from the bar"]
    if c["review_flags"]:
        parts.append(f"{c['review_flags']} flag(s) for review")
    return ", ".join(parts)


def make_assignments(store: Store, username: str, day: date, cfg: ReviewConfig) -> int:
    """Assign the user the period's sample of every agent (contacts already assigned to
    anyone for the period are not assigned again). Returns how many were added."""
    first, last = period_bounds(day, cfg.period)
    period = f"{first.isoformat()}..{last.isoformat()}"
    by_agent: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in _candidates(store, first, last):
        by_agent[c["agent"]].append(c)
    rule = rule_text(cfg)
    added = 0
    with store.transaction() as conn:
        taken = {
            r[0]
            for r in conn.execute(
                "SELECT interaction_id FROM assignments WHERE period = ?", [period]
            )
        }
        for _agent, found in sorted(by_agent.items()):
            have = sum(1 for c in found if c["id"] in taken)
            fresh = sorted(
                (c for c in found if c["id"] not in taken),
                key=lambda c: (_priority(c, cfg), c["id"]),
            )
            for c in fresh[: max(0, cfg.sample_per_agent - have)]:
                conn.execute(
                    "INSERT INTO assignments (id, username, interaction_id, period, rule, reason,"
                    " priority, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [uuid.uuid4().hex[:16], username, c["id"], period, rule, _reason(c),
                     _priority(c, cfg), now()],
                )  # fmt: skip
                added += 1
        record(conn, username, "assign", period, None, f"{added} contact(s)", rule)
    return added


def assignments_for(store: Store, username: str) -> list[dict[str, Any]]:
    return list(
        store.db.query(
            "SELECT a.*, i.agent_id, i.channel, i.started_at,"
            " (SELECT count(*) FROM decisions d WHERE d.interaction_id = a.interaction_id"
            "  AND d.username = a.username) AS decided"
            " FROM assignments a JOIN interactions i ON i.id = a.interaction_id"
            " WHERE a.username = ? ORDER BY a.period DESC, a.priority, a.interaction_id",
            [username],
        )
    )
