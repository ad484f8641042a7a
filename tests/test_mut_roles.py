"""Role labelling pinned: cue scores, the first-speaker weight, the margin and its confidence,
and the stereo swap rule."""

from __future__ import annotations

import math

import pytest

from qa.voice.roles import (
    DOUBTFUL,
    SWAPPED,
    RoleSettings,
    StereoDecision,
    StereoSettings,
    agent_score,
    channel_evidence,
    channel_roles,
    confidence,
    decide_roles,
    stereo_roles,
)


def test_agent_cues_count_one_each() -> None:
    assert agent_score(["Thank you for calling. How can I help?"]) == 2.0
    assert agent_score(["My name is Dana,", "let me check that"]) == 2.0
    assert agent_score(["hello"]) == 0.0
    assert agent_score([]) == 0.0


def test_customer_cues_count_against() -> None:
    assert agent_score(["I'm calling about my bill"]) == -2.0
    assert agent_score(["I want to", "I was charged twice"]) == -2.0
    assert agent_score(["Thanks for calling, how may I help", "my account"]) == 1.0


def test_cues_match_whole_words_only() -> None:
    assert agent_score(["zmy name isn't"]) == 0.0
    assert agent_score(["amy bill"]) == 0.0
    assert agent_score(["MY BILL"]) == -1.0  # case does not matter


def test_company_names_weigh_one_and_a_half() -> None:
    assert agent_score(["Welcome to Northwind Energy"], ["Northwind Energy"]) == 1.5
    assert agent_score(["welcome to northwind energy"], ["Northwind Energy", "Acme"]) == 1.5
    assert agent_score(["Northwinds"], ["Northwind"]) == 0.0
    assert agent_score(["anything"], [""]) == 0.0
    assert agent_score(["Acme, my name is Jo"], ["Acme"]) == 2.5


@pytest.mark.parametrize(
    ("margin", "expected"),
    [(0.0, 0.5), (1.0, 0.73), (2.0, 0.88), (-1.0, 0.27), (0.5, 0.62)],
)
def test_confidence_is_the_logistic_of_the_margin(margin: float, expected: float) -> None:
    assert confidence(margin) == expected
    assert confidence(margin) == round(1 / (1 + math.exp(-margin)), 2)


def test_first_speaker_weight_decides_a_tie() -> None:
    texts = {"A": ["hello"], "B": ["hello"]}
    decision = decide_roles(texts, "B")
    assert decision.agent == "B"
    assert decision.scores == {"A": 0.0, "B": 0.5}
    assert decision.confidence == 0.62  # margin 0.5
    assert decide_roles(texts, "A").agent == "A"


def test_first_speaker_weight_is_a_setting() -> None:
    texts = {"A": ["how can I help"], "B": ["hello"]}
    assert decide_roles(texts, "B").agent == "A"  # 1.0 beats 0.5
    heavy = decide_roles(texts, "B", settings=RoleSettings(first_speaker_bonus=1.5))
    assert heavy.agent == "B"
    assert heavy.scores == {"A": 1.0, "B": 1.5}
    assert heavy.confidence == 0.62
    unknown = decide_roles(texts, "C")  # a first speaker with no text of its own
    assert unknown.scores == {"A": 1.0, "B": 0.0}


def test_decision_margin_and_ranking() -> None:
    texts = {
        "S1": ["I'm calling about my order"],
        "S2": ["thank you for calling, my name is Ann, how can I help"],
        "S3": ["hello"],
    }
    decision = decide_roles(texts, "S1", ["Northwind"])
    assert decision.agent == "S2"
    assert decision.scores == {"S1": -1.5, "S2": 3.0, "S3": 0.0}
    assert decision.confidence == 0.95  # margin 3.0 over the runner-up S3


def test_one_speaker_margin_is_its_score() -> None:
    decision = decide_roles({"only": ["how can I help"]}, "only")
    assert decision.agent == "only"
    assert decision.confidence == confidence(1.5)
    negative = decide_roles({"only": ["my bill"]}, None)
    assert negative.confidence == confidence(-1.0)


def test_stereo_swap_needs_the_bar_on_both_sides() -> None:
    agentish = ["Thank you for calling Northwind, my name is Ann"]
    customerish = ["hi, I'm calling about my bill"]
    swapped = stereo_roles(customerish, agentish, ["Northwind"])
    assert swapped.swapped is True
    assert swapped.confidence == confidence(3.0)  # min(agent lead 4.0, customer lead 3.0)
    kept = stereo_roles(agentish, customerish, ["Northwind"])
    assert (kept.swapped, kept.review) == (False, False)
    assert kept.confidence == confidence(7.0)  # the map as it is: lean -7.0
    # Exactly the bar on both sides swaps; just under it on one side does not.
    assert stereo_roles(["I need to"], ["how can I help"]).swapped is True
    assert stereo_roles(["my bill"], ["how can I help"]).swapped is False
    assert stereo_roles(["I need to"], ["have a great day"]).swapped is False
    high = StereoSettings(swap_bar=2.5)
    assert stereo_roles(["I need to"], ["how can I help"], settings=high).swapped is False
    assert stereo_roles(["hello"], ["hello"]) == StereoDecision(
        False,
        0.5,
        False,
        {
            "mapped_agent": {"agent": 0.0, "customer": 0.0, "cues": []},
            "mapped_customer": {"agent": 0.0, "customer": 0.0, "cues": []},
        },
    )


def test_channel_roles_follow_the_map_unless_both_sides_are_swapped() -> None:
    agent = ["Thank you for calling, my name is Ann"]  # agent 2.0
    customer = ["I'm calling about my bill"]  # customer 3.0
    assert channel_roles([agent, customer], 0) == (0, confidence(5.0), None)
    assert channel_roles([customer, agent], 1) == (1, confidence(5.0), None)
    assert channel_roles([customer, agent], 0) == (1, confidence(2.0), SWAPPED)
    assert channel_roles([agent, customer], 1)[0] == 0
    assert channel_roles([["hello"], ["hello"]], 0) == (0, 0.5, None)
    # The company name alone on the "customer" side is one side only: kept, for review.
    assert channel_roles([["hello"], ["Northwind here"]], 0, ["Northwind"]) == (
        0,
        confidence(-2.0),
        DOUBTFUL,
    )
    assert channel_roles([["hello"], ["Northwind here"]], 0) == (0, 0.5, None)


def test_company_names_reach_the_decision() -> None:
    texts = {"A": ["Northwind, hello"], "B": ["hello"]}
    decision = decide_roles(texts, "B", ["Northwind"])
    assert decision.agent == "A"
    assert decision.scores == {"A": 1.5, "B": 0.5}
    assert decide_roles(texts, "B").agent == "B"


def test_stereo_evidence_weights() -> None:
    assert channel_evidence(["Thanks for calling Acme, how can I help"], ["Acme"])[:2] == (6.0, 0.0)
    assert channel_evidence(["my name is Jo, I'd like to pay my bill"])[:2] == (0.0, 3.0)
    assert channel_evidence(["your card and your account"])[:2] == (1.0, 0.0)
    assert channel_evidence(["your card"])[:2] == (0.0, 0.0)
    assert channel_evidence(["my card and my phone"])[:2] == (0.0, 2.0)  # "my card" 1 + pronouns 1


def test_channel_evidence_names_every_cue_it_counts() -> None:
    # Cues of both kinds, the company name, and a cue split across two turns.
    assert channel_evidence(["Thank you for calling", "Acme, how can", "I help?"], ["Acme"]) == (
        6.0,
        0.0,
        ["thank you for calling", "how can i help", "Acme"],
    )
    assert channel_evidence(["hi, I'm calling about a charge"]) == (
        0.0,
        2.0,
        ["i'm calling about"],
    )
    # The caller's own problem: 2 on top of "my bill", quoted as said.
    assert channel_evidence(["my bill this month is much higher"]) == (
        0.0,
        3.0,
        ["my bill", "my bill this month is"],
    )
    # "I will like to": a request the recogniser bent counts 2 ...
    assert channel_evidence(["so my bill, I will like to pay it"]) == (
        0.0,
        3.0,
        ["my bill", "i will like to"],
    )
    # ... but not again where the request was heard as said.
    assert channel_evidence(["I would like to pay"]) == (0.0, 2.0, ["i would like to"])


def test_pronouns_count_only_for_the_side_that_says_more_of_them() -> None:
    assert channel_evidence(["Thank you for calling, your plan and your fee"]) == (
        3.0,
        0.0,
        ["thank you for calling", "your x2"],
    )
    assert channel_evidence(["I need to check my plan and my fee"]) == (
        0.0,
        3.0,
        ["i need to", "my x2"],
    )
    # As many of each: neither side.
    assert channel_evidence(["your plan and your fee, my plan and my fee"]) == (0.0, 0.0, [])


def test_stereo_settings_reach_both_channels() -> None:
    heavy = StereoSettings(company_weight=5.0)
    mapped = stereo_roles(["Acme here"], ["hello"], ["Acme"], heavy).evidence
    assert mapped["mapped_agent"] == {"agent": 5.0, "customer": 0.0, "cues": ["Acme"]}
    other = stereo_roles(["hello"], ["Acme here"], ["Acme"], heavy).evidence
    assert other["mapped_customer"] == {"agent": 5.0, "customer": 0.0, "cues": ["Acme"]}


def test_any_lean_towards_a_swap_asks_for_review() -> None:
    # The "customer" channel says "your" twice: it leans agent by 1, the other side by 0.
    decision = stereo_roles(["hello"], ["your plan and your fee"])
    assert (decision.swapped, decision.review) == (False, True)
    assert decision.confidence == confidence(-1.0)
