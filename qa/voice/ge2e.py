"""The GE2E voice encoder (resemblyzer's model and weights) without torch: the mel frames in
NumPy, the LSTM on onnxruntime (a NumPy reference beside it).

A 40-band mel spectrogram (25 ms windows, 10 ms hop, as librosa computes it for
resemblyzer), cut into partial utterances of 160 frames (1.6 s); each goes through a
3-layer LSTM (256 units) whose last hidden state, through a linear layer and a ReLU,
is scaled to unit length. The weights are resemblyzer's shipped ones, unchanged
(models/ge2e_voice_encoder.npz, written by scripts/export_ge2e.py, sha256 pinned in
the registry); `embed_utterance` keeps resemblyzer's signature and its results.

The LSTM runs on onnxruntime (a core dependency): a three-node ONNX graph is written in
memory from the same weights, so all windows go through one fused LSTM kernel per layer
with vectorised gates. On a real 51 s call (200 windows) it took half the time of the
NumPy loop over frames, which stays as `forward_numpy`, the reference it is tested against.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

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


# A minimal ONNX writer: protobuf's wire format by hand (the onnx package is not a dependency).
def _varint(n: int) -> bytes:
    out = bytearray()
    n &= (1 << 64) - 1
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | 0x80 if n else low)
        if not n:
            return bytes(out)


def _field(number: int, value: int | bytes | str) -> bytes:
    if isinstance(value, int):
        return _varint(number << 3) + _varint(value)
    data = value.encode() if isinstance(value, str) else value
    return _varint(number << 3 | 2) + _varint(len(data)) + data


def _tensor(name: str, array: np.ndarray) -> bytes:
    array = np.ascontiguousarray(array)
    kind = {np.dtype(np.float32): 1, np.dtype(np.int64): 7}[array.dtype]
    dims = b"".join(_field(1, d) for d in array.shape)
    return dims + _field(2, kind) + _field(8, name) + _field(9, array.tobytes())


def _node(op: str, inputs: list[str], outputs: list[str], attributes: bytes = b"") -> bytes:
    return (
        b"".join(_field(1, i) for i in inputs)
        + b"".join(_field(2, o) for o in outputs)
        + _field(4, op)
        + attributes
    )


def _value_info(name: str, dims: list[int | str]) -> bytes:
    shape = b"".join(_field(1, _field(1, d) if isinstance(d, int) else _field(2, d)) for d in dims)
    return _field(1, name) + _field(2, _field(1, _field(1, 1) + _field(2, shape)))


def _onnx_gates(m: np.ndarray) -> np.ndarray:
    """torch's gate order (input, forget, cell, output) -> ONNX's (input, output, forget, cell)."""
    i, f, g, o = np.split(m, 4, axis=0)
    return np.concatenate([i, o, f, g], axis=0)


def onnx_model(w: dict[str, np.ndarray]) -> bytes:
    """The encoder as an ONNX model: mels (frames, batch, 40) -> raw (batch, 256), the
    linear layer's ReLU output before it is scaled to unit length."""
    nodes, weights = [], []
    x = "mels"
    hidden = w["lstm_weight_hh_l0"].shape[1]
    for layer in range(LAYERS):
        W = _onnx_gates(w[f"lstm_weight_ih_l{layer}"])[None]
        R = _onnx_gates(w[f"lstm_weight_hh_l{layer}"])[None]
        B = np.concatenate(
            [_onnx_gates(w[f"lstm_bias_ih_l{layer}"]), _onnx_gates(w[f"lstm_bias_hh_l{layer}"])]
        )[None]
        weights += [_tensor(f"W{layer}", W), _tensor(f"R{layer}", R), _tensor(f"B{layer}", B)]
        size = _field(1, "hidden_size") + _field(3, hidden) + _field(20, 2)  # an INT attribute
        nodes.append(
            _node(
                "LSTM",
                [x, f"W{layer}", f"R{layer}", f"B{layer}"],
                [f"Y{layer}", f"H{layer}"],
                _field(5, size),
            )
        )
        x = f"X{layer + 1}"  # (frames, 1 direction, batch, hidden) -> (frames, batch, hidden)
        nodes.append(_node("Squeeze", [f"Y{layer}", "axis1"], [x]))
    weights += [
        _tensor("axis0", np.array([0], np.int64)),
        _tensor("axis1", np.array([1], np.int64)),
        _tensor("linear_w", w["linear_weight"].T),
        _tensor("linear_b", w["linear_bias"]),
    ]
    nodes += [
        _node("Squeeze", [f"H{LAYERS - 1}", "axis0"], ["last"]),
        _node("MatMul", ["last", "linear_w"], ["projected"]),
        _node("Add", ["projected", "linear_b"], ["biased"]),
        _node("Relu", ["biased"], ["raw"]),
    ]
    graph = (
        b"".join(_field(1, n) for n in nodes)
        + _field(2, "ge2e")
        + b"".join(_field(5, t) for t in weights)
        + _field(11, _value_info("mels", ["frames", "batch", N_MELS]))
        + _field(12, _value_info("raw", ["batch", hidden]))
    )
    opset = _field(1, "") + _field(2, 14)
    return _field(1, 8) + _field(7, graph) + _field(8, opset)


THREADS = 1  # one thread: on shared cores, more ran slower (oversubscribed), not faster


class VoiceEncoder:
    """GE2E speaker embeddings of 1.6 s windows, 256 values each, unit length."""

    def __init__(self, weights: Path, threads: int = THREADS):
        with np.load(weights) as archive:
            self.w = {k: archive[k].astype(np.float32) for k in archive.files}
        self.threads = threads
        self._session: Any = None

    def session(self) -> Any:
        if self._session is None:
            import onnxruntime as ort

            options = ort.SessionOptions()
            options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
            options.log_severity_level = 3
            self._session = ort.InferenceSession(
                onnx_model(self.w), options, providers=["CPUExecutionProvider"]
            )
        return self._session

    def forward(self, mels: np.ndarray) -> np.ndarray:
        """Embeddings of a batch of partial utterances, (batch, frames, 40) -> (batch, 256)."""
        if len(mels) == 0:
            return np.zeros((0, self.w["linear_bias"].shape[0]), np.float32)
        frames = np.ascontiguousarray(mels.astype(np.float32).transpose(1, 0, 2))
        (raw,) = self.session().run(["raw"], {"mels": frames})
        norm = np.linalg.norm(raw, axis=1, keepdims=True)
        return (raw / np.where(norm > 0, norm, 1.0)).astype(np.float32)

    def forward_numpy(self, mels: np.ndarray) -> np.ndarray:
        """The same in NumPy, a frame at a time: the reference `forward` is tested against."""
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

    def embed_windows(
        self,
        wav: np.ndarray,
        rate: float,
        min_coverage: float,
        wanted: Callable[[slice], bool] | None = None,
    ) -> tuple[np.ndarray, list[slice]]:
        """Embeddings of the windows over `wav` (resemblyzer's cuts), only those `wanted`
        (by their samples): each window runs alone from a zero state, so the others'
        are the same whether or not these are computed."""
        wav_slices, mel_slices = self.compute_partial_slices(len(wav), rate, min_coverage)
        longest = wav_slices[-1].stop
        if longest >= len(wav):
            wav = np.pad(wav, (0, longest - len(wav)))
        chosen = [i for i, s in enumerate(wav_slices) if wanted is None or wanted(s)]
        if not chosen:
            return np.zeros((0, self.w["linear_bias"].shape[0]), np.float32), []
        mel = mel_spectrogram(wav)
        partials = self.forward(np.array([mel[mel_slices[i]] for i in chosen]))
        return partials, [wav_slices[i] for i in chosen]

    def embed_utterance(
        self,
        wav: np.ndarray,
        return_partials: bool = False,
        rate: float = 1.3,
        min_coverage: float = 0.75,
    ) -> np.ndarray | tuple[np.ndarray, np.ndarray, list[slice]]:
        """The utterance's embedding (the unit mean of its windows'), as resemblyzer's."""
        partials, wav_slices = self.embed_windows(wav, rate, min_coverage)
        raw = partials.mean(axis=0)
        embed = raw / np.linalg.norm(raw, 2)
        if return_partials:
            return embed, partials, wav_slices
        return embed
