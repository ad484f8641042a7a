"""Text metrics pinned value by value: email response times less the weekend between the
customer's message and the reply, and the share of the words said where a call's turns are
not timed."""

from __future__ import annotations

from typing import Any

import pytest

from qa.metrics import compute_metrics, text_metrics, word_share
from qa.model import Interaction, Turn

# 2026-11-27 is a Friday, 2026-11-28 and 29 the weekend, 2026-11-30 a Monday.
WEEKEND_S = 2 * 86400.0


def exchange(date: str | None, gap: float) -> list[Turn]:
    meta = {"date": date} if date is not None else {}
    return [Turn("customer", "any news?", 100.0, meta=meta), Turn("agent", "yes", 100.0 + gap)]


@pytest.mark.parametrize(
    ("date", "gap", "working"),
    [
        # A quarter of a second on Friday night, the whole weekend, none of Monday: the
        # weekend is cut at midnight to the microsecond (0.25 rounds to 0.2, 0.250001 to 0.3).
        ("2026-11-27T23:59:59.750000", WEEKEND_S + 0.25, 0.2),
        # Asked on Saturday morning at 10:37:21.5, answered on Monday at 09:00.
        ("2026-11-28T10:37:21.500000+01:00", 166958.5, 9.0 * 3600),
        # The weekend only: nothing of it is working time.
        ("2026-11-28T00:00:00+00:00", 3600.0, 0.0),
        # Sunday evening to Monday morning: Monday's hours only.
        ("2026-11-29T23:00:00", 2 * 3600.0 + 0.26, 3600.3),
        # A weekday gap is the gap, rounded to a tenth of a second.
        ("2026-11-25T09:00:00", 7200.04, 7200.0),
        ("2026-11-25T09:00:00", 7200.26, 7200.3),
        # No date, or one that is not ISO 8601: the plain gap.
        (None, 172800.26, 172800.26),
        ("Fri, 27 Nov 2026 23:00:00 +0000", 172800.26, 172800.26),
    ],
)
def test_email_response_time_leaves_out_the_weekend(
    date: str | None, gap: float, working: float
) -> None:
    m = text_metrics(exchange(date, gap), working_days=True)
    assert m["first_response"] == working
    assert m["response_longest"] == working


def test_working_days_are_asked_for() -> None:
    turns = exchange("2026-11-27T23:59:59.750000", WEEKEND_S + 0.25)
    assert text_metrics(turns)["first_response"] == WEEKEND_S + 0.25  # chat: the plain gap
    assert text_metrics(turns, working_days=False)["first_response"] == WEEKEND_S + 0.25
    email = Interaction("e", "email", "e.eml", turns=turns)
    assert compute_metrics(email)["first_response"] == 0.2
    chat = Interaction("c", "chat", "c.json", turns=turns)
    assert compute_metrics(chat)["first_response"] == WEEKEND_S + 0.25


def said(agent: str, customer: str) -> list[Turn]:
    return [
        Turn("agent", agent, 0.0, 1.0),
        Turn("customer", customer, 1.0, 9.0),
        Turn("system", "one two three four five", 9.0, 10.0),  # neither side's words
    ]


@pytest.mark.parametrize(
    ("agent", "customer", "share"),
    [
        ("one two three", "a b c d e f", 0.333),
        ("one two", "three four", 0.5),  # equal words: a half, not nothing
        ("one two three four five six seven", "", 1.0),
        ("", "one", 0.0),
        ("one two", "a b c d e", 0.286),
        ("", "", None),
    ],
)
def test_word_share(agent: str, customer: str, share: float | None) -> None:
    assert word_share(said(agent, customer)) == share


def call(voice: dict[str, Any]) -> Interaction:
    # The agent talks 1 s of 9 by the clock, but says 3 words of 9.
    turns = said("one two three", "a b c d e f")
    return Interaction("v", "voice", "v.wav", turns=turns, duration=10.0, metadata={"voice": voice})


@pytest.mark.parametrize(
    ("voice", "ratio"),
    [
        ({}, 0.111),  # timed turns: the clock
        ({"timed": True}, 0.111),
        ({"turn_ends": "given"}, 0.111),
        ({"timed": False}, 0.333),  # no times: the words
        ({"turn_ends": "next_start"}, 0.333),  # starts only: the words
        ({"turn_ends": "next_start", "timed": True}, 0.333),
    ],
)
def test_a_call_without_turn_ends_is_shared_by_words(voice: dict[str, Any], ratio: float) -> None:
    assert compute_metrics(call(voice))["talk_ratio"] == ratio
