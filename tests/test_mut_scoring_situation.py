"""The engine's use of an act's own situation (Chinese, where acts come from cue words): a
situation that arises takes the place of the card's count of turns but leaves every other
condition standing; one that does not arise makes the criterion N/A with its reason; and
without one (English, other criteria) the count of turns holds.

The situation comes from a fake act reader and the verdict from a fake evaluator, so only
the engine is under test (tests/test_zh_crit_flow.py reads real Chinese turns)."""

from __future__ import annotations

from typing import Any

import pytest

from qa.matching import Matcher
from qa.model import Interaction, Turn
from qa.scorecard.context import Context, Outcome
from qa.scorecard.engine import evaluate_criterion, score_interaction
from tests.test_mut_scoring import chat, condition_card, ctx_for, loaded, verdicts

__all__ = ["verdicts"]  # the fixture, used by name


@pytest.fixture
def situation(monkeypatch: pytest.MonkeyPatch) -> dict[str, str | None]:
    """{"now": what the act reader says of the criterion's situation}; the criteria asked."""
    said: dict[str, Any] = {"now": None, "asked": []}

    def act_situation(self: Context, criterion: Any) -> str | None:
        said["asked"].append(criterion.id)
        return said["now"]

    monkeypatch.setattr(Context, "act_situation", act_situation)
    return said


def result(c: Any, item: Interaction) -> tuple[str, str | None]:
    out = evaluate_criterion(c, ctx_for(item), ["chat"])
    return out.result, out.note


def test_a_situation_that_arises_stands_for_the_count_of_turns(
    verdicts: dict[str, Outcome], situation: dict[str, Any]
) -> None:
    verdicts.update(a=Outcome("pass"))
    six = condition_card(min_turns=6)
    situation["now"] = ""
    assert result(six, chat()) == ("pass", None)  # two turns, the situation arose
    assert situation["asked"] == ["a"]
    situation["now"] = None
    assert result(six, chat()) == ("na", "only with at least 6 turns")


def test_a_situation_leaves_the_other_conditions_standing(
    verdicts: dict[str, Outcome], situation: dict[str, Any]
) -> None:
    verdicts.update(a=Outcome("fail"))
    card = condition_card(min_turns=6, direction="inbound", otherwise="pass")
    situation["now"] = ""
    assert result(card, chat(direction="inbound")) == ("fail", None)
    out = evaluate_criterion(card, ctx_for(chat(direction="outbound")), ["chat"])
    assert (out.result, out.note) == ("pass", "only for inbound interactions")
    assert card.applies_when.min_turns == 6  # the card itself is left as it was


def test_a_situation_that_does_not_arise_is_na_with_its_reason(
    verdicts: dict[str, Outcome], situation: dict[str, Any]
) -> None:
    verdicts.update(a=Outcome("pass"))
    situation["now"] = "nothing of several parts explained"
    plain = loaded([{"id": "a", "points": 4}, {"id": "b", "points": 1}])
    verdicts.update(b=Outcome("pass"))
    out = evaluate_criterion(plain.scorecard.sections[0].criteria[0], ctx_for(chat()), ["chat"])
    assert (out.result, out.note, out.evidence) == (
        "na",
        "nothing of several parts explained",
        [],
    )
    # Even where the card's own condition holds, and even with an `otherwise` verdict.
    card = condition_card(min_turns=1, otherwise="fail")
    assert result(card, chat()) == ("na", "nothing of several parts explained")
    ev = score_interaction(chat(), plain, Matcher())
    assert [(r.result, r.max_points, r.note) for r in ev.criteria] == [
        ("na", 0.0, "nothing of several parts explained"),
        ("na", 0.0, "nothing of several parts explained"),
    ]


def test_the_channel_and_the_transcript_come_before_the_situation(
    verdicts: dict[str, Outcome], situation: dict[str, Any]
) -> None:
    verdicts.update(a=Outcome("pass"))
    situation["now"] = "nothing of several parts explained"
    six = condition_card(min_turns=6)
    assert result(six, chat(turns=[])) == ("na", "no transcript")
    out = evaluate_criterion(six, ctx_for(chat(channel="email")), ["chat"])
    assert (out.result, out.note) == ("na", "not scored on email")
    assert situation["asked"] == []
    one = chat(turns=[Turn("agent", "x")])
    assert result(six, one) == ("na", "nothing of several parts explained")
