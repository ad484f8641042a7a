"""Vendor transcripts whose speaker labels name no role (Speaker A/B, spk_0): roles come
from the same whole-call rule as mono audio, and the evidence is stored with them."""

from __future__ import annotations

import pytest

from qa.ingest.transcripts import (
    RawTurn,
    RoleHints,
    build_interaction,
    decide_speaker_roles,
    parse_call_text,
    parse_turns_json,
)
from qa.model import Interaction

# The caller gives their name and makes a request in their first turn; the recogniser
# garbled the agent's greeting, so the opening says nothing. The old first-turns rule
# counted "my name is" for the caller and made them the agent.
CALLER_NAMES_THEMSELVES = """\
Speaker A: fank you fer colling, sam speaking
Speaker B: Hi, my name is Priya Okafor, I would like to move my appointment to next week.
Speaker A: Sure, what is the booking reference?
Speaker B: It's K L four four two.
Speaker A: Thanks. Tuesday at ten is free.
Speaker B: Tuesday works.
"""

# The recording starts after the greeting, so the caller opens; the agent's evidence (checks,
# the offer of more help, the close) only comes after each voice's fourth turn, which the old
# rule never read.
AGENT_EVIDENCE_LATE = """\
Speaker 1: Hello? Hello?
Speaker 2: Hi there, sorry, the line dropped.
Speaker 1: Yeah it cut out for a second.
Speaker 2: No problem at all.
Speaker 1: So it's about the parcel.
Speaker 2: Okay.
Speaker 1: The one from Monday.
Speaker 2: Right.
Speaker 1: It says delivered but nothing came.
Speaker 2: Let me check that for you. Can you confirm the postcode on your order?
Speaker 1: It's N W one.
Speaker 2: Thank you, I can see your parcel went to the wrong depot, I'll resend it today.
Speaker 1: Great.
Speaker 2: Is there anything else I can help with? Have a great day.
"""


def _roles(item: Interaction) -> list[str]:
    return [t.role for t in item.turns]


def _alternating(first: str, n: int) -> list[str]:
    other = "customer" if first == "agent" else "agent"
    return [first if i % 2 == 0 else other for i in range(n)]


@pytest.mark.parametrize(
    ("text", "agent_label", "first_role"),
    [
        (CALLER_NAMES_THEMSELVES, "Speaker A", "agent"),
        (AGENT_EVIDENCE_LATE, "Speaker 2", "customer"),
    ],
    ids=["caller-says-my-name-is", "agent-evidence-after-turn-four"],
)
def test_unnamed_voices_take_roles_from_the_whole_call(
    text: str, agent_label: str, first_role: str
) -> None:
    item = build_interaction(parse_call_text(text), "call.txt", RoleHints())
    assert _roles(item) == _alternating(first_role, len(item.turns))
    assert {t.speaker for t in item.turns if t.role == "agent"} == {agent_label}
    evidence = item.metadata["voice"]["role_evidence"]
    # The words point to the agent (its own cues, or the other voice's request) and never
    # elsewhere; only the opening may point to the caller, and it is outweighed.
    signals = evidence["signals"]
    words = {signals["agent_cues"], signals["customer_cues"]} - {None}
    assert words == {agent_label}
    assert evidence["against"] == (signals["opening"] != agent_label)
    assert set(evidence["voices"]) == {t.speaker for t in item.turns}
    assert item.metadata["voice"]["role_confidence"] > 0.5


def test_caller_request_outweighs_their_name_and_is_recorded() -> None:
    item = build_interaction(parse_call_text(CALLER_NAMES_THEMSELVES), "call.txt", RoleHints())
    caller = item.metadata["voice"]["role_evidence"]["voices"]["Speaker B"]
    assert "i would like to" in caller["cues"] and "my name is" not in caller["cues"]
    assert caller["customer"] > caller["agent"]
    signals = item.metadata["voice"]["role_evidence"]["signals"]
    assert signals["customer_cues"] == "Speaker A" and signals["opening"] == "Speaker A"


def test_opening_voice_decides_only_when_the_words_say_nothing() -> None:
    text = "Speaker 1: Hello.\nSpeaker 2: Hi.\nSpeaker 1: Okay.\nSpeaker 2: Right.\n"
    item = build_interaction(parse_call_text(text), "call.txt", RoleHints())
    assert _roles(item) == ["agent", "customer", "agent", "customer"]
    assert item.metadata["voice"]["role_evidence"]["signals"] == {
        "agent_cues": None,
        "customer_cues": None,
        "opening": "Speaker 1",
    }


def test_company_name_late_in_a_json_transcript_marks_the_agent() -> None:
    # The company name only in the agent's fifth turn; the caller opens with a request.
    said = [
        ("spk_0", "hi I need to change my address"),
        ("spk_1", "sure"),
        ("spk_0", "it's the flat on Mill Road"),
        ("spk_1", "okay"),
        ("spk_0", "number twelve"),
        ("spk_1", "got it"),
        ("spk_0", "and the postcode stays the same"),
        ("spk_1", "noted"),
        ("spk_0", "thanks"),
        ("spk_1", "all done, thanks for choosing Brightline Water"),
    ]
    data = {
        "turns": [
            {"speaker": s, "start": float(i), "end": i + 0.9, "text": t}
            for i, (s, t) in enumerate(said)
        ]
    }
    item = build_interaction(parse_turns_json(data), "call.json", RoleHints(("Brightline Water",)))
    assert {t.speaker for t in item.turns if t.role == "agent"} == {"spk_1"}
    assert "Brightline Water" in item.metadata["voice"]["role_evidence"]["voices"]["spk_1"]["cues"]


def test_named_roles_store_no_content_evidence() -> None:
    text = "Agent: Hello, how can I help?\nCustomer: My name is Jo, I'd like to pay a bill.\n"
    item = build_interaction(parse_call_text(text), "call.txt", RoleHints())
    assert _roles(item) == ["agent", "customer"]
    assert "role_evidence" not in item.metadata["voice"]


def test_turns_with_no_speaker_label_read_a_callers_name_and_request_as_the_customer() -> None:
    # No labels at all: each turn is read on its own. The caller opens with their name and a
    # request; the first-turn default (the agent) must not win over what the turn says.
    said = [
        "Hi, my name is Priya Okafor and I'd like to move my appointment.",
        "Of course. For security, can you confirm your date of birth?",
        "It's the fourth of May.",
    ]
    data = {"turns": [{"start": float(i), "end": i + 0.9, "text": t} for i, t in enumerate(said)]}
    item = build_interaction(parse_turns_json(data), "call.json", RoleHints())
    assert _roles(item) == ["customer", "agent", "customer"]
    assert item.metadata["voice"]["role_confidence"] <= 0.3  # still a guess


def test_two_channel_transcript_swapped_is_read_over_the_whole_call() -> None:
    # The channel map says ch_0 is the agent, but the files were swapped; each channel's first
    # four turns say nothing, and the evidence comes after them, as on a recording.
    neutral = ["Hello?", "Yes.", "Okay.", "Right."]
    caller = [*neutral, "I'd like to cancel my broadband, my bill went up again."]
    agent = [
        *neutral,
        "For security, can you confirm your postcode?",
        "Is there anything else I can help with?",
    ]
    turns = [
        RawTurn(label, float(2 * i + k), 2 * i + k + 0.9, text)
        for k, (label, texts) in enumerate((("ch_0", caller), ("ch_1", agent)))
        for i, text in enumerate(texts)
    ]
    turns.sort(key=lambda t: t.start)
    roles, _, warnings, _ = decide_speaker_roles(turns, RoleHints(), channels=True)
    assert roles == {"ch_0": "customer", "ch_1": "agent"}
    assert any("swapped" in w for w in warnings)
