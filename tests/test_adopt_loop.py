"""Trainers teach by example: calibrate -> adopt -> rescore -> calibrate, from the command
line. Adopting one half's disagreements raises kappa on that half and does not lower it on
the other half, which taught nothing."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import cli
from qa.scorecard.adopt import quoted
from qa.scorecard.load import load_scorecard

CARD = """\
name: Apology loop
version: 1
sections:
  - id: care
    name: Care
    criteria:
      # The apology must own what went wrong, not be a token.
      - id: apology
        name: Apologises and acknowledges
        type: phrase.v1
        points: 10
        phrases: ["I'm so sorry about that", "I apologise for the trouble"]
        match: semantic
      - id: explore
        name: Open question
        type: question.v1
        kind: open
        min: 1
        points: 5
"""

# (file, agent line, human result for apology, comment); a and b are the two halves.
CONTACTS = {
    "a": [
        (
            "a1",
            "Apologies for any inconvenience caused. Your order number please?",
            "fail",
            "token apology",
        ),
        (
            "a2",
            "Oh no, that's not on at all, you must be fuming. I'll put it right now.",
            "pass",
            "'that's not on at all, you must be fuming'",
        ),
        (
            "a3",
            "I'm really sorry your heating went off, that's a cold night. Let's fix it.",
            "pass",
            "real apology",
        ),
        ("a4", "Sorry for any inconvenience. What's the account number?", "fail", "token apology"),
    ],
    "b": [
        (
            "b1",
            "I'm so sorry the engineer didn't turn up, that wasted your whole day.",
            "pass",
            "real apology",
        ),
        ("b2", "Right. What's the postcode on the account?", "fail", "no apology"),
        (
            "b3",
            "That's awful, I'm sorry you were left without internet all weekend.",
            "pass",
            "real apology",
        ),
        ("b4", "Okay. Can I take your date of birth?", "fail", "no apology"),
    ],
}


def _write_chats(folder: Path) -> None:
    folder.mkdir()
    for half in CONTACTS.values():
        for name, line, _, _ in half:
            messages = [
                {
                    "from": "customer",
                    "text": "Hi, something went wrong again today.",
                    "ts": "2026-03-01T10:00:00Z",
                },
                {"from": "agent", "text": line, "ts": "2026-03-01T10:00:30Z"},
                {"from": "customer", "text": "Okay.", "ts": "2026-03-01T10:01:00Z"},
            ]
            (folder / f"{name}.json").write_text(
                json.dumps({"agent": "ann", "messages": messages}), encoding="utf-8"
            )


def _labels(path: Path, halves: str) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["interaction_id", "criterion_id", "result", "evaluator", "comment"])
        for half in halves:
            for name, _, result, comment in CONTACTS[half]:
                w.writerow([f"{name}.json", "apology", result, "expert_1", comment])
    return path


def _kappa(runner: CliRunner, labels: Path, card: Path, db: Path) -> float:
    out = runner.invoke(
        cli, ["calibrate", str(labels), "--scorecard", str(card), "--db", str(db), "--json"]
    )
    assert out.exit_code == 0, out.output
    return float(json.loads(out.output)["overall"]["applicable_kappa"] or 0.0)


def test_quoted_words_in_a_comment() -> None:
    assert quoted("'that's not on at all' and \"left for days\"") == [
        "that's not on at all",
        "left for days",
    ]
    assert quoted("said 'so sorry... all weekend'") == ["so sorry", "all weekend"]
    assert quoted("no quote here") == []


@pytest.mark.models
def test_adopting_one_half_raises_it_and_holds_the_other(tmp_path: Path) -> None:
    runner = CliRunner()
    chats = tmp_path / "chats"
    _write_chats(chats)
    card = tmp_path / "card.yaml"
    card.write_text(CARD, encoding="utf-8")
    db = tmp_path / "qa.db"
    half_a = _labels(tmp_path / "a.csv", "a")
    half_b = _labels(tmp_path / "b.csv", "b")

    scored = runner.invoke(cli, ["score", str(chats), "--scorecard", str(card), "--db", str(db)])
    assert scored.exit_code == 0, scored.output
    before_a = _kappa(runner, half_a, card, db)
    before_b = _kappa(runner, half_b, card, db)
    assert before_a < 1.0, (
        "the machine must disagree on the adopted half for the test to mean anything"
    )

    listing = runner.invoke(
        cli, ["calibrate", str(half_a), "--scorecard", str(card), "--db", str(db)]
    )
    assert "adopt as a" in listing.output and "--adopt" in listing.output
    original = card.read_text(encoding="utf-8")
    adopted = runner.invoke(
        cli,
        [
            "calibrate",
            str(half_a),
            "--scorecard",
            str(card),
            "--db",
            str(db),
            "--adopt",
            "--evaluator",
            "expert_1",
        ],
    )
    assert adopted.exit_code == 0, adopted.output
    assert "Adopted" in adopted.output
    text = card.read_text(encoding="utf-8")
    assert "# The apology must own what went wrong" in text  # the trainer's comments survive
    assert text != original
    examples = {c.id: c.examples for _, c in load_scorecard(card).scorecard.criteria()}
    assert examples["apology"] is not None
    assert examples["explore"] is None  # nothing was taught about questions

    after_a = _kappa(runner, half_a, card, db)  # the card changed: calibrate rescores
    after_b = _kappa(runner, half_b, card, db)
    assert after_a > before_a
    assert after_a == 1.0
    assert after_b >= before_b

    # scorecard test keeps every adopted example passing from then on
    shutil.copy(card, tmp_path / "kept.yaml")
    assert load_scorecard(tmp_path / "kept.yaml").scorecard
