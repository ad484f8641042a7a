"""Customer journeys: precision and recall on the journey cases, and the time to build the
journeys of 100,000 stored interactions.

    PYTHONPATH=. python bench/bench_journeys.py [--data DIR] [--details] [--size N]
                                                [--skip-dev] [--skip-timing]
                                                [--profile] [--dump FILE]

**Dev set** (``../shared/data/journey_cases`` by default, or ``--data``): the set's own
procedure, untouched. A temporary site configuration is written next to a fresh database:
the set's ``qa.yaml`` plus ``customers_file:`` pointing at the set's ``customers.yaml`` (the
set is never edited). Then ``qa ingest interactions --config TMP.yaml``, ``qa export
--format json`` and the set's ``evaluate.py`` run as a user would run them; its report is
printed whole, then the figures this bench tracks.

**Timing**: a synthetic store of ``--size`` interactions (default 100,000; six turns each,
customers with ids, phones and email addresses, several contacts per customer over eight
weeks, a tenth without any identifier) is written straight into a fresh database, then
``qa.journeys.run.rebuild`` is timed (read, identity, journeys, outcome, effort, store), wall
and CPU time of this process and of any worker processes it started.

``--profile`` runs the rebuild under cProfile instead (one process) and prints where the time
goes, split into the rebuild's stages (load, identity, build, checks, survey, store) and the
costliest functions. ``--dump FILE`` writes every journey, flag and its evidence as built
(sorted JSON; the dev set's to FILE with ``.dev.json`` for its suffix), so two versions of
the code can be compared on the same stores: the same files mean the same results.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
# The shared data folder beside the checkout (../shared), or beside a worktree's parent.
DEFAULT_DATA = next(
    (
        p / "shared" / "data" / "journey_cases"
        for p in (ROOT.parent, ROOT.parent.parent)
        if (p / "shared" / "data" / "journey_cases").exists()
    ),
    ROOT.parent / "shared" / "data" / "journey_cases",
)

ROWS = (
    "linking: all pairs",
    "linking: threads as one contact",
    "customers: pairs of one customer",
    "repeat contacts",
    "journey_inconsistency",
    "broken_promise",
    "identifier conflicts",
    "survey_gaming (agents flagged)",
)


def qa(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qa", *args], env=env, capture_output=True, text=True, check=False
    )


def dev_set(data: Path, details: bool, dump_to: Path | None = None) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        site = yaml.safe_load((data / "qa.yaml").read_text(encoding="utf-8")) or {}
        roster = data / "customers.yaml"
        if roster.exists():
            site["customers_file"] = str(roster)
        config = work / "qa.yaml"
        config.write_text(yaml.safe_dump(site, sort_keys=False), encoding="utf-8")
        env = {**os.environ, "QA_DB": str(work / "qa.db"), "PYTHONPATH": str(ROOT)}
        t0 = time.perf_counter()
        done = qa("ingest", str(data / "interactions"), "--config", str(config), env=env)
        took = time.perf_counter() - t0
        if done.returncode not in (0, 1):
            print(done.stdout, done.stderr, file=sys.stderr)
            return 2
        print(f"qa ingest: {took:.1f} s; {done.stdout.strip()}")
        print("\n".join(line for line in done.stderr.splitlines() if "Journeys" in line))
        if dump_to is not None:
            from qa.store import Store

            dump(Store(work / "qa.db"), dump_to)
        out = work / "export.json"
        exported = qa("export", "--format", "json", "--out", str(out), env=env)
        if exported.returncode:
            print(exported.stderr, file=sys.stderr)
            return 2
        args = [sys.executable, str(data / "evaluate.py"), str(out)]
        if details:
            args.append("--details")
        report = subprocess.run(args, capture_output=True, text=True, check=False).stdout
        print(report)
        print("Tracked figures (precision / recall):")
        for name in ROWS:
            m = re.search(rf"^\s+{re.escape(name)}\s+.*?(\S+)\s+(\S+)(?:\s+\(.*)?$", report, re.M)
            if m:
                print(f"  {name:<36} P {m.group(1):>5}  R {m.group(2):>5}")
        fcr = re.search(r"first-contact resolution: .*", report)
        if fcr:
            print("  " + fcr.group(0))
    return 0


# ----------------------------------------------------------------------------- timing
MATTERS = [
    "my electricity bill doubled and the meter reading on it looks wrong",
    "the broadband router keeps dropping the connection in the evenings",
    "I want to move my direct debit date to the end of the month",
    "I am moving house next month and need to close the account",
    "the smart meter stopped sending readings to the app",
    "I was charged a late payment fee although I paid on time",
    "can I switch to a fixed tariff and what does it cost",
    "there is a credit on my account and I would like it refunded",
    "the engineer did not turn up for the appointment yesterday",
    "I need a copy of my statement for the housing office",
]
REPLIES = [
    "Thanks for waiting, I have looked at the account now.",
    "I have updated that for you, it is all done.",
    "I have passed this to the team to review and they will be in touch.",
    "That is sorted, is there anything else I can help with?",
]


def synthetic_store(path: Path, size: int, seed: int = 7) -> None:
    from qa.store import Store

    rng = random.Random(seed)
    store = Store(path)
    start = datetime(2026, 1, 5, 8, tzinfo=UTC)
    customers = max(size // 3, 1)
    rows, turns = [], []
    for n in range(size):
        cust = rng.randrange(customers)
        matter = (cust * 7 + rng.randrange(2)) % len(MATTERS)
        when = start + timedelta(minutes=rng.randrange(8 * 7 * 24 * 60))
        unknown = rng.random() < 0.1
        meta = {} if unknown else {"phone": f"07700 9{cust:05d}"[:13]}
        iid = f"s{n:07d}"
        channel = ("chat", "voice", "email")[n % 3]
        rows.append(
            (
                iid,
                channel,
                f"synthetic/{iid}",
                f"agent{rng.randrange(200)}",
                f"team{rng.randrange(10)}",
                None if unknown or rng.random() < 0.5 else f"CU-{cust}",
                None,
                "outbound" if rng.random() < 0.05 else "inbound",
                when.isoformat(),
                "ingested",
                json.dumps(meta),
            )
        )
        sender = None if channel != "email" or unknown else f"customer{cust}@example.com"
        said = [
            ("customer", MATTERS[matter], sender),
            ("agent", REPLIES[rng.randrange(len(REPLIES))], None),
            ("customer", "ok, and how long will that take?", sender),
            ("agent", REPLIES[rng.randrange(len(REPLIES))], None),
            ("customer", "thanks for your help", sender),
            ("agent", "You're welcome, have a good day.", None),
        ]
        for idx, (role, text, who) in enumerate(said):
            turns.append((iid, idx, role, who or role, float(idx * 20), text))
    conn = store.conn
    conn.execute("DROP TRIGGER IF EXISTS turns_ai")  # the FTS index is not what is timed
    with store.transaction() as c:
        c.executemany(
            "INSERT INTO interactions (id, channel, source, agent_id, team, customer_id,"
            " case_id, direction, started_at, status, metadata) VALUES"
            " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        c.executemany(
            "INSERT INTO turns (interaction_id, idx, role, speaker, start, text)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            turns,
        )
    store.close()


STAGES = {
    "load": "qa/journeys/run.py:.*\\(load\\)",
    "identity": "qa/journeys/identity.py:.*\\(resolve\\)",
    "build": "qa/journeys/build.py:.*\\(build\\)",
    "checks": "qa/journeys/run.py:.*\\(checks\\)",
    "survey": "qa/journeys/run.py:.*\\(survey\\)",
    "store": "qa/journeys/run.py:.*\\(_save\\)",
}


def profiled(store: Any, config: Any) -> Any:
    """The rebuild under cProfile: the stages' share of the time, then the costliest
    functions by their own time."""
    import cProfile
    import io
    import pstats

    from qa.journeys.run import rebuild

    # CPU time, not wall time: the split stays meaningful on a machine others are using.
    prof = cProfile.Profile(time.process_time)
    summary = prof.runcall(rebuild, store, config, workers=1)
    stats = pstats.Stats(prof)
    total = max(stats.total_tt, 1e-9)  # type: ignore[attr-defined]
    print(f"profile (CPU time of one process, cProfile's overhead included): {total:.1f} s")
    for stage, pattern in STAGES.items():
        rx = re.compile(pattern)
        cum = sum(
            v[3]
            for (f, line, name), v in stats.stats.items()  # type: ignore[attr-defined]
            if rx.search(f"{f}:{line}({name})".replace(os.sep, "/"))
        )
        print(f"  {stage:<9} {cum:7.1f} s  {100 * cum / total:5.1f} %")
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(15)
    print("\n".join(buf.getvalue().splitlines()[6:]))
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_callers(r"method 'search'")
    print("\n".join(buf.getvalue().splitlines()[6:22]))
    return summary


def dump(store: Any, path: Path) -> None:
    """Every journey, its contacts, flags and their evidence, identity and conflicts, as
    sorted JSON: the same file from two builds means the same results."""
    from qa.journeys import read

    summary = read.summary(store)
    for key in ("built_at", "inputs", "counts"):  # when, from what, and the counts again
        summary.pop(key, None)
    found = read.journeys(store)
    for j in found:
        for f in j["flags"]:
            f.pop("status", None)
    payload = {
        "journeys": found,
        "flags": read.flags_by_interaction(store),
        "conflicts": read.conflicts(store),
        "customers": [list(r) for r in store.conn.execute("SELECT * FROM customers ORDER BY key")],
        "identifiers": [
            list(r)
            for r in store.conn.execute(
                "SELECT * FROM customer_identifiers ORDER BY customer, kind, value"
            )
        ],
        "summary": summary,
    }
    path.write_text(json.dumps(payload, indent=1, sort_keys=True, default=str), encoding="utf-8")
    print(f"journeys, flags and evidence written to {path}")


def _child_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def timing(size: int, profile: bool = False, dump_to: Path | None = None) -> None:
    from qa.config import Config
    from qa.journeys.run import rebuild
    from qa.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.db"
        t0 = time.perf_counter()
        synthetic_store(path, size)
        print(
            f"synthetic store of {size:,} interactions written in {time.perf_counter() - t0:.0f} s"
        )
        store = Store(path)
        t0, c0, k0 = time.perf_counter(), time.process_time(), _child_cpu()
        summary = profiled(store, Config()) if profile else rebuild(store, Config())
        wall = time.perf_counter() - t0
        cpu = time.process_time() - c0 + _child_cpu() - k0
        if dump_to is not None:
            dump(store, dump_to)
        print(
            f"journeys built over {summary.contacts:,} interactions: {wall:.1f} s wall, "
            f"{cpu:.1f} s CPU; {summary.journeys:,} journeys ({summary.multi_contact:,} with "
            f"several contacts), {summary.customers:,} customers, {summary.unlinked:,} "
            f"unlinked, {summary.repeats:,} repeats (target: 60 s on 2 cores)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--details", action="store_true")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--skip-dev", action="store_true")
    parser.add_argument("--skip-timing", action="store_true")
    parser.add_argument(
        "--profile", action="store_true", help="profile the rebuild (one process) by stage"
    )
    parser.add_argument(
        "--dump", type=Path, help="write the built journeys, flags and evidence to this file"
    )
    args = parser.parse_args()
    print(f"{datetime.now(UTC):%Y-%m-%d}, {os.cpu_count()} cores, {platform.machine()}")
    rc = 0
    if not args.skip_dev:
        if not (args.data / "evaluate.py").exists():
            print(f"no journey cases at {args.data}", file=sys.stderr)
            return 2
        dev_dump = args.dump.with_suffix(".dev.json") if args.dump else None
        rc = dev_set(args.data, args.details, dev_dump)
    if not args.skip_timing:
        timing(args.size, args.profile, args.dump)
    return rc


if __name__ == "__main__":
    sys.exit(main())
