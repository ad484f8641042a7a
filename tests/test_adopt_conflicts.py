"""`qa calibrate --adopt` converges when two evaluators disagree: their conflicting rulings
are held back and named, the suggested command names an evaluator, and an adopted example
is never turned over without saying so."""

from __future__ import annotations

from pathlib import Path

from qa.calibrate import render_calibration, run_calibration
from qa.model import Turn
from qa.scorecard.load import load_scorecard
from qa.store import Store
from tests.test_mut_scoring import chat

CARD = """\
name: Greeting card
sections:
  - id: opening
    criteria:
      - id: greet
        type: phrase.v1
        points: 1
        match: exact
        phrases: ["quote reference ZX42"]
"""
SAID = "Your case is logged as zed ex forty two."
LABELS = (
    "interaction_id,criterion_id,result,evaluator,comment\n"
    "c1,greet,pass,maria,'logged as zed ex forty two'\n"
    "c1,greet,fail,tom,no reference given\n"
)


def examples(card: Path) -> tuple[list[str], list[str]]:
    [c] = [c for _, c in load_scorecard(card).scorecard.criteria()]
    return (list(c.examples.positive), list(c.examples.negative)) if c.examples else ([], [])


def test_disagreeing_evaluators_are_named_and_an_adopted_example_is_not_flipped(
    tmp_path: Path, store: Store
) -> None:
    store.save_interactions([chat("c1", turns=[Turn("agent", f"{SAID} Anything else?", 0.0)])])
    card, labels = tmp_path / "card.yaml", tmp_path / "labels.csv"
    card.write_text(CARD)
    labels.write_text(LABELS)

    first = run_calibration(store, labels, card, None)
    text = render_calibration(first)
    assert first.proposals == [] and len(first.held) == 1
    assert "maria and tom disagree on this sentence; choose with --evaluator" in text
    assert "example(s) to adopt" not in text  # no command that would adopt either side
    assert f"qa calibrate {labels} --scorecard {card} --adopt --evaluator maria" in text
    assert "--adopt --evaluator tom" in text

    run_calibration(store, labels, card, None, adopt=True, evaluator="maria")
    assert examples(card) == ([SAID], [])

    # Rescored with maria's example: the machine now passes, and tom's fail would make the
    # same sentence a negative. Without --evaluator it is held back and the card stays.
    again = run_calibration(store, labels, card, None, adopt=True)
    assert again.adopted == 0 and examples(card) == ([SAID], [])
    text = render_calibration(again)
    assert "the card holds it as a positive example" in text
    assert "maria rates pass, tom rates fail" in text

    chosen = run_calibration(store, labels, card, None, adopt=True, evaluator="tom")
    assert chosen.adopted == 1 and examples(card) == ([], [SAID])
    assert f"greet: {SAID!r} was a positive example, is now a negative (tom's rating)" in (
        render_calibration(chosen)
    )
