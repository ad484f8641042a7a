"""One recording in, agent and customer turns out.

Stereo: each channel is transcribed on its own and the channel map gives the
roles (checked against the content, in case the recording is swapped). Mono:
transcribe, diarize, give each word the speaker whose segment covers it, merge
words into turns, and decide which voice is the agent.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from qa.errors import ConfigError, InputError
from qa.model import Turn, Word
from qa.vocabulary import DIARIZATION_MODES, Diarization
from qa.voice.asr import SAMPLE_RATE, AsrResult, AsrSettings, Transcriber
from qa.voice.diarize import Segment, SpeakerCount, diarize_embedded, diarize_pyannote
from qa.voice.roles import DOUBTFUL, SWAPPED, stereo_roles, voice_roles

# Who opens a mono call: the voice that says most in its first seconds. One word cannot
# decide it: a short "Hello" at the start is easily put with the other voice.
OPENING_S = 5.0
ONE_VOICE = "only one voice found: roles are a guess"


@dataclass(frozen=True)
class VoiceSettings:
    asr: AsrSettings = field(default_factory=AsrSettings)
    diarization: str = Diarization.AUTO
    speakers: SpeakerCount = field(default_factory=SpeakerCount)
    agent_channel: int = 0  # the channel map: 0 = left is the agent
    pyannote_pipeline: str | None = None
    company_names: tuple[str, ...] = ()
    turn_gap: float = 1.0  # a pause this long within one voice starts a new turn

    def __post_init__(self) -> None:
        if self.diarization not in DIARIZATION_MODES:
            raise ConfigError(f"--diarization must be one of {', '.join(DIARIZATION_MODES)}")
        if self.diarization == Diarization.PYANNOTE and not self.pyannote_pipeline:
            raise ConfigError(
                "--diarization pyannote needs --pyannote-pipeline: a local folder or a hub name"
            )


@dataclass
class VoiceResult:
    turns: list[Turn]
    language: str | None
    duration: float
    info: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    needs_review: bool = False  # roles are a guess: a person should check before coaching
    # Recognition confidence per segment: channel, start, end, avg log-prob, no-speech prob.
    segments: list[tuple[int, float, float, float, float]] = field(default_factory=list)
    # Seconds spent per stage: decode, asr (VAD included), diarization, roles.
    timings: dict[str, float] = field(default_factory=dict)


def decode(path: Path) -> list[np.ndarray]:
    """16 kHz float channels: one for mono, two for stereo.

    PyAV directly, rather than faster-whisper's decode_audio, which runs a full garbage
    collection per file: with torch loaded that cost 0.3 s a recording here.
    """
    import av

    from qa.ingest.audio import unreadable_errors, unreadable_reason

    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise InputError("the file holds no audio stream")
            stream = container.streams.audio[0]
            stereo = (stream.codec_context.channels or 1) >= 2
            resampler = av.AudioResampler(
                format="s16", layout="stereo" if stereo else "mono", rate=SAMPLE_RATE
            )
            chunks = [
                out.to_ndarray().reshape(-1)
                for frame in container.decode(stream)
                for out in resampler.resample(frame)
            ]
            chunks += [out.to_ndarray().reshape(-1) for out in resampler.resample(None)]
    except unreadable_errors() as exc:  # anything else is a bug: it surfaces as it is
        raise InputError(unreadable_reason("cannot decode audio", exc)) from exc
    if not chunks:
        raise InputError("the recording holds no samples")
    samples = np.concatenate(chunks).astype(np.float32) / 32768.0
    if samples.size == 0:
        raise InputError("the recording holds no samples")
    if not stereo:
        return [samples]
    left, right = samples[0::2], samples[1::2]
    if np.array_equal(left, right):
        return [left]  # the same signal on both channels is a mono call
    return [left, right]


TranscriptCache = Callable[[str, Callable[[], AsrResult]], AsrResult]


def _no_cache(key: str, run: Callable[[], AsrResult]) -> AsrResult:
    return run()


def channel_key(audio: np.ndarray, settings: AsrSettings) -> str:
    """The cache key of one channel: its samples and the settings. The same side of a call
    is never recognised twice, whatever the container or the channel order."""
    return f"{hashlib.sha256(audio.tobytes()).hexdigest()[:32]}:{settings.key()}"


def transcribe_recording(
    path: Path,
    settings: VoiceSettings,
    transcriber: Transcriber,
    cache: TranscriptCache = _no_cache,
) -> VoiceResult:
    clock = time.perf_counter()
    channels = decode(path)
    timings = {"decode": time.perf_counter() - clock}
    duration = len(channels[0]) / SAMPLE_RATE
    clock = time.perf_counter()
    results = [
        cache(channel_key(audio, settings.asr), partial(transcriber, audio)) for audio in channels
    ]
    timings["asr"] = time.perf_counter() - clock
    clock = time.perf_counter()
    if not any(r.words for r in results):
        raise InputError("no speech found: the recording is silent or too quiet")
    mode = settings.diarization
    if mode == Diarization.AUTO:
        mode = Diarization.CHANNELS if len(channels) == 2 else Diarization.EMBEDDED
    if mode == Diarization.CHANNELS:
        if len(channels) != 2:
            raise InputError("--diarization channels needs a stereo recording; this one is mono")
        out = _stereo(results, settings, duration)
    else:
        out = _mono(channels[0], results[0], mode, settings, duration, timings)
    timings["roles"] = time.perf_counter() - clock - timings.get("diarization", 0.0)
    out.timings = timings
    out.segments = [(ch, *seg) for ch, r in enumerate(results) for seg in r.segments]
    # Per channel: the model that recognised it and the language it heard (with `auto`,
    # detection's probability too).
    out.info["asr"] = [
        {"model": r.model, "language": r.language, "language_probability": r.language_probability}
        for r in results
    ]
    return out


def _stereo(results: list[AsrResult], settings: VoiceSettings, duration: float) -> VoiceResult:
    agent_ch = settings.agent_channel
    cust_ch = 1 - agent_ch
    # Every turn of each side: an agent's "anything else I can help with" counts as much as
    # a greeting the recogniser missed.
    texts = [[t.text for t in _plain_turns(r.words, settings.turn_gap)] for r in results]
    decision = stereo_roles(texts[agent_ch], texts[cust_ch], settings.company_names)
    if decision.swapped:
        agent_ch, cust_ch = cust_ch, agent_ch
    labelled = [(w, "agent", f"ch{agent_ch}") for w in results[agent_ch].words]
    labelled += [(w, "customer", f"ch{cust_ch}") for w in results[cust_ch].words]
    info = {
        "diarization": Diarization.CHANNELS,
        "agent_channel": ["left", "right"][agent_ch],
        "roles_swapped": decision.swapped,
        "role_confidence": decision.confidence,
        "role_evidence": decision.evidence,
    }
    warnings = [SWAPPED] if decision.swapped else [DOUBTFUL] if decision.review else []
    language = results[agent_ch].language or results[cust_ch].language
    turns = words_to_turns(labelled, settings.turn_gap)
    return VoiceResult(turns, language, duration, info, warnings, decision.review)


def _mono(
    audio: np.ndarray,
    result: AsrResult,
    mode: str,
    settings: VoiceSettings,
    duration: float,
    timings: dict[str, float] | None = None,
) -> VoiceResult:
    clock = time.perf_counter()
    if mode == Diarization.NONE:
        segments = [Segment(0.0, duration, "S1")]
    elif mode == Diarization.PYANNOTE:
        assert settings.pyannote_pipeline
        segments = diarize_pyannote(audio, settings.pyannote_pipeline, settings.speakers)
    else:
        speech = result.speech or [(w.start, w.end) for w in result.words]
        segments = diarize_embedded(audio, speech, settings.speakers)
    if timings is not None:
        timings["diarization"] = time.perf_counter() - clock
    speakers = [(w, speaker_at(segments, w)) for w in result.words]
    voices = sorted({s for _, s in speakers})
    warnings: list[str] = []
    needs_review = False
    first = opening_speaker(speakers)
    # Every turn of each voice: the close, the checks and the requests count as much as an
    # opening the recogniser may have misheard.
    texts = {v: _texts([w for w, s in speakers if s == v], settings.turn_gap) for v in voices}
    evidence: dict[str, Any] = {}
    if len(voices) < 2:
        decision_agent, conf = (voices[0] if voices else "S1"), 0.5
        if mode != Diarization.NONE:
            warnings.append(ONE_VOICE)
            needs_review = True
    else:
        decision = voice_roles(texts, first, settings.company_names)
        decision_agent, conf, evidence = decision.agent, decision.confidence, decision.evidence
    labelled = [(w, "agent" if s == decision_agent else "customer", s) for w, s in speakers]
    info = {
        "diarization": mode,
        "speakers": len(voices),
        "agent_speaker": decision_agent,
        "role_confidence": conf,
    }
    if evidence:
        info["role_evidence"] = evidence
    return VoiceResult(
        words_to_turns(labelled, settings.turn_gap),
        result.language,
        duration,
        info,
        warnings,
        needs_review,
    )


def speaker_at(segments: list[Segment], word: Word) -> str:
    """The speaker whose segments overlap the word most (the nearest one if none does)."""
    best, best_overlap = None, 0.0
    for seg in segments:
        overlap = min(seg.end, word.end) - max(seg.start, word.start)
        if overlap > best_overlap:
            best, best_overlap = seg.speaker, overlap
    if best is not None:
        return best
    mid = (word.start + word.end) / 2
    return min(segments, key=lambda s: min(abs(s.start - mid), abs(s.end - mid))).speaker


def opening_speaker(speakers: list[tuple[Word, str]], seconds: float = OPENING_S) -> str | None:
    """The voice that says the most words in the first `seconds` after the first word (on
    a tie, the one heard first): the first speaker that the role decision weighs."""
    if not speakers:
        return None
    until = speakers[0][0].start + seconds
    counts: dict[str, int] = {}
    for word, spk in speakers:
        if word.start <= until:
            counts[spk] = counts.get(spk, 0) + 1
    return max(counts, key=lambda spk: counts[spk])  # dicts keep first-heard order on ties


def words_to_turns(labelled: list[tuple[Word, str, str]], gap: float) -> list[Turn]:
    """Merge time-ordered words into turns: a new turn at a change of voice or a long pause."""
    turns: list[Turn] = []
    for word, role, speaker in sorted(labelled, key=lambda x: (x[0].start, x[0].end)):
        last = turns[-1] if turns else None
        if last is not None and last.speaker == speaker and word.start - last.end < gap:
            last.words.append(word)
            last.end = max(last.end, word.end)
            last.text = _join(last.text, word.word)
        else:
            turns.append(
                Turn(
                    role=role,
                    speaker=speaker,
                    start=word.start,
                    end=word.end,
                    text=word.word,
                    words=[word],
                )
            )
    return turns


def _unspaced(char: str) -> bool:
    """Scripts written without spaces between words (CJK) and full-width punctuation."""
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF  # CJK radicals, punctuation, kana, Hangul Jamo, ideographs
        or 0xF900 <= code <= 0xFAFF  # CJK compatibility ideographs
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x20000 <= code <= 0x3FFFF  # CJK extensions
    )


def join_words(words: Iterable[str]) -> str:
    """Recognised words as text: spaced, but not around Chinese characters."""
    text = ""
    for word in words:
        text = _join(text, word) if text else word
    return text


def _join(text: str, word: str) -> str:
    if word[:1] in {",", ".", "?", "!", "'"}:
        return text + word
    # Whisper gives Chinese one character or a few at a time: they join without spaces.
    if text and word and (_unspaced(text[-1]) or _unspaced(word[0])):
        return text + word
    return f"{text} {word}"


def _plain_turns(words: list[Word], gap: float) -> list[Turn]:
    return words_to_turns([(w, "x", "x") for w in words], gap)


def _texts(words: list[Word], gap: float) -> list[str]:
    return [t.text for t in _plain_turns(words, gap)]


def result_to_json(result: AsrResult) -> str:
    return json.dumps(
        {
            "words": [w.as_dict() for w in result.words],
            "language": result.language,
            "speech": result.speech,
            "segments": result.segments,
            "model": result.model,
            "language_probability": result.language_probability,
        }
    )


def result_from_json(text: str) -> AsrResult:
    data = json.loads(text)
    return AsrResult(
        [Word(**w) for w in data["words"]],
        data["language"],
        [tuple(s) for s in data["speech"]],
        [tuple(s) for s in data.get("segments", [])],
        data.get("model"),
        data.get("language_probability"),
    )
