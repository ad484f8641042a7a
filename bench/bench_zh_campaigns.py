"""Chinese campaign checks and redaction, measured on a Chinese set laid out like
../shared/data/zh_cases (interactions/ with manifest.csv, campaigns/, qa.yaml,
campaign_expected.json, never_in_output.json, evaluate.py):

    .venv/bin/python bench/bench_zh_campaigns.py [--set DIR] [--lexical] [--details]

1. Campaign flags: the set's interactions are ingested by qa's own ingest (its manifest and
   site configuration, redaction on), checked against the set's campaigns by
   qa.campaigns.check, written as `qa export --format json` writes flags, and scored by the
   set's own evaluate.py: precision and recall per flag kind (flags held for review are not
   counted, as in the export the set reads). `--lexical` checks without the text model.
2. PII: the same interactions go through `qa ingest`, `qa export` (JSON and CSV) and
   `qa report` into a fresh folder, and the set's `evaluate.py --scan` searches the database,
   its WAL, the exports and every report page for the strings of never_in_output.json.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_SET = ROOT.parent.parent / "shared" / "data" / "zh_cases"
if not DEFAULT_SET.exists():
    DEFAULT_SET = ROOT.parent / "shared" / "data" / "zh_cases"


def _ingest(folder: Path, db: Path) -> list[Any]:
    from qa.config import load_config
    from qa.ingest.batch import ingest
    from qa.store import Store

    store = Store(db)
    cfg = load_config(folder / "qa.yaml")
    with contextlib.redirect_stderr(io.StringIO()):
        report = ingest(
            [folder / "interactions"], store, cfg, folder / "interactions" / "manifest.csv"
        )
    for f in report.failures:
        print(f"ingest failure: {f.source}: {f.reason}")
    items = store.load_interactions()
    store.close()
    return items


def campaign_figures(folder: Path, lexical: bool, details: bool) -> None:
    from qa.campaigns.check import check_interaction
    from qa.campaigns.schema import load_campaigns
    from qa.config import load_config

    campaigns = load_campaigns(folder / "campaigns")
    tz = load_config(folder / "qa.yaml").timezone
    matcher = None
    if not lexical:
        from qa.matching import Matcher

        matcher = Matcher()
        matcher.embedder.embed(["warm up"])
    with tempfile.TemporaryDirectory(prefix="bench_zh_") as tmp:
        items = _ingest(folder, Path(tmp) / "qa.db")
        for it in items[:3]:
            check_interaction(it, campaigns, matcher, tz)  # lazy imports, caches
        t0 = time.perf_counter()
        flags = {it.id: check_interaction(it, campaigns, matcher, tz) for it in items}
        per = (time.perf_counter() - t0) / max(1, len(items))
        export = {
            "interactions": [
                {
                    "id": it.id,
                    "source": it.source,
                    "flags": [
                        {**asdict(f), "evidence": [asdict(e) for e in f.evidence]}
                        for f in flags[it.id]
                        if str(f.status) != "review"
                    ],
                }
                for it in items
            ]
        }
        path = Path(tmp) / "export.json"
        path.write_text(json.dumps(export, ensure_ascii=False, default=str), encoding="utf-8")
        args = [sys.executable, str(folder / "evaluate.py"), str(path)]
        out = subprocess.run(
            args + (["--details"] if details else []), capture_output=True, text=True
        )
    review = sum(1 for fs in flags.values() for f in fs if str(f.status) == "review")
    model = "lexical (no text model)" if lexical else "with the default text model"
    print(f"\n## campaign flags, {len(items)} interactions, {model}")
    print(f"time per interaction: {per * 1000:.1f} ms; {review} flags held for review, not counted")
    lines = out.stdout.splitlines()
    start = next((i for i, ln in enumerate(lines) if "ampaign" in ln), 0)
    print("\n".join(lines[start:]))
    if out.returncode:
        print(out.stderr[-2000:])


def pii_check(folder: Path) -> int:
    cli = [sys.executable, str(ROOT / "cli.py")]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryDirectory(prefix="bench_zh_pii_") as tmp:
        db, out = Path(tmp) / "qa.db", Path(tmp) / "out"
        steps = [
            ["ingest", str(folder / "interactions"), "--db", str(db), "--config",
             str(folder / "qa.yaml"), "--manifest", str(folder / "interactions" / "manifest.csv")],
            ["export", "--db", str(db), "--format", "json", "--out", str(out / "x.json")],
            ["export", "--db", str(db), "--format", "csv", "--out", str(out / "x.csv")],
            ["report", "--db", str(db), "--out", str(out / "report")],
        ]  # fmt: skip
        out.mkdir()
        for step in steps:
            r = subprocess.run(cli + step, capture_output=True, text=True, env=env)
            if r.returncode:
                print(f"qa {step[0]} failed: {r.stderr[-1000:]}")
                return 1
        paths = [p for p in Path(tmp).iterdir()]
        scan = subprocess.run(
            [sys.executable, str(folder / "evaluate.py"), "--scan", *map(str, paths)],
            capture_output=True,
            text=True,
        )
    never = json.loads((folder / "never_in_output.json").read_text(encoding="utf-8"))
    print(f"\n## PII: {len(never['strings'])} strings of never_in_output.json")
    print("searched: the database and its WAL, the JSON and CSV exports, every report page")
    print(scan.stdout.strip() or "(no output)")
    print("PII check:", "PASS (none found)" if scan.returncode == 0 else "FAIL")
    return scan.returncode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", type=Path, default=DEFAULT_SET)
    ap.add_argument("--lexical", action="store_true", help="campaign checks without the model")
    ap.add_argument("--details", action="store_true", help="every missed and extra flag")
    ap.add_argument("--no-pii", action="store_true", help="skip the PII check")
    args = ap.parse_args()
    if not (args.set / "campaign_expected.json").exists():
        sys.exit(f"no Chinese set at {args.set} (campaign_expected.json missing)")
    print(f"# Chinese campaign checks and PII, {date.today()}, {platform.machine()}, "
          f"{os.cpu_count()} cores")  # fmt: skip
    campaign_figures(args.set, args.lexical, args.details)
    if not args.no_pii:
        sys.exit(pii_check(args.set))


if __name__ == "__main__":
    main()
