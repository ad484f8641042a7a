"""Hostile and careless YAML: every user file is refused fast, with its line, and exit 2.

Alias bombs, object-building tags, deep nesting and patterns that backtrack without end
come from scorecards, campaign files and qa.yaml alike; none may hang or crash a run.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import cli
from qa.config import load_config
from qa.yamlfile import MAX_DEPTH, FileErrors, load_yaml
from tests.reliability_probes import alias_bomb

CARD = """\
name: Hostile
pass_mark: 50
sections:
  - id: s
    criteria:
      - id: rx
        type: phrase.v1
        match: regex
        phrases: [{pattern}]
        points: 5
"""


def timed_validate(args: list[str]) -> tuple[int, str, float]:
    start = time.perf_counter()
    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.output, time.perf_counter() - start


@pytest.mark.parametrize("command", [["scorecard", "validate"], ["campaigns", "validate"]])
def test_an_alias_bomb_is_refused_quickly_with_its_line(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb())
    target = tmp_path if command[0] == "campaigns" else path
    code, output, seconds = timed_validate([*command, str(target)])
    assert code == 2, output
    assert "bomb.yaml:1" in output and "more than 100,000 values" in output
    assert seconds < 30  # a guard against a hang (unbounded, this runs for hours), not a timing


def test_an_alias_bomb_in_the_site_config_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "qa.yaml"
    path.write_text(alias_bomb())
    with pytest.raises(FileErrors, match="more than 100,000 values"):
        load_config(path)


def test_a_few_aliases_still_work(tmp_path: Path) -> None:
    data, lines = load_yaml(tmp_path / "x.yaml", "base: &b {points: 5}\nother: *b\n")
    assert data == {"base": {"points": 5}, "other": {"points": 5}}
    assert lines[("other",)] == 2


@pytest.mark.parametrize(
    "text, problem",
    [
        ("name: !!python/name:os.system\n", "tag 'tag:yaml.org,2002:python/name:os.system'"),
        ("name: !!python/object/apply:os.system [ls]\n", "is not allowed"),
        ("name: !custom thing\n", "tag '!custom' is not allowed"),
        ("[" * 100_000, f"nests deeper than {MAX_DEPTH} levels"),
        ("k: " + "[" * 80 + "]" * 80 + "\n", "nests deeper than 64 levels"),
    ],
)
def test_object_tags_and_deep_nesting_are_refused(text: str, problem: str) -> None:
    with pytest.raises(FileErrors) as caught:
        load_yaml(Path("card.yaml"), text)
    assert problem in caught.value.problems[0]
    assert caught.value.problems[0].startswith("card.yaml")


def test_validate_refuses_a_tag_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "card.yaml"
    path.write_text("name: !!python/name:os.system\n")
    code, output, _ = timed_validate(["scorecard", "validate", str(path)])
    assert code == 2
    assert "card.yaml:1" in output and "Traceback" not in output


def test_an_unclosed_pattern_fails_validation_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "card.yaml"
    path.write_text(CARD.format(pattern='"(unclosed"'))
    code, output, _ = timed_validate(["scorecard", "validate", str(path)])
    assert code == 2, output
    assert "card.yaml:6" in output and "bad regex '(unclosed': missing )" in output


def test_a_backreference_is_refused_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "card.yaml"
    path.write_text(CARD.format(pattern=r'"(a)\\1"'))
    code, output, _ = timed_validate(["scorecard", "validate", str(path)])
    assert code == 2
    assert "no backreferences" in output


def test_a_catastrophic_pattern_scores_in_linear_time(tmp_path: Path) -> None:
    from tests.test_criteria import verdict

    rule = {"type": "phrase.v1", "match": "regex", "phrases": ["(a+)+$"]}
    start = time.perf_counter()
    # Python's own engine takes minutes on this line; every extra a doubles it.
    result = verdict(rule, "chat", [("agent", "a" * 40 + "!")])
    assert time.perf_counter() - start < 30  # a guard against a hang, not a timing
    assert result.result == "fail"
    assert verdict(rule, "chat", [("agent", "a" * 40)]).result == "pass"
