"""Text-level causes of disagreement with expert QA, second part, each in voice, chat and
email where the cause can occur there.

- Email bodies are unwrapped before sentences are split: format=flowed soft breaks (with
  and without DelSp), space-stuffing, and a plain hard wrap at any width where the line
  stops mid-sentence; a quoted reply whose "On ... wrote:" header was wrapped onto two
  lines stays out of the new text.
- Script reading is measured per sentence: a script sentence read word for word counts even
  inside a turn that says more; a customer's question or objection answered with the next
  script line, a pitch or the next question (none of their words, no acknowledgement) is
  brushed aside, and twice fails, even when nothing is read word for word.
"""

from __future__ import annotations

from typing import Any

import pytest

from qa.ingest.email import parse_message, strip_reply
from qa.text import sentences
from tests.test_criteria import CHANNELS, verdict

OPEN = {"type": "question.v1", "kind": "open", "min": 1}


def _eml(body: str, params: str = "") -> bytes:
    head = (
        "From: Jo <jo@northwind.example>\r\nTo: sam@mail.example\r\nSubject: Your account\r\n"
        "Date: Tue, 02 Jun 2026 09:00:00 +0100\r\nMessage-ID: <a1@northwind.example>\r\n"
        f'MIME-Version: 1.0\r\nContent-Type: text/plain; charset="utf-8"{params}\r\n'
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    )
    return (head + body.replace("\n", "\r\n")).encode()


FLOWED = (
    "Hi Sam,\n\nThanks for getting back to me. Before I close the account, could you tell \n"
    "me what has made you decide to move to another provider?\n\n"
    "> On Monday you wrote that you want to \n> close it.\n\nJo\n"
)
# DelSp=yes: the client added the space before each soft break, so it is taken out again.
FLOWED_DELSP = (
    "Hi Sam,\n\nThanks for getting back to me. Before I close the account, could you tell  \n"
    "me what has made you decide to move to another provider?\n\nJo\n"
)
NARROW = (
    "Hi Sam,\n\nThanks for the note. Before we\nclose the account, may I\n"
    "ask what is making you\nconsider a move?\n\nJo\n"
)
QUESTION = (
    "could you tell me what has made you decide to move to another provider?",
    "may I ask what is making you consider a move?",
)


@pytest.mark.parametrize(
    ("body", "params"),
    [
        (FLOWED, "; format=flowed"),
        (FLOWED_DELSP, '; format="flowed"; delsp=yes'),
        (NARROW, ""),
    ],
    ids=["flowed", "flowed-delsp", "narrow-hard-wrap"],
)
def test_an_email_sentence_broken_at_line_ends_is_one_sentence(body: str, params: str) -> None:
    text = strip_reply(parse_message(_eml(body, params), "m.eml").body)
    said = [s for s in sentences(text) if s.endswith("?")]
    assert len(said) == 1 and said[0].endswith(QUESTION), said
    assert "wrote" not in text and "close it" not in text  # the quoted reply stays apart
    assert not any(s.startswith(("me what", "ask what", "consider")) for s in sentences(text))


def test_flowed_with_delsp_takes_out_the_space_its_client_added() -> None:
    # A client wrapping text without spaces (Chinese here) breaks where it likes and marks
    # the break with a space that DelSp=yes says to delete.
    body = "您好，\n\n请问您为什么 \n想要离开我们？\n"
    text = strip_reply(parse_message(_eml(body, "; format=flowed; delsp=yes"), "m.eml").body)
    assert "请问您为什么想要离开我们？" in text


def test_a_quote_header_wrapped_onto_two_lines_starts_the_quoted_reply() -> None:
    body = (
        "Your refund went out this morning.\n\nJo\n\nOn Tue, 2 Jun 2026 at 08:14, Sam Smith\n"
        "<sam@mail.example> wrote:\nI want my money back.\n"
    )
    text = strip_reply(body)
    assert text == "Your refund went out this morning.\n\nJo"


def test_a_greeting_line_ending_in_a_comma_keeps_its_break() -> None:
    assert strip_reply("Hi Sam,\nthanks for your note.") == "Hi Sam,\nthanks for your note."


@pytest.mark.models  # open questions are judged by the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_an_unwrapped_question_counts_as_one_open_question(channel: str) -> Any:
    body = strip_reply(parse_message(_eml(NARROW), "m.eml").body)
    lines = [("customer", "Please close my account, I'm leaving."), ("agent", body)]
    out = verdict(OPEN, channel, lines)
    assert out.result == "pass", out.note


SCRIPT = {
    "type": "script_reading.v1",
    "script": [
        "I'm calling from Northwind Broadband because your contract ends next month and I'd "
        "like to tell you about our renewal offer.",
        "Our Fibre Plus plan gives you speeds of up to five hundred megabits for thirty pounds "
        "a month on an eighteen month contract.",
        "If you're happy to go ahead I can switch you over today and your new contract will "
        "start on the first of next month.",
    ],
}


@pytest.mark.models  # acknowledgements and pitches are judged by the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_the_script_read_straight_after_questions_fails(channel: str) -> None:
    lines = [
        ("agent", "Hello, it's Priya from Northwind, is that Mr Hale?"),
        ("customer", "Speaking."),
        (
            "agent",
            "Lovely, thanks for picking up, I won't keep you long at all this afternoon. "
            + SCRIPT["script"][0],
        ),
        ("customer", "Is this going to cost me more than I pay at the moment?"),
        (
            "agent",
            "Right then, bear with me while I bring everything up on the screen for you. "
            + SCRIPT["script"][1],
        ),
        ("customer", "Hang on, does that mean I'd be tied in for another year and a half?"),
        (
            "agent",
            "Okay, so the next thing for me to mention while we're talking today is this. "
            + SCRIPT["script"][2],
        ),
        ("customer", "I'll leave it, thanks."),
    ]
    out = verdict(SCRIPT, channel, lines)
    assert out.result == "fail", out.note
    assert out.details["brushed_aside"] == 2


@pytest.mark.models
@pytest.mark.parametrize("channel", CHANNELS)
def test_objections_brushed_aside_fail_even_without_reading(channel: str) -> None:
    lines = [
        ("agent", "Hi, it's Sam at Northwind. Your contract's up soon, fancy a quick quote?"),
        ("customer", "Not really, I already have broadband through my landlord's deal."),
        ("agent", "Can I take your postcode and the date you moved in?"),
        ("customer", "Does the quote include the router? Mine is ancient."),
        ("agent", "Shall I put the order through for you now then?"),
        ("customer", "No."),
    ]
    out = verdict(SCRIPT, channel, lines)
    assert out.result == "fail", out.note


@pytest.mark.models
@pytest.mark.parametrize("channel", CHANNELS)
def test_questions_taken_up_in_the_customers_words_pass(channel: str) -> None:
    lines = [
        ("agent", "Hi, it's Sam at Northwind. Your contract's up next month, got a minute?"),
        ("customer", "Is this going to cost me more than I pay now? Money's tight."),
        (
            "agent",
            "Good question. If money's tight we can keep what you pay now or even less. "
            "What do you mostly use the internet for?",
        ),
        ("customer", "Just streaming and my daughter's homework. I already have a router."),
        (
            "agent",
            "Then your router is fine to keep. For streaming and homework the basic plan at "
            "twenty-five pounds would do, and you could stop it with a month's notice.",
        ),
        ("customer", "Sounds good."),
    ]
    out = verdict(SCRIPT, channel, lines)
    assert out.result == "pass", out.note


APOLOGY = {
    "type": "phrase.v1",
    "name": "Acknowledge and apologise",
    "phrases": ["I'm sorry", "I apologise", "sorry about that"],
    "match": "semantic",
    "coaching": "Say sorry and show you understand what it has meant for them.",
}
TROUBLE = "My router keeps dying every night and I lost a whole evening of my online course."


@pytest.mark.models  # apologies and pitches are judged by the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_token_apology_then_a_pitch_falls_short(channel: str) -> None:
    lines = [
        ("customer", TROUBLE),
        (
            "agent",
            "I'm sorry to hear that. While you're here, our Fibre Max plan is only five pounds "
            "more a month and twice as fast, shall I upgrade you?",
        ),
    ]
    out = verdict(APOLOGY, channel, lines)
    assert out.result == "fail", out.note
    assert "does not acknowledge" in (out.note or "")


@pytest.mark.models
@pytest.mark.parametrize("channel", CHANNELS)
def test_apologies_for_the_inconvenience_alone_fall_short(channel: str) -> None:
    lines = [
        ("customer", TROUBLE),
        ("agent", "Apologies for any inconvenience. Please give me your account number."),
    ]
    assert verdict(APOLOGY, channel, lines).result == "fail"


@pytest.mark.models
@pytest.mark.parametrize("channel", CHANNELS)
def test_an_apology_that_names_what_happened_counts(channel: str) -> None:
    lines = [
        ("customer", TROUBLE),
        (
            "agent",
            "Oh no, sorry the router's been dropping out on you, losing a course evening is "
            "rubbish. Let's get it sorted.",
        ),
    ]
    out = verdict(APOLOGY, channel, lines)
    assert out.result == "pass", out.note
    plain = {**APOLOGY, "name": "Apology", "coaching": "Say sorry when something went wrong."}
    token = [("customer", TROUBLE), ("agent", "Apologies for any inconvenience.")]
    assert verdict(plain, channel, token).result == "pass"  # a card that asks for sorry alone


DISCOVERY = {"type": "question.v1", "kind": "open", "min": 1}


@pytest.mark.models  # questions about the situation are judged by the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_an_open_question_after_a_lead_in_clause_counts(channel: str) -> None:
    lines = [
        ("customer", "Why is my energy bill so much higher this quarter?"),
        (
            "agent",
            "Before I dig into the figures, how have you been using the heating since the autumn?",
        ),
    ]
    out = verdict(DISCOVERY, channel, lines)
    assert out.result == "pass", out.note
    data = [
        ("customer", "Why is my energy bill so much higher this quarter?"),
        ("agent", "Before I dig into the figures, what's your account number and postcode?"),
    ]
    assert verdict(DISCOVERY, channel, data).result == "fail"


@pytest.mark.models
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_canned_opener_after_the_customer_explained_is_not_discovery(channel: str) -> None:
    lines = [
        ("customer", "My parcel was marked delivered yesterday but nothing came."),
        ("agent", "Hello and welcome to Northwind. How can I help you today?"),
    ]
    out = verdict(DISCOVERY, channel, lines)
    assert out.result == "fail", out.note
