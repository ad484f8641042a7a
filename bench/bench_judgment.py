"""Agreement with the expert on the judgment cases, per criterion type, plus scoring speed.

    PYTHONPATH=. python bench/bench_judgment.py [--set DIR] [--cards DIR] [--hv-db FILE]
                       [--half a|b] [--adopt a|b [--keep-cards DIR]] [--cached] [--details]

Each company's contacts are ingested once into a database kept in the work folder
under a digest of the set's path and of every file of the `qa` package (ingest is not
scoring; a database ingested by other code is never reused); every run then scores a fresh copy with no vectors and no evaluations
stored (the first-scoring speed), exports it as `qa export` does, and hands the
exports to the set's own, unedited `evaluate.py` and cards. `--cached` keeps
sentence vectors between runs (the speed is then the rescoring speed). The
Harper Valley calls need speech recognition: pass a database where `qa score`
has already transcribed them (--hv-db), or they are left out.

`--half a|b` keeps only the interactions of that half (a stable split by
interaction id) in the figures. `--adopt a` runs the trainer's loop on copies of
the set's cards: score, `qa calibrate --adopt` from half a's labels, rescore,
and print both halves before and after; half b taught nothing.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from qa.calibrate import run_calibration
from qa.config import load_config
from qa.export import export_json
from qa.ingest.batch import ingest
from qa.matching import Matcher
from qa.scorecard.load import load_scorecard
from qa.scoring import score_interactions
from qa.store import Store

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "qa"
DEFAULT_SET = Path("/work/shared/data/judgment_cases")
COMPANIES = {
    "tl": ("tideline", "tideline_inbound_care.yaml"),
    "hs": ("harbourstone", "harbourstone_claims_renewals.yaml"),
    "ml": ("meadowlark", "meadowlark_billing_moves.yaml"),
    "hv": ("harper_valley", "harper_valley_service.yaml"),
}


def half_of(interaction_id: str) -> str:
    """A stable split of the labelled interactions into halves a and b."""
    return "a" if hashlib.sha1(interaction_id.encode()).digest()[0] % 2 == 0 else "b"


def card_path(cards: Path | None, data: Path, name: str) -> Path:
    ours = cards / name if cards else None
    return ours if ours is not None and ours.exists() else data / "scorecards" / name


def code_digest(package: Path = PACKAGE) -> str:
    """A digest of every file of the package (its source and its data, not its caches):
    what ingest reads and runs, and so what an ingested database depends on."""
    h = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            h.update(path.relative_to(package).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:16]


def ingested_db(data: Path, work: Path, key: str) -> Path | None:
    """The company's contacts ingested once into a database kept in `work`, under a name
    that says which set and which code made it: a database made by other code (or from
    another set) is never reused. Older ones are left where they are (another run, of
    other code, may be reading them)."""
    folder, _ = COMPANIES[key]
    if key == "hv":
        return None
    global _digest
    if _digest is None:
        _digest = code_digest()
    made_by = hashlib.sha256(f"{data.resolve()}\0{_digest}".encode()).hexdigest()[:16]
    path = work / f"{key}.ingested.{made_by}.db"
    if path.exists():
        return path
    partial = path.with_suffix(f".{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    store = Store(partial)
    try:
        cfg = load_config(data / folder / "qa.yaml")
        ingest([data / folder], store, cfg, data / folder / "manifest.csv")
    finally:
        store.close()
    partial.replace(path)  # a run killed while ingesting leaves no database to reuse
    return path


_digest: str | None = None  # code_digest() of this process, computed once


def fresh_copy(src: Path, dst: Path) -> Store:
    """A copy of an ingested database without evaluations or sentence vectors."""
    shutil.copy(src, dst)
    store = Store(dst)
    with store.transaction() as conn:
        for table in ("criterion_results", "evaluations", "embeddings"):
            if store.db[table].exists():
                conn.execute(f"DELETE FROM {table}")
    return store


def score_all(
    args: argparse.Namespace, cards: Path | None, tmp: Path, tag: str, adopt_from: Path | None
) -> tuple[list[Path], dict[str, tuple[int, float]]]:
    """Score every company with its card; export; with `adopt_from` (a label file), then
    run `qa calibrate --adopt` on the card (a copy under `cards`) from those labels."""
    data: Path = args.set
    work = Path(args.work)
    exports: list[Path] = []
    timings: dict[str, tuple[int, float]] = {}
    matcher = Matcher()
    matcher.embedder.embed(["warm up"])  # the model load is not part of the scoring speed
    for key, (_, card_name) in COMPANIES.items():
        src = Path(args.hv_db) if key == "hv" and args.hv_db else ingested_db(data, work, key)
        if src is None or not src.exists():
            print(f"{key}: no database, left out", file=sys.stderr)
            continue
        store = fresh_copy(src, tmp / f"{key}.{tag}.db")
        path = card_path(cards, data, card_name)
        card = load_scorecard(path)
        items = [i for i in store.load_interactions() if i.turns]
        vectors = Store(work / "vectors.db") if args.cached else store
        fresh = Matcher(type(matcher.embedder)(vectors=vectors), vectors=vectors)
        for loaded in ("_model", "_tokenizer", "_inputs"):  # the model load is not scoring
            if hasattr(matcher.embedder, loaded):
                setattr(fresh.embedder, loaded, getattr(matcher.embedder, loaded))
        start = time.perf_counter()
        score_interactions(store, items, card, fresh)
        timings[key] = (len(items), time.perf_counter() - start)
        out = work / f"{key}.{tag}.export.json"  # kept for evaluate.py --details
        out.write_text(export_json(store), encoding="utf-8")
        if adopt_from is not None:
            cal = run_calibration(store, adopt_from, path, None, adopt=True)
            print(f"{key}: adopted {cal.adopted} example(s) into {path.name}", file=sys.stderr)
        store.close()
        exports.append(out)
    return exports, timings


def half_labels(data: Path, tmp: Path, half: str | None) -> Path:
    labels = data / "human_labels.csv"
    if not half:
        return labels
    with labels.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    keep = tmp / f"labels.{half}.csv"
    with keep.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([rows[0]] + [r for r in rows[1:] if half_of(r[0]) == half])
    return keep


def evaluate(args: argparse.Namespace, exports: list[Path], labels: Path, tmp: Path) -> Any:
    figures = tmp / "figures.json"
    cmd = [sys.executable, str(args.set / "evaluate.py"), *map(str, exports)]
    cmd += ["--labels", str(labels), "--json", str(figures)]
    if args.details:
        cmd.append("--details")
    done = subprocess.run(cmd, capture_output=True, text=True)
    if args.details or args.verbose:
        print(done.stdout)
    return json.loads(figures.read_text(encoding="utf-8"))


def run(args: argparse.Namespace) -> dict[str, object]:
    Path(args.work).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if not args.adopt:
            exports, timings = score_all(args, args.cards, tmp, "run", None)
            result = evaluate(args, exports, half_labels(args.set, tmp, args.half), tmp)
            return {"figures": result, "timings": timings}
        # The adopt loop on copies of the set's own cards: teach from one half, measure both.
        copies = tmp / "cards"
        shutil.copytree(args.set / "scorecards", copies)
        taught, held = args.adopt, "b" if args.adopt == "a" else "a"
        taught_labels = half_labels(args.set, tmp, taught)
        held_labels = half_labels(args.set, tmp, held)
        exports, timings = score_all(args, copies, tmp, "before", taught_labels)
        before = {
            h: evaluate(args, exports, lab, tmp)
            for h, lab in ((taught, taught_labels), (held, held_labels))
        }
        exports, _ = score_all(args, copies, tmp, "after", None)
        after = {
            h: evaluate(args, exports, lab, tmp)
            for h, lab in ((taught, taught_labels), (held, held_labels))
        }
        if args.keep_cards:
            shutil.copytree(copies, args.keep_cards, dirs_exist_ok=True)
        return {"before": before, "after": after, "timings": timings, "taught": taught}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", type=Path, default=DEFAULT_SET)
    ap.add_argument("--cards", type=Path, default=ROOT / "bench" / "judgment_cards")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "qa-judgment"))
    ap.add_argument("--hv-db", help="a database where the Harper Valley calls are transcribed")
    ap.add_argument("--half", choices=["a", "b"], help="figures on this half only")
    ap.add_argument(
        "--adopt",
        choices=["a", "b"],
        help="adopt this half's disagreements into copies of the set's cards, then rescore",
    )
    ap.add_argument("--keep-cards", type=Path, help="with --adopt: keep the taught card copies")
    ap.add_argument("--details", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument(
        "--cached", action="store_true", help="keep sentence vectors between runs (no speed figure)"
    )
    args = ap.parse_args()
    out = run(args)
    print(f"# judgment cases, {date.today()}, {platform.machine()}, {os.cpu_count()} cores")
    if args.adopt:
        for half in (out["taught"], "b" if out["taught"] == "a" else "a"):
            role = "taught" if half == out["taught"] else "held out"
            for when in ("before", "after"):
                o = out[when][half]["overall"]  # type: ignore[index]
                print(
                    f"half {half} ({role}), {when} adopting: applicable kappa "
                    f"{o['applicable_kappa']:.2f} ({o['applicable_pairs']} pairs), "
                    f"overall {o['kappa']:.2f}"
                )
            print(summary(out["after"][half]))  # type: ignore[index]
    else:
        print(summary(out["figures"]))  # type: ignore[arg-type]
    for key, (n, secs) in out["timings"].items():  # type: ignore[attr-defined]
        print(f"{key}: {n} interactions scored in {secs:.1f} s ({n / secs:.1f}/s)")


def summary(fig: dict[str, Any]) -> str:
    """Overall and applicable kappa, then applicable kappa per type and per criterion."""

    def k(x: float | None) -> str:
        return "undef" if x is None else f"{x:.2f}"

    lines = []
    for name in ("overall",):
        o = fig[name]
        lines.append(
            f"overall: {o['pairs']} pairs, kappa {k(o.get('kappa'))}; applicable: "
            f"{o.get('applicable_pairs')} pairs, kappa {k(o.get('applicable_kappa'))}"
        )
    for group in ("by_type", "by_criterion"):
        lines.append(f"{group}: applicable pairs, kappa")
        for key, v in sorted(fig.get(group, {}).items()):
            lines.append(
                f"  {key:32} {v.get('applicable_pairs', 0):4} {k(v.get('applicable_kappa'))}"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
