"""The store's writes pinned through its public methods: what each row holds, what a rewrite
replaces, what a thread that grows deletes, and that every stored field is redacted."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from qa.errors import ConfigError
from qa.ingest.hashing import file_sha256
from qa.model import (
    Agent,
    CriterionResult,
    Evaluation,
    Evidence,
    Failure,
    Flag,
    Interaction,
    Turn,
    Word,
)
from qa.redact import RedactionPolicy
from qa.store import Store, content_digest, content_id

CARD = "4111 1111 1111 1111"
SPOKEN = "four one one one one one one one one one one one one one one one"


def rows(store: Store, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    return [dict(r) for r in store.db.query(sql, params or [])]


def chat(ident: str = "c1", agent: Agent | None = None, text: str = "hello") -> Interaction:
    return Interaction(
        id=ident,
        channel="chat",
        source=f"/in/{ident}.json",
        agent=agent,
        turns=[
            Turn("customer", "hi", 0.0, 0.0, speaker="cust"),
            Turn("agent", text, 5.0, 6.0, speaker="ag"),
        ],
        started_at="2026-03-01T10:00:00Z",
        duration=6.0,
        language="en",
        direction="inbound",
        customer_id="cu1",
        case_id="ca1",
        campaign="Spring",
        status="ingested",
        metadata={"conversation_id": "k1"},
    )


def evaluation(card_hash: str = "h1", percent: float = 50.0) -> Evaluation:
    return Evaluation(
        scorecard_name="card",
        scorecard_hash=card_hash,
        total=2.0,
        max=4.0,
        percent=percent,
        auto_fail=True,
        passed=False,
        criteria=[
            CriterionResult(
                id="greet",
                section="open",
                type="phrase.v1",
                result="pass",
                points=2.0,
                max_points=2.0,
                confidence=0.9,
                evidence=[Evidence(1, "agent", 5.0, 6.0, "hello")],
                note="said it",
                details={"k": 1},
            ),
            CriterionResult("close", "end", "phrase.v1", "fail", 0.0, 2.0, 0.8),
        ],
    )


def test_an_interaction_row_holds_every_field(store: Store) -> None:
    store.save_interactions([chat(agent=Agent("ann", "Ann", "Care"))], "/in/c1.json", "k", "json")
    [row] = rows(store, "SELECT * FROM interactions")
    assert {k: row[k] for k in row if k not in ("created_at", "updated_at")} == {
        "id": "c1",
        "channel": "chat",
        "source": "/in/c1.json",
        "agent_id": "ann",
        "team": "Care",
        "campaign": "Spring",
        "customer_id": "cu1",
        "case_id": "ca1",
        "direction": "inbound",
        "started_at": "2026-03-01T10:00:00Z",
        "duration": 6.0,
        "language": "en",
        "status": "ingested",
        "error": None,
        "metadata": '{"conversation_id": "k1"}',
        "content": content_digest(chat(agent=Agent("ann", "Ann", "Care"))),
    }
    assert row["created_at"] == row["updated_at"]
    assert rows(store, "SELECT * FROM agents") == [{"id": "ann", "name": "Ann", "team": "Care"}]
    turns = rows(store, "SELECT * FROM turns ORDER BY idx")
    assert [
        (t["idx"], t["role"], t["speaker"], t["start"], t["end"], t["text"]) for t in turns
    ] == [
        (0, "customer", "cust", 0.0, 0.0, "hi"),
        (1, "agent", "ag", 5.0, 6.0, "hello"),
    ]
    assert [(t["original"], t["words"], t["meta"]) for t in turns] == [(None, None, None)] * 2
    [source] = rows(store, "SELECT * FROM sources")
    assert (source["file_hash"], source["source"], source["kind"]) == ("k", "/in/c1.json", "json")
    assert json.loads(source["interaction_ids"]) == ["c1"]
    assert store.source_done("k") and not store.source_done("other")


def test_no_source_mark_without_both_source_and_hash(store: Store) -> None:
    store.save_interactions([chat("a")], source="/in/a.json")
    store.save_interactions([chat("b")], file_hash="kb")
    store.save_interactions([chat("c")])
    assert store.count("sources") == 0
    assert store.count("interactions") == 3


def test_a_rewrite_replaces_fields_and_turns(store: Store) -> None:
    store.save_interactions([chat(agent=Agent("ann", "Ann", "Care"))])
    item = chat(agent=Agent("ann", None, None), text="bye")
    item.turns = item.turns[1:]
    item.status, item.error, item.campaign = "failed", "broken", None
    store.save_interactions([item])
    [row] = rows(store, "SELECT * FROM interactions")
    assert (row["status"], row["error"], row["campaign"]) == ("failed", "broken", None)
    assert row["team"] is None  # the interaction's own team, as given this time
    # The roster keeps what it knew when a later write leaves a field empty.
    assert rows(store, "SELECT * FROM agents") == [{"id": "ann", "name": "Ann", "team": "Care"}]
    assert [t["text"] for t in rows(store, "SELECT text FROM turns")] == ["bye"]
    store.save_interactions([chat("c2", agent=Agent("ann", "Annie", "Sales"))])
    assert rows(store, "SELECT * FROM agents") == [{"id": "ann", "name": "Annie", "team": "Sales"}]


def test_a_failed_write_leaves_nothing(store: Store) -> None:
    bad = chat("c2")
    bad.turns[1].start = "not a number"  # type: ignore[assignment]
    bad.metadata = {"x": object()}  # cannot be written as JSON
    with pytest.raises(TypeError):
        store.save_interactions([chat("c1"), bad], "/in/x.json", "kx")
    assert store.count("interactions") == 0
    assert store.count("turns") == 0
    assert store.count("sources") == 0
    store.save_interactions([chat("c1")], "/in/x.json", "kx")  # the store is usable after it
    assert store.count("interactions") == 1


def test_every_stored_text_field_is_redacted(tmp_path: Path) -> None:
    store = Store(tmp_path / "qa.db", RedactionPolicy(emails=True))
    item = chat(text=f"card {CARD}, mail sam@example.com")
    item.turns[1].original = f"original {CARD} sam@example.com"
    item.turns[1].meta = {"note": f"meta {CARD}", "list": [f"x {CARD}", 3], "n": 1}
    item.turns[0].words = [Word(0.0, 0.5, "mail"), Word(0.5, 1.0, "sam@example.com")]
    item.metadata = {"subject": f"re {CARD}", "nested": {"to": "sam@example.com"}, "n": 2}
    store.save_interactions([item])
    [row] = rows(store, "SELECT metadata FROM interactions")
    assert json.loads(row["metadata"]) == {
        "subject": "re [CARD]",
        "nested": {"to": "[EMAIL]"},
        "n": 2,
    }
    turns = rows(store, "SELECT * FROM turns ORDER BY idx")
    assert turns[1]["text"] == "card [CARD], mail [EMAIL]"
    assert turns[1]["original"] == "original [CARD] [EMAIL]"
    assert json.loads(turns[1]["meta"]) == {
        "note": "meta [CARD]",
        "list": ["x [CARD]", 3],
        "n": 1,
    }
    assert [w["word"] for w in json.loads(turns[0]["words"])] == ["mail", "[EMAIL]"]
    store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("qa.db*"))
    assert CARD.encode() not in raw and b"sam@example.com" not in raw


def test_a_card_spoken_across_word_tokens_is_masked_word_by_word(store: Store) -> None:
    spoken = ["my", "card", "is", *SPOKEN.split(), "thanks", "two"]
    words = [Word(float(i), i + 0.5, w) for i, w in enumerate(spoken)]
    item = Interaction(
        "v1",
        "voice",
        "/in/v.wav",
        turns=[Turn("customer", " ".join(spoken), 0.0, 20.0, words=words)],
    )
    store.save_interactions([item])
    [turn] = rows(store, "SELECT text, words FROM turns")
    assert turn["text"] == "my card is [CARD] thanks two"
    stored = json.loads(turn["words"])
    # A digit word within reach of the card is masked too: the safe side.
    assert [w["word"] for w in stored] == ["my", "card", "is", *["[CARD]"] * 16, "thanks", "[CARD]"]
    assert [(w["start"], w["end"]) for w in stored] == [(float(i), i + 0.5) for i in range(21)]


def test_word_tokens_far_from_a_card_are_kept(store: Store) -> None:
    # 40 tokens: the card is at the end, "one" at the start lies outside every window
    # that holds the whole card.
    lead = ["one"] + ["word"] * 20
    spoken = [*lead, *SPOKEN.split(), "bye"]
    words = [Word(float(i), i + 0.5, w) for i, w in enumerate(spoken)]
    item = Interaction(
        "v2", "voice", "/in/v.wav", turns=[Turn("customer", "x", 0, 40, words=words)]
    )
    store.save_interactions([item])
    stored = [w["word"] for w in json.loads(rows(store, "SELECT words FROM turns")[0]["words"])]
    assert stored == [*lead, *["[CARD]"] * 16, "bye"]


def test_plain_words_are_stored_as_given(store: Store) -> None:
    words = [Word(0.0, 0.4, " Thank"), Word(0.4, 0.8, "you ")]
    item = Interaction(
        "v3", "voice", "/in/v.wav", turns=[Turn("agent", "Thank you", 0, 1, words=words)]
    )
    store.save_interactions([item])
    stored = json.loads(rows(store, "SELECT words FROM turns")[0]["words"])
    assert stored == [
        {"start": 0.0, "end": 0.4, "word": " Thank"},
        {"start": 0.4, "end": 0.8, "word": "you "},
    ]


def test_runs_are_recorded(store: Store) -> None:
    run_id = store.start_run("score", {"card": "x", "n": [1, 2]})
    other = store.start_run("score", {})
    assert run_id != other and len(run_id) == 16
    [row] = rows(store, "SELECT * FROM runs WHERE id = ?", [run_id])
    assert (row["command"], json.loads(row["args"]), row["finished_at"]) == (
        "score",
        {"card": "x", "n": [1, 2]},
        None,
    )
    store.finish_run(run_id, 7, 2, 3)
    [row] = rows(store, "SELECT * FROM runs WHERE id = ?", [run_id])
    assert (row["processed"], row["failed"], row["skipped"]) == (7, 2, 3)
    assert row["finished_at"] >= row["started_at"]
    [untouched] = rows(store, "SELECT * FROM runs WHERE id = ?", [other])
    assert untouched["finished_at"] is None


def test_failures_are_keyed_by_source_stage_and_hash(store: Store) -> None:
    store.record_failure(Failure("/in/a.json", "ingest", "broken", "h1"), "r1")
    store.record_failure(Failure("/in/a.json", "ingest", "still broken", "h1"), "r2")
    store.record_failure(Failure("/in/a.json", "transcribe", "no audio", "h1"))
    store.record_failure(Failure("/in/a.json", "ingest", "other bytes", "h2"))
    found = rows(store, "SELECT * FROM failures ORDER BY stage, reason")
    assert [(f["stage"], f["reason"], f["run_id"]) for f in found] == [
        ("ingest", "other bytes", None),
        ("ingest", "still broken", "r2"),
        ("transcribe", "no audio", None),
    ]
    key = hashlib.sha256(b"/in/a.json\0ingest\0h1").hexdigest()[:16]
    assert key in {f["id"] for f in found}
    assert len(store.failures()) == 3
    # A file read in full clears its ingest failures, and only those.
    store.save_interactions([chat()], "/in/a.json", "h3")
    assert [f["stage"] for f in store.failures()] == ["transcribe"]


def test_evaluations_and_criteria_are_written(store: Store) -> None:
    store.save_interactions([chat()])
    flags = [Flag("expired_offer", "high", "Spring", "price", f"said {CARD}")]
    store.save_evaluations([("c1", evaluation(), {"turns": 2}, flags, "camp1")], "e1")
    eid = content_id("evaluation", "c1", "h1")
    [ev] = rows(store, "SELECT * FROM evaluations")
    assert {k: ev[k] for k in ev if k != "created_at"} == {
        "id": eid,
        "interaction_id": "c1",
        "scorecard_hash": "h1",
        "total": 2.0,
        "max": 4.0,
        "percent": 50.0,
        "auto_fail": 1,
        "passed": 0,
        "campaigns_hash": "camp1",
        "engine": "e1",
        "content": content_digest(chat()),
    }
    crit = rows(store, "SELECT * FROM criterion_results ORDER BY idx")
    assert [
        (c["evaluation_id"], c["criterion_id"], c["idx"], c["section"], c["type"], c["result"])
        for c in crit
    ] == [
        (eid, "greet", 0, "open", "phrase.v1", "pass"),
        (eid, "close", 1, "end", "phrase.v1", "fail"),
    ]
    assert [(c["points"], c["max_points"], c["confidence"]) for c in crit] == [
        (2.0, 2.0, 0.9),
        (0.0, 2.0, 0.8),
    ]
    assert json.loads(crit[0]["evidence"]) == [
        {"turn": 1, "role": "agent", "start": 5.0, "end": 6.0, "quote": "hello"}
    ]
    assert (crit[0]["note"], json.loads(crit[0]["details"])) == ("said it", {"k": 1})
    assert (crit[1]["evidence"], crit[1]["note"], crit[1]["details"]) == ("[]", None, None)
    meta = json.loads(rows(store, "SELECT metadata FROM interactions")[0]["metadata"])
    assert meta == {"conversation_id": "k1", "metrics": {"turns": 2}}
    assert store.evaluated_ids("h1") == {"c1"}
    assert store.evaluated_ids("h1", "camp1") == {"c1"}
    assert store.evaluated_ids("h1", "camp2") == set()
    assert store.evaluated_ids("h2") == set()


def test_a_rescore_replaces_criteria_and_keeps_metrics_when_none_given(store: Store) -> None:
    store.save_interactions([chat()])
    store.save_evaluations([("c1", evaluation(), {"turns": 2}, None, None)])
    again = evaluation(percent=75.0)
    again.criteria = again.criteria[:1]
    store.save_evaluations([("c1", again, {}, None, None)])
    assert store.count("evaluations") == 1
    assert rows(store, "SELECT percent FROM evaluations")[0]["percent"] == 75.0
    assert [c["criterion_id"] for c in rows(store, "SELECT * FROM criterion_results")] == ["greet"]
    meta = json.loads(rows(store, "SELECT metadata FROM interactions")[0]["metadata"])
    assert meta["metrics"] == {"turns": 2}
    store.save_evaluations([("c1", evaluation("h2"), {}, None, None)])
    assert store.count("evaluations") == 2  # one per card


def test_flags_are_replaced_redacted_and_kept_when_not_checked(store: Store) -> None:
    store.save_interactions([chat()])
    ev = Evidence(1, "agent", 5.0, 6.0, f"quote {CARD}")
    flags = [
        Flag("expired_offer", "high", "Spring", "price", f"said {CARD}", [ev]),
        Flag("retired_offer", "medium", None, None, "old offer"),
    ]
    store.save_evaluations([("c1", evaluation(), {}, flags, None)])
    found = rows(store, "SELECT * FROM flags ORDER BY kind")
    assert [(f["kind"], f["severity"], f["campaign"], f["fact"]) for f in found] == [
        ("expired_offer", "high", "Spring", "price"),
        ("retired_offer", "medium", None, None),
    ]
    assert found[0]["message"] == "said [CARD]"
    assert json.loads(found[0]["evidence"]) == [
        {"turn": 1, "role": "agent", "start": 5.0, "end": 6.0, "quote": "quote [CARD]"}
    ]
    assert found[0]["id"] == content_id("flag", "c1", 0, "expired_offer", "price")
    assert found[1]["id"] == content_id("flag", "c1", 1, "retired_offer", None)
    assert {f["interaction_id"] for f in found} == {"c1"}
    store.save_evaluations([("c1", evaluation(), {}, None, None)])  # campaigns not checked
    assert store.count("flags") == 2
    store.save_evaluations([("c1", evaluation(), {}, [], None)])  # checked: none now
    assert store.count("flags") == 0


def thread(ident: str, first_text: str) -> Interaction:
    return Interaction(
        id=ident,
        channel="email",
        source="/in/m.mbox",
        turns=[Turn("customer", first_text, 0.0), Turn("agent", "reply", 60.0)],
    )


def test_email_messages_are_stored_once_and_redacted(store: Store) -> None:
    records = [
        {"message_id": "m1", "body": f"card {CARD}", "from": "sam@example.com"},
        {"message_id": "m2", "body": "hello", "from": "ann@northwind.example"},
    ]
    store.save_email_messages(records, "/in/m.mbox", "km")
    store.save_email_messages(
        [{"message_id": "m1", "body": "changed", "from": "x"}], "/in/n.mbox", "kn"
    )
    stored = store.email_messages()
    assert sorted((r["message_id"], r["body"], key) for r, key in stored) == [
        ("m1", "card [CARD]", None),
        ("m2", "hello", None),
    ]
    assert records[0]["body"] == f"card {CARD}"  # the caller's record is left alone
    assert [
        (s["source"], s["kind"]) for s in rows(store, "SELECT * FROM sources ORDER BY source")
    ] == [
        ("/in/m.mbox", "email"),
        ("/in/n.mbox", "email"),
    ]
    src = rows(store, "SELECT source FROM email_messages WHERE message_id = 'm1'")
    assert src == [{"source": "/in/m.mbox"}]


def test_a_thread_that_grows_replaces_its_stale_copy(store: Store) -> None:
    store.save_email_messages(
        [{"message_id": m, "body": m} for m in ("m1", "m2", "m3", "m4")], "/in/m.mbox", "km"
    )
    store.save_thread(thread("t-old", "first"), ["m2", "m3"])
    store.save_evaluations([("t-old", evaluation(), {}, [Flag("k", "low", None, None, "x")], None)])
    store.save_thread(thread("u1", "unrelated"), ["m4"])
    # An earlier message arrives: the thread's id changes, the old copy must go.
    store.save_thread(thread("t-new", "earlier"), ["m1", "m2", "m3"])
    assert store.interaction_ids() == ["t-new", "u1"]
    assert (
        rows(store, "SELECT count(*) AS n FROM turns WHERE interaction_id = 't-old'")[0]["n"] == 0
    )
    assert store.count("evaluations") == 0
    assert store.count("criterion_results") == 0
    assert store.count("flags") == 0
    keys = {r["message_id"]: key for r, key in store.email_messages()}
    assert keys == {"m1": "t-new", "m2": "t-new", "m3": "t-new", "m4": "u1"}
    # Written again under the same id: nothing is deleted.
    store.save_thread(thread("t-new", "earlier"), ["m1", "m2", "m3"])
    assert store.interaction_ids() == ["t-new", "u1"]
    assert store.count("turns") == 4
    # A message that moves to another thread takes its old thread with it.
    store.save_thread(thread("t-all", "all"), ["m1", "m2", "m3", "m4"])
    assert store.interaction_ids() == ["t-all"]


def test_scorecards_transcripts_status_and_vectors(store: Store) -> None:
    store.save_scorecard("card", "h1", "name: card\n")
    store.save_scorecard("renamed", "h1", "other")  # same hash: the first is kept
    [card] = rows(store, "SELECT * FROM scorecards")
    assert (card["hash"], card["name"], card["yaml"]) == ("h1", "card", "name: card\n")
    store.save_transcript("t", '{"a": 1}')
    store.save_transcript("t", '{"a": 2}')
    assert store.cached_transcript("t") == '{"a": 2}'
    assert store.cached_transcript("none") is None
    store.save_interactions([chat("c1"), chat("c2")])
    store.set_status("c1", "failed", "no audio")
    status = {r["id"]: (r["status"], r["error"]) for r in rows(store, "SELECT * FROM interactions")}
    assert status == {"c1": ("failed", "no audio"), "c2": ("ingested", None)}
    store.save_vectors({"a": b"\x01", "b": b"\x02"})
    store.save_vectors({"a": b"\x09"})  # a vector is never rewritten
    assert store.load_vectors(["a", "b", "c"]) == {"a": b"\x01", "b": b"\x02"}
    many = {f"k{i}": bytes([i % 256]) for i in range(1203)}
    store.save_vectors(many)
    assert store.load_vectors(list(many)) == many


def test_transaction_rolls_back_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction() as conn:
        conn.execute("INSERT INTO transcripts (key, result, created_at) VALUES ('k', 'r', 'n')")
        raise RuntimeError("stop")
    assert store.cached_transcript("k") is None
    with store.transaction() as conn:
        conn.execute("INSERT INTO transcripts (key, result, created_at) VALUES ('k', 'r', 'n')")
    assert store.cached_transcript("k") == "r"


def test_a_second_connection_sees_committed_writes(tmp_path: Path) -> None:
    store = Store(tmp_path / "qa.db")
    store.save_interactions([chat()], "/in/c1.json", "k")
    other = sqlite3.connect(str(tmp_path / "qa.db"))
    assert other.execute("SELECT count(*) FROM interactions").fetchone()[0] == 1
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 60000
    other.close()
    store.close()


def test_a_store_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="database folder .*nowhere does not exist"):
        Store(tmp_path / "nowhere" / "qa.db")


def test_content_id_and_file_hash(tmp_path: Path) -> None:
    expected = hashlib.sha256(b'["a", 1, {"x": 2, "y": "\xc3\xa9"}]').hexdigest()[:16]
    assert content_id("a", 1, {"y": "é", "x": 2}) == expected
    assert len(content_id()) == 16
    path = tmp_path / "f.bin"
    data = bytes(range(256)) * 5000  # more than one read of a mebibyte
    path.write_bytes(data)
    assert file_sha256(path) == hashlib.sha256(data).hexdigest()


def test_defaults_stamps_and_email_source_marks(store: Store) -> None:
    store.save_interactions([chat()], "/in/c1.json", "k")
    [source] = rows(store, "SELECT * FROM sources")
    assert source["kind"] == "file"
    [row] = rows(store, "SELECT created_at, updated_at FROM interactions")
    assert row["created_at"] and row["created_at"].startswith("20")
    store.save_email_messages([{"message_id": "m1", "body": "hi"}], "/in/m.eml", "km")
    [mark] = rows(store, "SELECT interaction_ids FROM sources WHERE kind = 'email'")
    assert json.loads(mark["interaction_ids"]) == []


def words_of(store: Store, ident: str) -> list[str]:
    [row] = rows(store, "SELECT words FROM turns WHERE interaction_id = ?", [ident])
    return [w["word"] for w in json.loads(row["words"])]


def voice(ident: str, tokens: list[str]) -> Interaction:
    words = [Word(float(i), i + 0.5, w) for i, w in enumerate(tokens)]
    return Interaction(
        ident, "voice", "/in/v.wav", turns=[Turn("customer", "x", 0, 99, words=words)]
    )


def test_the_word_window_reaches_eighteen_words_each_side(store: Store) -> None:
    card = SPOKEN.split()[:13]  # thirteen digits: a card by length
    # A card at the very start: its first word is masked too.
    store.save_interactions([voice("a", [*card, "thanks"])])
    assert words_of(store, "a") == ["[CARD]"] * 13 + ["thanks"]
    # A digit word 19 places after the card's first word sees only 12 of its digits.
    after = [*card, *["word"] * 6, "two"]
    store.save_interactions([voice("b", after)])
    assert words_of(store, "b") == ["[CARD]"] * 13 + ["word"] * 6 + ["two"]
    # And one 19 places before the card's last word, likewise.
    before = ["two", *["word"] * 6, *card]
    store.save_interactions([voice("c", before)])
    assert words_of(store, "c") == ["two"] + ["word"] * 6 + ["[CARD]"] * 13


def test_policy_reaches_words_messages_flags_and_mail(tmp_path: Path) -> None:
    store = Store(tmp_path / "qa.db", RedactionPolicy(emails=True, phones=True))
    # A phone number split across word tokens is masked word by word.
    store.save_interactions([voice("v", ["call", "07700", "900123", "please"])])
    assert words_of(store, "v") == ["call", "[CARD]", "[CARD]", "please"]
    store.save_interactions([chat()])
    ev = Evidence(1, "agent", 5.0, 6.0, "write to sam@example.com")
    flag = Flag("denied_offer", "high", None, None, "told sam@example.com no", [ev])
    store.save_evaluations([("c1", evaluation(), {}, [flag], None)])
    [stored] = rows(store, "SELECT message, evidence FROM flags")
    assert stored["message"] == "told [EMAIL] no"
    assert json.loads(stored["evidence"])[0]["quote"] == "write to [EMAIL]"
    store.save_email_messages([{"message_id": "m", "body": "from sam@example.com"}], "/m", "k")
    [(record, _)] = store.email_messages()
    assert record["body"] == "from [EMAIL]"


def test_content_id_takes_dates() -> None:
    from datetime import date

    assert content_id(date(2026, 3, 1)) == content_id("2026-03-01")


def test_statements_outside_a_transaction_commit_at_once(tmp_path: Path) -> None:
    # The connection is in autocommit mode: the store opens its own transactions, and a
    # statement outside one never holds a write lock for the next process to wait on.
    store = Store(tmp_path / "qa.db")
    store.conn.execute("INSERT INTO transcripts (key, result, created_at) VALUES ('k', 'r', 'n')")
    assert not store.conn.in_transaction
    other = sqlite3.connect(str(tmp_path / "qa.db"))
    assert other.execute("SELECT result FROM transcripts").fetchall() == [("r",)]
    other.close()
    store.close()


def test_flag_confidence_status_and_readings_are_stored_redacted(store: Store) -> None:
    store.save_interactions([chat()])
    readings = [{"heard": f"card {CARD}", "again": "fine", "p": 0.5}]
    flags = [
        Flag("expired_offer", "high", "Spring", "price", "m", [], 0.4, "review", readings),
        Flag("retired_offer", "low", None, None, "n"),
    ]
    store.save_evaluations([("c1", evaluation(), {}, flags, None)])
    found = rows(store, "SELECT * FROM flags ORDER BY kind")
    assert [(f["confidence"], f["status"]) for f in found] == [(0.4, "review"), (1.0, "open")]
    assert json.loads(found[0]["readings"]) == [{"heard": "card [CARD]", "again": "fine", "p": 0.5}]
    assert found[1]["readings"] is None


def test_an_agent_id_with_a_card_number_is_masked(store: Store) -> None:
    item = chat(agent=Agent(f"ag {CARD}", f"Ann {CARD}", f"Care {CARD}"))
    store.save_interactions([item])
    assert rows(store, "SELECT * FROM agents") == [
        {"id": "ag [CARD]", "name": "Ann [CARD]", "team": "Care [CARD]"}
    ]
    [row] = rows(store, "SELECT agent_id, team FROM interactions")
    assert row == {"agent_id": "ag [CARD]", "team": "Care [CARD]"}


def test_speakers_and_failure_reasons_follow_the_policy(tmp_path: Path) -> None:
    store = Store(tmp_path / "qa.db", RedactionPolicy(emails=True))
    item = chat()
    item.turns[0].speaker = "sam@example.com"
    item.turns[1].speaker = f"agent {CARD}"
    store.save_interactions([item])
    speakers = [t["speaker"] for t in rows(store, "SELECT speaker FROM turns ORDER BY idx")]
    assert speakers == ["[EMAIL]", "agent [CARD]"]
    store.record_failure(Failure("/in/a.json", "ingest", "from sam@example.com", "h1"))
    assert [f["reason"] for f in store.failures()] == ["from [EMAIL]"]
    store.close()


def test_an_email_subject_and_sender_name_are_redacted(tmp_path: Path) -> None:
    store = Store(tmp_path / "qa.db", RedactionPolicy(emails=True))
    records = [
        {
            "message_id": "m1",
            "body": "b",
            "subject": f"card {CARD} for sam@example.com",
            "sender_name": "Sam sam@example.com",
        },
        {"message_id": "m2", "body": "b", "subject": None},
        {"message_id": "m3", "body": "b"},
    ]
    store.save_email_messages(records, "/in/m.mbox", "km")
    stored = {r["message_id"]: r for r, _ in store.email_messages()}
    assert (stored["m1"]["subject"], stored["m1"]["sender_name"]) == (
        "card [CARD] for [EMAIL]",
        "Sam [EMAIL]",
    )
    assert (stored["m2"]["subject"], stored["m2"]["sender_name"]) == ("", None)
    assert (stored["m3"]["subject"], stored["m3"]["sender_name"]) == ("", None)
    store.close()


def test_an_evaluation_made_on_changed_content_is_not_written(store: Store) -> None:
    store.save_interactions([chat("c1"), chat("c2")])
    old = content_digest(chat("c1"))
    grown = chat("c1", text="a longer thread")
    store.save_interactions([grown])
    pairs = [
        ("c1", evaluation(), {"turns": 2}, [], None),  # made on the old content: dropped
        ("c2", evaluation(), {}, None, None),  # after it: written
    ]
    store.save_evaluations(pairs, contents={"c1": old, "c2": content_digest(chat("c2"))})
    assert [r["interaction_id"] for r in rows(store, "SELECT * FROM evaluations")] == ["c2"]
    assert "metrics" not in json.loads(
        rows(store, "SELECT metadata FROM interactions WHERE id = 'c1'")[0]["metadata"]
    )
    # Made on the current content, or with no digest given for it: written.
    store.save_evaluations(
        [("c1", evaluation(), {}, None, None)], contents={"c1": content_digest(grown)}
    )
    store.save_evaluations([("c1", evaluation("h2"), {}, None, None)], contents={})
    found = rows(store, "SELECT interaction_id, scorecard_hash, content FROM evaluations")
    assert sorted((r["interaction_id"], r["scorecard_hash"]) for r in found) == [
        ("c1", "h1"),
        ("c1", "h2"),
        ("c2", "h1"),
    ]
    assert {r["content"] for r in found if r["interaction_id"] == "c1"} == {content_digest(grown)}
    # One whose interaction is gone (its thread re-keyed by another run) is dropped too.
    store.save_evaluations([("gone", evaluation(), {}, None, None)], contents={"gone": old})
    assert store.count("evaluations") == 3


def test_a_scorecard_keeps_its_first_definition(store: Store) -> None:
    store.save_scorecard("card", "h1", "name: card\n")
    assert rows(store, "SELECT definition FROM scorecards") == [{"definition": None}]
    store.save_scorecard("card", "h1", "name: card\n", {"name": "card", "n": 1})
    store.save_scorecard("card", "h1", "name: card\n", {"name": "other"})
    store.save_scorecard("card", "h2", "name: two\n", {"name": "two"})
    found = {r["hash"]: r["definition"] for r in rows(store, "SELECT * FROM scorecards")}
    assert {k: json.loads(v) for k, v in found.items()} == {
        "h1": {"name": "card", "n": 1},
        "h2": {"name": "two"},
    }


def test_engines_campaign_sets_segments_and_metadata_keys(tmp_path: Path) -> None:
    store = Store(tmp_path / "qa.db", RedactionPolicy(emails=True))
    store.save_engine("e1", {"model": "m", "n": 2})
    store.save_engine("e1", {"model": "other"})  # an engine's settings are never rewritten
    [engine] = rows(store, "SELECT * FROM engines")
    assert (engine["stamp"], json.loads(engine["settings"])) == ("e1", {"model": "m", "n": 2})
    assert engine["created_at"].startswith("20")
    store.save_campaign_set("s1", [{"name": "Spring"}])
    store.save_campaign_set("s1", [{"name": "Other"}])
    assert store.campaign_set("s1") == [{"name": "Spring"}]
    assert store.campaign_set("s2") is None
    store.save_interactions([chat("c1"), chat("c2")])
    store.save_asr_segments("c1", [(0, 0.0, 1.5, -0.2, 0.1), (1, 1.5, 3.0, -0.4, 0.3)])
    store.save_asr_segments("c2", [(0, 0.0, 1.0, -0.1, 0.0)])
    store.save_asr_segments("c1", [(1, 2.0, 4.0, -0.5, 0.2)])  # replaces c1's, keeps c2's
    segs = rows(store, "SELECT * FROM asr_segments ORDER BY interaction_id, idx")
    assert [tuple(s.values()) for s in segs] == [
        ("c1", 0, 1, 2.0, 4.0, -0.5, 0.2),
        ("c2", 0, 0, 0.0, 1.0, -0.1, 0.0),
    ]
    store.set_metadata("c1", "routing", {"note": "mail sam@example.com", "n": 1})
    meta = {r["id"]: json.loads(r["metadata"]) for r in rows(store, "SELECT * FROM interactions")}
    assert meta == {
        "c1": {"conversation_id": "k1", "routing": {"note": "mail [EMAIL]", "n": 1}},
        "c2": {"conversation_id": "k1"},
    }
    store.close()


def test_evidence_keeps_its_recognition_confidence(store: Store) -> None:
    store.save_interactions([chat()])
    ev = Evidence(1, "agent", 5.0, 6.0, f"card {CARD}", asr_confidence=0.7)
    result = evaluation()
    result.criteria[0].evidence = [ev]
    store.save_evaluations([("c1", result, {}, [Flag("k", "low", None, None, "m", [ev])], None)])
    expected = {"turn": 1, "role": "agent", "start": 5.0, "end": 6.0, "quote": "card [CARD]"}
    expected["asr_confidence"] = 0.7
    assert json.loads(rows(store, "SELECT evidence FROM flags")[0]["evidence"]) == [expected]
    crit = rows(store, "SELECT evidence FROM criterion_results ORDER BY idx")
    assert json.loads(crit[0]["evidence"]) == [expected]


def test_customer_and_case_ids_are_redacted_when_given(tmp_path: Path) -> None:
    store = Store(tmp_path / "qa.db", RedactionPolicy(emails=True))
    item = chat("c1")
    item.customer_id, item.case_id = "sam@example.com", f"case {CARD}"
    empty = chat("c2")
    empty.customer_id, empty.case_id = "", None
    store.save_interactions([item, empty])
    found = {
        r["id"]: (r["customer_id"], r["case_id"]) for r in rows(store, "SELECT * FROM interactions")
    }
    assert found == {"c1": ("[EMAIL]", "case [CARD]"), "c2": ("", None)}
    store.close()


def test_a_card_typed_across_one_speakers_messages_is_masked(store: Store) -> None:
    item = chat()
    item.turns = [
        Turn("customer", "my card is 4111 1111", 0.0, speaker="cust"),
        Turn("customer", "1111 1111", 1.0, speaker="cust"),
        Turn("agent", "4111 1111", 2.0, speaker="ag"),  # another speaker: not joined
        Turn("agent", "thanks", 3.0, speaker="ag"),
        Turn("customer", "1111 1111", 4.0, speaker="cust"),
    ]
    store.save_interactions([item])
    texts = [t["text"] for t in rows(store, "SELECT text FROM turns ORDER BY idx")]
    assert texts == ["my card is [CARD]", "[CARD]", "4111 1111", "thanks", "1111 1111"]


def test_the_content_digest_follows_what_scoring_reads() -> None:
    base = content_digest(chat(agent=Agent("ann", "Ann", "Care")))
    assert base == content_digest(chat(agent=Agent("ann", "Ann", "Sales")))  # team: not read
    changed = []
    for change in (
        lambda i: setattr(i, "channel", "email"),
        lambda i: setattr(i, "direction", "outbound"),
        lambda i: setattr(i, "campaign", "Autumn"),
        lambda i: setattr(i, "agent", Agent("bob", "Ann", "Care")),
        lambda i: setattr(i, "agent", Agent("ann", "Annie", "Care")),
        lambda i: setattr(i, "agent", None),
        lambda i: setattr(i.turns[1], "role", "customer"),
        lambda i: setattr(i.turns[1], "speaker", "other"),
        lambda i: setattr(i.turns[1], "start", 5.5),
        lambda i: setattr(i.turns[1], "end", 7.0),
        lambda i: setattr(i.turns[1], "text", "hi there"),
    ):
        item = chat(agent=Agent("ann", "Ann", "Care"))
        change(item)
        changed.append(content_digest(item))
    assert base not in changed and len(set(changed)) == len(changed)
    item = chat(agent=Agent("ann", "Ann", "Care"))
    item.status, item.source, item.metadata = "failed", "/other", {"x": 1}
    assert content_digest(item) == base
    assert base == content_id(
        "content",
        "chat",
        "inbound",
        "Spring",
        ["ann", "Ann"],
        [["customer", "cust", 0.0, 0.0, "hi"], ["agent", "ag", 5.0, 6.0, "hello"]],
    )


def test_a_split_card_is_joined_only_within_one_speakers_run(store: Store) -> None:
    def stored(ident: str, said: list[tuple[str, str]]) -> list[str]:
        item = chat(ident)
        item.turns = [
            Turn(role, text, float(i), speaker=role) for i, (role, text) in enumerate(said)
        ]
        store.save_interactions([item])
        found = rows(store, "SELECT text FROM turns WHERE interaction_id = ? ORDER BY idx", [ident])
        return [t["text"] for t in found]

    # The card's two halves in the last run of the conversation.
    last = [("agent", "your card?"), ("customer", "4111 1111"), ("customer", "1111 1111")]
    assert stored("a", last) == ["your card?", "[CARD]", "[CARD]"]
    # Two speakers' halves are never one card, whatever follows.
    two = [("agent", "4111 1111"), ("customer", "1111 1111"), ("customer", "thanks")]
    assert stored("b", two) == ["4111 1111", "1111 1111", "thanks"]
