"""Scoring in a pool of worker processes (qa/scoring.py's `_in_pool`), pinned in this process:
the pool is replaced by one that runs each chunk at once on a copy of the job, as a forked
worker would (its own verifier, counts sent back), so that no process starts. What is pinned:
when the pool is used at all, the chunks and how many are in flight, the first interaction
scored here before any worker starts, the results in order, the verifier's counts added once,
a dead worker's clear error, and what a worker does when it starts.
tests/test_rescore_pool.py runs real worker processes (marked scale)."""

from __future__ import annotations

import concurrent.futures
import copy
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

from qa import scoring
from qa.errors import ConfigError
from qa.executors import local
from qa.matching import Matcher
from qa.model import Evidence, Flag, Interaction, Turn
from qa.redact import RedactionPolicy
from qa.scorecard.load import LoadedScorecard
from qa.scoring import MAX_WORKERS, WORKER_DIED, ScoringWorkerDied, rescore
from qa.store import Store
from qa.voice.verify import Verifier
from tests.test_mut_scoring import chat, loaded


class InlinePool:
    """A stand-in for ProcessPoolExecutor: each task runs when submitted, on a copy of the
    job that a fork would give (the verifier copied, so its counts come back by value)."""

    made: list[InlinePool] = []
    die_on: int | None = None  # the chunk start whose worker dies

    def __init__(self, workers: int, mp_context: Any = None, initializer: Any = None) -> None:
        self.workers = workers
        self.method = mp_context.get_start_method() if mp_context is not None else None
        self.submitted: list[tuple[Any, ...]] = []
        self.collected = 0
        self.most_in_flight = 0
        self.shut: tuple[bool, bool] | None = None
        InlinePool.made.append(self)
        events.append("pool")
        assert initializer is not None
        initializer()

    def submit(self, fn: Any, *args: Any) -> Future[Any]:
        self.submitted.append(args)
        self.most_in_flight = max(self.most_in_flight, len(self.submitted) - self.collected)
        pool = self

        class Counted(Future[Any]):
            def result(self, timeout: float | None = None) -> Any:
                pool.collected += 1
                return super().result(timeout)

        done: Counted = Counted()
        parent = scoring._forked
        assert parent is not None
        worker = copy.copy(parent)
        worker.verifier = copy.copy(parent.verifier)
        scoring._forked = worker
        try:
            if args[0] == InlinePool.die_on:
                raise BrokenProcessPool("A process in the process pool was terminated abruptly")
            done.set_result(fn(*args))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller, as a pool does
            done.set_exception(exc)
        finally:
            scoring._forked = parent
        return done

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        self.shut = (wait, cancel_futures)


events: list[str] = []


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch) -> type[InlinePool]:
    InlinePool.made = []
    InlinePool.die_on = None
    events.clear()
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", InlinePool)
    monkeypatch.setattr(local, "_die_with_parent", lambda: events.append("die_with_parent"))
    monkeypatch.setattr(scoring, "CHUNK", 2)
    real = scoring._score_one

    def scored(job: Any, item: Interaction) -> Any:
        events.append(item.id)
        return real(job, item)

    monkeypatch.setattr(scoring, "_score_one", scored)
    return InlinePool


def card() -> LoadedScorecard:
    return loaded([{"id": "greet", "phrases": ["good"], "points": 2}], pass_mark=50)


def stored(store: Store, n: int) -> list[str]:
    """n chats, every other one greeting well; their ids in the order rescore loads them."""
    items = [
        chat(
            f"c{k:02d}",
            turns=[Turn("customer", "Hi."), Turn("agent", "Good day." if k % 2 else "Hi.")],
        )
        for k in range(n)
    ]
    store.save_interactions(items)
    return [i.id for i in store.load_interactions()]


def results(report: scoring.ScoreReport) -> list[tuple[str, float, bool]]:
    return [(i, e.total, e.passed) for i, e in report.evaluations.items()]


def test_the_pool_gets_chunks_in_order_and_the_first_is_scored_here_first(
    store: Store, pool: type[InlinePool]
) -> None:
    ids = stored(store, 10)
    report, _ = rescore(store, card(), Matcher(), workers=2)
    [made] = pool.made
    assert (made.workers, made.method) == (2, "fork")
    # Ten interactions, chunks of two after the first: 1-3, 3-5, 5-7, 7-9, 9-10.
    assert made.submitted == [(1, 3), (3, 5), (5, 7), (7, 9), (9, 10)]
    assert made.most_in_flight == 4  # two chunks per worker
    assert made.shut == (True, True)
    assert events == [ids[0], "pool", "die_with_parent", *ids[1:]]
    assert [r[0] for r in results(report)] == ids
    assert results(report) == [(i, 2.0 * (k % 2), k % 2 == 1) for k, i in enumerate(ids)]
    assert report.scored == 10
    assert scoring._forked is None
    rows = store.conn.execute(
        "SELECT interaction_id, total FROM evaluations ORDER BY rowid"
    ).fetchall()
    assert rows == [(i, 2.0 * (k % 2)) for k, i in enumerate(ids)]


def test_the_pool_asks_for_fork_by_name_whatever_the_default(
    store: Store, pool: type[InlinePool], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workers inherit the job by forking: the context is named, not the platform's
    default (forkserver on Linux from Python 3.14, spawn on macOS)."""
    import multiprocessing

    real = multiprocessing.get_context
    asked: list[str | None] = []

    def get_context(method: str | None = None) -> Any:
        asked.append(method)
        return real(method if method is not None else "spawn")

    monkeypatch.setattr(multiprocessing, "get_context", get_context)
    stored(store, 5)
    rescore(store, card(), Matcher(), workers=2)
    assert asked == ["fork"]
    assert pool.made[0].method == "fork"


@pytest.mark.parametrize(("n", "pooled"), [(4, False), (5, True)])
def test_a_pool_only_for_more_than_two_chunks(
    store: Store, pool: type[InlinePool], n: int, pooled: bool
) -> None:
    ids = stored(store, n)
    report, _ = rescore(store, card(), Matcher(), workers=3)
    assert len(pool.made) == int(pooled)
    assert [r[0] for r in results(report)] == ids
    if pooled:
        assert pool.made[0].submitted == [(1, 3), (3, 5)]
        assert pool.made[0].workers == 3
    assert "pool" not in events[:1]


def test_one_worker_scores_here_without_a_pool(store: Store, pool: type[InlinePool]) -> None:
    stored(store, 9)
    report, _ = rescore(store, card(), Matcher(), workers=1)
    assert pool.made == [] and report.scored == 9


def test_without_fork_the_interactions_are_scored_here(
    store: Store, pool: type[InlinePool], monkeypatch: pytest.MonkeyPatch
) -> None:
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    ids = stored(store, 9)
    report, _ = rescore(store, card(), Matcher(), workers=2)
    assert pool.made == []
    assert list(report.evaluations) == ids


def test_workers_default_to_the_cores_and_are_bounded(
    store: Store, pool: type[InlinePool], monkeypatch: pytest.MonkeyPatch
) -> None:
    stored(store, 6)
    monkeypatch.setattr(local, "cores", lambda: 3)
    rescore(store, card(), Matcher())
    assert [p.workers for p in pool.made] == [3]
    for bad in (0, MAX_WORKERS + 1):
        with pytest.raises(ConfigError, match=rf"^--workers must be between 1 and 256, not {bad}$"):
            rescore(store, card(), Matcher(), workers=bad)
    report, _ = rescore(store, card(), Matcher(), workers=MAX_WORKERS)
    assert report.scored == 6 and pool.made[-1].workers == MAX_WORKERS


def test_a_dead_worker_stops_the_run_with_a_clear_error(
    store: Store, pool: type[InlinePool], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scoring, "SAVE_EVERY", 1)
    stored(store, 9)
    pool.die_on = 3
    with pytest.raises(ScoringWorkerDied) as caught:
        rescore(store, card(), Matcher(), workers=2)
    assert str(caught.value) == WORKER_DIED
    assert isinstance(caught.value.__cause__, BrokenProcessPool)
    assert pool.made[0].shut == (True, True)
    assert scoring._forked is None
    # What came back before the dead chunk is written: the first, and the chunk 1-3.
    assert store.conn.execute("SELECT count(*) FROM evaluations").fetchone()[0] == 3


def test_a_workers_error_reaches_the_caller_as_itself(
    store: Store, pool: type[InlinePool], monkeypatch: pytest.MonkeyPatch
) -> None:
    stored(store, 9)
    scored = scoring._score_one

    def bad(job: Any, item: Interaction) -> Any:
        if item.id == "c05":
            raise ConfigError("bad regex in c05")
        return scored(job, item)

    monkeypatch.setattr(scoring, "_score_one", bad)
    with pytest.raises(ConfigError, match="^bad regex in c05$"):
        rescore(store, card(), Matcher(), workers=2)
    assert scoring._forked is None


def test_the_workers_second_readings_are_counted_once(
    store: Store, pool: type[InlinePool], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each worker's verifier counts come back and are added to this process's verifier."""
    flag = Flag("forbidden_claim", "high", "spring", "price", "said a wrong price")
    flag.evidence = [Evidence(1, "agent", 0.0, 0.0, "Good day.")]
    monkeypatch.setattr(scoring, "check_interaction", lambda item, *a, **k: [flag])

    def second_reading(item: Interaction, flags: list[Flag], check: Any, verifier: Any) -> Any:
        verifier.kept += 3
        verifier.removed += 1
        verifier.seconds += 1.5
        verifier.wall_s += 0.25
        item.metadata["verification"] = [{"kind": "forbidden_claim", "removed": True}]
        return []

    monkeypatch.setattr(scoring, "verify_flags", second_reading)
    ids = stored(store, 9)
    verifier = Verifier()
    report, _ = rescore(store, card(), Matcher(), campaigns=[], verifier=verifier, workers=2)
    assert len(pool.made) == 1
    assert (verifier.kept, verifier.removed, verifier.seconds, verifier.wall_s) == (
        27,
        9,
        13.5,
        2.25,
    )
    assert report.verification == {
        "flags_kept": 27,
        "flags_removed": 9,
        "audio_seconds_decoded_again": 13.5,
        "seconds": 2.25,
    }
    assert report.flags == 0  # every flag removed by the second reading
    kept = {i.id: i.metadata.get("verification") for i in store.load_interactions()}
    assert kept == {i: [{"kind": "forbidden_claim", "removed": True}] for i in ids}


class Embedder:
    def __init__(self, vectors: Any) -> None:
        self.vectors = vectors


def test_a_worker_reads_the_store_through_its_own_connection(
    tmp_path: Path, pool: type[InlinePool]
) -> None:
    """On start, a worker opens the vector store again (once, whoever holds it), keeps what
    is not a store, and dies with its parent."""
    # A policy of its own, so that a worker opening the store without it is seen.
    vectors = Store(tmp_path / "vectors.db", RedactionPolicy(emails=True, phones=True))
    embedder = Embedder(vectors)
    other = Embedder({"not": "a store"})
    matcher = Matcher(embedder=embedder, vectors=vectors)  # type: ignore[arg-type]
    matcher._by_language["zh"] = other  # type: ignore[assignment]
    job = scoring._Job([], card(), matcher, None, None, None)
    scoring._forked = job
    try:
        scoring._start_scorer()
    finally:
        scoring._forked = None
    assert events == ["die_with_parent"]
    opened = embedder.vectors
    assert isinstance(opened, Store) and opened is not vectors
    assert opened.path == vectors.path
    assert opened.redaction == RedactionPolicy(emails=True, phones=True)
    assert matcher._vectors is opened  # one connection for both holders
    assert other.vectors == {"not": "a store"}
    opened.close()
    vectors.close()
