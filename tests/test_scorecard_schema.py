from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import cli
from qa.scorecard.load import load_scorecard
from qa.scorecard.schema import CRITERION_TYPES
from qa.yamlfile import FileErrors
from tests.conftest import ROOT

TYPO_CARD = """\
name: Sales
pass_mark: 80
sections:
  - id: opening
    criteria:
      - id: greeting
        type: phrase.v1
        phrases: ["hello"]
        pointz: 5
  - id: pitch
    criteria:
      - id: price
        type: phrase.v1
        phrases: ["$35"]
        points: five
      - id: later
        type: phrase.v9
        phrases: ["bye"]
"""


def test_every_problem_is_reported_with_file_line_and_path(tmp_path: Path) -> None:
    path = tmp_path / "sales.yaml"
    path.write_text(TYPO_CARD)
    with pytest.raises(FileErrors) as caught:
        load_scorecard(path)
    problems = caught.value.problems
    assert (
        "sales.yaml:9 sections → 0 → criteria → 0 → pointz: unknown key (check the spelling)"
        in problems
    )
    assert "sales.yaml:15 sections → 1 → criteria → 0 → points: must be a number" in problems
    assert any(
        p.startswith("sales.yaml:16 sections → 1 → criteria → 1")
        and "unknown type 'phrase.v9'" in p
        for p in problems
    ), problems
    assert len(problems) == 3


def test_cli_validate_exits_2_with_all_errors(tmp_path: Path) -> None:
    path = tmp_path / "sales.yaml"
    path.write_text(TYPO_CARD)
    result = CliRunner().invoke(cli, ["scorecard", "validate", str(path)])
    assert result.exit_code == 2
    assert result.output.count("sales.yaml:") == 3


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nsections:\n  - id: [unclosed\n")
    result = CliRunner().invoke(cli, ["scorecard", "validate", str(path)])
    assert (
        result.exit_code == 2 and "bad.yaml:" in result.output and "invalid YAML" in result.output
    )


def test_duplicate_ids_and_two_window_bounds_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text(
        "name: x\nsections:\n  - id: s\n    criteria:\n"
        "      - {id: a, type: question.v1}\n      - {id: a, type: question.v1}\n"
        "      - {id: b, type: phrase.v1, phrases: [x], window: {first_turns: 1, last_turns: 1}}\n"
    )
    with pytest.raises(FileErrors) as caught:
        load_scorecard(path)
    assert caught.value.problems == [
        "dup.yaml:7 sections → 0 → criteria → 2 → window: give one of first_seconds,"
        " last_seconds, first_turns, last_turns, not ['first_turns', 'last_turns']"
    ]
    path.write_text(path.read_text().replace(", last_turns: 1", ""))
    with pytest.raises(FileErrors, match="criterion id 'a' is used twice"):
        load_scorecard(path)


def test_schema_lists_every_type() -> None:
    result = CliRunner().invoke(cli, ["scorecard", "schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    text = json.dumps(schema)
    for type_name in CRITERION_TYPES:
        assert type_name in text
    assert schema["title"] == "qa scorecard"


@pytest.mark.models  # the shipped cards' examples are judged with the real text model
@pytest.mark.parametrize("name", ["inbound_service", "outbound_telesales", "chat_email_support"])
def test_shipped_scorecards_pass_their_examples(name: str) -> None:
    card = ROOT / "scorecards" / f"{name}.yaml"
    examples = ROOT / "scorecards" / "examples" / name
    result = CliRunner().invoke(cli, ["scorecard", "test", str(card), "--examples", str(examples)])
    assert result.exit_code == 0, result.output
    assert " 0 failed" in result.output


def test_scorecard_test_exits_1_on_mismatch(tmp_path: Path) -> None:
    example = json.loads(
        (ROOT / "scorecards/examples/inbound_service/chat_order_good.json").read_text()
    )
    example["expected"] = {"greeting": "fail"}
    (tmp_path / "x.json").write_text(json.dumps(example))
    card = ROOT / "scorecards" / "inbound_service.yaml"
    result = CliRunner().invoke(cli, ["scorecard", "test", str(card), "--examples", str(tmp_path)])
    assert result.exit_code == 1
    assert "MISMATCH" in result.output
