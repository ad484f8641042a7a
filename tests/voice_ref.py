"""The real two-speaker phone call that pyannote.audio ships, with its reference turns and words."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import numpy as np


def _sample_dir() -> Path:
    """Where pyannote.audio keeps its sample, found without importing it (and torch)."""
    try:
        spec = importlib.util.find_spec("pyannote.audio")
    except ImportError:
        spec = None
    origin = spec.origin if spec is not None else None
    return Path(origin).parent / "sample" if origin else Path("pyannote.audio is not installed")


SAMPLE_DIR = _sample_dir()
SAMPLE_WAV = SAMPLE_DIR / "sample.wav"
CONTRACTIONS = {
    "i'm": "i am",
    "isn't": "is not",
    "didn't": "did not",
    "don't": "do not",
    "there's": "there is",
    "it's": "it is",
    "can't": "can not",
    "won't": "will not",
}
STM_TO_RTTM = {"Diane": "speaker90", "Sheila": "speaker91"}


def rttm() -> list[tuple[float, float, str]]:
    out = []
    for line in (SAMPLE_DIR / "sample.rttm").read_text().splitlines():
        p = line.split()
        out.append((float(p[3]), float(p[3]) + float(p[4]), p[7]))
    return out


def stm() -> list[tuple[float, float, str, str]]:
    out = []
    for line in (SAMPLE_DIR / "sample.stm").read_text().splitlines():
        p = line.split(maxsplit=5)
        out.append((float(p[3]), float(p[4]), STM_TO_RTTM[p[2]], p[5]))
    return out


def normalise(text: str) -> str:
    words = re.sub(r"[^a-z' ]", " ", text.lower()).split()
    return " ".join(CONTRACTIONS.get(w, w) for w in words)


def reference_text() -> str:
    return " ".join(t for *_, t in stm())


def speaker_of_time(t: float) -> str | None:
    for start, end, spk, _ in stm():
        if start - 0.15 <= t <= end + 0.15:
            return spk
    return None


def rttm_speakers_at(t: float) -> set[str]:
    return {spk for start, end, spk in rttm() if start <= t <= end}


def write_stereo_from_rttm(path: Path) -> Path:
    """Each reference speaker on a channel of their own: speaker90 left, speaker91 right."""
    import soundfile as sf

    audio, rate = sf.read(str(SAMPLE_WAV), dtype="float32")
    channels = np.zeros((len(audio), 2), dtype=np.float32)
    for start, end, spk in rttm():
        a, b = int(start * rate), int(end * rate)
        channels[a:b, 0 if spk == "speaker90" else 1] = audio[a:b]
    sf.write(str(path), channels, rate)
    return path
