"""Every criterion type, on realistic transcripts, in voice, chat and email: cases that
must pass and cases that must fail."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from qa.campaigns.check import check_interaction
from qa.campaigns.schema import load_campaigns
from qa.matching import Matcher
from qa.model import Agent, Interaction, Turn
from qa.scorecard.context import Context
from qa.scorecard.criteria import EVALUATORS
from qa.scorecard.schema import Criterion, CriterionBase
from qa.text import word_count
from tests.conftest import ROOT

CHANNELS = ["voice", "chat", "email"]
CRITERION: TypeAdapter[Any] = TypeAdapter(Criterion)


def conversation(channel: str, lines: list[tuple[str, str]]) -> Interaction:
    """Times as each channel has them: speech at 2.5 words/s, chat every 30 s, email every 3 h."""
    turns, t = [], 0.0
    for role, text in lines:
        if channel == "voice":
            length = word_count(text) / 2.5
            turns.append(Turn(role=role, text=text, start=t, end=t + length))
            t += length + 0.7
        else:
            turns.append(Turn(role=role, text=text, start=t, end=t))
            t += 30.0 if channel == "chat" else 10800.0
    return Interaction(
        id="t",
        channel=channel,
        source="t",
        agent=Agent("a"),
        turns=turns,
        duration=t,
        started_at="2026-03-10T10:00:00Z",
    )


def verdict(criterion: dict[str, Any], channel: str, lines: list[tuple[str, str]]) -> Any:
    c: CriterionBase = CRITERION.validate_python({"id": "c", **criterion})
    item = conversation(channel, lines)
    flags = None
    if c.type == "campaign_consistency.v1":  # type: ignore[attr-defined]
        flags = check_interaction(item, load_campaigns(ROOT / "scorecards" / "campaigns"))
    out = EVALUATORS[c.type](c, Context(item, Matcher(), None, flags))  # type: ignore[attr-defined]
    assert out.evidence or out.result == "na", "every verdict carries evidence"
    for e in out.evidence:
        assert e.quote
    return out


def result(criterion: dict[str, Any], channel: str, lines: list[tuple[str, str]]) -> str:
    """The verdict's result alone: pass, fail or na."""
    return str(verdict(criterion, channel, lines).result)


PITCH = {"phrases": ["Spring Unlimited", "Fibre Max", "our new plan"]}

CASES: dict[str, tuple[dict[str, Any], list[tuple[str, str]], list[tuple[str, str]]]] = {
    "phrase.v1": (
        {
            "type": "phrase.v1",
            "phrases": ["thank you for contacting Northwind"],
            "window": {"first_turns": 1},
        },
        [
            ("agent", "Hi, thank you for contacting Northwind Mobile, this is Ana."),
            ("customer", "Hi Ana."),
        ],
        [
            ("agent", "Yeah, what is it?"),
            ("customer", "Is this Northwind?"),
            ("agent", "Thank you for contacting Northwind."),
        ],
    ),
    "question.v1": (
        {"type": "question.v1", "kind": "open", "min": 2},
        [
            ("customer", "I'd like a new plan."),
            ("agent", "Sure. How do you use your phone most days?"),
            ("customer", "Mostly maps and music."),
            ("agent", "And what do you pay at the moment?"),
        ],
        [
            ("customer", "I'd like a new plan."),
            ("agent", "Do you want the cheapest one?"),
            ("customer", "Maybe."),
            ("agent", "Is twenty dollars okay?"),
        ],
    ),
    "order.v1": (
        {
            "type": "order.v1",
            "first": {"phrases": ["confirm your date of birth"]},
            "then": {"phrases": ["your balance is"]},
        },
        [
            ("customer", "What do I owe?"),
            ("agent", "Can you confirm your date of birth first?"),
            ("customer", "Third of May 1990."),
            ("agent", "Thanks. Your balance is $42."),
        ],
        [
            ("customer", "What do I owe?"),
            ("agent", "Your balance is $42."),
            ("agent", "Oh, and can you confirm your date of birth?"),
        ],
    ),
    "metric.v1": (
        {"type": "metric.v1", "metric": "talk_ratio", "max": 0.7},
        [
            ("agent", "How can I help you today?"),
            (
                "customer",
                "My bill went up by twenty dollars this month and I do not know why that happened.",
            ),
            ("agent", "Let me look. It is roaming from your trip in February."),
        ],
        [
            (
                "agent",
                "Thanks for calling. Let me tell you about everything we offer this month, "
                "starting with our plans, then our broadband, then our insurance, then our "
                "accessories and finally our loyalty programme, which has many tiers.",
            ),
            ("customer", "Okay."),
            ("agent", "So the first plan is the basic plan which costs ten dollars."),
            ("agent", "Then there is the family plan, which costs twenty dollars."),
        ],
    ),
    "script_reading.v1": (
        {
            "type": "script_reading.v1",
            "script": [
                "Spring Unlimited gives you unlimited data, unlimited calls and texts and 300 international "
                "minutes for just 35 dollars a month for 12 months.",
                "As a valued customer you qualify for an exclusive upgrade with no upfront cost.",
            ],
        },
        [
            (
                "customer",
                "Hi, is there a cheaper plan with more data? I stream on the train a lot.",
            ),
            (
                "agent",
                "Yes. Since you stream on the train, Spring Unlimited fits: the data never runs out.",
            ),
            ("customer", "What does it cost?"),
            ("agent", "It is 35 dollars a month, for 12 months."),
        ],
        [
            (
                "agent",
                "Spring Unlimited gives you unlimited data, unlimited calls and texts and 300 "
                "international minutes for just 35 dollars a month for 12 months.",
            ),
            ("customer", "Wait, does my current phone still work with it? I dropped it last week."),
            (
                "agent",
                "As a valued customer you qualify for an exclusive upgrade with no upfront cost.",
            ),
            ("customer", "You did not answer me about the broken screen."),
        ],
    ),
    "needs_discovery.v1": (
        {"type": "needs_discovery.v1", "pitch": PITCH, "min_open_questions": 2},
        [
            ("agent", "How do you mostly use your phone?"),
            ("customer", "I need lots of data, I watch videos on the train."),
            ("agent", "What else matters to you in a plan?"),
            ("customer", "I want cheap calls to Spain."),
            (
                "agent",
                "So you need plenty of data and cheap calls to Spain. Spring Unlimited covers both.",
            ),
        ],
        [
            ("agent", "Spring Unlimited is our best plan, you should take it."),
            ("customer", "I need lots of data."),
            ("agent", "How much data do you use?"),
        ],
    ),
    "product_explanation.v1": (
        {
            "type": "product_explanation.v1",
            "key_points": [
                {"id": "price", "phrases": ["35 dollars a month"]},
                {"id": "data", "phrases": ["unlimited data"]},
                {"id": "term", "phrases": ["12 months"]},
            ],
        },
        [
            ("customer", "I keep running out of data on the train."),
            (
                "agent",
                "Spring Unlimited has unlimited data, so you won't run out on the train. "
                "It is 35 dollars a month for 12 months. Does that make sense?",
            ),
        ],
        [
            ("customer", "I keep running out of data on the train."),
            ("agent", "Spring Unlimited is 35 dollars a month."),
            ("customer", "Okay."),
        ],
    ),
    "upsell_timing.v1": (
        {"type": "upsell_timing.v1", "pitch": PITCH},
        [
            ("customer", "My internet has stopped working again."),
            ("agent", "I'm sorry. I've reset the line from here, is it back on now?"),
            ("customer", "Yes, it's working again, thank you."),
            ("agent", "While I have you, our new plan Fibre Max is twice as fast."),
        ],
        [
            ("customer", "My internet has stopped working again."),
            ("agent", "Have you thought about Fibre Max? It is twice as fast."),
            ("customer", "I just want it working."),
        ],
    ),
    "campaign_consistency.v1": (
        {"type": "campaign_consistency.v1"},
        [
            ("customer", "How much is Spring Unlimited?"),
            ("agent", "Spring Unlimited is $35 a month for 12 months."),
        ],
        [
            ("customer", "How much is Spring Unlimited?"),
            ("agent", "Spring Unlimited is $39 a month for 12 months."),
        ],
    ),
    "retention.v1": (
        {"type": "retention.v1"},
        [
            ("customer", "How much would it cost to pay off my loan early?"),
            (
                "agent",
                "I can get you that figure. May I ask why you are thinking of paying it off?",
            ),
        ],
        [
            ("customer", "How much would it cost to pay off my loan early?"),
            ("agent", "It is 2,140 dollars. I can send you the form."),
        ],
    ),
}


# Types that judge what a turn does (dialogue acts): the lexical stand-in of the fast tests
# cannot tell an offer from a question, so these run on the real sentence model.
BY_MEANING = {"needs_discovery.v1", "product_explanation.v1", "retention.v1", "upsell_timing.v1"}


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(
    "type_name",
    [pytest.param(t, marks=pytest.mark.models) if t in BY_MEANING else t for t in sorted(CASES)],
)
def test_type_passes_and_fails(type_name: str, channel: str) -> None:
    criterion, good, bad = CASES[type_name]
    passed = verdict(criterion, channel, good)
    assert passed.result == "pass", (passed.note, passed.details)
    failed = verdict(criterion, channel, bad)
    assert failed.result == "fail", (failed.note, failed.details)


def test_every_type_has_cases() -> None:
    assert set(CASES) == set(EVALUATORS)


def test_failure_evidence_points_at_the_searched_window() -> None:
    out = verdict(
        {
            "type": "phrase.v1",
            "phrases": ["thank you for calling"],
            "window": {"first_seconds": 30},
        },
        "voice",
        [("agent", "Yes?"), ("customer", "Hi, I have a question about my bill please.")],
    )
    assert out.result == "fail"
    [ev] = out.evidence
    assert (ev.turn, ev.start, ev.end) == (None, 0.0, 30.0)
    assert "thank you for calling" in ev.quote and ev.quote.endswith("0–30 s")


def test_na_when_nothing_to_judge() -> None:
    assert (
        verdict(CASES["retention.v1"][0], "chat", [("customer", "Where is my parcel?")]).result
        == "na"
    )
    assert (
        verdict(CASES["upsell_timing.v1"][0], "email", [("customer", "My bill is wrong.")]).result
        == "na"
    )


def test_forbidden_phrase() -> None:
    rule = {"type": "phrase.v1", "mode": "forbidden", "phrases": ["calm down"]}
    assert verdict(rule, "chat", [("agent", "Please calm down, sir.")]).result == "fail"
    assert verdict(rule, "chat", [("agent", "I understand, let me help.")]).result == "pass"


def test_regex_and_exact_matching() -> None:
    regex = {
        "type": "phrase.v1",
        "match": "regex",
        "phrases": [r"\bcase (number )?(is )?[A-Z]{2}-\d{4}\b"],
    }
    assert verdict(regex, "email", [("agent", "Your case number is CS-1234.")]).result == "pass"
    assert verdict(regex, "email", [("agent", "Your case is open.")]).result == "fail"
    exact = {"type": "phrase.v1", "match": "exact", "phrases": ["Northwind Mobile"]}
    assert verdict(exact, "chat", [("agent", "northwind mobile, hi!")]).result == "pass"
    assert verdict(exact, "chat", [("agent", "Northwind Mobiles")]).result == "fail"


def test_chinese_exact_and_fuzzy_matching() -> None:
    exact = {"type": "phrase.v1", "match": "exact", "phrases": ["感谢您致电"]}
    assert (
        verdict(
            exact, "voice", [("agent", "您好，感谢您致电北风移动，请问有什么可以帮您？")]
        ).result
        == "pass"
    )
    assert verdict(exact, "voice", [("agent", "您好，请问有什么事？")]).result == "fail"
    fuzzy = {"type": "phrase.v1", "match": "fuzzy", "phrases": ["感谢您致电北风移动"]}
    assert verdict(fuzzy, "chat", [("agent", "您好，感谢你致电北风移动。")]).result == "pass"
    assert verdict(fuzzy, "chat", [("agent", "您好，请稍等。")]).result == "fail"


def test_script_reading_reports_a_score_and_signals() -> None:
    criterion, good, bad = CASES["script_reading.v1"]
    low = verdict(criterion, "voice", good).details
    high = verdict(criterion, "voice", bad).details
    assert 0 <= low["score"] < 0.5 < high["score"] <= 1
    assert high["signals"]["ignored_questions"] == 1.0
    assert set(high["signals"]) >= {"verbatim", "ignored_questions", "fast_monologue"}


@pytest.mark.models
def test_needs_discovery_lists_the_customers_needs() -> None:
    criterion, good, _ = CASES["needs_discovery.v1"]
    out = verdict(criterion, "chat", good)
    assert out.details["needs"] == [
        "I need lots of data, I watch videos on the train.",
        "I want cheap calls to Spain.",
    ]
    assert any(e.role == "customer" and "cheap calls" in e.quote for e in out.evidence)
