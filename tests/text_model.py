"""A stand-in for the sentence model in the fast tests.

The fast tests score with the shipped cards, whose semantic criteria and campaign checks
embed sentences; they test the arithmetic, storage and plumbing around the model, not its
judgement. Loading torch and the real model costs seconds of CPU in every test process, so
outside the tests marked `models` every `TextEmbedder(...)` made anywhere in qa gives a
LexicalEmbedder instead: hashed words and word stems, unit length, deterministic. The tests
marked `models` get the real one.
"""

from __future__ import annotations

import zlib
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


def _real_new(cls: type, *args: Any, **kwargs: Any) -> Any:
    return object.__new__(cls)


def _lexical_new(cls: type, *args: Any, **kwargs: Any) -> Any:
    # Not an instance of cls, so TextEmbedder.__init__ is not run on it.
    return LexicalEmbedder(*args, **kwargs)
