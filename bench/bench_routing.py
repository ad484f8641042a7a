"""Work-type detection accuracy: per work type, overall, and the confusion between types.

    PYTHONPATH=. python bench/bench_routing.py [--sets own,judgment,campaign] [--lexical]
                       [--details] [--data DIR]

Sets:
- `own`: tests/data/routing/set, 66 contacts labelled before the detector was tuned
  (work type, direction, contact reason);
- `judgment`: ../shared/data/judgment_cases, its manifests' `work_type` mapped onto the
  taxonomy by bench/routing_dev_mapping.yaml (the Harper Valley calls from their reference
  transcripts, as a person heard them);
- `campaign`: ../shared/data/campaign_cases, `direction` only (it has no work types).

Every contact is ingested as `qa ingest` does, then its `direction`, `work_type` and `queue`
are hidden from detection, and `decide()` runs on the whole set in one batch with the text
model scoring uses (`--lexical`: the tests' word-hashing stand-in instead). Figures are
exact; the time is the machine's and its load's.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from qa.config import load_config
from qa.ingest.batch import ingest
from qa.model import Interaction, Turn
from qa.routing.detect import decide
from qa.routing.taxonomy import load_taxonomy
from qa.store import Store

ROOT = Path(__file__).resolve().parent.parent
OWN = ROOT / "tests" / "data" / "routing" / "set"
MAPPING = Path(__file__).with_name("routing_dev_mapping.yaml")
DATA = Path(os.environ.get("QA_SHARED_DATA", "/work/shared/data"))
HIDDEN = ("work_type", "queue", "contact_reason")


@dataclass
class Case:
    item: Interaction
    work_type: str | None  # None where the set has no work types
    direction: str | None
    reason: str | None = None


def _hide(item: Interaction) -> Interaction:
    item.direction = None
    for key in HIDDEN:
        item.metadata.pop(key, None)
    return item


def _ingest(paths: list[Path], config_path: Path, manifest: Path | None, db: Path) -> Store:
    store = Store(db)
    report = ingest(paths, store, load_config(config_path), manifest_path=manifest)
    if report.failures:
        raise SystemExit(f"could not ingest: {[(f.source, f.reason) for f in report.failures]}")
    return store


def _by_source(store: Store) -> dict[str, Interaction]:
    out = {}
    for item in store.load_interactions():
        out[Path(item.source).name] = item
    return out


def own_set(work: Path) -> list[Case]:
    store = _ingest(
        [OWN / "calls", OWN / "chats", OWN / "emails"],
        OWN / "qa.yaml",
        OWN / "manifest.csv",
        work / "own.db",
    )
    items = _by_source(store)
    cases = []
    with open(OWN / "labels.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            item = items[Path(row["file"]).name]
            cases.append(
                Case(_hide(item), row["work_type"], row["direction"], row["contact_reason"])
            )
    store.close()
    return cases


def _manifest_rows(path: Path) -> dict[str, dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return {r["file"]: r for r in csv.DictReader(fh)}


def _harper_valley(rows: dict[str, dict[str, str]]) -> list[tuple[Interaction, str]]:
    out = []
    for name in rows:
        sid = name.split(".")[0]
        ref = DATA / "harper_valley_bank" / "ref" / f"{sid}.turns.json"
        data = json.loads(ref.read_text(encoding="utf-8"))
        turns = [
            Turn("agent" if t["role"] == "agent" else "customer", t["text"], t["start"], t["end"])
            for t in data["turns"]
        ]
        out.append((Interaction(id=sid, channel="voice", source=name, turns=turns), name))
    return out


def judgment_set(work: Path, mapping: dict[str, Any]) -> list[Case]:
    root = DATA / "judgment_cases"
    cases = []
    for company, types in mapping["judgment_cases"].items():
        folder = root / company
        rows = _manifest_rows(folder / "manifest.csv")
        if company == "harper_valley":
            pairs = _harper_valley(rows)
        else:
            store = _ingest(
                [folder], folder / "qa.yaml", folder / "manifest.csv", work / f"{company}.db"
            )
            items = _by_source(store)
            store.close()
            pairs = [(items[name], name) for name in rows if name in items]
        for item, name in pairs:
            row = rows[name]
            truth = types[row["work_type"]]
            cases.append(Case(_hide(item), truth, row["direction"]))
    return cases


def campaign_set(work: Path) -> list[Case]:
    root = DATA / "campaign_cases"
    manifest = root / "interactions" / "manifest.csv"
    rows = {Path(k).name: v for k, v in _manifest_rows(manifest).items()}
    store = _ingest([root / "interactions"], root / "qa.yaml", manifest, work / "campaign.db")
    items = _by_source(store)
    store.close()
    return [Case(_hide(items[n]), None, rows[n]["direction"]) for n in rows if n in items]


class CachedEmbedder:
    """The text model, with its vectors kept in a file between runs of the bench."""

    def __init__(self, inner: Any, path: Path):
        import numpy as np

        self.inner = inner
        self.model_name = getattr(inner, "model_name", "?")
        self.path = path
        self.vectors: dict[str, Any] = {}
        if path.is_file():
            data = np.load(path, allow_pickle=False)
            self.vectors = dict(zip(data["texts"].tolist(), data["vectors"], strict=True))

    def embed(self, texts: list[str]) -> Any:
        import numpy as np

        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            for t, v in zip(missing, self.inner.embed(missing), strict=True):
                self.vectors[t] = v
            keys = list(self.vectors)
            np.savez(
                self.path, texts=np.array(keys), vectors=np.stack([self.vectors[k] for k in keys])
            )
        return np.stack([self.vectors[t] for t in texts]) if texts else np.zeros((0, 384))


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for k, r in enumerate(rows):
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
        if k == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def report(
    name: str, cases: list[Case], decisions: list[Any], equiv: dict[str, str]
) -> dict[str, Any]:
    out: dict[str, Any] = {"set": name, "contacts": len(cases)}
    typed = [(c, d) for c, d in zip(cases, decisions, strict=True) if c.work_type]
    if typed:
        per: dict[str, list[bool]] = defaultdict(list)
        confusion: Counter[tuple[str, str]] = Counter()
        for c, d in typed:
            assert c.work_type is not None
            ok = d.work_type.value == c.work_type
            per[c.work_type].append(ok)
            if not ok:
                confusion[(c.work_type, d.work_type.value)] += 1
        right = sum(sum(v) for v in per.values())
        out["overall"] = right / len(typed)
        out["per_type"] = {t: (sum(v) / len(v), len(v)) for t, v in sorted(per.items())}
        out["confusion"] = confusion
    right_dir = 0
    dir_misses: Counter[tuple[str, str, str]] = Counter()
    for c, d in zip(cases, decisions, strict=True):
        got = d.direction.value
        want = c.direction
        if got == want or equiv.get(got) == want:
            right_dir += 1
        else:
            dir_misses[(c.item.channel, str(want), got)] += 1
    out["direction_misses"] = dir_misses
    out["direction"] = right_dir / len(cases) if cases else 0.0
    reasons = [(c, d) for c, d in zip(cases, decisions, strict=True) if c.reason]
    if reasons:
        out["reason"] = sum(d.contact_reason.value == c.reason for c, d in reasons) / len(reasons)
    out["defaults"] = sum(d.work_type.source == "default" for d in decisions)
    out["detected_types"] = Counter(d.work_type.value for d in decisions)
    return out


def show(r: dict[str, Any]) -> None:
    print(f"\n## {r['set']}: {r['contacts']} contacts")
    if "overall" in r:
        print(f"work type accuracy: {r['overall']:.3f}")
        rows = [["work type", "n", "accuracy"]]
        for t, (acc, n) in r["per_type"].items():
            rows.append([t, str(n), f"{acc:.2f}"])
        print(_table(rows))
        if r["confusion"]:
            print("confusion (true → detected: count):")
            for (t, p), n in sorted(r["confusion"].items(), key=lambda kv: (-kv[1], kv[0])):
                print(f"  {t} → {p}: {n}")
        else:
            print("confusion: none")
    print(f"direction accuracy: {r['direction']:.3f}")
    for (channel, want, got), n in sorted(r["direction_misses"].items()):
        print(f"  {channel}: {want} → {got}: {n}")
    if "reason" in r:
        print(f"contact reason accuracy: {r['reason']:.3f}")
    print(f"sent to the default (below the bar): {r['defaults']}")
    if "overall" not in r:
        print("detected types:", dict(r["detected_types"].most_common()))


def details(cases: list[Case], decisions: list[Any]) -> None:
    for c, d in zip(cases, decisions, strict=True):
        wrong = (c.work_type and d.work_type.value != c.work_type) or (
            c.direction and d.direction.value not in (c.direction, "callback")
        )
        if not wrong:
            continue
        print(
            f"  {Path(c.item.source).name}: want {c.work_type}/{c.direction}, got "
            f"{d.work_type.value} {d.work_type.confidence} / {d.direction.value}"
        )
        from qa.routing.detect import SCORES

        sc = SCORES.get(c.item.id, {})
        top = sorted(sc.get("types", {}).items(), key=lambda kv: -kv[1])[:3]
        print("      types:", ", ".join(f"{k} {v:.2f}" for k, v in top))
        print(
            "      directions:",
            ", ".join(f"{k} {v:.2f}" for k, v in sc.get("directions", {}).items()),
        )
        for clue in d.evidence:
            print(f"      t{clue.turn} {clue.supports} {clue.score}: {clue.quote[:90]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default="own,judgment,campaign")
    ap.add_argument("--lexical", action="store_true", help="the tests' stand-in embedder")
    ap.add_argument("--details", action="store_true", help="print every miss with its clues")
    ap.add_argument(
        "--half",
        choices=["a", "b"],
        help="own set: only contacts r01, r03, … (a) or r02, r04, … (b); tune on a, report b",
    )
    ap.add_argument("--cache", type=Path, help="keep sentence vectors in this .npz between runs")
    args = ap.parse_args(argv)
    mapping = yaml.safe_load(MAPPING.read_text(encoding="utf-8"))
    equiv = mapping.get("direction_equivalents", {})
    embedder = None
    if args.lexical:
        sys.path.insert(0, str(ROOT))
        from tests.text_model import LexicalEmbedder

        embedder = LexicalEmbedder()
    else:
        from qa.models.text import TextEmbedder

        embedder = TextEmbedder()
        if args.cache:
            embedder = CachedEmbedder(embedder, args.cache)
    taxonomy = load_taxonomy()
    print(
        f"# bench_routing, {date.today()}, {platform.machine()}, {os.cpu_count()} cores, "
        f"embedder {getattr(embedder, 'model_name', '?')}"
    )
    wanted = args.sets.split(",")
    total_time = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        loaders = {
            "own": lambda: own_set(work),
            "judgment": lambda: judgment_set(work, mapping),
            "campaign": lambda: campaign_set(work),
        }
        for name in wanted:
            cases = loaders[name]()
            if name == "own" and args.half:
                parity = 1 if args.half == "a" else 0
                cases = [c for c in cases if int(Path(c.item.source).name[1:3]) % 2 == parity]
            t0 = time.perf_counter()
            decisions = decide([c.item for c in cases], taxonomy, embedder=embedder)
            total_time += time.perf_counter() - t0
            r = report(name, cases, decisions, equiv)
            show(r)
            if args.details:
                details(cases, decisions)
    print(f"\ndetection time, all sets: {total_time:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
