"""The scorecard engine's conditions and composites pinned value by value: teams, queues,
channels, events, all_of / any_of / not and their notes, the verdict a card gives when its
trigger never happens, composite criteria (which parts decide, their evidence, the lowest
confidence), values per channel, and which phrase lists are embedded.

Criterion verdicts come from a fake evaluator (see tests/test_mut_scoring.py), so only the
engine is under test."""

from __future__ import annotations

from typing import Any

import pytest

from qa.matching import Matcher
from qa.model import Agent, Evidence, Interaction, Turn
from qa.scorecard.context import Context, Outcome
from qa.scorecard.engine import (
    EVALUATORS,
    _describe,
    _one_of,
    _team,
    evaluate_criterion,
    score_interaction,
    semantic_specs,
)
from qa.scorecard.schema import Condition
from tests.test_mut_scoring import chat, condition_card, criterion, ctx_for, loaded, verdicts

__all__ = ["verdicts"]  # the fixture, used by name


def result(c: Any, item: Interaction | None = None) -> tuple[str, str | None]:
    out = evaluate_criterion(c, ctx_for(item or chat()), ["chat", "voice", "email"])
    return out.result, out.note


def test_team_from_the_agent_else_from_the_metadata() -> None:
    assert _team(chat(agent=None)) is None
    assert _team(chat(agent=None, metadata={"team": "Sales"})) == "Sales"
    item = chat(metadata={"team": "Sales"})
    item.agent = Agent("ann", team="Retention")
    assert _team(item) == "Retention"  # the agent's own team wins
    item.agent = Agent("ann", team=None)
    assert _team(item) == "Sales"
    item.agent = Agent("ann", team="")
    assert _team(item) == "Sales"  # an empty team is none
    item.metadata = None  # type: ignore[assignment]
    assert _team(item) is None


def test_one_of_ignores_case_and_space_and_a_missing_value_is_none() -> None:
    assert _one_of(" Retention ", ["retention"]) is True
    assert _one_of("retention", [" RETENTION "]) is True
    assert _one_of("Sales", ["retention", "billing"]) is False
    assert _one_of(None, ["None"]) is False
    assert _one_of("", [""]) is False
    assert _one_of("   ", ["   "]) is False
    assert _one_of(7, ["7"]) is True


def test_teams_and_queues_decide_na(verdicts: dict[str, Outcome]) -> None:
    verdicts.update(a=Outcome("pass"))
    teams = condition_card(teams=["Retention", "Saves"])
    item = chat()
    item.agent = Agent("ann", team="saves")
    assert result(teams, item) == ("pass", None)
    assert result(teams, chat(metadata={"team": "Retention"})) == ("pass", None)
    assert result(teams, chat(metadata={"team": "Billing"})) == (
        "na",
        "only for teams Retention, Saves",
    )
    assert result(teams, chat()) == ("na", "only for teams Retention, Saves")
    queues = condition_card(queues=["vip", "gold"])
    assert result(queues, chat(metadata={"queue": "VIP"})) == ("pass", None)
    assert result(queues, chat(metadata={"queue": "basic"})) == ("na", "only for queues vip, gold")
    assert result(queues, chat(metadata={"team": "vip"}))[0] == "na"  # a team is no queue
    assert result(queues, chat()) == ("na", "only for queues vip, gold")


def test_condition_channels(verdicts: dict[str, Outcome]) -> None:
    verdicts.update(a=Outcome("pass"))
    c = condition_card(channels=["voice", "email"])
    assert result(c, chat(channel="email")) == ("pass", None)
    assert result(c, chat()) == ("na", "only on voice, email")


def test_event_condition(verdicts: dict[str, Outcome]) -> None:
    verdicts.update(a=Outcome("pass"))
    c = condition_card(event={"phrases": ["sorry"], "match": "exact"})
    assert result(c) == ("pass", None)  # the agent says "Hello, sorry."
    c = condition_card(event={"phrases": ["refund"], "match": "exact"})
    assert result(c) == ("na", "the triggering event never happened")


def test_all_of_gives_the_first_reason(verdicts: dict[str, Outcome]) -> None:
    verdicts.update(a=Outcome("pass"))
    both = condition_card(all_of=[{"direction": "inbound"}, {"campaign": "Spring"}])
    assert result(both, chat(direction="inbound", campaign="spring")) == ("pass", None)
    assert result(both, chat(direction="inbound")) == ("na", "only for campaign Spring")
    assert result(both, chat(direction="outbound", campaign="x")) == (
        "na",
        "only for inbound interactions",
    )


def test_any_of_lists_every_reason_when_none_holds(verdicts: dict[str, Outcome]) -> None:
    verdicts.update(a=Outcome("pass"))
    either = condition_card(any_of=[{"direction": "inbound"}, {"campaign": "Spring"}])
    assert result(either, chat(direction="inbound")) == ("pass", None)
    assert result(either, chat(campaign="Spring")) == ("pass", None)
    assert result(either, chat(direction="outbound")) == (
        "na",
        "none of: only for inbound interactions; only for campaign Spring",
    )


def test_not_describes_what_it_rules_out(verdicts: dict[str, Outcome]) -> None:
    verdicts.update(a=Outcome("pass"))
    c = condition_card(**{"not": {"direction": "outbound", "campaign": "Spring"}})
    assert result(c, chat(direction="outbound", campaign="spring")) == (
        "na",
        "not when direction outbound and campaign Spring",
    )
    assert result(c, chat(direction="outbound")) == ("pass", None)
    assert result(c, chat()) == ("pass", None)


def test_describe_reads_each_kind_of_condition() -> None:
    def read(**raw: Any) -> str:
        return _describe(Condition.model_validate(raw))

    assert read() == "always"
    assert read(otherwise="na") == "always"  # a default is not described
    assert read(channels=["email", "chat"], min_turns=3) == "min_turns 3 and channels email, chat"
    assert read(customer_mentions={"phrases": ["x"]}) == "the customer raised it"
    assert read(agent_mentions={"phrases": ["x"]}) == "the agent raised it"
    assert read(event={"question": "open"}) == "it happened"
    assert read(all_of=[{"direction": "inbound"}]) == "all_of"
    assert read(**{"not": {"direction": "inbound"}}) == "not"  # by its alias
    assert read(teams=["A"], otherwise="fail") == "teams A and otherwise fail"


def test_the_trigger_never_happening_gives_the_cards_verdict(
    verdicts: dict[str, Outcome],
) -> None:
    verdicts.update(a=Outcome("pass"))
    item = chat(duration=75.0)
    for otherwise in ("pass", "fail"):
        c = condition_card(direction="inbound", otherwise=otherwise)
        out = evaluate_criterion(c, ctx_for(item), ["chat"])
        why = "only for inbound interactions"
        assert (out.result, out.note) == (otherwise, why)
        assert out.evidence == [Evidence(None, None, 0.0, 75.0, why)]  # the whole contact
    out = evaluate_criterion(condition_card(direction="inbound"), ctx_for(item), ["chat"])
    assert (out.result, out.note, out.evidence) == ("na", "only for inbound interactions", [])


def composite(kind: str, parts: list[dict[str, Any]] | dict[str, Any], **extra: Any) -> Any:
    card = loaded([{"id": "k", "type": "composite.v1", kind: parts, **extra}])
    return criterion(card, "k")


def ev(n: int) -> Evidence:
    return Evidence(n, "agent", float(n), float(n), f"q{n}")


def part(ident: str, **extra: Any) -> dict[str, Any]:
    return {"id": ident, "type": "phrase.v1", "phrases": [ident], "match": "exact", **extra}


PARTS = [part("p"), part("q"), part("r")]


def test_composite_all_of(verdicts: dict[str, Outcome]) -> None:
    c = composite("all_of", PARTS)
    verdicts.update(
        p=Outcome("pass", [ev(1)], 0.7),
        q=Outcome("pass", [ev(2)], 0.6, note="fine"),
        r=Outcome("na", note="off"),
    )
    out = evaluate_criterion(c, ctx_for(chat()), ["chat"])
    assert out.result == "pass"
    assert out.evidence == [ev(1), ev(2)]  # every applicable part
    assert out.confidence == 0.6  # the least sure of them
    assert out.note == "p: pass; q: pass (fine); r: na (off)"
    assert out.details == {"parts": {"p": "pass", "q": "pass", "r": "na"}}
    verdicts.update(r=Outcome("fail", [ev(3)], 0.95), q=Outcome("fail", [ev(4)], 0.8))
    out = evaluate_criterion(c, ctx_for(chat()), ["chat"])
    assert out.result == "fail"
    assert out.evidence == [ev(4), ev(3)]  # only the failed parts decide
    assert out.confidence == 0.8


def test_composite_any_of(verdicts: dict[str, Outcome]) -> None:
    c = composite("any_of", PARTS)
    verdicts.update(
        p=Outcome("fail", [ev(1)], 0.5),
        q=Outcome("pass", [ev(2)], 0.7),
        r=Outcome("pass", [ev(3)], 0.9),
    )
    out = evaluate_criterion(c, ctx_for(chat()), ["chat"])
    assert (out.result, out.evidence, out.confidence) == ("pass", [ev(2), ev(3)], 0.7)
    verdicts.update(q=Outcome("fail", [ev(2)], 0.6), r=Outcome("na"))
    out = evaluate_criterion(c, ctx_for(chat()), ["chat"])
    assert (out.result, out.evidence, out.confidence) == ("fail", [ev(1), ev(2)], 0.5)


def test_composite_not(verdicts: dict[str, Outcome]) -> None:
    c = composite("not", part("p"))
    verdicts.update(p=Outcome("pass", [ev(1)], 0.7))
    out = evaluate_criterion(c, ctx_for(chat()), ["chat"])
    assert (out.result, out.evidence, out.confidence, out.note) == ("fail", [ev(1)], 0.7, "p: pass")
    verdicts.update(p=Outcome("fail", [ev(2)], 0.6, note="none"))
    out = evaluate_criterion(c, ctx_for(chat()), ["chat"])
    assert (out.result, out.evidence, out.note) == ("pass", [ev(2)], "p: fail (none)")


def test_a_composite_with_no_applicable_part_is_na(verdicts: dict[str, Outcome]) -> None:
    c = composite("all_of", PARTS[:2])
    verdicts.update(p=Outcome("na", note="a"), q=Outcome("na"))
    out = evaluate_criterion(c, ctx_for(chat()), ["chat"])
    assert (out.result, out.note, out.evidence) == ("na", "p: na (a); q: na", [])
    assert out.details == {"parts": {"p": "na", "q": "na"}}
    # Parts are judged on the composite's channels: a part for email only is left out.
    c = composite("all_of", [part("p", channels=["email"]), PARTS[1]])
    verdicts.update(q=Outcome("pass", [ev(1)]))
    out = evaluate_criterion(c, ctx_for(chat()), ["chat"])
    assert (out.result, out.note) == ("pass", "p: na (not scored on chat); q: pass")


def test_values_per_channel(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []

    def fake(c: Any, ctx: Context) -> Outcome:
        seen.append(c.phrases)
        return Outcome("pass")

    monkeypatch.setitem(EVALUATORS, "phrase.v1", fake)
    card = loaded([{"id": "a", "phrases": ["x"], "by_channel": {"email": {"phrases": ["mail"]}}}])
    evaluate_criterion(criterion(card, "a"), ctx_for(chat(channel="email")), ["email"])
    evaluate_criterion(criterion(card, "a"), ctx_for(chat()), ["chat"])
    assert seen == [["mail"], ["x"]]


def test_criteria_that_need_a_language_pack_are_na_without_one(
    verdicts: dict[str, Outcome],
) -> None:
    card = loaded(
        [
            {"id": "q", "type": "question.v1", "kind": "open", "min": 1},
            {"id": "m", "type": "metric.v1", "metric": "turns", "min": 1},
        ]
    )
    item = chat(language="xx")
    out = evaluate_criterion(criterion(card, "q"), ctx_for(item), ["chat"])
    assert (out.result, out.note) == ("na", "no language pack for xx")
    # A metric needs no pack: it is judged.
    out = evaluate_criterion(criterion(card, "m"), ctx_for(item), ["chat"])
    assert (out.result, out.note) == ("pass", "turns = 2 (wanted ≥ 1)")
    # With the English pack, the question is judged.
    out = evaluate_criterion(criterion(card, "q"), ctx_for(chat(language="en")), ["chat"])
    assert out.result == "fail"


def test_semantic_specs_of_channels_parts_and_steps() -> None:
    sem = {"phrases": ["s"], "match": "semantic"}
    card = loaded(
        [
            {
                "id": "a",
                "phrases": ["x"],
                "match": "exact",
                "by_channel": {"email": {"match": "semantic", "speaker": "customer"}},
            },
            {"id": "k", "type": "composite.v1", "any_of": [part("p", match="semantic"), part("q")]},
            {
                "id": "o",
                "type": "order.v1",
                "first": {**sem, "speaker": "customer"},
                "then": {**sem, "speaker": "any"},
            },
            {
                "id": "w",
                "applies_when": {
                    "all_of": [{"event": sem}],
                    "any_of": [{"customer_mentions": sem}, {"direction": "inbound"}],
                    "not": {"agent_mentions": sem},
                },
            },
            {
                "id": "u",
                "type": "upsell_timing.v1",
                "pitch": {"phrases": ["Max"], "match": "exact"},
                "complaint": {**sem, "speaker": "customer"},
            },
        ]
    )
    specs = {c.id: semantic_specs(c) for _, c in card.scorecard.criteria()}
    assert specs["a"] == [("customer", None)]
    assert specs["k"] == [("agent", None)]
    assert specs["o"] == [("customer", None), ("any", None)]
    assert specs["w"] == [("any", None)] * 3
    assert specs["u"] == [("customer", None)]


def test_a_critical_composite_fails_the_evaluation(verdicts: dict[str, Outcome]) -> None:
    verdicts.update(p=Outcome("fail"), q=Outcome("pass"), b=Outcome("pass"))
    card = loaded(
        [
            {"id": "k", "type": "composite.v1", "all_of": PARTS[:2], "critical": True},
            {"id": "b", "points": 9},
        ],
        pass_mark=0,
    )
    out = score_interaction(chat(), card, Matcher())
    assert (out.auto_fail, out.passed, out.percent, out.total) == (True, False, 0.0, 9.0)


def test_turns_decide_na_before_a_condition(verdicts: dict[str, Outcome]) -> None:
    verdicts.update(a=Outcome("pass"))
    c = condition_card(direction="inbound", otherwise="fail")
    item = chat(turns=[])
    assert result(c, item) == ("na", "no transcript")
    item = chat(turns=[Turn("agent", "Hello.", 0.0)], direction="inbound")
    assert result(c, item) == ("pass", None)


@pytest.mark.parametrize("role", ["agent", "customer"])
def test_mentions_inside_all_of(verdicts: dict[str, Outcome], role: str) -> None:
    verdicts.update(a=Outcome("pass"))
    key = f"{role}_mentions"
    said = {"agent": "sorry", "customer": "my bill"}[role]
    c = condition_card(all_of=[{key: {"phrases": [said], "match": "exact"}}])
    assert result(c) == ("pass", None)
    c = condition_card(all_of=[{key: {"phrases": ["never said"], "match": "exact"}}])
    assert result(c) == ("na", f"the {role} never raised it")


def test_the_maximum_keeps_fractional_points(verdicts: dict[str, Outcome]) -> None:
    """The maximum is the sum of the applicable criteria's points to two places (half
    points and eighths kept, not whole numbers)."""
    verdicts.update(a=Outcome("pass"), b=Outcome("fail"))
    card = loaded([{"id": "a", "points": 2.5}, {"id": "b", "points": 0.125}], pass_mark=95)
    ev = score_interaction(chat(), card, Matcher())
    assert [r.max_points for r in ev.criteria] == [2.5, 0.125]
    assert (ev.total, ev.max, ev.percent, ev.passed) == (2.5, 2.62, 95.4, True)


def test_the_cards_language_reaches_the_criteria(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def reads(c: Any, ctx: Context) -> Outcome:
        seen.append(ctx.card_language)
        return Outcome("pass")

    monkeypatch.setitem(EVALUATORS, "phrase.v1", reads)
    score_interaction(chat(), loaded([{"id": "a"}], language="zh"), Matcher())
    score_interaction(chat(), loaded([{"id": "a"}]), Matcher())
    assert seen == ["zh", "en"]
