"""Score one interaction against one scorecard: N/A rules, points, auto-fail, evidence."""

from __future__ import annotations

from typing import Any

from qa.matching import Matcher
from qa.model import CriterionResult, Evaluation, Flag, Interaction
from qa.scorecard.context import Context, Outcome
from qa.scorecard.criteria import EVALUATORS
from qa.scorecard.load import LoadedScorecard
from qa.scorecard.schema import Condition, CriterionBase
from qa.text import sentences


def _condition_holds(cond: Condition, ctx: Context) -> str | None:
    """None when the condition holds, else why the criterion is N/A."""
    item = ctx.item
    if cond.direction and item.direction != cond.direction:
        return f"only for {cond.direction} interactions"
    if cond.campaign and (item.campaign or "").lower() != cond.campaign.lower():
        return f"only for campaign {cond.campaign}"
    # A contact that was never routed has no work type: the condition cannot rule it out.
    if cond.work_types and item.work_type is not None and item.work_type not in cond.work_types:
        return f"only for work types {', '.join(cond.work_types)}"
    if cond.min_turns is not None and len(item.turns) < cond.min_turns:
        return f"only with at least {cond.min_turns} turns"
    if cond.customer_mentions and not ctx.situation(
        cond.customer_mentions.model_copy(update={"speaker": "customer"})
    ):
        return "the customer never raised it"
    if cond.agent_mentions and not ctx.situation(
        cond.agent_mentions.model_copy(update={"speaker": "agent"})
    ):
        return "the agent never raised it"
    return None


# Criterion types whose judgement rests on a language pack's cues (question forms, needs,
# complaints, churn, saves, objections). Phrases, metrics, order and campaigns need none.
NEEDS_PACK = frozenset(
    {
        "question.v1",
        "script_reading.v1",
        "needs_discovery.v1",
        "product_explanation.v1",
        "upsell_timing.v1",
        "retention.v1",
    }
)


def evaluate_criterion(criterion: CriterionBase, ctx: Context, card_channels: list[str]) -> Outcome:
    channels = criterion.channels or card_channels
    if ctx.item.channel not in channels:
        return Outcome("na", note=f"not scored on {ctx.item.channel}")
    if not ctx.turns:
        return Outcome("na", note="no transcript")
    if ctx.pack_language is None and criterion.type in NEEDS_PACK:  # type: ignore[attr-defined]
        return Outcome("na", note=f"no language pack for {ctx.text_language}")
    situation = ctx.act_situation(criterion)  # Chinese: an act's own situation (context.py)
    if situation:
        return Outcome("na", note=situation)
    if criterion.applies_when is not None:
        cond = criterion.applies_when
        if situation is not None:  # the act's situation stands for a count of turns
            cond = cond.model_copy(update={"min_turns": None})
        why = _condition_holds(cond, ctx)
        if why:
            return Outcome("na", note=why)
    return EVALUATORS[criterion.type](criterion, ctx)  # type: ignore[attr-defined]


def score_interaction(
    item: Interaction,
    card: LoadedScorecard,
    matcher: Matcher,
    metrics: dict[str, Any] | None = None,
    flags: list[Flag] | None = None,
) -> Evaluation:
    ctx = Context(item, matcher, metrics, flags, card.scorecard.language)
    results: list[CriterionResult] = []
    auto_fail = False
    for section, criterion in card.scorecard.criteria():
        out = evaluate_criterion(criterion, ctx, list(card.scorecard.channels))
        max_points = 0.0 if out.result == "na" else criterion.max_points
        fraction = (
            out.fraction if out.fraction is not None else (1.0 if out.result == "pass" else 0.0)
        )
        if out.result == "fail" and criterion.critical:
            auto_fail = True
        results.append(
            CriterionResult(
                id=criterion.id,
                section=section.id,
                type=criterion.type,  # type: ignore[attr-defined]
                result=out.result,  # type: ignore[arg-type]
                points=round(max_points * fraction, 2),
                max_points=max_points,
                confidence=round(out.confidence, 2) if out.result != "na" else 1.0,
                evidence=out.evidence,
                note=out.note,
                details=out.details,
            )
        )
    total = round(sum(r.points for r in results), 2)
    maximum = round(sum(r.max_points for r in results), 2)
    percent = round(100 * total / maximum, 1) if maximum else 0.0
    if auto_fail:
        percent = 0.0  # a critical failure fails the whole evaluation
    return Evaluation(
        scorecard_name=card.scorecard.name,
        scorecard_hash=card.hash,
        total=total,
        max=maximum,
        percent=percent,
        auto_fail=auto_fail,
        passed=not auto_fail and percent >= card.scorecard.pass_mark,
        criteria=results,
    )


def semantic_sentences(card: LoadedScorecard, item: Interaction) -> list[str]:
    """The sentences that the card's semantic matches will embed for this interaction."""
    ctx = Context(item, Matcher(), card_language=card.scorecard.language)
    wanted: set[int] = set()
    for _, c in card.scorecard.criteria():
        for spec, window in semantic_specs(c):
            idxs, _, _ = ctx.window(spec, window)
            wanted.update(idxs)
    return [s for i in sorted(wanted) for s in sentences(item.turns[i].text)]


def semantic_specs(c: CriterionBase) -> list[tuple[str, Any]]:
    """(speaker, window) pairs of every semantic phrase list inside a criterion."""
    found: list[tuple[str, Any]] = []
    if getattr(c, "match", None) == "semantic":
        found.append((getattr(c, "speaker", "agent"), getattr(c, "window", None)))
    cond = c.applies_when
    if cond is not None:
        for spec in (cond.customer_mentions, cond.agent_mentions):
            if spec is not None and spec.match == "semantic":
                found.append(("any", None))
    for name in ("first", "then", "pitch", "complaint", "resolution", "churn", "save"):
        spec = getattr(c, name, None)
        if spec is not None and getattr(spec, "match", None) == "semantic":
            found.append((spec.speaker, None))
    for kp in getattr(c, "key_points", None) or []:
        if kp.match == "semantic":
            found.append(("agent", None))
    return found
