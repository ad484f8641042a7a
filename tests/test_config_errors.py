"""A broken site configuration (qa.yaml) is reported in line order, named as it was given,
with what each value must be instead of the parser's phrase."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import cli
from qa.config import load_config
from qa.yamlfile import FileErrors

# Mistakes on lines 2, 4, 5, 7 and 9, pydantic's order being the fields' order in Config.
BROKEN = """\
report:
  language: fr
email:
  agent_domain: [x.example]
timezone: Mars/Olympus
redact:
  emails: maybe
limits:
  max_file_mb: lots
"""


@pytest.fixture
def typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A broken qa.yaml in a subfolder, and the relative path a user types for it."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "qa.yaml").write_text(BROKEN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return "site/qa.yaml"


def test_every_problem_in_line_order_named_as_given(typed: str) -> None:
    with pytest.raises(FileErrors) as caught:
        load_config(Path(typed))
    assert caught.value.problems == [
        "site/qa.yaml:2 report → language: must be 'en', 'zh-Hans' or 'zh-Hant', not 'fr'",
        "site/qa.yaml:4 email → agent_domain: unknown key (check the spelling)",
        "site/qa.yaml:5 timezone: unknown time zone 'Mars/Olympus' (use an IANA name:"
        " Europe/Paris)",
        "site/qa.yaml:7 redact → emails: must be true or false, not 'maybe'",
        "site/qa.yaml:9 limits → max_file_mb: must be a number",
    ]


def test_the_command_line_shows_them_so(typed: str) -> None:
    result = CliRunner().invoke(cli, ["report", "--config", typed, "--out", "out"])
    assert result.exit_code == 2, result.output
    lines = [ln.removeprefix("Error: ") for ln in result.output.splitlines() if ln.strip()]
    assert [int(re.match(r"site/qa\.yaml:(\d+) ", ln)[1]) for ln in lines] == [2, 4, 5, 7, 9]  # type: ignore[index]
    assert "unable to" not in result.output and "value error" not in result.output


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("redact:\n  phones: 3\n", "redact → phones: must be true or false, not 3"),
        ("filename_pattern: [a]\n", "filename_pattern: must be text (quote it: '...'), not ['a']"),
        ("agents: l.chen\n", "agents: must be a list ([a, b], or one '- item' line each)"),
        ("voice: base\n", "voice: must be a mapping of settings (key: value lines), not 'base'"),
        ("voice:\n  models: whisper\n", "voice → models: must be a mapping (key: value lines)"),
        ("work_types: {a: 1}\n", "work_types: must be a file or folder path, not {'a': 1}"),
        ("- a\n- b\n", "(top level): must be a mapping of settings (key: value lines)"),
        (
            'journeys:\n  country_code: "+44"\n',
            "journeys → country_code: must be a calling code of 1 to 3 digits without + or 00"
            " (44, 1, 852), not '+44'",
        ),
        (
            "redact:\n  emails: " + "x" * 80 + "\n",
            "redact → emails: must be true or false, not '" + "x" * 38 + "…",
        ),
    ],
    ids=[
        "bool",
        "text",
        "list",
        "settings",
        "mapping",
        "path",
        "top-level",
        "calling-code",
        "long-value",
    ],
)
def test_what_a_value_must_be(typed: str, text: str, problem: str) -> None:
    Path(typed).write_text(text, encoding="utf-8")
    with pytest.raises(FileErrors) as caught:
        load_config(Path(typed))
    [only] = caught.value.problems
    assert only.startswith("site/qa.yaml:") and problem in only, only
    assert "input should" not in only


@pytest.mark.parametrize(("written", "code"), [("44", "44"), ('"852"', "852"), ("1", "1")])
def test_a_calling_code_is_read_as_a_number_or_as_text(typed: str, written: str, code: str) -> None:
    Path(typed).write_text(f"journeys:\n  country_code: {written}\n", encoding="utf-8")
    assert load_config(Path(typed)).journeys.country_code == code
