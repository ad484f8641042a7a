"""Agent or customer: from what each voice says, and from who speaks first.

Swapped agent/customer labels are the most common complaint about call
analytics, so stereo recordings are checked too: a greeting with the company
name on the "customer" channel means the channels are swapped. Mono calls weigh
the same evidence over each voice's whole call (`voice_roles`), so that one
misheard greeting, or a caller who gives their name, does not swap the roles.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

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
    # What was weighed, per voice and per signal (mono calls: `voice_roles`).
    evidence: dict[str, Any] = field(default_factory=dict)


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


# Stereo: evidence, weighed per channel. A greeting or the company name marks the agent;
# a request ("I'd like to", "I'm calling about") marks the customer. "My name is" marks
# neither: callers introduce themselves as often as agents do.
AGENT_EVIDENCE: tuple[tuple[str, float], ...] = (
    ("thank you for calling", 2.0),
    ("thanks for calling", 2.0),
    ("thank you for contacting", 2.0),
    ("how can i help", 2.0),
    ("how may i help", 2.0),
    ("how can i assist", 2.0),
    ("how may i assist", 2.0),
    ("what can i do for you", 2.0),
    ("you've reached", 2.0),
    ("you have reached", 2.0),
    ("you're through to", 2.0),
    ("you're speaking with", 2.0),
    ("you are speaking with", 2.0),
    ("welcome to", 1.0),
    ("calls are recorded", 2.0),
    ("call may be recorded", 2.0),
    ("is there anything else i can", 1.0),
    ("anything else i can help", 1.0),
    ("have a great day", 1.0),
    ("have a nice day", 1.0),
    ("have a good day", 1.0),
    ("i can help you with that", 1.0),
    ("happy to help", 1.0),
    ("let me check", 1.0),
    ("let me look", 1.0),
    ("one moment please", 1.0),
    ("one second please", 1.0),
    ("can you confirm", 1.0),
    ("can you verify", 1.0),
    ("for security", 1.0),
)
CUSTOMER_EVIDENCE: tuple[tuple[str, float], ...] = (
    ("i'm calling about", 2.0),
    ("i am calling about", 2.0),
    ("i'm calling to", 2.0),
    ("i am calling to", 2.0),
    ("i'm calling because", 2.0),
    ("i would like to", 2.0),
    ("i'd like to", 2.0),
    ("i want to", 2.0),
    ("i need to", 2.0),
    ("i need a", 2.0),
    ("i was wondering", 2.0),
    ("can you help me", 2.0),
    ("could you help me", 2.0),
    ("i have a question", 2.0),
    ("i have a problem", 2.0),
    ("i was charged", 2.0),
    ("i lost my", 2.0),
    ("my bill", 1.0),
    ("my account", 1.0),
    ("my card", 1.0),
    ("my order", 1.0),
    ("my password", 1.0),
    ("that's all i needed", 1.0),
    ("thank you for your help", 1.0),
)


@dataclass(frozen=True)
class StereoSettings:
    company_weight: float = 2.0  # the company name, on top of the greeting cues
    # Net evidence each side must show for a swap: the channel the map calls "customer" must
    # sound more like the agent by this much, AND the "agent" channel more like a customer.
    # 2.0 = one strong cue net on each side. A swap needs both: one side alone never swaps.
    swap_bar: float = 2.0
    pronoun_count: int = 2  # this many "your" (or "my") on a side, and more than the other, count 1


def channel_evidence(
    texts: Sequence[str],
    company_names: Sequence[str] = (),
    settings: StereoSettings = StereoSettings(),
) -> tuple[float, float, list[str]]:
    """(agent evidence, customer evidence, the cues found) over one channel's turns."""
    joined = f" {normalise(' '.join(texts))} "
    found: list[str] = []
    agent = customer = 0.0
    for cue, weight in AGENT_EVIDENCE:
        if f" {normalise(cue)} " in joined:
            agent += weight
            found.append(cue)
    for name in company_names:
        if name and f" {normalise(name)} " in joined:
            agent += settings.company_weight
            found.append(name)
    for cue, weight in CUSTOMER_EVIDENCE:
        if f" {normalise(cue)} " in joined:
            customer += weight
            found.append(cue)
    problem = _OWN_PROBLEM.search(joined)
    if problem:
        customer += 2.0  # "my bill this month is much higher": the caller's own problem
        found.append(problem.group(0).strip())
    request = _REQUEST.search(joined)
    if request and not any(c.endswith("like to") and c in found for c, _ in CUSTOMER_EVIDENCE):
        customer += 2.0  # "I will like to": a request the recogniser bent
        found.append(request.group(0).strip())
    # Who the talk is about: agents speak of "your" account, customers of "my" card.
    yours = len(re.findall(r" your ", joined))
    mine = len(re.findall(r" my (?!name )", joined))
    if yours >= settings.pronoun_count and yours > mine:
        agent += 1.0
        found.append(f"your x{yours}")
    if mine >= settings.pronoun_count and mine > yours:
        customer += 1.0
        found.append(f"my x{mine}")
    return agent, customer, found


_REQUEST = re.compile(r" i \w+ like to ")
_OWN_PROBLEM = re.compile(
    r" my (?:bill|account|card|order|phone|internet|broadband|payment|package|delivery|balance"
    r"|password|statement|connection|service)(?: \w+){0,3} (?:is|was|has|hasn't|isn't|wasn't"
    r"|keeps|doesn't|won't|didn't|got|never|still|stopped) "
)


@dataclass(frozen=True)
class StereoDecision:
    swapped: bool
    confidence: float  # that the roles as given are right
    review: bool  # the content leans towards a swap, but not strongly on both sides
    evidence: dict[str, Any]


def stereo_roles(
    agent_side: Sequence[str],
    customer_side: Sequence[str],
    company_names: Sequence[str] = (),
    settings: StereoSettings = StereoSettings(),
) -> StereoDecision:
    """Whether the channel map is swapped. Only strong evidence from both channels swaps a
    recording; content that leans towards a swap without it keeps the map and asks for review."""
    a_agent, a_customer, a_cues = channel_evidence(agent_side, company_names, settings)
    c_agent, c_customer, c_cues = channel_evidence(customer_side, company_names, settings)
    agent_lead = c_agent - a_agent  # how much more the "customer" channel sounds like an agent
    customer_lead = a_customer - c_customer  # how much more the "agent" one sounds like a customer
    swapped = agent_lead >= settings.swap_bar and customer_lead >= settings.swap_bar
    lean = agent_lead + customer_lead
    conf = confidence(min(agent_lead, customer_lead)) if swapped else confidence(-lean)
    evidence = {
        "mapped_agent": {"agent": a_agent, "customer": a_customer, "cues": a_cues},
        "mapped_customer": {"agent": c_agent, "customer": c_customer, "cues": c_cues},
    }
    return StereoDecision(swapped, conf, not swapped and lean > 0, evidence)


@dataclass(frozen=True)
class VoiceRoleSettings:
    # The voice that opens the call counts less than any one cue: it decides only where the
    # words say nothing either way.
    opening_weight: float = 0.5
    stereo: StereoSettings = field(default_factory=StereoSettings)


def voice_roles(
    texts: Mapping[str, Sequence[str]],
    opening: str | None,
    company_names: Sequence[str] = (),
    settings: VoiceRoleSettings = VoiceRoleSettings(),
) -> RoleDecision:
    """Which voice of a mono call is the agent, from every turn of each voice.

    Three signals, each weighed over the whole call rather than its opening alone: who
    sounds like an agent (greeting, company name, offers of help, verification, the close,
    talk of "your" account), who sounds like a customer (a request, their own problem, "my"
    card), and who opens the call. Each voice scores its agent evidence minus its customer
    evidence, plus the opening weight; the highest is the agent. Signals that agree add up,
    so a greeting lost to the recogniser, or a caller's "my name is", is outweighed by the
    rest of the call. Which voice each signal points to is kept in the evidence."""
    per_voice: dict[str, dict[str, Any]] = {}
    scores: dict[str, float] = {}
    for voice, said in texts.items():
        agent, customer, cues = channel_evidence(said, company_names, settings.stereo)
        per_voice[voice] = {"agent": agent, "customer": customer, "cues": cues}
        scores[voice] = agent - customer + (settings.opening_weight if voice == opening else 0.0)
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    margin = ranked[0][1] - ranked[1][1] if len(ranked) > 1 else ranked[0][1]
    agent_voice = ranked[0][0]
    signals = {
        "agent_cues": _clear_top({v: e["agent"] for v, e in per_voice.items()}),
        # The customer is the voice with the most customer evidence; with two voices, the
        # other one is the agent it points to.
        "customer_cues": _other(
            _clear_top({v: e["customer"] for v, e in per_voice.items()}), list(per_voice)
        ),
        "opening": opening if opening in per_voice else None,
    }
    voting = [v for v in signals.values() if v is not None]
    evidence = {
        "voices": per_voice,
        "signals": signals,
        "agreeing": sum(v == agent_voice for v in voting),
        "against": sum(v != agent_voice for v in voting),
    }
    return RoleDecision(agent_voice, confidence(margin), scores, evidence)


def _clear_top(values: dict[str, float]) -> str | None:
    """The voice with strictly the most of something; None on a tie or when none has any."""
    ranked = sorted(values.items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or ranked[0][1] <= 0 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


def _other(voice: str | None, voices: list[str]) -> str | None:
    """The other voice of two; None otherwise (with three voices a customer names no agent)."""
    if voice is None or len(voices) != 2:
        return None
    return voices[1] if voices[0] == voice else voices[0]


def channel_roles(
    texts: list[list[str]], agent_channel: int, company_names: Sequence[str] = ()
) -> tuple[int, float, str | None]:
    """Which of two channels is the agent's, its confidence and a warning (swapped, or kept
    on weak evidence), from the channel map and the content."""
    customer_channel = 1 - agent_channel
    decision = stereo_roles(texts[agent_channel], texts[customer_channel], company_names)
    if decision.swapped:
        return customer_channel, decision.confidence, SWAPPED
    return agent_channel, decision.confidence, DOUBTFUL if decision.review else None


SWAPPED = "agent and customer channels were swapped: fixed from the content"
DOUBTFUL = (
    "the content leans towards swapped channels, but not strongly on both sides: "
    "channel map kept, review the roles"
)
