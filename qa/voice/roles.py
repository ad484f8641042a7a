"""Agent or customer: from what each voice says, and from who speaks first.

Swapped agent/customer labels are the most common complaint about call
analytics, so stereo recordings are checked too: a greeting with the company
name on the "customer" channel means the channels are swapped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from qa.text import normalise

AGENT_CUES = (
    "thank you for calling",
    "thanks for calling",
    "thank you for contacting",
    "thanks for contacting",
    "how can i help",
    "how may i help",
    "what can i do for you",
    "my name is",
    "you're speaking with",
    "you are speaking with",
    "speaking how can",
    "calling from",
    "this call is recorded",
    "calls are recorded",
    "for security",
    "can you confirm",
    "is there anything else i can help",
    "have a great day",
    "i can help you with that",
    "let me check",
    "let me look",
)
CUSTOMER_CUES = (
    "i'm calling about",
    "i am calling about",
    "i want to",
    "i'd like to",
    "my bill",
    "my account",
    "my order",
    "i have a problem",
    "i was charged",
)


@dataclass(frozen=True)
class RoleSettings:
    first_speaker_bonus: float = 0.5  # the first voice on an inbound call is usually the agent
    min_margin: float = 1.0  # cue-score lead needed to swap stereo channels


def agent_score(texts: list[str], company_names: Sequence[str] = ()) -> float:
    """Agent cues minus customer cues, over a speaker's first turns."""
    joined = f" {normalise(' '.join(texts))} "
    score = sum(1.0 for c in AGENT_CUES if f" {normalise(c)} " in joined)
    score += sum(1.5 for name in company_names if name and f" {normalise(name)} " in joined)
    score -= sum(1.0 for c in CUSTOMER_CUES if f" {normalise(c)} " in joined)
    return score


def confidence(margin: float) -> float:
    return round(1 / (1 + math.exp(-margin)), 2)


@dataclass(frozen=True)
class RoleDecision:
    agent: str  # the speaker label that is the agent
    confidence: float
    scores: dict[str, float]


def decide_roles(
    first_texts: dict[str, list[str]],
    first_speaker: str | None,
    company_names: Sequence[str] = (),
    settings: RoleSettings = RoleSettings(),
) -> RoleDecision:
    """Which speaker is the agent; the rest are customers."""
    scores = {spk: agent_score(texts, company_names) for spk, texts in first_texts.items()}
    if first_speaker in scores:
        scores[first_speaker] += settings.first_speaker_bonus
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    margin = ranked[0][1] - ranked[1][1] if len(ranked) > 1 else ranked[0][1]
    return RoleDecision(ranked[0][0], confidence(margin), scores)


def stereo_swapped(
    agent_side: list[str],
    customer_side: list[str],
    company_names: Sequence[str] = (),
    settings: RoleSettings = RoleSettings(),
) -> tuple[bool, float]:
    """Whether the channel the map calls 'customer' sounds like the agent. With its confidence."""
    margin = agent_score(customer_side, company_names) - agent_score(agent_side, company_names)
    return margin >= settings.min_margin, confidence(abs(margin))


def channel_roles(
    texts: list[list[str]], agent_channel: int, company_names: Sequence[str] = ()
) -> tuple[int, float, str | None]:
    """Which of two channels is the agent's: the channel map, unless the content shows it
    swapped. Returns the agent's channel, the confidence and a warning when swapped."""
    customer_channel = 1 - agent_channel
    swapped, conf = stereo_swapped(texts[agent_channel], texts[customer_channel], company_names)
    if swapped:
        return (
            customer_channel,
            conf,
            "agent and customer channels were swapped: fixed from the content",
        )
    return agent_channel, max(conf, 0.5), None
