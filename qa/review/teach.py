"""Decisions teach: a trainer adopts a person's decision, with one action, as an example on
its criterion (qa.scorecard.adopt writes it into the card file) or, for a dismissed campaign
flag, on the fact, retired claim or campaign it was about (qa.campaigns.examples writes it
into the campaign file); a dismissed missed disclosure or key point, as accepted wordings
the trainer picks from the agent's sentences (positive examples of it) or, when it was not
owed, as a sentence that is no pitch of the campaign (not_pitch). The next `qa rescore` applies it, `qa scorecard test` and
`qa campaigns test` keep it passing, and the app shows how agreement with people's decisions
moved after each adoption."""

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


@dataclass(frozen=True)
class FlagAdoption:
    """A dismissed flag's agent sentence, as a negative example of what the flag was about."""

    interaction_id: str
    ruled: Any  # qa.campaigns.examples.Ruled
    kind: str
    sentence: str

    @property
    def criterion(self) -> str:  # what the adoptions table calls the target
        return f"{self.ruled.campaign} {self.ruled.label}"


# What a trainer says a dismissed missed disclosure or key point teaches.
GIVEN = "given"  # the agent gave it in other words: the picked sentences become positive
NOT_OWED = "not_owed"  # the "pitch" was no pitch of the campaign: it becomes not_pitch
PICK_MAX = 5  # agent sentences one adoption may take as accepted wordings (1-20)


def agent_sentences(item: Any) -> list[str]:
    """The agent's sentences of a contact, in order, once each: what a trainer picks from."""
    from qa.text import sentences

    return list(
        dict.fromkeys(s for t in item.turns if t.role == "agent" for s in sentences(t.text))
    )


def _obligation_proposal(
    item: Any, flag: Any, campaigns: Path, campaign_file: Any
) -> dict[str, Any]:
    """A dismissed missed disclosure or key point: either the agent gave it in words the
    trainer picks (positive examples of it), or the flagged pitch was not a pitch of the
    campaign (a not_pitch example of the campaign)."""
    from qa.campaigns.examples import NOT_PITCH, POSITIVE, Ruled, obligation_of

    ruled = obligation_of(flag.kind, flag.campaign, flag.fact)
    if ruled is None:
        return {"ok": False, "why": f"the {flag.kind} flag names no disclosure or key point"}
    try:
        path = campaign_file(campaigns, ruled.campaign)
    except QAError as exc:
        return {"ok": False, "why": str(exc)}
    pitch = [e["quote"] for e in flag.evidence if e.get("role") != "customer" and e.get("quote")]
    not_owed = [
        FlagAdoption(item.id, Ruled(ruled.campaign, "campaign", ruled.campaign), NOT_PITCH, s)
        for s in dict.fromkeys(pitch)
    ]
    return {
        "ok": True,
        "path": path,
        "kind": "obligation",
        "ruled": ruled,
        "adoptions": [],
        "choices": agent_sentences(item),
        "given": lambda picked: [FlagAdoption(item.id, ruled, POSITIVE, s) for s in picked],
        "not_owed": not_owed,
    }


def flag_proposal(store: Store, decision: dict[str, Any], campaigns: Path) -> dict[str, Any]:
    """What adopting a flag decision would write: the campaign file, the item and the
    sentence; or why it cannot be adopted."""
    from qa.campaigns.examples import OBLIGATIONS, campaign_file, ruled_item
    from qa.review.decisions import FLAG_DISMISSED, flag_key

    if decision["human"] != FLAG_DISMISSED:
        return {"ok": False, "why": "a confirmed flag teaches nothing new"}
    items = read_interactions(store, Selection(ids=[decision["interaction_id"]], human=False))
    flag = next(
        (f for f in (items[0].flags if items else []) if flag_key(f) == decision["target_key"]),
        None,
    )
    if flag is None:
        return {"ok": False, "why": "the flag is no longer raised"}
    if flag.kind in OBLIGATIONS:
        return _obligation_proposal(items[0], flag, campaigns, campaign_file)
    ruled = ruled_item(flag.kind, flag.campaign, flag.fact)
    if ruled is None:
        return {"ok": False, "why": f"a {flag.kind} flag is not taught by examples"}
    said = [e["quote"] for e in flag.evidence if e.get("role") != "customer" and e.get("quote")]
    if not said:
        return {"ok": False, "why": "the flag quotes no sentence of the agent's"}
    try:
        path = campaign_file(campaigns, ruled.campaign)
    except QAError as exc:
        return {"ok": False, "why": str(exc)}
    adoptions = [FlagAdoption(items[0].id, ruled, "negative", s) for s in dict.fromkeys(said)]
    return {"ok": True, "path": path, "adoptions": adoptions, "kind": "negative"}


def proposal(
    store: Store, decision: dict[str, Any], folder: Path, campaigns: Path | None = None
) -> dict[str, Any]:
    """What adopting a decision would write: the card (or campaign file), the kind and the
    sentences; or why it cannot be adopted."""
    from qa.scorecard.adopt import propose
    from qa.scorecard.load import load_scorecard

    if decision["target"] == "flag":
        if campaigns is None:
            return {"ok": False, "why": "no campaign folder to adopt flag examples into"}
        return flag_proposal(store, decision, campaigns)
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


def _obligation_adoptions(
    plan: dict[str, Any], choice: str | None, picked: list[int] | None
) -> list[FlagAdoption]:
    """The examples a trainer's answer on a missed disclosure or key point writes."""
    if choice == NOT_OWED:
        if not plan["not_owed"]:
            raise ReviewError("cannot adopt this decision: the flag quotes no pitch")
        return list(plan["not_owed"])
    if choice != GIVEN:
        raise ReviewError(
            "cannot adopt this decision: say whether the agent gave it (pick the sentences)"
            " or it was not owed"
        )
    choices = plan["choices"]
    wanted = sorted(set(picked or []))
    if not wanted:
        raise ReviewError("cannot adopt this decision: pick the agent sentence(s) that gave it")
    if len(wanted) > PICK_MAX:
        raise ReviewError(f"cannot adopt this decision: pick at most {PICK_MAX} sentences")
    if any(not 0 <= i < len(choices) for i in wanted):
        raise ReviewError("cannot adopt this decision: a picked sentence is not in the contact")
    adoptions: list[FlagAdoption] = plan["given"]([choices[i] for i in wanted])
    return adoptions


def adopt_decision(
    store: Store, decision: dict[str, Any], username: str, folder: Path,
    campaigns: Path | None = None, choice: str | None = None, picked: list[int] | None = None,
) -> int:  # fmt: skip
    """Write the decision's example into its card or campaign file; returns how many
    examples were new. A dismissed missed disclosure or key point needs the trainer's
    `choice`: GIVEN with the `picked` agent sentences (indexes into the plan's choices),
    or NOT_OWED."""
    from qa.campaigns.examples import adopt_example
    from qa.scorecard.adopt import adopt

    plan = proposal(store, decision, folder, campaigns)
    if not plan["ok"]:
        raise ReviewError(f"cannot adopt this decision: {plan['why']}")
    if plan["kind"] == "obligation":
        plan["adoptions"] = _obligation_adoptions(plan, choice, picked)
    before, _ = machine_agreement(store)
    try:
        if decision["target"] == "flag":
            added = sum(
                adopt_example(plan["path"], a.ruled, a.sentence, a.kind) for a in plan["adoptions"]
            )
        else:
            added = adopt(plan["path"], plan["adoptions"])
    except QAError as exc:
        raise ReviewError(f"cannot adopt this decision: {exc}") from exc
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
