"""An evaluation is keyed by the content it was made on: an email thread that grows in a
later batch is scored again, and its score is the one a clean run gives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from qa.cli import cli
from tests.conftest import EXAMPLES, ROOT

CARD = ROOT / "scorecards" / "chat_email_support.yaml"


def score(folder: Path, db: Path) -> dict:
    result = CliRunner().invoke(
        cli, ["score", str(folder), "--scorecard", str(CARD), "--db", str(db), "--json"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def percents(db: Path) -> dict[str, float]:
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", "json"])
    data = json.loads(result.stdout)
    return {
        i["id"]: i["evaluations"][0]["percent"]
        for i in data["interactions"]
        if i["channel"] == "email" and i["evaluations"]
    }


def test_a_thread_that_grows_in_a_later_batch_is_scored_again(tmp_path: Path) -> None:
    first, second, whole = tmp_path / "b1", tmp_path / "b2", tmp_path / "all"
    for d in (first, second, whole):
        d.mkdir()
    shutil.copy(EXAMPLES / "emails" / "spring-quote.eml", first)
    shutil.copy(EXAMPLES / "emails" / "spring-quote-reply.eml", second)
    for name in ("spring-quote.eml", "spring-quote-reply.eml"):
        shutil.copy(EXAMPLES / "emails" / name, whole)

    db = tmp_path / "batches.db"
    out = score(first, db)
    assert out["scored"] == 1
    one_message = percents(db)
    out = score(second, db)  # the reply joins the thread scored above
    clean = tmp_path / "clean.db"
    score(whole, clean)
    assert percents(db) == percents(clean)
    assert percents(db) != one_message  # the reply changes what the card finds
    # and a third run has nothing left to do
    out = score(whole, db)
    assert out["scored"] == 0


def test_an_evaluation_made_on_content_rewritten_since_is_not_written(tmp_path: Path) -> None:
    """Two runs on one database: one scores a thread, the other grows it meanwhile. The
    first run's result, made on the old content, must not be stored as current."""
    from qa.model import Evaluation, Interaction, Turn
    from qa.store import Store

    store = Store(tmp_path / "q.db")
    item = Interaction("t1", "email", "/in/a.eml", turns=[Turn("customer", "Hi", 0, 1)])
    store.save_interactions([item])
    [loaded] = store.load_interactions(["t1"])
    grown = Interaction(
        "t1",
        "email",
        "/in/a.eml",
        turns=[Turn("customer", "Hi", 0, 1), Turn("agent", "Hello", 2, 3)],
    )
    store.save_interactions([grown])  # the other run rewrites the thread
    ev = Evaluation("card", "h1", 1.0, 2.0, 50.0, False, False, [])
    store.save_evaluations([("t1", ev, {}, None, None)], "e1", {"t1": loaded.content})
    assert store.count("evaluations") == 0
    assert "t1" not in store.evaluated_ids("h1")
    [current] = store.load_interactions(["t1"])
    store.save_evaluations([("t1", ev, {}, None, None)], "e1", {"t1": current.content})
    assert store.evaluated_ids("h1") == {"t1"}
