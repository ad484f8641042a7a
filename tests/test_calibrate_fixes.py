"""Calibration reads only what it should: labelled interactions, the card's own criteria,
one rating per evaluator, and kappa on applicable pairs beside the overall figure."""

from __future__ import annotations

from pathlib import Path

from qa.calibrate import applicable_pairs, calibrate, import_human_csv, run_calibration
from qa.model import Agent, Interaction, Turn
from qa.store import Store

CARD = """
name: tiny
sections:
  - id: s
    criteria:
      - {id: hello, type: phrase.v1, phrases: ["hello"], match: exact}
"""


def chat(ident: str, text: str) -> Interaction:
    return Interaction(
        id=ident,
        channel="chat",
        source=f"{ident}.json",
        agent=Agent("a1"),
        turns=[Turn(role="agent", text=text), Turn(role="customer", text="hi")],
    )


def setup(tmp_path: Path) -> tuple[Store, Path]:
    store = Store(tmp_path / "qa.db")
    store.save_interactions([chat("i1", "hello there"), chat("i2", "good day"), chat("i3", "yo")])
    card = tmp_path / "card.yaml"
    card.write_text(CARD)
    return store, card


def test_scorecard_scores_only_the_labelled_interactions(tmp_path: Path) -> None:
    store, card = setup(tmp_path)
    labels = tmp_path / "h.csv"
    labels.write_text("interaction_id,criterion_id,result\ni1,hello,pass\ni2,hello,pass\n")
    cal = run_calibration(store, labels, card, None)
    assert cal.scored_in_memory == 2  # i1 and i2, in memory: nothing stored
    assert list(store.db.query("SELECT interaction_id FROM evaluations")) == []
    assert cal.overall.pairs == 2 and cal.overall.agreement == 0.5


def test_reimport_replaces_the_evaluators_rating(tmp_path: Path) -> None:
    store, _ = setup(tmp_path)
    first, fixed = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("interaction_id,criterion_id,result,evaluator\ni1,hello,fail,ann\n")
    fixed.write_text("interaction_id,criterion_id,result,evaluator\ni1,hello,pass,ann\n")
    import_human_csv(store, first, {"hello"})
    import_human_csv(store, fixed, {"hello"})
    rows = list(store.db.query("SELECT result, evaluator FROM human_evaluations"))
    assert rows == [{"result": "pass", "evaluator": "ann"}]


def test_other_cards_criteria_are_not_listed(tmp_path: Path) -> None:
    store, card = setup(tmp_path)
    other = tmp_path / "other.csv"
    other.write_text("interaction_id,criterion_id,result\ni1,goodbye,pass\n")
    import_human_csv(store, other, {"goodbye"})
    labels = tmp_path / "h.csv"
    labels.write_text("interaction_id,criterion_id,result\ni1,hello,pass\n")
    cal = run_calibration(store, labels, card, None)
    assert [c.criterion for c in cal.criteria] == ["hello"]
    assert calibrate(store, None, None).criteria[0].criterion == "goodbye"


def test_applicable_kappa_leaves_out_agreeing_na() -> None:
    pairs = [("na", "na")] * 8 + [("pass", "pass"), ("fail", "pass")]
    assert applicable_pairs(pairs) == [("pass", "pass"), ("fail", "pass")]


def test_ratings_without_a_machine_result_are_counted_with_the_reason(tmp_path: Path) -> None:
    from qa.calibrate import render_calibration
    from qa.matching import Matcher
    from qa.scorecard.load import load_scorecard
    from qa.scoring import score_interactions

    store, card = setup(tmp_path)
    other = tmp_path / "other.yaml"
    other.write_text(CARD.replace("tiny", "Other card").replace("id: hello", "id: bye"))
    score_interactions(store, store.load_interactions(["i1"]), load_scorecard(card), Matcher())
    score_interactions(store, store.load_interactions(["i2"]), load_scorecard(other), Matcher())
    labels = tmp_path / "h.csv"
    labels.write_text(
        "interaction_id,criterion_id,result\ni1,hello,pass\ni2,hello,pass\ni3,hello,fail\n"
    )
    cal = run_calibration(store, labels, None, None)
    assert cal.overall.pairs == 1 and cal.rated == 3
    assert cal.unmatched == {
        "hello: not a criterion of the card that scored the contact (Other card)": 1,
        "contact not scored yet": 1,
    }
    text = render_calibration(cal)
    assert "2 of 3 human ratings have no machine result to compare with" in text
    assert "     1  contact not scored yet" in text
