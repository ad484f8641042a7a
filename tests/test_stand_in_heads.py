"""The stand-in model's act heads, kept between test processes, are the heads the classifier
fits itself (tests/text_model.py): a stale or wrong cache would change every fast scoring test."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa.acts import classifier
from qa.acts.data import load_acts
from tests import text_model
from tests.text_model import LexicalEmbedder, heads_key, load_stand_in_heads

KEY = (LexicalEmbedder.model_ref, "en")


def test_cached_heads_are_the_heads_the_classifier_fits() -> None:
    load_stand_in_heads()
    act = "apologise"
    cached = classifier._heads[(*KEY, act, "")]
    del classifier._heads[(*KEY, act, "")]
    try:
        fitted = classifier.head_for(act, "en", LexicalEmbedder())
    finally:
        classifier._heads[(*KEY, act, "")] = cached
    np.testing.assert_array_equal(cached.weights, fitted.weights)
    assert cached.bias == fitted.bias
    assert cached.examples == fitted.examples == len(classifier.training_set(act)[0])


def test_the_cache_is_filled_once_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_stand_in_heads()
    acts = sorted(load_acts("en"))
    kept = {a: classifier._heads[(*KEY, a, "")] for a in acts}
    monkeypatch.setattr(text_model, "CACHE", tmp_path)
    load_stand_in_heads()
    assert not list(tmp_path.glob("*.npz"))  # nothing to do while the table holds them
    # A fresh cache: the heads are fitted (here: the ones kept above) and written.
    for a in acts:
        del classifier._heads[(*KEY, a, "")]
    monkeypatch.setattr(classifier, "head_for", lambda act, lang, embedder, extra=None: kept[act])
    try:
        load_stand_in_heads()
        path = tmp_path / f"heads-en-{heads_key('en')}.npz"
        assert path.is_file()
        for a in acts:
            del classifier._heads[(*KEY, a, "")]
        monkeypatch.setattr(classifier, "head_for", None)  # read back, never fitted
        load_stand_in_heads()
        got = {a: classifier._heads[(*KEY, a, "")] for a in acts}
    finally:
        for a in acts:
            classifier._heads[(*KEY, a, "")] = kept[a]
    for a in acts:
        np.testing.assert_array_equal(got[a].weights, kept[a].weights)
        assert (got[a].bias, got[a].examples) == (kept[a].bias, kept[a].examples)


def test_the_key_follows_the_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    before = heads_key("en")
    monkeypatch.setattr(classifier, "L2", classifier.L2 * 2)
    assert heads_key("en") != before
