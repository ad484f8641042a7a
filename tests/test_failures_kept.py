"""A failed input stays a failure until it is fixed: every run lists it again (with the
same exit code), the exports and `qa show` tell it, and a fixed file is picked up."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import cli
from qa.config import Config, VoiceConfig
from qa.errors import ConfigError, InputError
from qa.export import export_csv, export_json
from qa.ingest.batch import ingest
from qa.matching import Matcher
from qa.scoring import score_paths
from qa.store import Store
from qa.voice.batch import transcribe_pending
from qa.voice.pipeline import VoiceSettings
from tests.conftest import write_chat_json
from tests.test_mut_scoring import loaded
from tests.test_voice_unit import AGENT_WORDS, CUSTOMER_WORDS, FakeTranscriber, stereo_file

QUIET = Config(voice=VoiceConfig(verify=False))  # no second reading: no model here


def test_a_recording_that_failed_is_listed_on_every_run_until_fixed(
    tmp_path: Path, store: Store
) -> None:
    folder = tmp_path / "calls"
    folder.mkdir()
    call = stereo_file(folder / "call.wav", left=0.5, right=0.3)
    card = loaded([{"id": "greet", "phrases": ["thank"]}], channels=["voice"])

    def run(words: dict[int, list[tuple[float, float, str]]]) -> list[tuple[str, str, str]]:
        report = score_paths(
            [folder],
            store,
            QUIET,
            card,
            Matcher(),
            voice=VoiceSettings(),
            transcriber=FakeTranscriber(words),
        )
        return [(Path(f.source).name, f.stage, f.reason) for f in report.failures]

    silent = [("call.wav", "transcribe", "no speech found: the recording is silent or too quiet")]
    assert run({}) == silent
    assert run({}) == silent  # the rerun gives the same answer: exit code 1 again
    # The file is fixed (a new recording in its place): picked up, the failure is gone.
    stereo_file(call, left=0.5, right=0.3, seconds=2.5)
    assert run({5: AGENT_WORDS, 3: CUSTOMER_WORDS}) == []
    assert run({}) == []
    assert [r["stage"] for r in store.failures()] == []
    assert [i.status for i in store.load_interactions()] == ["transcribed"]


@pytest.mark.parametrize(
    "args",
    [
        ["show", "call.wav"],
        ["export"],
        ["export", "--format", "csv"],
        ["report", "--out", "{tmp}/r"],
        ["rescore", "--scorecard", "inbound_service"],
        ["calibrate", "{labels}"],
        ["journeys"],
        ["transcribe"],
        ["route", "0c491e"],
    ],
)
def test_a_command_that_reads_refuses_a_missing_database(
    tmp_path: Path, runner: CliRunner, args: list[str]
) -> None:
    db = tmp_path / "nothere.db"
    labels = tmp_path.parent / f"{tmp_path.name}-labels.csv"  # outside the folder checked
    labels.write_text("interaction_id,criterion_id,result\nabc,greeting,pass\n")
    words = [a.format(tmp=tmp_path, labels=labels) for a in args]
    result = runner.invoke(cli, words + ["--db", str(db)])
    assert result.exit_code == 2, result.output
    assert f"no database at {db}: run `qa score` first" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ["score", "{empty}", "--scorecard", "inbound_service"],
        ["score", "{missing}", "--scorecard", "inbound_service"],
        ["ingest", "{empty}"],
    ],
)
def test_a_usage_error_leaves_no_new_database(
    tmp_path: Path, runner: CliRunner, args: list[str]
) -> None:
    (tmp_path / "empty").mkdir()
    db = tmp_path / "new.db"
    where = {"empty": tmp_path / "empty", "missing": tmp_path / "missing"}
    result = runner.invoke(cli, [a.format(**where) for a in args] + ["--db", str(db)])
    assert result.exit_code == 2, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]


@pytest.fixture
def failed_db(tmp_path: Path) -> Path:
    """A chat that reads, a chat that does not, and a silent call."""
    folder = tmp_path / "in"
    folder.mkdir()
    write_chat_json(folder / "good.json")
    (folder / "broken_chat.json").write_text("{", encoding="utf-8")
    stereo_file(folder / "call.wav", left=0.5, right=0.3)
    store = Store(tmp_path / "qa.db")
    ingest([folder], store, Config())
    transcribe_pending(store, VoiceSettings(), FakeTranscriber({}))
    store.close()
    return tmp_path / "qa.db"


def test_the_exports_tell_what_failed_and_why(failed_db: Path) -> None:
    store = Store(failed_db)
    failures = json.loads(export_json(store))["failures"]
    assert [(Path(f["source"]).name, f["stage"]) for f in failures] == [
        ("broken_chat.json", "ingest"),
        ("call.wav", "transcribe"),
    ]
    assert "broken JSON" in failures[0]["reason"] and failures[0]["at"]
    assert failures[1]["reason"].startswith("no speech found")
    rows = {
        (Path(r["source"]).name, r["status"]): r["reason"]
        for r in csv.DictReader(io.StringIO(export_csv(store)))
    }
    assert rows[("good.json", "ingested")] == ""
    assert rows[("call.wav", "failed")].startswith("no speech found")
    assert "broken JSON" in rows[("broken_chat.json", "failed")]


@pytest.mark.parametrize(
    ("name", "code", "said"),
    [
        ("broken_chat.json", 1, "status: failed at ingest"),
        ("call.wav", 0, "status: failed  error: no speech found"),
        ("good.json", 0, "status: ingested"),
    ],
)
def test_show_tells_a_failed_file(
    failed_db: Path, runner: CliRunner, name: str, code: int, said: str
) -> None:
    result = runner.invoke(cli, ["show", name, "--db", str(failed_db)])
    assert result.exit_code == code, result.output
    assert said in result.output
    shown = runner.invoke(cli, ["show", name, "--json", "--db", str(failed_db)])
    assert json.loads(shown.output)["status"] in {"failed", "ingested"}


@pytest.mark.parametrize(
    ("files", "said"),
    [
        (
            {"human.csv": "interaction_id,criterion_id,result\n", "qa.yaml": "x: 1\n"},
            "(passed over human.csv (human evaluations: give it to `qa calibrate`),"
            " qa.yaml (a .yaml file configures qa))",
        ),
        ({".hidden.json": "{}", "manifest.csv": "file\n"}, "passed over .hidden.json (hidden)"),
        ({}, "(no file there): qa reads"),
    ],
)
def test_no_input_files_says_what_was_passed_over(
    tmp_path: Path, store: Store, files: dict[str, str], said: str
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        ingest([folder], store, Config())
    assert said in str(err.value)


def test_broken_audio_says_what_to_do(tmp_path: Path) -> None:
    from qa.ingest.audio import probe_audio

    fake = tmp_path / "call.flac"
    fake.write_bytes(b"fLaC" + bytes(200))
    with pytest.raises(InputError) as err:
        probe_audio(fake)
    assert "[Errno" not in str(err.value)
    assert str(err.value).endswith(
        "check that the file was copied whole, or convert it to WAV or FLAC"
        " (e.g. ffmpeg -i FILE call.wav) and score that"
    )


def test_qa_transcribe_lists_a_failed_recording_again(tmp_path: Path, store: Store) -> None:
    stereo_file(tmp_path / "call.wav", left=0.5, right=0.3)
    ingest([tmp_path / "call.wav"], store, Config())
    for relist, listed in ((True, 1), (True, 1), (False, 0)):
        report = transcribe_pending(store, VoiceSettings(), FakeTranscriber({}), relist=relist)
        assert [f.reason[:15] for f in report.failures] == ["no speech found"] * listed
