"""The stored journeys as plain data: for `qa journeys`, the export and the reports."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from qa.store import Store
from qa.vocabulary import FlagStatus


def _loads(text: str | None, default: Any) -> Any:
    return json.loads(text) if text else default


def built(store: Store) -> bool:
    row = store.conn.execute("SELECT 1 FROM journey_summary WHERE key = 'built_at'").fetchone()
    return row is not None


def summary(store: Store) -> dict[str, Any]:
    return {
        k: _loads(v, None) for k, v in store.conn.execute("SELECT key, value FROM journey_summary")
    }


def flag_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    """A journey flag in the export's flag shape (kind, severity, message, evidence), with the
    other contact named (`other`, and `earlier` for repeats) and both quotes as evidence."""
    (fid, jid, iid, other, kind, severity, message, quote, turn, oquote, oturn, details) = row
    details = _loads(details, {})
    evidence: list[dict[str, Any]] = []
    if quote:
        evidence.append({"quote": quote, "turn": turn})
    if other:
        evidence.append({"interaction_id": other, "quote": oquote, "turn": oturn})
    out: dict[str, Any] = {
        "kind": kind,
        "severity": severity,
        # A two-stories flag that a campaign fact decided names that campaign.
        "campaign": (details.get("known_fact") or {}).get("campaign"),
        "fact": details.get("fact"),
        "message": message,
        "evidence": evidence,
        "confidence": 1.0,
        "status": FlagStatus.OPEN,
        "journey_id": jid,
        "turn": turn,
        "other": other,
        "details": details,
    }
    if kind == "repeat_contact":
        out["earlier"] = other
    return out


_FLAG_COLUMNS = (
    "id, journey_id, interaction_id, other_interaction_id, kind, severity, message, quote, turn,"
    " other_quote, other_turn, details"
)


def flags_by_interaction(store: Store) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in store.conn.execute(
        f"SELECT {_FLAG_COLUMNS} FROM journey_flags ORDER BY interaction_id, kind, id"
    ):
        out[row[2]].append(flag_dict(row))
    return out


def conflicts(store: Store) -> list[dict[str, Any]]:
    return [
        {
            "identifier": kind,
            "value": value,
            "customer_ids": _loads(ids, []),
            "interactions": _loads(inter, []),
            "note": note,
        }
        for kind, value, ids, inter, note in store.conn.execute(
            "SELECT kind, value, customer_ids, interactions, note FROM identifier_conflicts"
            " ORDER BY kind, value"
        )
    ]


def customer_links(store: Store, key: str) -> list[dict[str, Any]]:
    return [
        {"kind": k, "value": v, "origins": _loads(o, []), "interactions": _loads(i, [])}
        for k, v, o, i in store.conn.execute(
            "SELECT kind, value, origins, interactions FROM customer_identifiers"
            " WHERE customer = ? ORDER BY kind, value",
            [key],
        )
    ]


def journeys(store: Store, customer: str | None = None) -> list[dict[str, Any]]:
    """Every journey (or one customer's), first contact first, with its contacts, repeats
    and flags."""
    conn = store.conn
    where, params = ("WHERE j.customer = ?", [customer]) if customer else ("", [])
    rows = conn.execute(
        "SELECT j.id, j.customer, j.reason, j.first_at, j.last_at, j.contacts,"
        " j.customer_contacts, j.channels, j.switches, j.hours, j.fcr, j.resolved, j.effort,"
        f" j.linked_by FROM journeys j {where} ORDER BY j.first_at, j.id",
        params,
    ).fetchall()
    if not rows:
        return []
    ids = [r[0] for r in rows]
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _jsel (id TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM _jsel")
    conn.executemany("INSERT INTO _jsel VALUES (?)", [(i,) for i in ids])
    contacts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in conn.execute(
        "SELECT c.journey_id, c.interaction_id, i.source, i.channel, i.started_at, i.agent_id,"
        " coalesce(i.team, a.team), c.initiated_by, c.outcome, c.outcome_turn, c.outcome_cue,"
        " c.repeat_of, c.effort, c.effort_parts, c.position,"
        " (SELECT r.work_type FROM routings r WHERE r.interaction_id = c.interaction_id"
        " ORDER BY r.rowid DESC LIMIT 1) FROM journey_contacts c"
        " JOIN interactions i ON i.id = c.interaction_id LEFT JOIN agents a ON a.id = i.agent_id"
        " WHERE c.journey_id IN (SELECT id FROM _jsel) ORDER BY c.journey_id, c.position"
    ):
        contacts[r[0]].append(
            {
                "interaction_id": r[1],
                "source": r[2],
                "channel": r[3],
                "started_at": r[4],
                "agent": r[5],
                "team": r[6],
                "initiated_by": r[7],
                "outcome": r[8],
                "outcome_evidence": {"turn": r[9], "cue": r[10]} if r[10] else None,
                "repeat_of": r[11],
                "effort": r[12],
                "effort_parts": _loads(r[13], {}),
                "work_type": r[15],
            }
        )
    flags: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in conn.execute(
        f"SELECT {_FLAG_COLUMNS} FROM journey_flags WHERE journey_id IN (SELECT id FROM _jsel)"
        " ORDER BY journey_id, kind, id"
    ):
        flag = flag_dict(row)
        flag["interaction_id"] = row[2]
        flags[row[1]].append(flag)
    out = []
    for r in rows:
        jid = r[0]
        members = contacts.get(jid, [])
        out.append(
            {
                "id": jid,
                "customer": r[1],
                "reason": r[2],
                "first_at": r[3],
                "last_at": r[4],
                "contacts": members,
                "customer_contacts": r[6],
                "channels": _loads(r[7], []),
                "switches": r[8],
                "hours": r[9],
                "fcr": None if r[10] is None else bool(r[10]),
                "resolved": bool(r[11]),
                "effort": r[12],
                "repeats": [
                    {"contact": c["interaction_id"], "earlier": c["repeat_of"]}
                    for c in members
                    if c["repeat_of"]
                ],
                "flags": [f for f in flags.get(jid, []) if f["kind"] != "repeat_contact"],
                "linked_by": _loads(r[13], []),
                "unlinked": r[1] is None,
            }
        )
    return out
