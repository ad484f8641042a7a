"""The reliability suite: every kind of bad input fails alone with its reason, and every
hostile scorecard is refused or scores in bounded time. bench/bench_reliability.py prints
the same probes as figures (with the slow parts: kill -9 points and the network)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import cli
from tests.reliability_probes import (
    BAD_INPUTS,
    GOOD_INPUTS,
    HOSTILE_SCORECARDS,
    write_evil_chat,
    write_inputs,
)


@pytest.fixture(scope="module")
def probes(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("probes")
    write_inputs(folder)
    return folder, folder.parent / "probes.db"


def ingest(folder: Path, db: Path) -> tuple[int, dict]:
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(db), "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_at_least_fifty_kinds_of_bad_input_across_every_format() -> None:
    assert len(BAD_INPUTS) >= 50
    assert {Path(n).suffix for n in BAD_INPUTS} >= {
        ".json",
        ".csv",
        ".txt",
        ".eml",
        ".mbox",
        ".vtt",
        ".srt",
        ".wav",
        ".mp3",
        ".flac",
    }


def test_every_bad_input_fails_alone_with_its_reason(probes: tuple[Path, Path]) -> None:
    folder, db = probes
    code, out = ingest(folder, db)
    assert code == 1
    reasons = {Path(f["source"]).name: f["reason"] for f in out["failures"]}
    assert set(reasons) == set(BAD_INPUTS)
    unexplained = {n: r for n, r in reasons.items() if not r or r.startswith("unexpected error")}
    assert unexplained == {}
    assert len(out["interaction_ids"]) == len(GOOD_INPUTS)
    # a rerun reads nothing twice and fails the same files the same way
    code, again = ingest(folder, db)
    assert code == 1
    assert {Path(f["source"]).name: f["reason"] for f in again["failures"]} == reasons
    assert again["interactions"] == 0 and again["skipped"] == len(GOOD_INPUTS)


@pytest.mark.parametrize("name", sorted(HOSTILE_SCORECARDS))
def test_a_hostile_scorecard_is_refused_or_bounded(name: str, tmp_path: Path) -> None:
    card = tmp_path / f"{name}.yaml"
    card.write_text(HOSTILE_SCORECARDS[name])
    start = time.perf_counter()
    result = CliRunner().invoke(cli, ["scorecard", "validate", str(card)])
    if result.exit_code == 0:
        # It validates: then scoring the line that makes a backtracking engine hang must end.
        chat = write_evil_chat(tmp_path / "evil.json")
        result = CliRunner().invoke(
            cli, ["score", str(chat), "--scorecard", str(card), "--db", str(tmp_path / "q.db")]
        )
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 2, result.output
        assert f"{name}.yaml" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert time.perf_counter() - start < 30  # a guard against a hang, not a timing
