"""Criteria judge what a turn does, not which words it uses: one test per cause of
disagreement with expert QA, in voice, chat and email. Each failed before criteria read
dialogue acts (or before email bodies were unwrapped)."""

from __future__ import annotations

import pytest

from qa.ingest.email import strip_reply
from tests.test_criteria import CHANNELS, result

OPEN = {"type": "question.v1", "kind": "open", "min": 1}
PITCH = {"phrases": ["Spring Unlimited", "Fibre Max", "Boiler Care"]}
UPSELL = {"type": "upsell_timing.v1", "pitch": PITCH}
RETENTION = {"type": "retention.v1"}


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_data_requests_are_not_discovery(channel: str) -> None:
    asked_for_data = [
        ("customer", "My parcel hasn't turned up."),
        ("agent", "What's the order number?"),
        ("customer", "It's NW-1234."),
        ("agent", "What's the postcode on the account?"),
        ("customer", "LS1 4AB."),
    ]
    assert result(OPEN, channel, asked_for_data) == "fail"
    explored = asked_for_data + [("agent", "What happened when the courier came by?")]
    assert result(OPEN, channel, explored) == "pass"


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_pitch_put_as_a_question_is_not_an_open_question(channel: str) -> None:
    lines = [
        ("customer", "My broadband keeps dropping out in the evenings."),
        ("agent", "Have you thought about upgrading to Fibre Max?"),
        ("customer", "Not really."),
    ]
    assert result(OPEN, channel, lines) == "fail"


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_help_offer_counts_only_when_it_names_what_the_customer_raised(channel: str) -> None:
    canned = [
        ("customer", "Hi, the refund for my returned jacket still isn't showing."),
        ("agent", "Hello, you're through to Northwind. How can I help you today?"),
    ]
    assert result(OPEN, channel, canned) == "fail"
    named = [
        ("customer", "Hi, the refund for my returned jacket still isn't showing."),
        ("agent", "Hello, you're through to Northwind. How can I help with the refund?"),
    ]
    assert result(OPEN, channel, named) == "pass"


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_goodbye_is_not_a_churn_cue(channel: str) -> None:
    lines = [
        ("customer", "Why is this month's bill so high?"),
        ("agent", "There was a one-off roaming charge, I've taken half of it off."),
        ("customer", "Okay, that's fine then. Bye."),
    ]
    assert result(RETENTION, channel, lines) == "na"


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_churn_cue_in_other_words_needs_a_save(channel: str) -> None:
    ignored = [
        ("customer", "Honestly I'm ready to take my business to someone else after this."),
        ("agent", "Okay, I've noted that on the account."),
        ("customer", "Fine."),
    ]
    assert result(RETENTION, channel, ignored) == "fail"
    saved = ignored[:1] + [
        ("agent", "I'd hate to lose you. Can I ask what's pushed you to that point?"),
    ]
    assert result(RETENTION, channel, saved) == "pass"


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_pitch_that_fixes_the_customers_own_problem_is_not_over_it(channel: str) -> None:
    fixes = [
        ("customer", "My data keeps running out a week before the month ends."),
        ("agent", "How do you use it mostly?"),
        ("customer", "Streaming on the bus."),
        ("agent", "Spring Unlimited would sort that, so you won't run out of data again."),
    ]
    assert result(UPSELL, channel, fixes) == "pass"
    over_a_fault = [
        ("customer", "My line has been dead since Tuesday and nobody has come out."),
        ("agent", "While I have you, Fibre Max is twice as fast for only five pounds more."),
    ]
    assert result(UPSELL, channel, over_a_fault) == "fail"


WRAPPED = (
    "Hi Sam,\n\nThanks for your email. Before we go any further with closing the account, may I\n"
    "ask what has made you want to leave us?\n\nKind regards,\nJo"
)


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_question_broken_by_a_hard_wrap_is_still_one_question(channel: str) -> None:
    body = strip_reply(WRAPPED)
    assert "may I ask what has made you want to leave us?" in body
    lines = [("customer", "Please close my account."), ("agent", body)]
    assert result(OPEN, channel, lines) == "pass"


def test_a_postscript_after_the_signature_is_kept() -> None:
    body = "Your refund is on its way.\n\nBest,\nJo\n-- \nNorthwind | 0800 000\nP.S. Ask me about Boiler Care."
    text = strip_reply(body)
    assert text.startswith("Your refund is on its way.")
    assert text.endswith("P.S. Ask me about Boiler Care.")
    assert "0800" not in text and "Best" not in text
