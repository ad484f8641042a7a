"""Everything a report shows, read from the store in a few bulk queries."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from qa.errors import ConfigError
from qa.store import Store
from qa.store.read import EvaluationView, InteractionView, Selection, read_interactions
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
    # interaction id -> the other evaluations its route gave (a compliance card beside the
    # card of its work type); they count for coaching, not for the interaction's score.
    extra: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def load_report_data(store: Store, filters: Filters, with_turns: bool = True) -> ReportData:
    """The report's view of the store, read through the one read path."""
    views = read_interactions(
        store,
        Selection(
            agent=filters.agent,
            team=filters.team,
            since=filters.since,
            until=filters.until,
            exclude_statuses=(Status.REGISTERED, Status.FAILED),
            turns=with_turns,
            words=False,
        ),
    )
    data = ReportData({}, {}, {}, {}, _criteria(store))
    for v in views:
        data.interactions[v.id] = {
            "id": v.id,
            "channel": v.channel,
            "source": v.source,
            "agent_id": v.agent_id,
            "agent_name": v.agent_name,
            "team": v.team,
            "agent_team": v.team,
            "campaign": v.campaign,
            "customer_id": v.customer_id,
            "case_id": v.case_id,
            "direction": v.direction,
            "started_at": v.started_at,
            "duration": v.duration,
            "language": v.language,
            "status": v.status,
            "error": v.error,
            "metadata": v.metadata,
            "work_type": v.routing["work_type"]["value"] if v.routing else None,
            "routing": v.routing,
        }
        primary, others = _current(v)
        if primary is not None:
            ev = dict(vars(primary))  # shallow: the views are read-only here
            data.results[primary.id] = [dict(vars(c)) for c in ev.pop("criteria")]
            data.evaluations[v.id] = ev
        for other in others:
            ev = dict(vars(other))
            data.results[other.id] = [dict(vars(c)) for c in ev.pop("criteria")]
            data.extra.setdefault(v.id, []).append(ev)
        if v.flags:
            # A flag a person dismissed (qa serve) is not a finding any more.
            data.flags[v.id] = [dict(vars(f)) for f in v.flags if f.status != "dismissed"]
        if with_turns:
            data.turns[v.id] = [
                {
                    "interaction_id": v.id,
                    "role": t.role,
                    "start": t.start,
                    "end": t.end,
                    "text": t.text,
                }
                for t in v.turns
            ]
    return data


def _current(v: InteractionView) -> tuple[EvaluationView | None, list[EvaluationView]]:
    """The evaluation that gives the interaction its score, and the others its route gave.

    Unrouted: the latest evaluation. Routed: the evaluations by the cards of its latest
    route; the last card named (the rule's own, after any `always` card) gives the score.
    """
    if not v.routing:
        return v.latest, []
    latest: dict[str, EvaluationView] = {e.scorecard_hash: e for e in v.evaluations}
    current = [latest[c["hash"]] for c in v.routing["scorecards"] if c["hash"] in latest]
    if not current:
        return v.latest, []
    return current[-1], current[:-1]


def _criteria(store: Store) -> dict[tuple[str, str], dict[str, Any]]:
    """Names and coaching texts of every stored scorecard version's criteria."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for row in store.db.query("SELECT hash, name, yaml, definition FROM scorecards"):
        # The validated scorecard, stored when it scored; YAML only for rows stored before.
        card = json.loads(row["definition"]) if row["definition"] else _legacy_yaml(row)
        for section in card.get("sections") or []:
            for c in section.get("criteria") or []:
                if isinstance(c, dict) and "id" in c:
                    out[(row["hash"], c["id"])] = {
                        "work_types": (c.get("applies_when") or {}).get("work_types"),
                        "name": c.get("name") or c["id"],
                        "coaching": c.get("coaching") or c.get("description") or "",
                        "scorecard": row["name"],
                    }
    return out


def _legacy_yaml(row: dict[str, Any]) -> dict[str, Any]:
    try:
        card = yaml.safe_load(row["yaml"]) or {}
    except yaml.YAMLError as exc:  # stored after it validated: the database is damaged
        raise ConfigError(
            f"the stored scorecard {row['name']!r} ({row['hash']}) does not parse: {exc}"
        ) from exc
    return dict(card)
