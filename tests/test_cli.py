from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from qa.cli import cli
from qa.store import Store
from tests.conftest import EXAMPLES, ROOT

HEAVY = [
    "torch",
    "transformers",
    "pyannote",
    "faster_whisper",
    "ctranslate2",
    "resemblyzer",
    "onnxruntime",
    "tokenizers",
]


def all_commands(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, command in group.commands.items():
        path = (*prefix, name)
        out.append(path)
        if isinstance(command, click.Group):
            out += all_commands(command, path)
    return out


@pytest.mark.parametrize("path", all_commands(), ids=" ".join)
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: " in result.output


def test_readme_mentions_every_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in all_commands():
        assert f"qa {' '.join(path)}" in readme, f"README.md does not mention `qa {' '.join(path)}`"


def test_imports_stay_light() -> None:
    probe = (
        "import atexit, sys\n"
        f"heavy = {HEAVY!r}\n"
        "atexit.register(lambda: print('LOADED', [m for m in heavy if m in sys.modules]))\n"
        "import qa.cli\n"
        "sys.argv = ['qa', '--help']\n"
        "qa.cli.main()\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert "LOADED []" in out.stdout, out.stdout + out.stderr
    assert "Usage: " in out.stdout


def test_examples_export_shape(tmp_path: Path) -> None:
    db = str(tmp_path / "qa.db")
    runner = CliRunner()
    cfg = str(EXAMPLES / "qa.yaml")
    result = runner.invoke(cli, ["ingest", str(EXAMPLES), "--db", db, "--config", cfg])
    assert result.exit_code == 0, result.output
    data = json.loads(runner.invoke(cli, ["export", "--db", db]).stdout)
    items = data["interactions"]
    assert {i["channel"] for i in items} == {"chat", "email", "voice"}
    keys = {
        "id",
        "channel",
        "source",
        "agent",
        "started_at",
        "duration",
        "language",
        "direction",
        "customer_id",
        "case_id",
        "campaign",
        "status",
        "error",
        "turns",
        "metrics",
        "evaluations",
        "flags",
    }
    for item in items:
        assert keys <= set(item)
        assert set(item["agent"]) == {"id", "name", "team"} and item["agent"]["id"]
        if item["channel"] == "voice" and not item["source"].endswith(".vtt"):
            assert (
                item["status"] == "registered" and item["turns"] == []
            )  # ingest does not transcribe a recording (a call transcript is read as it is)
        for turn in item["turns"]:
            assert turn["role"] in {"agent", "customer", "system"}
            assert {"speaker", "start", "end", "text", "words"} <= set(turn)
            assert isinstance(turn["start"], float)
    one = next(i for i in items if i["source"].endswith("webchat_0142.txt"))
    shown = json.loads(runner.invoke(cli, ["show", one["id"], "--db", db, "--json"]).stdout)
    assert shown == one
    # Checked against the file itself, not against the code that wrote the export.
    said: list[str] = []
    clock: list[int] = []
    for line in (EXAMPLES / "chats" / "webchat_0142.txt").read_text().splitlines():
        if line.startswith("["):
            h, m, sec = (int(x) for x in line[1:9].split(":"))
            clock.append(h * 3600 + m * 60 + sec)
            said.append(line.split("] ", 1)[1])
        else:  # a line without a prefix continues the message
            said[-1] += "\n" + line
    said = [x.replace("07700 900123", "[PHONE]") for x in said]  # qa.yaml: redact phones
    assert [f"{t['role'].capitalize()}: {t['text']}" for t in shown["turns"]] == said
    assert [t["start"] for t in shown["turns"]] == [float(c - clock[0]) for c in clock]
    assert shown["channel"] == "chat" and shown["agent"]["id"] == "m.rossi"
    prefix = runner.invoke(cli, ["show", one["id"][:6], "--db", db])
    assert prefix.exit_code == 0 and one["id"] in prefix.output
    # The same agent across chat and email, through the roster in qa.yaml.
    chen = {i["channel"] for i in items if i["agent"]["id"] == "l.chen"}
    assert chen == {"chat", "email", "voice"}


def test_unknown_id_is_a_usage_error(tmp_path: Path) -> None:
    Store(tmp_path / "qa.db").close()  # a database that holds no such interaction
    result = CliRunner().invoke(cli, ["show", "nope", "--db", str(tmp_path / "qa.db")])
    assert result.exit_code == 2
    assert "no interaction 'nope'" in result.output


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["ingest", str(tmp_path / "absent"), "--db", str(tmp_path / "q.db")]
    )
    assert result.exit_code == 2
    assert "no such file or folder" in result.output


def test_config_typo_reports_file_line_and_path(tmp_path: Path) -> None:
    cfg = tmp_path / "qa.yaml"
    cfg.write_text("email:\n  agent_domain: [x.example]\nredact:\n  phones: maybe\n")
    result = CliRunner().invoke(
        cli, ["ingest", str(EXAMPLES), "--db", str(tmp_path / "q.db"), "--config", str(cfg)]
    )
    assert result.exit_code == 2
    assert "qa.yaml:2 email → agent_domain: unknown key" in result.output
    assert "qa.yaml:4 redact → phones:" in result.output


def test_db_from_environment(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    runner = CliRunner(env={"QA_DB": str(db)})
    result = runner.invoke(cli, ["ingest", str(EXAMPLES / "chats" / "webchat_0142.txt")])
    assert result.exit_code == 0, result.output
    assert db.exists()
