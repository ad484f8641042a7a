"""Mandarin speech and the automatic model choice, measured.

1. CER (character error rate) of the default model for Chinese (`base`, chosen by
   `--model auto`) on real Mandarin speech with reference text: the two AISHELL-1 test
   utterances in tests/data/zh_speech/ (read news speech, Apache-2.0). Two utterances give
   a check, not a figure to choose defaults by.
2. The cost of language detection on English calls: each English demo call and the
   pyannote sample recognised with `tiny.en` directly and with `--model auto` (detection on
   `base`, then `tiny.en`), side by side in one run, transcripts compared.

    .venv/bin/python bench/bench_zh_speech.py [--skip-english]

Prints a table; figures go in the README with the date and the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
import unicodedata
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SPEECH = ROOT / "tests" / "data" / "zh_speech"
DIGITS = dict(zip("0123456789", "零一二三四五六七八九", strict=True))


def load_references() -> dict[str, str]:
    """utterance id → reference text, from the folder's transcript file."""
    out = {}
    for line in (SPEECH / "transcript.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, text = line.split(maxsplit=1)
            out[key] = text.strip()
    return out


def normalise_zh(text: str) -> str:
    """What CER compares: Simplified script, no spaces or punctuation, digits read one by
    one as Chinese numerals (Whisper writes 一二线 as "1-2线")."""
    try:
        import opencc

        text = opencc.OpenCC("t2s").convert(text)
    except ImportError:  # the zh extra absent: compare as written
        pass
    text = "".join(DIGITS.get(c, c) for c in text)
    return "".join(
        c for c in text if not c.isspace() and not unicodedata.category(c).startswith("P")
    ).replace("-", "")


def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def cer(reference: str, hypothesis: str) -> tuple[int, int]:
    """(character edits, reference characters) after normalisation."""
    ref, hyp = normalise_zh(reference), normalise_zh(hypothesis)
    return edit_distance(ref, hyp), len(ref)


def mandarin() -> None:
    from qa.voice.asr import AsrSettings, WhisperTranscriber
    from qa.voice.pipeline import decode, join_words

    transcriber = WhisperTranscriber(AsrSettings())  # --model auto, the default
    edits = chars = 0
    print("| utterance | model | language (p) | reference | heard | CER |")
    print("|---|---|---|---|---|---|")
    for key, reference in sorted(load_references().items()):
        [audio] = decode(SPEECH / f"{key}.wav")
        result = transcriber(audio)
        heard = join_words(w.word for w in result.words)
        e, n = cer(reference, heard)
        edits, chars = edits + e, chars + n
        p = result.language_probability or 0.0
        print(
            f"| {key} | {result.model} | {result.language} ({p:.3f}) | {reference} | {heard} "
            f"| {e / n:.3f} |"
        )
    print(f"\nPooled CER of `--model auto` (base) on {chars} characters: {edits / chars:.3f}\n")


def english_cost() -> None:
    from qa.voice.asr import AsrSettings, WhisperTranscriber
    from qa.voice.pipeline import decode
    from tests.voice_ref import SAMPLE_WAV

    files = [SAMPLE_WAV, *sorted((ROOT / "examples" / "calls").glob("*"))]
    fixed = WhisperTranscriber(AsrSettings(model="tiny.en"))
    auto = WhisperTranscriber(AsrSettings())
    warm = decode(files[0])[0][: 16000 * 5]
    fixed(warm), auto(warm)  # both models loaded before timing
    print(
        "| call | audio s | tiny.en s | auto s | of which detection s | auto picked | same words |"
    )
    print("|---|---|---|---|---|---|---|")
    ratios = []
    for path in files:
        for audio in decode(path):
            seconds = len(audio) / 16000
            t0 = time.perf_counter()
            a = fixed(audio)
            t1 = time.perf_counter()
            b = auto(audio)
            t2 = time.perf_counter()
            auto.detect_language(audio)
            t3 = time.perf_counter()
            same = [w.word for w in a.words] == [w.word for w in b.words]
            ratios.append((t2 - t1) / (t1 - t0))
            print(
                f"| {path.name} | {seconds:.1f} | {t1 - t0:.2f} | {t2 - t1:.2f} | {t3 - t2:.2f} "
                f"| {b.model} ({b.language}, {b.language_probability or 0:.2f}) | {same} |"
            )
    print(f"\nauto / tiny.en wall time, median over channels: {statistics.median(ratios):.2f}\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--skip-english", action="store_true", help="only the Mandarin CER")
    args = ap.parse_args()
    print(f"# zh speech bench, {date.today()}, {platform.machine()}, {os.cpu_count()} cores\n")
    mandarin()
    if not args.skip_english:
        english_cost()


if __name__ == "__main__":
    main()
