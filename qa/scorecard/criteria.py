"""One evaluator per versioned criterion type. Each returns an Outcome with evidence,
or with the span it searched when it found nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from rapidfuzz import fuzz

from qa.scorecard import cues
from qa.scorecard.context import Context, Outcome
from qa.scorecard.schema import (
    CampaignConsistencyV1,
    CriterionBase,
    MetricV1,
    NeedsDiscoveryV1,
    OrderV1,
    Phrases,
    PhraseV1,
    ProductExplanationV1,
    QuestionV1,
    RetentionV1,
    ScriptReadingV1,
    UpsellTimingV1,
)
from qa.text import content_words, normalise, sentences, word_count
from qa.vocabulary import Channel

C = TypeVar("C", bound=CriterionBase)
Evaluator = Callable[[Any, Context], Outcome]
EVALUATORS: dict[str, Evaluator] = {}


def evaluator(
    type_name: str,
) -> Callable[[Callable[[C, Context], Outcome]], Callable[[C, Context], Outcome]]:
    def register(fn: Callable[[C, Context], Outcome]) -> Callable[[C, Context], Outcome]:
        EVALUATORS[type_name] = fn
        return fn

    return register


def _cues(given: Phrases | None, default: list[str], speaker: str) -> Phrases:
    return given or Phrases(phrases=default, match="fuzzy", threshold=0.9, speaker=speaker)


def phrase_v1(c: PhraseV1, ctx: Context) -> Outcome:
    idxs, start, end = ctx.window(c.speaker, c.window)
    hits = ctx.find(c, idxs)
    shown = ", ".join(repr(p) for p in c.phrases[:3])
    where = f"{c.speaker} turns, {start:.0f}–{end:.0f} s"
    if c.mode == "required":
        if hits:
            return Outcome(
                "pass", [ctx.evidence(h.turn, h.sentence) for h in hits[:3]], hits[0].score
            )
        note = f"none of {shown} found in the {where}"
        return Outcome("fail", [ctx.window_evidence(start, end, note, c.speaker)], 0.85, note=note)
    if hits:
        return Outcome("fail", [ctx.evidence(h.turn, h.sentence) for h in hits[:3]], hits[0].score)
    note = f"no {shown} in the {where}"
    return Outcome("pass", [ctx.window_evidence(start, end, note, c.speaker)], 0.85, note=note)


def question_v1(c: QuestionV1, ctx: Context) -> Outcome:
    idxs, start, end = ctx.window(c.speaker, c.window)
    found = [q for q in ctx.questions(c.speaker, idxs) if c.kind in ("any", q.kind)]
    ok = len(found) >= c.min and (c.max is None or len(found) <= c.max)
    evidence = [ctx.evidence(q.turn, q.sentence) for q in found[:5]]
    note = f"{len(found)} {'' if c.kind == 'any' else c.kind + ' '}question(s); wanted at least {c.min}"
    if c.max is not None:
        note += f" and at most {c.max}"
    if not evidence:
        evidence = [
            ctx.window_evidence(
                start, end, f"no {c.kind} questions from the {c.speaker}", c.speaker
            )
        ]
    return Outcome(
        "pass" if ok else "fail", evidence, 0.8, note=note, details={"count": len(found)}
    )


def order_v1(c: OrderV1, ctx: Context) -> Outcome:
    firsts, thens = ctx.event(c.first), ctx.event(c.then)
    if not thens:
        return Outcome("na", note="the later step never happened")
    then_turn, then_quote = thens[0]
    before = [(t, q) for t, q in firsts if t < then_turn]
    if before:
        t, q = before[0]
        return Outcome("pass", [ctx.evidence(t, q), ctx.evidence(then_turn, then_quote)], 0.85)
    if not firsts:
        if c.missing_first == "na":
            return Outcome("na", note="the first step never happened")
        note = "the first step never happened before this"
        return Outcome("fail", [ctx.evidence(then_turn, then_quote)], 0.8, note=note)
    t, q = firsts[0]
    note = "the steps came in the wrong order"
    return Outcome(
        "fail", [ctx.evidence(then_turn, then_quote), ctx.evidence(t, q)], 0.85, note=note
    )


def metric_v1(c: MetricV1, ctx: Context) -> Outcome:
    value = ctx.metrics.get(c.metric)
    if value is None:
        return Outcome("na", note=f"{c.metric} is not measured for {ctx.item.channel}")
    ok = (c.min is None or value >= c.min) and (c.max is None or value <= c.max)
    bounds = " and ".join(
        b
        for b in (
            f"≥ {c.min:g}" if c.min is not None else "",
            f"≤ {c.max:g}" if c.max is not None else "",
        )
        if b
    )
    note = f"{c.metric} = {value:g} (wanted {bounds})"
    return Outcome(
        "pass" if ok else "fail", [_metric_pointer(c.metric, value, ctx, note)], 0.95, note=note
    )


def _metric_pointer(metric: str, value: float, ctx: Context, note: str) -> Any:
    """Point at the moment behind a metric where there is one."""
    agent = ctx.of("agent")
    if metric == "monologue_longest" and agent:
        longest = max(agent, key=lambda i: ctx.turns[i].end - ctx.turns[i].start)
        return ctx.evidence(longest)
    if metric in {"first_response", "response_longest"}:
        waiting = None
        best: tuple[float, int] | None = None
        for i, t in enumerate(ctx.turns):
            if t.role == "customer" and waiting is None:
                waiting = t.start
            elif t.role == "agent" and waiting is not None:
                gap = t.start - waiting
                if best is None or (metric == "response_longest" and gap > best[0]):
                    best = (gap, i)
                waiting = None
                if metric == "first_response":
                    break
        if best is not None:
            return ctx.evidence(best[1])
    return ctx.window_evidence(0.0, ctx.end_time, note)


def script_reading_v1(c: ScriptReadingV1, ctx: Context) -> Outcome:
    agent = ctx.of("agent")
    if not agent:
        return Outcome("na", note="the agent said nothing")
    script = [normalise(line) for line in c.script]
    # Words the script itself uses do not show that the agent listened.
    script_words = set().union(*(content_words(line) for line in c.script))
    read_turns: list[int] = []
    read_words = 0
    for i in agent:
        text = normalise(ctx.turns[i].text)
        if (
            word_count(text) >= c.min_run_words
            and _best_line(text, script) >= c.verbatim_similarity
        ):
            read_turns.append(i)
            read_words += word_count(text)
    total_words = sum(word_count(ctx.turns[i].text) for i in agent) or 1
    signals: dict[str, float] = {"verbatim": read_words / total_words}
    weights = {"verbatim": 0.4, "fast_monologue": 0.2, "ignored_questions": 0.25, "low_reuse": 0.15}

    if ctx.item.channel == Channel.VOICE:
        talk = sum(ctx.turns[i].end - ctx.turns[i].start for i in agent) or 1.0
        fast = 0.0
        for i in agent:
            t = ctx.turns[i]
            dur = t.end - t.start
            if dur >= c.long_monologue_s and word_count(t.text) / (dur / 60) >= c.fast_wpm:
                fast += dur
        signals["fast_monologue"] = min(1.0, fast / talk)

    ignored: list[tuple[int, int]] = []
    asked = 0
    for i, t in enumerate(ctx.turns[:-1]):
        if t.role != "customer" or not _asks_or_objects(t.text):
            continue
        asked += 1
        nxt = next((j for j in range(i + 1, len(ctx.turns)) if ctx.turns[j].role == "agent"), None)
        if nxt is None:
            continue
        reply = normalise(ctx.turns[nxt].text)
        overlap = (content_words(t.text) & content_words(reply)) - script_words
        if _best_line(reply, script) >= c.verbatim_similarity and not overlap:
            ignored.append((i, nxt))
    if asked:
        signals["ignored_questions"] = len(ignored) / asked

    said = (
        set().union(*(content_words(ctx.turns[i].text) for i in ctx.of("customer")))
        if ctx.of("customer")
        else set()
    )
    said = said - script_words
    if len(said) >= 5:
        reused = said & set().union(*(content_words(ctx.turns[i].text) for i in agent))
        signals["low_reuse"] = 1 - min(1.0, len(reused) / len(said) / 0.3)

    total_weight = sum(weights[k] for k in signals)
    score = round(sum(weights[k] * v for k, v in signals.items()) / total_weight, 3)
    evidence = [ctx.evidence(i) for i in read_turns[:3]]
    for q, a in ignored[:2]:
        evidence += [ctx.evidence(q), ctx.evidence(a)]
    details = {"score": score, "signals": {k: round(v, 3) for k, v in signals.items()}}
    note = f"reading score {score:.2f} (fails above {c.max_score:.2f}): " + ", ".join(
        f"{k} {v:.2f}" for k, v in signals.items()
    )
    if not evidence:
        evidence = [
            ctx.window_evidence(0, ctx.end_time, "no near-verbatim script runs found", "agent")
        ]
    confidence = round(min(0.95, 0.5 + abs(score - c.max_score)), 2)
    return Outcome(
        "fail" if score > c.max_score else "pass", evidence, confidence, note=note, details=details
    )


def _best_line(text: str, script: list[str]) -> float:
    """How much of the turn is one script line said near word for word."""
    best = 0.0
    for line in script:
        if not line:
            continue
        short, long = (line, text) if len(line) <= len(text) else (text, line)
        score = (
            fuzz.partial_ratio(short, long) / 100 * min(1.0, len(short) / max(1, len(long)) * 1.5)
        )
        best = max(best, score if len(line) <= len(text) else fuzz.ratio(line, text) / 100)
    return best


def _asks_or_objects(text: str) -> bool:
    lowered = normalise(text)
    return "?" in text or any(normalise(o) in lowered for o in cues.OBJECTION)


def _customer_needs(ctx: Context, before: int | None = None) -> list[tuple[int, str]]:
    spec = Phrases(phrases=cues.NEEDS, match="exact", speaker="customer")
    idxs = [i for i in ctx.of("customer") if before is None or i < before]
    found = []
    for hit in ctx.find(spec, idxs):
        found += [
            (hit.turn, s) for s in sentences(ctx.turns[hit.turn].text) if _has_any(s, cues.NEEDS)
        ]
    return found


def _has_any(text: str, phrases: list[str]) -> bool:
    t = f" {normalise(text)} "
    return any(f" {normalise(p)} " in t for p in phrases)


def needs_discovery_v1(c: NeedsDiscoveryV1, ctx: Context) -> Outcome:
    pitches = ctx.find(c.pitch)
    pitch_turn = pitches[0].turn if pitches else len(ctx.turns)
    open_qs = [q for q in ctx.questions("agent") if q.kind == "open" and q.turn < pitch_turn]
    needs = _customer_needs(ctx, before=pitch_turn + 1)
    need_words = set().union(*(content_words(s) for _, s in needs)) if needs else set()
    ack = None
    for i in ctx.of("agent"):
        if i > pitch_turn:
            break
        for s in sentences(ctx.turns[i].text):
            if _has_any(s, cues.ACKNOWLEDGE) or len(content_words(s) & need_words) >= 2:
                ack = (i, s)
                break
        if ack:
            break
    q_share = min(1.0, len(open_qs) / c.min_open_questions) if c.min_open_questions else 1.0
    parts = [q_share] + ([1.0 if ack else 0.0] if c.require_acknowledgement else [])
    fraction = sum(parts) / len(parts)
    ok = q_share >= 1.0 and (ack is not None or not c.require_acknowledgement)
    evidence = [ctx.evidence(q.turn, q.sentence) for q in open_qs[:3]]
    if ack:
        evidence.append(ctx.evidence(*ack))
    evidence += [ctx.evidence(t, s) for t, s in needs[:3]]
    if pitches:
        evidence.append(ctx.evidence(pitches[0].turn, pitches[0].sentence))
    if not evidence:
        evidence = [
            ctx.window_evidence(0, ctx.end_time, "no open questions and no stated needs", "agent")
        ]
    note = (
        f"{len(open_qs)} open question(s) before the pitch (wanted {c.min_open_questions}); "
        f"needs {'acknowledged' if ack else 'not acknowledged'}; {len(needs)} stated need(s)"
    )
    details = {
        "open_questions": len(open_qs),
        "needs": [s for _, s in needs],
        "acknowledged": bool(ack),
    }
    return Outcome("pass" if ok else "fail", evidence, 0.75, fraction, note, details)


def product_explanation_v1(c: ProductExplanationV1, ctx: Context) -> Outcome:
    agent = ctx.of("agent")
    covered: dict[str, tuple[int, str]] = {}
    for kp in c.key_points:
        spec = Phrases(phrases=kp.phrases, match=kp.match, threshold=kp.threshold, speaker="agent")
        hits = ctx.find(spec, agent)
        if hits:
            covered[kp.id] = (hits[0].turn, hits[0].sentence)
    if not covered:
        note = "no key point was explained"
        return Outcome(
            "fail", [ctx.window_evidence(0, ctx.end_time, note, "agent")], 0.8, 0.0, note
        )
    coverage = len(covered) / len(c.key_points)
    needs = _customer_needs(ctx)
    need_words = set().union(*(content_words(s) for _, s in needs)) if needs else set()
    link = None
    for turn in sorted(t for t, _ in covered.values()):
        for s in sentences(ctx.turns[turn].text):
            if _has_any(s, cues.LINK) or len(content_words(s) & need_words) >= 2:
                link = (turn, s)
                break
        if link:
            break
    first = min(t for t, _ in covered.values())
    check = next(
        (
            (q.turn, q.sentence)
            for q in ctx.questions("agent")
            if q.turn >= first and _has_any(q.sentence, cues.CHECK_UNDERSTANDING)
        ),
        None,
    )
    parts = [min(1.0, coverage / c.min_coverage) if c.min_coverage else 1.0]
    parts += [1.0 if link else 0.0] if c.require_needs_link else []
    parts += [1.0 if check else 0.0] if c.require_check else []
    ok = (
        coverage >= c.min_coverage
        and (link or not c.require_needs_link)
        and (check or not c.require_check)
    )
    evidence = [ctx.evidence(t, s) for t, s in sorted(covered.values())[:3]]
    if link:
        evidence.append(ctx.evidence(*link))
    if check:
        evidence.append(ctx.evidence(*check))
    missing = [kp.id for kp in c.key_points if kp.id not in covered]
    note = (
        f"{len(covered)}/{len(c.key_points)} key points"
        + (f" (missing: {', '.join(missing)})" if missing else "")
        + f"; {'tied' if link else 'not tied'} to the customer's needs"
        + f"; {'checked' if check else 'no check for'} understanding"
    )
    details = {
        "covered": sorted(covered),
        "missing": missing,
        "linked": bool(link),
        "checked": bool(check),
    }
    return Outcome("pass" if ok else "fail", evidence, 0.75, sum(parts) / len(parts), note, details)


def upsell_timing_v1(c: UpsellTimingV1, ctx: Context) -> Outcome:
    pitches = {h.turn: h.sentence for h in ctx.find(c.pitch)}
    if not pitches:
        return Outcome("na", note="no pitch in this interaction")
    complaints = {
        h.turn: h.sentence for h in ctx.find(_cues(c.complaint, cues.COMPLAINT, "customer"))
    }
    resolutions = {
        h.turn: h.sentence for h in ctx.find(_cues(c.resolution, cues.RESOLUTION, "agent"))
    }
    open_complaint: int | None = None
    for i in range(len(ctx.turns)):
        if i in complaints and open_complaint is None:
            open_complaint = i
        if i in resolutions:
            open_complaint = None
        if i in pitches and open_complaint is not None:
            note = "pitched while the customer's problem was still open"
            ev = [
                ctx.evidence(open_complaint, complaints[open_complaint]),
                ctx.evidence(i, pitches[i]),
            ]
            return Outcome("fail", ev, 0.8, note=note)
    first = min(pitches)
    return Outcome(
        "pass", [ctx.evidence(first, pitches[first])], 0.75, note="no pitch over an open problem"
    )


def retention_v1(c: RetentionV1, ctx: Context) -> Outcome:
    churn = ctx.find(_cues(c.churn, cues.CHURN, "customer"))
    if not churn:
        return Outcome("na", note="no churn cue from the customer")
    cue = churn[0]
    later = [i for i in ctx.of("agent") if i > cue.turn][: c.within_turns]
    saves = ctx.find(_cues(c.save, cues.SAVE, "agent"), later)
    if saves:
        ev = [ctx.evidence(cue.turn, cue.sentence), ctx.evidence(saves[0].turn, saves[0].sentence)]
        return Outcome(
            "pass", ev, min(0.9, saves[0].score), note="the churn cue got a retention move"
        )
    ev = [ctx.evidence(cue.turn, cue.sentence)] + [ctx.evidence(i) for i in later[:1]]
    note = f"no retention move within {c.within_turns} agent turn(s) of the churn cue"
    return Outcome("fail", ev, 0.8, note=note)


def campaign_consistency_v1(c: CampaignConsistencyV1, ctx: Context) -> Outcome:
    if ctx.flags is None:
        return Outcome("na", note="no campaigns were checked (qa score --campaigns DIR)")
    hits = [f for f in ctx.flags if f.kind in c.kinds]
    if hits:
        evidence = [e for f in hits for e in f.evidence][:4]
        note = "; ".join(f"{f.kind}: {f.message}" for f in hits[:3])
        return Outcome("fail", evidence, 0.85, note=note, details={"flags": [f.kind for f in hits]})
    note = f"nothing inconsistent with the active campaigns ({', '.join(c.kinds)})"
    return Outcome("pass", [ctx.window_evidence(0, ctx.end_time, note, "agent")], 0.8, note=note)


# Registered here rather than by decorator, so that mutation testing reaches the functions.
EVALUATORS.update(
    {
        "phrase.v1": phrase_v1,
        "question.v1": question_v1,
        "order.v1": order_v1,
        "metric.v1": metric_v1,
        "script_reading.v1": script_reading_v1,
        "needs_discovery.v1": needs_discovery_v1,
        "product_explanation.v1": product_explanation_v1,
        "upsell_timing.v1": upsell_timing_v1,
        "retention.v1": retention_v1,
        "campaign_consistency.v1": campaign_consistency_v1,
    }
)
