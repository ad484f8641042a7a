"""Everything a report shows, read from the store in a few bulk queries."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import yaml

from qa.errors import ConfigError
from qa.store import Store
from qa.vocabulary import Status


@dataclass
class Filters:
    agent: str | None = None
    team: str | None = None
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None  # YYYY-MM-DD, inclusive


@dataclass
class ReportData:
    interactions: dict[str, dict[str, Any]]
    evaluations: dict[str, dict[str, Any]]  # interaction id -> its latest evaluation
    results: dict[str, list[dict[str, Any]]]  # evaluation id -> criterion results
    flags: dict[str, list[dict[str, Any]]]  # interaction id -> flags
    criteria: dict[
        tuple[str, str], dict[str, Any]
    ]  # (scorecard hash, criterion id) -> name, coaching
    turns: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _where(filters: Filters) -> tuple[str, list[Any]]:
    clauses: list[str] = ["i.status NOT IN (?, ?)"]
    params: list[Any] = [Status.REGISTERED, Status.FAILED]
    if filters.agent:
        clauses.append("i.agent_id = ?")
        params.append(filters.agent)
    if filters.team:
        clauses.append("coalesce(i.team, a.team) = ?")
        params.append(filters.team)
    if filters.since:
        clauses.append("substr(i.started_at, 1, 10) >= ?")
        params.append(filters.since)
    if filters.until:
        clauses.append("substr(i.started_at, 1, 10) <= ?")
        params.append(filters.until)
    return " AND ".join(clauses), params


def load_report_data(store: Store, filters: Filters, with_turns: bool = True) -> ReportData:
    where, params = _where(filters)
    store.conn.execute("CREATE TEMP TABLE IF NOT EXISTS _report (id TEXT PRIMARY KEY)")
    store.conn.execute("DELETE FROM _report")
    store.conn.execute(
        "INSERT INTO _report SELECT i.id FROM interactions i LEFT JOIN agents a ON a.id = i.agent_id"
        f" WHERE {where}",
        params,
    )
    interactions = {
        r["id"]: {**r, "metadata": json.loads(r["metadata"]) if r["metadata"] else {}}
        for r in store.db.query(
            "SELECT i.*, a.name AS agent_name, coalesce(i.team, a.team) AS agent_team"
            " FROM interactions i LEFT JOIN agents a ON a.id = i.agent_id"
            " WHERE i.id IN (SELECT id FROM _report)"
        )
    }
    evaluations: dict[str, dict[str, Any]] = {}
    for r in store.db.query(
        "SELECT e.*, s.name AS scorecard FROM evaluations e LEFT JOIN scorecards s"
        " ON s.hash = e.scorecard_hash WHERE e.interaction_id IN (SELECT id FROM _report)"
        " ORDER BY e.created_at"
    ):
        evaluations[r["interaction_id"]] = r  # the latest wins
    wanted = {e["id"] for e in evaluations.values()}
    results: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in store.db.query(
        "SELECT * FROM criterion_results WHERE evaluation_id IN (SELECT e.id FROM evaluations e"
        " WHERE e.interaction_id IN (SELECT id FROM _report)) ORDER BY evaluation_id, idx"
    ):
        if r["evaluation_id"] in wanted:
            r["evidence"] = json.loads(r["evidence"]) if r["evidence"] else []
            results[r["evaluation_id"]].append(r)
    flags: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in store.db.query(
        "SELECT * FROM flags WHERE interaction_id IN (SELECT id FROM _report) ORDER BY created_at"
    ):
        r["evidence"] = json.loads(r["evidence"]) if r["evidence"] else []
        flags[r["interaction_id"]].append(r)
    data = ReportData(interactions, evaluations, dict(results), dict(flags), _criteria(store))
    if with_turns:
        turns: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in store.db.query(
            "SELECT interaction_id, role, start, end, text FROM turns"
            " WHERE interaction_id IN (SELECT id FROM _report) ORDER BY interaction_id, idx"
        ):
            turns[r["interaction_id"]].append(r)
        data.turns = dict(turns)
    return data


def _criteria(store: Store) -> dict[tuple[str, str], dict[str, Any]]:
    """Names and coaching texts of every stored scorecard version's criteria."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for row in store.db.query("SELECT hash, name, yaml FROM scorecards"):
        try:
            card = yaml.safe_load(row["yaml"]) or {}
        except yaml.YAMLError as exc:  # stored after it validated: the database is damaged
            raise ConfigError(
                f"the stored scorecard {row['name']!r} ({row['hash']}) does not parse: {exc}"
            ) from exc
        for section in card.get("sections") or []:
            for c in section.get("criteria") or []:
                if isinstance(c, dict) and "id" in c:
                    out[(row["hash"], c["id"])] = {
                        "name": c.get("name") or c["id"],
                        "coaching": c.get("coaching") or c.get("description") or "",
                        "scorecard": row["name"],
                    }
    return out
