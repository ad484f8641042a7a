"""The transcript cache's key holds everything that shapes a channel's recognition besides
its samples and AsrSettings: the long-recording pieces, the detection window, the speech
regions rebuilt from the words, the BLAS threads and the recognising libraries' versions. A
change of any of them recognises the channel again instead of serving the old transcript."""

from __future__ import annotations

import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from qa.model import Word
from qa.vocabulary import Diarization
from qa.voice import asr
from qa.voice.asr import AsrResult, AsrSettings
from qa.voice.pipeline import VoiceSettings, transcribe_recording
from tests.conftest import needs

FRONT_END = ("PIECE_S", "CUT_SEARCH_S", "DETECT_WINDOW_S", "SPEECH_PAD_S", "SPEECH_GAP_S")


@pytest.mark.parametrize("name", [*FRONT_END, "SAMPLE_RATE", "BLAS_THREADS"])
def test_a_front_end_setting_changes_the_key(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    before = AsrSettings().key()
    monkeypatch.setattr(asr, name, getattr(asr, name) * 2)
    assert AsrSettings().key() != before


@pytest.mark.parametrize("library", asr.RECOGNISERS)
def test_another_version_of_a_recognising_library_changes_the_key(
    library: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = AsrSettings().key()
    versions = {**asr.recogniser_versions(), library: "0.0.1"}
    monkeypatch.setattr(asr, "recogniser_versions", lambda: versions)
    assert AsrSettings().key() != before


def test_the_recogniser_threads_still_leave_the_key_alone() -> None:
    assert AsrSettings(cpu_threads=1).key() == AsrSettings(cpu_threads=7).key()


class Counting:
    """A recogniser that hears one word, counting the channels it is given."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, audio: np.ndarray) -> AsrResult:
        self.calls += 1
        return AsrResult([Word(0.1, 0.4, "hello", 0.9)], "en", [(0.0, 0.6)])


@needs("av")
def test_a_recording_is_recognised_again_after_a_front_end_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "call.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\x10\x00\xf0\xff" * 4000)
    cache: dict[str, AsrResult] = {}

    def cached(key: str, run: Any) -> AsrResult:
        if key not in cache:
            cache[key] = run()
        return cache[key]

    settings = VoiceSettings(diarization=Diarization.NONE)
    recogniser = Counting()
    transcribe_recording(path, settings, recogniser, cached)
    transcribe_recording(path, settings, recogniser, cached)
    assert recogniser.calls == 1  # the same front end: served from the cache
    monkeypatch.setattr(asr, "PIECE_S", asr.PIECE_S / 2)  # pieces cut elsewhere
    transcribe_recording(path, settings, recogniser, cached)
    assert recogniser.calls == 2
