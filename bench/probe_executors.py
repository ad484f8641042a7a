"""Where does a recording's transcript differ between executors? One demo call, recognised in
this process, in a process of the local pool and in a Ray task, with a hash per stage: the
decoded samples, the VAD's speech regions, the log-mel features, the encoder's output and the
words (with their probabilities), next to what each process runs with (thread settings,
denormal handling, the threading libraries loaded).

    PYTHONPATH=$PWD nice -n 10 .venv/bin/python bench/probe_executors.py [CALL] [--threads 1]

A stage whose hash differs between two columns, while the stages before it agree, is where
the executors part.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CALL = ROOT / "examples" / "calls" / "l.chen_20260305_1003.flac"
ENV_PREFIXES = ("OMP_", "MKL_", "OPENBLAS_", "KMP_", "CT2_", "GOMP_", "ONEDNN_", "DNNL_")
LIBS = ("gomp", "iomp", "mkl", "dnnl", "openblas", "onnxruntime", "torch_cpu", "ctranslate2")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def _denormals_kept() -> bool:
    """False where flush-to-zero / denormals-are-zero is set in this thread's MXCSR."""
    import numpy as np

    tiny = np.array([1e-39], dtype=np.float32)  # a float32 denormal
    return bool((tiny * np.float32(1.0))[0] != 0) and bool((tiny + np.float32(0.0))[0] != 0)


def _libraries() -> list[str]:
    found = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            name = line.rsplit("/", 1)[-1].strip()
            if ".so" in name and any(lib in name for lib in LIBS):
                found.add(name)
    return sorted(found)


def probe(path: str, threads: int) -> dict[str, Any]:
    import numpy as np

    from qa.config import load_config
    from qa.models.registry import resolve_asr
    from qa.voice.asr import SAMPLE_RATE, WhisperTranscriber, _whisper
    from qa.voice.batch import voice_settings
    from qa.voice.pipeline import decode

    settings = voice_settings(load_config(ROOT / "examples" / "qa.yaml")).asr
    settings = type(settings)(**{**settings.__dict__, "cpu_threads": threads})
    out: dict[str, Any] = {
        "pid": os.getpid(),
        "env": {k: v for k, v in sorted(os.environ.items()) if k.startswith(ENV_PREFIXES)},
        "denormals kept (no FTZ/DAZ)": _denormals_kept(),
    }
    channels = decode(Path(path))
    out["decoded"] = [_digest(c.tobytes()) for c in channels]
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    vad = [
        get_speech_timestamps(c, VadOptions(speech_pad_ms=settings.vad_speech_pad_ms))
        for c in channels
    ]
    out["vad"] = [_digest(repr(v).encode()) for v in vad]
    model = _whisper(resolve_asr(settings.model), settings.compute_type, threads)
    head = [c[: 30 * SAMPLE_RATE] for c in channels]
    feats = [model.feature_extractor(h)[:, :3000] for h in head]
    feats = [np.pad(f, ((0, 0), (0, 3000 - f.shape[1]))) for f in feats]
    out["features"] = [_digest(np.ascontiguousarray(f).tobytes()) for f in feats]
    encoded = [np.array(model.encode(f)) for f in feats]
    out["encoder"] = [_digest(e.tobytes()) for e in encoded]
    transcriber = WhisperTranscriber(settings)
    results = [transcriber(c) for c in channels]
    words = [[(w.word, w.probability) for w in r.words] for r in results]
    out["words"] = [_digest(repr(w).encode()) for w in words]
    out["first words"] = [w[:4] for w in words]
    out["denormals kept after recognition"] = _denormals_kept()
    out["libraries"] = _libraries()
    if "torch" in sys.modules:
        import torch

        out["torch threads"] = (torch.get_num_threads(), torch.get_num_interop_threads())
    import ctranslate2

    out["ct2 threads (model)"] = (model.model.num_workers, model.model.num_active_batches)
    out["ct2"] = ctranslate2.__version__
    return out


def _pool_probe(path: str, threads: int) -> dict[str, Any]:
    return probe(path, threads)


def _in_pool(path: str, threads: int) -> dict[str, Any]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from qa.executors.local import _start_worker

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        1, mp_context=context, initializer=_start_worker, initargs=(threads,)
    ) as pool:
        return pool.submit(_pool_probe, path, threads).result()


def _in_ray(path: str, threads: int) -> dict[str, Any]:
    import qa.offline

    qa.offline.set_environment()
    import ray

    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        runtime_env={"env_vars": {"PYTHONPATH": str(ROOT)}},
    )
    try:
        remote = ray.remote(num_cpus=1)(probe)
        return ray.get(remote.remote(path, threads))
    finally:
        ray.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("call", nargs="?", default=str(DEFAULT_CALL))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--only", choices=["plain", "pool", "ray"], action="append")
    args = parser.parse_args()
    runs = {"plain": probe, "pool": _in_pool, "ray": _in_ray}
    columns = {
        name: run(args.call, args.threads)
        for name, run in runs.items()
        if not args.only or name in args.only
    }
    keys = list(next(iter(columns.values())))
    for key in keys:
        values = {name: col.get(key) for name, col in columns.items()}
        same = len({repr(v) for v in values.values()}) == 1 or key == "pid"
        print(f"{'  ' if same else '!!'} {key}")
        for name, value in values.items():
            print(f"     {name:5} {value}")


if __name__ == "__main__":
    main()
