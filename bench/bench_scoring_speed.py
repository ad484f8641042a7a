"""Scoring speed on the judgment cases, before and after, side by side, with agreement.

    PYTHONPATH=. python bench/bench_scoring_speed.py [--set DIR] [--work DIR] [--n 10000]
                       [--skip-before] [--skip-rescore] [--save FILE] [--compare FILE]

1. First scoring with nothing cached: every company's contacts, a fresh copy of the
   ingested database (no vectors, no evaluations), the set's own cards; wall time and
   the process's CPU time (all threads). "before" fits every dialogue-act head in the
   process and embeds sentences interaction by interaction, as scoring did before the
   heads shipped fitted; "after" is the product as it is. Both runs' criterion results
   are compared one by one (they must not differ).
2. Agreement of the "after" run, by the set's own evaluate.py.
3. `qa rescore` of N stored interactions: the contacts stored again under new ids until
   there are N (scored once first, so that the store keeps their sentence vectors), then
   rescored with each company's card; wall and CPU time.

The model load is not counted. Figures are for the machine as it is: on a shared one,
CPU time says more than wall time. The figures of the third round (README, 2026-11-29) are
printed beside today's, with the targets (10 interactions/s on first scoring, 10,000
rescored in 60 s). `--save FILE` keeps the "after" run's criterion results; `--compare FILE`
counts those that differ from a saved run (another version of qa, the same cards).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from bench.bench_judgment import (
    COMPANIES,
    DEFAULT_SET,
    card_path,
    fresh_copy,
    ingested_db,
    summary,
)
from qa.acts import classifier, forget_heads
from qa.export import export_json
from qa.matching import Matcher
from qa.model import Interaction
from qa.scorecard.load import load_scorecard
from qa.scoring import rescore, score_interactions
from qa.store import Store

TEXT = ("tl", "hs", "ml")  # the written contacts and call transcripts (no recognition)
# The third round's figures (README, 2026-11-29, 2 cores shared, load average 13-23):
# (interactions, wall s, CPU s).
EARLIER_FIRST = (45, 97.0, 23.0)
EARLIER_RESCORE = (1000, 19.7, 9.5)
TARGET_FIRST_PER_S = 10.0
TARGET_RESCORE_S = 60.0  # for 10,000


@contextmanager
def scoring_before() -> Iterator[None]:
    """Scoring as it was: heads fitted in the process, no batch embedding across contacts."""
    saved = classifier.shipped_heads, Matcher.embed_expected
    classifier.shipped_heads = lambda lang, model: None  # type: ignore[assignment]
    Matcher.embed_expected = lambda self: None  # type: ignore[method-assign]
    forget_heads()
    try:
        yield
    finally:
        classifier.shipped_heads, Matcher.embed_expected = saved  # type: ignore[method-assign]
        forget_heads()


def fresh_matcher(loaded: Matcher, vectors: Any) -> Matcher:
    """An empty embedding cache around the already loaded model."""
    fresh = Matcher(type(loaded.embedder)(vectors=vectors), vectors=vectors)
    for name in ("_model", "_tokenizer", "_inputs"):
        if hasattr(loaded.embedder, name):
            setattr(fresh.embedder, name, getattr(loaded.embedder, name))
    return fresh


def first_scoring(
    args: argparse.Namespace, loaded: Matcher, tmp: Path, tag: str
) -> tuple[int, float, float, dict[str, Any], list[Path]]:
    forget_heads()
    n, wall, cpu = 0, 0.0, 0.0
    verdicts: dict[str, Any] = {}
    exports = []
    for key in TEXT:
        src = ingested_db(args.set, Path(args.work), key)
        assert src is not None
        store = fresh_copy(src, tmp / f"{key}.{tag}.db")
        card = load_scorecard(card_path(None, args.set, COMPANIES[key][1]))
        items = [i for i in store.load_interactions() if i.turns]
        matcher = fresh_matcher(loaded, store)
        w, c = time.perf_counter(), time.process_time()
        report = score_interactions(store, items, card, matcher)
        wall += time.perf_counter() - w
        cpu += time.process_time() - c
        n += len(items)
        for ident, ev in report.evaluations.items():
            for r in ev.criteria:
                verdicts[f"{ident}/{r.id}"] = (r.result, r.points)
        out = tmp / f"{key}.{tag}.export.json"
        out.write_text(export_json(store), encoding="utf-8")
        exports.append(out)
        store.close()
    return n, wall, cpu, verdicts, exports


def copies(items: list[Interaction], n: int) -> list[Interaction]:
    out = []
    for k in range(n):
        item = items[k % len(items)]
        out.append(replace(item, id=f"{item.id}-{k}", source=f"{item.source}#{k}"))
    return out


def rescoring(args: argparse.Namespace, loaded: Matcher, tmp: Path) -> tuple[int, float, float]:
    per = {
        k: args.n // len(TEXT) + (1 if i < args.n % len(TEXT) else 0) for i, k in enumerate(TEXT)
    }
    wall = cpu = 0.0
    total = 0
    for key in TEXT:
        src = ingested_db(args.set, Path(args.work), key)
        assert src is not None
        base = Store(src)
        items = [i for i in base.load_interactions() if i.turns]
        base.close()
        store = Store(tmp / f"{key}.rescore.db")
        store.save_interactions(copies(items, per[key]))
        card = load_scorecard(card_path(None, args.set, COMPANIES[key][1]))
        score_interactions(store, store.load_interactions(), card, fresh_matcher(loaded, store))
        w, c = time.perf_counter(), time.process_time()
        report, _ = rescore(store, card, Matcher(vectors=store))
        wall += time.perf_counter() - w
        cpu += time.process_time() - c
        total += report.scored
        store.close()
    return total, wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", type=Path, default=DEFAULT_SET)
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "qa-judgment"))
    ap.add_argument("--n", type=int, default=10_000, help="stored interactions to rescore")
    ap.add_argument("--skip-before", action="store_true")
    ap.add_argument("--skip-rescore", action="store_true")
    ap.add_argument("--details", action="store_true")
    ap.add_argument("--save", type=Path, help="write the criterion results of this run")
    ap.add_argument("--compare", type=Path, help="criterion results of an earlier run")
    args = ap.parse_args()
    Path(args.work).mkdir(parents=True, exist_ok=True)
    loaded = Matcher()
    loaded.embedder.embed(["warm up"])  # the model load is not scoring

    from bench.bench_judgment import evaluate

    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        rows = []
        before = None
        if not args.skip_before:
            with scoring_before():
                before = first_scoring(args, loaded, tmp, "before")
            rows.append(("before", before))
        after = first_scoring(args, loaded, tmp, "after")
        rows.append(("after", after))
        args.verbose = False
        figures = evaluate(args, after[4], args.set / "human_labels.csv", tmp)
        rescored = None if args.skip_rescore else rescoring(args, loaded, tmp)

    print(
        f"# scoring speed, judgment cases, {date.today()}, {platform.machine()}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{'first scoring, nothing cached':34} {'interactions':>12} {'wall s':>8} {'/s wall':>8} "
        f"{'CPU s':>8} {'/CPU-s':>8}"
    )
    for label, (n, wall, cpu, _, _) in rows:
        print(f"{label:34} {n:12} {wall:8.1f} {n / wall:8.1f} {cpu:8.1f} {n / cpu:8.1f}")
    if before is not None:
        diff = sorted(k for k in after[3] if after[3][k] != before[3].get(k))
        print(f"criterion results that differ, before vs after: {len(diff)} of {len(after[3])}")
        for k in diff[:20]:
            print(f"  {k}: {before[3].get(k)} -> {after[3][k]}")
    if rescored is not None:
        n, wall, cpu = rescored
        print(
            f"qa rescore of {n} stored interactions: {wall:.1f} s wall ({n / wall:.0f}/s), "
            f"{cpu:.1f} s CPU"
        )
    print(side_by_side(after[:3], rescored))
    if args.save is not None:
        args.save.write_text(json.dumps(after[3], sort_keys=True, indent=0), encoding="utf-8")
    if args.compare is not None:
        saved = {k: tuple(v) for k, v in json.loads(args.compare.read_text("utf-8")).items()}
        diff = sorted(k for k in set(saved) | set(after[3]) if saved.get(k) != after[3].get(k))
        print(f"criterion results that differ from {args.compare}: {len(diff)} of {len(saved)}")
        for k in diff[:20]:
            print(f"  {k}: {saved.get(k)} -> {after[3].get(k)}")
    print(summary(figures))


def side_by_side(first: tuple[int, float, float], rescored: tuple[int, float, float] | None) -> str:
    """Today's figures beside the third round's, per interaction, with the targets."""
    rows = [f"{'':44} {'third round':>22} {'now':>22} {'target':>14}"]

    def per(n: int, wall: float, cpu: float) -> str:
        return f"{n / wall:6.1f}/s, {n / cpu:5.1f}/CPU-s"

    rows.append(
        f"{'first scoring, nothing cached':44} {per(*EARLIER_FIRST):>22} {per(*first):>22} "
        f"{TARGET_FIRST_PER_S:>9.0f}/s"
    )
    if rescored is not None:
        n0, w0, c0 = EARLIER_RESCORE
        n, w, c = rescored
        rows.append(
            f"{'qa rescore, 10,000 at this rate (wall, CPU)':44} "
            f"{f'{10_000 * w0 / n0:.0f} s, {10_000 * c0 / n0:.0f} s':>22} "
            f"{f'{10_000 * w / n:.0f} s, {10_000 * c / n:.0f} s':>22} "
            f"{TARGET_RESCORE_S:>12.0f} s"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
