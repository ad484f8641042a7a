"""Everything a report shows, read from the store in a few bulk queries."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from qa.errors import ConfigError
from qa.store import Store
from qa.store.read import Selection, read_interactions
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
        }
        if v.latest is not None:
            ev = dict(vars(v.latest))  # shallow: the views are read-only here
            data.results[v.latest.id] = [dict(vars(c)) for c in ev.pop("criteria")]
            data.evaluations[v.id] = ev
        if v.flags:
            data.flags[v.id] = [dict(vars(f)) for f in v.flags]
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
