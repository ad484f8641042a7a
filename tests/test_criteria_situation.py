"""applies_when by situation: a condition's word list stands for what its words are about
(a loss reported, something gone wrong, a move, a billing query, wanting to leave), in voice,
chat and email.

- A list of single words ("broken", "useless", ...) that no head reads as sure as a
  sentence still stands for its situation: the criterion applies when the customer says
  what went wrong in other words.
- A situation by meaning must be stated: a fragment ("A flat."), a question about what a
  policy would cover, or an identifier (a policy number, a postcode) does not report a loss.
- A sentence that only gives an identifier performs no act at all.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from qa.matching import Matcher
from qa.scorecard.context import Context, fragment, identifier_only
from qa.scorecard.engine import evaluate_criterion
from qa.scorecard.schema import Criterion
from tests.test_criteria import CHANNELS, conversation

CRITERION: TypeAdapter[Any] = TypeAdapter(Criterion)


def result(criterion: dict[str, Any], channel: str, lines: list[tuple[str, str]]) -> Any:
    c = CRITERION.validate_python({"id": "c", **criterion})
    item = conversation(channel, lines)
    return evaluate_criterion(c, Context(item, Matcher()), [channel])


SORRY_WHEN_WRONG = {
    "type": "phrase.v1",
    "phrases": ["I'm sorry", "I apologise"],
    "match": "semantic",
    "applies_when": {
        "customer_mentions": {
            "phrases": ["rubbish", "keeps failing", "disgraceful", "useless", "sort it out"],
            "match": "fuzzy",
        }
    },
}


@pytest.mark.models  # the situation is read by meaning
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_list_of_single_words_stands_for_something_gone_wrong(channel: str) -> None:
    gone_wrong = [
        ("customer", "The router has been dead since Tuesday and I keep losing work calls."),
        ("agent", "I'm sorry, that's a rotten week to have. Let's get it working."),
    ]
    out = result(SORRY_WHEN_WRONG, channel, gone_wrong)
    assert out.result == "pass", out.note
    routine = [
        ("customer", "Hello, could you tell me when my next payment date is?"),
        ("agent", "Of course, it's the fourth of each month."),
    ]
    assert result(SORRY_WHEN_WRONG, channel, routine).result == "na"


CARE_ON_A_LOSS = {
    "type": "phrase.v1",
    "phrases": ["are you safe", "that must have been upsetting"],
    "match": "semantic",
    "applies_when": {
        "customer_mentions": {
            "phrases": ["stolen", "burglary", "smashed", "water damage", "collision"],
            "match": "fuzzy",
        }
    },
}


@pytest.mark.models
@pytest.mark.parametrize("channel", CHANNELS)
def test_fragments_questions_about_cover_and_identifiers_report_no_loss(channel: str) -> None:
    renewal = [
        ("agent", "I'm calling about your contents renewal. Where do you keep the van?"),
        ("customer", "The garage."),
        ("agent", "Thanks. Could I take the policy number?"),
        ("customer", "Policy number HX-4471-20."),
        ("customer", "Does it cover my tools in the van?"),
        ("agent", "Yes, that's included up to five hundred pounds."),
    ]
    out = result(CARE_ON_A_LOSS, channel, renewal)
    assert out.result == "na", out.note
    loss = [
        ("customer", "Somebody broke into the flat last night and took both laptops."),
        ("agent", "Oh no, that must have been upsetting. Are you somewhere safe now?"),
    ]
    assert result(CARE_ON_A_LOSS, channel, loss).result == "pass"


def test_identifiers_and_fragments() -> None:
    for said in (
        "Policy number HX-4471-20.",
        "Fifth of August, seventy-three, LS12 4PQ.",
        "First is K, third is 2.",
        "07911 123456.",
        "Oh seven nine one one.",
        "It's ref QZ/88/1401",
    ):
        assert identifier_only(said), said
    for said in (
        "My car was hit at 9 this morning.",
        "I paid 40 pounds twice.",
        "Hello.",
        "Oh.",
        "Gwen Ellis",
        "我的账号是12345",
    ):
        assert not identifier_only(said), said
    assert fragment("A bungalow.") and fragment("Cheers, bye")
    assert not fragment("The boiler has packed in.")


@pytest.mark.models  # act_sentences embeds the interaction first
@pytest.mark.parametrize("channel", CHANNELS)
def test_an_identifier_performs_no_act(channel: str) -> None:
    ctx = Context(conversation(channel, [("customer", "Account number QL-55120.")]), Matcher())
    for act in ("churn_signal", "loss_report", "complaint", "billing_query"):
        assert ctx.act_probability("Account number QL-55120.", act) == 0.0
        assert [p for _, _, p in ctx.act_sentences(act, [0])] == [0.0]
