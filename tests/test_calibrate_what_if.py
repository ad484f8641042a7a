"""Calibrating a card is a what-if: the labelled contacts it has not scored are scored in
memory and nothing is stored, so trying a draft never becomes the latest evaluation that
reports show; contacts the card itself already scored are compared as stored."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from qa.calibrate import render_calibration, run_calibration
from qa.cli import cli
from qa.matching import Matcher
from qa.model import Turn
from qa.scoring import score_interactions
from qa.store import Store
from tests.test_mut_scoring import chat
from tests.test_rescore_scope import card, latest

LABELS = (
    "interaction_id,criterion_id,result,evaluator\nen1,greet,pass,maria\nen2,greet,pass,maria\n"
)


def seeded(tmp_path: Path, store: Store) -> Path:
    store.save_interactions(
        [
            chat("en1", turns=[Turn("agent", "hello there", 0.0)], language="en"),
            chat("en2", turns=[Turn("agent", "good day", 0.0)], language="en"),
        ]
    )
    live = card(tmp_path, "live.yaml")
    score_interactions(store, store.load_interactions(["en1", "en2"]), live, Matcher())
    labels = tmp_path / "labels.csv"
    labels.write_text(LABELS)
    return labels


def test_a_draft_is_scored_in_memory_and_nothing_is_stored(tmp_path: Path, store: Store) -> None:
    labels = seeded(tmp_path, store)
    before = latest(store)
    draft = card(tmp_path, "draft.yaml", phrase="good day")
    cal = run_calibration(store, labels, draft.path, None)
    assert latest(store) == before  # the reports' figures are untouched
    assert store.evaluated_ids(draft.hash) == set()
    assert (cal.scored_in_memory, cal.scored_before) == (2, 0)
    # The draft's own verdicts are compared: it passes en2 and fails en1 ("hello there").
    assert [(d.interaction_id, d.machine, d.human) for d in cal.disagreements] == [
        ("en1", "fail", "pass")
    ]
    assert cal.disagreements[0].agent == "ann"
    text = render_calibration(cal)
    assert "draft.yaml: 2 labelled contact(s) scored in memory" in text
    assert "nothing stored, reports unchanged" in text
    assert "machine note: none of 'good day' found" in text


def test_the_card_that_scored_the_contacts_uses_its_stored_results(
    tmp_path: Path, store: Store
) -> None:
    labels = seeded(tmp_path, store)
    rows = store.conn.execute("SELECT COUNT(*) FROM evaluations").fetchone()[0]
    cal = run_calibration(store, labels, tmp_path / "live.yaml", None)
    assert store.conn.execute("SELECT COUNT(*) FROM evaluations").fetchone()[0] == rows
    assert (cal.scored_in_memory, cal.scored_before) == (0, 2)
    assert [(d.interaction_id, d.machine) for d in cal.disagreements] == [("en2", "fail")]
    assert "2 already scored with this card: stored results." in render_calibration(cal)


def test_the_command_says_it_is_a_what_if(tmp_path: Path, store: Store) -> None:
    labels = seeded(tmp_path, store)
    card(tmp_path, "draft.yaml", phrase="good day")
    args = ["calibrate", str(labels), "--scorecard", str(tmp_path / "draft.yaml")]
    args += ["--db", str(store.path)]
    shown = CliRunner().invoke(cli, args)
    assert shown.exit_code == 0, shown.output
    assert "a what-if: nothing stored, reports unchanged." in shown.output
    as_json = json.loads(CliRunner().invoke(cli, [*args, "--json"]).stdout)
    assert (as_json["scored_in_memory"], as_json["scored_before"]) == (2, 0)
    helped = CliRunner().invoke(cli, ["calibrate", "--help"]).output
    assert "what-if" in helped and "stores nothing" in helped
