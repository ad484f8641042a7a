"""Campaign phrases are embedded once per process, and per model: a phrase's vector under one
embedder is never served to another."""

from __future__ import annotations

import numpy as np

import qa.campaigns.check as check
from qa.matching import Matcher


class Named:
    def __init__(self, name: str, value: float) -> None:
        self.model_name = name
        self.value = value
        self.calls: list[list[str]] = []

    def embed(self, texts: list[str]) -> list[np.ndarray]:
        self.calls.append(list(texts))
        return [np.full(3, self.value) for _ in texts]


class Unnamed(Named):
    def __init__(self, value: float) -> None:
        super().__init__("", value)
        del self.model_name


def test_a_phrase_gets_each_models_own_vector(monkeypatch):
    monkeypatch.setattr(check, "_phrase_vectors", {})
    first, second = Named("model-a", 1.0), Named("model-b", 2.0)
    a = check._embed(Matcher(embedder=first), ["said"], ["a phrase"])
    b = check._embed(Matcher(embedder=second), ["said"], ["a phrase"])
    assert a["a phrase"][0] == 1.0
    assert b["a phrase"][0] == 2.0
    assert second.calls == [["said", "a phrase"]]


def test_a_phrase_is_embedded_once_per_model(monkeypatch):
    monkeypatch.setattr(check, "_phrase_vectors", {})
    model = Named("model-a", 1.0)
    check._embed(Matcher(embedder=model), ["one"], ["a phrase"])
    again = check._embed(Matcher(embedder=Named("model-a", 9.0)), ["two"], ["a phrase"])
    assert again["a phrase"][0] == 1.0  # the same model's vector, kept
    assert model.calls == [["one", "a phrase"]]


def test_a_said_sentence_that_is_a_known_phrase_keeps_its_vector(monkeypatch):
    monkeypatch.setattr(check, "_phrase_vectors", {})
    model = Named("model-a", 1.0)
    check._embed(Matcher(embedder=model), [], ["a phrase"])
    out = check._embed(Matcher(embedder=model), ["a phrase"], [])
    assert out["a phrase"][0] == 1.0


def test_stand_ins_without_a_name_never_share_vectors():
    first, second = Unnamed(1.0), Unnamed(2.0)
    a = check._embed(Matcher(embedder=first), [], ["a phrase"])
    b = check._embed(Matcher(embedder=second), [], ["a phrase"])
    assert (a["a phrase"][0], b["a phrase"][0]) == (1.0, 2.0)
