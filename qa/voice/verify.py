"""Verify before flag: a violation on a call is heard twice.

Before a campaign violation stands on a recorded call, the turn it quotes is decoded again
with a stronger setting (the other model, a wider beam, no VAD cut; one second of context
each side) and the campaigns are checked against that second reading. The flag stays only
if the second reading still supports it; both readings are stored on it. Only the spans
that would raise a violation are decoded again, so it costs little.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from qa.errors import InputError
from qa.model import Flag, Interaction, Turn
from qa.vocabulary import VIOLATION_KINDS, Channel, FlagStatus
from qa.voice.asr import SAMPLE_RATE, AsrSettings, Transcriber, WhisperTranscriber

VERIFY_MODEL = "base"  # the other model: a second opinion, not the same ears again
VERIFY_BEAM = 8  # beam of the second reading, wider than the default 5 (1-16)
CONTEXT_S = 1.0  # audio either side of the turn, so its first word is not cut (0-5 s)


@dataclass(frozen=True)
class VerifySettings:
    model: str = VERIFY_MODEL
    beam_size: int = VERIFY_BEAM
    context_s: float = CONTEXT_S
    enabled: bool = True

    def asr(self, language: str | None = "en") -> AsrSettings:
        # One turn, whole: no VAD cut, and so no batching of VAD windows either. The turn is
        # heard in the call's language (English when the call's is unknown).
        return AsrSettings(
            model=self.model,
            language=language or "en",
            beam_size=self.beam_size,
            vad=False,
            batch_size=0,
        )


def verify_settings(config: Any) -> VerifySettings:
    """VerifySettings from qa.yaml's `voice:` section."""
    return VerifySettings(enabled=config.voice.verify)


@dataclass
class Verifier:
    settings: VerifySettings = field(default_factory=VerifySettings)
    transcriber: Transcriber | None = None  # built on first use: no model loads without a flag
    language: str | None = None  # the language `transcriber` hears
    seconds: float = 0.0  # audio decoded again
    wall_s: float = 0.0  # time spent on it: decoding the file, loading the model, recognition
    removed: int = 0
    kept: int = 0
    _audio: dict[str, list[np.ndarray]] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {
            "flags_kept": self.kept,
            "flags_removed": self.removed,
            "audio_seconds_decoded_again": round(self.seconds, 1),
            "seconds": round(self.wall_s, 2),
        }

    def reread(self, item: Interaction, turn: int) -> str | None:
        """The turn decoded again, or None when its recording cannot be had."""
        begun = time.perf_counter()
        try:
            return self._reread(item, turn)
        finally:
            self.wall_s += time.perf_counter() - begun

    def _reread(self, item: Interaction, turn: int) -> str | None:
        from qa.voice.pipeline import decode, join_words

        path = Path(item.source)
        if "audio" not in item.metadata or not path.exists():
            return None
        if item.id not in self._audio:
            try:
                self._audio = {item.id: decode(path)}
            except InputError:
                return None
        channels = self._audio[item.id]
        t = item.turns[turn]
        speaker = t.speaker or ""
        channel = int(speaker[2:]) if speaker.startswith("ch") and len(channels) == 2 else 0
        start = max(0.0, t.start - self.settings.context_s)
        end = t.end + self.settings.context_s
        span = channels[channel][int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)]
        language = item.language or "en"
        if self.transcriber is None or (self.language and self.language != language):
            self.transcriber = WhisperTranscriber(self.settings.asr(language))
        self.language = language
        self.seconds += len(span) / SAMPLE_RATE
        words = self.transcriber(span).words
        # The context is there to be heard, not quoted: keep the words inside the turn.
        inside = [w for w in words if t.start - 0.3 <= start + (w.start + w.end) / 2 <= t.end + 0.3]
        return join_words(w.word for w in inside)


def _same(a: Flag, b: Flag) -> bool:
    return a.kind == b.kind and a.campaign == b.campaign and a.fact == b.fact


def verify_flags(
    item: Interaction,
    flags: list[Flag],
    check: Callable[[Interaction], list[Flag]],
    verifier: Verifier,
) -> list[Flag]:
    """The flags that a second reading still supports; violations it does not are dropped.
    Each flag that was checked carries both readings."""
    if item.channel != Channel.VOICE or not verifier.settings.enabled:
        return flags
    out: list[Flag] = []
    removed: list[dict[str, Any]] = []
    for flag in flags:
        turns = {e.turn for e in flag.evidence if e.turn is not None}
        if flag.kind not in VIOLATION_KINDS or flag.status != FlagStatus.OPEN or len(turns) != 1:
            out.append(flag)
            continue
        [turn] = turns
        second = verifier.reread(item, turn)
        if second is None:
            out.append(flag)
            continue
        again = copy.deepcopy(item)
        again.turns[turn].text = second
        again.turns[turn].words = []
        supports = any(_same(flag, f) for f in check(again))
        t = item.turns[turn]
        flag.readings = _readings(t.text, second, supports, turn, t, verifier.settings)
        if supports:
            verifier.kept += 1
            out.append(flag)
        else:
            verifier.removed += 1
            removed.append(
                {"kind": flag.kind, "fact": flag.fact, "removed": True, "readings": flag.readings}
            )
    # The flags this scoring removed (a re-score replaces the record of an earlier one).
    if removed or "verification" in item.metadata:
        item.metadata["verification"] = removed
    return out


def _readings(
    first: str, second: str, supports: bool, idx: int, turn: Turn, settings: VerifySettings
) -> list[dict[str, Any]]:
    """Both readings of the turn, with its moment in the recording; the second says whether
    it still supports the flag."""
    moment = {"turn": idx, "start": turn.start, "end": turn.end}
    return [
        {"reading": "first", "text": first, **moment},
        {
            "reading": "second",
            "text": second,
            **moment,
            "supports": supports,
            "model": settings.model,
            "beam_size": settings.beam_size,
            "vad": False,
            "context_s": settings.context_s,
        },
    ]
