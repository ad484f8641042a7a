"""Work-type detection with the real text model on the labelled set (tests/data/routing/set):
an accuracy floor, per work type and overall. The figures are measured by
bench/bench_routing.py and reported in the README."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from qa.config import load_config
from qa.ingest.batch import ingest
from qa.routing.detect import decide
from qa.store import Store

SET = Path(__file__).parent / "data" / "routing" / "set"


@pytest.mark.models
def test_real_model_on_the_labelled_set(tmp_path: Path) -> None:
    store = Store(tmp_path / "qa.db")
    report = ingest(
        [SET / "calls", SET / "chats", SET / "emails"],
        store,
        load_config(SET / "qa.yaml"),
        manifest_path=SET / "manifest.csv",
    )
    assert not report.failures
    items = {Path(i.source).name: i for i in store.load_interactions()}
    with open(SET / "labels.csv", encoding="utf-8") as fh:
        labels = list(csv.DictReader(fh))
    cases = [(items[Path(row["file"]).name], row) for row in labels]
    decisions = decide([item for item, _ in cases])
    per_type: dict[str, list[bool]] = defaultdict(list)
    directions = 0
    for (_, row), d in zip(cases, decisions, strict=True):
        per_type[row["work_type"]].append(d.work_type.value == row["work_type"])
        directions += d.direction.value == row["direction"]
    overall = sum(sum(v) for v in per_type.values()) / len(cases)
    assert len(cases) == 66
    assert overall >= 0.9, overall
    assert directions / len(cases) >= 0.95
    worst = min(per_type, key=lambda t: sum(per_type[t]) / len(per_type[t]))
    assert sum(per_type[worst]) / len(per_type[worst]) >= 0.8, worst
    store.close()
