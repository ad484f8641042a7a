"""Wrong arguments are usage errors with a message, never an empty report and exit 0."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import cli
from tests.conftest import write_chat_json


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("args")
    write_chat_json(folder / "c.json", agent="a.khan")
    path = folder / "qa.db"
    result = CliRunner().invoke(cli, ["ingest", str(folder / "c.json"), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.mark.parametrize(
    "args, message",
    [
        (["--since", "2026-13-01"], "'2026-13-01' is not a date: use YYYY-MM-DD"),
        (["--until", "yesterday"], "'yesterday' is not a date"),
        (["--since", "2026-03-05", "--until", "2026-03-01"], "is after --until"),
        (
            ["--agent", "nobody"],
            "--agent 'nobody': no interaction in the database has it; known: a.khan",
        ),
        (["--team", "Ghosts"], "--team 'Ghosts': no interaction in the database has it"),
    ],
)
def test_report_refuses_wrong_arguments(
    db: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "report"
    result = CliRunner().invoke(cli, ["report", "--db", str(db), "--out", str(out), *args])
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())
    assert not (out / "index.html").exists()


def test_report_with_a_known_agent_and_real_dates_works(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = CliRunner().invoke(
        cli,
        [
            "report",
            "--db",
            str(db),
            "--out",
            str(out),
            "--agent",
            "a.khan",
            "--since",
            "2020-01-01",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (out / "index.html").exists()
