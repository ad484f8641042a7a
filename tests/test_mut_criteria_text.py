"""phrase.v1's apology path and its helpers pinned verdict by verdict, with an act reader
whose readings each test sets (a sentence not listed performs no act): a card that asks for
an apology and an acknowledgement takes only apologies that speak to what the customer told,
and fails a token apology with its own note; a card that asks for either alone, or one whose
phrases stand for another act, takes an apology as it comes. No model is loaded."""

from __future__ import annotations

from typing import Any

import pytest

import qa.acts
import qa.scorecard.context
from qa.scorecard.context import ACT_THRESHOLD
from qa.scorecard.criteria import _asks_acknowledgement, _asks_own_name
from tests.test_criteria import CRITERION
from tests.test_mut_criteria import snap, verdict

A, C = "agent", "customer"
T = ACT_THRESHOLD
Readings = dict[str, dict[str, float]]

TOLD = (C, "My bill doubled this month.")
SORRY = {
    "type": "phrase.v1",
    "name": "Acknowledge and apologise",
    "phrases": ["I'm sorry"],
    "match": "exact",
    "act": "apologise",
}
TOKEN_NOTE = "an apology that does not acknowledge what happened to the customer"


@pytest.fixture
def acts(monkeypatch: pytest.MonkeyPatch) -> Readings:
    said: Readings = {}

    def classify(texts: list[str], names: list[str], *_: Any, **__: Any) -> list[dict[str, float]]:
        return [{n: said.get(t, {}).get(n, 0.0) for n in names} for t in texts]

    monkeypatch.setattr(qa.acts, "classify", classify)
    return said


def run(acts: Readings, crit: dict[str, Any], lines: list[tuple[str, str]], read: Readings) -> Any:
    acts.clear()
    acts.update(read)
    return snap(verdict(crit, "chat", lines))


def test_a_token_apology_then_a_pitch_fails_with_its_own_note(acts: Readings) -> None:
    lines = [TOLD, (A, "Sorry about that. Try Fibre Max.")]
    read = {"Sorry about that.": {"apologise": 0.9}, "Try Fibre Max.": {"recommend": 0.9}}
    assert run(acts, SORRY, lines, read) == (
        "fail",
        0.7,
        None,
        TOKEN_NOTE,
        {},
        [(1, "agent", 30.0, 30.0, "Sorry about that.")],
    )


def test_three_token_apologies_are_quoted_at_most(acts: Readings) -> None:
    lines = [TOLD] + [(A, f"Sorry about that, part {n}.") for n in range(4)]
    read = {f"Sorry about that, part {n}.": {"apologise": 0.9} for n in range(4)}
    out = run(acts, SORRY, lines, read)
    assert out[:4] == ("fail", 0.7, None, TOKEN_NOTE)
    assert [e[0] for e in out[5]] == [1, 2, 3]


def test_an_apology_that_names_what_was_told_passes(acts: Readings) -> None:
    lines = [TOLD, (A, "Hello."), (A, "Sorry your bill doubled.")]
    read = {"Sorry your bill doubled.": {"apologise": 0.8}}
    assert run(acts, SORRY, lines, read) == (
        "pass",
        0.8,
        None,
        None,
        {},
        [(2, "agent", 60.0, 60.0, "Sorry your bill doubled.")],
    )


def test_the_hit_itself_is_kept_where_it_acknowledges(acts: Readings) -> None:
    # The act's own hit comes first among the turn's candidates: its score is the confidence.
    lines = [TOLD, (A, "Sorry your bill doubled. Sorry again.")]
    read = {
        "Sorry your bill doubled.": {"apologise": 0.6},
        "Sorry again.": {"apologise": 0.9},
    }
    out = run(acts, SORRY, lines, read)
    # The likelier sentence is the turn's hit, and it speaks to nothing the customer told;
    # the sentence before it does, and is the one quoted.
    assert out == (
        "pass",
        0.6,
        None,
        None,
        {},
        [(1, "agent", 30.0, 30.0, "Sorry your bill doubled.")],
    )


def test_no_apology_at_all_fails_as_missing(acts: Readings) -> None:
    lines = [TOLD, (A, "Let me look.")]
    note = 'none of "I\'m sorry" found in the 1 agent message'
    assert run(acts, SORRY, lines, {}) == (
        "fail",
        0.85,
        None,
        note,
        {},
        [(None, "agent", 0.0, 60.0, note)],
    )


@pytest.mark.parametrize(
    ("name", "coaching"),
    [
        ("Apologise", None),  # sorry alone
        ("Acknowledge the customer", None),  # acknowledgement alone
        (None, "Acknowledge what happened."),
        (None, None),
    ],
)
def test_a_card_that_asks_for_one_takes_a_token_apology(
    acts: Readings, name: str | None, coaching: str | None
) -> None:
    crit = {**SORRY, "name": name, "coaching": coaching}
    lines = [TOLD, (A, "Sorry about that. Try Fibre Max.")]
    read = {"Sorry about that.": {"apologise": 0.9}, "Try Fibre Max.": {"recommend": 0.9}}
    out = run(acts, crit, lines, read)
    assert out == ("pass", 0.9, None, None, {}, [(1, "agent", 30.0, 30.0, "Sorry about that.")])


def test_a_list_for_another_act_takes_its_hits_as_they_come(acts: Readings) -> None:
    crit = {**SORRY, "phrases": ["thanks for waiting"], "act": "thank"}
    lines = [TOLD, (A, "Thanks for waiting. Try Fibre Max.")]
    read = {"Thanks for waiting.": {"thank": 0.9}, "Try Fibre Max.": {"recommend": 0.9}}
    out = run(acts, crit, lines, read)
    assert out == ("pass", 0.9, None, None, {}, [(1, "agent", 30.0, 30.0, "Thanks for waiting.")])


def test_a_forbidden_apology_is_not_weighed_for_substance(acts: Readings) -> None:
    crit = {**SORRY, "mode": "forbidden"}
    lines = [TOLD, (A, "Sorry about that. Try Fibre Max.")]
    read = {"Sorry about that.": {"apologise": 0.9}, "Try Fibre Max.": {"recommend": 0.9}}
    out = run(acts, crit, lines, read)
    assert out == ("fail", 0.9, None, None, {}, [(1, "agent", 30.0, 30.0, "Sorry about that.")])


def card(name: str | None, coaching: str | None) -> Any:
    return CRITERION.validate_python(
        {"id": "c", "type": "phrase.v1", "phrases": ["x"], "name": name, "coaching": coaching}
    )


@pytest.mark.parametrize(
    ("name", "coaching", "asks"),
    [
        ("Acknowledge and apologise", None, True),
        (None, "Say sorry and show you understand what it has meant for them.", True),
        ("Acknowledge", "Say sorry.", True),  # one in the name, one in the coaching
        ("Empathy", "Apologise.", True),
        ("Sorry", "Show what it's meant.", True),
        ("Sorry", "Show what it has meant.", True),
        ("Sorry", "Show what it meant.", True),
        ("Sorry", "Show what it means.", False),
        ("Apologise", None, False),
        ("Understand", None, False),
        (None, None, False),
        ("ACKNOWLEDGE, APOLOGIZE", None, True),  # either case
        ("unacknowledged sorrys", None, False),  # words, not parts of words
    ],
)
def test_asks_acknowledgement(name: str | None, coaching: str | None, asks: bool) -> None:
    assert _asks_acknowledgement(card(name, coaching)) is asks


@pytest.mark.parametrize(
    ("name", "coaching", "asks"),
    [
        ("Give your own name", None, True),
        (None, "Say your first name.", True),
        ("YOUR NAME", None, True),
        ("Greeting", "Say the company's name.", False),
        ("Greeting", "Say your surname.", False),
        (None, None, False),
        ("your", "name", True),  # name and coaching read as one text, a space between
    ],
)
def test_asks_own_name(name: str | None, coaching: str | None, asks: bool) -> None:
    assert _asks_own_name(card(name, coaching)) is asks


def test_a_trainers_examples_rule_what_counts(acts: Readings) -> None:
    crit = {"type": "phrase.v1", "phrases": ["hello there"], "match": "exact"}
    taught = {**crit, "examples": {"positive": ["Lovely to hear from you."]}}
    lines = [(A, "Lovely to hear from you."), (C, "Hi.")]
    assert run(acts, taught, lines, {}) == (
        "pass",
        1.0,
        None,
        None,
        {},
        [(0, "agent", 0.0, 0.0, "Lovely to hear from you.")],
    )
    assert run(acts, crit, lines, {})[0] == "fail"
    ruled = {**crit, "examples": {"negative": ["Hello there."]}}
    assert run(acts, ruled, [(A, "Hello there."), (C, "Hi.")], {})[0] == "fail"
    assert run(acts, crit, [(A, "Hello there."), (C, "Hi.")], {})[0] == "pass"


INFERRED = "so sorry for the trouble with the meter"


@pytest.fixture
def fresh_inference(monkeypatch: pytest.MonkeyPatch) -> None:
    """No act inferred for a phrase list by an earlier test (the caches are per process)."""
    monkeypatch.setattr(qa.scorecard.context, "_inferred", {})
    monkeypatch.setattr(qa.scorecard.context, "_agreed", {})


@pytest.mark.usefixtures("fresh_inference")
@pytest.mark.parametrize("match", ["semantic", "fuzzy"])
def test_an_apology_list_read_by_meaning_weighs_substance(acts: Readings, match: str) -> None:
    # No act named: the list's act is inferred (for a fuzzy list only where it must be said),
    # never among the situations.
    crit = {**SORRY, "phrases": [INFERRED], "match": match, "act": None}
    lines = [TOLD, (A, "Sorry about that. Try Fibre Max.")]
    read = {
        INFERRED: {"apologise": 0.9},
        "Sorry about that.": {"apologise": 0.9},
        "Try Fibre Max.": {"recommend": 0.9},
    }
    out = run(acts, crit, lines, read)
    assert out[:4] == ("fail", 0.7, None, TOKEN_NOTE)
    assert out[5] == [(1, "agent", 30.0, 30.0, "Sorry about that.")]


TAUGHT = ["I'm sorry", "We got that wrong."]  # the card's phrase, then its example


@pytest.fixture
def taught_acts(monkeypatch: pytest.MonkeyPatch) -> Readings:
    """Readings given only where the act reader is taught both the card's phrases and its
    examples; any other reading is 0."""
    said: Readings = {}

    def classify(
        texts: list[str], names: list[str], lang: str, extra: Any = None, *_: Any, **__: Any
    ) -> list[dict[str, float]]:
        def read(t: str, n: str) -> float:
            positive = ((extra or {}).get(n) or {}).get("positive", [])
            return said.get(t, {}).get(n, 0.0) if positive == TAUGHT else 0.0

        return [{n: read(t, n) for n in names} for t in texts]

    monkeypatch.setattr(qa.acts, "classify", classify)
    return said


def test_the_apology_is_read_with_the_cards_phrases_and_examples(taught_acts: Readings) -> None:
    # "That was on us." is an apology only to a reader taught the card's own phrases and
    # examples; without it the turn's one apology is the token "Sorry about that.".
    crit = {**SORRY, "examples": {"positive": ["We got that wrong."]}}
    taught_acts.update(
        {"Sorry about that.": {"apologise": 0.9}, "That was on us.": {"apologise": 0.8}}
    )
    out = snap(verdict(crit, "chat", [TOLD, (A, "Sorry about that. That was on us.")]))
    assert out == ("pass", 0.8, None, None, {}, [(1, "agent", 30.0, 30.0, "That was on us.")])
