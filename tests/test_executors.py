"""The score job and its executors, with a fake recogniser: the job's logic, the local pool,
a worker that dies mid-file, a driver killed with SIGKILL, and the command line's options."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from qa.cli import cli
from qa.config import Config
from qa.errors import ConfigError
from qa.executors import make_executor
from qa.executors.cluster import RayCluster, address_endpoint, check_reachable
from qa.executors.job import ScoreJob
from qa.executors.local import LocalPool, Sequential
from qa.export import export_json
from qa.matching import Matcher
from qa.scorecard.load import load_scorecard
from qa.store import Store
from qa.voice.asr import AsrResult, AsrSettings
from qa.voice.batch import transcribe_pending
from qa.voice.pipeline import VoiceSettings
from tests.conftest import ROOT
from tests.test_voice_unit import AGENT_WORDS, CUSTOMER_WORDS, FakeTranscriber, stereo_file

CARD = ROOT / "scorecards" / "inbound_service.yaml"
BY_LEVEL = {5: AGENT_WORDS, 7: AGENT_WORDS, 9: AGENT_WORDS, 3: CUSTOMER_WORDS}


def fake_factory(settings: AsrSettings) -> FakeTranscriber:
    """Importable by name, so that a pool process or a Ray worker can build it."""
    return FakeTranscriber(BY_LEVEL)


@dataclass(frozen=True)
class KillingFactory:
    """A recogniser that kills its own process: always on a recording whose left channel is
    at level 9, and the first time only on level 7 (it leaves `marker` behind)."""

    marker: str

    def __call__(self, settings: AsrSettings) -> KillingTranscriber:
        return KillingTranscriber(self.marker)


class KillingTranscriber:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __call__(self, audio: np.ndarray) -> AsrResult:
        level = int(round(float(np.abs(audio).max()) * 10))
        if level == 9 or (level == 7 and not os.path.exists(self.marker)):
            Path(self.marker).touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return FakeTranscriber(BY_LEVEL)(audio)


def calls(folder: Path, levels: list[float]) -> Path:
    """Stereo calls, agent left at each level, customer right; each a different length so
    that no two files are the same recording."""
    folder.mkdir(parents=True, exist_ok=True)
    for n, level in enumerate(levels):
        stereo_file(folder / f"call{n:02d}.wav", level, 0.3, seconds=3.0 + n * 0.25)
    return folder


def score(folder: Path, db: Path, executor: object) -> tuple[Store, object]:
    store = Store(db)
    job = ScoreJob([folder], load_scorecard(CARD))
    report = job.run(store, Config(), Matcher(vectors=store), executor)  # type: ignore[arg-type]
    return store, report


def rows(store: Store, table: str) -> int:
    return int(store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


# --- choosing an executor ------------------------------------------------------------------


def test_make_executor_follows_the_options() -> None:
    assert isinstance(make_executor(), LocalPool)
    assert isinstance(make_executor("sequential"), Sequential)
    assert isinstance(make_executor("local", workers=1), Sequential)
    assert make_executor("local", workers=3).workers == 3
    assert isinstance(make_executor("ray", address="10.0.0.1:6379"), RayCluster)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "dask"}, "--executor must be one of"),
        ({"name": "local", "address": "h:1"}, "--address goes with --executor ray"),
        ({"name": "local", "workers": 0}, "--workers must be between 1"),
        ({"name": "ray", "workers": 2}, "--workers goes with --executor local"),
    ],
)
def test_make_executor_refuses_bad_options(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        make_executor(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("address", "endpoint"),
    [
        ("auto", None),
        ("10.1.2.3:6380", ("10.1.2.3", 6380)),
        ("head.example", ("head.example", 6379)),
        ("ray://head.example", ("head.example", 10001)),
        ("ray://head.example:10002", ("head.example", 10002)),
        ("[::1]:6379", ("::1", 6379)),
    ],
)
def test_address_endpoint(address: str, endpoint: tuple[str, int] | None) -> None:
    assert address_endpoint(address) == endpoint


@pytest.mark.parametrize("address", ["http://head:8265", "head:port", ":6379"])
def test_address_endpoint_refuses_what_is_not_an_address(address: str) -> None:
    with pytest.raises(ConfigError, match=f"--address {address}"):
        address_endpoint(address)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_address_fails_in_seconds_with_the_address() -> None:
    port = _closed_port()
    clock = time.monotonic()
    with pytest.raises(ConfigError, match=f"cannot reach the Ray cluster at 127.0.0.1:{port}"):
        check_reachable(f"127.0.0.1:{port}")
    assert time.monotonic() - clock < 5


def test_qa_score_with_an_unreachable_address_exits_2_before_any_work(tmp_path: Path) -> None:
    folder = calls(tmp_path / "in", [0.5])
    db = tmp_path / "q.db"
    port = _closed_port()
    clock = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "qa", "score", str(folder), "--scorecard", str(CARD)]
        + ["--executor", "ray", "--address", f"127.0.0.1:{port}", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 2, result.stderr
    assert f"cannot reach the Ray cluster at 127.0.0.1:{port}" in result.stderr
    assert "ray start --head" in result.stderr
    assert time.monotonic() - clock < 60  # the interpreter's start included; ray.init waits longer
    assert rows(Store(db), "interactions") == 0  # nothing was ingested


def test_executor_options_that_do_not_fit_exit_2(runner: object, tmp_path: Path) -> None:
    from click.testing import CliRunner

    assert isinstance(runner, CliRunner)
    folder = calls(tmp_path / "in", [0.5])
    args = ["score", str(folder), "--scorecard", str(CARD), "--db", str(tmp_path / "q.db")]
    result = runner.invoke(cli, [*args, "--address", "h:1"])
    assert result.exit_code == 2
    assert "--address goes with --executor ray" in result.output


# --- the local pool ------------------------------------------------------------------------


@pytest.mark.scale
def test_the_local_pool_writes_what_the_sequential_executor_writes(tmp_path: Path) -> None:
    folder = calls(tmp_path / "in", [0.5, 0.5, 0.5, 0.5])
    one, report_one = score(folder, tmp_path / "seq.db", Sequential(fake_factory))
    pool, report_pool = score(folder, tmp_path / "pool.db", LocalPool(2, fake_factory))
    assert report_pool.transcription.executor == {  # type: ignore[attr-defined]
        "executor": "local",
        "workers": 2,
        "threads_per_worker": report_pool.transcription.executor["threads_per_worker"],  # type: ignore[attr-defined]
    }
    assert len(report_pool.transcription.peak_rss_mb) == 2  # type: ignore[attr-defined]
    assert report_one.scored == report_pool.scored == 4  # type: ignore[attr-defined]
    assert export_json(pool) == export_json(one)
    assert rows(pool, "transcripts") == rows(one, "transcripts")  # the cache is the driver's
    # Again: the workers read the driver's cache from its file, and recognise nothing.
    again = transcribe_pending(
        pool, VoiceSettings(), redo=True, executor=LocalPool(2, fake_factory)
    )
    assert len(again.transcribed) == 4 and again.asr_runs == 0


@pytest.mark.scale
def test_the_pool_retries_a_file_whose_worker_died_once_then_records_it(tmp_path: Path) -> None:
    # call00 kills its worker every time, call01 once; the others are fine.
    folder = calls(tmp_path / "in", [0.9, 0.7, 0.5, 0.5])
    marker = tmp_path / "died-once"
    store, report = score(folder, tmp_path / "q.db", LocalPool(2, KillingFactory(str(marker))))
    assert marker.exists()
    failed = {Path(f.source).name: f.reason for f in report.failures}  # type: ignore[attr-defined]
    assert list(failed) == ["call00.wav"]
    assert "worker process died" in failed["call00.wav"] and "2 times" in failed["call00.wav"]
    assert report.scored == 3  # type: ignore[attr-defined]
    status = dict(store.conn.execute("SELECT source, status FROM interactions").fetchall())
    assert status[str(folder / "call00.wav")] == "failed"
    assert status[str(folder / "call01.wav")] == "transcribed"
    assert rows(store, "interactions") == 4
    assert rows(store, "evaluations") == 3


# --- a driver killed with SIGKILL ----------------------------------------------------------

DRIVER = """
import os, signal, sys
from pathlib import Path
from qa.config import Config
from qa.executors.job import ScoreJob
from qa.executors.local import LocalPool
from qa.matching import Matcher
from qa.progress import NoProgress
from qa.scorecard.load import load_scorecard
from qa.store import Store
from tests.test_executors import CARD, fake_factory
from tests.text_model import use_real_model

use_real_model(False)


class KillAfter(NoProgress):
    '''SIGKILL to this process after the n-th recording is written: a fixed point, no timer.'''

    def __init__(self, n):
        self.n, self.label, self.done = n, "", 0

    def start(self, total, label):
        self.label = label

    def advance(self, item, amount=1):
        if self.label.startswith("Transcribing"):
            self.done += 1
            if self.done == self.n:
                os.kill(os.getpid(), signal.SIGKILL)


def main():
    folder, db, kill_after = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    store = Store(db)
    job = ScoreJob([folder], load_scorecard(CARD))
    pool = LocalPool(2, fake_factory)
    report = job.run(store, Config(), Matcher(vectors=store), pool, KillAfter(kill_after))
    print(report.scored, len(report.transcription.transcribed) if report.transcription else 0)


if __name__ == "__main__":  # the pool's processes import this file too
    main()
"""


@pytest.mark.scale
def test_a_driver_killed_with_sigkill_resumes_without_duplicates(tmp_path: Path) -> None:
    folder = calls(tmp_path / "in", [0.5] * 4)
    script = tmp_path / "driver.py"
    script.write_text(DRIVER)
    db = tmp_path / "q.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def drive(kill_after: int, db: Path = db) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, str(script), str(folder), str(db), str(kill_after)]
        # Output to files: a pipe would wait for the killed driver's pool processes too.
        with (tmp_path / "out").open("w+") as out, (tmp_path / "err").open("w+") as err:
            done = subprocess.run(command, stdout=out, stderr=err, timeout=300, env=env)
            out.seek(0)
            err.seek(0)
            return subprocess.CompletedProcess(command, done.returncode, out.read(), err.read())

    killed = drive(2)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    store = Store(db)
    status = [r[0] for r in store.conn.execute("SELECT status FROM interactions")]
    assert sorted(status) == ["registered"] * 2 + ["transcribed"] * 2
    assert rows(store, "evaluations") == 0
    store.close()

    resumed = drive(0)
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout.split() == ["4", "2"]  # all scored; only the 2 left recognised
    store = Store(db)
    assert drive(0, tmp_path / "clean.db").returncode == 0  # the same run, never killed
    clean = Store(tmp_path / "clean.db")
    assert export_json(store) == export_json(clean)
    for table in ("interactions", "turns", "asr_segments", "evaluations", "criterion_results"):
        assert rows(store, table) == rows(clean, table), table


def test_the_engine_stamp_holds_within_one_process() -> None:
    """Two jobs run by one process (a driver scoring two batches, a test comparing two
    executors) are stamped with one engine: a cache filled by the first is not a setting."""
    from qa.campaigns.check import _embed
    from qa.engine import engine_settings, engine_stamp

    before = engine_stamp(engine_settings(Matcher().settings()))
    _embed(Matcher(), ["I can offer you twenty percent off"], ["20% off the first year"])
    assert engine_stamp(engine_settings(Matcher().settings())) == before


class BlasThreadsSeen(FakeTranscriber):
    """The fake recogniser, noting how many threads NumPy's BLAS had while it ran."""

    def __init__(self) -> None:
        super().__init__(BY_LEVEL)
        self.seen: list[int] = []

    def __call__(self, audio: np.ndarray) -> AsrResult:
        self.seen.append(_blas_threads())
        return super().__call__(audio)


def _blas_threads() -> int:
    from threadpoolctl import threadpool_info

    counts = {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}
    assert len(counts) == 1, threadpool_info()  # NumPy's own BLAS, found
    return counts.pop()


def test_a_recording_is_processed_with_the_same_blas_threads_in_every_process(
    tmp_path: Path,
) -> None:
    """A Ray worker starts OpenBLAS with one thread, the driver with one per core; the
    mel front-end's sums differ with the count, and so did tiny.en's words. The task pins it,
    whatever the process it runs in had, and gives the process its own count back."""
    from threadpoolctl import threadpool_limits

    from qa.executors.task import RecordingTask, run_recording
    from qa.voice.asr import BLAS_THREADS

    path = stereo_file(tmp_path / "call.wav", 0.5, 0.3)
    recogniser = BlasThreadsSeen()
    for threads in (1, 2, 3):
        with threadpool_limits(limits=threads, user_api="blas"):
            outcome = run_recording(
                RecordingTask("i1", str(path), VoiceSettings()), transcriber=recogniser
            )
            assert _blas_threads() == threads
        assert outcome.error is None and outcome.result is not None
    assert recogniser.seen == [BLAS_THREADS] * 6  # two channels, three processes' settings
