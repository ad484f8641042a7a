"""One recording's transcription as a unit of work that any executor can run: in the driver,
in a process of the local pool, or as a task on a Ray node.

A task reads the recording and gives back records; it never writes the store. The driver
alone writes, in the same transactions whichever executor ran the task, so a killed driver
resumes the same way everywhere.
"""

from __future__ import annotations

import os
import resource
import socket
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from qa.errors import InputError
from qa.voice.asr import AsrResult, AsrSettings, Transcriber, pinned_blas
from qa.voice.pipeline import VoiceResult, VoiceSettings, result_from_json, result_to_json

# Builds the recogniser of one process from its settings. The default is WhisperTranscriber;
# it must be importable by name (a class or a module-level function), so that a pool process
# or a Ray worker can unpickle it.
TranscriberFactory = Callable[[AsrSettings], Transcriber]
CacheLookup = Callable[[str], str | None]


@dataclass(frozen=True)
class RecordingTask:
    interaction_id: str
    path: str
    settings: VoiceSettings
    # The store's file, read-only, for the transcript cache: where the worker shares the
    # driver's disk (the local pool). None on a cluster: every channel is recognised.
    cache_db: str | None = None

    def with_threads(self, threads: int) -> RecordingTask:
        """The same task, recognised with this many threads (the cache key ignores them)."""
        asr = replace(self.settings.asr, cpu_threads=threads)
        return replace(self, settings=replace(self.settings, asr=asr))


@dataclass
class RecordingOutcome:
    interaction_id: str
    result: VoiceResult | None = None
    error: str | None = None  # why the recording could not be transcribed
    # Channels recognised by this task (not served from the cache): cache key, result JSON.
    recognised: list[tuple[str, str]] = field(default_factory=list)
    worker: str = ""  # host:pid of the process that ran it
    seconds: float = 0.0
    peak_rss_mb: float = 0.0  # the worker process's peak resident memory so far


_transcribers: dict[tuple[TranscriberFactory, AsrSettings], Transcriber] = {}


def transcriber_for(factory: TranscriberFactory, settings: AsrSettings) -> Transcriber:
    """One recogniser per process and settings: the model loads once, not once per task."""
    key = (factory, settings)
    if key not in _transcribers:
        _transcribers[key] = factory(settings)
    return _transcribers[key]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _read_only_lookup(db: str) -> CacheLookup:
    def lookup(key: str) -> str | None:
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
            try:
                query = "SELECT result FROM transcripts WHERE key = ?"
                row = conn.execute(query, [key]).fetchone()
            finally:
                conn.close()
        except sqlite3.Error:  # no file to share (an in-memory store): recognise it
            return None
        return row[0] if row else None

    return lookup


def run_recording(
    task: RecordingTask,
    factory: TranscriberFactory | None = None,
    transcriber: Transcriber | None = None,
    lookup: CacheLookup | None = None,
) -> RecordingOutcome:
    """Decode, recognise, diarize and give roles to one recording.

    A bad recording (InputError) comes back as an outcome with its reason; anything else is
    a bug and raises, as it does in the sequential path.
    """
    from qa.voice.asr import WhisperTranscriber
    from qa.voice.pipeline import transcribe_recording

    clock = time.perf_counter()
    if transcriber is None:
        transcriber = transcriber_for(factory or WhisperTranscriber, task.settings.asr)
    if lookup is None and task.cache_db is not None:
        lookup = _read_only_lookup(task.cache_db)
    recognised: list[tuple[str, str]] = []

    def cache(key: str, run: Callable[[], AsrResult]) -> AsrResult:
        hit = lookup(key) if lookup is not None else None
        if hit is not None:
            return result_from_json(hit)
        result = run()
        recognised.append((key, result_to_json(result)))
        return result

    outcome = RecordingOutcome(task.interaction_id, worker=f"{socket.gethostname()}:{os.getpid()}")
    path = Path(task.path)
    try:
        if not path.exists():
            raise InputError(f"the recording is no longer at {path}")
        # The same numeric settings in every executor (see BLAS_THREADS), for the features
        # of recognition and for diarization and roles alike.
        with pinned_blas():
            outcome.result = transcribe_recording(path, task.settings, transcriber, cache)
    except InputError as exc:
        outcome.error = str(exc)
    outcome.recognised = recognised
    outcome.seconds = time.perf_counter() - clock
    outcome.peak_rss_mb = peak_rss_mb()
    return outcome
