"""The ingest driver pinned: which files it reads, what it records per run, the reasons it
gives, the keys that make a re-run skip, and which email threads it rewrites."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from qa.config import AgentEntry, Config, EmailConfig
from qa.errors import ConfigError
from qa.ingest.batch import (
    SUPPORTED,
    IngestReport,
    _is_human_evaluations,
    _source_key,
    discover,
    ingest,
)
from qa.ingest.hashing import file_sha256
from qa.model import Failure
from qa.store import Store
from tests.conftest import write_chat_json, write_tone_wav


def mail(message_id: str, sender: str, reply_to: str | None = None, day: int = 2) -> bytes:
    head = (
        f"From: {sender}\nTo: care@northwind.example\nSubject: order\n"
        f"Date: Mon, 0{day} Mar 2026 08:14:00 +0000\nMessage-ID: <{message_id}>\n"
    )
    if reply_to:
        head += f"In-Reply-To: <{reply_to}>\nReferences: <{reply_to}>\n"
    return (head + f"\nBody of {message_id}\n").encode()


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def start(self, total: int, label: str) -> None:
        self.calls.append(("start", (total, label)))

    def advance(self, item: str, amount: int = 1) -> None:
        self.calls.append(("advance", item))

    def finish(self) -> None:
        self.calls.append(("finish", None))


def test_discover_skips_hidden_config_and_evaluation_files(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / ".cache").mkdir(parents=True)
    (root / "sub").mkdir()
    write_chat_json(root / "a.json")
    write_chat_json(root / "sub" / "b.JSON")
    write_chat_json(root / ".hidden.json")
    write_chat_json(root / ".cache" / "c.json")
    (root / "qa.yaml").write_text("agents: []\n")
    (root / "notes.MD").write_text("# notes\n")
    (root / "run.sh").write_text("echo\n")
    (root / "evals.csv").write_text("interaction_id,criterion_id,result\nx,greeting,pass\n")
    (root / "chat.csv").write_text("conversation_id,timestamp,sender,text\n")
    (root / "Manifest.CSV").write_text("file,agent_id\n")
    (root / "sub" / "manifest.json").write_text("[]")
    files, manifests = discover([root])
    assert [p.relative_to(root).as_posix() for p in files] == ["a.json", "chat.csv", "sub/b.JSON"]
    assert sorted(p.relative_to(root).as_posix() for p in manifests) == [
        "Manifest.CSV",
        "sub/manifest.json",
    ]


def test_discover_takes_a_named_file_as_it_is(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,agent_id\n")
    hidden = tmp_path / ".x.json"
    write_chat_json(hidden)
    files, manifests = discover([manifest, hidden])
    # Named on the command line: a manifest is read as an input, a hidden file still skipped.
    assert files == [manifest]
    assert manifests == []


def test_discover_refuses_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file or folder: .*nowhere"):
        discover([tmp_path / "nowhere"])


def test_human_evaluations_are_told_by_their_header(tmp_path: Path) -> None:
    evals = tmp_path / "e.csv"
    evals.write_text("\ufeffInteraction_ID,Criterion_ID,Result\n", encoding="utf-8")
    assert _is_human_evaluations(evals)
    only_criterion = tmp_path / "c.csv"
    only_criterion.write_text("criterion_id,text\n")
    assert not _is_human_evaluations(only_criterion)
    only_result = tmp_path / "r.csv"
    only_result.write_text("result,text\n")
    assert not _is_human_evaluations(only_result)
    second_line = tmp_path / "s.csv"
    second_line.write_text("a,b\ncriterion_id,result\n")
    assert not _is_human_evaluations(second_line)
    not_csv = tmp_path / "e.txt"
    not_csv.write_text("criterion_id,result\n")
    assert not _is_human_evaluations(not_csv)
    upper = tmp_path / "E.CSV"
    upper.write_text("criterion_id,result\n")
    assert _is_human_evaluations(upper)
    folder = tmp_path / "dir.csv"
    folder.mkdir()
    assert not _is_human_evaluations(folder)


def test_a_run_is_recorded_with_its_counts(tmp_path: Path, store: Store, config: Config) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    write_chat_json(folder / "a.json")
    write_chat_json(folder / "b.json", text="Another reply")
    (folder / "bad.json").write_text("{", encoding="utf-8")
    progress = Recorder()
    report = ingest([folder], store, config, progress=progress)
    assert report.files == 3
    assert len(report.interaction_ids) == 2 and len(report.failures) == 1
    assert progress.calls == [
        ("start", (3, "Ingesting")),
        ("advance", "a.json"),
        ("advance", "b.json"),
        ("advance", "bad.json"),
        ("finish", None),
    ]
    again = ingest([folder], store, config)
    runs = list(store.db.query("SELECT * FROM runs ORDER BY started_at, processed DESC"))
    assert len(runs) == 2
    first = next(r for r in runs if r["processed"] == 2)
    assert (first["command"], first["failed"], first["skipped"]) == ("ingest", 1, 0)
    assert json.loads(first["args"]) == {"paths": [str(folder)], "files": 3}
    assert first["finished_at"] is not None
    second = next(r for r in runs if r["id"] != first["id"])
    assert (second["processed"], second["failed"], second["skipped"]) == (0, 1, 2)
    assert len(again.skipped) == 2
    [failure] = store.failures()
    assert failure["run_id"] == second["id"]
    assert failure["file_hash"] == file_sha256(folder / "bad.json")
    assert failure["stage"] == "ingest"


def test_report_as_dict() -> None:
    report = IngestReport(
        interaction_ids=["a", "b"],
        skipped=["s"],
        failures=[Failure(source="x", stage="ingest", reason="bad", file_hash=None)],
        files=4,
    )
    assert report.as_dict() == {
        "files": 4,
        "interactions": 2,
        "interaction_ids": ["a", "b"],
        "skipped": 1,
        "failed": 1,
        "failures": [{"source": "x", "stage": "ingest", "reason": "bad", "file_hash": None}],
    }


def test_reasons_given_for_bad_files(tmp_path: Path, store: Store, config: Config) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "l.txt").write_bytes(b"Customer: caf\xe9\n")
    (folder / "blank.json").write_text("  \n\t\n", encoding="utf-8")
    (folder / "x.pdf").write_bytes(b"%PDF")
    (folder / "noext").write_bytes(b"data")
    (folder / "dir.json").mkdir()
    (folder / "dir.json" / "inner.json").write_text("{", encoding="utf-8")
    report = ingest([folder], store, config)
    reasons = {Path(f.source).name: f.reason for f in report.failures}
    assert reasons["l.txt"] == ("not UTF-8 text (byte 0xe9 at offset 13); save the file as UTF-8")
    assert reasons["blank.json"] == "the file holds only white space"
    supported = ", ".join(SUPPORTED)
    assert reasons["x.pdf"] == f"unsupported file type '.pdf': qa reads {supported}"
    assert reasons["noext"] == f"unsupported file type 'noext': qa reads {supported}"
    assert reasons["inner.json"].startswith("broken JSON")
    assert store.count("interactions") == 0
    assert {r["source"] for r in store.failures()} == {
        str(folder / n) for n in ["l.txt", "blank.json", "x.pdf", "noext", "dir.json/inner.json"]
    }


def test_an_unreadable_file_is_a_failure_with_no_hash(
    tmp_path: Path, store: Store, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_chat_json(tmp_path / "gone.json")

    def vanish(self: Path) -> bytes:
        raise FileNotFoundError(2, "No such file or directory")

    real_stat = Path.stat
    monkeypatch.setattr(Path, "read_bytes", vanish)
    monkeypatch.setattr("qa.ingest.batch.file_sha256", lambda p: (_ for _ in ()).throw(OSError()))
    monkeypatch.setattr(Path, "stat", real_stat)
    report = ingest([path], store, config)
    [failure] = report.failures
    assert failure.reason.startswith("cannot read: ")
    assert failure.file_hash is None
    assert failure.source == str(path)


def test_source_key_is_bytes_and_metadata(tmp_path: Path) -> None:
    path = write_chat_json(tmp_path / "a.json")
    meta = {"agent_id": "ann", "team": "Care"}
    expected = hashlib.sha256(file_sha256(path).encode())
    expected.update(json.dumps(meta, sort_keys=True).encode())
    assert _source_key(path, meta) == expected.hexdigest()
    assert _source_key(path, {"team": "Care", "agent_id": "ann"}) == expected.hexdigest()
    assert _source_key(path, {}) != _source_key(path, meta)


def test_a_manifest_change_reads_the_file_again(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    write_chat_json(folder / "a.json", agent="")
    (folder / "manifest.csv").write_text("file,campaign\na.json,Spring\n")
    (folder / "more").mkdir()
    (folder / "more" / "manifest.csv").write_text("file,campaign\nother.json,Spring\n")
    config = Config()
    first = ingest([folder], store, config)
    assert len(first.interaction_ids) == 1
    row = next(iter(store.db.query("SELECT * FROM interactions")))
    assert (row["campaign"], row["agent_id"]) == ("Spring", None)
    assert len(ingest([folder], store, config).skipped) == 1
    (folder / "manifest.csv").write_text("file,agent_id,campaign\na.json,ann,Summer\n")
    third = ingest([folder], store, config)
    assert third.skipped == [] and third.interaction_ids == first.interaction_ids
    row = next(iter(store.db.query("SELECT * FROM interactions")))
    assert (row["agent_id"], row["campaign"]) == ("ann", "Summer")


def test_manifests_in_two_folders_are_merged(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "b"
    (folder / "x").mkdir(parents=True)
    (folder / "y").mkdir()
    write_chat_json(folder / "x" / "one.json", agent="")
    write_chat_json(folder / "y" / "two.json", agent="", text="Second chat")
    (folder / "x" / "manifest.csv").write_text("file,agent_id\none.json,ann\n")
    (folder / "y" / "manifest.csv").write_text("file,agent_id\ntwo.json,bob\n")
    ingest([folder], store, Config())
    agents = {
        Path(r["source"]).name: r["agent_id"]
        for r in store.db.query("SELECT source, agent_id FROM interactions")
    }
    assert agents == {"one.json": "ann", "two.json": "bob"}


def test_an_explicit_manifest_wins_over_found_ones(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    write_chat_json(folder / "one.json", agent="")
    (folder / "manifest.csv").write_text("file,agent_id\none.json,ann\n")
    explicit = tmp_path / "elsewhere.csv"
    explicit.write_text("file,agent_id\none.json,zed\n")
    ingest([folder], store, Config(), manifest_path=explicit)
    [row] = list(store.db.query("SELECT agent_id FROM interactions"))
    assert row["agent_id"] == "zed"


def test_chat_rows_and_the_roster(tmp_path: Path, store: Store) -> None:
    chats = tmp_path / "chats.csv"
    chats.write_text(
        "conversation_id,timestamp,sender,text,agent\n"
        "k1,2026-03-01T09:00:00Z,customer,hi,ANN.ALIAS\n"
        "k1,2026-03-01T09:01:00Z,agent,hello,ANN.ALIAS\n"
        "k2,2026-03-01T10:00:00Z,customer,hey,bob\n"
        "k2,2026-03-01T10:01:00Z,agent,hi,bob\n",
        encoding="utf-8",
    )
    (tmp_path / "manifest.csv").write_text("file,campaign\nk2,Spring\nchats.csv,Autumn\n")
    config = Config(agents=[AgentEntry(id="ann", name="Ann", team="Care", aliases=["ann.alias"])])
    report = ingest([tmp_path], store, config)
    assert len(report.interaction_ids) == 2
    rows = {
        json.loads(r["metadata"]).get("conversation_id"): r
        for r in store.db.query("SELECT * FROM interactions")
    }
    assert (rows["k1"]["agent_id"], rows["k1"]["team"]) == ("ann", "Care")
    assert rows["k2"]["agent_id"] == "bob"
    assert rows["k1"]["campaign"] == "Autumn"  # the file's row
    assert rows["k2"]["campaign"] == "Spring"  # the conversation's row wins
    assert {r["source"] for r in rows.values()} == {str(chats)}
    [source] = list(store.db.query("SELECT * FROM sources"))
    assert source["kind"] == "csv"
    assert source["source"] == str(chats)
    assert sorted(json.loads(source["interaction_ids"])) == sorted(report.interaction_ids)


def test_audio_is_registered_under_its_hash(tmp_path: Path, store: Store) -> None:
    wav = write_tone_wav(tmp_path / "call.WAV", seconds=1.0)
    report = ingest([wav], store, Config(filename_pattern="{agent}"))
    digest = file_sha256(wav)
    assert report.interaction_ids == [digest[:16]]
    row = next(iter(store.db.query("SELECT * FROM interactions")))
    meta = json.loads(row["metadata"])
    assert meta["audio"]["sha256"] == digest
    assert meta["audio"]["size"] == wav.stat().st_size
    assert (row["channel"], row["status"], row["source"]) == ("voice", "registered", str(wav))
    assert row["agent_id"] == "call"  # from the file name
    assert abs(row["duration"] - 1.0) < 0.01
    [source] = list(store.db.query("SELECT kind FROM sources"))
    assert source["kind"] == "wav"


def test_email_threads_are_written_once_their_messages_are_stored(tmp_path: Path) -> None:
    store = Store(tmp_path / "qa.db")
    config = Config(email=EmailConfig(agent_domains=["northwind.example"]))
    first = tmp_path / "one"
    first.mkdir()
    (first / "q.eml").write_bytes(mail("q1@example.com", "Sam <sam@example.com>"))
    (first / "other.eml").write_bytes(mail("o1@example.com", "Bo <bo@example.com>", day=3))
    one = ingest([first], store, config)
    assert len(one.interaction_ids) == 2
    assert store.count("interactions") == 2
    pending = store.conn.execute(
        "SELECT count(*) FROM email_messages WHERE thread_key IS NULL"
    ).fetchone()[0]
    assert pending == 0
    # A later batch: only the thread that the reply joins is rewritten.
    second = tmp_path / "two"
    second.mkdir()
    (second / "r.eml").write_bytes(
        mail("r1@northwind.example", "Ann <ann@northwind.example>", reply_to="q1@example.com")
    )
    two = ingest([second], store, config)
    assert len(two.interaction_ids) == 1
    assert store.count("interactions") == 2
    [thread_id] = two.interaction_ids
    turns = store.conn.execute(
        "SELECT role FROM turns WHERE interaction_id = ? ORDER BY idx", [thread_id]
    ).fetchall()
    assert [t[0] for t in turns] == ["customer", "agent"]
    # Nothing new: no thread is rewritten.
    assert ingest([second], store, config).interaction_ids == []


def test_pending_messages_are_threaded_by_a_run_with_no_new_mail(tmp_path: Path) -> None:
    store = Store(tmp_path / "qa.db")
    config = Config(email=EmailConfig(agent_domains=["northwind.example"]))
    folder = tmp_path / "m"
    folder.mkdir()
    eml = folder / "q.eml"
    eml.write_bytes(mail("q1@example.com", "Sam <sam@example.com>"))
    ingest([folder], store, config)
    # As if a run had been killed between storing the messages and threading them.
    store.conn.execute("DELETE FROM interactions")
    store.conn.execute("UPDATE email_messages SET thread_key = NULL")
    chats = tmp_path / "c"
    chats.mkdir()
    write_chat_json(chats / "a.json")
    report = ingest([chats], store, config)
    assert len(report.interaction_ids) == 2  # the chat and the thread
    assert store.count("interactions") == 2


def test_skips_name_their_files_and_empty_files_say_so(
    tmp_path: Path, store: Store, config: Config
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    good = write_chat_json(folder / "a.json")
    (folder / "empty.json").write_bytes(b"")
    first = ingest([folder], store, config)
    assert [f.reason for f in first.failures] == ["empty file (0 bytes)"]
    again = ingest([folder], store, config)
    assert again.skipped == [str(good)]


def test_a_date_in_the_metadata_makes_a_key(tmp_path: Path) -> None:
    from datetime import date

    path = write_chat_json(tmp_path / "a.json")
    key = _source_key(path, {"day": date(2026, 3, 1)})
    assert key == _source_key(path, {"day": "2026-03-01"})


def test_evaluations_with_odd_bytes_in_the_header_are_still_recognised(tmp_path: Path) -> None:
    evals = tmp_path / "e.csv"
    evals.write_bytes(b"caf\xe9,interaction_id,criterion_id,result\n")
    assert _is_human_evaluations(evals)
    files, _ = discover([tmp_path])
    assert files == []


def test_cannot_read_failures_belong_to_the_run(
    tmp_path: Path, store: Store, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_chat_json(tmp_path / "a.json")

    def unreadable(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", unreadable)
    ingest([path], store, config)
    [failure] = store.failures()
    [run] = list(store.db.query("SELECT id FROM runs"))
    assert failure["run_id"] == run["id"]
    assert failure["reason"] == "cannot read: [Errno 13] Permission denied"


def test_email_files_keep_their_source_names_and_metadata(tmp_path: Path) -> None:
    store = Store(tmp_path / "qa.db")
    config = Config(
        email=EmailConfig(agent_domains=["northwind.example"]),
        agents=[AgentEntry(id="ann", emails=["ann@northwind.example"], team="Care")],
        filename_pattern="{campaign}_{id}",
    )
    folder = tmp_path / "m"
    folder.mkdir()
    eml = folder / "Spring_77.eml"
    # The agent writes first: an outbound thread, told apart by the agent's domain.
    eml.write_bytes(mail("o1@northwind.example", "Ann <ann@northwind.example>"))
    reply = folder / "reply.eml"
    reply.write_bytes(
        mail("r1@example.com", "Sam <sam@example.com>", reply_to="o1@northwind.example")
    )
    (folder / "manifest.csv").write_text("file,customer_id\nSpring_77.eml,cust-9\n")
    report = ingest([folder], store, config)
    [thread_id] = report.interaction_ids
    [row] = list(store.db.query("SELECT * FROM interactions"))
    assert row["id"] == thread_id
    assert row["source"] == str(eml)
    assert (row["agent_id"], row["team"]) == ("ann", "Care")
    assert (row["campaign"], row["customer_id"]) == ("Spring", "cust-9")
    assert json.loads(row["metadata"])["external_id"] == "77"
    roles = store.conn.execute(
        "SELECT role FROM turns WHERE interaction_id = ? ORDER BY idx", [thread_id]
    ).fetchall()
    assert [r[0] for r in roles] == ["agent", "customer"]
    sources = {r["source"]: r["kind"] for r in store.db.query("SELECT * FROM sources")}
    assert sources == {str(eml): "email", str(reply): "email"}
    kept = {r["source"] for r in store.db.query("SELECT source FROM email_messages")}
    assert kept == {str(eml), str(reply)}


def channels_json(words: dict[str, list[tuple[float, str]]]) -> str:
    """An Amazon Transcribe result with one audio channel per speaker."""
    channels = [
        {
            "channel_label": label,
            "items": [
                {
                    "start_time": f"{t:.3f}",
                    "end_time": f"{t + 0.3:.3f}",
                    "alternatives": [{"confidence": "0.9", "content": w}],
                    "type": "pronunciation",
                }
                for t, w in items
            ],
        }
        for label, items in words.items()
    ]
    return json.dumps(
        {
            "jobName": "j",
            "status": "COMPLETED",
            "results": {
                "transcripts": [{"transcript": "..."}],
                "channel_labels": {"number_of_channels": len(channels), "channels": channels},
            },
        }
    )


def voice_roles(store: Store, name: str) -> list[tuple[str | None, str]]:
    [item] = [i for i in store.load_interactions() if Path(i.source).name == name]
    assert item.channel == "voice"
    return [(t.speaker, t.role) for t in item.turns]


def test_channel_map_from_the_config_labels_neutral_channels(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "call.json").write_text(
        channels_json({"ch_0": [(0.0, "hello")], "ch_1": [(2.0, "hello")]}), encoding="utf-8"
    )
    left = Store(tmp_path / "left.db")
    ingest([folder], left, Config())
    assert voice_roles(left, "call.json") == [("ch_0", "agent"), ("ch_1", "customer")]
    right = Store(tmp_path / "right.db")
    config = Config.model_validate({"voice": {"agent_channel": "right"}})
    ingest([folder], right, config)
    assert voice_roles(right, "call.json") == [("ch_0", "customer"), ("ch_1", "agent")]


def test_roster_names_and_company_names_reach_the_transcript_roles(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    turns = {
        "turns": [
            {"speaker": "Kim", "start": 0.0, "end": 1.0, "text": "Hello."},
            {"speaker": "Lee", "start": 1.0, "end": 2.0, "text": "Acme here."},
        ]
    }
    (folder / "named.json").write_text(json.dumps(turns), encoding="utf-8")
    plain = Store(tmp_path / "plain.db")
    ingest([folder], plain, Config())
    assert voice_roles(plain, "named.json") == [("Kim", "agent"), ("Lee", "customer")]
    company = Store(tmp_path / "company.db")
    ingest([folder], company, Config.model_validate({"voice": {"company_names": ["Acme"]}}))
    assert voice_roles(company, "named.json") == [("Kim", "customer"), ("Lee", "agent")]
    roster = Store(tmp_path / "roster.db")
    ingest([folder], roster, Config(agents=[AgentEntry(id="x1", name="LEE")]))
    assert voice_roles(roster, "named.json") == [("Kim", "customer"), ("Lee", "agent")]
    alias = Store(tmp_path / "alias.db")
    ingest([folder], alias, Config(agents=[AgentEntry(id="x1", aliases=["Lee"])]))
    assert voice_roles(alias, "named.json") == [("Kim", "customer"), ("Lee", "agent")]


def test_plain_text_is_a_call_only_when_the_manifest_says_voice(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    text = "[00:00:02] Ann: How can I help?\n[00:00:06] Bob: My bill is wrong.\n"
    (folder / "call.txt").write_text(text, encoding="utf-8")
    (folder / "chat.txt").write_text("Customer: hi\nAgent: hello\n", encoding="utf-8")
    (folder / "manifest.csv").write_text("file,channel\ncall.txt,voice\n")
    store = Store(tmp_path / "qa.db")
    report = ingest([folder], store, Config())
    assert report.failures == []
    channels = {Path(i.source).name: i.channel for i in store.load_interactions()}
    assert channels == {"call.txt": "voice", "chat.txt": "chat"}
    [call] = [i for i in store.load_interactions() if i.channel == "voice"]
    assert [(t.start, t.text) for t in call.turns] == [
        (2.0, "How can I help?"),
        (6.0, "My bill is wrong."),
    ]


def test_a_manifest_channel_that_the_file_contradicts_is_a_failure(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    write_chat_json(folder / "a.json")
    write_chat_json(folder / "b.json", text="Another")
    (folder / "manifest.csv").write_text("file,channel\na.json,voice\nb.json,chat\n")
    store = Store(tmp_path / "qa.db")
    report = ingest([folder], store, Config())
    reasons = {Path(f.source).name: f.reason for f in report.failures}
    assert reasons == {"a.json": "the manifest says channel voice, but the file holds chat"}
    assert store.count("interactions") == 1


def test_broken_json_reason_names_line_and_column(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "x.json").write_text('{\n  "turns": [\n', encoding="utf-8")
    report = ingest([folder], store, Config())
    [failure] = report.failures
    assert failure.reason == "broken JSON at line 3 column 1: Expecting value"


def test_a_bad_transcript_json_names_its_line(tmp_path: Path, store: Store) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    turns = [
        {"speaker": "a", "start": 0, "end": 1, "text": "hi"},
        {"speaker": "b", "start": "x", "end": 2, "text": "yo"},
    ]
    (folder / "x.json").write_text(json.dumps({"turns": turns}, indent=1), encoding="utf-8")
    [failure] = ingest([folder], store, Config()).failures
    assert failure.reason == "line 11: turns → 1 → start: expected a number, not 'x'"


def test_an_srt_caption_file_is_a_call_under_its_own_name(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "call.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:03,000\nAnn: How can I help?\n\n"
        "2\n00:00:04,000 --> 00:00:06,500\nBob: My bill is wrong.\n",
        encoding="utf-8",
    )
    report = ingest([path], store, Config())
    assert report.failures == []
    [call] = store.load_interactions()
    assert (call.channel, call.source) == ("voice", str(path))
    assert [(t.start, t.end, t.text) for t in call.turns] == [
        (1.0, 3.0, "How can I help?"),
        (4.0, 6.5, "My bill is wrong."),
    ]


def test_a_chat_keeps_its_source_and_gets_the_language_of_its_words(
    tmp_path: Path, store: Store, config: Config
) -> None:
    path = write_chat_json(
        tmp_path / "chat.json", text="Hello, thank you for waiting, how can I help you today?"
    )
    ingest([path], store, config)
    [chat] = store.load_interactions()
    assert chat.source == str(path)
    assert chat.language == "en"


def test_a_language_the_manifest_gives_is_not_detected_again(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    write_chat_json(folder / "chat.json", text="Hello, thank you for waiting, how can I help?")
    (folder / "manifest.csv").write_text("file,language\nchat.json,fr\n", encoding="utf-8")
    store = Store(tmp_path / "qa.db")
    ingest([folder], store, Config())
    assert [i.language for i in store.load_interactions()] == ["fr"]


def test_an_unexpected_error_is_logged_with_its_traceback_and_the_batch_goes_on(
    tmp_path: Path,
    store: Store,
    config: Config,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    import qa.ingest.batch as batch

    bad = write_chat_json(tmp_path / "a_bad.json")
    good = tmp_path / "b_good.txt"
    good.write_text("Customer: hi\nAgent: hello\n", encoding="utf-8")
    real = batch.parse_transcript_json

    def broken(text: str, data: object) -> object:
        raise RuntimeError("reader bug")

    monkeypatch.setattr(batch, "parse_transcript_json", broken)
    with caplog.at_level("ERROR", logger=batch.log.name):
        report = ingest([bad, good], store, config)
    monkeypatch.setattr(batch, "parse_transcript_json", real)
    reason = "unexpected error: RuntimeError: reader bug"
    assert report.failures == [
        Failure(source=str(bad), stage="ingest", reason=reason, file_hash=file_sha256(bad))
    ]
    [row] = store.failures()
    assert (row["source"], row["reason"], row["file_hash"]) == (str(bad), reason, file_sha256(bad))
    [run] = store.conn.execute("SELECT id FROM runs WHERE command = 'ingest'").fetchall()
    assert row["run_id"] == run[0]
    [record] = caplog.records
    assert record.levelname == "ERROR"
    assert record.getMessage() == f"unexpected error reading {bad}"
    assert record.exc_info is not None and record.exc_info[0] is RuntimeError
    assert [i.source for i in store.load_interactions()] == [str(good)]


def test_no_input_files_names_the_paths_and_what_qa_reads(tmp_path: Path, store: Store) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    with pytest.raises(ConfigError) as err:
        ingest([tmp_path / "one", tmp_path / "two"], store, Config())
    assert str(err.value) == (
        f"no input files under {tmp_path / 'one'}, {tmp_path / 'two'} (no file there): "
        f"qa reads {', '.join(SUPPORTED)}"
    )


def test_the_size_limit_is_for_text_files_and_never_for_recordings(tmp_path: Path) -> None:
    from qa.config import LimitsConfig

    config = Config(limits=LimitsConfig(max_file_mb=0.01))  # 10,485 bytes
    chat = write_chat_json(tmp_path / "big.json", text="word " * 3000)
    wav = write_tone_wav(tmp_path / "long.wav", seconds=2.0)  # 32 kB
    store = Store(tmp_path / "qa.db")
    report = ingest([chat, wav], store, config)
    assert [(Path(f.source).name, f.reason) for f in report.failures] == [
        (
            "big.json",
            "file of 0 MB is over the 0 MB limit for text files (limits.max_file_mb in qa.yaml);"
            " split the export",
        )
    ]
    assert [Path(i.source).name for i in store.load_interactions()] == ["long.wav"]


def test_a_recording_whose_name_holds_a_card_number_is_refused(tmp_path: Path) -> None:
    wav = write_tone_wav(tmp_path / "call 4111 1111 1111 1111.wav")
    store = Store(tmp_path / "qa.db")
    report = ingest([wav], store, Config())
    assert [f.reason for f in report.failures] == [
        "the file's name holds a card number: rename the file, then ingest it"
    ]
    assert store.count("interactions") == 0
