"""Which dialogue acts a sentence performs: a logistic head per act over sentence embeddings.

Each act's head is trained on its own positive examples against its negatives
and, with a lower weight, the positives of every other act of the language
(what a sentence does when it does something else). The heads of the shipped
examples ship fitted (``qa/acts/heads.py``); a head with a criterion's extra
examples is fitted once per process, starting from the shipped one.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from qa.acts.data import languages, load_acts
from qa.acts.heads import _read, shipped_heads
from qa.errors import ConfigError
from qa.models.text import Embedder, TextEmbedder

OTHER_ACT_WEIGHT = 0.5  # other acts' positives are negatives, but softer ones
L2 = 1.0  # ridge penalty of the logistic head; measured on held-out examples (bench/bench_acts.py)
NEWTON_STEPS = 25
# NumPy's BLAS threads while a head is fitted. The products are small: at two threads on a
# busy 2-core machine each Newton step's solve took ten times the CPU of one thread (the
# threads spin), and a fixed count gives the same head on every machine.
FIT_BLAS_THREADS = 1

ExtraExamples = dict[str, dict[str, list[str]]]


@dataclass(frozen=True)
class Head:
    weights: Any  # numpy vector over the embedding
    bias: float
    examples: int


_heads: dict[tuple[str, str, str, str], Head] = {}
# The same heads by what a caller hands over (the extras' words as they are, no digest to
# compute), and the weights of a list of heads side by side: classify() is called for every
# sentence a criterion asks about, and the same few heads answer each time.
_known: dict[tuple[Any, ...], tuple[tuple[str, str, str, str], Head]] = {}
_stacked: dict[tuple[int, ...], tuple[tuple[Head, ...], Any, Any]] = {}
_lock = threading.Lock()
_default: TextEmbedder | None = None


def default_embedder() -> TextEmbedder:
    """One embedder per process for callers that bring none."""
    global _default
    if _default is None:
        _default = TextEmbedder()
    return _default


def _model_name(embedder: Embedder) -> str | None:
    name = getattr(embedder, "model_name", None)
    return str(name) if name else None


def _model_ref(embedder: Embedder) -> str:
    return str(getattr(embedder, "model_ref", type(embedder).__name__))


def _extras_key(extra: dict[str, list[str]] | None) -> str:
    if not extra:
        return ""
    return hashlib.sha1(json.dumps(extra, sort_keys=True).encode()).hexdigest()[:16]


def training_set(
    act: str, lang: str = "en", extra: dict[str, list[str]] | None = None
) -> tuple[list[str], list[float], list[float]]:
    """Texts, labels (1 or 0) and sample weights for one act's head."""
    acts = load_acts(lang)
    if act not in acts:
        raise ConfigError(f"unknown dialogue act {act!r} for {lang!r}: use one of {sorted(acts)}")
    own = acts[act]
    positive = list(dict.fromkeys(own.positive + list((extra or {}).get("positive", []))))
    negative = list(dict.fromkeys(own.negative + list((extra or {}).get("negative", []))))
    texts = positive + negative
    labels = [1.0] * len(positive) + [0.0] * len(negative)
    weights = [1.0] * len(texts)
    taken = set(texts)
    for name, other in sorted(acts.items()):
        if name == act or name in own.related or act in other.related:
            continue
        for text in other.positive:
            if text not in taken:
                taken.add(text)
                texts.append(text)
                labels.append(0.0)
                weights.append(OTHER_ACT_WEIGHT)
    return texts, labels, weights


@contextmanager
def _fit_blas() -> Iterator[None]:
    """NumPy's BLAS at FIT_BLAS_THREADS inside (threadpoolctl comes with the models extra;
    without it, as the process has it)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        yield
        return
    with threadpool_limits(limits=FIT_BLAS_THREADS, user_api="blas"):
        yield


def fit_logistic(
    x: Any, y: Any, w: Any, l2: float = L2, start: tuple[Any, float] | None = None
) -> tuple[Any, float]:
    """Weighted, ridge-penalised logistic regression by Newton's method (small data, exact)."""
    with _fit_blas():
        return _fit_logistic(x, y, w, l2, start)


def _fit_logistic(
    x: Any, y: Any, w: Any, l2: float, start: tuple[Any, float] | None
) -> tuple[Any, float]:
    import numpy as np

    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))])
    # Balance the classes so a few positives are not drowned by many negatives.
    pos = float((w * y).sum()) or 1.0
    neg = float((w * (1 - y)).sum()) or 1.0
    sw = w * np.where(y > 0.5, 0.5 / pos, 0.5 / neg) * n
    beta = np.zeros(d + 1) if start is None else np.append(np.asarray(start[0]), start[1])
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0
    for _ in range(NEWTON_STEPS):
        p = 1 / (1 + np.exp(-(xb @ beta)))
        grad = xb.T @ (sw * (p - y)) + penalty * beta
        hess = (xb * (sw * p * (1 - p))[:, None]).T @ xb + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if float(np.abs(step).max()) < 1e-6:
            break
    return beta[:-1], float(beta[-1])


def _words_key(extra: dict[str, list[str]] | None) -> tuple[Any, ...]:
    if not extra:
        return ()
    return tuple(sorted((k, tuple(v)) for k, v in extra.items()))


def head_for(
    act: str, lang: str, embedder: Embedder, extra: dict[str, list[str]] | None = None
) -> Head:
    ref = _model_ref(embedder)
    quick = (ref, lang, act, _words_key(extra))
    known = _known.get(quick)
    if known is not None and _heads.get(known[0]) is known[1]:
        return known[1]
    key = (ref, lang, act, _extras_key(extra))
    with _lock:
        head = _heads.get(key)
    if head is None:
        head = _fit_head(act, lang, embedder, extra)
        with _lock:
            head = _heads.setdefault(key, head)
    with _lock:
        _known[quick] = (key, head)
    return head


def _fit_head(act: str, lang: str, embedder: Embedder, extra: dict[str, list[str]] | None) -> Head:
    """The shipped head, or one fitted on the examples with the criterion's extras."""
    import numpy as np

    shipped = shipped_heads(lang, _model_name(embedder))
    base = shipped.acts.get(act) if shipped is not None else None
    texts, labels, weights = training_set(act, lang, extra)
    if base is not None and not extra:
        head = Head(base[0], base[1], len(texts))
    else:
        known = shipped.vectors if shipped is not None else {}
        new = [t for t in texts if t not in known]
        fresh = dict(zip(new, np.asarray(embedder.embed(new)), strict=True)) if new else {}
        vectors = np.stack([known[t] if t in known else fresh[t] for t in texts])
        w, b = fit_logistic(
            vectors.astype(np.float64), np.array(labels), np.array(weights), start=base
        )
        head = Head(w, b, len(texts))
    return head


def classify(
    texts: list[str],
    acts: list[str],
    lang: str = "en",
    extra_examples: ExtraExamples | None = None,
    embedder: Embedder | None = None,
) -> list[dict[str, float]]:
    """Per text, the probability that it performs each act."""
    import numpy as np

    if not texts:
        return []
    embedder = embedder or default_embedder()
    heads = [head_for(a, lang, embedder, (extra_examples or {}).get(a)) for a in acts]
    vectors = np.asarray(embedder.embed(list(texts)), dtype=np.float64)
    weights, bias = _side_by_side(heads)
    probs = 1 / (1 + np.exp(-(vectors @ weights + bias)))
    return [dict(zip(acts, map(float, row), strict=True)) for row in probs]


def _side_by_side(heads: list[Head]) -> tuple[Any, Any]:
    """The heads' weights as columns of one matrix and their biases (every head at once:
    one matrix product), made once per list of heads."""
    import numpy as np

    key = tuple(id(h) for h in heads)
    found = _stacked.get(key)
    if found is None or any(a is not b for a, b in zip(found[0], heads, strict=True)):
        weights = np.stack([h.weights for h in heads], axis=1)
        bias = np.array([h.bias for h in heads])
        found = (tuple(heads), weights, bias)
        with _lock:
            _stacked[key] = found
    return found[1], found[2]


def forget_heads() -> None:
    """Drop every trained head (after example files change within one process)."""
    with _lock:
        _heads.clear()
        _known.clear()
        _stacked.clear()
    load_acts.cache_clear()
    languages.cache_clear()
    _read.cache_clear()
