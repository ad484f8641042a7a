"""Human decisions override automatic results on the read path (scores, report, export),
survive `qa rescore` unless the transcript changed, and refuse a stale version."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import cli
from qa.review.decisions import Conflict, ReviewError, criterion_version, decide
from qa.store import Store
from qa.store.read import Selection, read_interactions
from tests.conftest import ROOT, write_chat_json

CARD = str(ROOT / "scorecards/inbound_service.yaml")


def scored(tmp_path: Path, text: str = "Hello, thanks for contacting us. How can I help?") -> Path:
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    write_chat_json(folder / "c1.json", agent="l.chen", text=text)
    db = tmp_path / "qa.db"
    r = CliRunner().invoke(cli, ["score", str(folder), "--scorecard", CARD, "--db", str(db)])
    assert r.exit_code == 0, r.output
    return db


def one(store: Store, human: bool = True):  # type: ignore[no-untyped-def]
    return read_interactions(store, Selection(human=human))[0]


def crit(item, cid):  # type: ignore[no-untyped-def]
    ev = item.latest
    return ev, next(c for c in ev.criteria if c.criterion_id == cid)


def test_decision_overrides_scores_and_export_and_survives_rescore(tmp_path: Path) -> None:
    db = scored(tmp_path)
    store = Store(db)
    item = one(store)
    ev, c = crit(item, "anything_else")
    assert c.result == "fail"
    before = ev.percent
    d = decide(
        store,
        item,
        "ana",
        "criterion",
        "anything_else",
        "dismiss",
        "said it in words",
        criterion_version(ev, c),
    )
    assert (d.machine, d.human) == ("fail", "pass")
    ev2, c2 = crit(one(store), "anything_else")
    assert c2.result == "pass" and c2.points == c2.max_points > 0
    assert c2.human["by"] == "ana" and c2.human["current"] == "fail"
    assert ev2.percent > before and ev2.human
    machine_only = crit(one(store, human=False), "anything_else")[1]
    assert machine_only.result == "fail" and machine_only.human is None
    exported = json.loads(CliRunner().invoke(cli, ["export", "--db", str(db)]).stdout)
    row = next(
        x
        for x in exported["interactions"][0]["evaluations"][0]["criteria"]
        if x["id"] == "anything_else"
    )
    assert row["result"] == "pass" and row["human"]["by"] == "ana"
    audit = store.db.execute("SELECT username, action, before, after, why FROM audit").fetchall()
    assert audit[-1] == ("ana", "decision.dismiss", "fail", "pass", "said it in words")
    # A rescore rewrites the evaluation; the decision still holds over it.
    r = CliRunner().invoke(cli, ["rescore", "--scorecard", CARD, "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert crit(one(store), "anything_else")[1].result == "pass"


def test_a_new_transcript_voids_the_decision(tmp_path: Path) -> None:
    db = scored(tmp_path)
    store = Store(db)
    item = one(store)
    ev, c = crit(item, "anything_else")
    decide(
        store, item, "ana", "criterion", "anything_else", "dismiss", "", criterion_version(ev, c)
    )
    store.conn.execute("UPDATE interactions SET content = 'another transcript'")
    assert crit(one(store), "anything_else")[1].result == "fail"


def test_stale_version_is_a_conflict_and_nothing_is_written(tmp_path: Path) -> None:
    db = scored(tmp_path)
    store = Store(db)
    item = one(store)
    ev, c = crit(item, "anything_else")
    seen = criterion_version(ev, c)
    store.conn.execute("UPDATE evaluations SET created_at = '2099-01-01T00:00:00+00:00'")
    with pytest.raises(Conflict) as info:
        decide(store, one(store), "ana", "criterion", "anything_else", "dismiss", "", seen)
    assert info.value.seen["version"] == seen and info.value.current["version"] != seen
    assert store.db.execute("SELECT count(*) FROM decisions").fetchone()[0] == 0
    # Two reviewers on the same version: the second is told, not silently overwritten.
    item = one(store)
    ev, c = crit(item, "anything_else")
    v = criterion_version(ev, c)
    decide(store, item, "ana", "criterion", "anything_else", "confirm", "", v)
    with pytest.raises(Conflict):
        decide(store, item, "bob", "criterion", "anything_else", "dismiss", "", v)
    assert store.db.execute("SELECT count(*) FROM decisions").fetchone()[0] == 1


def test_comment_over_the_limit_is_refused(tmp_path: Path) -> None:
    store = Store(scored(tmp_path))
    item = one(store)
    ev, c = crit(item, "anything_else")
    with pytest.raises(ReviewError, match="at most 50 are kept"):
        decide(
            store,
            item,
            "ana",
            "criterion",
            "anything_else",
            "confirm",
            "x" * 51,
            criterion_version(ev, c),
            comment_limit=50,
        )
    assert store.db.execute("SELECT count(*) FROM decisions").fetchone()[0] == 0
