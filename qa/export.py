"""The machine-readable shape of an interaction (design.md), read from the store."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from qa.store import Store


def _loads(value: str | None, default: Any) -> Any:
    return json.loads(value) if value else default


def interaction_dict(store: Store, ident: str) -> dict[str, Any]:
    rows = list(
        store.db.query(
            "SELECT i.*, a.name AS agent_name, a.team AS agent_team FROM interactions i"
            " LEFT JOIN agents a ON a.id = i.agent_id WHERE i.id = ?",
            [ident],
        )
    )
    if not rows:
        raise KeyError(ident)
    rec = rows[0]
    metadata = _loads(rec["metadata"], {})
    return {
        "id": rec["id"],
        "channel": rec["channel"],
        "source": rec["source"],
        "agent": {
            "id": rec["agent_id"],
            "name": rec["agent_name"],
            "team": rec["team"] or rec["agent_team"],
        },
        "started_at": rec["started_at"],
        "duration": rec["duration"],
        "language": rec["language"],
        "direction": rec["direction"],
        "customer_id": rec["customer_id"],
        "case_id": rec["case_id"],
        "campaign": rec["campaign"],
        "status": rec["status"],
        "error": rec["error"],
        "metadata": {k: v for k, v in metadata.items() if k != "metrics"},
        "turns": _turns(store, ident),
        "metrics": metadata.get("metrics", {}),
        "evaluations": _evaluations(store, ident),
        "flags": _flags(store, ident),
    }


def _turns(store: Store, ident: str) -> list[dict[str, Any]]:
    rows = store.conn.execute(
        "SELECT role, speaker, start, end, text, words, meta FROM turns"
        " WHERE interaction_id = ? ORDER BY idx",
        [ident],
    ).fetchall()
    out = []
    for role, speaker, start, end, text, words, meta in rows:
        turn: dict[str, Any] = {
            "role": role,
            "speaker": speaker,
            "start": start,
            "end": end,
            "text": text,
            "words": _loads(words, []),
        }
        extra = _loads(meta, {})
        if extra:
            turn["meta"] = extra
        out.append(turn)
    return out


def _evaluations(store: Store, ident: str) -> list[dict[str, Any]]:
    evals = store.conn.execute(
        "SELECT e.id, s.name, e.scorecard_hash, e.total, e.max, e.percent, e.auto_fail,"
        " e.campaigns_hash, e.engine FROM evaluations e LEFT JOIN scorecards s ON s.hash = e.scorecard_hash"
        " WHERE e.interaction_id = ? ORDER BY e.created_at",
        [ident],
    ).fetchall()
    out = []
    for eid, name, shash, total, mx, percent, auto_fail, campaigns, engine in evals:
        crit = store.conn.execute(
            "SELECT criterion_id, section, type, result, points, max_points, confidence,"
            " evidence, note FROM criterion_results WHERE evaluation_id = ? ORDER BY idx",
            [eid],
        ).fetchall()
        out.append(
            {
                "scorecard": {"name": name, "hash": shash},
                "total": total,
                "max": mx,
                "percent": percent,
                "auto_fail": bool(auto_fail),
                "campaigns": campaigns,
                "engine": engine,
                "criteria": [
                    {
                        "id": c[0],
                        "section": c[1],
                        "type": c[2],
                        "result": c[3],
                        "points": c[4],
                        "max_points": c[5],
                        "confidence": c[6],
                        "evidence": _loads(c[7], []),
                        "note": c[8],
                    }
                    for c in crit
                ],
            }
        )
    return out


def _flags(store: Store, ident: str) -> list[dict[str, Any]]:
    rows = store.conn.execute(
        "SELECT kind, severity, campaign, fact, message, evidence, confidence, status FROM flags"
        " WHERE interaction_id = ? ORDER BY created_at, id",
        [ident],
    ).fetchall()
    return [
        {
            "kind": r[0],
            "severity": r[1],
            "campaign": r[2],
            "fact": r[3],
            "message": r[4],
            "evidence": _loads(r[5], []),
            "confidence": r[6] if r[6] is not None else 1.0,
            "status": r[7] or "open",
        }
        for r in rows
    ]


def iter_interactions(store: Store) -> Iterator[dict[str, Any]]:
    for ident in store.interaction_ids():
        yield interaction_dict(store, ident)


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
