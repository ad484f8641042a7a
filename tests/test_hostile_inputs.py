"""Whatever an export holds, one file fails alone: each is stored with its reason, the
files after it are read, and a rerun gives the same answer instead of crashing again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import cli
from qa.errors import InputError
from qa.timeutil import parse_timestamp


def chat(conv: str, ts: object = "2026-03-03T10:02:11Z", agent: object = "a.one") -> str:
    messages = [
        {"from": "agent", "text": "Hello, how can I help?", "ts": ts},
        {"from": "customer", "text": "My bill is wrong.", "ts": ts},
    ]
    return json.dumps({"id": conv, "agent": agent, "channel": "chat", "messages": messages})


MAIL = (
    "From: Pat <pat@customer.example>\nTo: care@shop.example\nSubject: refund\n"
    "Message-ID: <{mid}@customer.example>\nDate: Tue, 3 Mar 2026 10:00:00 +0000\n"
    "Content-Type: text/plain; charset={charset}\nContent-Transfer-Encoding: 8bit\n\n"
)

# name -> (bytes, words the stored reason must hold)
BAD: dict[str, tuple[bytes, str]] = {
    "deep.json": (b"[" * 100_000 + b"]" * 100_000, "nested deeper than 64 levels"),
    "ts_1e20.json": (chat("b1", 1e20).encode(), "too large for epoch seconds"),
    "ts_1e308.json": (chat("b2", 1e308).encode(), "too large for epoch seconds"),
    "ts_nan.json": (chat("b3", 1).replace('"ts": 1', '"ts": NaN').encode(), "not a timestamp: nan"),
    "ts_5000_digits.json": (
        chat("b4", 1).replace('"ts": 1', '"ts": ' + "9" * 5000).encode(),
        "more than 4,300 digits",
    ),
    "ts_year_1900.json": (chat("b5", -2208988800).encode(), "outside 1970-2200"),
    "agent_list.json": (chat("b6", agent=["x"]).encode(), "agent: expected an id"),
    "agent_object_list.json": (chat("b7", agent={"id": ["x"]}).encode(), "agent: an object"),
    "big_field.csv": (
        b"conversation_id,timestamp,sender,text,agent\nc1,2026-03-03T10:00:00Z,agent,"
        + b"a" * 1_100_000
        + b",a.one\n",
        "CSV: a field longer than 1,000,000 characters (limits.max_field_chars",
    ),
    "broken.json": (b'{"id": "x", "messages": [', "broken JSON at line 1"),
}


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    for name, (data, _) in BAD.items():
        (folder / name).write_bytes(data)
    (folder / "a_good.json").write_text(chat("good-1"))
    (folder / "z_good.json").write_text(chat("good-2"))
    (folder / "ms.json").write_text(chat("epoch-ms", 1772539200000))
    (folder / "klingon.eml").write_bytes(
        MAIL.format(mid="k1", charset="x-klingon").encode() + "Café refund please\n".encode()
    )
    (folder / "mislabelled.eml").write_bytes(
        MAIL.format(mid="k2", charset="utf-8").encode() + "Café refund please\n".encode("cp1252")
    )
    return folder, folder.parent / "hostile.db"


def run(args: list[str]) -> tuple[int, dict]:
    result = CliRunner().invoke(cli, [*args, "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_every_bad_file_fails_alone_with_its_reason(batch: tuple[Path, Path]) -> None:
    folder, db = batch
    code, out = run(["ingest", str(folder), "--db", str(db)])
    assert code == 1
    reasons = {Path(f["source"]).name: f["reason"] for f in out["failures"]}
    assert set(reasons) == set(BAD)
    for name, (_, words) in BAD.items():
        assert words in reasons[name], (name, reasons[name])
    assert not any("unexpected error" in r for r in reasons.values()), reasons
    # the good files before and after the bad ones, the epoch-ms chat and both emails
    assert len(out["interaction_ids"]) == 5


def test_a_rerun_gives_the_same_failures_and_no_duplicates(batch: tuple[Path, Path]) -> None:
    folder, db = batch
    run(["ingest", str(folder), "--db", str(db)])
    code, out = run(["ingest", str(folder), "--db", str(db)])
    assert code == 1
    assert {Path(f["source"]).name for f in out["failures"]} == set(BAD)
    assert out["interactions"] == 0
    assert out["skipped"] == 5


def test_epoch_milliseconds_are_read_as_a_date(batch: tuple[Path, Path]) -> None:
    folder, db = batch
    run(["ingest", str(folder), "--db", str(db)])
    from qa.store import Store

    started = {r["started_at"] for r in Store(db).db.query("SELECT started_at FROM interactions")}
    assert "2026-03-03T12:00:00Z" in started


def test_an_unknown_or_wrong_charset_is_read_by_the_stated_rule_with_a_warning(
    batch: tuple[Path, Path],
) -> None:
    folder, db = batch
    run(["ingest", str(folder), "--db", str(db)])
    from qa.store import Store

    rows = list(
        Store(db).db.query(
            "SELECT t.text, i.metadata FROM turns t JOIN interactions i ON i.id = t.interaction_id"
            " WHERE i.channel = 'email'"
        )
    )
    assert len(rows) == 2
    for row in rows:
        assert "Café refund please" in row["text"]
        assert "\ufffd" not in row["text"]
    warnings = sorted(w for row in rows for w in json.loads(row["metadata"])["warnings"])
    assert warnings == [
        "the declared charset 'utf-8' does not fit its bytes: the body was read as windows-1252",
        "the declared charset 'x-klingon' is unknown: the body was read as utf-8",
    ]


def test_an_empty_folder_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    result = CliRunner().invoke(
        cli, ["ingest", str(tmp_path / "in"), "--db", str(tmp_path / "x.db")]
    )
    assert result.exit_code == 2
    assert "no input files under" in result.output


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "big.json").write_text(chat("x") + " " * (2 * 1024 * 1024))
    (tmp_path / "qa.yaml").write_text("limits:\n  max_file_mb: 1\n")
    code, out = run(
        [
            "ingest",
            str(tmp_path / "in"),
            "--db",
            str(tmp_path / "x.db"),
            "--config",
            str(tmp_path / "qa.yaml"),
        ]
    )
    assert code == 1
    assert "over the 1 MB limit for text files (limits.max_file_mb" in out["failures"][0]["reason"]


def test_too_many_messages_is_refused(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "c.json").write_text(chat("x"))
    (tmp_path / "qa.yaml").write_text("limits:\n  max_messages: 1\n")
    code, out = run(
        [
            "ingest",
            str(tmp_path / "in"),
            "--db",
            str(tmp_path / "x.db"),
            "--config",
            str(tmp_path / "qa.yaml"),
        ]
    )
    assert code == 1
    assert "has 2 messages, over the limit of 1" in out["failures"][0]["reason"]


def test_a_bug_in_a_reader_is_stored_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa.ingest import batch as batch_module

    def broken(text: str, source: str) -> list:
        raise ZeroDivisionError("a bug, not a bad file")

    monkeypatch.setitem(batch_module.CHAT_PARSERS, ".txt", broken)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("agent: hi\ncustomer: hello\n")
    (tmp_path / "in" / "b.json").write_text(chat("fine"))
    code, out = run(["ingest", str(tmp_path / "in"), "--db", str(tmp_path / "x.db")])
    assert code == 1
    assert (
        out["failures"][0]["reason"] == "unexpected error: ZeroDivisionError: a bug, not a bad file"
    )
    assert len(out["interaction_ids"]) == 1


@pytest.mark.parametrize(
    "value, iso",
    [
        (1772539200, "2026-03-03T12:00:00+00:00"),
        (1772539200000, "2026-03-03T12:00:00+00:00"),
        (1772539200000000, "2026-03-03T12:00:00+00:00"),
        ("1772539200000", "2026-03-03T12:00:00+00:00"),
        (1772539200.5, "2026-03-03T12:00:00.500000+00:00"),
    ],
)
def test_epoch_seconds_milliseconds_and_microseconds(value: object, iso: str) -> None:
    stamp = parse_timestamp(value)
    assert not isinstance(stamp, float) and stamp.isoformat() == iso


@pytest.mark.parametrize("value", [float("inf"), float("nan"), 10**30, -1, "9" * 40])
def test_impossible_epochs_are_refused(value: object) -> None:
    with pytest.raises(InputError, match="not a timestamp"):
        parse_timestamp(value)
