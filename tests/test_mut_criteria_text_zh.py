"""needs_discovery.v1 where acts come from Chinese cue words, pinned verdict by verdict: a
trainer's examples rule which questions count even where every offer answered what the
customer asked, and a question counts only before the offer, never as the offer itself."""

from __future__ import annotations

from typing import Any

from qa.scorecard.criteria import needs_discovery_v1
from qa.scorecard.schema import Examples
from tests.test_mut_criteria import snap
from tests.test_zh_crit_flow import NEEDS, ctx_of

ASKED = "方便说说您平时出门多半去哪些地方吗？"
PRICE = "畅游卡年费六百元，现在办理首年五折。"
ANSWERED = [("customer", "你们那个畅游卡年费要多少？"), ("agent", PRICE + ASKED)]
NOTE = "{} open question(s) before the pitch (wanted 1); needs not acknowledged; {} stated need(s)"


def judged(lines: list[tuple[str, str]], examples: Examples | None) -> Any:
    return snap(needs_discovery_v1(NEEDS.model_copy(update={"examples": examples}), ctx_of(lines)))


def test_every_offer_answered_a_question_and_a_question_in_any_turn_counts() -> None:
    assert judged(ANSWERED, None) == (
        "pass",
        0.75,
        1.0,
        NOTE.format(1, 0),
        {"open_questions": 1, "needs": [], "acknowledged": False},
        [(1, "agent", 20.0, 25.0, ASKED), (1, "agent", 20.0, 25.0, PRICE)],
    )


def test_a_question_a_trainer_ruled_out_does_not_count_where_every_offer_answered() -> None:
    assert judged(ANSWERED, Examples(negative=[ASKED])) == (
        "fail",
        0.75,
        0.0,
        NOTE.format(0, 0),
        {"open_questions": 0, "needs": [], "acknowledged": False},
        [(1, "agent", 20.0, 25.0, PRICE)],
    )


OFFER = "Explain 给您推荐畅游卡。"  # an invitation in form, an offer by its cue words
NEED = ("customer", "我想了解信用卡。")


def test_the_offer_taught_as_a_question_is_not_a_question_before_itself() -> None:
    out = judged([NEED, ("agent", "您好。" + OFFER)], Examples(positive=[OFFER]))
    assert out == (
        "fail",
        0.75,
        0.0,
        NOTE.format(0, 1),
        {"open_questions": 0, "needs": ["我想了解信用卡。"], "acknowledged": False},
        [(0, "customer", 0.0, 5.0, "我想了解信用卡。"), (1, "agent", 20.0, 25.0, OFFER)],
    )
    # An invitation before the offer in the same turn counts.
    asked = "Explain 您平时出门去哪里。"
    out = judged([NEED, ("agent", asked + OFFER)], Examples(positive=[OFFER]))
    assert out[:3] == ("pass", 0.75, 1.0)
    assert out[5][0] == (1, "agent", 20.0, 25.0, asked)
