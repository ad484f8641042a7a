"""The pyannote backend, through the very code path users take, on a tiny random pipeline."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qa.voice.diarize import SpeakerCount, diarize_pyannote, load_pyannote_pipeline
from qa.voice.pipeline import VoiceSettings, decode, transcribe_recording
from tests.pyannote_tiny import build_tiny_pipeline
from tests.test_voice_unit import FakeTranscriber
from tests.voice_ref import SAMPLE_WAV

pytestmark = pytest.mark.models


@pytest.fixture(scope="module")
def pipeline_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_pipeline(tmp_path_factory.mktemp("pyannote") / "tiny-diarization")


def test_local_pipeline_loads_without_telemetry(pipeline_dir: Path) -> None:
    pipeline = load_pyannote_pipeline(str(pipeline_dir))
    assert type(pipeline).__name__ == "SpeakerDiarization"
    assert os.environ["PYANNOTE_METRICS_ENABLED"] == "0"
    assert load_pyannote_pipeline(str(pipeline_dir)) is pipeline  # loaded once per process


def test_pyannote_segments_and_turns(pipeline_dir: Path) -> None:
    [audio] = decode(SAMPLE_WAV)
    segments = diarize_pyannote(audio, str(pipeline_dir), SpeakerCount(exact=None, min=1, max=2))
    assert segments and all(0 <= s.start < s.end <= 30.1 for s in segments)
    words = [(7.0 + i, 7.5 + i, w) for i, w in enumerate("hello there how can I help".split())]
    settings = VoiceSettings(diarization="pyannote", pyannote_pipeline=str(pipeline_dir))
    fake = FakeTranscriber({round(float(abs(audio).max()) * 10): words})
    result = transcribe_recording(SAMPLE_WAV, settings, fake)
    assert result.info["diarization"] == "pyannote"
    assert " ".join(t.text for t in result.turns).split() == [w for *_, w in words]
    assert all(t.role in {"agent", "customer"} for t in result.turns)
