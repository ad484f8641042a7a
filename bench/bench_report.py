"""`qa report` over 200 agents with 50 evaluations each (10,000 transcripts).

.venv/bin/python bench/bench_report.py [--agents 200] [--per-agent 50] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_scoring import synthetic_batch, without_semantic  # noqa: E402

from qa.matching import Matcher  # noqa: E402
from qa.model import Agent  # noqa: E402
from qa.report.build import build_report  # noqa: E402
from qa.scorecard.load import load_scorecard  # noqa: E402
from qa.scoring import score_interactions  # noqa: E402
from qa.store import Store  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--agents", type=int, default=200)
    ap.add_argument("--per-agent", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    n = args.agents * args.per_agent
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "qa.db")
        items = synthetic_batch(n, seed=3)
        for i, item in enumerate(items):
            item.agent = Agent(
                f"agent{i % args.agents:03d}", f"Agent {i % args.agents:03d}", f"team{i % 10}"
            )
            item.started_at = f"2026-{1 + i % 3:02d}-{1 + i % 28:02d}T10:00:00Z"
        store.save_interactions(items)
        card_path = Path(tmp) / "card.yaml"
        card_path.write_text(
            without_semantic((ROOT / "scorecards/inbound_service.yaml").read_text())
        )
        score_interactions(store, items, load_scorecard(card_path), Matcher())
        times = []
        for r in range(args.repeat):
            start = time.perf_counter()
            summary = build_report(store, Path(tmp) / f"out{r}")
            times.append(time.perf_counter() - start)
    print(f"# report benchmark, {date.today()}, {platform.machine()}, {os.cpu_count()} cores")
    print(
        f"qa report: {summary.agents} agents, {summary.evaluations} evaluations, "
        f"{summary.transcripts} transcript pages: {statistics.median(times):.1f} s median of {len(times)}"
    )


if __name__ == "__main__":
    main()
