"""Export and report of many interactions, before and after the one read path, side by side.

    .venv/bin/python bench/bench_read_path.py [--n 10000] [--repeat 3] [--before REV]

One database of N synthetic scored chats (8 turns, 6 criteria, a flag each) is written
once; then `export_json`, `export_csv` and `build_report` run on it in a fresh process
for each code version: BEFORE (a git revision, by default the last one with the old
single-file store) and the working tree, taking turns REPEAT times so that both meet the
same load. Prints the median seconds per step (and every run), the query count and the
load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORK = r"""
import json, sys, time
from pathlib import Path
from qa.store import Store
from qa.export import export_csv, export_json
from qa.report.build import build_report
db, out = sys.argv[1], Path(sys.argv[2])
store = Store(db)
queries = []
store.conn.set_trace_callback(queries.append)
figures = {}
for name, run in [
    ("export json", lambda: export_json(store)),
    ("export csv", lambda: export_csv(store)),
    ("report", lambda: build_report(store, out, copy_audio=False)),
]:
    queries.clear()
    t, cpu = time.perf_counter(), time.process_time()
    run()
    figures[name] = (time.perf_counter() - t, len(queries), time.process_time() - cpu)
print(json.dumps(figures))
"""


def fill(db: Path, n: int) -> None:
    sys.path.insert(0, str(ROOT))
    from qa.model import Agent, CriterionResult, Evaluation, Evidence, Flag, Interaction, Turn
    from qa.store import Store

    store = Store(db)
    lines = [
        "Hello, this is Sam, how can I help?",
        "My bill is higher than usual.",
        "I'm sorry about that, let me check.",
        "Thanks.",
        "You were charged twice.",
        "Can you fix it?",
        "Yes, a refund of 30 dollars is on its way.",
        "Great, bye.",
    ]
    items = [
        Interaction(
            id=f"i{k:06d}",
            channel="chat",
            source=f"/data/chat{k}.json",
            agent=Agent(f"a{k % 40}", f"Agent {k % 40}", f"team{k % 4}"),
            started_at=f"2026-03-{1 + k % 28:02d}T10:{k % 60:02d}:00",
            turns=[
                Turn("agent" if i % 2 == 0 else "customer", t, 10.0 * i, 10.0 * i + 5)
                for i, t in enumerate(lines)
            ],
            metadata={"metrics": {"first_response": 30.0 + k % 90, "response_avg": 40.0}},
        )
        for k in range(n)
    ]
    for i in range(0, n, 1000):
        store.save_interactions(items[i : i + 1000])
    store.save_scorecard("card", "h1", "name: card\nsections: []\n")
    quote = Evidence(0, "agent", 0.0, 5.0, "Hello, this is Sam")
    crit = [
        CriterionResult(
            f"c{j}",
            "s",
            "phrase.v1",
            "pass" if j % 3 else "fail",
            2.0 if j % 3 else 0.0,
            2.0,
            0.9,
            [quote],
        )
        for j in range(6)
    ]
    ev = Evaluation("card", "h1", 8.0, 12.0, 66.7, False, False, crit)
    flag = Flag("expired_offer", "high", "Spring", "price", "said $30", [quote])
    for i in range(0, n, 1000):
        store.save_evaluations([(it.id, ev, {}, [flag], None) for it in items[i : i + 1000]])
    store.close()


def measure(code: Path, db: Path, out: Path) -> dict[str, list[float]]:
    env = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run(
        [sys.executable, "-c", WORK, str(db), str(out)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=code,
    )
    if done.returncode:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"the run of {code} failed ({done.returncode})")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each version, alternating")
    parser.add_argument("--before", help="git revision to compare with")
    args = parser.parse_args()
    before = (
        args.before
        or subprocess.run(
            ["git", "rev-list", "-1", "HEAD", "--", "qa/store.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        + "^"
    )
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "before"
        old.mkdir()
        archive = subprocess.run(
            ["git", "archive", before, "qa", "scorecards", "reports", "models", "pyproject.toml"],
            cwd=ROOT,
            capture_output=True,
            check=False,
        )
        if archive.returncode:  # an older revision without models/
            archive = subprocess.run(
                ["git", "archive", before, "qa", "scorecards", "reports", "pyproject.toml"],
                cwd=ROOT,
                capture_output=True,
                check=True,
            )
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
        db = Path(tmp) / "bench.db"
        t = time.perf_counter()
        fill(db, args.n)
        print(f"{args.n} interactions written in {time.perf_counter() - t:.1f} s")
        versions = {f"before ({before[:12]})": old, "after (working tree)": ROOT}
        runs: dict[str, list[dict[str, list[float]]]] = {label: [] for label in versions}
        load = [os.getloadavg()[0]]
        for k in range(args.repeat):
            for label, code in versions.items():
                runs[label].append(measure(code, db, Path(tmp) / f"r{k}"))
                load.append(os.getloadavg()[0])
    steps = list(runs[next(iter(runs))][0])
    print(
        f"median of {args.repeat} alternating runs each; 1-minute load average"
        f" {min(load):.2f}-{max(load):.2f}"
    )
    for title, k in (("CPU seconds of the process", 2), ("wall seconds", 0)):
        print(f"{title:28}" + "".join(f"{s:>22}" for s in steps))
        for label, figures in runs.items():
            cells = ""
            for s in steps:
                median = statistics.median(f[s][k] for f in figures)
                cells += f"{f'{median:.2f} s, {figures[0][s][1]} q':>22}"
            print(f"{label:28}{cells}")
    for label, figures in runs.items():
        for s in steps:
            cpu = ", ".join(f"{f[s][2]:.2f}" for f in figures)
            wall = ", ".join(f"{f[s][0]:.2f}" for f in figures)
            print(f"  {label} {s}: CPU {cpu}; wall {wall}")


if __name__ == "__main__":
    main()
