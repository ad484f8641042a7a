"""Executors on this machine: one file after another in the driver, or a pool of processes.

Recognition is CPU-bound and holds the GIL for long stretches of decoding and diarization,
so the pool uses processes, started with `spawn` (a fork would copy the driver's loaded
libraries and their thread pools into each child). Each process loads the models once, on
its first task, and keeps them.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from qa.errors import ConfigError
from qa.executors.task import (
    CacheLookup,
    RecordingOutcome,
    RecordingTask,
    TranscriberFactory,
    run_recording,
)
from qa.voice.asr import Transcriber

MAX_WORKERS = 256  # a sanity bound on --workers, far above any one machine's cores
ATTEMPTS = 2  # a file whose worker process dies is tried this often, then recorded as failed
WORKER_DIED = "the worker process died while transcribing this recording (tried {n} times)"


def cores() -> int:
    """The cores this process may run on (a container's or taskset's limit included)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class Sequential:
    """One recording after another, in the driver: the reference for the others, and the
    executor to debug with (a breakpoint works, a traceback is whole)."""

    name = "sequential"

    def __init__(
        self, factory: TranscriberFactory | None = None, transcriber: Transcriber | None = None
    ) -> None:
        self.factory = factory
        self.transcriber = transcriber
        self.workers = 1

    def transcribe(
        self, tasks: list[RecordingTask], lookup: CacheLookup | None = None
    ) -> Iterator[RecordingOutcome]:
        for task in tasks:
            yield run_recording(task, self.factory, self.transcriber, lookup)

    def open(self) -> None:
        pass

    def describe(self) -> dict[str, Any]:
        return {"executor": self.name, "workers": 1}

    def close(self) -> None:
        pass


def _start_worker(threads: int) -> None:
    # For the thread pools of libraries that load after this (torch, scikit-learn's OpenMP):
    # they stay inside this worker's share of the cores, so that the workers do not crowd
    # each other out. NumPy's OpenBLAS has loaded already (this module imports NumPy), and
    # recognition pins its threads itself (qa.voice.asr.pinned_blas), in every executor.
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[name] = str(threads)
    import qa.offline

    qa.offline.set_environment()
    _die_with_parent()


def _die_with_parent() -> None:
    """A worker whose driver was killed goes too, instead of holding its pipes open."""
    import ctypes
    import signal
    import sys

    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)


def _pool_task(task: RecordingTask, factory: TranscriberFactory | None) -> RecordingOutcome:
    return run_recording(task, factory)


@dataclass
class _Attempts:
    """What the pool knows of each recording after a worker died."""

    tries: dict[str, int] = field(default_factory=dict)
    suspects: set[str] = field(default_factory=set)  # in flight when a worker died
    # Finished before the pool broke: kept, not run again.
    finished: dict[str, Future[RecordingOutcome]] = field(default_factory=dict)

    def broken(self, task: RecordingTask, future: Future[RecordingOutcome] | None) -> None:
        done = future is not None and future.done() and not future.cancelled()
        if future is not None and done and future.exception() is None:
            self.finished[task.interaction_id] = future
            return
        self.suspects.add(task.interaction_id)

    def may_join(
        self,
        task: RecordingTask,
        flight: deque[tuple[RecordingTask, Future[RecordingOutcome] | None]],
    ) -> bool:
        """A suspect runs alone: it waits for those in flight, and none joins it."""
        if not flight:
            return True
        return task.interaction_id not in self.suspects and (
            flight[-1][0].interaction_id not in self.suspects
        )


class LocalPool:
    """A pool of worker processes on this machine, one per core by default.

    Recordings go out in order, at most two per worker in flight, and come back in the same
    order, so the driver writes the store as the sequential executor would. A worker process
    that dies (killed, out of memory) breaks the pool: the pool is started again and the
    recordings that were in flight are tried again, each at most ATTEMPTS times in all.
    """

    name = "local"

    def __init__(self, workers: int | None = None, factory: TranscriberFactory | None = None):
        if workers is not None and not 1 <= workers <= MAX_WORKERS:
            raise ConfigError(f"--workers must be between 1 and {MAX_WORKERS}, not {workers}")
        self.workers = workers or cores()
        self.factory = factory
        self.threads = max(1, cores() // self.workers)
        self._pool: ProcessPoolExecutor | None = None

    def open(self) -> None:
        pass  # the processes start with the first recording: a batch of text starts none

    def _start(self) -> ProcessPoolExecutor:
        import multiprocessing

        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(self.threads,),
            )
        return self._pool

    def _restart(self) -> ProcessPoolExecutor:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        return self._start()

    def transcribe(
        self, tasks: list[RecordingTask], lookup: CacheLookup | None = None
    ) -> Iterator[RecordingOutcome]:
        if len(tasks) < 2:  # one recording gains nothing from starting processes
            yield from Sequential(self.factory).transcribe(tasks, lookup)
            return
        # `lookup` reads the driver's connection, which cannot cross into a worker: the
        # workers read the store's file themselves (task.cache_db), read-only.
        queue = deque(task.with_threads(self.threads) for task in tasks)
        state = _Attempts()
        flight: deque[tuple[RecordingTask, Future[RecordingOutcome] | None]] = deque()
        pool = self._start()
        while queue or flight:
            while queue and len(flight) < 2 * self.workers and state.may_join(queue[0], flight):
                flight.append(self._submit(pool, queue.popleft(), state))
            task, future = flight.popleft()
            if future is None:
                yield RecordingOutcome(task.interaction_id, error=WORKER_DIED.format(n=ATTEMPTS))
                continue
            try:
                outcome = future.result()
            except BrokenProcessPool:
                # Which task killed the worker is not known: every one in flight that had
                # not finished is a suspect, and goes again alone, in its place, to a fresh
                # pool. A suspect that dies alone is the culprit.
                entries = [(task, future), *flight]
                flight.clear()
                pool = self._restart()
                for t, f in reversed(entries):
                    state.broken(t, f)
                    queue.appendleft(t)
                continue
            yield outcome

    def _submit(
        self, pool: ProcessPoolExecutor, task: RecordingTask, state: _Attempts
    ) -> tuple[RecordingTask, Future[RecordingOutcome] | None]:
        """The task sent to the pool (or its result, where it finished before the pool
        broke), or None once it has used up its attempts."""
        ident = task.interaction_id
        if ident in state.finished:
            return task, state.finished.pop(ident)
        if state.tries.get(ident, 0) >= ATTEMPTS:
            return task, None
        state.tries[ident] = state.tries.get(ident, 0) + 1
        return task, pool.submit(_pool_task, task, self.factory)

    def describe(self) -> dict[str, Any]:
        return {"executor": self.name, "workers": self.workers, "threads_per_worker": self.threads}

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
