"""The machine-readable shape of an interaction (design.md), read from the store."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from json.encoder import encode_basestring  # C-accelerated where CPython has _json
from typing import Any

from qa.routing.decision import DECIDED
from qa.store import Store
from qa.store.read import (
    CriterionView,
    EvaluationView,
    InteractionView,
    Selection,
    TurnView,
    read_interactions,
)
from qa.vocabulary import FlagStatus, Status


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
        "work_type": item.routing["work_type"]["value"] if item.routing else None,
        "contact_reason": item.routing["contact_reason"]["value"] if item.routing else None,
        "routing": item.routing,
        "flags": [
            {
                "kind": f.kind,
                "severity": f.severity,
                "campaign": f.campaign,
                "fact": f.fact,
                "message": f.message,
                "evidence": f.evidence,
                "confidence": f.confidence if f.confidence is not None else 1.0,
                "status": f.status or FlagStatus.OPEN,
                **({"readings": f.readings} if f.readings else {}),
                **({"human": f.human} if f.human else {}),
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
                "human": c.human,  # a person's decision in force (qa serve), else null
            }
            for c in e.criteria
        ],
    }


def interaction_dict(store: Store, ident: str) -> dict[str, Any]:
    from qa.review.feedback import feedback_by_interaction

    found = read_interactions(store, Selection(ids=[ident]))
    if not found:
        raise KeyError(ident)
    acks, disputes = feedback_by_interaction(store, found[0].id)
    return {**as_dict(found[0]), **_feedback(found[0].id, acks, disputes)}


def _feedback(
    ident: str, acks: dict[str, list[Any]], disputes: dict[str, list[Any]]
) -> dict[str, Any]:
    """What the agent said back: acknowledgements and disputes (qa serve), oldest first."""
    return {"acknowledgements": acks.get(ident, []), "disputes": disputes.get(ident, [])}


def iter_interactions(store: Store) -> Iterator[dict[str, Any]]:
    from qa.journeys.read import flags_by_interaction
    from qa.review.feedback import feedback_by_interaction

    journey_flags = flags_by_interaction(store)
    acks, disputes = feedback_by_interaction(store)
    for item in read_interactions(store):
        shaped = as_dict(item)
        # Findings between contacts (repeats, two stories, promises) ride with the others.
        shaped["flags"].extend(journey_flags.get(item.id, ()))
        shaped.update(_feedback(item.id, acks, disputes))
        yield shaped


def review_sections(store: Store) -> dict[str, Any]:
    """The export's review key: disputes raised, upheld and overturned, per criterion and
    per analyst (as the review app counts them)."""
    from qa.review.feedback import dispute_counts

    return {"dispute_counts": dispute_counts(store)}


def journey_sections(store: Store) -> dict[str, Any]:
    """The export's journey keys: `journeys`, `identifier_conflicts`, `survey_gaming`,
    `effort_agreement`."""
    from qa.journeys import read

    return {
        "journeys": read.journeys(store),
        "identifier_conflicts": read.conflicts(store),
        "survey_gaming": read.summary(store).get("survey_gaming") or {},
        "effort_agreement": read.summary(store).get("effort_agreement") or {},
    }


def failure_sections(store: Store) -> dict[str, Any]:
    """The export's `failures` key: every input that failed and is not fixed (file, stage,
    reason, when), still there once a run's output is gone."""
    return {"failures": store.open_failures()}


def export_json(store: Store) -> str:
    """`{"interactions": [...]}`, byte for byte what `json.dumps(..., ensure_ascii=False,
    indent=2)` writes, but written as each interaction is shaped (no second copy of the
    whole export in memory) by one recursive function instead of the standard library's
    generator chain (which its C encoder does not cover when indenting)."""
    parts: list[str] = ['{\n  "interactions": [']
    sep = "\n    "
    for item in iter_interactions(store):
        parts.append(sep)
        _write_json(item, "\n    ", parts.append)
        sep = ",\n    "
    parts.append("\n  ]" if len(parts) > 1 else "]")
    sections = {**journey_sections(store), **review_sections(store), **failure_sections(store)}
    for key, value in sections.items():
        parts.append(f",\n  {encode_basestring(key)}: ")
        _write_json(value, "\n  ", parts.append)
    parts.append("\n}")
    return "".join(parts)


_INF = float("inf")


def _json_float(o: float) -> str:
    if o != o:
        return "NaN"
    if o == _INF:
        return "Infinity"
    if o == -_INF:
        return "-Infinity"
    return float.__repr__(o)


def _json_key(k: object) -> str:
    if isinstance(k, str):
        return k
    if k is True:
        return "true"
    if k is False:
        return "false"
    if k is None:
        return "null"
    if isinstance(k, float):
        return _json_float(k)
    if isinstance(k, int):
        return int.__repr__(k)
    raise TypeError(f"keys must be str, int, float, bool or None, not {k.__class__.__name__}")


def _write_json(o: object, pad: str, out: Callable[[str], object]) -> None:
    """Write `o` as indented JSON; `pad` is the newline and indent of the current level."""
    if isinstance(o, str):
        out(encode_basestring(o))
    elif o is None:
        out("null")
    elif o is True:
        out("true")
    elif o is False:
        out("false")
    elif isinstance(o, int):
        out(int.__repr__(o))
    elif isinstance(o, float):
        out(_json_float(o))
    elif isinstance(o, dict):
        if not o:
            out("{}")
            return
        inner = pad + "  "
        sep = "{" + inner
        for k, v in o.items():
            out(sep + encode_basestring(_json_key(k)) + ": ")
            _write_json(v, inner, out)
            sep = "," + inner
        out(pad + "}")
    elif isinstance(o, list | tuple):
        if not o:
            out("[]")
            return
        inner = pad + "  "
        sep = "[" + inner
        for v in o:
            out(sep)
            _write_json(v, inner, out)
            sep = "," + inner
        out(pad + "]")
    else:
        raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")


ROUTING_CSV = [
    *(f"{name}{part}" for name in DECIDED for part in ("", "_confidence", "_source")),
    "routing_rule",
]


def _routing_cells(item: InteractionView) -> list[Any]:
    r = item.routing
    if r is None:  # never routed: only the manifest's direction is known
        r = {name: {"value": None, "confidence": None, "source": None} for name in DECIDED}
        r["direction"]["value"] = item.direction
        r["rule"] = None
    cells: list[Any] = []
    for name in DECIDED:
        cells += [r[name]["value"], r[name]["confidence"], r[name]["source"]]
    return [*cells, r["rule"]]


# A person's decision in force on the criterion, the evaluation's acknowledgement, and the
# latest dispute of the criterion on that evaluation (qa serve); empty where there is none.
REVIEW_CSV = [
    "human_result",
    "human_by",
    "acknowledged_by",
    "acknowledged_at",
    "dispute_status",
    "disputed_by",
    "dispute_reason",
    "dispute_resolved_by",
    "dispute_resolution",
]


def _review_cells(
    c: CriterionView, ev: EvaluationView, acks: list[dict[str, Any]], disputes: list[dict[str, Any]]
) -> list[Any]:
    human = c.human or {}
    none: dict[str, Any] = {}
    ack = next((a for a in reversed(acks) if a["evaluation_id"] == ev.id), none)
    dispute = next(
        (d for d in reversed(disputes)
         if d["evaluation_id"] == ev.id and d["criterion"] == c.criterion_id),
        none,
    )  # fmt: skip
    return [
        human.get("result"),
        human.get("by"),
        ack.get("by"),
        ack.get("at"),
        dispute.get("status"),
        dispute.get("by"),
        dispute.get("reason"),
        dispute.get("resolved_by"),
        dispute.get("resolution"),
    ]


CSV_COLUMNS = [
    "interaction_id",
    "source",
    "channel",
    "agent_id",
    "agent_name",
    "team",
    "started_at",
    "status",
    "reason",  # why the interaction failed or is held for review; or why a file failed
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
    *ROUTING_CSV,
    *REVIEW_CSV,
]


def export_csv(store: Store) -> str:
    """One row per evaluation and criterion; an interaction not yet scored gets one row.

    Written from the read models directly; turns are not read, the rows do not carry them."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    from qa.review.feedback import feedback_by_interaction

    empty = [None] * (len(CSV_COLUMNS) - 9 - len(ROUTING_CSV) - len(REVIEW_CSV))
    unreviewed = [None] * len(REVIEW_CSV)
    acks, disputes = feedback_by_interaction(store)
    for item in read_interactions(store, Selection(turns=False)):
        base = [
            item.id,
            item.source,
            item.channel,
            item.agent_id,
            item.agent_name,
            item.team,
            item.started_at,
            item.status,
            item.error,
        ]
        routed = _routing_cells(item)
        if not item.evaluations:
            writer.writerow(base + empty + routed + unreviewed)
        for ev in item.evaluations:
            head = base + [
                ev.scorecard,
                ev.scorecard_hash,
                ev.total,
                ev.max,
                ev.percent,
                bool(ev.auto_fail),
            ]
            for c in ev.criteria:
                first = c.evidence[0] if c.evidence else {}
                writer.writerow(
                    head
                    + [
                        c.criterion_id,
                        c.section,
                        c.type,
                        c.result,
                        c.points,
                        c.max_points,
                        c.confidence,
                        first.get("quote"),
                        first.get("start"),
                    ]
                    + routed
                    + _review_cells(c, ev, acks.get(item.id, []), disputes.get(item.id, []))
                )
    # A file that failed before it became an interaction: one row with its reason.
    none = [None] * (len(CSV_COLUMNS) - 9)
    for f in store.open_failures():
        if f["stage"] != "transcribe":  # a recording's failure rides on its own row above
            head = [None, f["source"], None, None, None, None, None, Status.FAILED, f["reason"]]
            writer.writerow(head + none)
    return buf.getvalue()
