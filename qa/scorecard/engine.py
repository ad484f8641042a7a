"""Score one interaction against one scorecard: N/A rules, points, auto-fail, evidence."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qa.matching import Matcher
from qa.model import CriterionResult, Evaluation, Flag, Interaction
from qa.scorecard.context import Context, Outcome
from qa.scorecard.criteria import EVALUATORS
from qa.scorecard.load import LoadedScorecard
from qa.scorecard.schema import CompositeV1, Condition, CriterionBase
from qa.text import sentences

if TYPE_CHECKING:
    from qa.campaigns.schema import Campaign


def _condition_holds(cond: Condition, ctx: Context) -> str | None:
    """None when the condition holds, else why the criterion is N/A."""
    item = ctx.item
    if cond.channels and item.channel not in cond.channels:
        return f"only on {', '.join(cond.channels)}"
    if cond.teams and not _one_of(_team(item), cond.teams):
        return f"only for teams {', '.join(cond.teams)}"
    if cond.queues and not _one_of((item.metadata or {}).get("queue"), cond.queues):
        return f"only for queues {', '.join(cond.queues)}"
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
    if cond.agent_mentions and not ctx.agent_raises(
        cond.agent_mentions.model_copy(update={"speaker": "agent"})
    ):
        return "the agent never raised it"
    if cond.event is not None and not ctx.event(cond.event):
        return "the triggering event never happened"
    for part in cond.all_of or []:
        why = _condition_holds(part, ctx)
        if why:
            return why
    if cond.any_of:
        whys = [_condition_holds(part, ctx) for part in cond.any_of]
        if all(whys):
            return "none of: " + "; ".join(w for w in whys if w)
    if cond.not_ is not None and _condition_holds(cond.not_, ctx) is None:
        return f"not when {_describe(cond.not_)}"
    return None


def _team(item: Interaction) -> str | None:
    team = item.agent.team if item.agent is not None else None
    return team or (item.metadata or {}).get("team")


def _one_of(value: object, allowed: list[str]) -> bool:
    """Metadata names compared without case; a missing value is none of them."""
    if value is None or not str(value).strip():
        return False
    return str(value).strip().lower() in {a.strip().lower() for a in allowed}


def _describe(cond: Condition) -> str:
    """A short reading of a condition for a note: 'channel email', 'the customer raised it'."""
    parts = []
    for key, value in cond.model_dump(exclude_defaults=True, by_alias=True).items():
        if key in ("customer_mentions", "agent_mentions", "event"):
            who = "customer" if key == "customer_mentions" else "agent"
            parts.append("it happened" if key == "event" else f"the {who} raised it")
        elif isinstance(value, list) and value and not isinstance(value[0], dict):
            parts.append(f"{key} {', '.join(map(str, value))}")
        elif not isinstance(value, (list, dict)):
            parts.append(f"{key} {value}")
        else:
            parts.append(key)
    return " and ".join(parts) or "always"


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
    criterion = _on_channel(criterion, ctx.item.channel)
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
            return _not_applicable(criterion.applies_when, why, ctx)
    if isinstance(criterion, CompositeV1):
        return _composite(criterion, ctx, list(channels))
    return EVALUATORS[criterion.type](criterion, ctx)  # type: ignore[attr-defined]


def _on_channel(criterion: CriterionBase, channel: str) -> CriterionBase:
    """The criterion with its by_channel values for this channel."""
    return criterion.for_channel(channel) if criterion.by_channel else criterion


def _not_applicable(cond: Condition, why: str, ctx: Context) -> Outcome:
    """N/A, or the verdict a card gives when its trigger never happens (`otherwise`)."""
    if cond.otherwise == "na":
        return Outcome("na", note=why)
    searched = ctx.window_evidence(0.0, ctx.end_time, why)
    return Outcome(cond.otherwise, evidence=[searched], note=why)


def _composite(c: CompositeV1, ctx: Context, channels: list[str]) -> Outcome:
    """all_of: every applicable part passes; any_of: one part passes; not: the part fails.
    Parts that do not apply are left out; with none left the composite is N/A."""
    outs = [(part, evaluate_criterion(part, ctx, channels)) for part in c.parts]
    details: dict[str, Any] = {"parts": {p.id: o.result for p, o in outs}}
    note = "; ".join(f"{p.id}: {o.result}" + (f" ({o.note})" if o.note else "") for p, o in outs)
    applicable = [(p, o) for p, o in outs if o.result != "na"]
    if not applicable:
        return Outcome("na", note=note, details=details)
    if c.not_ is not None:
        [(_, inner)] = applicable
        result = "fail" if inner.result == "pass" else "pass"
        deciding = [inner]
    elif c.all_of is not None:
        failed = [o for _, o in applicable if o.result == "fail"]
        result = "fail" if failed else "pass"
        deciding = failed or [o for _, o in applicable]
    else:
        passed = [o for _, o in applicable if o.result == "pass"]
        result = "pass" if passed else "fail"
        deciding = passed or [o for _, o in applicable]
    evidence = [e for o in deciding for e in o.evidence]
    confidence = min(o.confidence for o in deciding)
    return Outcome(result, evidence=evidence, confidence=confidence, note=note, details=details)


def score_interaction(
    item: Interaction,
    card: LoadedScorecard,
    matcher: Matcher,
    metrics: dict[str, Any] | None = None,
    flags: list[Flag] | None = None,
    campaigns: list[Campaign] | None = None,
) -> Evaluation:
    ctx = Context(
        item, matcher, metrics, flags, card.scorecard.language, campaigns, card.scorecard.reader
    )
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
    if c.applies_when is not None:
        found.extend(_condition_specs(c.applies_when))
    for channel, values in (c.by_channel or {}).items():
        if values:
            variant = c.for_channel(channel)
            found.extend(semantic_specs(variant.model_copy(update={"by_channel": None})))
    for part in getattr(c, "parts", []):
        found.extend(semantic_specs(part))
    for name in ("first", "then", "pitch", "complaint", "resolution", "churn", "save"):
        spec = getattr(c, name, None)
        if spec is not None and getattr(spec, "match", None) == "semantic":
            found.append((spec.speaker, None))
    for kp in getattr(c, "key_points", None) or []:
        if kp.match == "semantic":
            found.append(("agent", None))
    return found


def _condition_specs(cond: Condition) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for spec in (cond.customer_mentions, cond.agent_mentions, cond.event):
        if spec is not None and spec.match == "semantic":
            found.append(("any", None))
    for part in [*(cond.all_of or []), *(cond.any_of or []), *([cond.not_] if cond.not_ else [])]:
        found.extend(_condition_specs(part))
    return found
