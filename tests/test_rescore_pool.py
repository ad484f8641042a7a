"""`qa rescore` in a pool of forked processes: the same results as in one process, written
by the parent in the interactions' order; a worker's error or death stops the run clearly,
and a rerun leaves no duplicates. The tests that start a pool are marked `scale`."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from qa import scoring
from qa.cli import cli
from qa.errors import ConfigError
from qa.matching import Matcher
from qa.model import Agent, Evidence, Flag, Interaction, Turn
from qa.scorecard.load import LoadedScorecard, load_scorecard
from qa.scoring import ScoringWorkerDied, rescore
from qa.store import Store

CARD = """\
name: Pool card
pass_mark: 60
sections:
  - id: open
    criteria:
      - id: greet
        type: phrase.v1
        speaker: agent
        phrases: ["thanks for calling", "good morning"]
        match: fuzzy
        points: 2
      - id: never_say
        type: phrase.v1
        speaker: agent
        phrases: ["there's nothing I can do"]
        match: fuzzy
        mode: forbidden
        points: 1
      - id: ref
        type: phrase.v1
        speaker: agent
        phrases: ['\\bref(erence)? \\d+']
        match: regex
        points: 1
"""

AGENT_SAYS = [
    "Good morning, thanks for calling. Your reference 4411 is noted.",
    "Hello. I'm afraid there's nothing I can do about that.",
    "Thanks for calling! Is there anything else I can do?",
    "Hi there. Reference 98 it is.",
    "Good mornin, thanks for callin.",
]
N = 9


def _items() -> list[Interaction]:
    return [
        Interaction(
            id=f"c{k}",
            channel="chat",
            source=f"/in/c{k}.json",
            agent=Agent(f"agent{k % 3}"),
            turns=[
                Turn("customer", f"Hi, question number {k} about my bill.", 0.0),
                Turn("agent", AGENT_SAYS[k % len(AGENT_SAYS)], 20.0),
            ],
        )
        for k in range(N)
    ]


@pytest.fixture
def card(tmp_path: Path) -> LoadedScorecard:
    path = tmp_path / "card.yaml"
    path.write_text(CARD, encoding="utf-8")
    return load_scorecard(path)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "qa.db"
    s = Store(path)
    s.save_interactions(_items())
    s.close()
    return path


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of two, so that nine interactions go to the pool (four chunks, two workers)."""
    monkeypatch.setattr(scoring, "CHUNK", 2)


def _pids(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each interaction's metrics say which process scored it."""
    real = scoring._score_one

    def scored_where(job: Any, item: Interaction) -> Any:
        one = real(job, item)
        one.metrics["pid"] = os.getpid()
        return one

    monkeypatch.setattr(scoring, "_score_one", scored_where)


def _rows(path: Path) -> list[tuple[Any, ...]]:
    s = Store(path)
    try:
        return s.conn.execute(
            "SELECT e.interaction_id, c.criterion_id, c.result, c.points, c.evidence, c.note"
            " FROM evaluations e JOIN criterion_results c ON c.evaluation_id = e.id"
            " ORDER BY c.rowid"
        ).fetchall()
    finally:
        s.close()


class Recorded:
    def __init__(self) -> None:
        self.advanced: list[str] = []

    def start(self, total: int, label: str) -> None:
        self.total = total

    def advance(self, item: str, amount: int = 1) -> None:
        self.advanced.append(item)

    def finish(self) -> None:
        pass


@pytest.mark.scale  # starts a process pool
@pytest.mark.usefixtures("small_chunks")
def test_the_pool_scores_in_workers_and_writes_what_one_process_writes_in_its_order(
    tmp_path: Path, db: Path, card: LoadedScorecard, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pids(monkeypatch)
    alone = tmp_path / "alone.db"
    shutil.copy(db, alone)
    s = Store(alone)
    one, _ = rescore(s, card, Matcher(), workers=1)
    s.close()
    s = Store(db)
    progress = Recorded()
    pooled, _ = rescore(s, card, Matcher(), progress=progress, workers=2)
    pids = {i.id: i.metadata["metrics"]["pid"] for i in s.load_interactions()}
    s.close()

    assert pooled.scored == one.scored == N
    assert progress.advanced == [f"/in/c{k}.json" for k in sorted(range(N), key=lambda k: f"c{k}")]
    got = {
        i: [(c.id, c.result, c.points, c.evidence) for c in e.criteria]
        for i, e in pooled.evaluations.items()
    }
    want = {
        i: [(c.id, c.result, c.points, c.evidence) for c in e.criteria]
        for i, e in one.evaluations.items()
    }
    assert got == want
    assert list(pooled.evaluations) == list(one.evaluations)  # the same order
    assert _rows(db) == _rows(alone)
    results = {r[0]: r[2] for r in _rows(db) if r[1] == "never_say"}
    assert results["c1"] == "fail" and results["c2"] == "pass"  # "anything else I can do"
    # The first interaction is scored here (what it loads is loaded before the fork), the
    # rest in workers.
    assert pids["c0"] == os.getpid()
    workers = {p for i, p in pids.items() if i != "c0"}
    assert os.getpid() not in workers and 1 <= len(workers) <= 2


@pytest.mark.usefixtures("small_chunks")
def test_few_interactions_are_scored_in_this_process(
    db: Path, card: LoadedScorecard, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scoring, "CHUNK", 5)  # nine is below two chunks and one
    _pids(monkeypatch)
    s = Store(db)
    report, _ = rescore(s, card, Matcher(), workers=2)
    assert report.scored == N
    assert {i.metadata["metrics"]["pid"] for i in s.load_interactions()} == {os.getpid()}
    s.close()


@pytest.mark.scale  # starts a process pool
@pytest.mark.usefixtures("small_chunks")
def test_an_error_in_a_worker_reaches_the_caller_as_itself(
    db: Path, card: LoadedScorecard, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = scoring._score_one

    def bad_regex_on_c5(job: Any, item: Interaction) -> Any:
        if item.id == "c5":
            raise ConfigError("bad regex '(' in c5")
        return real(job, item)

    monkeypatch.setattr(scoring, "_score_one", bad_regex_on_c5)
    s = Store(db)
    with pytest.raises(ConfigError, match=r"bad regex '\(' in c5"):
        rescore(s, card, Matcher(), workers=2)
    s.close()


@pytest.mark.scale  # starts a process pool
@pytest.mark.usefixtures("small_chunks")
def test_a_dead_worker_stops_the_run_clearly_and_a_rerun_leaves_no_duplicates(
    db: Path, card: LoadedScorecard, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = scoring._score_one
    parent = os.getpid()

    def killed_on_c5(job: Any, item: Interaction) -> Any:
        if item.id == "c5" and os.getpid() != parent:
            os._exit(9)  # as a worker killed by the kernel would
        return real(job, item)

    monkeypatch.setattr(scoring, "_score_one", killed_on_c5)
    s = Store(db)
    with pytest.raises(ScoringWorkerDied, match="worker process died.*--workers 1"):
        rescore(s, card, Matcher(), workers=2)
    written = s.conn.execute("SELECT count(*) FROM evaluations").fetchone()[0]
    assert written < N
    monkeypatch.setattr(scoring, "_score_one", real)
    rescore(s, card, Matcher(), workers=2)
    rescore(s, card, Matcher(), workers=2)
    evaluations = s.conn.execute("SELECT count(*) FROM evaluations").fetchone()[0]
    results = s.conn.execute("SELECT count(*) FROM criterion_results").fetchone()[0]
    s.close()
    assert (evaluations, results) == (N, 3 * N)


@pytest.mark.scale  # starts a process pool
@pytest.mark.usefixtures("small_chunks")
def test_second_readings_in_workers_are_counted_and_stored_by_the_parent(
    db: Path, card: LoadedScorecard, monkeypatch: pytest.MonkeyPatch
) -> None:
    flag = Flag("forbidden_claim", "high", "spring", "price", "said a wrong price")
    flag.evidence = [Evidence(1, "agent", 20.0, 20.0, "quote")]
    monkeypatch.setattr(scoring, "check_interaction", lambda item, *a, **k: [flag])

    def second_reading(item: Interaction, flags: list[Flag], check: Any, verifier: Any) -> Any:
        verifier.removed += 1
        verifier.seconds += 1.5
        item.metadata["verification"] = [{"kind": "forbidden_claim", "removed": True}]
        return []

    monkeypatch.setattr(scoring, "verify_flags", second_reading)
    s = Store(db)
    report, _ = rescore(s, card, Matcher(), campaigns=[], workers=2)
    stored = {i.id: i.metadata.get("verification") for i in s.load_interactions()}
    s.close()
    assert report.verification is not None
    assert report.verification["flags_removed"] == N
    assert report.verification["audio_seconds_decoded_again"] == pytest.approx(1.5 * N, abs=0.1)
    assert stored == {f"c{k}": [{"kind": "forbidden_claim", "removed": True}] for k in range(N)}


def test_a_forked_matcher_reads_vectors_through_its_own_connection() -> None:
    class Embedder:
        def __init__(self, vectors: object) -> None:
            self.vectors = vectors
            self._model = object()

    parents = object()
    mine = object()
    embedder = Embedder(parents)
    matcher = Matcher(embedder, vectors=parents)  # type: ignore[arg-type]
    matcher.reopen(lambda v: mine if v is parents else v)
    assert embedder.vectors is mine and matcher._vectors is mine
    assert embedder._model is None  # loads again in the worker, with threads of its own


def test_the_command_line_takes_workers_and_rejects_a_bad_count(
    tmp_path: Path, db: Path, runner: Any
) -> None:
    card = tmp_path / "card.yaml"
    card.write_text(CARD, encoding="utf-8")
    bad = runner.invoke(
        cli, ["rescore", "--scorecard", str(card), "--db", str(db), "--workers", "0"]
    )
    assert bad.exit_code == 2
    assert "--workers must be between 1 and 256, not 0" in bad.output
    ok = runner.invoke(
        cli, ["rescore", "--scorecard", str(card), "--db", str(db), "--workers", "1", "--json"]
    )
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["scored"] == N
