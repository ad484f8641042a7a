"""Real bank calls (HarperValleyBank, Gridspace and Stanford, CC BY 4.0): the voice stage
on real 8 kHz telephone speech, judged by the human reference turns.

Recognition is cached on disk per channel (tests/voice_hvb.py), so both orientations of a
stereo call cost one recognition of each side.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.voice.asr import AsrSettings, WhisperTranscriber
from qa.voice.pipeline import VoiceSettings, transcribe_recording
from tests import voice_hvb as hvb
from tests.conftest import EXAMPLES

pytestmark = [
    pytest.mark.models,
    pytest.mark.skipif(not hvb.available(), reason=f"the real-call set is not at {hvb.HVB_DIR}"),
]
CALLS = hvb.calls() if hvb.available() else []


@pytest.fixture(scope="module")
def whisper() -> WhisperTranscriber:
    return WhisperTranscriber(AsrSettings())


@pytest.mark.parametrize("sid", CALLS)
def test_stereo_roles_in_both_orientations(
    sid: str, whisper: WhisperTranscriber, tmp_path: Path
) -> None:
    cache = hvb.file_cache()
    flipped = hvb.swap_channels(hvb.stereo(sid), tmp_path / f"{sid}.flac")
    for path, truly_swapped in ((hvb.stereo(sid), False), (flipped, True)):
        result = transcribe_recording(path, VoiceSettings(), whisper, cache)
        assert result.info["roles_swapped"] is truly_swapped, result.info["role_evidence"]
        assert not result.needs_review
        words = [(w.start, w.end, t.role) for t in result.turns for w in t.words]
        right, judged = hvb.words_right_role(sid, words)
        assert judged >= 40 and right / judged >= 0.99, (right, judged)


def test_misheard_swapped_call_is_kept_and_marked_for_review(whisper: WhisperTranscriber) -> None:
    """The demo's swapped call is synthetic speech that tiny.en mishears throughout ("my meal
    is much higher"): the greeting survives on one side, but no request on the other. That is
    not enough to swap, so the map stays and a person is asked to check."""
    result = transcribe_recording(
        EXAMPLES / "calls" / "d.novak_20260304_1002.wav", VoiceSettings(), whisper
    )
    assert result.info["roles_swapped"] is False and result.needs_review
    assert result.info["role_confidence"] < 0.5


@pytest.mark.parametrize("sid", CALLS)
def test_mono_mix_roles(sid: str, whisper: WhisperTranscriber) -> None:
    """The same call mixed to one channel: embedded diarization, then roles from each voice's
    whole call. The mixes are dithered, so a few bits of noise decide whether tiny.en hears
    the agent's greeting; the roles must not rest on it."""
    result = transcribe_recording(hvb.mono(sid), VoiceSettings(), whisper, hvb.file_cache())
    assert result.info["diarization"] == "embedded" and result.info["speakers"] == 2
    words = [(w.start, w.end, t.role) for t in result.turns for w in t.words]
    right, judged = hvb.words_right_role(sid, words)
    assert judged >= 40 and right / judged >= 0.98, (right, judged, result.info["role_evidence"])
