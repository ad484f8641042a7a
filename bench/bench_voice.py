"""Voice accuracy and speed, side by side in one run.

Accuracy on the real two-speaker phone call that pyannote.audio ships: normalised
WER, DER (pyannote.metrics, 0.5 s collar) for each diarization backend available
offline, the share of words given the right speaker, and stereo roles. Speed: the
real-time factor of qa's whole voice stage (decode, recognition, diarization,
roles) against plain faster-whisper with the same model, threads and files; the
overhead ratio; peak memory of each, measured in a child process.

    .venv/bin/python bench/bench_voice.py [--repeat 3] [--long-minutes 0]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import voice_hvb as hvb  # noqa: E402
from tests.voice_ref import (  # noqa: E402
    SAMPLE_WAV,
    normalise,
    reference_text,
    rttm,
    rttm_speakers_at,
    write_stereo_from_rttm,
)

FILES = [SAMPLE_WAV, *sorted((ROOT / "examples" / "calls").glob("*"))]
# The real-call set: eight HarperValleyBank calls (mono mixes) and pyannote's sample.
REAL_FILES = [SAMPLE_WAV, *(hvb.mono(s) for s in hvb.calls())] if hvb.available() else FILES
BANK_NAMES = "Harper Valley National Bank"  # what a bank would put in voice.hotwords


def real_call_references() -> list[tuple[str, Path, str]]:
    """(name, file, normalised reference) for the pooled real-call set."""
    out = [("pyannote sample", SAMPLE_WAV, normalise(reference_text()))]
    out += [(sid, hvb.mono(sid), hvb.reference_text(sid)) for sid in hvb.calls()]
    return out


def real_call_variants() -> dict[str, object]:
    from qa.voice.asr import AsrSettings

    return {
        "tiny.en, beam 5, pad 1 s, unbatched": AsrSettings(batch_size=0),
        "tiny.en, beam 1, unbatched": AsrSettings(batch_size=0, beam_size=1),
        "tiny.en, pad 0.4 s, unbatched": AsrSettings(batch_size=0, vad_speech_pad_ms=400),
        "tiny.en, previous text, unbatched": AsrSettings(
            batch_size=0, condition_on_previous_text=True
        ),
        "tiny.en, batched (8), no timestamps": AsrSettings(batch_size=8, batch_timestamps=False),
        "tiny.en, beam 5, pad 1 s, batched (8) (default)": AsrSettings(),
        "tiny.en, batched (16)": AsrSettings(batch_size=16),
        "tiny.en, batched (8), beam 1": AsrSettings(beam_size=1),
        "tiny.en, batched (8), pad 0.4 s": AsrSettings(vad_speech_pad_ms=400),
        "tiny.en, batched (8) + hotwords": AsrSettings(hotwords=BANK_NAMES),
        "base, batched (8)": AsrSettings(model="base", language="en"),
    }


def spoken_numbers(text: str) -> str:
    """Numbers as digits on both sides ("one hundred and thirty five dollars" and "$135"
    both read "135 dollars"), by the statement layer's normaliser: the reading the campaign
    checks use, while the stored transcript keeps the words as heard."""
    import re

    from qa.statements.numbers import digits

    text = re.sub(r"\$\s?(\d[\d,]*(?:\.\d+)?)", r"\1 dollars", digits(text))
    return hvb.normalise(text.replace("%", " percent").replace(",", ""))


def real_call_wer(
    only: str | None = None,
) -> list[tuple[str, dict[str, float], float, float | None, float, float]]:
    """Per variant: WER per call, pooled WER, pooled WER with numbers as digits on both
    sides, recognition speed (x real time, as measured when each transcript was made), and
    the lowest share of words with the right role on the mono mixes.
    Transcripts are cached on disk per channel's samples and settings."""
    import jiwer

    from qa.voice.asr import WhisperTranscriber
    from qa.voice.pipeline import VoiceSettings, channel_key, decode, transcribe_recording

    cache = hvb.file_cache()
    times_file = hvb.CACHE_DIR / "recognition_seconds.json"
    times: dict[str, float] = json.loads(times_file.read_text()) if times_file.exists() else {}
    refs = real_call_references()
    audio = [(name, decode(path)[0], ref) for name, path, ref in refs]
    rows = []
    for label, settings in real_call_variants().items():
        if only and not any(part in label for part in only.split("|")):
            continue
        whisper = WhisperTranscriber(settings)  # type: ignore[arg-type]
        per_call: dict[str, float] = {}
        errors = words = errors_num = words_num = 0
        wall = seconds = 0.0
        for name, a, ref in audio:
            ran: list[float] = []

            def run(
                a: np.ndarray = a, ran: list[float] = ran, whisper: WhisperTranscriber = whisper
            ) -> object:
                whisper(a[:16000])  # load the model outside the timing
                start = time.perf_counter()
                result = whisper(a)
                ran.append(time.perf_counter() - start)
                return result

            key = channel_key(a, settings)  # type: ignore[arg-type]
            result = cache(key, run)
            if ran:
                times[key] = ran[0]
                times_file.write_text(json.dumps(times))
            if key in times:  # measured now, or when this transcript was cached
                wall += times[key]
                seconds += len(a) / 16000
            hyp = " ".join(w.word for w in result.words)
            norm = normalise if name == "pyannote sample" else hvb.normalise
            out = jiwer.process_words(ref, norm(hyp) or "-")
            per_call[name] = round(out.wer, 3)
            errors += out.substitutions + out.deletions + out.insertions
            words += len(ref.split())
            ref_num = spoken_numbers(ref)
            num = jiwer.process_words(ref_num, spoken_numbers(hyp) or "-")
            errors_num += num.substitutions + num.deletions + num.insertions
            words_num += len(ref_num.split())
        speed = seconds / wall if wall else None
        # Roles on the mono mixes with these settings (diarization reads their word times).
        roles = []
        for sid in hvb.calls():
            r = transcribe_recording(hvb.mono(sid), VoiceSettings(asr=settings), whisper, cache)  # type: ignore[arg-type]
            right, judged = hvb.words_right_role(
                sid, [(w.start, w.end, t.role) for t in r.turns for w in t.words]
            )
            roles.append(right / judged)
        rows.append((label, per_call, errors / words, speed, errors_num / words_num, min(roles)))
        shown = f"{speed:.1f}x" if speed else "cached"
        print(
            f"  {label:<38} pooled WER {errors / words:.3f}, {shown},"
            f" mono roles min {min(roles):.3f} mean {statistics.mean(roles):.3f}",
            flush=True,
        )
    return rows


def real_call_roles() -> dict[str, object]:
    """Words with the right role: stereo files in both orientations, and mono mixes."""
    from qa.voice.asr import AsrSettings, WhisperTranscriber
    from qa.voice.pipeline import VoiceSettings, transcribe_recording

    whisper = WhisperTranscriber(AsrSettings())
    cache = hvb.file_cache()
    stereo: dict[str, str] = {}
    mono: dict[str, float] = {}
    wrongly_swapped = 0
    with tempfile.TemporaryDirectory() as tmp:
        for sid in hvb.calls():
            flipped = hvb.swap_channels(hvb.stereo(sid), Path(tmp) / f"{sid}.flac")
            shares = []
            for path, truly in ((hvb.stereo(sid), False), (flipped, True)):
                r = transcribe_recording(path, VoiceSettings(), whisper, cache)
                wrongly_swapped += bool(r.info["roles_swapped"]) and not truly
                right, judged = hvb.words_right_role(
                    sid, [(w.start, w.end, t.role) for t in r.turns for w in t.words]
                )
                shares.append(f"{right / judged:.3f}")
            stereo[sid] = " / ".join(shares)
            r = transcribe_recording(hvb.mono(sid), VoiceSettings(), whisper, cache)
            right, judged = hvb.words_right_role(
                sid, [(w.start, w.end, t.role) for t in r.turns for w in t.words]
            )
            mono[sid] = round(right / judged, 3)
    return {"stereo": stereo, "mono": mono, "wrongly_swapped": wrongly_swapped}


def dithered_mix(sid: str, seed: int, dst: Path) -> Path:
    """The call's two sides mixed to one channel again, as `sox -m` mixes them (each side at
    half level, 16 bits, triangular dither of one step) but with a dither of its own: another
    mix that no one would hear apart from the shipped one."""
    import soundfile as sf

    sides, rate = sf.read(str(hvb.stereo(sid)), dtype="int16")
    mix = sides.astype(np.float64).sum(axis=1) / 2
    rng = np.random.default_rng(seed)
    mix += rng.uniform(-0.5, 0.5, mix.size) + rng.uniform(-0.5, 0.5, mix.size)
    sf.write(str(dst), np.clip(np.round(mix), -32768, 32767).astype(np.int16), rate)
    return dst


def dithered_roles(draws: int) -> dict[str, list[float]]:
    """Words with the right role on each call's mono mix dithered afresh `draws` times: whether
    the roles hold when a few bits of noise change what the recogniser hears."""
    from qa.voice.asr import AsrSettings, WhisperTranscriber
    from qa.voice.pipeline import VoiceSettings, transcribe_recording

    whisper = WhisperTranscriber(AsrSettings())
    cache = hvb.file_cache()
    out: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for sid in hvb.calls():
            for seed in range(draws):
                path = dithered_mix(sid, seed, Path(tmp) / f"{sid}.{seed}.wav")
                r = transcribe_recording(path, VoiceSettings(), whisper, cache)
                right, judged = hvb.words_right_role(
                    sid, [(w.start, w.end, t.role) for t in r.turns for w in t.words]
                )
                out.setdefault(sid, []).append(round(right / judged, 3))
    return out


def accuracy() -> dict[str, object]:
    import jiwer
    from pyannote.core import Annotation, Segment
    from pyannote.metrics.diarization import DiarizationErrorRate

    from qa.voice.asr import AsrSettings, WhisperTranscriber, speech_regions
    from qa.voice.diarize import diarize_embedded
    from qa.voice.pipeline import VoiceSettings, decode, transcribe_recording

    whisper = WhisperTranscriber(AsrSettings())
    [audio] = decode(SAMPLE_WAV)
    out: dict[str, object] = {}
    mono = transcribe_recording(SAMPLE_WAV, VoiceSettings(), whisper)
    hyp = " ".join(t.text for t in mono.turns)
    out["wer"] = round(jiwer.wer(normalise(reference_text()), normalise(hyp)), 3)

    ref = Annotation()
    for start, end, spk in rttm():
        ref[Segment(start, end)] = spk
    der = {}
    for name, segments in {"embedded": diarize_embedded(audio, speech_regions(audio))}.items():
        h = Annotation()
        for s in segments:
            h[Segment(s.start, s.end)] = s.speaker
        der[name] = round(float(DiarizationErrorRate(collar=0.5)(ref, h)), 3)
    der["pyannote"] = "no pipeline available offline (needs a local folder or hub access)"
    out["der"] = der

    # Words with the right speaker: map each hypothesis voice to the reference speaker it
    # overlaps most, then count words whose voice maps to a speaker active at that moment.
    words = [(w, t.speaker) for t in mono.turns for w in t.words]
    votes: dict[tuple[str, str], int] = {}
    for w, voice in words:
        for spk in rttm_speakers_at((w.start + w.end) / 2):
            votes[(voice, spk)] = votes.get((voice, spk), 0) + 1
    mapping = {}
    for (voice, spk), _ in sorted(votes.items(), key=lambda kv: -kv[1]):
        if voice not in mapping and spk not in mapping.values():
            mapping[voice] = spk
    judged = [(v, rttm_speakers_at((w.start + w.end) / 2)) for w, v in words]
    judged = [(v, a) for v, a in judged if a]
    out["words_right_speaker"] = round(sum(mapping.get(v) in a for v, a in judged) / len(judged), 3)

    with tempfile.TemporaryDirectory() as tmp:
        stereo = transcribe_recording(
            write_stereo_from_rttm(Path(tmp) / "s.wav"), VoiceSettings(), whisper
        )
    expected = {"agent": "speaker90", "customer": "speaker91"}
    turns_right = judged_turns = 0
    stereo_words = stereo_right = 0
    for t in stereo.turns:
        active = [rttm_speakers_at((w.start + w.end) / 2) for w in t.words]
        n = sum(1 for a in active if a)
        right = sum(expected[t.role] in a for a in active if a)
        stereo_words, stereo_right = stereo_words + n, stereo_right + right
        if n >= 3:  # a lone word at a channel's edge is timing noise, not a role
            judged_turns += 1
            turns_right += right >= n / 2
    swapped = transcribe_recording(
        ROOT / "examples/calls/d.novak_20260304_1002.wav", VoiceSettings(), whisper
    )
    out["stereo_turn_roles_right"] = f"{turns_right}/{judged_turns}"
    out["stereo_words_right"] = round(stereo_right / stereo_words, 3)
    out["swapped_example_fixed"] = (
        "fixed"
        if swapped.info["roles_swapped"] and swapped.turns[0].role == "agent"
        else "kept for review"
        if swapped.needs_review
        else "missed"
    )
    return out


def settings_choice() -> list[tuple[str, float, float, float]]:
    """WER and speed of the choices behind the defaults: model, beam, VAD padding. On the
    reference call, and pooled with the demo calls (whose script is their reference)."""
    import jiwer
    from faster_whisper import decode_audio

    sys.path.insert(0, str(ROOT / "scripts"))
    from make_example_calls import CALLS, OUT

    from qa.voice.asr import AsrSettings, WhisperTranscriber

    files = [(SAMPLE_WAV, reference_text())]
    files += [(OUT / name, " ".join(t for _, t in turns)) for name, (_, _, turns) in CALLS.items()]
    audio = [(decode_audio(str(f)), normalise(ref)) for f, ref in files]
    variants = {
        "tiny.en, beam 1, pad 400": AsrSettings(beam_size=1, vad_speech_pad_ms=400),
        "tiny.en, beam 5, pad 400": AsrSettings(vad_speech_pad_ms=400),
        "tiny.en, beam 5, pad 1000 (default)": AsrSettings(),
        "tiny.en, default, batched (8)": AsrSettings(batch_size=8),
        "tiny.en, default + hotwords": AsrSettings(
            hotwords="Northwind Mobile, Spring Unlimited, Fibre Max, Winter Saver"
        ),
        "base, beam 5, pad 1000": AsrSettings(model="base", language="en"),
    }
    rows = []
    for label, settings in variants.items():
        whisper = WhisperTranscriber(settings)
        whisper(audio[0][0][:16000])  # load the model outside the timing
        errors = words = 0
        sample_wer, wall, seconds = 0.0, 0.0, 0.0
        for i, (a, ref) in enumerate(audio):
            start = time.perf_counter()
            hyp = normalise(" ".join(w.word for w in whisper(a).words))
            wall += time.perf_counter() - start
            seconds += len(a) / 16000
            out = jiwer.process_words(ref, hyp)
            errors += out.substitutions + out.deletions + out.insertions
            words += len(ref.split())
            if i == 0:
                sample_wer = out.wer
        rows.append((label, sample_wer, errors / words, seconds / wall))
    return rows


def stage_breakdown(files: list[Path]) -> dict[str, float]:
    """qa's whole voice stage on the files as `qa transcribe` runs it (ingest, then decode,
    recognition with its VAD, diarization, roles, writes), seconds per stage; the VAD alone
    beside it, run separately, since inside faster-whisper it is part of recognition."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    from qa.config import Config
    from qa.ingest.batch import ingest
    from qa.store import Store
    from qa.voice.asr import AsrSettings, WhisperTranscriber
    from qa.voice.batch import transcribe_pending
    from qa.voice.pipeline import VoiceSettings, decode

    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "qa.db")
        begun = time.perf_counter()
        ingest(files, store, Config())
        out["ingest"] = time.perf_counter() - begun
        begun = time.perf_counter()
        whisper = WhisperTranscriber(AsrSettings())
        whisper(np.zeros(16000, dtype=np.float32))
        out["model load"] = time.perf_counter() - begun
        report = transcribe_pending(store, VoiceSettings(), whisper)
        out.update(report.stages)
        out["whole stage"] = out["ingest"] + out["model load"] + report.wall_seconds
        out["audio"] = report.audio_seconds
        store.close()
    settings = AsrSettings()
    begun = time.perf_counter()
    for f in files:
        for channel in decode(f):
            get_speech_timestamps(channel, VadOptions(speech_pad_ms=settings.vad_speech_pad_ms))
    out["vad alone (decode included)"] = time.perf_counter() - begun
    return out


def print_stages(stages: dict[str, float]) -> None:
    whole = stages["whole stage"]
    print(f"where the time goes ({stages['audio'] / 60:.1f} min of audio, {whole:.1f} s in all):")
    for name in ("ingest", "model load", "decode", "asr", "diarization", "roles", "writes"):
        if name in stages:
            label = "asr (VAD inside)" if name == "asr" else name
            print(f"  {label:<18} {stages[name]:7.1f} s  {stages[name] / whole:6.1%}")
    rest = whole - sum(
        stages.get(k, 0.0)
        for k in ("ingest", "model load", "decode", "asr", "diarization", "roles", "writes")
    )
    print(f"  {'other':<18} {rest:7.1f} s  {rest / whole:6.1%}")
    print(
        f"  VAD alone, run separately (decode included): {stages['vad alone (decode included)']:.1f} s"
    )


def demo_verification() -> dict[str, object]:
    """Verify before flag on the demo batch: scoring with and without the second reading,
    its extra time, and the flags it removed and kept."""
    from qa.campaigns.schema import load_campaigns
    from qa.config import load_config
    from qa.ingest.batch import ingest
    from qa.matching import Matcher
    from qa.scorecard.load import load_scorecard
    from qa.scoring import score_interactions
    from qa.store import Store
    from qa.voice.batch import transcribe_pending, voice_settings
    from qa.voice.verify import Verifier, VerifySettings

    examples = ROOT / "examples"
    config = load_config(examples / "qa.yaml")
    card = load_scorecard(ROOT / "scorecards" / "inbound_service.yaml")
    campaigns = load_campaigns(ROOT / "scorecards" / "campaigns")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "qa.db")
        ingest([examples], store, config)
        transcribe_pending(store, voice_settings(config))
        matcher = Matcher(vectors=store)
        items = store.load_interactions()
        off = Verifier(VerifySettings(enabled=False))
        score_interactions(store, items, card, matcher, campaigns=campaigns, verifier=off)
        timed: dict[str, float] = {}
        verifiers = {"off": off, "on": Verifier()}
        for mode in ("off", "on"):  # the first, untimed pass above warmed the text model
            items = store.load_interactions()
            begun = time.perf_counter()
            score_interactions(
                store,
                items,
                card,
                matcher,
                campaigns=campaigns,
                site_tz=config.timezone,
                verifier=verifiers[mode],
            )
            timed[mode] = time.perf_counter() - begun
        removed = [
            (r["source"], v)
            for r in store.db.query("SELECT source, metadata FROM interactions")
            for v in json.loads(r["metadata"] or "{}").get("verification", [])
        ]
        calls = sum(1 for i in items if i.channel == "voice")
        store.close()
    on = verifiers["on"]
    return {
        "interactions": len(items),
        "calls": calls,
        "score_s_off": timed["off"],
        "score_s_on": timed["on"],
        "verify_s": on.wall_s,
        "audio_s_again": on.seconds,
        "kept": on.kept,
        "removed": on.removed,
        "removed_flags": removed,
    }


def print_verification(v: dict[str, object]) -> None:
    print(
        f"verification on the demo batch ({v['interactions']} interactions, {v['calls']} calls):"
        f" scoring {v['score_s_off']:.1f} s without, {v['score_s_on']:.1f} s with;"
        f" the second readings took {v['verify_s']:.1f} s (model load included) for"
        f" {v['audio_s_again']:.1f} s of audio decoded again; flags removed {v['removed']},"
        f" kept {v['kept']}"
    )
    for source, record in v["removed_flags"]:  # type: ignore[attr-defined]
        first, second = record["readings"][0]["text"], record["readings"][1]["text"]
        print(f"  removed {record['kind']} in {Path(source).name}: {first!r} -> {second!r}")


def child(mode: str, files: list[str]) -> None:
    """One timed pass in a fresh process: its peak memory is its own."""
    from qa.voice.asr import AsrSettings, WhisperTranscriber, _whisper
    from qa.voice.pipeline import VoiceSettings, transcribe_recording

    settings = AsrSettings()
    whisper = WhisperTranscriber(settings)
    model = _whisper(whisper.model_ref, settings.compute_type, settings.cpu_threads)
    audio_s = 0.0
    start = time.perf_counter()
    for f in files:
        if mode == "qa":
            audio_s += transcribe_recording(Path(f), VoiceSettings(), whisper).duration
        else:
            from faster_whisper import decode_audio

            audio = decode_audio(f)
            audio_s += len(audio) / 16000
            plain: Any = model
            batched: dict[str, Any] = {}
            if mode == "faster-whisper batched":  # the batched pipeline, as qa runs it
                from faster_whisper import BatchedInferencePipeline

                plain = BatchedInferencePipeline(model)
                batched = {
                    "batch_size": settings.batch_size,
                    "without_timestamps": not settings.batch_timestamps,
                }
            segments, _ = plain.transcribe(
                audio,
                language="en",
                beam_size=settings.beam_size,
                vad_filter=True,
                vad_parameters={"speech_pad_ms": settings.vad_speech_pad_ms},
                word_timestamps=True,
                condition_on_previous_text=settings.condition_on_previous_text,
                hallucination_silence_threshold=settings.hallucination_silence_threshold,
                **batched,
            )
            list(segments)
    wall = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"audio_s": audio_s, "wall_s": wall, "peak_mb": peak_mb}))


def timed_child(mode: str, files: list[Path]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, *map(str, files)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def long_recording(minutes: int) -> None:
    """One recording this long (the reference call, repeated): speed and peak memory."""
    with tempfile.TemporaryDirectory() as tmp:
        long = Path(tmp) / "long.wav"
        subprocess.run(["sox", *[str(SAMPLE_WAV)] * (minutes * 2), str(long)], check=True)
        r = timed_child("qa", [long])
    print(
        f"{minutes}-minute recording: {r['audio_s'] / r['wall_s']:.1f}x real time, "
        f"peak {r['peak_mb']:.0f} MB"
    )


PARTS = ("wer", "roles", "speed", "stages", "verify")


def real_calls(
    repeat: int, parts: tuple[str, ...] = PARTS, only: str | None = None, dithers: int = 0
) -> None:
    """Every figure on the real-call set, side by side in one run."""
    print(
        f"# real-call voice benchmark, {date.today()}, {platform.machine()}, {os.cpu_count()} cores;"
        f" {hvb.ATTRIBUTION} + pyannote sample.wav"
    )
    if "wer" in parts:
        print("WER per settings (recognition alone, mono mixes):")
        rows = real_call_wer(only)
        names = list(rows[0][1])
        head = " | ".join(n[:8] for n in names)
        print(
            f"| settings | {head} | pooled | pooled, numbers as digits | speed"
            " | mono roles, lowest |"
        )
        for label, per_call, pooled, speed, pooled_num, roles_min in rows:
            cells = " | ".join(f"{per_call[n]:.3f}" for n in names)
            shown = f"{speed:.1f}x" if speed else "cached"
            print(
                f"| {label} | {cells} | {pooled:.3f} | {pooled_num:.3f} | {shown}"
                f" | {roles_min:.3f} |"
            )
    if "roles" in parts:
        roles = real_call_roles()
        print("words with the right role, stereo (as recorded / swapped):", roles["stereo"])
        print(
            "stereo calls swapped that were recorded the right way round:", roles["wrongly_swapped"]
        )
        print("words with the right role, mono mixes (embedded diarization):", roles["mono"])
        mono = list(roles["mono"].values())  # type: ignore[attr-defined]
        print(f"  mono: min {min(mono):.3f}, mean {statistics.mean(mono):.3f}")
    if dithers:
        drawn = dithered_roles(dithers)
        print(f"words with the right role, mono mixes dithered afresh ({dithers} each):", drawn)
        shares = [x for xs in drawn.values() for x in xs]
        print(f"  dithered mono: min {min(shares):.3f}, mean {statistics.mean(shares):.3f}")
    if "speed" in parts:
        from qa.voice.asr import AsrSettings

        # Plain faster-whisper: WhisperModel.transcribe with the same model, beam, VAD and
        # word times. Where qa batches, the batched pipeline run plainly is shown as well.
        modes = ["faster-whisper", "qa"]
        if AsrSettings().batch_size > 0:
            modes.insert(1, "faster-whisper batched")
        runs: dict[str, list[dict[str, float]]] = {m: [] for m in modes}
        for _ in range(repeat):
            for mode in modes:
                runs[mode].append(timed_child(mode, REAL_FILES))
        rtf = {
            m: statistics.median(r["audio_s"] / r["wall_s"] for r in rs) for m, rs in runs.items()
        }
        for mode in runs:
            print(f"{mode:>22}: {rtf[mode]:5.1f}x real time (median of {repeat})")
        ratio = rtf["qa"] / rtf["faster-whisper"]
        print(f"qa whole voice stage / plain faster-whisper: {ratio:.2f}x")
        if "faster-whisper batched" in rtf:
            ratio = rtf["qa"] / rtf["faster-whisper batched"]
            print(f"qa whole voice stage / faster-whisper's batched pipeline: {ratio:.2f}x")
    if "stages" in parts:
        print_stages(stage_breakdown(REAL_FILES))
    if "verify" in parts:
        print_verification(demo_verification())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--long-minutes", type=int, default=0, help="also one recording this long")
    ap.add_argument("--only-long", action="store_true", help="only the long recording")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    ap.add_argument(
        "--real-calls", action="store_true", help="the real-call set: WER, roles, throughput"
    )
    ap.add_argument(
        "--parts",
        default=",".join(PARTS),
        help=f"with --real-calls, which figures (comma-separated, of {', '.join(PARTS)})",
    )
    ap.add_argument(
        "--variants", help="with --real-calls, only WER settings whose label has one of these (a|b)"
    )
    ap.add_argument(
        "--dithers",
        type=int,
        default=0,
        help="with --real-calls, roles on each mono mix dithered afresh this many times",
    )
    args = ap.parse_args()
    if args.child:
        child(args.child[0], args.child[1:])
        return

    if args.only_long:
        long_recording(args.long_minutes or 60)
        return
    if args.real_calls:
        real_calls(args.repeat, tuple(args.parts.split(",")), args.variants, args.dithers)
        return
    acc = accuracy()
    choice = settings_choice()
    runs: dict[str, list[dict[str, float]]] = {"faster-whisper": [], "qa": []}
    for _ in range(args.repeat):  # interleaved, so drift hits both alike
        for mode in ("faster-whisper", "qa"):
            runs[mode].append(timed_child(mode, FILES))
    print(
        f"# voice benchmark, {date.today()}, {platform.machine()}, {os.cpu_count()} cores, tiny.en int8, beam 5, VAD on"
    )
    print(f"WER (normalised) on the reference call: {acc['wer']}")
    print(f"DER (0.5 s collar): {acc['der']}")
    print(f"words with the right speaker (mono, embedded): {acc['words_right_speaker']}")
    print(
        f"stereo turns (3+ words) with the right role: {acc['stereo_turn_roles_right']}; words: "
        f"{acc['stereo_words_right']}; swapped example fixed: {acc['swapped_example_fixed']}"
    )
    for label, sample_wer, pooled, speed in choice:
        print(
            f"{label:<36} WER {sample_wer:.3f} reference call, {pooled:.3f} pooled with demo calls,"
            f" {speed:.1f}x (recognition only)"
        )
    rtf = {}
    for mode, rs in runs.items():
        rtf[mode] = statistics.median(r["audio_s"] / r["wall_s"] for r in rs)
        peak = max(r["peak_mb"] for r in rs)
        print(
            f"{mode:>15}: {rtf[mode]:5.1f}x real time (median of {len(rs)}, {rs[0]['audio_s']:.0f} s of audio), peak {peak:.0f} MB"
        )
    print(
        f"qa overhead over plain faster-whisper: {rtf['faster-whisper'] / rtf['qa'] - 1:+.0%} time"
    )
    if args.long_minutes:
        long_recording(args.long_minutes)


if __name__ == "__main__":
    main()
