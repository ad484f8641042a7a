"""Fitted dialogue-act heads shipped as data, so that no process fits them again.

``qa/acts/<lang>/heads.npz`` holds, for the embedder it was fitted with, every act's
head (weights and bias) and the vector of every example text the heads were trained on.
It names the embedder and carries a digest of the example files and of the training
settings: a head is used only when both still match, otherwise it is fitted at run time
as before. It also carries the examples themselves, with a digest of the files' bytes,
so that a process reads them without parsing the YAML files while those are unchanged. A criterion that adds its own examples still gets its own head; the shipped
vectors then spare embedding the act's examples again and the shipped head is the start
of the fit, so only the new examples are embedded.

Refit after editing the examples (the test suite checks that the file matches them)::

    PYTHONPATH=. python -m qa.acts.fit [--lang en]
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from qa.acts.data import ACTS_DIR, files_digest, load_acts

HEADS_NAME = "heads.npz"


@dataclass(frozen=True)
class ShippedHeads:
    model: str
    digest: str
    acts: dict[str, tuple[Any, float]]  # act -> (weights, bias)
    vectors: dict[str, Any]  # example text -> its vector


def heads_path(lang: str) -> Path:
    return ACTS_DIR / lang / HEADS_NAME


def examples_digest(lang: str = "en") -> str:
    """What the heads depend on: every act's examples and the fitting settings."""
    from qa.acts import classifier

    acts = {name: act.model_dump(mode="json") for name, act in load_acts(lang).items()}
    settings = {
        "other_act_weight": classifier.OTHER_ACT_WEIGHT,
        "l2": classifier.L2,
        "newton_steps": classifier.NEWTON_STEPS,
    }
    blob = json.dumps({"acts": acts, "settings": settings}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


@lru_cache(maxsize=8)
def _read(path: Path) -> ShippedHeads | None:
    import numpy as np

    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        names = [str(a) for a in data["acts"]]
        weights = data["weights"]
        bias = data["bias"]
        texts = [str(t) for t in data["texts"]]
        vectors = data["vectors"]
        return ShippedHeads(
            model=str(data["model"]),
            digest=str(data["digest"]),
            acts={a: (weights[i], float(bias[i])) for i, a in enumerate(names)},
            vectors={t: vectors[i] for i, t in enumerate(texts)},
        )


def compiled_examples(folder: Path, digest: str) -> dict[str, Any] | None:
    """The act examples stored beside the heads (act -> its file's fields), when they were
    stored from files with these bytes; else None."""
    import numpy as np

    path = folder / HEADS_NAME
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            if "files_digest" not in data.files or str(data["files_digest"]) != digest:
                return None
            found: dict[str, Any] = json.loads(str(data["examples"]))
            return found
    except (OSError, ValueError, KeyError):
        return None


def shipped_heads(lang: str, model: str | None) -> ShippedHeads | None:
    """The shipped heads of a language when they were fitted with this embedder on
    today's examples, else None."""
    if model is None:
        return None
    heads = _read(heads_path(lang))
    if heads is None or heads.model != model or heads.digest != examples_digest(lang):
        return None
    return heads


def fit_heads(lang: str, embedder: Any) -> Path:
    """Fit every act's head of a language on the embedder and write the file."""
    import numpy as np

    from qa.acts.classifier import fit_logistic, training_set

    acts = sorted(load_acts(lang))
    sets = {a: training_set(a, lang) for a in acts}
    texts = sorted({t for texts, _, _ in sets.values() for t in texts})
    vectors = np.asarray(embedder.embed(texts), dtype=np.float32)
    row = {t: i for i, t in enumerate(texts)}
    weights, bias = [], []
    for act in acts:
        ts, labels, w = sets[act]
        x = vectors[[row[t] for t in ts]].astype(np.float64)
        beta, b = fit_logistic(x, np.array(labels), np.array(w))
        weights.append(beta)
        bias.append(b)
    path = heads_path(lang)
    examples = {a: act.model_dump(mode="json") for a, act in load_acts(lang).items()}
    np.savez_compressed(
        path,
        model=np.array(embedder.model_name),
        digest=np.array(examples_digest(lang)),
        acts=np.array(acts),
        weights=np.array(weights, dtype=np.float64),
        bias=np.array(bias, dtype=np.float64),
        texts=np.array(texts),
        vectors=vectors,
        files_digest=np.array(files_digest(sorted(path.parent.glob("*.yaml")))),
        examples=np.array(json.dumps(examples, sort_keys=True, ensure_ascii=False)),
    )
    _read.cache_clear()
    return path
