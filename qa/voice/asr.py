"""Speech recognition with faster-whisper (CTranslate2), tuned for calls on CPU."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from qa.errors import InputError
from qa.model import Word
from qa.models.registry import import_model_library, resolve_asr
from qa.voice.languages import (
    AUTO,
    DEFAULT_LANGUAGE_KEY,
    DEFAULT_MODELS,
    LANGUAGE_MIN_PROBABILITY,
    english_only,
)

SAMPLE_RATE = 16000
DETECT_WINDOW_S = 120.0  # detection reads the first 30 s of speech within this much audio


@dataclass(frozen=True)
class AsrSettings:
    """Every setting that changes the transcript; their hash keys the transcript cache."""

    model: str = AUTO
    language: str | None = None  # None: English for *.en models, else detected
    # With model `auto`: the model per detected language (`default`: all others), and how
    # sure detection must be before a language's own model is used.
    models: tuple[tuple[str, str], ...] = tuple(sorted(DEFAULT_MODELS.items()))
    language_min_probability: float = LANGUAGE_MIN_PROBABILITY
    beam_size: int = 5  # beam 5 beat greedy on the reference call (WER 0.149 vs 0.173)
    vad: bool = True  # Silero VAD inside faster-whisper: skips silence, avoids hallucinated text
    # Padding around each VAD speech region. faster-whisper's 400 ms clips short telephone
    # turns; 1000 ms gave WER 0.103 against 0.149 on the reference call, and 0.311 against
    # 0.319 pooled with the demo calls, at the same speed (bench/bench_voice.py).
    vad_speech_pad_ms: int = 1000
    condition_on_previous_text: bool = False  # guards against repetition loops
    compression_ratio_threshold: float = 2.4  # a segment this repetitive is decoded again
    no_speech_threshold: float = 0.6
    hallucination_silence_threshold: float | None = 2.0
    hotwords: str | None = None  # company and product names; off unless measured to help
    # faster-whisper's batched pipeline, N windows at a time (0: off). On the pooled real
    # calls (bench/bench_voice.py --real-calls) 8 gave WER 0.144 against 0.152 unbatched,
    # faster, with the mono mixes' roles as good (lowest call 0.985 of words right both ways).
    batch_size: int = 8
    # Batched windows decoded with timestamp tokens: without them a window is one segment
    # and tiny.en can skip most of it (a 26 s demo call came back as its last 15 words).
    batch_timestamps: bool = True
    compute_type: str = "int8"
    cpu_threads: int = field(default_factory=lambda: os.cpu_count() or 1)

    def key(self) -> str:
        stable: dict[str, Any] = {k: v for k, v in asdict(self).items() if k != "cpu_threads"}
        if not self.batch_size:
            del stable["batch_timestamps"]  # no effect unbatched
        if self.model != AUTO:  # no effect with a fixed model
            del stable["models"], stable["language_min_probability"]
        stable["front_end"] = front_end()
        return hashlib.sha256(json.dumps(stable, sort_keys=True).encode()).hexdigest()[:16]

    def model_for(self, language: str | None) -> str:
        """With `auto`: the configured model for a language, else the default one."""
        table = dict(self.models)
        return table.get(language or "", table[DEFAULT_LANGUAGE_KEY])

    def language_for(self, model_ref: str) -> str | None:
        if self.language:
            return self.language
        return "en" if self.model.endswith(".en") or model_ref.rstrip("/").endswith(".en") else None


# The libraries that recognise: faster-whisper (its log-mel features, its VAD's settings
# other than the padding, which are its defaults, and the decoding), CTranslate2 (the
# model) and onnxruntime (the VAD's network). Another version can hear other words.
RECOGNISERS = ("faster-whisper", "ctranslate2", "onnxruntime")


@lru_cache(maxsize=1)
def recogniser_versions() -> dict[str, str | None]:
    from importlib.metadata import PackageNotFoundError, version

    out: dict[str, str | None] = {}
    for name in RECOGNISERS:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def front_end() -> dict[str, Any]:
    """What the audio goes through around recognition besides AsrSettings, for the
    transcript cache's key: the sample rate, the long-recording pieces and where they are
    cut, the stretch language detection reads, the speech regions rebuilt from the words
    (diarization reads them from the cached result), the BLAS threads of the features, and
    the recognising libraries' versions. The channels themselves (decoding, resampling,
    the stereo split) are keyed by their samples (qa.voice.pipeline.channel_key)."""
    return {
        "sample_rate": SAMPLE_RATE,
        "piece_s": PIECE_S,
        "cut_search_s": CUT_SEARCH_S,
        "detect_window_s": DETECT_WINDOW_S,
        "speech_pad_s": SPEECH_PAD_S,
        "speech_gap_s": SPEECH_GAP_S,
        "blas_threads": BLAS_THREADS,
        "libraries": recogniser_versions(),
    }


@dataclass
class AsrResult:
    words: list[Word]
    language: str | None
    speech: list[tuple[float, float]]  # where the VAD heard speech, in seconds
    # Per recognised segment: start, end, average log-probability, no-speech probability.
    segments: list[tuple[float, float, float, float]] = field(default_factory=list)
    model: str | None = None  # the model that recognised it (with `auto`: the one picked)
    language_probability: float | None = None  # detection's probability of `language`


class Transcriber(Protocol):
    def __call__(self, audio: np.ndarray) -> AsrResult: ...


PIECE_S = 600.0  # recordings longer than this are recognised in pieces of about this length
CUT_SEARCH_S = 20.0  # each cut goes at the quietest half second of this stretch before it


def split_long(audio: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """(first sample, piece) pairs; one piece for anything up to PIECE_S."""
    piece, search, frame = (
        int(PIECE_S * SAMPLE_RATE),
        int(CUT_SEARCH_S * SAMPLE_RATE),
        SAMPLE_RATE // 2,
    )
    out, start = [], 0
    while len(audio) - start > piece:
        window = audio[start + piece - search : start + piece]
        energy = [
            float(np.square(window[i : i + frame]).mean())
            for i in range(0, len(window) - frame + 1, frame)
        ]
        cut = start + piece - search + int(np.argmin(energy)) * frame + frame // 2
        out.append((start, audio[start:cut]))
        start = cut
    out.append((start, audio[start:]))
    return out


SPEECH_PAD_S = 0.2  # around each word, when speech regions are rebuilt from word times
SPEECH_GAP_S = 0.5  # closer regions merge


def speech_from_words(words: list[Word]) -> list[tuple[float, float]]:
    regions: list[tuple[float, float]] = []
    for w in words:
        start, end = max(0.0, w.start - SPEECH_PAD_S), w.end + SPEECH_PAD_S
        if regions and start - regions[-1][1] <= SPEECH_GAP_S:
            regions[-1] = (regions[-1][0], max(regions[-1][1], end))
        else:
            regions.append((start, end))
    return regions


# Threads of the BLAS under NumPy (OpenBLAS) while a recording is recognised, diarized and
# given roles, whatever the process. faster-whisper's log-mel front-end multiplies by the mel
# filterbank through it, and its sums differ in the last bits with the thread count: tiny.en
# then heard other words on two of the three demo calls in a Ray worker (which OpenBLAS
# starts with one thread, from Ray's OMP_NUM_THREADS=1) than in the driver or a pool process
# (one per core). A fixed count, not the cores, so that a transcript does not depend on the
# machine or the executor; the products are small, and one thread was the faster on a 30 s
# window (24 ms CPU against 42 at two). CTranslate2's own thread count (cpu_threads) changes
# no result (the demo calls at 1 and 2 threads: the same words and probabilities).
BLAS_THREADS = 1


@contextmanager
def pinned_blas() -> Iterator[None]:
    """NumPy's BLAS at BLAS_THREADS threads inside, as it was outside afterwards."""
    # Part of the models extra: without it, the same one-line error as the voice stack.
    threadpoolctl = import_model_library("threadpoolctl")

    with threadpoolctl.threadpool_limits(limits=BLAS_THREADS, user_api="blas"):
        yield


_models: dict[tuple[str, str, int], Any] = {}


def _whisper(ref: str, compute_type: str, threads: int) -> Any:
    key = (ref, compute_type, threads)
    if key not in _models:
        faster_whisper = import_model_library("faster_whisper")
        _models[key] = faster_whisper.WhisperModel(
            ref, device="cpu", compute_type=compute_type, cpu_threads=threads
        )
    return _models[key]


def speech_regions(audio: np.ndarray) -> list[tuple[float, float]]:
    from qa.offline import no_telemetry

    no_telemetry()
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    return [
        (t["start"] / SAMPLE_RATE, t["end"] / SAMPLE_RATE)
        for t in get_speech_timestamps(audio, VadOptions())
    ]


def drop_repetition_loops(words: list[Word]) -> list[Word]:
    """Whisper sometimes loops on a phrase; keep its first occurrence only."""
    out: list[Word] = []
    for w in words:
        out.append(w)
        for n in (1, 2, 3):
            tail = [x.word.strip().lower() for x in out[-4 * n :]]
            if len(tail) == 4 * n and all(tail[i] == tail[i % n] for i in range(4 * n)):
                del out[-n:]
                break
    return out


class WhisperTranscriber:
    def __init__(self, settings: AsrSettings = AsrSettings()):
        self.settings = settings
        self.model_ref = None if settings.model == AUTO else resolve_asr(settings.model)

    def detect_language(self, audio: np.ndarray) -> tuple[str, float]:
        """Whisper's language detection with the multilingual default model: the first 30 s
        of speech (VAD) within the first DETECT_WINDOW_S of the audio."""
        s = self.settings
        name = s.model_for(None)
        model = _whisper(resolve_asr(name), s.compute_type, s.cpu_threads)
        if not model.model.is_multilingual:
            raise InputError(
                f"voice.models default {name!r} is English-only: it can neither detect "
                "the language of a call nor transcribe one in another language"
            )
        head = audio[: int(DETECT_WINDOW_S * SAMPLE_RATE)]
        vad: dict[str, Any] = {}
        if s.vad:
            from faster_whisper.vad import VadOptions

            vad = {
                "vad_filter": True,
                "vad_parameters": VadOptions(speech_pad_ms=s.vad_speech_pad_ms),
            }
        language, probability, _ = model.detect_language(head, **vad)
        return language, float(probability)

    def settings_for(self, audio: np.ndarray) -> tuple[AsrSettings, float | None]:
        """The settings a channel is recognised with: with `auto`, its language's model (the
        given language, else the detected one when detection is sure enough)."""
        s = self.settings
        if s.model != AUTO:
            return s, None
        if s.language:
            return replace(s, model=s.model_for(s.language)), None
        language, probability = self.detect_language(audio)
        if probability < s.language_min_probability:
            return replace(s, model=s.model_for(None)), probability  # the model decides
        chosen = replace(s, model=s.model_for(language), language=language)
        if language != "en" and english_only(chosen.model):  # refused by the config too
            raise InputError(f"model {chosen.model!r} is English-only; this call is {language!r}")
        return chosen, probability

    def __call__(self, audio: np.ndarray) -> AsrResult:
        """Long recordings go in pieces cut at quiet moments, so memory stays bounded."""
        with pinned_blas():
            return self._transcribe(audio)

    def _transcribe(self, audio: np.ndarray) -> AsrResult:
        settings, probability = self.settings_for(audio)
        model_ref = self.model_ref or resolve_asr(settings.model)
        words: list[Word] = []
        segments: list[tuple[float, float, float, float]] = []
        language = None
        for start, piece in split_long(audio):
            result = self._recognise(piece, settings, model_ref)
            language = language or result.language
            offset = start / SAMPLE_RATE
            words += [
                Word(round(w.start + offset, 3), round(w.end + offset, 3), w.word, w.probability)
                for w in result.words
            ]
            segments += [
                (round(a + offset, 3), round(b + offset, 3), lp, ns)
                for a, b, lp, ns in result.segments
            ]
        # Speech regions from the words: the VAD already ran inside transcribe(), and a
        # second pass would cost time for the same answer.
        return AsrResult(
            words, language, speech_from_words(words), segments, settings.model, probability
        )

    def _recognise(self, audio: np.ndarray, s: AsrSettings, model_ref: str) -> AsrResult:
        model = _whisper(model_ref, s.compute_type, s.cpu_threads)
        if s.language not in (None, "en") and not model.model.is_multilingual:
            raise InputError(f"model {s.model!r} is English-only; this call is {s.language!r}")
        batched: dict[str, Any] = {}
        if s.batch_size > 0:
            from faster_whisper import BatchedInferencePipeline

            model = BatchedInferencePipeline(model)
            batched = {"batch_size": s.batch_size, "without_timestamps": not s.batch_timestamps}
        segments, info = model.transcribe(
            audio,
            language=s.language_for(model_ref),
            beam_size=s.beam_size,
            vad_filter=s.vad,
            vad_parameters={"speech_pad_ms": s.vad_speech_pad_ms},
            word_timestamps=True,
            condition_on_previous_text=s.condition_on_previous_text,
            compression_ratio_threshold=s.compression_ratio_threshold,
            no_speech_threshold=s.no_speech_threshold,
            hallucination_silence_threshold=s.hallucination_silence_threshold,
            hotwords=s.hotwords,
            **batched,
        )
        words: list[Word] = []
        stats: list[tuple[float, float, float, float]] = []
        for seg in segments:
            stats.append(
                (
                    round(seg.start, 3),
                    round(seg.end, 3),
                    round(seg.avg_logprob, 3),
                    round(seg.no_speech_prob, 3),
                )
            )
            words += [
                Word(round(w.start, 3), round(w.end, 3), w.word.strip(), round(w.probability, 3))
                for w in (seg.words or [])
                if w.word.strip()
            ]
        return AsrResult(drop_repetition_loops(words), info.language, [], stats)
