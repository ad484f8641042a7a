"""A rescore with one card takes only the interactions that card applies to, and `--compare`
is a what-if: trying a draft card never replaces the stored results that reports show."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from qa.cli import cli
from qa.matching import Matcher
from qa.model import Turn
from qa.scorecard.load import LoadedScorecard, load_scorecard
from qa.scoring import rescore, score_interactions
from qa.store import Store
from tests.test_mut_scoring import chat

CARD = """\
name: {name}
language: {language}
pass_mark: 50
sections:
  - id: main
    criteria:
      - id: greet
        type: phrase.v1
        points: 1
        match: exact
        phrases: [{phrase}]
"""


def card(tmp: Path, file: str, name: str = "Service", phrase: str = "hello", **kw: Any) -> Any:
    path = tmp / file
    path.write_text(CARD.format(name=name, phrase=phrase, language=kw.get("language", "en")))
    return load_scorecard(path)


def latest(store: Store) -> dict[str, str]:
    """Per interaction, the card hash of its latest evaluation (what reports show)."""
    rows = store.conn.execute(
        "SELECT interaction_id, scorecard_hash FROM evaluations ORDER BY created_at, rowid"
    )
    return dict(rows.fetchall())


def seed(store: Store, live: LoadedScorecard, other: LoadedScorecard) -> None:
    store.save_interactions(
        [
            chat("en1", turns=[Turn("agent", "hello there", 0.0)], language="en"),
            chat("en2", turns=[Turn("agent", "good day", 0.0)]),
            chat("zh1", turns=[Turn("agent", "您好", 0.0)], language="zh"),
            chat("other", turns=[Turn("agent", "hello", 0.0)], language="en"),
        ]
    )
    score_interactions(store, store.load_interactions(["en1", "en2", "zh1"]), live, Matcher())
    score_interactions(store, store.load_interactions(["other"]), other, Matcher())


def test_compare_is_a_what_if_that_stores_nothing(tmp_path: Path, store: Store) -> None:
    live = card(tmp_path, "live.yaml")
    other = card(tmp_path, "other.yaml", name="Sales")
    draft = card(tmp_path, "draft.yaml", phrase="good day")
    seed(store, live, other)
    before = latest(store)
    report, comparison = rescore(store, draft, Matcher(), compare_with=live, workers=1)
    assert comparison is not None and report.scope is not None
    assert not report.scope.stored
    assert latest(store) == before  # the reports' figures are untouched
    assert store.evaluated_ids(draft.hash) == set()
    changed = {(c.interaction_id, c.before, c.after) for c in comparison.changes}
    assert changed == {("en1", "pass", "fail"), ("en2", "fail", "pass")}


def test_a_rescore_takes_only_its_cards_interactions_in_its_language(
    tmp_path: Path, store: Store
) -> None:
    live = card(tmp_path, "live.yaml")
    other = card(tmp_path, "other.yaml", name="Sales")
    seed(store, live, other)
    draft = card(tmp_path, "v2.yaml", phrase="good day")
    report, _ = rescore(store, draft, Matcher(), workers=1)
    scope = report.scope
    assert scope is not None and scope.stored
    assert (scope.basis, scope.taken, scope.not_its_card, scope.other_language) == ("card", 2, 1, 1)
    assert store.evaluated_ids(draft.hash) == {"en1", "en2"}
    assert report.by_card == {f"Service ({draft.hash[:8]})": 2}  # the summary names the card
    # A card of a name that never scored takes every stored contact in its language.
    new = card(tmp_path, "new.yaml", name="Brand new")
    report, _ = rescore(store, new, Matcher(), workers=1)
    assert report.scope is not None and report.scope.basis == "all"
    assert store.evaluated_ids(new.hash) == {"en1", "en2", "other"}
    zh = card(tmp_path, "zh.yaml", name="Chinese", phrase="您好", language="zh")
    report, _ = rescore(store, zh, Matcher(), workers=1)
    assert store.evaluated_ids(zh.hash) == {"en2", "zh1"}  # en2's language is unknown


def test_the_command_says_what_it_took_and_that_a_compare_stores_nothing(
    tmp_path: Path, store: Store
) -> None:
    live = card(tmp_path, "live.yaml")
    seed(store, live, card(tmp_path, "other.yaml", name="Sales"))
    card(tmp_path, "draft.yaml", phrase="good day")
    db = ["--db", str(store.path), "--workers", "1"]
    args = ["rescore", "--scorecard", str(tmp_path / "draft.yaml"), *db]
    what_if = CliRunner().invoke(cli, [*args, "--compare", str(tmp_path / "live.yaml")])
    assert what_if.exit_code == 0, what_if.output
    assert "2 interactions scored as a what-if; nothing stored." in what_if.output
    assert "Left alone: 1 scored by other cards only, 1 in another language" in what_if.output
    assert f"To store draft.yaml's results: qa rescore --scorecard {tmp_path}" in what_if.output
    as_json = CliRunner().invoke(cli, [*args, "--compare", str(tmp_path / "live.yaml"), "--json"])
    assert json.loads(as_json.stdout)["scope"]["stored"] is False
    applied = CliRunner().invoke(cli, args)
    assert "2 interactions re-scored and stored." in applied.output
    helped = CliRunner().invoke(cli, ["rescore", "--help"]).output
    assert "what-if" in helped and "another language" in helped
