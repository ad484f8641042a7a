"""product_explanation.v1 and script_reading.v1 pinned where the first pins left them open:
a trainer's example of a check for understanding, a campaign flag on an English explanation
(read only where acts come from cue words), and a customer's question raised after the agent
spoke first. An act reader whose readings each test sets stands in for the model (a sentence
not listed performs no act); no model is loaded."""

from __future__ import annotations

from typing import Any

import pytest

import qa.acts
from qa.campaigns.schema import Campaign, load_campaigns
from qa.matching import Matcher
from qa.scorecard.context import Context
from qa.scorecard.criteria import campaign_consistency_v1
from tests.test_criteria import CRITERION, ROOT, conversation
from tests.test_mut_criteria import flag, snap, verdict

A, C = "agent", "customer"
Readings = dict[str, dict[str, float]]


@pytest.fixture
def acts(monkeypatch: pytest.MonkeyPatch) -> Readings:
    said: Readings = {}

    def classify(texts: list[str], names: list[str], *_: Any, **__: Any) -> list[dict[str, float]]:
        return [{n: said.get(t, {}).get(n, 0.0) for n in names} for t in texts]

    monkeypatch.setattr(qa.acts, "classify", classify)
    return said


EXPLAIN = {
    "type": "product_explanation.v1",
    "key_points": [
        {"id": "price", "phrases": ["ten pounds a month"], "match": "exact"},
        {"id": "term", "phrases": ["twelve month contract"], "match": "exact"},
    ],
    "require_needs_link": False,
}
SAID = "It is ten pounds a month on a twelve month contract."
CHECK = "Are we on the same page?"
EXPLAINED = [(C, "Hi."), (A, "I recommend Fibre Max."), (A, f"{SAID} {CHECK}")]
COVERED = {"covered": ["price", "term"], "missing": [], "linked": False}


def test_a_trainers_example_is_a_check_for_understanding(acts: Readings) -> None:
    acts["I recommend Fibre Max."] = {"recommend": 0.9}
    taught = {**EXPLAIN, "examples": {"positive": [CHECK]}}
    note = "2/2 key points; not tied to the customer's needs; {} understanding"
    assert snap(verdict(taught, "chat", EXPLAINED)) == (
        "pass",
        0.75,
        1.0,
        note.format("checked"),
        {**COVERED, "checked": True},
        [(2, A, 60.0, 60.0, SAID), (2, A, 60.0, 60.0, SAID), (2, A, 60.0, 60.0, CHECK)],
    )
    assert snap(verdict(EXPLAIN, "chat", EXPLAINED)) == (
        "fail",
        0.75,
        0.5,
        note.format("no check for"),
        {**COVERED, "checked": False},
        [(2, A, 60.0, 60.0, SAID), (2, A, 60.0, 60.0, SAID)],
    )


def test_a_campaign_flag_does_not_fail_an_english_explanation(acts: Readings) -> None:
    # Wrong key figures are read from campaign flags only where acts come from cue words.
    acts["I recommend Fibre Max."] = {"recommend": 0.9}
    acts[CHECK] = {"check_understanding": 0.9}
    flags = [flag("contradiction", 2), flag("retired_claim", 2)]
    out = snap(verdict(EXPLAIN, "chat", EXPLAINED, flags))
    assert out[:4] == (
        "pass",
        0.75,
        1.0,
        "2/2 key points; not tied to the customer's needs; checked understanding",
    )


SCRIPT = {
    "type": "script_reading.v1",
    "script": ["Thank you for calling the billing line of Northwind Energy today, how are you?"],
    "min_run_words": 4,
}


def test_a_question_raised_after_the_agent_spoke_first(acts: Readings) -> None:
    lines = [
        (A, "Hello, Northwind here."),
        (C, "Why is my bill so high?"),
        (A, "What is your postcode?"),
        (C, "AB1 2CD."),
    ]
    assert snap(verdict(SCRIPT, "chat", lines)) == (
        "pass",
        0.61,
        None,
        "reading score 0.39 (fails above 0.50): verbatim 0.00, ignored_questions 1.00; "
        "1 of 1 customer question(s) or objection(s) brushed aside",
        {
            "score": 0.385,
            "signals": {"verbatim": 0.0, "ignored_questions": 1.0},
            "brushed_aside": 1,
        },
        [
            (1, C, 30.0, 30.0, "Why is my bill so high?"),
            (2, A, 60.0, 60.0, "What is your postcode?"),
        ],
    )


CONSISTENT = {"type": "campaign_consistency.v1", "kinds": ["expired_offer", "contradiction"]}


@pytest.fixture(scope="module")
def campaigns() -> list[Campaign]:
    return load_campaigns(ROOT / "scorecards" / "campaigns")


def consistency(lines: list[tuple[str, str]], campaigns: list[Campaign] | None) -> Any:
    c = CRITERION.validate_python({"id": "c", **CONSISTENT})
    ctx = Context(conversation("chat", lines), Matcher(), None, [], campaigns=campaigns)
    return snap(campaign_consistency_v1(c, ctx))


def test_campaign_consistency_where_no_campaigns_product_is_named(
    campaigns: list[Campaign],
) -> None:
    lines = [(A, "Hello, how can I help?"), (C, "My router is slow.")]
    assert consistency(lines, campaigns) == (
        "na",
        0.9,
        None,
        "no campaign's product was mentioned",
        {},
        [],
    )
    # Either side naming a product: judged, and nothing inconsistent.
    named = [(A, "Hello, how can I help?"), (C, "Is Fibre Max any faster?")]
    note = "nothing inconsistent with the active campaigns (expired_offer, contradiction)"
    assert consistency(named, campaigns) == (
        "pass",
        0.8,
        None,
        note,
        {},
        [(None, A, 0.0, 60.0, note)],
    )
    # The campaigns not known: judged as before.
    assert consistency(lines, None)[:4] == ("pass", 0.8, None, note)
