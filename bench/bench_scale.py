"""`qa score` on one batch of recordings, through each executor side by side: sequential, the
local process pool, and Ray on a local cluster. Then the single SQLite writer's rate, and a
paper projection of a day's calls on N nodes.

The batch: the eight real HarperValleyBank calls ($QA_HVB_DIR, else
/work/shared/data/harper_valley_bank; CC BY 4.0,
Gridspace and Stanford), each as its stereo and its mono mix, and the three demo calls, cut at
different starts until there are 40 recordings (8 with --quick). Every cut is different audio,
so no recording is served from another's transcript cache.

    python bench/bench_scale.py            # the full run: 40 recordings, three executors
    python bench/bench_scale.py --quick    # 8 recordings, while developing

Each executor runs `qa score` in its own process on a fresh database, the way a user runs it.
Figures: audio minutes per wall-clock minute (the whole command: start, ingest, recognition,
scoring, writes), the same for the recognition phase alone, and the peak resident memory of
the driver and of each worker process (Ray's own daemons, raylet and GCS, not counted). Then
whether each executor wrote the same records as the first, and where not, which recordings.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HVB = Path(os.environ.get("QA_HVB_DIR", "/work/shared/data/harper_valley_bank"))
CARD = ROOT / "scorecards" / "general_contact.yaml"
CAMPAIGNS = ROOT / "scorecards" / "campaigns"
CUT_STEP_S = 1.5  # each further cut of a call starts this much later
EXECUTORS = ["sequential", "local", "ray"]

# The projection's assumptions, stated once.
CALLS_PER_DAY = 20_000
CALL_MINUTES = 6.0  # average recorded call length (handle time without wrap-up)
CORES_PER_NODE = 16
WINDOW_HOURS = 20.0  # the day's calls are scored within this (4 h spare for re-runs)


def sources() -> list[Path]:
    calls = sorted((HVB / "derived").glob("*.stereo.flac")) + sorted(
        (HVB / "derived").glob("*.mono.wav")
    )
    if not calls:
        sys.exit(f"no HarperValleyBank calls under {HVB / 'derived'}: see its README")
    return calls + sorted((ROOT / "examples" / "calls").iterdir())


def make_batch(folder: Path, count: int) -> float:
    """`count` recordings cut from the sources; returns their audio seconds."""
    import soundfile as sf

    folder.mkdir(parents=True, exist_ok=True)
    calls = sources()
    seconds = 0.0
    for n in range(count):
        src = calls[n % len(calls)]
        cut = CUT_STEP_S * (n // len(calls))
        audio, rate = sf.read(str(src), dtype="int16", always_2d=True)
        audio = audio[int(cut * rate) :]
        name = f"{n:03d}_{src.name.split('.')[0]}.{'mono' if audio.shape[1] == 1 else 'stereo'}"
        sf.write(str(folder / f"{name}.flac"), audio, rate)
        seconds += len(audio) / rate
    return seconds


def run_score(folder: Path, db: Path, executor: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "qa", "score", str(folder), "--scorecard", str(CARD)]
    command += ["--campaigns", str(CAMPAIGNS), "--executor", executor, "--db", str(db), "--json"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    clock = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - clock
    if done.returncode not in (0, 1):  # 1: some recordings held for review, as in any batch
        sys.exit(f"qa score --executor {executor} failed ({done.returncode}):\n{done.stderr}")
    report = json.loads(done.stdout)
    report["wall_seconds"] = wall
    return report


def print_executors(results: dict[str, dict[str, Any]], audio_s: float, files: int) -> None:
    print(f"\n{files} recordings, {audio_s / 60:.1f} audio minutes, {os.cpu_count()} cores")
    head = (
        f"{'executor':<11}{'workers':>8}{'wall s':>8}{'audio-min/min':>14}"
        f"{'recognition':>12}{'vs seq':>8}{'driver MiB':>11}{'worker MiB (peak each)':>26}"
    )
    print(head)
    base = results["sequential"]["wall_seconds"] if "sequential" in results else None
    for name, r in results.items():
        t = r["transcription"]
        rate = audio_s / 60 / (r["wall_seconds"] / 60)
        rec_wall = audio_s / t["real_time_factor"] if t.get("real_time_factor") else 0
        rec = audio_s / 60 / (rec_wall / 60) if rec_wall else 0
        workers = [v for k, v in t["peak_rss_mb"].items()]
        speed = f"{base / r['wall_seconds']:.2f}x" if base else "-"
        print(
            f"{name:<11}{t['executor'].get('workers', 1):>8}{r['wall_seconds']:>8.1f}{rate:>14.1f}"
            f"{rec:>12.1f}{speed:>8}{r.get('driver_peak_rss_mb', 0):>11.0f}"
            f"{', '.join(f'{w:.0f}' for w in sorted(workers)):>26}"
        )
    if "local" in results and "ray" in results:
        gap = results["ray"]["wall_seconds"] / results["local"]["wall_seconds"] - 1
        print(f"ray against local: {gap:+.1%} wall time (target: within 15%)")
    if base and "local" in results:
        print(
            f"local against sequential: {base / results['local']['wall_seconds']:.2f}x"
            " (target: at least 1.3x)"
        )


def compare_records(dbs: dict[str, Path]) -> None:
    """Whether every executor wrote the same records as the first (the whole export: turns,
    words, evaluations, flags), and which recordings differ where one did not."""
    from qa.export import export_json
    from qa.store import Store

    exports = {name: json.loads(export_json(Store(db))) for name, db in dbs.items()}
    first, *others = exports

    def by_source(name: str) -> dict[str, Any]:
        return {str(i.get("source") or i["id"]): i for i in exports[name]["interactions"]}

    base = by_source(first)
    for name in others:
        other = by_source(name)
        differ = sorted(k for k in base.keys() | other.keys() if base.get(k) != other.get(k))
        if exports[name] == exports[first]:
            print(f"{name} wrote the same records as {first} ({len(base)} interactions)")
        else:
            names = ", ".join(Path(k).name for k in differ[:5]) or "journeys only"
            print(f"{name} DIFFERS from {first} on {len(differ)} of {len(base)}: {names}")


def writer_rate(db: Path, scratch: Path, at_least: int) -> dict[str, float]:
    """Interactions per second that the driver writes as `qa score` writes them: per
    recording its transcript cache entries, segments and turns with words; evaluations with
    criterion results and flags in transactions of SAVE_EVERY. Scoring itself is timed apart."""
    from qa.campaigns.schema import load_campaigns
    from qa.matching import Matcher
    from qa.scorecard.load import load_scorecard
    from qa.scoring import SAVE_EVERY, campaigns_key, current_engine, score_interactions
    from qa.store import Store

    card = load_scorecard(CARD)
    campaigns = load_campaigns(CAMPAIGNS)
    source = Store(db)
    items = [i for i in source.load_interactions() if i.turns]
    segments = {
        i.id: source.conn.execute(
            "SELECT channel, start, end, avg_logprob, no_speech_prob FROM asr_segments"
            " WHERE interaction_id = ? ORDER BY idx",
            [i.id],
        ).fetchall()
        for i in items
    }
    warm = Store(scratch / "warm.db")
    matcher = Matcher(vectors=warm)
    score_interactions(warm, items, card, matcher, campaigns=campaigns)  # models load here
    timed = Store(scratch / "scored.db")
    clock = time.perf_counter()
    scored = score_interactions(timed, items, card, matcher, campaigns=campaigns)
    score_s = (time.perf_counter() - clock) / len(items)
    target = Store(scratch / "writer.db")
    target.save_scorecard(
        card.scorecard.name, card.hash, card.text, card.scorecard.model_dump(mode="json")
    )
    engine = current_engine(target, matcher)
    key = campaigns_key(campaigns)
    copies = max(1, math.ceil(at_least / len(items)))
    turns = words = flags = criteria = 0
    batch: list[Any] = []
    clock = time.perf_counter()
    for k in range(copies):
        for item in items:
            clone = copy.copy(item)
            clone.id = f"{item.id}-{k:05d}"
            target.save_transcript(f"bench-{clone.id}", "{}")
            target.save_asr_segments(clone.id, segments[item.id])
            target.save_interactions([clone])
            ev = scored.evaluations[item.id]
            found = scored.flags_by_id.get(item.id) or []
            batch.append((clone.id, ev, item.metadata.get("metrics", {}), found, key))
            turns += len(item.turns)
            words += sum(len(t.words) for t in item.turns)
            flags += len(found)
            criteria += len(ev.criteria)
            if len(batch) >= SAVE_EVERY:
                target.save_evaluations(batch, engine)
                batch = []
    target.save_evaluations(batch, engine)
    seconds = time.perf_counter() - clock
    n = copies * len(items)
    return {
        "interactions": n,
        "per_second": n / seconds,
        "turns_each": turns / n,
        "words_each": words / n,
        "criteria_each": criteria / n,
        "flags": flags,
        "score_seconds_each": score_s,
    }


def project(results: dict[str, dict[str, Any]], audio_s: float, files: int, writer: dict) -> None:
    local, ray = results.get("local"), results.get("ray")
    if local is None:
        return
    workers = local["transcription"]["executor"]["workers"]
    t = local["transcription"]
    rec_wall = audio_s / t["real_time_factor"]
    # Core-minutes of recognition per audio minute, from the pool with every core busy.
    core_min_per_audio_min = rec_wall * workers / audio_s
    overhead = 0.0
    if ray is not None:
        ray_rec = audio_s / ray["transcription"]["real_time_factor"]
        overhead = max(0.0, (ray_rec - rec_wall) * workers / files)  # core-s per task
    audio_day = CALLS_PER_DAY * CALL_MINUTES
    core_min_day = audio_day * core_min_per_audio_min + CALLS_PER_DAY * overhead / 60
    per_node_day = CORES_PER_NODE * WINDOW_HOURS * 60
    nodes = core_min_day / per_node_day
    driver_s = CALLS_PER_DAY * (writer["score_seconds_each"] + 1 / writer["per_second"])
    print("\nProjection: 20,000 calls a day on nodes of 16 cores")
    print(
        f"  assumed: {CALL_MINUTES:.0f} min a call ({audio_day / 60:,.0f} audio hours a day),"
        f" scored within {WINDOW_HOURS:.0f} h, recognition scales with cores as measured here"
        f" ({workers} workers), one driver scores and writes"
    )
    print(
        f"  measured: {core_min_per_audio_min:.3f} core-min of recognition per audio min;"
        f" Ray's overhead {overhead:.2f} core-s a task;"
        f" driver {writer['score_seconds_each'] * 1000:.0f} ms scoring"
        f" + {1000 / writer['per_second']:.1f} ms writing an interaction"
    )
    print(f"  recognition: {core_min_day / 60:,.0f} core-hours a day -> {nodes:.1f} nodes")
    for n in (1, 2, 4, 8):
        hours = core_min_day / (n * CORES_PER_NODE * 60)
        print(f"    {n} node(s): the day's recognition takes {hours:.1f} h")
    print(f"  the driver: {driver_s / 3600:.1f} h a day scoring and writing (one process)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="8 recordings, not 40")
    parser.add_argument("--files", type=int, default=None, help="recordings in the batch")
    parser.add_argument("--executors", default=",".join(EXECUTORS), help="which, in order")
    parser.add_argument("--writes", type=int, default=2000, help="interactions the writer writes")
    args = parser.parse_args()
    files = args.files or (8 if args.quick else 40)
    with tempfile.TemporaryDirectory(prefix="bench_scale_") as tmp:
        folder = Path(tmp) / "batch"
        audio_s = make_batch(folder, files)
        results: dict[str, dict[str, Any]] = {}
        for name in args.executors.split(","):
            results[name] = run_score(folder, Path(tmp) / f"{name}.db", name)
            print(f"{name}: {results[name]['wall_seconds']:.1f} s", flush=True)
        print_executors(results, audio_s, files)
        compare_records({name: Path(tmp) / f"{name}.db" for name in results})
        first = Path(tmp) / f"{next(iter(results))}.db"
        writer = writer_rate(first, Path(tmp), 200 if args.quick else args.writes)
        print(
            f"\nThe SQLite writer: {writer['per_second']:.0f} interactions/s"
            f" ({writer['interactions']} written; each {writer['turns_each']:.0f} turns,"
            f" {writer['words_each']:.0f} words, {writer['criteria_each']:.0f} criterion results;"
            f" {writer['flags']} flags); scoring {writer['score_seconds_each'] * 1000:.0f} ms"
            " an interaction in the driver"
        )
        project(results, audio_s, files, writer)


if __name__ == "__main__":
    main()
