from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import cli
from qa.config import Config
from qa.ingest.batch import ingest
from qa.store import Store
from tests.conftest import ROOT, write_chat_json, write_tone_wav


def make_batch(folder: Path) -> Path:
    """Ten files: seven good ones across the formats, three bad ones."""
    folder.mkdir()
    write_chat_json(folder / "a.json", text="Good morning")
    write_chat_json(folder / "b.json", text="Good afternoon")
    (folder / "c.csv").write_text(
        "conversation_id,timestamp,sender,text,agent\nk1,2026-03-01T09:00:00Z,customer,hi,z\n",
        encoding="utf-8",
    )
    (folder / "d.txt").write_text("Customer: where is my order?\nAgent: Let me check.\n")
    (folder / "e.eml").write_bytes(
        b"From: Sam <sam@example.com>\nTo: care@northwind.example\nSubject: hi\n"
        b"Date: Mon, 02 Mar 2026 08:14:00 +0000\nMessage-ID: <e1@example.com>\n\nHello there\n"
    )
    (folder / "f.mbox").write_bytes(
        b"From bo@example.com Tue Mar 03 08:14:00 2026\n"
        b"From: Bo <bo@example.com>\nTo: care@northwind.example\nSubject: other\n"
        b"Date: Tue, 03 Mar 2026 08:14:00 +0000\nMessage-ID: <g1@example.com>\n\nA second thread\n\n"
        b"From ann@northwind.example Tue Mar 03 09:14:00 2026\n"
        b"From: Ann <ann@northwind.example>\nTo: Bo <bo@example.com>\nSubject: Re: other\n"
        b"Date: Tue, 03 Mar 2026 09:14:00 +0000\nMessage-ID: <g2@northwind.example>\n"
        b"In-Reply-To: <g1@example.com>\nReferences: <g1@example.com>\n\nHello Bo\n"
    )
    write_tone_wav(folder / "h.wav")
    # The bad ones.
    (folder / "bad.json").write_text('{"agent": "a", "messages": [', encoding="utf-8")
    (folder / "bad.csv").write_text("conversation_id,sender,text\nk,agent,hi\n", encoding="utf-8")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 not a transcript")
    return folder


def test_ten_files_three_bad(tmp_path: Path, config: Config) -> None:
    folder = make_batch(tmp_path / "batch")
    assert len(list(folder.iterdir())) == 10
    db = tmp_path / "qa.db"
    store = Store(db)
    report = ingest([folder], store, config)
    assert report.files == 10
    assert store.count("interactions") == 7
    reasons = {Path(f.source).name: f.reason for f in report.failures}
    assert set(reasons) == {"bad.json", "bad.csv", "notes.docx"}
    assert "broken JSON" in reasons["bad.json"]
    assert "missing column(s) timestamp" in reasons["bad.csv"]
    assert "unsupported file type '.docx'" in reasons["notes.docx"]
    assert len(store.failures()) == 3

    again = ingest([folder], store, config)
    assert again.interaction_ids == [] and len(again.skipped) == 7
    assert store.count("interactions") == 7
    assert store.count("turns") == 2 + 2 + 1 + 2 + 1 + 2
    assert len(store.failures()) == 3


def test_cli_exit_code_and_failures(tmp_path: Path) -> None:
    folder = make_batch(tmp_path / "batch")
    db = tmp_path / "qa.db"
    result = CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(db), "--json"])
    assert result.exit_code == 1, result.output
    summary = json.loads(result.stdout)
    assert summary["failed"] == 3 and summary["interactions"] == 7
    assert {Path(f["source"]).name for f in summary["failures"]} == {
        "bad.json",
        "bad.csv",
        "notes.docx",
    }
    ok = tmp_path / "ok"
    ok.mkdir()
    write_chat_json(ok / "x.json")
    assert CliRunner().invoke(cli, ["ingest", str(ok), "--db", str(db)]).exit_code == 0


def test_more_bad_inputs_are_recorded(tmp_path: Path, config: Config, store: Store) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "latin1.txt").write_bytes("Customer: Ça coûte trop cher\n".encode("latin-1"))
    (folder / "empty.json").write_bytes(b"")
    (folder / "noheaders.eml").write_text("Just a body, no headers.\n")
    (folder / "fake.wav").write_text("this is text, not audio")
    (folder / "zero.wav").write_bytes(b"")
    report = ingest([folder], store, config)
    reasons = {Path(f.source).name: f.reason for f in report.failures}
    assert "not UTF-8" in reasons["latin1.txt"]
    assert "empty file" in reasons["empty.json"]
    assert "no email headers" in reasons["noheaders.eml"]
    assert "not a readable audio file" in reasons["fake.wav"]
    assert "empty file" in reasons["zero.wav"]
    assert store.count("interactions") == 0


def test_fixed_file_clears_its_failure(tmp_path: Path, config: Config, store: Store) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    bad = folder / "x.json"
    bad.write_text("{", encoding="utf-8")
    ingest([folder], store, config)
    assert len(store.failures()) == 1
    write_chat_json(bad)
    ingest([folder], store, config)
    assert store.failures() == [] and store.count("interactions") == 1


def test_audio_is_registered_with_its_properties(
    tmp_path: Path, config: Config, store: Store
) -> None:
    wav = write_tone_wav(tmp_path / "call.wav", seconds=2.0, rate=8000, channels=2)
    ingest([wav], store, config)
    row = next(iter(store.db.query("SELECT * FROM interactions")))
    audio = json.loads(row["metadata"])["audio"]
    assert row["channel"] == "voice" and row["status"] == "registered"
    assert (audio["channels"], audio["sample_rate"]) == (2, 8000)
    assert abs(row["duration"] - 2.0) < 0.01
    assert len(audio["sha256"]) == 64


def test_manifest_overrides_filename_pattern(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    write_chat_json(folder / "ann_20260301_77.json", agent="")
    (folder / "manifest.csv").write_text(
        "file,agent_id,team,direction\nann_20260301_77.json,ann.b,Care,outbound\n"
    )
    store = Store(tmp_path / "qa.db")
    ingest([folder], store, Config(filename_pattern="{agent}_{date}_{id}"))
    row = next(iter(store.db.query("SELECT * FROM interactions")))
    assert (row["agent_id"], row["team"], row["direction"]) == ("ann.b", "Care", "outbound")
    assert row["started_at"] == "2026-03-01T10:00:00Z"  # from the messages, not the name
    assert json.loads(row["metadata"])["external_id"] == "77"


def test_script_is_stored_verbatim_and_cards_never_stored(tmp_path: Path, config: Config) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    write_chat_json(folder / "x.json", text="<script>alert(1)</script> card 4111 1111 1111 1111")
    (folder / "m.eml").write_bytes(
        b"From: Sam <sam@example.com>\nTo: care@northwind.example\nSubject: card\n"
        b"Date: Mon, 02 Mar 2026 08:14:00 +0000\nMessage-ID: <m1@example.com>\n\n"
        b"My card is 4111-1111-1111-1111, please charge it.\n"
    )
    db = tmp_path / "qa.db"
    store = Store(db)
    ingest([folder], store, config)
    texts = [r["text"] for r in store.db.query("SELECT text FROM turns")]
    assert any("<script>alert(1)</script>" in t for t in texts)
    store.close()
    runner = CliRunner()
    exported = runner.invoke(cli, ["export", "--db", str(db)]).stdout
    exported += runner.invoke(cli, ["export", "--format", "csv", "--db", str(db)]).stdout
    for path in tmp_path.glob("qa.db*"):  # the database and its write-ahead log
        raw = path.read_bytes()
        assert b"4111 1111 1111 1111" not in raw and b"4111-1111-1111-1111" not in raw
    assert "4111" not in exported
    assert "<script>alert(1)</script>" in exported


# Runs `qa ARGS…` and SIGKILLs the process when SQLite is about to run the Nth statement
# that contains POINT: a kill at a chosen point of a transaction, not on a timer.
KILL_AT = """
import os, signal, sqlite3, sys
point, nth, seen = sys.argv[1], int(sys.argv[2]), [0]
_connect = sqlite3.connect
def trace(sql):
    if point in sql:
        seen[0] += 1
        if seen[0] == nth:
            os.kill(os.getpid(), signal.SIGKILL)
def connect(*args, **kwargs):
    conn = _connect(*args, **kwargs)
    conn.set_trace_callback(trace)
    return conn
sqlite3.connect = connect
from qa.cli import main
sys.argv = ["qa", *sys.argv[3:]]
main()
"""


def counts(db: Path) -> tuple[int, int, int]:
    store = Store(db)
    try:
        return store.count("interactions"), store.count("turns"), store.count("sources")
    finally:
        store.close()


def test_killed_run_resumes_without_duplicates(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(10):
        write_chat_json(folder / f"c{i:02d}.json", text=f"Reply number {i}")
    db = tmp_path / "qa.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = ["ingest", str(folder), "--db", str(db)]
    # Killed as the third file's done mark is written: its interaction is written, not committed.
    killed = subprocess.run(
        [sys.executable, "-c", KILL_AT, "INTO sources", "3", *args], env=env, capture_output=True
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    assert counts(db) == (2, 4, 2)  # two whole files, nothing of the third
    resumed = CliRunner().invoke(cli, args)
    assert resumed.exit_code == 0, resumed.output
    assert counts(db) == (10, 20, 10)


@pytest.mark.scale
def test_two_processes_on_one_database(tmp_path: Path) -> None:
    folders = []
    for n in range(2):
        f = tmp_path / f"f{n}"
        f.mkdir()
        for i in range(30):
            write_chat_json(f / f"c{i}.json", text=f"batch {n} message {i}")
        folders.append(f)
    db = tmp_path / "qa.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "qa", "ingest", str(f), "--db", str(db), "--json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for f in folders
    ]
    ids: list[str] = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
        summary = json.loads(out)
        assert (summary["interactions"], summary["failed"], summary["skipped"]) == (30, 0, 0)
        ids += summary["interaction_ids"]
    assert len(set(ids)) == 60
    assert counts(db) == (60, 120, 60)
    store = Store(db)
    texts = {r["text"] for r in store.db.query("SELECT text FROM turns WHERE role = 'agent'")}
    runs = list(store.db.query("SELECT processed, failed FROM runs WHERE command = 'ingest'"))
    store.close()
    assert texts == {f"batch {n} message {i}" for n in range(2) for i in range(30)}
    assert sorted((r["processed"], r["failed"]) for r in runs) == [(30, 0), (30, 0)]
