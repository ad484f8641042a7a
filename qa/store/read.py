"""The one read path: interactions with their turns, evaluations, criterion results and
flags, read in bulk into typed read models. show, export, report and calibrate all read
through here.

A selection (ids, agent, team, dates, statuses) is resolved once into a temporary table;
then each table is read with one query. The number of queries does not grow with the
number of interactions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from qa.routing.decision import DECIDED
from qa.store.connection import Connection


def _loads(value: str | None, default: Any) -> Any:
    return json.loads(value) if value else default


@dataclass
class CriterionView:
    evaluation_id: str
    criterion_id: str
    idx: int
    section: str | None
    type: str
    result: str
    points: float
    max_points: float
    confidence: float | None
    evidence: list[dict[str, Any]]
    note: str | None
    details: dict[str, Any] | None
    # A person's decision in force, laid over the automatic result (qa.review.decisions).
    human: dict[str, Any] | None = None


@dataclass
class EvaluationView:
    id: str
    interaction_id: str
    scorecard_hash: str
    scorecard: str | None  # the scorecard's name
    total: float
    max: float
    percent: float
    auto_fail: int
    passed: int
    created_at: str
    campaigns_hash: str | None
    engine: str | None
    criteria: list[CriterionView] = field(default_factory=list)
    human: bool = False  # some result was decided by a person: the totals follow it


@dataclass
class FlagView:
    id: str
    interaction_id: str
    kind: str
    severity: str
    campaign: str | None
    fact: str | None
    message: str
    evidence: list[dict[str, Any]]
    created_at: str
    confidence: float | None
    status: str | None
    # A call's evidence span as first heard and as decoded again before flagging.
    readings: list[dict[str, Any]] = field(default_factory=list)
    human: dict[str, Any] | None = None  # a person's decision in force (qa.review.decisions)


@dataclass
class TurnView:
    role: str
    speaker: str | None
    start: float
    end: float
    text: str
    words: list[dict[str, Any]]
    meta: dict[str, Any]


@dataclass
class InteractionView:
    id: str
    channel: str
    source: str
    agent_id: str | None
    agent_name: str | None
    team: str | None  # the interaction's own team, else the agent's
    campaign: str | None
    customer_id: str | None
    case_id: str | None
    direction: str | None
    started_at: str | None
    duration: float | None
    language: str | None
    status: str
    error: str | None
    metadata: dict[str, Any]  # metrics included, under "metrics"
    turns: list[TurnView] = field(default_factory=list)
    evaluations: list[EvaluationView] = field(default_factory=list)  # oldest first
    flags: list[FlagView] = field(default_factory=list)
    # What kind of contact it is and which rule chose its scorecards (None: never routed).
    routing: dict[str, Any] | None = None

    @property
    def metrics(self) -> dict[str, Any]:
        return dict(self.metadata.get("metrics") or {})

    @property
    def latest(self) -> EvaluationView | None:
        return self.evaluations[-1] if self.evaluations else None


@dataclass
class Selection:
    """Which interactions to read. Every filter given must hold."""

    ids: list[str] | None = None
    agent: str | None = None
    team: str | None = None
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None  # YYYY-MM-DD, inclusive
    exclude_statuses: tuple[str, ...] = ()
    scorecard_hash: str | None = None  # only evaluations with this card
    turns: bool = True
    words: bool = True
    human: bool = True  # lay people's decisions over the automatic results


def _select(store: Connection, sel: Selection) -> None:
    """Fill the temporary table _sel with the selected ids."""
    conn = store.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _sel (id TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM _sel")
    clauses: list[str] = []
    params: list[Any] = []
    if sel.ids is not None:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS _ids (id TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM _ids")
        conn.executemany("INSERT OR IGNORE INTO _ids VALUES (?)", [(i,) for i in sel.ids])
        clauses.append("i.id IN (SELECT id FROM _ids)")
    if sel.agent:
        clauses.append("i.agent_id = ?")
        params.append(sel.agent)
    if sel.team:
        clauses.append("coalesce(i.team, a.team) = ?")
        params.append(sel.team)
    if sel.since:
        clauses.append("substr(i.started_at, 1, 10) >= ?")
        params.append(sel.since)
    if sel.until:
        clauses.append("substr(i.started_at, 1, 10) <= ?")
        params.append(sel.until)
    if sel.exclude_statuses:
        clauses.append(f"i.status NOT IN ({','.join('?' * len(sel.exclude_statuses))})")
        params.extend(sel.exclude_statuses)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    conn.execute(
        "INSERT INTO _sel SELECT i.id FROM interactions i"
        f" LEFT JOIN agents a ON a.id = i.agent_id{where}",
        params,
    )


ROUTING_COLUMNS = (
    "interaction_id",
    "work_type",
    "work_type_confidence",
    "work_type_source",
    "direction",
    "direction_confidence",
    "direction_source",
    "contact_reason",
    "contact_reason_confidence",
    "contact_reason_source",
    "evidence",
    "rule",
    "rule_line",
    "undecided",
    "reason",
    "scorecards",
    "routing_file",
    "routing_hash",
    "route_key",
    "created_at",
)


def routing_dict(row: Any) -> dict[str, Any]:
    """A stored routing row (columns in m010's order) as the export shapes it."""
    r = dict(zip(ROUTING_COLUMNS, row, strict=False))
    return {
        **{
            name: {
                "value": r[name],
                "confidence": r[f"{name}_confidence"],
                "source": r[f"{name}_source"],
            }
            for name in DECIDED
        },
        "evidence": _loads(r["evidence"], []),
        "rule": r["rule"],
        "rule_line": r["rule_line"],
        "undecided": bool(r["undecided"]),
        "reason": r["reason"],
        "scorecards": _loads(r["scorecards"], []),
        "routing_file": r["routing_file"],
        "routing_hash": r["routing_hash"],
    }


# The values a selection's agent and team filters can match, as _select matches them.
_KNOWN = {
    "agent": "SELECT DISTINCT i.agent_id FROM interactions i WHERE i.agent_id IS NOT NULL",
    "team": "SELECT DISTINCT coalesce(i.team, a.team) FROM interactions i"
    " LEFT JOIN agents a ON a.id = i.agent_id WHERE coalesce(i.team, a.team) IS NOT NULL",
}


def known_values(store: Connection, field: str) -> list[str]:
    """Every agent id (field "agent") or team ("team") that some interaction has, sorted."""
    return sorted(r[0] for r in store.conn.execute(_KNOWN[field]))


def unknown_filters(store: Connection, sel: Selection) -> list[tuple[str, str, list[str]]]:
    """The agent and team filters of `sel` that no interaction has, each as (field, value,
    the values known): a name the database has never seen is a mistake, not an empty set."""
    out = []
    for name, value in (("agent", sel.agent), ("team", sel.team)):
        if value is not None:
            known = known_values(store, name)
            if value not in known:
                out.append((name, value, known))
    return out


def read_interactions(store: Connection, sel: Selection | None = None) -> list[InteractionView]:
    """The selected interactions, ordered by id, with everything stored about them, all read
    from one state of the database: a `qa score` committing meanwhile (an evaluation between
    the read of evaluations and the read of their criteria) is seen whole or not at all."""
    with store.snapshot():
        return _read_interactions(store, sel or Selection())


def _read_interactions(store: Connection, sel: Selection) -> list[InteractionView]:
    _select(store, sel)
    conn = store.conn
    items: dict[str, InteractionView] = {}
    for r in conn.execute(
        "SELECT i.id, i.channel, i.source, i.agent_id, a.name, coalesce(i.team, a.team),"
        " i.campaign, i.customer_id, i.case_id, i.direction, i.started_at, i.duration,"
        " i.language, i.status, i.error, i.metadata FROM interactions i"
        " LEFT JOIN agents a ON a.id = i.agent_id WHERE i.id IN (SELECT id FROM _sel)"
        " ORDER BY i.id"
    ):
        items[r[0]] = InteractionView(*[*r[:15], _loads(r[15], {})])
    card = " AND e.scorecard_hash = ?" if sel.scorecard_hash else ""
    card_params = [sel.scorecard_hash] if sel.scorecard_hash else []
    evaluations: dict[str, EvaluationView] = {}
    for r in conn.execute(
        "SELECT e.id, e.interaction_id, e.scorecard_hash, s.name, e.total, e.max, e.percent,"
        " e.auto_fail, e.passed, e.created_at, e.campaigns_hash, e.engine FROM evaluations e"
        " LEFT JOIN scorecards s ON s.hash = e.scorecard_hash"
        f" WHERE e.interaction_id IN (SELECT id FROM _sel){card}"
        " ORDER BY e.created_at, e.rowid",
        card_params,
    ):
        ev = EvaluationView(*r)
        evaluations[ev.id] = ev
        items[ev.interaction_id].evaluations.append(ev)
    for r in conn.execute(
        "SELECT c.evaluation_id, c.criterion_id, c.idx, c.section, c.type, c.result, c.points,"
        " c.max_points, c.confidence, c.evidence, c.note, c.details FROM criterion_results c"
        " JOIN evaluations e ON e.id = c.evaluation_id"
        f" WHERE e.interaction_id IN (SELECT id FROM _sel){card} ORDER BY c.evaluation_id, c.idx",
        card_params,
    ):
        evaluations[r[0]].criteria.append(
            CriterionView(*[*r[:9], _loads(r[9], []), r[10], _loads(r[11], None)])
        )
    for r in conn.execute(
        "SELECT id, interaction_id, kind, severity, campaign, fact, message, evidence, created_at,"
        " confidence, status, readings FROM flags WHERE interaction_id IN (SELECT id FROM _sel)"
        " ORDER BY created_at, id"
    ):
        items[r[1]].flags.append(FlagView(*[*r[:7], _loads(r[7], []), *r[8:11], _loads(r[11], [])]))
    for r in conn.execute(
        f"SELECT {', '.join(ROUTING_COLUMNS)} FROM routings"
        " WHERE interaction_id IN (SELECT id FROM _sel)"
    ).fetchall():
        items[r[0]].routing = routing_dict(r)
    if sel.human:
        from qa.review.decisions import overlay

        overlay(conn, items)
    if sel.turns:
        words = "words" if sel.words else "NULL"
        row: Any
        for row in conn.execute(
            f"SELECT interaction_id, role, speaker, start, end, text, {words}, meta FROM turns"
            " WHERE interaction_id IN (SELECT id FROM _sel) ORDER BY interaction_id, idx"
        ):
            role, speaker, start, end, text = row[1:6]
            turn = TurnView(role, speaker, start, end, text, _loads(row[6], []), _loads(row[7], {}))
            items[row[0]].turns.append(turn)
    return list(items.values())
