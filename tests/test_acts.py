"""The dialogue-act layer: example files validated like a scorecard, heads that learn from them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa.acts import classify, forget_heads, known_acts, load_acts
from qa.acts.classifier import fit_logistic, training_set
from qa.acts.data import ACTS_DIR
from qa.yamlfile import FileErrors


class BagOfWords:
    """A fake embedder: one dimension per word, unit length. Enough to test the heads."""

    model_ref = "bag-of-words"

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}

    def embed(self, texts: list[str]) -> np.ndarray:
        rows = []
        for text in texts:
            vec = np.zeros(512)
            for w in text.lower().replace("?", " ").replace(".", " ").replace(",", " ").split():
                vec[self.vocab.setdefault(w, len(self.vocab) % 512)] += 1
            rows.append(vec / (np.linalg.norm(vec) or 1))
        return np.stack(rows)


def test_every_shipped_act_file_loads_and_names_itself() -> None:
    acts = load_acts("en")
    assert {"apologise", "discovery_question", "data_request", "churn_signal"} <= set(acts)
    for name, act in acts.items():
        assert (ACTS_DIR / "en" / f"{name}.yaml").exists()
        assert act.positive and act.negative
        assert all(r in acts for r in act.related), name


def test_a_bad_act_file_is_reported_with_file_and_line(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "xx"
    folder.mkdir()
    (folder / "greet.yaml").write_text(
        "act: greet\ndescription: hi\npositive: [a, b, c]\nnegative: [d, e, f]\ncolour: red\n"
    )
    (folder / "wave.yaml").write_text(
        "act: hello\ndescription: hi\npositive: [a, b, c]\nnegative: [d, e, f]\n"
    )
    monkeypatch.setattr("qa.acts.data.ACTS_DIR", tmp_path)
    load_acts.cache_clear()
    try:
        with pytest.raises(FileErrors) as err:
            load_acts("xx")
    finally:
        load_acts.cache_clear()
    text = str(err.value)
    assert "greet.yaml:5 colour: unknown key" in text
    assert "wave.yaml:1 act: 'hello' must match the file name" in text


def test_training_set_uses_other_acts_as_soft_negatives_but_not_related_ones() -> None:
    texts, labels, weights = training_set("apologise")
    acts = load_acts()
    assert set(acts["apologise"].positive) <= {
        t for t, y in zip(texts, labels, strict=True) if y == 1
    }
    greet = acts["greet"].positive[0]
    assert labels[texts.index(greet)] == 0 and weights[texts.index(greet)] < 1
    related = acts["acknowledge_impact"].positive[0]
    assert related not in texts


def test_logistic_head_separates_two_clusters() -> None:
    rng = np.random.default_rng(0)
    x = np.vstack([rng.normal(1, 0.3, (20, 5)), rng.normal(-1, 0.3, (20, 5))])
    y = np.array([1.0] * 20 + [0.0] * 20)
    w, b = fit_logistic(x, y, np.ones(40))
    p = 1 / (1 + np.exp(-(x @ w + b)))
    assert (p[:20] > 0.5).all() and (p[20:] < 0.5).all()


def test_classify_with_extra_examples_learns_a_new_phrasing() -> None:
    forget_heads()
    fake = BagOfWords()
    text = "zorbly flimflam"
    before = classify([text], ["apologise"], embedder=fake)[0]["apologise"]
    extra = {"apologise": {"positive": ["zorbly flimflam for the mess", "zorbly flimflam"]}}
    after = classify([text], ["apologise"], extra_examples=extra, embedder=fake)[0]["apologise"]
    assert after > 0.5 > before
    assert set(known_acts()) == set(load_acts())


@pytest.mark.models
def test_shipped_heads_recognise_acts_they_were_not_shown() -> None:
    texts = [
        "Oh no, I'm so sorry the parcel never came, what a pain for you.",
        "Could you read me your customer number?",
        "So tell me, how do you normally use the internet at home?",
        "Is all of that clear so far?",
        "Honestly, I think I will go with a different company from now on.",
    ]
    acts = ["apologise", "data_request", "discovery_question", "check_understanding"]
    probs = classify(texts, [*acts, "churn_signal"])
    for row, act in zip(probs, [*acts, "churn_signal"], strict=True):
        assert max(row, key=row.get) == act, (row, act)
