"""What the trainer and batch commands print matches what they do: the model list, the
transcription summary, the cards a routed run scored with, and the examples a card test
reads by default."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner

from qa.cli import _by_card, _transcribed_line, cli
from qa.models.registry import REGISTRY


def test_the_ge2e_note_names_the_runtime_it_runs_on() -> None:
    note = REGISTRY["ge2e"].note
    assert "onnxruntime" in note and "run in NumPy" not in note


def test_models_list_columns_line_up() -> None:
    out = CliRunner().invoke(cli, ["models", "list"]).output
    rows = [ln for ln in out.splitlines() if ln[:1] in ("*", " ") and not ln.startswith("    ")]
    assert len(rows) == len(REGISTRY)
    for column in ("  from ", "  installed" if "  installed" in rows[0] else "  NOT INSTALLED"):
        assert len({ln.index(column) for ln in rows if column in ln}) == 1, column
    uses = {ln.index(spec.use) for ln, spec in zip(rows, REGISTRY.values(), strict=True)}
    assert len(uses) == 1


def run(transcribed: int, failed: int = 0, held: int = 0, **extra: Any) -> dict[str, Any]:
    return {
        "transcribed": transcribed,
        "failed": failed,
        "held_for_review": held,
        "audio_minutes": extra.get("minutes", 0.0),
        "real_time_factor": extra.get("rtf"),
    }


@pytest.mark.parametrize(
    ("d", "line"),
    [
        (run(0), "Nothing to transcribe: no registered recording waits"),
        (run(0, failed=2), "0 recordings transcribed, 2 failed, 0 held for review."),
        (
            run(3, held=1, minutes=2.5, rtf=0.2),
            "3 recordings transcribed (2.5 audio minutes, 0.2x real time), 0 failed,"
            " 1 held for review.",
        ),
        (run(1, minutes=0.5), "1 recordings transcribed (0.5 audio minutes), 0 failed"),
    ],
)
def test_the_transcription_summary_has_no_empty_figures(d: dict[str, Any], line: str) -> None:
    got = _transcribed_line(d)
    assert got.startswith(line) and "-x" not in got


def test_a_routed_summary_names_each_card_and_its_count() -> None:
    routing = SimpleNamespace(path=Path("scorecards/routing.yaml"))
    report = SimpleNamespace(by_card={"Inbound service (fda4052f)": 9, "Chat (1b2c3d4e)": 5})
    assert _by_card(routing, report) == (
        "routing.yaml [Inbound service (fda4052f): 9, Chat (1b2c3d4e): 5]"
    )
    assert _by_card(routing, SimpleNamespace(by_card={})) == "routing.yaml"


CARD = """\
name: Tiny
sections:
  - id: s
    criteria:
      - {id: hello, type: phrase.v1, phrases: ["hello there"], match: exact}
"""


def test_scorecard_test_reads_the_cards_own_examples_folder(tmp_path: Path) -> None:
    card = tmp_path / "tiny.yaml"
    card.write_text(CARD)
    r = CliRunner().invoke(cli, ["scorecard", "test", str(card)])
    assert r.exit_code == 2 and "no criterion examples" in r.output  # nothing to read yet
    folder = tmp_path / "examples" / "tiny"
    folder.mkdir(parents=True)
    turns = [{"role": "agent", "text": "Hello there, Ann here."}]
    example = {"channel": "chat", "turns": turns, "expected": {"hello": "pass"}}
    (folder / "greets.json").write_text(json.dumps(example))
    r = CliRunner().invoke(cli, ["scorecard", "test", str(card)])
    assert r.exit_code == 0, r.output
    assert f"Examples: {folder} (the card's own folder" in r.output
    assert "greets.json" in r.output and "1 passed, 0 failed" in r.output
