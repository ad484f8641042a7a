"""The pyannote backend, through the very code path users take, on a tiny random pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.voice.diarize import SpeakerCount, diarize_pyannote, load_pyannote_pipeline
from qa.voice.pipeline import VoiceSettings, decode, transcribe_recording
from tests.conftest import needs
from tests.test_voice_unit import FakeTranscriber
from tests.voice_ref import SAMPLE_WAV

pytestmark = [pytest.mark.models, needs("pyannote.audio", "torch")]


@pytest.fixture(scope="module")
def pipeline_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.pyannote_tiny import build_tiny_pipeline  # imports pyannote.audio and torch

    return build_tiny_pipeline(tmp_path_factory.mktemp("pyannote") / "tiny-diarization")


def test_local_pipeline_loads_without_telemetry(
    pipeline_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYANNOTE_METRICS_ENABLED", "1")  # a user who once said yes
    pipeline = load_pyannote_pipeline(str(pipeline_dir))
    assert type(pipeline).__name__ == "SpeakerDiarization"
    assert load_pyannote_pipeline(str(pipeline_dir)) is pipeline  # loaded once per process
    from pyannote.audio.telemetry import metrics

    assert metrics.is_metrics_enabled() is False  # pyannote's own reading of the switch
    sent: list[object] = []
    monkeypatch.setattr(metrics.exporter, "export", lambda spans: sent.append(spans))
    [audio] = decode(SAMPLE_WAV)
    diarize_pyannote(audio, str(pipeline_dir), SpeakerCount(exact=None, min=1, max=2))
    metrics.provider.force_flush()
    assert sent == []  # no span left the process


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
