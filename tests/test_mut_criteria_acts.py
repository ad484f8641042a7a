"""Criterion helpers that read dialogue acts, pinned value by value with an act reader whose
readings each test sets (a sentence not listed performs no act): apologies that acknowledge
what happened, questions that take up what the customer raised, checks for understanding.
The thresholds are pinned at and just around their boundaries."""

from __future__ import annotations

from typing import Any

import pytest

import qa.acts
from qa.matching import Hit, Matcher
from qa.scorecard.context import ACT_THRESHOLD, Context
from qa.scorecard.criteria import (
    APOLOGY,
    CHECK_SUPPORT,
    DISCOVERY_MIN,
    _acknowledges,
    _asks_after,
    apologies_with_substance,
)
from tests.test_criteria import conversation

A, C = "agent", "customer"
WORDS = ["sorry", "apologise", "apologize", "apologies", "apologising", "apologizing"]
BELOW = ACT_THRESHOLD - 0.01


@pytest.fixture
def acts(monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, float]]:
    """sentence -> {act: probability} that the act reader gives (0 for anything else)."""
    said: dict[str, dict[str, float]] = {}

    def classify(texts: list[str], names: list[str], *_: Any, **__: Any) -> list[dict[str, float]]:
        return [{n: said.get(t, {}).get(n, 0.0) for n in names} for t in texts]

    monkeypatch.setattr(qa.acts, "classify", classify)
    return said


def ctx(lines: list[tuple[str, str]]) -> Context:
    return Context(conversation("chat", lines), Matcher())


def test_the_pack_lists_the_apology_words() -> None:
    assert ctx([(A, "Hello.")]).cues("apology_words") == WORDS


@pytest.mark.parametrize(
    ("readings", "takes_up"),
    [
        ({"discovery_question": DISCOVERY_MIN}, True),
        ({"discovery_question": DISCOVERY_MIN - 0.01}, False),
        ({"discovery_question": 0.9, "data_request": BELOW}, True),
        ({"discovery_question": 0.9, "data_request": ACT_THRESHOLD}, False),
        ({"offer_more_help": ACT_THRESHOLD}, True),
        ({"offer_more_help": BELOW}, False),
        ({"discovery_question": 0.9, "data_request": 0.9, "offer_more_help": 0.9}, True),
        ({}, False),
    ],
)
def test_asks_after(acts: dict[str, Any], readings: dict[str, float], takes_up: bool) -> None:
    q = "What happened then?"
    acts[q] = readings
    assert _asks_after(ctx([(C, "It broke."), (A, q)]), q) is takes_up


def hit(turn: int, sentence: str) -> Hit:
    return Hit(turn, sentence, APOLOGY, 0.9)


TOLD = (C, "My bill doubled this month.")


def test_an_apology_in_other_words_speaks_for_itself(acts: dict[str, Any]) -> None:
    c = ctx([TOLD, (A, "That is not on. Let me fix it.")])
    assert _acknowledges(c, hit(1, "That is not on."), WORDS) is True


def test_an_apology_then_a_pitch_is_a_token(acts: dict[str, Any]) -> None:
    acts["Try Fibre Max."] = {"recommend": ACT_THRESHOLD}
    c = ctx([TOLD, (A, "We let you down. Try Fibre Max.")])
    # In other words, it stands by itself before the pitch is read.
    assert _acknowledges(c, hit(1, "We let you down."), WORDS) is True
    c = ctx([TOLD, (A, "Sorry about that. Try Fibre Max.")])
    assert _acknowledges(c, hit(1, "Sorry about that."), WORDS) is False
    acts["Sorry about that."] = {"recommend": ACT_THRESHOLD, "acknowledge_impact": 0.9}
    assert (
        _acknowledges(ctx([TOLD, (A, "Sorry about that.")]), hit(1, "Sorry about that."), WORDS)
        is False
    )
    acts["Try Fibre Max."] = {"recommend": BELOW}
    acts["Sorry about that."] = {}
    c = ctx([TOLD, (A, "Sorry about that. Try Fibre Max.")])
    assert _acknowledges(c, hit(1, "Sorry about that."), WORDS) is False  # no pitch, no substance


def test_a_word_of_apology_needs_the_customers_words_in_it_or_the_next_sentence(
    acts: dict[str, Any],
) -> None:
    c = ctx([TOLD, (A, "Sorry your bill doubled.")])
    assert _acknowledges(c, hit(1, "Sorry your bill doubled."), WORDS) is True
    c = ctx([TOLD, (A, "I'm sorry. The bill doubling is our fault.")])
    assert _acknowledges(c, hit(1, "I'm sorry."), WORDS) is True
    c = ctx([TOLD, (A, "I'm sorry. Thanks for waiting. Your bill doubled.")])
    assert _acknowledges(c, hit(1, "I'm sorry."), WORDS) is False  # two sentences on: too late
    c = ctx([TOLD, (A, "Thanks for waiting. I'm sorry. Noted.")])
    assert _acknowledges(c, hit(1, "I'm sorry."), WORDS) is False
    c = ctx([TOLD, (A, "Thanks for waiting. I'm sorry. Your bill doubled.")])
    assert _acknowledges(c, hit(1, "I'm sorry."), WORDS) is True  # read from the apology on


def test_only_what_the_customer_told_before_counts(acts: dict[str, Any]) -> None:
    c = ctx([(A, "Sorry, the bill doubled."), TOLD])
    assert _acknowledges(c, hit(0, "Sorry, the bill doubled."), WORDS) is False
    c = ctx([(A, "Hello."), TOLD, (A, "Sorry, the bill doubled."), (C, "Thanks.")])
    assert _acknowledges(c, hit(2, "Sorry, the bill doubled."), WORDS) is True
    # The agent's own earlier words are not the customer's.
    c = ctx([(A, "Your bill doubled."), (C, "Hm."), (A, "Sorry, the bill doubled.")])
    assert _acknowledges(c, hit(2, "Sorry, the bill doubled."), WORDS) is False


@pytest.mark.parametrize(("impact", "ok"), [(ACT_THRESHOLD, True), (BELOW, False)])
def test_acknowledging_the_impact_is_substance(
    acts: dict[str, Any], impact: float, ok: bool
) -> None:
    acts["Sorry, that must be stressful."] = {"acknowledge_impact": impact}
    c = ctx([TOLD, (A, "Sorry, that must be stressful.")])
    assert _acknowledges(c, hit(1, "Sorry, that must be stressful."), WORDS) is ok


def test_apologies_with_substance(acts: dict[str, Any]) -> None:
    lines = [
        TOLD,
        (A, "Apologies for the inconvenience. Anything else?"),  # a token
        (C, "Yes, the bill doubled again."),
        (A, "Hello. So sorry the bill doubled twice."),  # the words of apology
        (A, "That is on us."),  # the apology act, in other words
        (A, "Sorry. Thanks. Sorry, it doubled."),  # the second of two
    ]
    acts["That is on us."] = {APOLOGY: ACT_THRESHOLD}
    acts["Hello."] = {APOLOGY: BELOW}
    c = ctx(lines)
    found = apologies_with_substance(c, [1, 3, 4, 5], [], None)
    assert found == [
        Hit(3, "So sorry the bill doubled twice.", APOLOGY, 0.0),
        Hit(4, "That is on us.", APOLOGY, ACT_THRESHOLD),
        Hit(5, "Sorry, it doubled.", APOLOGY, 0.0),
    ]


def test_apologies_with_substance_keeps_a_hit_before_the_sentences(acts: dict[str, Any]) -> None:
    c = ctx([TOLD, (A, "Your bill doubled, sorry."), (A, "Noted.")])
    given = Hit(1, "Your bill doubled, sorry.", "sorry", 0.8)
    # A turn of a hit outside the turns given is read too; the hit itself is the first tried.
    assert apologies_with_substance(c, [2], [given], None) == [given]
    assert apologies_with_substance(c, [2], [], None) == []
    assert apologies_with_substance(c, [1], [], None) == [
        Hit(1, "Your bill doubled, sorry.", APOLOGY, 0.0)
    ]


def test_the_check_support_bar() -> None:
    assert (CHECK_SUPPORT, DISCOVERY_MIN, ACT_THRESHOLD) == (0.35, 0.35, 0.5)
