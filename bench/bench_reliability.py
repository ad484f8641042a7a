"""Reliability figures: bad inputs, kill -9 points, hostile scorecards, PII and the network.

    .venv/bin/python bench/bench_reliability.py [--kills 20] [--network]

Prints, for the README:
- bad inputs tried (kinds, formats), each with its stored reason, and whether the batch
  completed (exit 1, the good files in);
- kill -9 points: a `qa score` of chats and emails killed at spread-out moments, rerun
  each time, then compared with a clean run (integrity, duplicates, the same scores);
- concurrent runs: two `qa score` runs at once on overlapping email batches, one database,
  compared with a clean run;
- hostile scorecards: each refused (exit 2) or scored in bounded time, with the slowest;
- PII: card forms x fields x outputs searched, and the digits found (must be 0);
- network events (with --network, about two minutes): sockets to the network during a
  voice and text `qa score` under strace (must be 0).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.reliability_probes import (  # noqa: E402
    BAD_INPUTS,
    GOOD_INPUTS,
    HOSTILE_SCORECARDS,
    traced_score,
    write_evil_chat,
    write_inputs,
)

QA = [sys.executable, "-m", "qa"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
CARD = ROOT / "scorecards" / "chat_email_support.yaml"


def qa(*args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*QA, *args], env=ENV, capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )


def bad_inputs(work: Path) -> None:
    folder = work / "bad"
    folder.mkdir()
    write_inputs(folder)
    db = work / "bad.db"
    run = qa("ingest", str(folder), "--db", str(db), "--json")
    out = json.loads(run.stdout)
    reasons = {Path(f["source"]).name: f["reason"] for f in out["failures"]}
    formats = sorted({Path(n).suffix for n in BAD_INPUTS})
    print(
        f"\n## Bad inputs: {len(BAD_INPUTS)} kinds over {len(formats)} formats ({' '.join(formats)})"
    )
    for name in sorted(BAD_INPUTS):
        print(f"- {name}: {reasons.get(name, 'NOT REFUSED')[:100]}")
    ok = (
        run.returncode == 1
        and set(reasons) == set(BAD_INPUTS)
        and len(out["interaction_ids"]) == len(GOOD_INPUTS)
        and not any(r.startswith("unexpected error") for r in reasons.values())
    )
    print(
        f"batch completed: {'yes' if ok else 'NO'} (exit {run.returncode}, "
        f"{len(out['interaction_ids'])} of {len(GOOD_INPUTS)} good files in, "
        f"{len(reasons)} failures stored, {sum(r.startswith('unexpected error') for r in reasons.values())} unexplained)"
    )


def _snapshot(db: Path) -> tuple[str, int, dict[str, float]]:
    conn = sqlite3.connect(db)
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    dupes = conn.execute(
        "SELECT count(*) FROM (SELECT interaction_id, idx FROM turns GROUP BY 1, 2 HAVING count(*) > 1)"
    ).fetchone()[0]
    scores = dict(conn.execute("SELECT interaction_id, percent FROM evaluations").fetchall())
    conn.close()
    return integrity, dupes, scores


def kills(work: Path, count: int) -> None:
    inputs = work / "kill_in"
    inputs.mkdir()
    for sub in ("chats", "emails"):
        for f in (ROOT / "examples" / sub).iterdir():
            if f.is_file() and f.name != "manifest.csv":
                shutil.copy(f, inputs / f.name)
    for i in range(40):  # enough files that a kill lands mid-run
        src = (ROOT / "examples" / "chats" / "chat_upgrade.json").read_text()
        (inputs / f"copy_{i:02d}.json").write_text(src.replace('"web-88121"', f'"web-{i:05d}"'))
    clean = work / "clean.db"
    start = time.perf_counter()
    qa("score", str(inputs), "--scorecard", str(CARD), "--db", str(clean))
    full = time.perf_counter() - start
    reference = _snapshot(clean)
    survived = 0
    db = work / "killed.db"
    for k in range(count):
        delay = full * (k + 1) / (count + 1)
        proc = subprocess.Popen(
            [*QA, "score", str(inputs), "--scorecard", str(CARD), "--db", str(db)],
            env=ENV,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    qa("score", str(inputs), "--scorecard", str(CARD), "--db", str(db))
    integrity, dupes, scores = _snapshot(db)
    survived = count if (integrity == "ok" and dupes == 0 and scores == reference[2]) else 0
    print(
        f"\n## kill -9: {count} points over a {full:.1f} s run of {len(list(inputs.iterdir()))} files"
    )
    print(
        f"integrity {integrity}, duplicate turns {dupes}, scores equal to a clean run: "
        f"{scores == reference[2]} ({len(scores)} evaluations); survived {survived} of {count}"
    )


def concurrent(work: Path, trials: int = 3) -> None:
    """Two runs at once on one database, on overlapping email batches: the second grows the
    threads the first is scoring. The stored scores must equal one clean run's."""
    first, whole = work / "conc_first", work / "conc_all"
    first.mkdir()
    whole.mkdir()
    mails = sorted((ROOT / "examples" / "emails").glob("*.eml"))
    for mail in mails:
        shutil.copy(mail, whole)
    for mail in mails[::2]:
        shutil.copy(mail, first)

    def scores(db: Path) -> dict[str, float]:
        conn = sqlite3.connect(db)
        rows = conn.execute(
            "SELECT e.interaction_id, e.percent FROM evaluations e JOIN interactions i"
            " ON i.id = e.interaction_id AND e.content IS i.content"
        ).fetchall()
        conn.close()
        return dict(rows)

    qa("score", str(whole), "--scorecard", str(CARD), "--db", str(work / "conc_clean.db"))
    clean = scores(work / "conc_clean.db")
    equal = 0
    for n in range(trials):
        db = work / f"conc_{n}.db"
        runs = [
            subprocess.Popen(
                [*QA, "score", str(folder), "--scorecard", str(CARD), "--db", str(db)],
                env=ENV,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for folder in (first, whole)
        ]
        for run in runs:
            run.wait()
        equal += scores(db) == clean
    print(
        f"\n## Concurrent runs: {equal} of {trials} pairs of overlapping runs on one database "
        f"ended equal to a clean run ({len(clean)} threads)"
    )


def hostile(work: Path) -> None:
    from click.testing import CliRunner

    from qa.cli import cli

    print(f"\n## Hostile scorecards: {len(HOSTILE_SCORECARDS)}")
    evil = write_evil_chat(work / "evil.json")
    runner = CliRunner()
    runner.invoke(cli, ["score", str(evil), "--scorecard", str(CARD), "--db", str(work / "w.db")])
    slowest = 0.0
    for name, text in sorted(HOSTILE_SCORECARDS.items()):
        card = work / f"{name}.yaml"
        card.write_text(text)
        start = time.perf_counter()  # in this process: validation and scoring, no start-up
        run = runner.invoke(cli, ["scorecard", "validate", str(card)])
        if run.exit_code == 0:
            db = work / f"{name}.db"
            run = runner.invoke(
                cli, ["score", str(evil), "--scorecard", str(card), "--db", str(db)]
            )
            verdict = (
                f"validates; scores the line that hangs a backtracking engine, exit {run.exit_code}"
            )
        else:
            first = run.output.strip().splitlines()[0].replace(str(work) + "/", "")
            verdict = f"refused, exit {run.exit_code}: {first[:110]}"
        took = time.perf_counter() - start
        slowest = max(slowest, took)
        crashed = run.exception is not None and not isinstance(run.exception, SystemExit)
        print(f"- {name}: {verdict} ({took:.2f} s){' CRASHED' if crashed else ''}")
    print(f"slowest: {slowest:.2f} s (target: none over 2 s)")


def pii(work: Path) -> None:
    from tests import test_pii_everywhere as p

    inputs = work / "pii_in"
    inputs.mkdir()
    p.chat_json(inputs)
    p.chat_csv(inputs)
    p.emails(inputs)
    p.transcript(inputs)
    (inputs / "manifest.csv").write_text(
        f"file,customer_id,case_id\nexport.csv,{p.FORMS['spaced']},{p.FORMS['slashes']}\n"
        f"mail_0.eml,{p.ADDRESS},{p.FORMS['double']}\n"
    )
    config = work / "pii.yaml"
    config.write_text(
        "redact: {emails: true, phones: true, national_ids: true}\n"
        "email: {agent_domains: [shop.example]}\n"
    )
    db, out = work / "pii.db", work / "pii_out"
    out.mkdir()
    qa("score", str(inputs), "--scorecard", str(CARD), "--db", str(db), "--config", str(config))
    qa("export", "--db", str(db), "--format", "json", "--out", str(out / "x.json"))
    qa("export", "--db", str(db), "--format", "csv", "--out", str(out / "x.csv"))
    qa("report", "--db", str(db), "--out", str(out / "report"))
    files = [db, *[f for f in work.glob("pii.db*") if f != db], *out.rglob("*")]
    files = [f for f in files if f.is_file()]
    leaks = [f for f in files if p.LEAK.search(f.read_bytes())]
    fields = [
        "message",
        "split message",
        "agent id",
        "agent name",
        "team",
        "customer id",
        "case id",
        "metadata",
        "file name",
        "CSV text",
        "manifest customer id",
        "manifest case id",
        "email subject",
        "email display name",
        "email body",
        "transcript text",
        "spoken card",
    ]
    print(
        f"\n## PII: {len(p.FORMS)} card forms x {len(fields)} fields x {len(files)} output files "
        f"(database, WAL, JSON and CSV exports, report pages)"
    )
    print(f"files with a card's digits: {len(leaks)} {[str(f.name) for f in leaks]}")


def network(work: Path) -> None:
    if shutil.which("strace") is None:
        print("\n## Network: strace not installed")
        return
    run, events = traced_score(work)
    print(
        f"\n## Network: {len(events)} network socket events in a voice and text run "
        f"(exit {run.returncode})"
    )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--network", action="store_true")
    args = ap.parse_args()
    print(
        f"# Reliability, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bad_inputs(work)
        hostile(work)
        pii(work)
        kills(work, args.kills)
        concurrent(work)
        if args.network:
            network(work)


if __name__ == "__main__":
    main()
