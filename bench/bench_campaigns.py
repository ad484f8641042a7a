"""Campaign checks, measured: precision and recall per flag kind and the time per interaction,
the current checker and the one before statement understanding side by side in one run.

    .venv/bin/python bench/bench_campaigns.py [--set DIR] [--campaigns DIR] [--details]

Sets:
- tests/data/campaign_eval.yaml, the labelled statements of this repository (own set);
- a folder laid out like campaign_cases (expected.json, campaigns/, interactions/, qa.yaml,
  evaluate.py), e.g. ../shared/data/campaign_cases: its interactions are ingested as
  `qa score` ingests them, checked by both checkers, written as `qa export --format json`
  would, and scored by the set's own evaluate.py. `--campaigns` checks that set against
  other campaign files (bench/campaign_cases_v2/ holds its campaigns rewritten in schema v2).
- `--numbers` measures spoken-number normalisation on tests/data/spoken_numbers.yaml: the
  normaliser in qa.statements.numbers against text2num and wetext where installed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import pickle
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.campaigns.evaluate import VIOLATIONS, evaluate  # noqa: E402
from qa.campaigns.schema import load_campaigns  # noqa: E402
from qa.matching import Matcher  # noqa: E402


def fmt(v: float | None) -> str:
    return "  -  " if v is None else f"{v:.2f}"


def own_set(matcher: Matcher) -> None:
    campaigns = load_campaigns(ROOT / "scorecards" / "campaigns")
    data = ROOT / "tests" / "data" / "campaign_eval.yaml"
    scores, misses, n = evaluate(data, campaigns, matcher)
    print(f"\n## own set: tests/data/campaign_eval.yaml, {n} labelled cases")
    print(f"{'kind':<20} {'P':>5} {'R':>5}   support")
    for kind, s in scores.items():
        mark = " (violation)" if kind in VIOLATIONS else ""
        print(f"{kind:<20} {fmt(s.precision):>5} {fmt(s.recall):>5}   {s.tp + s.fn}{mark}")
    print("misses:", ", ".join(misses) or "none")


def _load_items(folder: Path) -> list[Any]:
    """The set's interactions, ingested by qa's own ingest into a scratch store (kept for the
    next run in $BENCH_CACHE when that is set)."""
    cache = os.environ.get("BENCH_CACHE")
    if cache and Path(cache).exists():
        return pickle.loads(Path(cache).read_bytes())
    items = _ingest(folder)
    if cache:
        Path(cache).write_bytes(pickle.dumps(items))
    return items


def _ingest(folder: Path) -> list[Any]:
    from qa.config import load_config
    from qa.ingest.batch import ingest
    from qa.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="bench_campaigns_"))
    store = Store(tmp / "qa.db")
    cfg = load_config(folder / "qa.yaml") if (folder / "qa.yaml").exists() else load_config(None)
    with contextlib.redirect_stderr(io.StringIO()):
        ingest([folder / "interactions"], store, cfg, None, None)
    return store.load_interactions()


def _export(items: list[Any], flags: dict[str, list[Any]]) -> dict[str, Any]:
    return {
        "interactions": [
            {
                "id": it.id,
                "source": it.source,
                "flags": [
                    {**asdict(f), "evidence": [asdict(e) for e in f.evidence]} for f in flags[it.id]
                ],
            }
            for it in items
        ]
    }


def _timed(
    check: Callable[[Any], list[Any]], items: list[Any]
) -> tuple[dict[str, list[Any]], float]:
    t0 = time.perf_counter()
    out = {it.id: check(it) for it in items}
    return out, (time.perf_counter() - t0) / max(1, len(items))


def case_set(
    folder: Path,
    campaign_dir: Path | None,
    matcher: Matcher,
    details: bool,
    quick: bool = False,
    limit: int = 0,
) -> None:
    from bench.campaigns_before.check import check_interaction as before
    from qa.campaigns.check import check_interaction as current

    original = load_campaigns(folder / "campaigns")
    campaigns = load_campaigns(campaign_dir) if campaign_dir else original
    items = _load_items(folder)
    if limit:
        items = items[:limit]
    matcher.embedder.embed(["warm up"])
    # One untimed pass each first (caches, lazy imports), then the timed passes, interleaved.
    _timed(lambda it: current(it, campaigns, matcher), items[:5])
    if quick:
        old, t_old = {}, 1.0
    else:
        _timed(lambda it: before(it, original, matcher), items[:5])
        old, t_old = _timed(lambda it: before(it, original, matcher), items)
    new, t_new = _timed(lambda it: current(it, campaigns, matcher), items)
    print(f"\n## {folder} ({len(items)} interactions)")
    print(f"campaigns: {campaign_dir or folder / 'campaigns'}")
    print(
        f"time per interaction: before {t_old * 1000:.1f} ms, now {t_new * 1000:.1f} ms"
        f" ({t_new / t_old:.2f}x)"
    )
    runs = [("before statement understanding", old)] * (not quick) + [("now", new)]
    for label, flags in runs:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
            json.dump(_export(items, flags), fh)
        args = [sys.executable, str(folder / "evaluate.py"), fh.name]
        if details and label == "now":
            args.append("--details")
        out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
        os.unlink(fh.name)
        review = sum(1 for fs in flags.values() for f in fs if getattr(f, "status", "") == "review")
        print(f"\n### {label} ({review} flags held for review, not counted)")
        lines = out.splitlines()
        keep = (
            lines[3:]
            if details and label == "now"
            else [ln for ln in lines[3:] if not ln.startswith("      why nothing")]
        )
        print("\n".join(keep))


def numbers_bench() -> None:
    import yaml

    from qa.statements.numbers import digits

    cases = yaml.safe_load((ROOT / "tests" / "data" / "spoken_numbers.yaml").read_text())["cases"]
    engines: dict[str, Callable[[str], str]] = {"qa.statements.numbers": digits}
    with contextlib.suppress(ImportError):
        from text_to_num import alpha2digit

        engines["text2num"] = lambda s: alpha2digit(s, "en")
    with contextlib.suppress(Exception):
        from wetext import Normalizer

        norm = Normalizer(lang="en", operator="itn")
        engines["wetext"] = norm.normalize
    print(f"\n## spoken numbers: {len(cases)} phrases")
    for name, fn in engines.items():
        t0 = time.perf_counter()
        right = sum(1 for c in cases if all(w in fn(c["said"]) for w in c["want"]))
        ms = (time.perf_counter() - t0) * 1000 / len(cases)
        print(f"{name:<24} {right}/{len(cases)} right, {ms:.2f} ms a phrase")


class _CachedEmbedder:
    """Dev-loop helper: sentence vectors kept on disk between runs ($BENCH_CACHE.vec)."""

    def __init__(self, inner: Any, path: Path):
        import numpy as np

        self.inner, self.path, self.np = inner, path, np
        self.cache: dict[str, Any] = pickle.loads(path.read_bytes()) if path.exists() else {}

    def embed(self, texts: list[str]) -> Any:
        new = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if new:
            self.cache.update(zip(new, self.inner.embed(new), strict=True))
            self.path.write_bytes(pickle.dumps(self.cache))
        return self.np.stack([self.cache[t] for t in texts])


def main() -> None:
    ap = argparse.ArgumentParser()
    default = next(
        (
            p / "shared" / "data" / "campaign_cases"
            for p in (ROOT.parent, ROOT.parent.parent)
            if (p / "shared" / "data" / "campaign_cases").is_dir()
        ),
        ROOT.parent / "shared" / "data" / "campaign_cases",
    )
    ap.add_argument("--set", type=Path, default=default)
    ap.add_argument("--campaigns", type=Path, default=None)
    ap.add_argument("--details", action="store_true")
    ap.add_argument("--numbers", action="store_true")
    ap.add_argument("--own-only", action="store_true")
    ap.add_argument("--quick", action="store_true", help="the current checker on the set only")
    ap.add_argument("--limit", type=int, default=0, help="only the first N interactions")
    args = ap.parse_args()
    print(f"# campaign checks, {date.today()}, {platform.machine()}, {os.cpu_count()} cores")
    if args.numbers:
        numbers_bench()
        return
    matcher = Matcher()
    if args.quick and os.environ.get("BENCH_CACHE"):
        matcher = Matcher(
            _CachedEmbedder(matcher.embedder, Path(os.environ["BENCH_CACHE"] + ".vec"))
        )  # type: ignore[arg-type]
    if not args.quick:
        own_set(matcher)
    if not args.own_only and (args.set / "expected.json").exists():
        case_set(args.set, args.campaigns, matcher, args.details, args.quick, args.limit)


if __name__ == "__main__":
    main()
