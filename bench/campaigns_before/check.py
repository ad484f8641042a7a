"""The campaign checker as it was before statement understanding (2026-11-29), kept only so
that bench/bench_campaigns.py can time and score it side by side with the current one.

Find what agents say that contradicts the campaigns active on the interaction's date.

A statement speaks of a campaign when it names one of its products (or, failing
that, the turn or the customer's turn before it does). Its quantities are then
compared with the campaign's facts of the same kind. Retired claims, offers
presented outside their window, offers denied to a customer who cites them,
missing disclosures and missed key points are flagged too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bench.campaigns_before.quantities import Quantity, extract
from qa.campaigns.schema import Campaign, Fact, PhraseSet
from qa.matching import Matcher, fuzzy_score
from qa.model import Evidence, Flag, Interaction
from qa.text import normalise, sentences

SEVERITY = {
    "contradiction": "high",
    "retired_claim": "high",
    "expired_offer": "high",
    "denied_offer": "high",
    "missing_disclosure": "medium",
    "missed_key_point": "info",
}
FLAG_KINDS = tuple(SEVERITY)
PRODUCT_MATCH = 0.88  # fuzzy score for a product name to count as mentioned
CLAIM_SEMANTIC = 0.88  # cosine to a retired claim: paraphrases 0.90-0.93, a negated near miss 0.83
CLAIM_MATCH = 0.9  # claims differ by one word ("free phone" vs "a phone"): stay strict
DENIAL_CUES = (
    "we don't have",
    "we do not have",
    "there is no",
    "there's no",
    "no such",
    "doesn't exist",
    "does not exist",
    "not available",
    "isn't available",
    "is not available",
    "doesn't apply",
    "does not apply",
    "not aware of",
    "we don't offer",
    "we do not offer",
    "not something we offer",
    "that's not a real",
    "not valid",
    "we can't offer",
    "we cannot offer",
    "no longer available",
)
OTHER_PARTY_CUES = (
    "competitor",
    "other provider",
    "another provider",
    "they offer",
    "they charge",
    "elsewhere",
)
UNIT_WORDS = {
    "minute": "minute",
    "min": "minute",
    "gb": "gb",
    "gigabyte": "gb",
    "text": "text",
    "month": "month",
}


@dataclass
class Sentence:
    turn: int
    role: str
    start: float
    end: float
    text: str

    def evidence(self) -> Evidence:
        return Evidence(
            turn=self.turn, role=self.role, start=self.start, end=self.end, quote=self.text
        )


@dataclass
class Finding:
    """One comparison of a statement with a fact: consistent or not (for `campaigns check`)."""

    campaign: str
    fact: str
    stated: str
    expected: str
    consistent: bool


@dataclass
class SentenceCheck:
    flags: list[Flag] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)


def _flag(kind: str, campaign: str, fact: str, message: str, evidence: list[Evidence]) -> Flag:
    return Flag(kind, SEVERITY[kind], campaign, fact, message, evidence)


def _mentions(text: str, phrases: list[str], threshold: float = PRODUCT_MATCH) -> bool:
    return any(fuzzy_score(p, text) >= threshold for p in phrases)


def _fact_label(c: Campaign, f: Fact) -> str:
    return f"{f.id}: {f.value.describe()} ({c.name})"


def _compatible(q: Quantity, f: Fact) -> bool:
    v = f.value
    if q.kind == "money" and v.money:
        if q.unit and q.unit != v.money.currency:
            return False
        return q.period is None or v.money.period == "once" or q.period == v.money.period
    if q.kind == "percent":
        return v.percent is not None
    if q.kind == "duration" and v.duration:
        return True
    if q.kind == "date":
        return v.date is not None
    if q.kind == "count" and v.count:
        want = {UNIT_WORDS.get(w.rstrip("s"), w.rstrip("s")) for w in v.count.unit.lower().split()}
        said = {UNIT_WORDS.get(w, w) for w in (q.unit or "").split()}
        return bool(want & said)
    return False


def _same(q: Quantity, f: Fact) -> bool:
    v = f.value
    if v.money:
        return abs(q.value - v.money.amount) < 0.005
    if v.percent is not None:
        return abs(q.value - v.percent) < 0.005
    if v.duration:
        months = {"day": 1 / 30, "week": 7 / 30, "month": 1.0, "year": 12.0}
        said = q.value * months[q.unit or "month"]
        return abs(said - v.duration.amount * months[v.duration.unit]) < 0.1
    if v.date:
        return q.unit == v.date.strftime("%m-%d")
    if v.count:
        return abs(q.value - v.count.amount) < 0.005
    return True


def _facts_for(q: Quantity, c: Campaign, text: str) -> list[Fact]:
    """The facts a quantity speaks of: those of its kind, narrowed by the words around it."""
    candidates = [f for f in c.facts if _compatible(q, f)]
    if len(candidates) <= 1:
        return candidates
    about = [f for f in candidates if f.about and _mentions(text, f.about, 0.9)]
    return about if len(about) == 1 else []


def _paraphrase(sentence: str, claim: PhraseSet, matcher: Matcher | None) -> bool:
    """The claim in other words, by the same embedding model as scoring, held to a high bar."""
    if matcher is None:
        return False
    vectors = matcher.embedder.embed([sentence, *claim.phrases])
    return bool(float((vectors[1:] @ vectors[0]).max()) >= CLAIM_SEMANTIC)


def _anaphoric(q: Quantity, text: str) -> bool:
    """A figure that answers about the product named just before: "It's $30 a month"."""
    starts = normalise(text).startswith(
        (
            "it's",
            "it is",
            "that's",
            "that is",
            "this is",
            "it costs",
            "it runs",
            "it includes",
            "yes",
            "only",
        )
    )
    return starts and (q.kind != "money" or q.period is not None)


def _phrase_hit(sentence: str, ps: PhraseSet, matcher: Matcher | None) -> bool:
    if ps.match == "semantic" and matcher is not None:
        return bool(matcher.find({0: sentence}, ps.phrases, "semantic", None))
    if ps.match == "exact":
        return any(f" {normalise(p)} " in f" {normalise(sentence)} " for p in ps.phrases)
    return _mentions(sentence, ps.phrases, CLAIM_MATCH)


def _window_word(c: Campaign, day: dt.date) -> str:
    return (
        "ended on " + c.valid_to.isoformat()
        if day > c.valid_to
        else "starts on " + c.valid_from.isoformat()
    )


def check_sentence(
    s: Sentence,
    context: str,
    day: dt.date,
    channel: str,
    campaigns: list[Campaign],
    matcher: Matcher | None = None,
) -> SentenceCheck:
    """Check one agent sentence; `context` is its turn and the customer turn before it."""
    out = SentenceCheck(quantities=extract(s.text, day.year))
    named = [c for c in campaigns if _mentions(s.text, c.products + [c.name])]
    topic = named or [c for c in campaigns if _mentions(context, c.products + [c.name])]
    active = [c for c in topic if c.active_on(day, channel)]
    out.topics = [c.id for c in topic]
    other_party = any(cue in normalise(s.text) for cue in OTHER_PARTY_CUES)
    for c in active:
        if other_party:
            break
        for q in out.quantities:
            if not named and not _anaphoric(q, s.text):
                continue  # a figure in a sentence that names no product is about something else
            for f in _facts_for(q, c, s.text):
                ok = _same(q, f)
                out.findings.append(Finding(c.id, f.id, q.text, f.value.describe(), ok))
                if not ok:
                    out.flags.append(
                        _flag(
                            "contradiction",
                            c.id,
                            _fact_label(c, f),
                            f"said {q.text!r}, but {c.name} has {f.id} {f.value.describe()}",
                            [s.evidence()],
                        )
                    )
    outside = [c for c in topic if not c.active_on(day, channel) and channel in c.channels]
    if named and not active and outside:
        c = outside[0]
        presented = bool(out.quantities) or _mentions(
            s.text, ["offer", "deal", "promotion", "you can get", "we have"], 0.9
        )
        if presented:
            out.flags.append(
                _flag(
                    "expired_offer",
                    c.id,
                    f"valid {c.valid_from} to {c.valid_to}",
                    f"presented {c.name}, which {_window_word(c, day)}",
                    [s.evidence()],
                )
            )
    for c in campaigns:
        if not c.active_on(day, channel):
            continue
        for claim in c.retired_claims:
            if _phrase_hit(s.text, claim, matcher) or _paraphrase(s.text, claim, matcher):
                source = f" from {claim.campaign}" if claim.campaign else ""
                out.flags.append(
                    _flag(
                        "retired_claim",
                        c.id,
                        f"retired claim {claim.id}{source}",
                        f"made a claim that {c.name} retired: {claim.phrases[0]!r}",
                        [s.evidence()],
                    )
                )
    return out


def _sentences(item: Interaction) -> list[Sentence]:
    return [
        Sentence(i, t.role, t.start, t.end, sent)
        for i, t in enumerate(item.turns)
        for sent in sentences(t.text)
    ]


def interaction_day(item: Interaction) -> dt.date | None:
    if not item.started_at:
        return None
    try:
        return dt.date.fromisoformat(item.started_at[:10])
    except ValueError:
        return None


def check_interaction(
    item: Interaction, campaigns: list[Campaign], matcher: Matcher | None = None
) -> list[Flag]:
    day = interaction_day(item)
    if day is None or not item.turns:
        return []
    flags: list[Flag] = []
    all_sentences = _sentences(item)
    for s in all_sentences:
        if s.role != "agent":
            continue
        before = next((t.text for t in reversed(item.turns[: s.turn]) if t.role == "customer"), "")
        context = f"{item.turns[s.turn].text} {before}"
        flags += check_sentence(s, context, day, item.channel, campaigns, matcher).flags
    active = [c for c in campaigns if c.active_on(day, item.channel)]
    flags += _denied(item, all_sentences, active)
    flags += _pitch_obligations(all_sentences, active, matcher)
    return _dedupe(flags)


def _denies(text: str) -> bool:
    padded = f" {normalise(text)} "
    return any(f" {normalise(cue)} " in padded for cue in DENIAL_CUES)


def _denied(item: Interaction, all_sentences: list[Sentence], active: list[Campaign]) -> list[Flag]:
    flags = []
    for s in all_sentences:
        if s.role != "customer":
            continue
        cited = [c for c in active if _mentions(s.text, c.products + [c.name])]
        for c in cited:
            reply = [x for x in all_sentences if x.turn > s.turn and x.role == "agent"]
            reply = [x for x in reply if x.turn == reply[0].turn] if reply else []
            denial = next((x for x in reply if _denies(x.text)), None)
            if denial is not None:
                flags.append(
                    _flag(
                        "denied_offer",
                        c.id,
                        f"{c.name} valid {c.valid_from} to {c.valid_to}",
                        f"the customer cited {c.name}, an active offer, and the agent denied it",
                        [s.evidence(), denial.evidence()],
                    )
                )
    return flags


def _pitch_obligations(
    all_sentences: list[Sentence], active: list[Campaign], matcher: Matcher | None
) -> list[Flag]:
    flags = []
    agent = [s for s in all_sentences if s.role == "agent"]
    for c in active:
        pitch = next((s for s in agent if _mentions(s.text, c.products + [c.name])), None)
        if pitch is None:
            continue
        obligations = [
            ("missing_disclosure", d, "disclosure", "the mandatory disclosure")
            for d in c.disclosures
        ] + [("missed_key_point", k, "key point", "its key point") for k in c.key_points]
        for kind, item, label, wording in obligations:
            if not any(_phrase_hit(s.text, item, matcher) for s in agent):
                flags.append(
                    _flag(
                        kind,
                        c.id,
                        f"{label} {item.id}: {item.phrases[0]}",
                        f"pitched {c.name} without {wording} {item.id!r}",
                        [pitch.evidence()],
                    )
                )
    return flags


def _dedupe(flags: list[Flag]) -> list[Flag]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for f in flags:
        key = (f.kind, f.campaign, f.fact, tuple((e.turn, e.quote) for e in f.evidence))
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def explain(sentence: str, day: dt.date, channel: str, campaigns: list[Campaign]) -> dict[str, Any]:
    """What `qa campaigns check` prints: topics, quantities, comparisons, flags."""
    s = Sentence(0, "agent", 0.0, 0.0, sentence)
    result = check_sentence(s, sentence, day, channel, campaigns)
    return {
        "sentence": sentence,
        "date": day.isoformat(),
        "channel": channel,
        "active_campaigns": [c.id for c in campaigns if c.active_on(day, channel)],
        "topics": result.topics,
        "quantities": [
            {"kind": q.kind, "value": q.value, "unit": q.unit, "period": q.period, "text": q.text}
            for q in result.quantities
        ],
        "comparisons": [f.__dict__ for f in result.findings],
        "flags": [
            {"kind": f.kind, "campaign": f.campaign, "fact": f.fact, "message": f.message}
            for f in result.flags
        ],
    }
