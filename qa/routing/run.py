"""Routing over the store: decide what kind of contact each interaction is, pick its
scorecards by the routing file, and keep the decision (for `qa route`, show, export and
the reports).

A decision is kept with the key it was made on (the routing file, the cards it names,
the interaction's content and metadata), so a resumed `qa score --routing` reuses it
instead of deciding again, and a changed manifest or routing file decides anew.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.model import Interaction
from qa.routing.decision import DECIDED, WorkTypeDecision
from qa.routing.rules import Route, Routing
from qa.store import Store, content_id

if TYPE_CHECKING:
    from qa.config import Config
    from qa.scorecard.load import LoadedScorecard


@dataclass
class Routed:
    item: Interaction
    decision: WorkTypeDecision
    route: Route

    def as_dict(self) -> dict[str, Any]:
        """The stable shape `qa route --json` prints, one per interaction."""
        return {
            "id": self.item.id,
            "source": self.item.source,
            "channel": self.item.channel,
            **self.decision.as_dict(),
            **self.route.as_dict(),
        }


def route_key(routing: Routing, inputs: list[Any]) -> str:
    return content_id("route", routing.hash, inputs)


def decide_routes(
    store: Store, items: list[Interaction], routing: Routing, save: bool = True
) -> list[Routed]:
    """Decide and route these interactions (one batch: the model embeds once), and keep the
    decisions unless `save` is off (`qa route` explains; scoring keeps what it scored by)."""
    from qa.routing.detect import decide

    if not items:
        return []
    decisions = decide(items, routing.taxonomy)
    routed = [Routed(i, d, routing.route(i, d)) for i, d in zip(items, decisions, strict=True)]
    if not save:
        return routed
    inputs = store.routing_inputs([i.id for i in items])
    store.save_routes([_row(r, routing, route_key(routing, inputs[r.item.id])) for r in routed])
    return routed


def _row(r: Routed, routing: Routing, key: str) -> dict[str, Any]:
    d = r.decision
    row: dict[str, Any] = {"interaction_id": r.item.id}
    for name in DECIDED:
        decided = getattr(d, name)
        row[name] = decided.value
        row[f"{name}_confidence"] = decided.confidence
        row[f"{name}_source"] = str(decided.source)
    row.update(
        evidence=[c.__dict__ for c in d.evidence],
        rule=r.route.rule,
        rule_line=r.route.line,
        undecided=int(r.route.undecided),
        reason=r.route.reason,
        scorecards=[{"name": c.scorecard.name, "hash": c.hash} for c in r.route.scorecards],
        routing_file=str(routing.path),
        routing_hash=routing.hash,
        route_key=key,
    )
    return row


def plan(
    store: Store, ids: list[str], routing: Routing, redo: bool = False
) -> dict[str, list[LoadedScorecard]]:
    """Per interaction, the scorecards its route gives: the stored route where it was made
    on the same inputs (unless `redo`), else a new decision."""
    by_hash = {c.hash: c for c in routing.cards.values()}
    stored = store.stored_routes(ids)
    inputs = store.routing_inputs(ids)
    out: dict[str, list[LoadedScorecard]] = {}
    fresh: list[str] = []
    for ident in ids:
        was = stored.get(ident)
        if (
            not redo
            and was is not None
            and was["key"] == route_key(routing, inputs.get(ident, []))
            and all(h in by_hash for h in was["cards"])
        ):
            out[ident] = [by_hash[h] for h in was["cards"]]
        else:
            fresh.append(ident)
    for r in decide_routes(store, store.load_interactions(fresh), routing):
        out[r.item.id] = r.route.scorecards
    return out


def apply_routes(store: Store, items: list[Interaction]) -> None:
    """Give each interaction the work type (and, where the metadata left it open, the
    direction) that routing decided, so that a criterion's `applies_when` can test them."""
    stored = store.stored_routes([i.id for i in items])
    for item in items:
        was = stored.get(item.id)
        if was is None:
            continue
        item.work_type = was["work_type"]
        if item.direction is None:
            item.direction = was["direction"]


def interactions_under(
    store: Store, config: Config, paths: list[Path], manifest: Path | None = None
) -> list[str]:
    """The stored interactions read from files under these paths, ingesting first only the
    files the database has never read (a file already read keeps its metadata and its
    transcript: routing never re-reads it under another manifest)."""
    from qa.ingest.batch import discover, ingest

    files, manifests = discover(paths)
    known = {
        Path(r[0]).resolve()
        for table in ("interactions", "email_messages")
        for r in store.conn.execute(f"SELECT source FROM {table}")
    }
    new = [f for f in files if f.resolve() not in known]
    ingested: list[str] = []
    if new:
        found = manifest or (manifests[0] if len(manifests) == 1 else None)
        ingested = ingest(new, store, config, found).interaction_ids
    roots = [p.resolve() for p in paths]
    out = []
    for ident, source in store.conn.execute("SELECT id, source FROM interactions ORDER BY id"):
        where = Path(source).resolve()
        if ident in ingested or any(where == r or r in where.parents for r in roots):
            out.append(ident)
    return out
