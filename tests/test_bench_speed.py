"""The benches' bookkeeping: which ingested database may be reused, and the figures of
repeated passes (no model, no scoring)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.bench_judgment import code_digest
from bench.bench_scoring_speed import Pass, Timeline, Tokens, differing, passes_line


def _package(root: Path) -> Path:
    (root / "sub").mkdir(parents=True)
    (root / "a.py").write_text("x = 1\n")
    (root / "sub" / "b.yaml").write_text("k: v\n")
    return root


@pytest.mark.parametrize(
    ("change", "same"),
    [
        (lambda p: (p / "a.py").write_text("x = 2\n"), False),  # source
        (lambda p: (p / "sub" / "b.yaml").write_text("k: w\n"), False),  # data
        (lambda p: (p / "c.py").write_text(""), False),  # a new file
        (lambda p: (p / "a.py").rename(p / "z.py"), False),  # a renamed one
        (
            lambda p: (
                (p / "__pycache__").mkdir() or (p / "__pycache__" / "a.pyc").write_bytes(b"1")
            ),
            True,
        ),
        (lambda p: None, True),
    ],
)
def test_code_digest_follows_every_file_but_caches(tmp_path: Path, change, same) -> None:
    package = _package(tmp_path / "qa")
    before = code_digest(package)
    change(package)
    assert (code_digest(package) == before) is same


def _pass(wall: float, cpu: float, padded: int = 100) -> Pass:
    tokens = Tokens()
    tokens.padded = padded
    return Pass(45, wall, cpu, tokens, {}, [])


def test_repeated_passes_give_the_median_and_the_spread() -> None:
    passes = [_pass(4.5, 9.0, 300), _pass(9.0, 7.5, 100), _pass(5.0, 8.0, 200)]
    line = passes_line("after", passes)
    first, spread = line.splitlines()
    assert first.split() == ["after", "45", "5.00", "9.0", "8.00", "5.6", "200"]
    assert "spread of 3 passes: 5.0-10.0/s wall, 5.0-6.0 per CPU-s (7.50-9.00 CPU s)" in spread
    assert len(passes_line("before", passes[:1]).splitlines()) == 1


def test_token_counter_counts_sentences_and_padding() -> None:
    class Enc:
        def __init__(self, n: int) -> None:
            self.ids = [0] * n

    tokens = Tokens()
    run = tokens.counting(lambda encodings: len(encodings))
    assert run([Enc(3), Enc(5)]) == 2
    run([Enc(4)])
    assert (tokens.real, tokens.padded, tokens.runs) == (12, 14, 2)
    assert list(tokens.cpu) == ["MainThread"] and tokens.cpu["MainThread"] >= 0.0


def test_timeline_counts_cpu_by_thread_and_runnable_threads_by_tenths() -> None:
    """Samples at 0..10 s: one thread runnable in the first half, three (two cores) after;
    a thread that starts during the scoring counts from nothing."""
    t = Timeline()
    t.samples = [
        (
            float(k),
            {"main": 0.5 * k, **({"embed": 0.8 * (k - 5)} if k >= 5 else {})},
            1 + 2 * (k >= 5),
        )
        for k in range(11)
    ]
    assert t.busy() == {"main": 5.0, "embed": 4.0}
    mean, tenths = t.runnable()
    assert tenths == [1.0] * 5 + [2.0] * 5
    assert mean == (5 * 1 + 6 * 2) / 11


def test_differing_lists_keys_on_either_side() -> None:
    a = {"x/1": ("pass", 1.0), "x/2": ("fail", 0.0)}
    b = {"x/1": ("pass", 1.0), "x/2": ("pass", 1.0), "x/3": ("na", 0.0)}
    assert differing(a, b) == ["x/2", "x/3"]
    assert differing(a, dict(a)) == []
