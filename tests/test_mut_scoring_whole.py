"""The scoring stage's writes pinned where the other scoring pins leave room: the card as
stored (its text and its JSON definition), scoring in this process unless workers are asked
for, and an interaction rewritten by another run while this one scored it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from qa import scoring
from qa.matching import Matcher
from qa.model import Turn
from qa.scoring import score_interactions
from qa.store import Store
from qa.store.connection import to_json
from tests.test_mut_scoring import chat, loaded


def test_the_card_is_stored_with_its_text_and_its_json_definition(store: Store) -> None:
    """A float setting left at an integer default (script reading's 165 words a minute) is
    stored as JSON gives it, 165.0, as the card's other numbers are."""
    card = loaded(
        [
            {"id": "greet", "points": 2},
            {"id": "read", "type": "script_reading.v1", "script": ["Thank you for calling."]},
        ],
        pass_mark=75,
    )
    report = score_interactions(store, [], card, Matcher())
    assert report.scored == 0
    [row] = list(store.db.query("SELECT hash, name, yaml, definition FROM scorecards"))
    assert (row["hash"], row["name"], row["yaml"]) == (card.hash, "Test card", card.text)
    assert row["definition"] == to_json(card.scorecard.model_dump(mode="json"))
    definition = json.loads(row["definition"])
    assert definition["pass_mark"] == 75.0
    [read] = [c for s in definition["sections"] for c in s["criteria"] if c["id"] == "read"]
    assert read["fast_wpm"] == 165.0
    assert '"fast_wpm": 165.0' in row["definition"]


def test_interactions_are_scored_in_this_process_by_default(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without `workers`, no pool is asked for, however many interactions there are."""
    pooled: list[int] = []

    def in_pool(job: Any, workers: int) -> Any:
        pooled.append(workers)
        return scoring._scorings(job, job.items)

    monkeypatch.setattr(scoring, "_in_pool", in_pool)
    items = [chat(f"c{k}") for k in range(3)]
    store.save_interactions(items)
    card = loaded([{"id": "greet", "phrases": ["hello"]}])
    report = score_interactions(store, items, card, Matcher())
    assert pooled == [] and report.scored == 3
    report = score_interactions(store, items, card, Matcher(), workers=2)
    assert pooled == [2] and report.scored == 3


def test_an_interaction_rewritten_since_it_was_loaded_is_not_written(store: Store) -> None:
    """Another run grew the thread while this one scored the old one: the old evaluation is
    counted in the report but not written over the new content."""
    store.save_interactions([chat("c1"), chat("c2")])
    old, kept = store.load_interactions(["c1", "c2"])
    assert old.content is not None
    grown = [*old.turns, Turn("customer", "And my address changed too.", 60.0)]
    store.save_interactions([chat("c1", turns=grown)])
    card = loaded([{"id": "greet", "phrases": ["hello"]}])
    report = score_interactions(store, [old, kept], card, Matcher())
    assert report.scored == 2 and sorted(report.evaluations) == ["c1", "c2"]
    rows = list(store.db.query("SELECT interaction_id, content FROM evaluations"))
    assert [(r["interaction_id"], r["content"]) for r in rows] == [("c2", kept.content)]
