"""Verify before flag: a campaign violation on a call stands only if a second, stronger
reading of its turn still supports it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from qa.campaigns.check import check_interaction
from qa.campaigns.schema import load_campaigns
from qa.model import Agent, Interaction, Turn
from qa.voice.verify import Verifier, VerifySettings, verify_flags
from tests.conftest import EXAMPLES, ROOT

CAMPAIGNS = ROOT / "scorecards" / "campaigns"
RENEWAL = EXAMPLES / "calls" / "s.okafor_20260303_1001.flac"
# How tiny.en heard the demo renewal call's offer: the reading that raised a false flag.
OLD_READING = (
    "So you need data that lasts all month and good calls to Spain. I would recommend Spring "
    "Unlimited. It is $35 a month or $12 month with unlimited data, and it includes 300 "
    "international minutes."
)


class FakeReader(Verifier):
    """Gives a fixed second reading and counts the spans it was asked for."""

    def __init__(self, text: str):
        super().__init__(VerifySettings())
        self.text = text
        self.asked: list[int] = []

    def reread(self, item: Interaction, turn: int) -> str | None:
        self.asked.append(turn)
        return self.text


def renewal(text: str) -> Interaction:
    turns = [
        Turn("agent", "Hi, this is Sara from Northwind Mobile.", 0.0, 3.0, "ch0"),
        Turn("customer", "I keep running out of data.", 3.5, 6.0, "ch1"),
        Turn("agent", text, 6.5, 16.0, "ch0"),
    ]
    return Interaction(
        "r1",
        "voice",
        str(RENEWAL),
        Agent("s.okafor"),
        turns,
        started_at="2026-03-03T10:00:00Z",
        metadata={"audio": {"channels": 2}},
    )


def check(item: Interaction) -> list:
    return check_interaction(item, load_campaigns(CAMPAIGNS))


def contradictions(flags: list) -> list:
    return [f for f in flags if f.kind == "contradiction"]


def test_the_old_reading_raises_the_false_flag_and_a_second_reading_removes_it() -> None:
    item = renewal(OLD_READING)
    flags = check(item)
    assert contradictions(flags), "the old reading no longer raises the flag"
    right = OLD_READING.replace("or $12 month", "for 12 months")
    reader = FakeReader(right)
    kept = verify_flags(item, flags, check, reader)
    assert not contradictions(kept)
    assert reader.removed == 1 and reader.asked == [2]  # only the flagged turn
    [record] = item.metadata["verification"]
    assert record["removed"] is True
    assert [r["text"] for r in record["readings"]] == [OLD_READING, right]


def test_a_flag_the_second_reading_supports_stays_with_both_readings() -> None:
    wrong = OLD_READING.replace("or $12 month", "for 12 months").replace("$35", "$39")
    item = renewal(wrong)
    flags = check(item)
    reader = FakeReader(wrong.replace("$39", "39 dollars"))
    [flag] = contradictions(verify_flags(item, flags, check, reader))
    assert reader.kept == 1
    assert [r["reading"] for r in flag.readings] == ["first", "second"]
    assert flag.readings[1]["model"] == "base" and flag.readings[1]["vad"] is False


def test_no_violation_no_second_reading() -> None:
    item = renewal(OLD_READING.replace("or $12 month", "for 12 months"))
    reader = FakeReader("anything")
    verify_flags(item, check(item), check, reader)
    assert reader.asked == []


@pytest.mark.models
def test_the_demo_renewal_flag_is_removed_by_base_on_the_real_audio() -> None:
    """Acceptance: the demo's "$12 month" flag is gone for the right reason. The turn's times
    come from the real pipeline; its text is the old reading; base hears the audio again."""
    from qa.voice.asr import AsrSettings, WhisperTranscriber
    from qa.voice.pipeline import VoiceSettings, transcribe_recording

    result = transcribe_recording(RENEWAL, VoiceSettings(), WhisperTranscriber(AsrSettings()))
    idx = next(i for i, t in enumerate(result.turns) if re.search(r"recommend", t.text))
    turns = result.turns
    turns[idx].text = OLD_READING
    item = Interaction(
        "demo",
        "voice",
        str(RENEWAL),
        Agent("s.okafor"),
        turns,
        started_at=dt.datetime(2026, 3, 3, 10, tzinfo=dt.UTC).isoformat(),
        metadata={"audio": {"channels": 2}},
    )
    flags = check(item)
    assert contradictions(flags)
    verifier = Verifier()
    kept = verify_flags(item, flags, check, verifier)
    second = item.metadata["verification"][0]["readings"][1]["text"]
    assert not contradictions(kept), second
    assert re.search(r"12 months|twelve months", second, re.I), second
    assert verifier.seconds < 0.5 * sum(t.end - t.start for t in turns) + 30


def test_recordings_that_are_gone_keep_their_flags(tmp_path: Path) -> None:
    item = renewal(OLD_READING)
    item.source = str(tmp_path / "moved.flac")
    flags = check(item)
    assert verify_flags(item, flags, check, Verifier()) == flags
