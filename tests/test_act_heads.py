"""Dialogue-act heads shipped fitted: they match today's examples, refit to the same numbers,
and a criterion's own examples still train a head of their own."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import numpy as np
import pytest

from qa.acts import classifier, forget_heads
from qa.acts.classifier import fit_logistic, head_for, training_set
from qa.acts.data import languages, load_acts
from qa.acts.heads import (
    ShippedHeads,
    compiled_examples,
    examples_digest,
    heads_path,
    shipped_heads,
)
from qa.models.text import DEFAULT_TEXT_MODEL


class Recorder:
    """An embedder named like the shipped model that remembers what it was asked to embed."""

    model_name = DEFAULT_TEXT_MODEL
    model_ref = "recorder"

    def __init__(self, heads: ShippedHeads) -> None:
        self.heads = heads
        self.asked: list[str] = []

    def embed(self, texts: list[str]) -> np.ndarray:
        self.asked += texts
        rows = [self.heads.vectors.get(t) for t in texts]
        return np.stack([r if r is not None else _new(t) for r, t in zip(rows, texts, strict=True)])


def _new(text: str) -> np.ndarray:
    """A fixed unit vector per text."""
    v = np.random.default_rng(zlib.crc32(text.encode())).normal(size=384)
    return (v / np.linalg.norm(v)).astype(np.float32)


@pytest.fixture
def heads() -> ShippedHeads:
    found = shipped_heads("en", DEFAULT_TEXT_MODEL)
    assert found is not None, "heads.npz does not match the examples: python -m qa.acts.fit"
    return found


def test_every_language_ships_heads_fitted_on_its_current_examples() -> None:
    for lang in languages():
        assert heads_path(lang).is_file(), lang
        found = shipped_heads(lang, DEFAULT_TEXT_MODEL)
        assert found is not None, f"{lang}: refit with python -m qa.acts.fit"
        assert set(found.acts) == set(load_acts(lang))


def test_shipped_heads_refit_from_their_own_vectors_to_the_same_numbers(
    heads: ShippedHeads,
) -> None:
    for act in ("apologise", "discovery_question", "churn_signal"):
        texts, labels, weights = training_set(act)
        x = np.stack([heads.vectors[t] for t in texts]).astype(np.float64)
        w, b = fit_logistic(x, np.array(labels), np.array(weights))
        np.testing.assert_allclose(w, heads.acts[act][0], atol=1e-6)
        assert abs(b - heads.acts[act][1]) < 1e-6


def test_heads_are_not_used_for_another_embedder_or_changed_examples(
    heads: ShippedHeads, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert shipped_heads("en", "some-other-model") is None
    assert shipped_heads("en", None) is None
    monkeypatch.setattr(classifier, "L2", classifier.L2 * 2)
    assert examples_digest("en") != heads.digest
    assert shipped_heads("en", DEFAULT_TEXT_MODEL) is None


def test_a_shipped_head_needs_no_embedding_and_extra_examples_train_their_own(
    heads: ShippedHeads,
) -> None:
    forget_heads()
    rec = Recorder(heads)
    plain = head_for("apologise", "en", rec)
    assert rec.asked == []
    np.testing.assert_array_equal(plain.weights, heads.acts["apologise"][0])
    extra = {"positive": ["zorbly flimflam, my apologies"], "negative": []}
    taught = head_for("apologise", "en", rec, extra)
    assert rec.asked == ["zorbly flimflam, my apologies"]  # only the new example
    assert not np.allclose(taught.weights, plain.weights)
    # The same head as a fit from nothing on the same vectors (the start changes nothing).
    texts, labels, weights = training_set("apologise", extra=extra)
    x = rec.embed(texts).astype(np.float64)
    w, b = fit_logistic(x, np.array(labels), np.array(weights))
    np.testing.assert_allclose(taught.weights, w, atol=1e-5)
    forget_heads()


def test_classify_scores_every_head_in_one_product_like_head_by_head(
    heads: ShippedHeads,
) -> None:
    forget_heads()
    rec = Recorder(heads)
    texts = list(heads.vectors)[:7]
    acts = ["apologise", "greet", "data_request"]
    rows = classifier.classify(texts, acts, embedder=rec)
    x = rec.embed(texts).astype(np.float64)
    for act in acts:
        w, b = heads.acts[act]
        want = 1 / (1 + np.exp(-(x @ w + b)))
        assert [r[act] for r in rows] == pytest.approx(list(want), abs=1e-9)
    forget_heads()


@pytest.mark.models
def test_shipped_vectors_are_what_the_model_gives_today(heads: ShippedHeads) -> None:
    from qa.models.text import TextEmbedder

    texts = sorted(heads.vectors)[:40]
    now = TextEmbedder().embed(texts)
    for text, vec in zip(texts, now, strict=True):
        assert float(np.dot(vec, heads.vectors[text])) > 0.999, text


def test_heads_file_is_package_data() -> None:
    text = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text()
    assert '"*/*.npz"' in text.split('"qa.acts"', 1)[1].split("\n", 1)[0]


def _compiled_folder(tmp_path: Path) -> Path:
    """Three act files and a heads file that carries them, as `qa.acts.fit` writes it."""
    from qa.acts.data import files_digest

    folder = tmp_path / "xx"
    folder.mkdir()
    acts = {}
    for name in ("apologise", "greet", "recap"):
        src = heads_path("en").parent / f"{name}.yaml"
        (folder / src.name).write_bytes(src.read_bytes())
        acts[name] = load_acts("en")[name].model_dump(mode="json")
    np.savez_compressed(
        folder / "heads.npz",
        files_digest=np.array(files_digest(sorted(folder.glob("*.yaml")))),
        examples=np.array(json.dumps(acts)),
    )
    return folder


def test_unchanged_example_files_are_read_from_the_heads_file_not_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa.acts import data

    folder = _compiled_folder(tmp_path)
    monkeypatch.setattr(data, "ACTS_DIR", tmp_path)

    def no_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an example file was parsed")

    with monkeypatch.context() as m:
        m.setattr(data, "validate_file", no_parse)
        data.load_acts.cache_clear()
        compiled = data.load_acts("xx")
    assert sorted(compiled) == ["apologise", "greet", "recap"]
    data.load_acts.cache_clear()
    assert compiled == data._parse_acts(sorted(folder.glob("*.yaml")))
    # One changed byte in one file: every file is parsed again, the change included.
    greet = folder / "greet.yaml"
    greet.write_text(
        greet.read_text(encoding="utf-8").replace(
            "positive:\n", 'positive:\n  - "Morning, Zorbly Telecom here."\n', 1
        ),
        encoding="utf-8",
    )
    data.load_acts.cache_clear()
    changed = data.load_acts("xx")
    assert "Morning, Zorbly Telecom here." in changed["greet"].positive
    assert changed["apologise"] == compiled["apologise"]
    data.load_acts.cache_clear()


def test_a_broken_example_file_is_reported_even_beside_a_heads_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa.acts import data
    from qa.yamlfile import FileErrors

    folder = _compiled_folder(tmp_path)
    monkeypatch.setattr(data, "ACTS_DIR", tmp_path)
    (folder / "recap.yaml").write_text("act: recap\npositive: [a, b]\n", encoding="utf-8")
    data.load_acts.cache_clear()
    with pytest.raises(FileErrors, match="recap.yaml"):
        data.load_acts("xx")
    data.load_acts.cache_clear()


def test_the_shipped_heads_file_carries_todays_examples() -> None:
    from qa.acts import data

    for lang in languages():
        folder = heads_path(lang).parent
        files = sorted(folder.glob("*.yaml"))
        compiled = compiled_examples(folder, data.files_digest(files))
        assert compiled is not None, f"{lang}: refit with python -m qa.acts.fit"
        assert {k: data.ActFile.model_validate(v) for k, v in compiled.items()} == (
            data._parse_acts(files)
        )
