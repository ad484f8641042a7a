"""The torch-free GE2E voice encoder: its mel spectrogram and windows, and (where
resemblyzer and torch are installed) the same embeddings as resemblyzer's own encoder."""

from __future__ import annotations

import numpy as np
import pytest

from qa.models.registry import REGISTRY, model_files, verify
from qa.voice.diarize import _voice_encoder
from qa.voice.ge2e import VoiceEncoder, mel_filters, mel_spectrogram
from tests.conftest import needs


def tone_and_noise(seconds: float = 5.0) -> np.ndarray:
    rng = np.random.default_rng(7)
    t = np.arange(int(16000 * seconds)) / 16000
    wav = 0.3 * np.sin(2 * np.pi * 180 * t) * (1 + np.sin(2 * np.pi * 3 * t))
    return (wav + 0.05 * rng.standard_normal(len(t))).astype(np.float32)


def test_weights_ship_with_qa_and_match_their_pin() -> None:
    assert dict(verify(REGISTRY["ge2e"])) == {"ge2e_voice_encoder.npz": "ok"}
    assert isinstance(_voice_encoder(), VoiceEncoder)


def test_mel_filters_are_slaney_triangles() -> None:
    m = mel_filters()
    assert m.shape == (40, 201) and (m >= 0).all()
    peaks = m.argmax(1)
    assert (np.diff(peaks) > 0).all()  # each band a little higher than the last
    # Area-normalised: wider (higher) bands are lower.
    assert m[0].max() > m[-1].max()


def test_windows_and_embeddings() -> None:
    enc = _voice_encoder()
    wav = tone_and_noise()
    mel = mel_spectrogram(wav)
    assert mel.shape == (1 + len(wav) // 160, 40)
    embed, partials, slices = enc.embed_utterance(
        wav, return_partials=True, rate=4.0, min_coverage=0.5
    )
    assert partials.shape == (len(slices), 256) and len(slices) >= 14
    assert np.allclose(np.linalg.norm(partials, axis=1), 1.0, atol=1e-5)
    assert (partials >= 0).all() and abs(float(np.linalg.norm(embed)) - 1.0) < 1e-5
    assert slices[0] == slice(0, 25600) and slices[1].start == 4000


def test_onnxruntime_lstm_matches_the_numpy_loop() -> None:
    enc = _voice_encoder()
    rng = np.random.default_rng(3)
    mels = np.abs(rng.standard_normal((6, 160, 40))).astype(np.float32) * 5
    mels[2] *= 0.01  # quiet, near the origin
    fast, slow = enc.forward(mels), enc.forward_numpy(mels)
    assert fast.shape == slow.shape == (6, 256)
    assert np.abs(fast - slow).max() < 1e-5
    assert enc.forward(mels[:0]).shape == (0, 256)


def test_windows_left_out_do_not_change_the_others() -> None:
    enc = _voice_encoder()
    wav = tone_and_noise(8.0)
    every, slices = enc.embed_windows(wav, 4.0, 0.5)
    some, chosen = enc.embed_windows(wav, 4.0, 0.5, lambda s: s.start % 8000 == 0)
    assert chosen == [s for s in slices if s.start % 8000 == 0] and 0 < len(chosen) < len(slices)
    index = [slices.index(s) for s in chosen]
    assert np.abs(some - every[index]).max() < 1e-6
    none, nothing = enc.embed_windows(wav, 4.0, 0.5, lambda s: False)
    assert none.shape == (0, 256) and nothing == []


@pytest.mark.models
@needs("resemblyzer", "torch", "librosa", "soundfile", "pyannote.audio")
def test_same_embeddings_as_resemblyzer() -> None:
    import resemblyzer
    import soundfile as sf
    from resemblyzer import audio

    from tests.voice_ref import SAMPLE_WAV

    wav, rate = sf.read(str(SAMPLE_WAV), dtype="float32")
    assert rate == 16000
    wav = wav[: 16000 * 20] / np.abs(wav[: 16000 * 20]).max() * 0.9
    ref = audio.wav_to_mel_spectrogram(wav)
    assert np.abs(ref - mel_spectrogram(wav)).max() < 1e-5 * np.abs(ref).max()
    theirs = resemblyzer.VoiceEncoder("cpu", verbose=False)
    mine = VoiceEncoder(model_files(REGISTRY["ge2e"])["ge2e_voice_encoder.npz"])
    a = theirs.embed_utterance(wav, return_partials=True, rate=4.0, min_coverage=0.5)
    b = mine.embed_utterance(wav, return_partials=True, rate=4.0, min_coverage=0.5)
    assert a[2] == b[2]
    assert np.abs(a[1] - b[1]).max() < 1e-4
    assert float((a[0] * b[0]).sum()) > 0.99999
