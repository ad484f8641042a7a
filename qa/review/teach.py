"""Decisions teach: a trainer adopts a person's decision, with one action, as an example on
its criterion (qa.scorecard.adopt writes it into the card file). The next `qa rescore`
applies it, `qa scorecard test` keeps it passing, and the app shows how agreement with
people's decisions moved after each adoption."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.errors import QAError
from qa.review.audit import record
from qa.review.decisions import ReviewError
from qa.store import Store, now
from qa.store.read import Selection, read_interactions


@dataclass
class _Ruling:
    """A decision in the shape qa.scorecard.adopt.propose reads (a calibration disagreement)."""

    interaction_id: str
    criterion: str
    machine: str
    human: str
    comment: str
    evidence: list[dict[str, Any]]


def find_card(folder: Path, scorecard: str | None, criterion: str) -> Path:
    """The card file in `folder` with this name (else the one with this criterion)."""
    from qa.scorecard.load import load_scorecard

    with_criterion = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            card = load_scorecard(path)
        except QAError:
            continue
        if criterion not in {c.id for _, c in card.scorecard.criteria()}:
            continue
        if card.scorecard.name == scorecard:
            return path
        with_criterion.append(path)
    if len(with_criterion) == 1:
        return with_criterion[0]
    raise ReviewError(f"no single card in {folder} has the criterion {criterion!r}")


def proposal(store: Store, decision: dict[str, Any], folder: Path) -> dict[str, Any]:
    """What adopting a decision would write: the card, the kind and the sentences; or why
    it cannot be adopted."""
    from qa.scorecard.adopt import propose
    from qa.scorecard.load import load_scorecard

    if decision["target"] != "criterion":
        return {"ok": False, "why": "flags are ruled on in campaign files, not scorecards"}
    if decision["machine"] == decision["human"]:
        return {"ok": False, "why": "a confirmed result teaches nothing new"}
    items = read_interactions(store, Selection(ids=[decision["interaction_id"]], human=False))
    if not items or items[0].latest is None:
        return {"ok": False, "why": "the contact has no evaluation"}
    item = items[0]
    found = next(
        (
            (ev, c)
            for ev in reversed(item.evaluations)
            for c in ev.criteria
            if c.criterion_id == decision["target_key"]
        ),
        None,
    )
    if found is None:
        return {"ok": False, "why": "the criterion is no longer scored"}
    ev, c = found
    try:
        path = find_card(folder, ev.scorecard, c.criterion_id)
        card = load_scorecard(path)
    except QAError as exc:
        return {"ok": False, "why": str(exc)}
    ruling = _Ruling(
        item.id, c.criterion_id, decision["machine"], decision["human"],
        decision["comment"] or "", c.evidence,
    )  # fmt: skip
    adoptions, skipped = propose([ruling], card, lambda _: item.turns)
    if not adoptions:
        return {"ok": False, "why": "; ".join(skipped) or "nothing to adopt"}
    return {"ok": True, "path": path, "adoptions": adoptions, "kind": adoptions[0].kind}


def machine_agreement(store: Store) -> tuple[float | None, int]:
    """How often the machine's current result agrees with people's decisions in force."""
    decided = {
        (r["interaction_id"], r["target_key"]): r["human"]
        for r in store.db.query(
            "SELECT d.interaction_id, d.target_key, d.human FROM decisions d"
            " JOIN interactions i ON i.id = d.interaction_id WHERE d.target = 'criterion'"
            " AND d.superseded_by IS NULL AND d.content IS i.content"
        )
    }
    if not decided:
        return None, 0
    ids = sorted({k[0] for k in decided})
    agree = total = 0
    for item in read_interactions(store, Selection(ids=ids, turns=False, human=False)):
        if item.latest is None:
            continue
        for c in item.latest.criteria:
            want = decided.get((item.id, c.criterion_id))
            if want is not None:
                total += 1
                agree += c.result == want
    return (agree / total if total else None), total


def adopt_decision(store: Store, decision: dict[str, Any], username: str, folder: Path) -> int:
    """Write the decision's example into its card; returns how many examples were new."""
    from qa.scorecard.adopt import adopt

    plan = proposal(store, decision, folder)
    if not plan["ok"]:
        raise ReviewError(f"cannot adopt this decision: {plan['why']}")
    before, _ = machine_agreement(store)
    added = adopt(plan["path"], plan["adoptions"])
    with store.transaction() as conn:
        for a in plan["adoptions"]:
            conn.execute(
                "INSERT INTO adoptions (id, decision_id, username, kind, target, file, sentence,"
                " agreement_before, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [uuid.uuid4().hex[:16], decision["id"], username, a.kind, a.criterion,
                 str(plan["path"]), a.sentence, before, now()],
            )  # fmt: skip
            record(conn, username, "adopt", f"{plan['path'].name} {a.criterion}", None,
                   f"{a.kind} example", a.sentence)  # fmt: skip
    return added


def adoptions(store: Store) -> list[dict[str, Any]]:
    return list(store.db.query("SELECT * FROM adoptions ORDER BY created_at DESC, rowid DESC"))
