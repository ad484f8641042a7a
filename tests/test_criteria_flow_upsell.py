"""Upsell timing and retention by cause, each in voice, chat and email.

A customer's indignation ("that's absurd, nobody told me") keeps their problem open: it is
no confirmation that it is sorted. Being billed for something the customer has already
given up (a flat handed back, a line cancelled) is a problem raised, whatever the words.
A product the card does not list is pitched all the same where the agent proposes it by
name ("I can put you on ...", "... off our travel insurance"), unless it is what the
customer holds or the default they roll onto. Telling a customer they may take their
business elsewhere whenever they want is no retention move.
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


NEEDS = {
    "type": "needs_discovery.v1",
    "pitch": PITCH,
    "min_open_questions": 1,
    "require_acknowledgement": False,
}


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_an_offer_of_a_product_the_card_does_not_list_is_a_pitch(channel: str) -> None:
    start = [("customer", "I only use my phone for maps and messages, to be honest.")]
    named = [("agent", "I can put you on Talk Saver 8 instead, it's seven pounds a month.")]
    assert result(TIMING, channel, start + named) == "pass"
    assert result(NEEDS, channel, start + named) == "fail"  # no question before it
    ours = [("agent", "As a member you can get fifteen percent off our travel insurance today.")]
    assert result(TIMING, channel, start + ours) == "pass"
    not_offered = [
        ("agent", "I can see you're on our Talk Saver 8 plan at the moment."),
        ("agent", "If you do nothing, you roll onto our standard monthly plan in June."),
        ("agent", "I can't see their quote, but ours covers a lot more."),
    ]
    for line in not_offered:
        assert result(TIMING, channel, [*start, line]) == "na", line


# A card whose save list speaks of taking the service along ("you can take us with you"):
# being told they may take it elsewhere whenever they want reads close to that.
KEEP = {
    "type": "retention.v1",
    "within_turns": 2,
    "save": {
        "phrases": ["can I ask why", "you can take us with you", "I can offer"],
        "match": "semantic",
    },
}


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_letting_a_customer_go_is_no_retention_move(channel: str) -> None:
    cue = [("customer", "If the price stays like this I'm moving to another provider.")]
    waved_off = [
        (
            "agent",
            "It's easy to take it with you whenever you want, the new firm sorts out the transfer.",
        ),
    ]
    assert result(KEEP, channel, cue + waved_off) == "fail"
    kept = [("agent", "I'd hate to lose you, can I ask what they're offering you?")]
    assert result(KEEP, channel, cue + kept) == "pass"
