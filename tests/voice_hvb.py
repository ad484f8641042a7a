"""The real-call development set: eight HarperValleyBank calls (Gridspace, Stanford; CC BY 4.0).

Real people on a real 8 kHz line, one side per channel, with human reference turns. Used
by the voice tests and bench/bench_voice.py to measure, never to train: nothing from
these calls goes into the package. Recognition results are cached on disk, per channel
and setting, so the tests that need them stay quick after the first run.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np

from qa.voice.asr import AsrResult
from qa.voice.pipeline import result_from_json, result_to_json

ATTRIBUTION = "HarperValleyBank (Gridspace, Stanford), CC BY 4.0"
HVB_DIR = Path(os.environ.get("QA_HVB_DIR", "/work/shared/data/harper_valley_bank"))
CACHE_DIR = Path(
    os.environ.get("QA_TRANSCRIPT_CACHE", Path(__file__).resolve().parent.parent / ".cache")
)
ROLE = {"agent": "agent", "caller": "customer"}


def available() -> bool:
    return (HVB_DIR / "ref").is_dir()


def calls() -> list[str]:
    return sorted(p.name.split(".")[0] for p in (HVB_DIR / "ref").glob("*.stm"))


def stereo(sid: str) -> Path:
    return HVB_DIR / "derived" / f"{sid}.stereo.flac"


def mono(sid: str) -> Path:
    return HVB_DIR / "derived" / f"{sid}.mono.wav"


def turns(sid: str) -> list[tuple[float, float, str, str]]:
    """(start, end, agent|customer, human text) on the derived files' clock."""
    out = []
    for line in (HVB_DIR / "ref" / f"{sid}.stm").read_text().splitlines():
        p = line.split(maxsplit=5)
        out.append((float(p[3]), float(p[4]), ROLE[p[2]], p[5] if len(p) > 5 else ""))
    return out


def normalise(text: str) -> str:
    """The set's rule: lower case, no [tags] or <tags>, no punctuation."""
    text = re.sub(r"\[[^\]]*\]|<[^>]*>", " ", text.lower())
    return " ".join(re.sub(r"[^a-z0-9' ]", " ", text).split())


def reference_text(sid: str) -> str:
    return normalise(" ".join(t for *_, t in turns(sid)))


def roles_at(sid: str, t: float, slack: float = 0.15) -> set[str]:
    """Who speaks at this moment according to the reference turns."""
    return {
        role
        for start, end, role, text in turns(sid)
        if start - slack <= t <= end + slack and normalise(text)
    }


def words_right_role(sid: str, labelled: list[tuple[float, float, str]]) -> tuple[int, int]:
    """(right, judged) over (start, end, role) words that fall in a reference turn."""
    right = judged = 0
    for start, end, role in labelled:
        active = roles_at(sid, (start + end) / 2)
        if active:
            judged += 1
            right += role in active
    return right, judged


def file_cache(directory: Path = CACHE_DIR) -> Callable[[str, Callable[[], AsrResult]], AsrResult]:
    """A transcript cache on disk for tests and benchmarks (the product caches in its store)."""
    directory.mkdir(parents=True, exist_ok=True)

    def cache(key: str, run: Callable[[], AsrResult]) -> AsrResult:
        path = directory / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".json")
        if path.exists():
            return result_from_json(path.read_text())
        result = run()
        path.write_text(result_to_json(result))
        return result

    return cache


def swap_channels(src: Path, dst: Path) -> Path:
    """The same call with its channels the other way round."""
    import soundfile as sf

    audio, rate = sf.read(str(src), dtype="int16")
    sf.write(str(dst), np.ascontiguousarray(audio[:, ::-1]), rate)
    return dst
