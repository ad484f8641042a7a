"""More causes of disagreement with expert QA, each in voice, chat and email.

Literal phrase lists: a required list whose phrases all do one thing (greet, give the
recording notice) passes the same act said in the agent's own words; a forbidden list
stays literal, so a polite close never auto-fails a contact.
"""

from __future__ import annotations

import pytest

from tests.test_criteria import CHANNELS, result

GREETING = {
    "type": "phrase.v1",
    "phrases": [
        "thanks for calling Northwind",
        "thank you for contacting Northwind",
        "welcome to Northwind",
        "you're through to Northwind",
    ],
    "match": "fuzzy",
    "window": {"first_turns": 2},
}
RECORDING = {
    "type": "phrase.v1",
    "phrases": [
        "this call is recorded",
        "calls are recorded for quality",
        "we record our calls for training",
    ],
    "match": "fuzzy",
}
FORBIDDEN = {
    "type": "phrase.v1",
    "mode": "forbidden",
    "phrases": ["calm down", "that's not my problem", "there's nothing I can do"],
    "match": "fuzzy",
}


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_greeting_in_the_agents_own_words_passes_a_literal_list(channel: str) -> None:
    own_words = [
        ("agent", "Morning, Northwind Energy, Callum speaking."),
        ("customer", "Hi, I've got a question about my tariff."),
    ]
    assert result(GREETING, channel, own_words) == "pass"
    no_greeting = [
        ("agent", "Can I take the account number please?"),
        ("customer", "Hi, I've got a question about my tariff."),
    ]
    assert result(GREETING, channel, no_greeting) == "fail"


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_recording_notice_in_other_words_passes(channel: str) -> None:
    own_words = [
        ("agent", "Just so you know, I keep a recording of this conversation for our notes."),
        ("customer", "That's fine."),
    ]
    assert result(RECORDING, channel, own_words) == "pass"
    none = [
        ("agent", "Let me pull up your policy."),
        ("customer", "That's fine."),
    ]
    assert result(RECORDING, channel, none) == "fail"


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_forbidden_list_stays_literal(channel: str) -> None:
    polite = [
        ("customer", "Thanks, that's everything sorted then."),
        ("agent", "Glad to help. Is there anything else I can do for you today?"),
    ]
    assert result(FORBIDDEN, channel, polite) == "pass"
    said = [
        ("customer", "This is the third time I've called!"),
        ("agent", "I'm afraid there's nothing I can do about that."),
    ]
    assert result(FORBIDDEN, channel, said) == "fail"


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_greeting_by_meaning_gives_the_company_and_an_own_name(channel: str) -> None:
    company_only = [
        ("agent", "Northwind, go ahead."),
        ("customer", "Hi, I've got a question about my tariff."),
    ]
    assert result(GREETING, channel, company_only) == "fail"
    other_company = [
        ("agent", "Morning, Eastgate Power, Callum speaking."),
        ("customer", "Hi, I've got a question about my tariff."),
    ]
    assert result(GREETING, channel, other_company) == "fail"


def test_names_every_phrase_gives_and_own_name_introductions() -> None:
    from qa.scorecard.context import _introduces_someone, list_names

    assert list_names(["thanks for calling Acme", "Acme Mobile, you're speaking with"]) == ["acme"]
    assert list_names(["calls are recorded", "I record our calls"]) == []
    phrases = ["welcome to Acme"]
    assert _introduces_someone("Hi, you're through to Sam at Acme.", phrases)
    assert _introduces_someone("Acme Mobile, Dan speaking.", phrases)
    assert _introduces_someone("Thanks for your email. I'm Rosa from the support team.", phrases)
    assert not _introduces_someone("Acme, go ahead.", phrases)
    assert not _introduces_someone("Hello, this is Acme.", phrases)
    assert not _introduces_someone("Welcome to Acme chat.", phrases)


PITCH = {"phrases": ["Spring Unlimited", "Fibre Max", "Boiler Care"], "match": "fuzzy"}
NEEDS = {
    "type": "needs_discovery.v1",
    "pitch": PITCH,
    "min_open_questions": 1,
    "require_acknowledgement": False,
}
EXPLAINED = {
    "type": "product_explanation.v1",
    "key_points": [
        {"id": "price", "phrases": ["a month"]},
        {"id": "term", "phrases": ["no contract", "cancel any time"]},
    ],
    "min_coverage": 1.0,
    "require_needs_link": True,
    "require_check": False,
}


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_product_mentioned_as_a_soft_offer_is_a_pitch(channel: str) -> None:
    lines = [
        ("customer", "My boiler made a banging noise again last night."),
        ("agent", "While I have you, have you come across our Boiler Care cover?"),
        ("customer", "No, what is it?"),
    ]
    assert result(NEEDS, channel, lines) == "fail"  # pitched with no question first
    asked = [
        ("customer", "My boiler made a banging noise again last night."),
        ("agent", "What happens when it starts banging, and how old is the boiler?"),
        ("customer", "It's about twelve years old and it bangs when the heating comes on."),
    ] + lines[1:]
    assert result(NEEDS, channel, asked) == "pass"


@pytest.mark.models  # judging meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_an_offer_tied_to_the_need_by_playing_it_back(channel: str) -> None:
    start = [
        ("customer", "I travel to Spain for my job every month and the bills are huge."),
        ("agent", "How do you use your phone while you're there?"),
        ("customer", "Maps and video calls with my kids, mostly."),
    ]
    offer = [
        ("agent", "I'd recommend Spring Unlimited. It's 20 pounds a month, no contract."),
        ("customer", "Okay."),
    ]
    played_back = [
        ("agent", "So you're abroad monthly for work, staying in touch with your family."),
    ]
    assert result(EXPLAINED, channel, start + played_back + offer) == "pass"
    assert result(EXPLAINED, channel, start + offer) == "fail"
