"""Mono calls: which voice is the agent, weighed over each voice's whole call.

The failure these pin: the recogniser mishears the agent's greeting (a few bits of noise on a
telephone mix are enough for tiny.en), the caller gives their name and a request, and a rule
that reads only each voice's first turns and the opening takes the caller for the agent. The
agent's checks, offers and close later in the call, and the caller's request, must outweigh
that. No diarizer runs here: the voices are given as segments.
"""

from __future__ import annotations

import numpy as np
import pytest

from qa.model import Word
from qa.voice import pipeline
from qa.voice.asr import AsrResult
from qa.voice.diarize import Segment
from qa.voice.pipeline import VoiceSettings
from qa.voice.roles import VoiceRoleSettings, confidence, voice_roles

# (voice, what it says), in order; every call below is written for these tests.
MISHEARD_GREETING = [
    ("A", "Hello, this is Parklands, am here to hop you today."),
    ("B", "Hi, my name is Sam Okafor and I would like to move a delivery."),
    ("A", "Which day suits you?"),
    ("B", "Thursday."),
    ("A", "Thursday."),
    ("A", "And the time?"),
    ("B", "Late morning."),
    ("A", "For security, can you confirm your postcode?"),
    ("B", "It is the same as before."),
    ("A", "Done, your delivery is moved to Thursday morning."),
    ("B", "Great, thanks, bye."),
    ("A", "Have a nice day."),
]
CALLER_OPENS = [
    ("B", "Hello? Hello, yes, hi there, good afternoon to you."),
    ("A", "Hi."),
    ("B", "It is about the parcel."),
    ("A", "Okay."),
    ("B", "It never came."),
    ("A", "Right."),
    ("B", "So."),
    ("A", "Sure."),
    ("A", "Let me check that for you."),
    ("A", "For security, can you confirm the postcode?"),
    ("B", "Yes, the same as always."),
    ("A", "A new one goes out today. Have a good day."),
]
SILENT_WORDS = [("B", "Hello there."), ("A", "Hi."), ("B", "Okay then."), ("A", "Fine.")]


def mono_call(script: list[tuple[str, str]]) -> tuple[AsrResult, list[Segment]]:
    """Words 0.3 s apart, 1.5 s between turns (so each line stays its own turn), and the
    diarizer's segments: each line's span, with the voice that said it."""
    words: list[Word] = []
    segments: list[Segment] = []
    t = 0.5
    for voice, text in script:
        start = t
        for token in text.split():
            words.append(Word(round(t, 2), round(t + 0.25, 2), token))
            t += 0.3
        segments.append(Segment(start, t, voice))
        t += 1.5
    return AsrResult(words, "en", [(s.start, s.end) for s in segments]), segments


def roles_of(
    script: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch, company: tuple[str, ...] = ()
) -> tuple[dict[str, str], dict[str, object]]:
    result, segments = mono_call(script)
    monkeypatch.setattr(pipeline, "diarize_embedded", lambda audio, speech, speakers: segments)
    settings = VoiceSettings(company_names=company)
    out = pipeline._mono(np.zeros(16000, dtype=np.float32), result, "embedded", settings, 30.0)
    roles = {t.speaker: t.role for t in out.turns}
    return roles, out.info


@pytest.mark.parametrize(
    ("script", "agent"),
    [
        (MISHEARD_GREETING, "A"),  # greeting lost, the caller's "my name is" and request
        (CALLER_OPENS, "A"),  # the caller opens; the agent's evidence comes after four turns
        (SILENT_WORDS, "B"),  # the words say nothing: the voice that opens is the agent
    ],
)
def test_the_agent_of_a_mono_call(
    script: list[tuple[str, str]], agent: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    roles, info = roles_of(script, monkeypatch)
    customer = ({"A", "B"} - {agent}).pop()
    assert roles == {agent: "agent", customer: "customer"}
    assert info["agent_speaker"] == agent and info["speakers"] == 2


def test_the_evidence_is_stored_with_the_decision(monkeypatch: pytest.MonkeyPatch) -> None:
    _, info = roles_of(MISHEARD_GREETING, monkeypatch)
    evidence = info["role_evidence"]
    assert isinstance(evidence, dict)
    voices = evidence["voices"]
    # A: for security 1 + can you confirm 1 + have a nice day 1 + "your" twice 1
    assert voices["A"]["agent"] == 4.0 and voices["A"]["customer"] == 0.0
    assert voices["B"] == {"agent": 0.0, "customer": 2.0, "cues": ["i would like to"]}
    assert evidence["signals"] == {"agent_cues": "A", "customer_cues": "A", "opening": "A"}
    assert (evidence["agreeing"], evidence["against"]) == (3, 0)
    assert info["role_confidence"] == confidence(4.0 + 0.5 + 2.0)


def test_the_company_name_counts_wherever_it_is_said(monkeypatch: pytest.MonkeyPatch) -> None:
    script = [("B", "Hello, good morning to you."), ("A", "Hi."), ("B", "It is about an order.")]
    script += [("A", "Acme Freight, thanks.")]
    assert roles_of(script, monkeypatch)[0]["B"] == "agent"  # no cue: the opening decides
    assert roles_of(script, monkeypatch, ("Acme Freight",))[0]["A"] == "agent"


@pytest.mark.parametrize(
    ("texts", "opening", "agent", "scores"),
    [
        # A caller's name is no agent evidence; their request is customer evidence.
        ({"S1": ["Hello."], "S2": ["My name is Jo, I'd like to pay"]}, "S2", "S1", (0.0, -1.5)),
        # Speaking first weighs less than any one cue.
        ({"S1": ["Have a good day."], "S2": ["Okay."]}, "S2", "S1", (1.0, 0.5)),
        # Agreeing signals add up: agent cues, the other voice's request, the opening.
        (
            {"S1": ["How can I help?", "Your card and your account"], "S2": ["I need to pay"]},
            "S1",
            "S1",
            (3.5, -2.0),
        ),
        # A lone voice of three with customer cues points to no agent by itself.
        ({"S1": ["Okay."], "S2": ["I need a card"], "S3": ["Sure."]}, None, "S1", (0.0, -2.0)),
    ],
)
def test_voice_roles_weights(
    texts: dict[str, list[str]], opening: str | None, agent: str, scores: tuple[float, float]
) -> None:
    decision = voice_roles(texts, opening)
    assert decision.agent == agent
    assert (decision.scores["S1"], decision.scores["S2"]) == scores


def test_signals_on_ties_and_with_three_voices() -> None:
    tie = voice_roles({"S1": ["How can I help?"], "S2": ["Thanks for calling"]}, None)
    assert tie.evidence["signals"] == {"agent_cues": None, "customer_cues": None, "opening": None}
    assert (tie.agent, tie.confidence) == ("S1", 0.5)  # the first voice listed, no margin
    three = voice_roles({"S1": ["Okay."], "S2": ["I need a card"], "S3": ["Let me check"]}, "S1")
    assert three.evidence["signals"] == {
        "agent_cues": "S3",
        "customer_cues": None,
        "opening": "S1",
    }
    assert three.agent == "S3" and (three.evidence["agreeing"], three.evidence["against"]) == (1, 1)
    assert three.confidence == confidence(0.5)  # S3 1.0 over the opener's 0.5


def test_one_voice_and_the_opening_weight_setting() -> None:
    alone = voice_roles({"S1": ["How can I help?"]}, "S1")
    assert (alone.agent, alone.confidence) == ("S1", confidence(2.5))
    texts = {"S1": ["Let me check"], "S2": ["Okay."]}
    assert voice_roles(texts, "S2").agent == "S1"
    heavy = voice_roles(texts, "S2", settings=VoiceRoleSettings(opening_weight=1.5))
    assert heavy.agent == "S2" and heavy.scores == {"S1": 1.0, "S2": 1.5}
