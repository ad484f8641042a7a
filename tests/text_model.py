"""A stand-in for the sentence model in the fast tests.

The fast tests score with the shipped cards, whose semantic criteria and campaign checks
embed sentences; they test the arithmetic, storage and plumbing around the model, not its
judgement. Loading torch and the real model costs seconds of CPU in every test process, so
outside the tests marked `models` every `TextEmbedder(...)` made anywhere in qa gives a
LexicalEmbedder instead: hashed words and word stems, unit length, deterministic. The tests
marked `models` get the real one.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from qa.text import STOPWORDS, normalise

DIM = 384


class LexicalEmbedder:
    """Sentences that share words are near; no meaning beyond that."""

    model_name = "lexical-test-embedder"
    model_ref = "lexical-test-embedder"

    def __init__(self, model: Any = None, vectors: Any = None) -> None:
        self.vectors = vectors

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in normalise(text).split():
                weight = 0.3 if word in STOPWORDS else 1.0
                for feature in {word, word[:5]}:
                    h = zlib.crc32(feature.encode())
                    out[row, h % DIM] += weight if h & 0x10000 else -weight
            norm = float(np.linalg.norm(out[row]))
            if norm:
                out[row] /= norm
        return out


def use_real_model(real: bool) -> None:
    """From now on, `TextEmbedder(...)` makes the real embedder, or a LexicalEmbedder."""
    from qa.models.text import TextEmbedder

    if real:
        TextEmbedder.__new__ = _real_new  # type: ignore[method-assign]
        # An embedder kept for the process must not carry stand-in vectors into a real test.
        import qa.acts.classifier as classifier

        if isinstance(classifier._default, LexicalEmbedder):
            classifier._default = None
    else:
        TextEmbedder.__new__ = _lexical_new  # type: ignore[method-assign]
        load_stand_in_heads()


def _real_new(cls: type, *args: Any, **kwargs: Any) -> Any:
    return object.__new__(cls)


def _lexical_new(cls: type, *args: Any, **kwargs: Any) -> Any:
    # Not an instance of cls, so TextEmbedder.__init__ is not run on it.
    return LexicalEmbedder(*args, **kwargs)


# Where the stand-in's fitted act heads are kept between test processes (QA_TEST_CACHE, else
# the system's temporary folder): fitting every head on the stand-in's vectors costs about
# 15 s of CPU, in every test worker and in every subprocess that scores.
CACHE = Path(os.environ.get("QA_TEST_CACHE") or Path(tempfile.gettempdir()) / "qa-test-cache")


def heads_key(lang: str) -> str:
    """What the stand-in's heads depend on: the act examples and fitting settings (the
    shipped heads' digest), the fitting code and this stand-in's own code."""
    from qa.acts import classifier
    from qa.acts.heads import examples_digest

    blob = hashlib.sha256(examples_digest(lang).encode())
    for module in (classifier.__file__, __file__):
        blob.update(Path(module).read_bytes())
    return blob.hexdigest()[:20]


def load_stand_in_heads() -> None:
    """Put the stand-in's act heads, as `head_for` fits them, into the classifier's
    per-process table: read from the cache, or fitted once (under a lock, so that parallel
    workers fit them once between them) and written there. A no-op while they are there."""
    from qa.acts import classifier
    from qa.acts.data import languages, load_acts

    ref = LexicalEmbedder.model_ref
    for lang in languages():
        acts = sorted(load_acts(lang))
        if all((ref, lang, act, "") in classifier._heads for act in acts):
            continue
        path = CACHE / f"heads-{lang}-{heads_key(lang)}.npz"
        if not path.is_file():
            _fit_into(path, lang, acts)
        with np.load(path, allow_pickle=False) as data:
            if [str(a) for a in data["acts"]] != acts:  # not this checkout's acts
                continue
            for i, act in enumerate(acts):
                head = classifier.Head(
                    data["weights"][i], float(data["bias"][i]), int(data["examples"][i])
                )
                classifier._heads.setdefault((ref, lang, act, ""), head)


def _fit_into(path: Path, lang: str, acts: list[str]) -> None:
    from qa.acts import classifier

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.is_file():  # another process fitted them meanwhile
            return
        embedder = LexicalEmbedder()
        heads = [classifier.head_for(act, lang, embedder) for act in acts]
        part = path.with_name(f"{path.stem}.{os.getpid()}.part.npz")
        np.savez(
            part,
            acts=np.array(acts),
            weights=np.stack([h.weights for h in heads]),
            bias=np.array([h.bias for h in heads]),
            examples=np.array([h.examples for h in heads]),
        )
        os.replace(part, path)
