"""The text embedder's ONNX batches on embedding threads: sentences given ahead are embedded
once, in the order given, while the caller goes on; what is asked for is taken over or
waited for; batches are cut where padding costs more than a run. A fake ONNX session
stands in for the model (the real one: tests/test_models_text.py)."""

from __future__ import annotations

import random
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from qa.errors import ConfigError
from qa.models import text
from qa.models.text import ONNX_BATCH, RUN_COST_TOKENS, TextEmbedder, batch_cuts, text_threads


class Encoding:
    def __init__(self, sentence: str) -> None:
        self.ids = [1 + (ord(c) % 50) for c in sentence.replace(" ", "")][: text.MAX_TOKENS]


class Tokenizer:
    def encode_batch(self, texts: list[str]) -> list[Encoding]:
        return [Encoding(t) for t in texts]


class Session:
    """Hidden states from the token ids alone; counts the sentences it ran."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.ran: Counter[tuple[int, ...]] = Counter()
        self.threads: set[str] = set()
        self.fail_on = fail_on
        self._lock = threading.Lock()

    def run(self, _: Any, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        ids = feeds["input_ids"]
        with self._lock:
            self.threads.add(threading.current_thread().name)
            for row, mask in zip(ids, feeds["attention_mask"], strict=True):
                key = tuple(int(i) for i, m in zip(row, mask, strict=True) if m)
                self.ran[key] += 1
                if self.fail_on is not None and key == tuple(Encoding(self.fail_on).ids):
                    raise RuntimeError("the model failed")
        hidden = np.zeros((*ids.shape, 4), dtype=np.float32)
        hidden[..., 0] = ids
        hidden[..., 1] = ids % 7
        hidden[..., 2] = 1.0
        hidden[..., 3] = np.arange(ids.shape[1])
        return [hidden]


class Store:
    def __init__(self) -> None:
        self.saved: dict[str, bytes] = {}

    def load_vectors(self, keys: list[str]) -> dict[str, bytes]:
        return {k: self.saved[k] for k in keys if k in self.saved}

    def save_vectors(self, vectors: dict[str, bytes]) -> None:
        self.saved.update(vectors)


def fake(session: Session | None = None, store: Store | None = None) -> TextEmbedder:
    # The real class (the fast tests' TextEmbedder(...) gives a stand-in), no model file.
    e = object.__new__(TextEmbedder)
    e.__init__("fake-onnx-model", vectors=store)  # type: ignore[misc]
    e._onnx, e._e5 = {"model.onnx": Path("model.onnx")}, None
    e._model = session or Session()
    e._tokenizer = Tokenizer()
    e._inputs = {"input_ids", "attention_mask"}
    return e


SENTENCES = [f"sentence number {k} " + "word " * (k % 9) for k in range(120)]


def test_sentences_given_ahead_are_embedded_once_and_as_if_asked() -> None:
    plain = fake().embed(SENTENCES)
    session, store = Session(), Store()
    e = fake(session, store)
    e.embed_ahead(SENTENCES)
    e.embed_ahead(SENTENCES[:50])  # given twice: queued once
    got = [e.embed(SENTENCES[i : i + 7]) for i in range(0, len(SENTENCES), 7)]
    np.testing.assert_array_equal(np.concatenate(got), plain)
    assert set(session.ran.values()) == {1}
    assert len(session.ran) == len({tuple(Encoding(s).ids) for s in SENTENCES})
    assert e._pending == {}
    assert len(store.saved) == len(SENTENCES)  # kept for the next run, like any other


class WaitsForAWorker(Session):
    """A batch run by the asking thread waits until an embedding thread has run one, so the
    test does not depend on which thread the scheduler starts first."""

    def __init__(self) -> None:
        super().__init__()
        self.worker_ran = threading.Event()

    def run(self, _: Any, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        if threading.current_thread().name.startswith("qa-embed-"):
            self.worker_ran.set()
        else:
            self.worker_ran.wait(timeout=10)
        return super().run(_, feeds)


def test_asked_for_batches_run_on_the_embedding_threads_too() -> None:
    session = WaitsForAWorker()
    fake(session).embed(SENTENCES)
    assert any(name.startswith("qa-embed-") for name in session.threads)


def test_batches_no_worker_started_run_here_before_a_held_one_is_waited_for() -> None:
    # A batch given ahead that a worker holds is waited for only after this thread has run
    # every needed batch that no worker has started: else it idles with work of its own queued.
    e = fake()
    release = threading.Event()

    def slow() -> np.ndarray:
        release.wait(timeout=10)
        return np.ones((1, 4), dtype=np.float32)

    held = text._Job(slow, [SENTENCES[0]])
    assert held.claim()  # taken by an embedding thread, still running
    free = text._Job(lambda: np.zeros((1, 4), dtype=np.float32), [SENTENCES[1]])
    for job in (held, free):
        e._pending[job.texts[0]] = job
        e._open[id(job)] = job
    asker = threading.Thread(target=lambda: e.embed([SENTENCES[0], SENTENCES[1]]), daemon=True)
    asker.start()
    ran_first = free.done.wait(timeout=10)
    threading.Thread(target=held.run, daemon=True).start()
    release.set()
    asker.join(timeout=10)
    assert ran_first, "the asking thread waited on the held batch before running its own"
    assert not asker.is_alive()


def test_stored_vectors_are_not_embedded_again_ahead() -> None:
    store = Store()
    fake(Session(), store).embed(SENTENCES[:40])
    session = Session()
    e = fake(session, store)
    e.embed_ahead(SENTENCES[:60])
    e.embed(SENTENCES[:60])
    assert sum(session.ran.values()) == 20


def test_a_failed_batch_given_ahead_fails_the_ask_that_needs_it() -> None:
    e = fake(Session(fail_on=SENTENCES[3]))
    e.embed_ahead(SENTENCES[:10])
    with pytest.raises(RuntimeError, match="the model failed"):
        e.embed(SENTENCES[:10])


def test_ahead_is_in_order_of_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text, "AHEAD_CHUNK", 10)
    e = fake()
    e.embed_ahead(SENTENCES[:30])
    chunks = [{id(e._pending[s]) for s in SENTENCES[i : i + 10]} for i in (0, 10, 20)]
    assert not (chunks[0] & chunks[1]) and not (chunks[1] & chunks[2])
    e.embed(SENTENCES[:30])


def _cost(lengths: list[int], cuts: list[tuple[int, int]]) -> int:
    return sum(RUN_COST_TOKENS + lengths[j - 1] * (j - i) for i, j in cuts)


def test_batches_cover_every_sentence_and_cost_no_more_than_fixed_ones() -> None:
    rng = random.Random(13)
    for size in [0, 1, 2, 15, 16, 17, 33, *(rng.randrange(1, 60) for _ in range(12))]:
        lengths = sorted(rng.randrange(1, 129) for _ in range(size))
        cuts = batch_cuts(lengths)
        assert [i for c in cuts for i in range(*c)] == list(range(len(lengths)))
        assert all(0 < j - i <= ONNX_BATCH for i, j in cuts)
        fixed = [(i, min(i + 16, len(lengths))) for i in range(0, len(lengths), 16)]
        assert _cost(lengths, cuts) <= _cost(lengths, fixed), lengths


def test_one_length_fills_whole_batches_and_a_long_sentence_runs_alone() -> None:
    assert [j - i for i, j in batch_cuts([7] * (2 * ONNX_BATCH))] == [ONNX_BATCH] * 2
    assert batch_cuts([5] * 10 + [120]) == [(0, 10), (10, 11)]


def test_thread_count_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(text.TEXT_THREADS_ENV, "3")
    assert text_threads() == 3
    for bad in ("0", "65", "two"):
        monkeypatch.setenv(text.TEXT_THREADS_ENV, bad)
        with pytest.raises(ConfigError, match="QA_TEXT_THREADS"):
            text_threads()
    monkeypatch.delenv(text.TEXT_THREADS_ENV)
    assert text_threads() >= 1


def test_a_forked_process_forgets_batches_the_parents_threads_had_taken() -> None:
    # What Matcher.reopen does in a forked scoring worker: a batch that one of the parent's
    # embedding threads had taken at the fork is never finished in the child, so the child
    # embeds those sentences itself instead of waiting for it.
    from qa.matching import Matcher

    e = fake()
    taken = text._Job(lambda: None, [SENTENCES[0]])
    assert taken.claim()
    e._pending[SENTENCES[0]] = taken
    Matcher(e).reopen(lambda vectors: vectors)
    assert e._model is None  # loads again on first use; the fake stands in for it here
    e._model = session = Session()
    out: list[Any] = []
    worker = threading.Thread(target=lambda: out.append(e.embed([SENTENCES[0]])), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "the child waited for a batch no thread of its own runs"
    assert out[0].shape[0] == 1 and sum(session.ran.values()) == 1
