"""Upsell timing and retention by cause, each in voice, chat and email.

A customer's indignation ("that's absurd, nobody told me") keeps their problem open: it is
no confirmation that it is sorted. Being billed for something the customer has already
given up (a flat handed back, a line cancelled) is a problem raised, whatever the words.
"""

from __future__ import annotations

import pytest

from tests.test_criteria import CHANNELS, result

PITCH = {"phrases": ["Spring Unlimited", "Fibre Max", "Boiler Care"], "match": "fuzzy"}
TIMING = {"type": "upsell_timing.v1", "pitch": PITCH}


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_indignation_does_not_close_the_problem(channel: str) -> None:
    start = [
        ("customer", "My broadband went down on Saturday and the engineer never came."),
        ("agent", "The weekend visit isn't part of your plan, I'm afraid."),
    ]
    pitch = [("agent", "Spring Unlimited gives you unlimited data for twenty pounds a month.")]
    indignant = [("customer", "Honestly that's absurd, nobody ever told me it wasn't included.")]
    assert result(TIMING, channel, start + indignant + pitch) == "fail"
    content = [("customer", "Okay, that's fine then, thanks.")]
    assert result(TIMING, channel, start + content + pitch) == "pass"


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_bill_for_what_the_customer_gave_up_is_a_problem(channel: str) -> None:
    lines = [
        ("customer", "You've sent me a bill for a flat I handed the keys back on in June."),
        (
            "agent",
            "Let me look into that for you. While I do, Boiler Care covers every repair "
            "for eight pounds a month.",
        ),
    ]
    assert result(TIMING, channel, lines) == "fail"
    asked = [("customer", "How do I read the meter in my new flat?")] + lines[1:]
    assert result(TIMING, channel, asked) == "pass"  # a question, no problem raised
