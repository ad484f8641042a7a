"""The questions needs_discovery.v1 counts before a pitch, pinned question by question with an
act reader whose readings each test sets (a sentence not listed performs no act): besides the
open questions about the customer's situation, those behind a lead-in clause, invitations
after one, and questions about how much or how often the customer does something; where the
discovery act is likelier than a request for data, and not outweighed by a pitch. The bars
are met exactly or missed by a hair. No model is loaded."""

from __future__ import annotations

from typing import Any

import pytest

import qa.acts
from qa.matching import Matcher
from qa.scorecard.context import ACT_THRESHOLD, Context, Question
from qa.scorecard.criteria import DISCOVERY_MIN, _needs_questions
from qa.scorecard.schema import Examples
from tests.test_criteria import conversation

A, C = "agent", "customer"
T = ACT_THRESHOLD
ALMOST = 0.01
Readings = dict[str, dict[str, float]]


@pytest.fixture
def acts(monkeypatch: pytest.MonkeyPatch) -> Readings:
    said: Readings = {}

    def classify(texts: list[str], names: list[str], *_: Any, **__: Any) -> list[dict[str, float]]:
        return [{n: said.get(t, {}).get(n, 0.0) for n in names} for t in texts]

    monkeypatch.setattr(qa.acts, "classify", classify)
    return said


def asked(
    acts: Readings, said: str, read: Readings, examples: Examples | None = None
) -> list[Question]:
    """The questions counted in the agent's one turn, after the customer's."""
    acts.clear()
    acts.update(read)
    ctx = Context(conversation("chat", [(C, "I need broadband."), (A, said)]), Matcher())
    return _needs_questions(ctx, [1], examples)


LEAD = "Before I suggest anything, tell me about the house."
INVITED = "tell me about the house."


@pytest.mark.parametrize(
    ("read", "found"),
    [
        ({INVITED: {"discovery_question": DISCOVERY_MIN}}, True),
        ({INVITED: {"discovery_question": DISCOVERY_MIN - ALMOST}}, False),
        ({LEAD: {"discovery_question": DISCOVERY_MIN}}, True),  # the whole sentence's reading
        ({}, False),
    ],
)
def test_an_invitation_after_a_lead_in(acts: Readings, read: Readings, found: bool) -> None:
    assert asked(acts, LEAD, read) == ([Question(1, LEAD, "open")] if found else [])


WHERE = "So I can point you the right way, where are you going?"
WHERE_ASKED = "where are you going?"


def test_an_open_question_after_a_lead_in_is_read_on_its_own(acts: Readings) -> None:
    # The whole sentence does not read as discovery: the question after the clause does.
    read = {WHERE_ASKED: {"discovery_question": 0.6}}
    assert asked(acts, WHERE, read) == [Question(1, WHERE, "open")]
    assert asked(acts, WHERE, {}) == []


AMOUNT = "How many days a week are you on the road?"


def test_a_question_about_how_much_the_customer_does(acts: Readings) -> None:
    assert asked(acts, AMOUNT, {AMOUNT: {"discovery_question": 0.6}}) == [
        Question(1, AMOUNT, "open")
    ]
    # Not a question: no question mark.
    flat = "How many days a week are you on the road."
    assert asked(acts, flat, {flat: {"discovery_question": 0.9}}) == []


@pytest.mark.parametrize(
    "said",
    [
        "Is it a house?",  # closed, and not about how much
        "The house is big.",  # no question at all
    ],
)
def test_closed_questions_and_statements_do_not_count(acts: Readings, said: str) -> None:
    read = {said: {"discovery_question": 0.9}, "where is it?": {"discovery_question": 0.9}}
    assert asked(acts, said, read) == []


@pytest.mark.parametrize(
    ("data", "pitch", "p", "found"),
    [
        (0.59, 0.0, 0.6, True),
        (0.6, 0.0, 0.6, False),  # as likely a request for data
        (0.0, 0.59, 0.6, True),  # a likelier question than pitch
        (0.0, 0.6, 0.6, False),
        (0.0, T - ALMOST, T, True),  # a pitch under its bar
        (0.0, T, T, False),
    ],
)
def test_data_requests_and_pitches_put_as_questions(
    acts: Readings, data: float, pitch: float, p: float, found: bool
) -> None:
    read = {
        LEAD: {"discovery_question": p},
        INVITED: {"data_request": data, "recommend": pitch},
    }
    assert asked(acts, LEAD, read) == ([Question(1, LEAD, "open")] if found else [])


def test_a_trainers_negative_example_never_counts(acts: Readings) -> None:
    read = {INVITED: {"discovery_question": 0.9}}
    assert asked(acts, LEAD, read, Examples(negative=[LEAD])) == []
    assert asked(acts, LEAD, read, Examples(negative=["Something else."])) == [
        Question(1, LEAD, "open")
    ]
    # An open question by itself, likely discovery, that a trainer ruled out.
    plain = {"What happened?": {"discovery_question": 0.9}}
    assert asked(acts, "What happened?", plain) == [Question(1, "What happened?", "open")]
    assert asked(acts, "What happened?", plain, Examples(negative=["what happened?"])) == []


def test_examples_teach_the_discovery_reading(acts: Readings, monkeypatch: Any) -> None:
    seen: list[Any] = []

    def classify(texts: list[str], names: list[str], lang: str, extra: Any, *_: Any) -> Any:
        seen.append((names, extra))
        return [{n: 0.9 if n == "discovery_question" else 0.0 for n in names} for _ in texts]

    monkeypatch.setattr(qa.acts, "classify", classify)
    ctx = Context(conversation("chat", [(C, "Hi."), (A, LEAD)]), Matcher())
    out = _needs_questions(ctx, [1], Examples(positive=["Tell me about the flat."]))
    assert out == [Question(1, LEAD, "open")]
    # Every discovery reading is taught the examples (the one of the whole sentence and the
    # one of the question behind its lead-in).
    taught = [extra for names, extra in seen if names == ["discovery_question"]]
    wanted = {"discovery_question": {"positive": ["Tell me about the flat."], "negative": []}}
    assert len(taught) == 2 and all(e == wanted for e in taught)


def test_questions_come_in_turn_order(acts: Readings) -> None:
    acts.update(
        {
            "What happened?": {"discovery_question": 0.9},
            INVITED: {"discovery_question": 0.9},
            WHERE_ASKED: {"discovery_question": 0.9},
            "How was it?": {"discovery_question": 0.9},
        }
    )
    lines = [(C, "Hi."), (A, LEAD), (A, "How was it?"), (A, f"{WHERE} What happened?")]
    ctx = Context(conversation("chat", lines), Matcher())
    # "What happened?" is an open question by itself; the others only behind their lead-ins.
    assert _needs_questions(ctx, [1, 2, 3], None) == [
        Question(1, LEAD, "open"),
        Question(2, "How was it?", "open"),
        Question(3, "What happened?", "open"),
        Question(3, WHERE, "open"),
    ]
    # Only the turns given.
    assert _needs_questions(ctx, [3], None) == [
        Question(3, "What happened?", "open"),
        Question(3, WHERE, "open"),
    ]


def test_a_question_found_first_does_not_end_the_turn(acts: Readings) -> None:
    said = f"What happened? {LEAD}"
    read = {"What happened?": {"discovery_question": 0.9}, INVITED: {"discovery_question": 0.9}}
    assert asked(acts, said, read) == [
        Question(1, "What happened?", "open"),
        Question(1, LEAD, "open"),
    ]
    # A trainer's negative example first: passed over, the turn read on.
    ruled = Examples(negative=["What happened?"])
    assert asked(acts, said, read, ruled) == [Question(1, LEAD, "open")]


@pytest.mark.parametrize("first", ["Noted.", "Is it a house?"])
def test_a_statement_or_closed_question_first_does_not_end_the_turn(
    acts: Readings, first: str
) -> None:
    read = {first: {"discovery_question": 0.9}, INVITED: {"discovery_question": 0.9}}
    assert asked(acts, f"{first} {LEAD}", read) == [Question(1, LEAD, "open")]


def test_a_closed_question_behind_a_lead_in_does_not_count(acts: Readings) -> None:
    said = "So I can help, can you check the meter?"
    read = {
        said: {"discovery_question": 0.9},
        "can you check the meter?": {"discovery_question": 0.9},
    }
    assert asked(acts, said, read) == []
