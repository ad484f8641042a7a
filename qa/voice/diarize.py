"""Who spoke when, on a mono recording.

`embedded`, the offline default: GE2E speaker embeddings (resemblyzer's shipped
voice encoder, run on onnxruntime by qa.voice.ge2e) on short overlapping windows of speech, clustered
agglomeratively. `pyannote`: a pyannote.audio pipeline from a local directory
or a hub name. Both return speaker segments; words are then given the speaker
whose segment covers them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from qa.errors import ConfigError
from qa.models.registry import TORCH_EXTRA_HINT, missing_extra

SAMPLE_RATE = 16000


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    speaker: str


class Diarizer(Protocol):
    def __call__(
        self, audio: np.ndarray, speech: list[tuple[float, float]], speakers: SpeakerCount
    ) -> list[Segment]: ...


@dataclass(frozen=True)
class SpeakerCount:
    exact: int | None = 2
    min: int = 1
    max: int = 2


@dataclass(frozen=True)
class EmbeddedSettings:
    """Thresholds of the embedded diarizer, each declared once."""

    rate: float = 4.0  # embeddings per second of audio; each covers 1.6 s (the encoder's window)
    min_speech_share: float = 0.5  # a window counts when at least this share of it is speech
    # Cosine distance of the two cluster centres under which they are one voice. Measured on
    # speech windows: one synthetic voice 0.08 and 0.13; two voices 0.13 (the reference call)
    # and 0.29 (a synthetic call). A heuristic: it catches clear one-voice recordings only.
    same_speaker_distance: float = 0.1


_encoder: Any = None


def _voice_encoder() -> Any:
    """The GE2E voice encoder with resemblyzer's weights (NumPy, no torch), loaded once."""
    global _encoder
    if _encoder is None:
        from qa.models.registry import REGISTRY, model_files
        from qa.voice.ge2e import VoiceEncoder

        _encoder = VoiceEncoder(model_files(REGISTRY["ge2e"])["ge2e_voice_encoder.npz"])
    return _encoder


def _speech_share(start: float, end: float, speech: list[tuple[float, float]]) -> float:
    covered = sum(max(0.0, min(end, e) - max(start, s)) for s, e in speech)
    return covered / max(1e-6, end - start)


def _kmeans(embeddings: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.cluster import KMeans

    model = KMeans(n_clusters=k, n_init=10, random_state=0).fit(embeddings)
    return model.labels_, model.cluster_centers_


def _cluster(embeddings: np.ndarray, count: SpeakerCount, settings: EmbeddedSettings) -> np.ndarray:
    """Labels per window. k-means on unit GE2E vectors: on the reference call it beats
    average-linkage clustering (DER 0.02 against 0.48), which merges across speakers."""
    from sklearn.metrics import silhouette_score

    n = len(embeddings)
    candidates = [count.exact] if count.exact else list(range(max(2, count.min), count.max + 1))
    best: tuple[float, np.ndarray] | None = None
    for k in candidates:
        if k > n - 1:
            continue
        labels, centres = _kmeans(embeddings, k)
        unit = centres / np.linalg.norm(centres, axis=1, keepdims=True)
        closest = min(1 - float(unit[i] @ unit[j]) for i in range(k) for j in range(i + 1, k))
        if closest < settings.same_speaker_distance:
            continue  # two "speakers" that sound alike are one speaker
        if len(candidates) == 1:
            return labels
        # On a sample: the full silhouette holds an n x n matrix (1.7 GB for an hour).
        score = float(
            silhouette_score(
                embeddings,
                labels,
                metric="cosine",
                sample_size=min(n, SILHOUETTE_SAMPLE),
                random_state=0,
            )
        )
        if best is None or score > best[0]:
            best = (score, labels)
    if best is None:
        return np.zeros(n, dtype=int)
    return best[1]


SILHOUETTE_SAMPLE = 2000
CHUNK_S = 120.0  # audio embedded at once: the encoder's memory grows with the length it is given
WINDOW_S = 1.6  # the encoder's window


def _window_embeddings(
    encoder: Any,
    wav: np.ndarray,
    rate: float,
    speech: list[tuple[float, float]] | None = None,
    min_speech_share: float = 0.0,
) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Embeddings of overlapping windows over the whole recording, a chunk at a time;
    with `speech`, only of windows with at least `min_speech_share` of speech (the others
    would be dropped anyway, so they are never computed)."""
    chunk = int(CHUNK_S * SAMPLE_RATE)
    overlap = int(WINDOW_S * SAMPLE_RATE)
    vectors: list[np.ndarray] = []
    spans: list[tuple[float, float]] = []
    for offset in range(0, len(wav), chunk):
        piece = wav[offset : offset + chunk + overlap]
        if len(piece) < overlap:
            break
        last = offset + chunk >= len(wav)

        def wanted(sl: slice, offset: int = offset, last: bool = last) -> bool:
            start, stop = (offset + sl.start) / SAMPLE_RATE, (offset + sl.stop) / SAMPLE_RATE
            # A window whose centre lies in the next chunk is that chunk's to give.
            if not last and (start + stop) / 2 >= (offset + chunk) / SAMPLE_RATE:
                return False
            return speech is None or _speech_share(start, stop, speech) >= min_speech_share

        partials, splits = encoder.embed_windows(piece, rate, 0.5, wanted)
        for vec, sl in zip(partials, splits, strict=True):
            vectors.append(vec)
            spans.append(((offset + sl.start) / SAMPLE_RATE, (offset + sl.stop) / SAMPLE_RATE))
    return np.stack(vectors) if vectors else np.zeros((0, 256)), spans


def diarize_embedded(
    audio: np.ndarray,
    speech: list[tuple[float, float]],
    speakers: SpeakerCount = SpeakerCount(),
    settings: EmbeddedSettings = EmbeddedSettings(),
) -> list[Segment]:
    """Speaker segments from voice embeddings on windows of speech."""
    if not speech or len(audio) < SAMPLE_RATE:
        return [Segment(s, e, "S1") for s, e in speech]
    encoder = _voice_encoder()
    wav = audio.astype(np.float32)
    peak = float(np.abs(wav).max()) or 1.0
    wav = wav / peak * 0.9
    partials, spans = _window_embeddings(
        encoder, wav, settings.rate, speech, settings.min_speech_share
    )
    if len(spans) < 2:
        return [Segment(s, e, "S1") for s, e in speech]
    labels = _cluster(partials, speakers, settings)
    centres = np.array([(s + e) / 2 for s, e in spans])
    # Each stretch of speech, cut at window centres, goes to its nearest window's speaker.
    segments: list[Segment] = []
    step = 1.0 / settings.rate
    for s, e in speech:
        t = s
        while t < e:
            nxt = min(e, t + step)
            mid = (t + nxt) / 2
            label = labels[int(np.abs(centres - mid).argmin())]
            segments.append(Segment(t, nxt, f"S{label + 1}"))
            t = nxt
    return merge_segments(segments)


def merge_segments(segments: list[Segment], gap: float = 0.0) -> list[Segment]:
    out: list[Segment] = []
    for seg in sorted(segments, key=lambda x: x.start):
        if out and out[-1].speaker == seg.speaker and seg.start - out[-1].end <= gap + 1e-6:
            out[-1] = Segment(out[-1].start, max(out[-1].end, seg.end), seg.speaker)
        else:
            out.append(seg)
    return out


def diarize_pyannote(
    audio: np.ndarray, pipeline_ref: str, speakers: SpeakerCount = SpeakerCount()
) -> list[Segment]:
    """A pyannote.audio pipeline, from a local directory or a hub name. No telemetry."""
    os.environ["PYANNOTE_METRICS_ENABLED"] = "0"
    pipeline = load_pyannote_pipeline(pipeline_ref)
    import torch

    waveform = torch.from_numpy(audio.astype(np.float32)).unsqueeze(0)
    kwargs: dict[str, Any] = (
        {"num_speakers": speakers.exact}
        if speakers.exact
        else {"min_speakers": speakers.min, "max_speakers": speakers.max}
    )
    result = pipeline({"waveform": waveform, "sample_rate": SAMPLE_RATE}, **kwargs)
    annotation = getattr(result, "speaker_diarization", result)
    return merge_segments(
        [
            Segment(turn.start, turn.end, str(label))
            for turn, _, label in annotation.itertracks(yield_label=True)
        ]
    )


_pipelines: dict[str, Any] = {}


def load_pyannote_pipeline(ref: str) -> Any:
    os.environ["PYANNOTE_METRICS_ENABLED"] = "0"
    if ref not in _pipelines:
        try:
            from pyannote.audio import Pipeline
        except ImportError as exc:
            raise ConfigError(missing_extra("pyannote.audio", TORCH_EXTRA_HINT)) from exc
        pipeline = Pipeline.from_pretrained(ref)
        if pipeline is None:
            raise ConfigError(f"no pyannote pipeline at {ref!r}: give a local folder or a hub name")
        _pipelines[ref] = pipeline
    return _pipelines[ref]
