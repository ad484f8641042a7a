"""script_reading.v1's questions brushed aside and the small text helpers of the criterion
types, pinned with an act reader whose readings each test sets (a sentence not listed
performs no act), at and around each bar."""

from __future__ import annotations

from typing import Any

import pytest

from qa.matching import Matcher
from qa.scorecard.context import ACT_THRESHOLD, Context
from qa.scorecard.criteria import (
    BRUSHED_ASIDE_MAX,
    _asks_or_objects,
    _brushes_aside,
    _contains,
    _raises,
    explained_term,
)
from tests.test_criteria import conversation
from tests.test_mut_criteria import snap, verdict
from tests.test_mut_criteria_flow import Readings, acts

__all__ = ["acts"]  # the fixture, used by name

A, C = "agent", "customer"
T = ACT_THRESHOLD
BELOW = T - 0.01


def ctx(lines: list[tuple[str, str]]) -> Context:
    return Context(conversation("chat", lines), Matcher())


@pytest.mark.parametrize(
    ("term", "sentence", "explained"),
    [
        ("MPAN", "Your mpan, that's the number on your meter.", True),  # any case in the text
        ("SVT", "Our standard variable tariff ( SVT ) applies.", True),  # in brackets
        ("SVT", "Our tariff (SVT) applies.", True),
        ("SVT", "The SVT applies (see below).", False),
        ("EAC", "EAC for short is your yearly use.", True),
        ("EAC", "Your EAC is high.", False),
        ("eac", "eac, that is your yearly use.", False),  # not written as a term
        ("", "( for short", False),
        ("123", "123 (that is a number)", False),  # no letters: no term
    ],
)
def test_explained_term(term: str, sentence: str, explained: bool) -> None:
    assert explained_term(term, sentence) is explained


def test_contains() -> None:
    assert _contains(["you", "are", "on"], ["are", "on"]) is True
    assert _contains(["you", "are", "on"], ["you", "are", "on"]) is True
    assert _contains(["you", "are"], ["are", "on"]) is False
    assert _contains(["you"], ["you", "are"]) is False


@pytest.mark.parametrize(
    ("text", "raised"),
    [
        ("That is too expensive.", True),  # an objection without a question mark
        ("贵吗？", True),  # a full-width question mark
        ("Why?", True),
        ("Fine.", False),
    ],
)
def test_asks_or_objects(text: str, raised: bool) -> None:
    assert _asks_or_objects(text, ["Too expensive"]) is raised


@pytest.mark.parametrize(("p", "raised"), [(T, True), (BELOW, False)])
@pytest.mark.parametrize("act", ["complaint", "churn_signal", "loss_report"])
def test_raises_by_act(acts: Readings, act: str, p: float, raised: bool) -> None:
    acts["It broke again."] = {act: p}
    assert _raises(ctx([(C, "Hi. It broke again.")]), "Hi. It broke again.", []) is raised


RAISED = "My router keeps dropping."


def brushed(acts: Readings, reply: str, read: Readings, reads_script: bool = False) -> bool:
    acts.clear()
    acts.update(read)
    c = ctx([(C, RAISED), (A, reply)])
    return _brushes_aside(c, RAISED, 1, reads_script, {"terms"})


def test_brushes_aside(acts: Readings) -> None:
    # The customer's own words taken up, beyond the script's: not brushed aside.
    assert brushed(acts, "Your router, let me read the terms.", {}, True) is False
    assert brushed(acts, "The terms say this.", {}, True) is True
    # A good question or engaging with it (at the bar) is no brushing aside.
    assert brushed(acts, "Good question. The terms say this.", {}, True) is False
    for act in ("acknowledge_impact", "apologise", "answer_objection"):
        assert brushed(acts, "That must be hard.", {"That must be hard.": {act: T}}, True) is False
        assert brushed(acts, "That must be hard.", {"That must be hard.": {act: BELOW}}, True)
    # Not reading the script: a pitch or the next question moves on.
    assert brushed(acts, "Try Fibre Max.", {"Try Fibre Max.": {"recommend": T}}) is True
    assert brushed(acts, "Try Fibre Max.", {"Try Fibre Max.": {"recommend": BELOW}}) is False
    assert brushed(acts, "What is your postcode?", {}) is True
    assert brushed(acts, "Noted.", {}) is False
    taken_up = {"What happened then?": {"discovery_question": 0.9}}
    assert brushed(acts, "What happened then?", taken_up) is False


SCRIPT = {
    "type": "script_reading.v1",
    "script": ["Thank you for calling the billing line of Northwind Energy today, how are you?"],
    "min_run_words": 4,
}
READ = "Thank you for calling the billing line of Northwind Energy today, how are you?"


def run(acts: Readings, crit: dict[str, Any], lines: list[tuple[str, str]], read: Readings) -> Any:
    acts.clear()
    acts.update(read)
    return snap(verdict(crit, "chat", lines))


def test_two_questions_brushed_aside_fail_however_low_the_score(acts: Readings) -> None:
    assert BRUSHED_ASIDE_MAX == 2
    lines = [
        (A, "Hello there, my name is Sam and I will help you with anything at all."),
        (C, "Can I pay in parts?"),
        (A, "What is your account number?"),
        (C, "That is too expensive for me."),
        (A, "What is your postcode please?"),
        (C, "Oh."),
        (A, "Okay, so I can see your account and everything on it from here."),
    ]
    out = run(acts, {**SCRIPT, "max_score": 1.0}, lines, {})
    assert out[0] == "fail"
    assert out[4]["brushed_aside"] == 2
    assert out[3].endswith("; 2 of 2 customer question(s) or objection(s) brushed aside")
    # Questions and objections are counted from the customer's first turn after the agent's.
    assert [e[0] for e in out[5]] == [1, 2, 3, 4]
    one = lines[:3] + [(C, "Fine."), (A, "Good.")]
    out = run(acts, {**SCRIPT, "max_score": 1.0}, one, {})
    assert (out[0], out[4]["brushed_aside"]) == ("pass", 1)


def test_a_read_sentence_is_quoted_alone(acts: Readings) -> None:
    lines = [(A, f"Hi. {READ}"), (C, "Good, you?"), (A, "Fine, so what is up with your bill?")]
    out = run(acts, SCRIPT, lines, {})
    assert out[5][0] == (0, "agent", 0.0, 0.0, READ)
    assert out[4]["signals"]["verbatim"] == round(14 / 23, 3)  # 14 of the 23 words
