"""Expected input problems are recorded; a programming error surfaces with its traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import cli
from qa.config import Config
from qa.errors import InputError
from qa.ingest.batch import ingest
from qa.store import Store
from qa.voice.batch import transcribe_pending
from qa.voice.pipeline import VoiceSettings, decode
from tests.conftest import write_chat_json, write_tone_wav
from tests.test_pins import card_file
from tests.test_voice_unit import AGENT_WORDS, CUSTOMER_WORDS, FakeTranscriber, stereo_file


def a_bug(*args: object, **kwargs: object) -> None:
    raise TypeError("a bug, not a bad file")


def test_unreadable_audio_is_an_input_error(tmp_path: Path) -> None:
    fake = tmp_path / "fake.wav"
    fake.write_text("this is text, not audio")
    with pytest.raises(InputError, match="cannot decode audio .InvalidDataError"):
        decode(fake)
    report = ingest([fake], Store(tmp_path / "qa.db"), Config())
    assert "not a readable audio file (InvalidDataError" in report.failures[0].reason


def test_a_bug_while_probing_audio_surfaces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug is not "unreadable audio": the batch stores it as an unexpected error, with
    its type, logs its traceback, and goes on to the next file."""
    import av

    wav = write_tone_wav(tmp_path / "call.wav")
    chat = write_chat_json(tmp_path / "chat.json")
    monkeypatch.setattr(av, "open", a_bug)
    report = ingest([wav, chat], Store(tmp_path / "qa.db"), Config())
    assert [f.reason for f in report.failures] == [
        "unexpected error: TypeError: a bug, not a bad file"
    ]
    assert len(report.interaction_ids) == 1
    logged = [r for r in caplog.records if r.exc_info]
    assert logged and logged[0].exc_info[0] is TypeError


def test_a_bug_while_decoding_surfaces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import av

    store = Store(tmp_path / "qa.db")
    ingest([stereo_file(tmp_path / "a.wav", left=0.5, right=0.3)], store, Config())
    monkeypatch.setattr(av, "AudioResampler", a_bug)
    fake = FakeTranscriber({5: AGENT_WORDS, 3: CUSTOMER_WORDS})
    with pytest.raises(TypeError, match="a bug, not a bad file"):
        transcribe_pending(store, VoiceSettings(), fake)


def test_one_bad_part_of_a_file_name_keeps_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    write_chat_json(folder / "ann_2026-13-45_77.json", agent="")  # month 13
    store = Store(tmp_path / "qa.db")
    ingest([folder], store, Config(filename_pattern="{agent}_{date}_{id}"))
    [item] = store.load_interactions()
    assert item.agent is not None and item.agent.id == "ann"
    assert item.metadata["external_id"] == "77"
    assert item.started_at == "2026-03-01T10:00:00Z"  # from the messages
    [problem] = item.metadata["filename_problems"]
    assert "ann_2026-13-45_77.json" in problem and "started_at" in problem
    assert "2026-13-45" in problem


def test_a_stored_scorecard_that_does_not_parse_is_reported(tmp_path: Path) -> None:
    db = tmp_path / "qa.db"
    write_chat_json(tmp_path / "chat.json")
    card = str(card_file(tmp_path).path)
    scored = CliRunner().invoke(
        cli, ["score", str(tmp_path / "chat.json"), "--scorecard", card, "--db", str(db)]
    )
    assert scored.exit_code == 0, scored.output
    store = Store(db)
    with store.transaction() as conn:
        # A row stored before validated definitions were kept: only its YAML is there.
        conn.execute("UPDATE scorecards SET yaml = 'sections: [unclosed', definition = NULL")
    store.close()
    result = CliRunner().invoke(cli, ["report", "--out", str(tmp_path / "out"), "--db", str(db)])
    assert result.exit_code == 2, result.output
    assert "stored scorecard 'Pins'" in result.output
    assert "does not parse" in result.output
    assert json.loads(CliRunner().invoke(cli, ["export", "--db", str(db)]).stdout)  # data intact
