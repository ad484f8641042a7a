"""Where a batch's recordings are transcribed: in the driver, in a local process pool, or on
a Ray cluster. Every executor runs the same task (qa.executors.task) and gives back the same
records, in the same order; the driver alone writes the store."""

from __future__ import annotations

from typing import Any, Protocol

from qa.errors import ConfigError
from qa.executors.task import CacheLookup, RecordingOutcome, RecordingTask, TranscriberFactory

EXECUTORS = ("local", "sequential", "ray")


class Executor(Protocol):
    name: str
    workers: int

    def open(self) -> None:
        """Get ready (join a cluster); a bad address fails here, before any work."""

    def transcribe(
        self, tasks: list[RecordingTask], lookup: CacheLookup | None = None
    ) -> Any:  # Iterator[RecordingOutcome], in the tasks' order
        ...

    def describe(self) -> dict[str, Any]: ...

    def close(self) -> None: ...


def make_executor(
    name: str = "local",
    workers: int | None = None,
    address: str | None = None,
    factory: TranscriberFactory | None = None,
) -> Executor:
    """The executor a command line asks for. `workers` 1 is the sequential one."""
    from qa.executors.local import LocalPool, Sequential

    if name not in EXECUTORS:
        raise ConfigError(f"--executor must be one of {', '.join(EXECUTORS)}, not {name}")
    if address is not None and name != "ray":
        raise ConfigError("--address goes with --executor ray")
    if name == "ray":
        from qa.executors.cluster import RayCluster

        if workers is not None:
            raise ConfigError(
                "--workers goes with --executor local: a Ray cluster runs one task per core"
            )
        return RayCluster(address, factory)
    if name == "sequential" or workers == 1:
        return Sequential(factory)
    return LocalPool(workers, factory)


__all__ = [
    "EXECUTORS",
    "Executor",
    "RecordingOutcome",
    "RecordingTask",
    "make_executor",
]
