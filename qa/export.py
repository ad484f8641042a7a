"""The machine-readable shape of an interaction (design.md), read from the store."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from qa.store import Store
from qa.store.read import (
    EvaluationView,
    InteractionView,
    Selection,
    TurnView,
    read_interactions,
)


def as_dict(item: InteractionView) -> dict[str, Any]:
    """The stable machine-readable shape of one interaction (design.md)."""
    return {
        "id": item.id,
        "channel": item.channel,
        "source": item.source,
        "agent": {"id": item.agent_id, "name": item.agent_name, "team": item.team},
        "started_at": item.started_at,
        "duration": item.duration,
        "language": item.language,
        "direction": item.direction,
        "customer_id": item.customer_id,
        "case_id": item.case_id,
        "campaign": item.campaign,
        "status": item.status,
        "error": item.error,
        "metadata": {k: v for k, v in item.metadata.items() if k != "metrics"},
        "turns": [_turn(t) for t in item.turns],
        "metrics": item.metrics,
        "evaluations": [_evaluation(e) for e in item.evaluations],
        "flags": [
            {
                "kind": f.kind,
                "severity": f.severity,
                "campaign": f.campaign,
                "fact": f.fact,
                "message": f.message,
                "evidence": f.evidence,
                "confidence": f.confidence if f.confidence is not None else 1.0,
                "status": f.status or "open",
            }
            for f in item.flags
        ],
    }


def _turn(t: TurnView) -> dict[str, Any]:
    turn: dict[str, Any] = {
        "role": t.role,
        "speaker": t.speaker,
        "start": t.start,
        "end": t.end,
        "text": t.text,
        "words": t.words,
    }
    if t.meta:
        turn["meta"] = t.meta
    return turn


def _evaluation(e: EvaluationView) -> dict[str, Any]:
    return {
        "scorecard": {"name": e.scorecard, "hash": e.scorecard_hash},
        "total": e.total,
        "max": e.max,
        "percent": e.percent,
        "auto_fail": bool(e.auto_fail),
        "campaigns": e.campaigns_hash,
        "engine": e.engine,
        "criteria": [
            {
                "id": c.criterion_id,
                "section": c.section,
                "type": c.type,
                "result": c.result,
                "points": c.points,
                "max_points": c.max_points,
                "confidence": c.confidence,
                "evidence": c.evidence,
                "note": c.note,
            }
            for c in e.criteria
        ],
    }


def interaction_dict(store: Store, ident: str) -> dict[str, Any]:
    found = read_interactions(store, Selection(ids=[ident]))
    if not found:
        raise KeyError(ident)
    return as_dict(found[0])


def iter_interactions(store: Store) -> Iterator[dict[str, Any]]:
    for item in read_interactions(store):
        yield as_dict(item)


def export_json(store: Store) -> str:
    return json.dumps(
        {"interactions": list(iter_interactions(store))}, ensure_ascii=False, indent=2
    )


CSV_COLUMNS = [
    "interaction_id",
    "source",
    "channel",
    "agent_id",
    "agent_name",
    "team",
    "started_at",
    "status",
    "scorecard",
    "scorecard_hash",
    "total",
    "max",
    "percent",
    "auto_fail",
    "criterion_id",
    "section",
    "type",
    "result",
    "points",
    "max_points",
    "confidence",
    "evidence_quote",
    "evidence_start",
]


def export_csv(store: Store) -> str:
    """One row per evaluation and criterion; an interaction not yet scored gets one row."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for item in iter_interactions(store):
        base = {
            "interaction_id": item["id"],
            "source": item["source"],
            "channel": item["channel"],
            "agent_id": item["agent"]["id"],
            "agent_name": item["agent"]["name"],
            "team": item["agent"]["team"],
            "started_at": item["started_at"],
            "status": item["status"],
        }
        if not item["evaluations"]:
            writer.writerow(base)
        for ev in item["evaluations"]:
            head = {
                **base,
                "scorecard": ev["scorecard"]["name"],
                "scorecard_hash": ev["scorecard"]["hash"],
                "total": ev["total"],
                "max": ev["max"],
                "percent": ev["percent"],
                "auto_fail": ev["auto_fail"],
            }
            for c in ev["criteria"]:
                first = c["evidence"][0] if c["evidence"] else {}
                writer.writerow(
                    {
                        **head,
                        "criterion_id": c["id"],
                        "section": c["section"],
                        "type": c["type"],
                        "result": c["result"],
                        "points": c["points"],
                        "max_points": c["max_points"],
                        "confidence": c["confidence"],
                        "evidence_quote": first.get("quote"),
                        "evidence_start": first.get("start"),
                    }
                )
    return buf.getvalue()
