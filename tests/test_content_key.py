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
