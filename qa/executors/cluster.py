"""The Ray executor: each recording is a Ray task, on whichever node has a free core.

The task decodes, recognises, diarizes and gives roles, and its records come back to the
driver, which alone writes the store. A Ray worker process keeps its models between tasks
(the per-process cache in qa.executors.task), so a model loads once per worker, not once
per file. A worker that dies mid-file has its task run again by Ray, once; if it dies
again the recording is recorded as failed with the reason, and the batch goes on.

Nothing leaves the machine: Ray's usage statistics are switched off (qa.offline) before
Ray is imported, and a local cluster starts without its dashboard.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

from qa.errors import ConfigError
from qa.executors.local import ATTEMPTS, WORKER_DIED
from qa.executors.task import (
    CacheLookup,
    RecordingOutcome,
    RecordingTask,
    TranscriberFactory,
    run_recording,
)

CONNECT_TIMEOUT_S = 5.0  # an --address that does not answer within this fails the command
RAY_CLIENT_PORT = 10001  # ray:// addresses without a port
RAY_GCS_PORT = 6379  # HOST addresses without a port


def _ray_transcribe(task: RecordingTask, factory: TranscriberFactory | None) -> RecordingOutcome:
    return run_recording(task, factory)


def address_endpoint(address: str) -> tuple[str, int] | None:
    """The host and port that an --address names; None for 'auto' (Ray finds the local
    cluster itself)."""
    if address == "auto":
        return None
    rest, default_port = address, RAY_GCS_PORT
    if "://" in address:
        scheme, rest = address.split("://", 1)
        if scheme != "ray":
            raise ConfigError(f"--address {address}: give HOST:PORT, ray://HOST:PORT or auto")
        default_port = RAY_CLIENT_PORT
    host, _, port = rest.rstrip("/").rpartition(":") if ":" in rest else (rest, "", "")
    if not host:
        raise ConfigError(f"--address {address}: no host; give HOST:PORT, ray://HOST:PORT or auto")
    try:
        number = int(port) if port else default_port
    except ValueError:
        raise ConfigError(f"--address {address}: the port must be a number") from None
    return host.strip("[]"), number


def check_reachable(address: str, timeout: float = CONNECT_TIMEOUT_S) -> None:
    """Fail in seconds, with the address in the message, where nothing listens: ray.init
    itself keeps retrying for a minute or more before it gives up."""
    endpoint = address_endpoint(address)
    if endpoint is None:
        return
    try:
        with socket.create_connection(endpoint, timeout=timeout):
            pass
    except OSError as exc:
        host, port = endpoint
        raise ConfigError(
            f"cannot reach the Ray cluster at {address} ({host}:{port}: {exc or 'timed out'}):"
            " start it with `ray start --head` on that machine, or check the address and port"
        ) from None


class RayCluster:
    """Recordings as Ray tasks: on the cluster at `address`, or on a Ray started here."""

    name = "ray"

    def __init__(
        self,
        address: str | None = None,
        factory: TranscriberFactory | None = None,
        num_cpus: int | None = None,
    ) -> None:
        self.address = address
        self.factory = factory
        self.num_cpus = num_cpus
        self._started = False
        self.workers = 0

    def open(self) -> None:
        """Join the cluster (or start a local one). A Ray already initialised in this
        process, by a test or by a notebook, is used as it is."""
        import qa.offline

        qa.offline.set_environment()
        if self.address is not None:
            check_reachable(self.address)
        import ray

        if not ray.is_initialized():
            options: dict[str, Any] = {"log_to_driver": False, "include_dashboard": False}
            if self.address is None:
                options["num_cpus"] = self.num_cpus
            try:
                ray.init(address=self.address, **options)
            except (ConnectionError, RuntimeError) as exc:
                raise ConfigError(
                    f"cannot join the Ray cluster at {self.address or 'a new local one'}: {exc}"
                ) from None
            self._started = True
        self.workers = int(ray.cluster_resources().get("CPU", 0))

    def transcribe(
        self, tasks: list[RecordingTask], lookup: CacheLookup | None = None
    ) -> Iterator[RecordingOutcome]:
        # No cache lookup: a node elsewhere cannot read the driver's database.
        import ray
        from ray.exceptions import RayError, RayTaskError

        if not self._started and not ray.is_initialized():
            self.open()
        remote = ray.remote(num_cpus=1, max_retries=ATTEMPTS - 1, retry_exceptions=False)(
            _ray_transcribe
        )
        refs = [remote.remote(task.with_threads(1), self.factory) for task in tasks]
        for task, ref in zip(tasks, refs, strict=True):
            try:
                yield ray.get(ref)
            except RayTaskError as exc:
                # The task's own error (a bug, not a bad file): raised as the sequential
                # executor would raise it.
                raise exc.as_instanceof_cause() from None
            except RayError as exc:  # the worker or its node died, on every attempt
                reason = WORKER_DIED.format(n=ATTEMPTS)
                yield RecordingOutcome(task.interaction_id, error=f"{reason}: {type(exc).__name__}")

    def describe(self) -> dict[str, Any]:
        return {"executor": self.name, "workers": self.workers, "address": self.address or "local"}

    def close(self) -> None:
        if self._started:
            import ray

            ray.shutdown()
            self._started = False
