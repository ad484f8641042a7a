"""Scoring throughput, with and without semantic matching, and `qa rescore` over N stored
interactions. Side by side in one run; prints medians and the ratio.

    .venv/bin/python bench/bench_scoring.py [--n 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from qa.matching import Matcher
from qa.model import Agent, Interaction, Turn
from qa.scorecard.load import load_scorecard
from qa.scoring import rescore, score_interactions
from qa.store import Store, content_id

ROOT = Path(__file__).resolve().parent.parent
CARD = ROOT / "scorecards" / "inbound_service.yaml"
NAMES = ["Ana", "Ben", "Chloe", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo"]


def synthetic_batch(n: int, seed: int = 7) -> list[Interaction]:
    """Realistic interactions built from the labelled examples, with names and figures varied
    so that no two sentences repeat (the embedding cache gets no free hits)."""
    rng = random.Random(seed)
    examples = sorted((ROOT / "scorecards" / "examples").rglob("*.json"))
    templates = [json.loads(p.read_text()) for p in examples]
    items = []
    for i in range(n):
        t = templates[i % len(templates)]
        name, amount = rng.choice(NAMES), rng.randint(10, 999)
        turns = [
            Turn(
                role=x["role"],
                text=vary(x["text"], f"{name} {amount}-{i}"),
                start=x["start"],
                end=x.get("end") or x["start"],
            )
            for x in t["turns"]
        ]
        items.append(
            Interaction(
                id=content_id("bench", i),
                channel=t["channel"],
                source=f"bench/{i}",
                agent=Agent(f"agent{i % 200}"),
                turns=turns,
                duration=t.get("duration"),
            )
        )
    return items


def vary(text: str, tag: str) -> str:
    """Tag every sentence, so that each one is new to the caches."""
    return (
        re.sub(r"([.!?])(\s|$)", rf" ({tag})\1\2", text)
        if re.search(r"[.!?]", text)
        else f"{text} ({tag})"
    )


def without_semantic(text: str) -> str:
    return text.replace("match: semantic", "match: fuzzy")


def timed(fn: Callable[..., object], *args: object) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000, help="stored interactions for rescore")
    ap.add_argument(
        "--sample", type=int, default=1_000, help="interactions for the throughput runs"
    )
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        card = load_scorecard(CARD)
        plain_path = Path(tmp) / "plain.yaml"
        plain_path.write_text(without_semantic(CARD.read_text()))
        plain = load_scorecard(plain_path)
        matcher = Matcher()
        matcher.embedder.embed(["warm up"])  # model load is not part of the throughput

        sample = synthetic_batch(args.sample, seed=1)
        runs: dict[str, list[float]] = {"fuzzy only": [], "with semantic": []}
        for r in range(args.repeat):
            store = Store(Path(tmp) / f"t{r}.db")
            fresh = Matcher(type(matcher.embedder)())  # an empty embedding cache each run
            fresh.embedder._model, fresh.embedder._tokenizer = (
                matcher.embedder._model,
                matcher.embedder._tokenizer,
            )  # type: ignore[attr-defined]
            runs["fuzzy only"].append(timed(score_interactions, store, sample, plain, fresh))
            runs["with semantic"].append(timed(score_interactions, store, sample, card, fresh))
            store.close()

        # A trainer's loop: score once (the text model embeds every sentence and the
        # store keeps the vectors), then rescore after editing the card.
        store = Store(Path(tmp) / "big.db")
        store.save_interactions(synthetic_batch(args.n, seed=2))
        first = timed(rescore, store, card, Matcher(vectors=store))
        again = {
            "fuzzy only": [
                timed(rescore, store, plain, Matcher(vectors=store)) for _ in range(args.repeat)
            ],
            "with semantic": [
                timed(rescore, store, card, Matcher(vectors=store)) for _ in range(args.repeat)
            ],
        }

    print(
        f"# scoring benchmark, {date.today()}, {platform.machine()}, {platform.processor() or ''}"
    )
    for label, times in runs.items():
        med = statistics.median(times)
        print(
            f"score {label:>14}: {args.sample / med:8.0f} interactions/s (median of {len(times)}: {med:.2f} s)"
        )
    ratio = statistics.median(runs["with semantic"]) / statistics.median(runs["fuzzy only"])
    print(f"semantic matching costs {ratio:.1f}x the time of fuzzy only")
    print(f"first scoring of {args.n} stored interactions, semantic, nothing cached: {first:.1f} s")
    for label, times in again.items():
        med = statistics.median(times)
        print(
            f"rescore {args.n} stored interactions, {label:>13}: {med:5.1f} s median ({args.n / med:.0f}/s)"
        )


if __name__ == "__main__":
    main()
