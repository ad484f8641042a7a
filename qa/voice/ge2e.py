"""The GE2E voice encoder (resemblyzer's model and weights) in NumPy: no torch.

A 40-band mel spectrogram (25 ms windows, 10 ms hop, as librosa computes it for
resemblyzer), cut into partial utterances of 160 frames (1.6 s); each goes through a
3-layer LSTM (256 units) whose last hidden state, through a linear layer and a ReLU,
is scaled to unit length. The weights are resemblyzer's shipped ones, unchanged
(models/ge2e_voice_encoder.npz, written by scripts/export_ge2e.py, sha256 pinned in
the registry); `embed_utterance` keeps resemblyzer's signature and its results.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

SAMPLE_RATE = 16000
N_FFT = 400  # 25 ms
HOP = 160  # 10 ms
N_MELS = 40
PARTIAL_FRAMES = 160  # 1.6 s
LAYERS = 3


def _hz_to_mel(f: np.ndarray) -> np.ndarray:
    """Slaney's mel scale (librosa's default, htk=False)."""
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    min_log_mel, logstep = min_log_hz / f_sp, np.log(6.4) / 27.0
    mel = f / f_sp
    high = f >= min_log_hz
    mel[high] = min_log_mel + np.log(f[high] / min_log_hz) / logstep
    return mel


def _mel_to_hz(m: np.ndarray) -> np.ndarray:
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    min_log_mel, logstep = min_log_hz / f_sp, np.log(6.4) / 27.0
    f = f_sp * m
    high = m >= min_log_mel
    f[high] = min_log_hz * np.exp(logstep * (m[high] - min_log_mel))
    return f


@lru_cache(maxsize=1)
def mel_filters() -> np.ndarray:
    """librosa.filters.mel(sr=16000, n_fft=400, n_mels=40): Slaney scale and area norm."""
    fft_freqs = np.fft.rfftfreq(N_FFT, 1.0 / SAMPLE_RATE)
    low, high = _hz_to_mel(np.array([0.0, SAMPLE_RATE / 2.0]))
    mel_f = _mel_to_hz(np.linspace(low, high, N_MELS + 2))
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fft_freqs)
    weights = np.zeros((N_MELS, len(fft_freqs)))
    for i in range(N_MELS):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    weights *= (2.0 / (mel_f[2 : N_MELS + 2] - mel_f[:N_MELS]))[:, None]
    return weights.astype(np.float32)


def mel_spectrogram(wav: np.ndarray) -> np.ndarray:
    """Power mel spectrogram, frames x 40 (librosa.feature.melspectrogram's defaults:
    centred frames, zero padding, periodic Hann window, power 2)."""
    y = np.pad(wav.astype(np.float32), (N_FFT // 2, N_FFT // 2))
    count = 1 + (len(y) - N_FFT) // HOP
    frames = np.lib.stride_tricks.as_strided(
        y, shape=(count, N_FFT), strides=(y.strides[0] * HOP, y.strides[0])
    )
    window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)).astype(np.float32)
    power = np.abs(np.fft.rfft(frames * window, axis=1)) ** 2
    return (power.astype(np.float32) @ mel_filters().T).astype(np.float32)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)


class VoiceEncoder:
    """GE2E speaker embeddings of 1.6 s windows, 256 values each, unit length."""

    def __init__(self, weights: Path):
        with np.load(weights) as archive:
            self.w = {k: archive[k].astype(np.float32) for k in archive.files}

    def forward(self, mels: np.ndarray) -> np.ndarray:
        """Embeddings of a batch of partial utterances, (batch, frames, 40) -> (batch, 256)."""
        x = mels.astype(np.float32)
        batch, steps, _ = x.shape
        for layer in range(LAYERS):
            w_ih, w_hh = self.w[f"lstm_weight_ih_l{layer}"], self.w[f"lstm_weight_hh_l{layer}"]
            bias = self.w[f"lstm_bias_ih_l{layer}"] + self.w[f"lstm_bias_hh_l{layer}"]
            hidden = w_hh.shape[1]
            gates_x = x @ w_ih.T + bias  # every step's input part at once
            h = np.zeros((batch, hidden), np.float32)
            c = np.zeros((batch, hidden), np.float32)
            out = np.empty((batch, steps, hidden), np.float32)
            w_hh_t = np.ascontiguousarray(w_hh.T)
            for t in range(steps):
                g = gates_x[:, t] + h @ w_hh_t
                i = _sigmoid(g[:, :hidden])
                f = _sigmoid(g[:, hidden : 2 * hidden])
                cell = np.tanh(g[:, 2 * hidden : 3 * hidden])
                o = _sigmoid(g[:, 3 * hidden :])
                c = f * c + i * cell
                h = o * np.tanh(c)
                out[:, t] = h
            x = out
        raw = np.maximum(h @ self.w["linear_weight"].T + self.w["linear_bias"], 0.0)
        norm = np.linalg.norm(raw, axis=1, keepdims=True)
        return (raw / np.where(norm > 0, norm, 1.0)).astype(np.float32)

    @staticmethod
    def compute_partial_slices(
        n_samples: int, rate: float, min_coverage: float
    ) -> tuple[list[slice], list[slice]]:
        """Where to cut windows of 160 frames, `rate` per second (resemblyzer's rule)."""
        assert 0 < min_coverage <= 1
        n_frames = int(np.ceil((n_samples + 1) / HOP))
        frame_step = int(np.round((SAMPLE_RATE / rate) / HOP))
        assert 0 < frame_step <= PARTIAL_FRAMES, "rate out of range"
        wav_slices, mel_slices = [], []
        steps = max(1, n_frames - PARTIAL_FRAMES + frame_step + 1)
        for i in range(0, steps, frame_step):
            mel_slices.append(slice(i, i + PARTIAL_FRAMES))
            wav_slices.append(slice(i * HOP, (i + PARTIAL_FRAMES) * HOP))
        last = wav_slices[-1]
        coverage = (n_samples - last.start) / (last.stop - last.start)
        if coverage < min_coverage and len(mel_slices) > 1:
            mel_slices, wav_slices = mel_slices[:-1], wav_slices[:-1]
        return wav_slices, mel_slices

    def embed_utterance(
        self,
        wav: np.ndarray,
        return_partials: bool = False,
        rate: float = 1.3,
        min_coverage: float = 0.75,
    ) -> np.ndarray | tuple[np.ndarray, np.ndarray, list[slice]]:
        """The utterance's embedding (the unit mean of its windows'), as resemblyzer's."""
        wav_slices, mel_slices = self.compute_partial_slices(len(wav), rate, min_coverage)
        longest = wav_slices[-1].stop
        if longest >= len(wav):
            wav = np.pad(wav, (0, longest - len(wav)))
        mel = mel_spectrogram(wav)
        partials = self.forward(np.array([mel[s] for s in mel_slices]))
        raw = partials.mean(axis=0)
        embed = raw / np.linalg.norm(raw, 2)
        if return_partials:
            return embed, partials, wav_slices
        return embed
