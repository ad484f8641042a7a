"""Text-level causes of disagreement with expert QA, each in voice, chat and email.

- A check for understanding in the agent's own words counts; a closing question
  ("Shall I put that through?") does not.
- Talk share: on a call transcript that times only when each turn starts, the words say
  who talked (a turn's "length" is the pause before the next one); on chat and email the
  share of the messages says how the turns were taken.
- Email response times do not count the weekend.
- A fuzzy list read by meaning still speaks of the list's topic: asking for a date of birth
  is not asking for meter readings.
"""

from __future__ import annotations

from typing import Any

import pytest

from qa.ingest.email import build_thread, parse_message
from qa.ingest.transcripts import RoleHints, build_interaction, parse_call_text
from qa.metrics import compute_metrics
from tests.test_criteria import CHANNELS, verdict

EXPLAINED = {
    "type": "product_explanation.v1",
    "key_points": [
        {"id": "price", "phrases": ["a month"]},
        {"id": "term", "phrases": ["no contract"]},
    ],
    "require_needs_link": False,
    "require_check": True,
}


def offer_then(close: str) -> list[tuple[str, str]]:
    return [
        ("customer", "My evenings keep buffering when the whole family is online."),
        (
            "agent",
            "I'd recommend our Fibre Plus plan for that. It's thirty pounds a month and there's "
            "no contract, so you can stop whenever you like.",
        ),
        ("agent", close),
        ("customer", "Okay."),
    ]


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_check_in_the_agents_words_counts_and_a_close_does_not(channel: str) -> None:
    checked = offer_then("Would that keep up with everyone streaming at once, do you think?")
    assert verdict(EXPLAINED, channel, checked).result == "pass"
    closed = offer_then("Do you want me to put the order through today?")
    out = verdict(EXPLAINED, channel, closed)
    assert out.result == "fail" and "no check for understanding" in (out.note or "")


READINGS = {
    "type": "phrase.v1",
    "phrases": ["meter readings", "read your meters", "final readings", "photo of the meter"],
    "match": "fuzzy",
}


@pytest.mark.models
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_list_read_by_meaning_keeps_to_its_topic(channel: str) -> None:
    other_data = [
        ("customer", "We're moving out of the flat on the 3rd."),
        ("agent", "No problem. What's your date of birth and the new postcode?"),
    ]
    assert verdict(READINGS, channel, other_data).result == "fail"
    readings = [
        ("customer", "We're moving out of the flat on the 3rd."),
        ("agent", "On the day you leave, could you send us your meter readings?"),
    ]
    assert verdict(READINGS, channel, readings).result == "pass"


TALK = {"type": "metric.v1", "metric": "talk_ratio", "max": 0.7}


def test_talk_share_of_a_transcript_timed_at_turn_starts_counts_words() -> None:
    # The customer's one-word answers "last" until the agent speaks again: by time the agent
    # has half of the call, by words nearly all of it.
    text = "\n".join(
        [
            "[10:00:00] Agent: Good morning, I'm ringing about your renewal, and I'd like to "
            "take you through every part of the new quote before we do anything else today.",
            "[10:00:20] Customer: Right.",
            "[10:00:40] Agent: The premium goes up by eight pounds, the excess stays the same, "
            "and breakdown cover is added for another four pounds on top of that each month.",
            "[10:01:00] Customer: Okay.",
            "[10:01:20] Agent: Fine, bye.",
        ]
    )
    item = build_interaction(parse_call_text(text), "renewal.txt", RoleHints())
    metrics = compute_metrics(item)
    assert metrics["talk_ratio"] > 0.9
    assert verdict_on(item) == "fail"


def verdict_on(item: Any) -> str:
    from pydantic import TypeAdapter

    from qa.matching import Matcher
    from qa.scorecard.context import Context
    from qa.scorecard.criteria import EVALUATORS
    from qa.scorecard.schema import Criterion

    c = TypeAdapter(Criterion).validate_python({"id": "c", **TALK})
    return str(EVALUATORS[c.type](c, Context(item, Matcher())).result)


@pytest.mark.parametrize("channel", ["chat", "email"])
def test_talk_share_on_text_is_how_the_turns_are_taken(channel: str) -> None:
    long_answer = (
        "Thanks for the detail. The charge is the roaming day rate for the three days you "
        "were in Spain, which applies because the roaming bundle ended last month; I've "
        "refunded two of the days and set the bundle up again so it won't happen next time."
    )
    two_way = [
        ("customer", "Why is my bill higher?"),
        ("agent", long_answer),
        ("customer", "Thanks, that's clear."),
        ("agent", long_answer),
    ]
    assert verdict(TALK, channel, two_way).result == "pass"  # 90 % of the words
    reader = [
        ("customer", "Hello"),
        ("agent", "Welcome."),
        ("agent", "Our plans start at ten pounds."),
        ("agent", "Fibre is twenty pounds."),
        ("agent", "Cover is five pounds."),
    ]
    assert verdict(TALK, channel, reader).result == "fail"  # short, but four in a row


def test_talk_share_on_a_call_with_timed_speech_is_by_time() -> None:
    talk = [
        ("agent", "Hello, how can I help you today?"),
        ("customer", "My internet keeps dropping every evening and I cannot work like this."),
        ("agent", "I'm sorry, let me check."),
    ]
    assert verdict(TALK, "voice", talk).result == "pass"


def _mail(sender: str, date: str, body: str, n: int) -> Any:
    raw = (
        f"From: {sender}\nTo: help@meadow.example\nSubject: Bill\nDate: {date}\n"
        f"Message-ID: <m{n}@x.example>\n" + (f"In-Reply-To: <m{n - 1}@x.example>\n" if n else "")
    )
    return parse_message((raw + "\n" + body + "\n").encode(), f"m{n}.eml")


def test_email_reply_time_leaves_out_the_weekend() -> None:
    friday_evening = _mail("ann@home.example", "Fri, 05 Jun 2026 18:00:00 +0100", "Why?", 0)
    monday_morning = _mail("sam@meadow.example", "Mon, 08 Jun 2026 09:00:00 +0100", "Here.", 1)
    item = build_thread([friday_evening, monday_morning], ["meadow.example"], [])
    metrics = compute_metrics(item)
    assert metrics["response_longest"] == 15 * 3600.0  # 6 h on Friday, 9 h on Monday
    tuesday = _mail("sam@meadow.example", "Tue, 09 Jun 2026 19:00:00 +0100", "Here.", 1)
    late = compute_metrics(build_thread([friday_evening, tuesday], ["meadow.example"], []))
    assert late["response_longest"] == (6 + 24 + 19) * 3600.0
    wednesday_asked = _mail("ann@home.example", "Wed, 10 Jun 2026 08:00:00 +0100", "Why?", 0)
    thursday = _mail("sam@meadow.example", "Thu, 11 Jun 2026 10:00:00 +0100", "Here.", 1)
    weekday = compute_metrics(build_thread([wednesday_asked, thursday], ["meadow.example"], []))
    assert weekday["response_longest"] == 26 * 3600.0


JARGON = {
    "type": "phrase.v1",
    "mode": "forbidden",
    "phrases": ["MPXN", "AQR", "SOLR"],
    "match": "exact",
}


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_industry_term_explained_in_the_same_breath_is_allowed(channel: str) -> None:
    for explained in (
        "I'll need the MPXN, that's the reference printed on the front of your meter.",
        "Your annual quantity reading (AQR for short) is what the estimate uses.",
        "We've raised an SOLR (a supplier of last resort request) with the regulator.",
        "The AQR - your estimated yearly use - went up in March.",
    ):
        out = verdict(JARGON, channel, [("customer", "Hello?"), ("agent", explained)])
        assert out.result == "pass", explained
    for bare in (
        "I'll need the MPXN before I can book it.",
        "Your AQR has gone up, which is why the bill changed.",
        "Once the SOLR goes through we'll write to you.",
    ):
        out = verdict(JARGON, channel, [("customer", "Hello?"), ("agent", bare)])
        assert out.result == "fail", bare


def test_only_terms_in_capitals_are_excused_by_an_explanation() -> None:
    from qa.scorecard.criteria import explained_term

    assert explained_term("EAC", "the EAC, which is your estimated yearly use")
    assert not explained_term("calm down", "calm down, which is all I'm asking")
    assert not explained_term("EAC", "the EAC is up")


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_card_that_asks_for_the_agents_name_wants_it_in_the_greeting(channel: str) -> None:
    greeting = {
        "type": "phrase.v1",
        "phrases": ["welcome to Northwind", "thanks for contacting Northwind"],
        "match": "exact",
        "window": {"first_turns": 1},
        "coaching": "Say it's Northwind and give your own first name.",
    }
    company_only = [("agent", "Welcome to Northwind support."), ("customer", "Hi.")]
    # An email gives the name where it is signed.
    assert verdict(greeting, channel, company_only).result == (
        "pass" if channel == "email" else "fail"
    )
    named = [("agent", "Welcome to Northwind support, I'm Tomasz."), ("customer", "Hi.")]
    assert verdict(greeting, channel, named).result == "pass"
    no_name_asked = {**greeting, "coaching": "Say it's Northwind."}
    assert verdict(no_name_asked, channel, company_only).result == "pass"
