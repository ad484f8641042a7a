"""Find what agents say that is inconsistent with the campaigns active on the interaction's date.

Each agent sentence is read by the statement layer (qa.statements) into claims: a value with
its unit, period, range or bound, its polarity, attribution and tense. A claim is compared
only when the agent states it now as the offer's own term. The product it speaks of is the
one the sentence names, else the one last discussed in the conversation. The fact it is
compared with is chosen by product, kind, unit, period and the clause's words together, and
the flag says why that fact was chosen.

Retired claims, offers presented outside their window, offers denied to a customer who cites
them, missing disclosures and missed key points are flagged too. Every flag carries a
confidence; below the review bar it is stored with status `review`.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import re
import weakref
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qa.campaigns.examples import not_a_pitch, said_as_adopted, without_ruled_out
from qa.campaigns.schema import Campaign, Fact, PhraseSet, RetiredClaim
from qa.matching import Matcher, fuzzy_score
from qa.model import Evidence, Flag, Interaction
from qa.statements.claims import NEGATION, PAST, Claim, extract_claims
from qa.statements.concepts import same_promise
from qa.statements.numbers import digits
from qa.statements.quantities import HAN, MONTH_END, extract
from qa.statements.quantities import PERIODS as PERIOD_WORDS
from qa.statements.zh_quantities import simplified
from qa.text import content_words, normalise, sentences
from qa.timeutil import local_date
from qa.vocabulary import FLAG_KINDS, FLAG_SEVERITY, FlagKind, FlagStatus

__all__ = ["FLAG_KINDS", "check_interaction", "explain"]
REVIEW_BAR = 0.6  # flags with lower confidence are stored as `review` (range 0-1)
PRODUCT_MATCH = 0.9  # fuzzy score for a product name to count as mentioned (0-1)
CONTEXT_TURNS = 6  # how many turns back a product named earlier is still "it" (1-20)
CLAIM_SEMANTIC = 0.65  # cosine of a clause to a retired claim for a paraphrase (0-1)
GIVEN_SEMANTIC = 0.55  # cosine of a sentence or clause to a disclosure / key point: given (0-1)
ZH_GIVEN = 0.5  # share of a Chinese phrase's character pairs in a clause for it to be given (0-1)
GIVEN_UNSURE = 0.42  # below GIVEN_SEMANTIC but above this: a missing-item flag goes to review
PITCH_BAR = 0.5  # probability of the present_offer act for a sentence to be a pitch (0-1)
PROPOSAL_BAR = 0.25  # the same for a sentence that proposes to sign up, switch or quote (0-1)
DENIAL_BAR = 0.35  # deny_offer probability for a reply with a denying phrase to deny (0-1)
DENIAL_SURE = 0.75  # deny_offer probability for a reply to deny without such a phrase (0-1)
ANSWER_MARGIN = (
    0.1  # how much closer an answer's question must be to an item than a sentence (0-0.5)
)
GROUP_DOUBT = 0.6  # confidence kept by a contradiction said of a group or per unit (0-1)
RELATIVE_TOLERANCE = 0.02  # rounding allowed in a restated total ("$1,440 a year" for $120/mo)
APPROX = re.compile(r"\b(?:about|around|roughly|approximately|nearly|almost|just over|"
                    r"just under|ish)\b", re.I)  # fmt: skip

TO_MONTHS = {"day": 12 / 365, "week": 12 / 52, "month": 1.0, "year": 12.0}
OFFER_CUES = re.compile(
    r"\b(?:i can (?:get|put|set|sign|switch|move|add|book|offer|do)|we can (?:get|put|set|"
    r"sign|switch|move|offer|do)|(?:shall|should|can) i (?:go ahead|book|sign|set|put|switch)|"
    r"want me to|would you like (?:me )?to|like to (?:go ahead|sign|switch|join|take)|"
    r"you can (?:get|have|take|join|switch|sign)|you(?:'ll| will) get|you get|you'?d get|"
    r"we(?:'ve| have) got|we have|our (?:current|latest|new)|is available|available (?:now|today)|"
    r"currently|right now|at the moment|today|on offer|special offer|deal|offer|promotion|"
    r"the one (?:we have|for you)|sign you up|get you (?:on|started|set up)|set you up|"
    r"put you on|switch you|is the one|i'?d recommend|recommend|go for|comes with|includes?|"
    r"it'?s just|only)\b",
    re.I,
)
PROPOSAL = re.compile(
    r"\b(?:i can (?:get|put|set|sign|switch|move|book|start)|(?:shall|should|can) i (?:go ahead|"
    r"book|sign|set|put|switch|start)|want me to|would you like (?:me )?to|sign you up|"
    r"you can (?:still )?(?:get|have|take|join|switch|sign)|get you (?:on|started|set up))\b",
    re.I,
)  # a proposal to sign up, switch or quote: a pitch on a weaker reading of the act
SERVICE_CUES = re.compile(
    r"\b(?:your (?:current |existing )?(?:plan|account|contract|policy|tariff|bill|line|"
    r"lines|package|subscription|cover|renewal)|you(?:'re| are) (?:already |currently )?on|"
    r"you already have|you(?:'ve| have) (?:got|had)|on your (?:account|bill|plan|policy)|"
    r"your claim|the claim|your renewal|renew)\b",
    re.I,
)
DENIAL_CUES = re.compile(
    r"\b(?:not aware of|no such|doesn'?t exist|does not exist|don'?t (?:have|offer|do|run)|"
    r"do not (?:have|offer|do|run)|we(?:'re| are) not (?:running|offering|doing)|"
    r"not (?:running|offering) (?:any|that|anything)|nothing like that|not something we|"
    r"isn'?t (?:something|a thing|real|available|running|on)|is not (?:available|running)|"
    r"there(?: isn'?t| is no| is not|'s no) (?:a |an |any )?(?:(?!on |for |with |in |to |of )[\w%-]+ ){1,3}"
    r"(?:offer|deal|promotion|promo|discount)|"
    r"not available|no longer (?:available|running|on|offered)|(?:has|'s|have) (?:ended|"
    r"finished|expired|been (?:pulled|withdrawn|discontinued|stopped|removed))|"
    r"(?:it'?s|that'?s|is) (?:finished|over|ended|gone|expired|discontinued|withdrawn)|"
    r"can'?t (?:offer|give|do|get)|cannot (?:offer|give|do)|won'?t be able|"
    r"only (?:for|available to|open to) (?:new|existing|members|online)|"
    r"(?:new|existing) customers only|doesn'?t apply|does not apply|(?:would|will)(?:n'?t| not) "
    r"(?:apply|qualify)|don'?t (?:currently )?sell|isn'?t something we (?:can|do|offer)|"
    r"not (?:eligible|for existing|for current|for you|open to)|isn'?t for|"
    r"must have been|you might be thinking of|you may be thinking of|think you'?re thinking|"
    r"stopped (?:offering|selling|running|doing)|(?:was|were|got|been) (?:withdrawn|pulled|"
    r"discontinued|scrapped|dropped|axed|cancelled|canceled)|no longer (?:offer|sell|run|do))\b",
    re.I,
)
EXCLUSION_GROUPS = {
    "new": re.compile(r"\bnew (?:customers?|members?|accounts?)\b", re.I),
    "existing": re.compile(r"\b(?:existing|current) (?:customers?|accounts?|members?)\b", re.I),
    "members": re.compile(r"\bmembers?\b", re.I),
    "online": re.compile(r"\bonline\b|\bwebsite\b", re.I),
}
FUTURE_OFFER = re.compile(
    r"\b(?:will be|'ll be|coming|launch|starts? (?:on|in)|from (?:next|the \d))", re.I
)
CUSTOMER_MENTIONS_OFFER = re.compile(
    r"\b(?:offer|deal|promotion|promo|advert|advertised|saw|heard|read|credit|discount|"
    r"intro|introductory|price|cashback|bonus|free)\b",
    re.I,
)


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
    """One comparison of a claim with a fact (for `campaigns check`): the claim, the fact
    chosen and why, and the verdict."""

    campaign: str
    fact: str
    stated: str
    expected: str
    consistent: bool
    why: str = ""
    confidence: float = 1.0


@dataclass
class SentenceCheck:
    flags: list[Flag] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    topic_source: str = ""
    claims: list[Claim] = field(default_factory=list)
    presents: list[str] = field(default_factory=list)


def _flag(
    kind: FlagKind,
    campaign: str,
    fact: str,
    message: str,
    evidence: list[Evidence],
    confidence: float = 1.0,
    review_bar: float = REVIEW_BAR,
) -> Flag:
    status = FlagStatus.REVIEW if confidence < review_bar else FlagStatus.OPEN
    return Flag(
        kind, FLAG_SEVERITY[kind], campaign, fact, message, evidence, round(confidence, 2), status
    )


# --- products -----------------------------------------------------------------------------


def _name_spans(text: str, names: list[str]) -> list[tuple[int, int]]:
    low = f" {normalise(simplified(text))} "  # Traditional names a Simplified product too
    spans = []
    for name in names:
        n = normalise(simplified(name))
        if not n:
            continue
        for m in re.finditer(rf"(?<=\W){re.escape(n)}(?=\W)", low):
            spans.append((m.start(), m.end()))
    return spans


def _near_name(name: str, text: str) -> bool:
    """A misspelt product name ("Fiber Max" for "Fibre Max"), but not another product of the
    same family: the numbers in a name must be said as they are ("Fibre Flex 1000" is not
    "Fibre Flex 500", "two-year fix" is not "five-year fix")."""
    if fuzzy_score(name, text) < PRODUCT_MATCH and fuzzy_score(name, digits(text)) < PRODUCT_MATCH:
        return False
    numbers = re.findall(r"\d+(?:\.\d+)?", digits(name))
    said = set(re.findall(r"\d+(?:\.\d+)?", digits(text)))
    return all(n in said for n in numbers)


def _another_of_family(text: str, campaigns: list[Campaign]) -> bool:
    """The sentence names a product of a campaign's family with another number ("Fibre Flex
    1000" where the campaign sells "Fibre Flex 500"): it speaks of that other product."""
    said = f" {normalise(digits(text))} "
    for c in campaigns:
        for name in c.products:
            n = normalise(digits(name))
            number = re.search(r"\d+(?:\.\d+)?", n)
            base = n[: number.start()].strip() if number else ""
            if len(base.split()) < 2:
                continue
            for m in re.finditer(rf"(?<=\s){re.escape(base)}\s+(\d+(?:\.\d+)?)(?=\s)", said):
                if m.group(1) != number.group(0):  # type: ignore[union-attr]
                    return True
    return False


# Characters that do not belong to a product's name (particles, pronouns, measure words).
_ZH_NOT_NAME = "的地得了着过有是在和与或及跟同向从把被对为给用到让叫这那哪个份款张种些位家您你妳我他她它们只就都也还又再买要想说问看嘅咗係啲"


def _zh_other_product(text: str, campaigns: list[Campaign]) -> bool:
    """Chinese: the sentence names a product no campaign sells: a name before a word for a kind
    of product ("e享医疗险", "金福年年年金险"; the zh pack's product_types). A kind alone
    ("您只有医疗险") names none."""
    from qa.statements.zh_claims import cues

    t = simplified(text)
    names = [simplified(n) for c in campaigns for n in [*c.products, c.name] if n]
    for m in cues()["product_types"].finditer(t):
        run = re.search(r"[A-Za-z0-9\u4e00-\u9fff]*$", t[: m.start()])
        name = re.split(f"[{_ZH_NOT_NAME}]", run.group(0) if run else "")[-1]
        if len(name) < 2 and not re.search(r"[A-Za-z]", name):
            continue
        full = name + m.group(0)
        if not any(full in n or n in full for n in names):
            return True
    return False


def named_campaigns(text: str, campaigns: list[Campaign]) -> list[Campaign]:
    """Campaigns whose product a text names. The longest name wins: "Fibre Flex 500 Plus"
    does not also name "Fibre Flex 500"."""
    found: dict[str, list[tuple[int, int]]] = {}
    for c in campaigns:
        spans = _name_spans(text, [*c.products, c.name])
        # A near spelling is the same name in English only: Chinese names one character
        # apart are other products (百兆宽带, 千兆宽带).
        if not spans and any(_near_name(p, text) for p in c.products if not HAN.search(p)):
            spans = [(-1, -1)]
        if spans:
            found[c.id] = spans
    keep = []
    for c in campaigns:
        if not found.get(c.id):
            continue
        spans = found[c.id]
        inside = all(
            any(
                (a, b) != (x, y) and x <= a and b <= y and (b - a) < (y - x)
                for o, other in found.items()
                if o != c.id
                for x, y in other
            )
            for a, b in spans
            if a >= 0
        ) and any(a >= 0 for a, _ in spans)
        if not inside:
            keep.append(c)
    return keep


# --- facts --------------------------------------------------------------------------------


def _fact_kind(f: Fact) -> str:
    v = f.value
    if v.count and re.search(r"per\s*kwh|/\s*kwh|per unit", v.count.unit, re.I):
        return "rate"
    return v.kind


def _count_unit(f: Fact) -> str:
    from qa.statements.quantities import COUNT_UNITS

    assert f.value.count is not None
    for w in re.findall(r"[a-z]+", f.value.count.unit.lower()):
        if w in COUNT_UNITS:
            return COUNT_UNITS[w]
        if w in ("day", "days"):
            return "day"
    return f.value.count.unit.lower()


def _compatible(c: Claim, f: Fact) -> bool:
    q, v, kind = c.quantity, f.value, _fact_kind(f)
    if q.kind == "money" and v.money:
        if HAN.search(c.sentence) and q.period not in (None, "once") and v.money.period == "once":
            return False  # Chinese: "年缴保费四千八" is a price per year, no one-off limit or fee
        return not q.unit or q.unit == v.money.currency
    if q.kind == "rate":
        return kind == "rate"
    if q.kind == "money" and kind == "rate" and q.unit is None and q.period is None:
        return q.value < 1  # "26.4c" read as 0.264: handled in _same
    if q.kind == "percent":
        return v.percent is not None
    if q.kind == "date":
        return v.date is not None
    if q.kind == "duration":
        return bool(v.duration) or (bool(v.count) and _count_unit(f) == "day")
    if q.kind == "count" and v.count and kind == "count":
        return q.unit == _count_unit(f)
    return False


PERIOD_ONLY = re.compile(
    r"^(?:a|an|per|each|every|/)?\s*(?:month|monthly|mo|year|yearly|annually|week|weekly|day|"
    r"daily)$"
)


def _phrase_positions(phrase: str, text: str) -> list[int]:
    p = normalise(digits(phrase))
    if not p or PERIOD_ONLY.match(p):
        return []  # periods are judged by the period, not as words about a fact
    low = f" {normalise(text)} "
    # A number in an `about` phrase stands for any number: "first 3 months" also finds
    # "first 6 months", so a wrong figure is still compared with the right fact.
    pattern = re.sub(r"\\d[\d.]*|\d[\d.]*", r"\\d+(?:\\.\\d+)?", re.escape(p))
    # "cancellation" also finds "cancellations": a plural speaks of the same thing.
    return [m.start() for m in re.finditer(rf"(?<=\s){pattern}(?:e?s)?(?=\s)", low)]


def _about_score(f: Fact, c: Claim) -> float:
    """How well the words around a claim speak of a fact: an `about` phrase next to the
    claim (no other figure in between) counts most, one elsewhere in its clause less, one
    elsewhere in the sentence least; a `not_about` word in the clause rules the fact out."""
    cl = f" {normalise(c.clause)} "
    if any(f" {normalise(digits(w))} " in cl for w in f.not_about):
        return -1.0
    sent = normalise(c.sentence)
    # Where the claim and the other figures sit in the normalised sentence.
    here = sent.find(normalise(c.quantity.text)) if c.quantity.text else -1
    others = [
        sent.find(normalise(q.text))
        for q in c.others
        if q.text and normalise(q.text) != normalise(c.quantity.text)
    ]
    best = 0.0
    for phrase in f.about:
        weight = 1.0 + 0.1 * len(phrase.split())
        in_clause = bool(_phrase_positions(phrase, c.clause))
        for pos in _phrase_positions(phrase, c.sentence):
            if here < 0:
                score = 2.0 if in_clause else 0.5
            else:
                lo, hi = sorted((pos, here))
                between = any(lo < o < hi for o in others if o >= 0)
                near = abs(pos - here) < 60
                score = 2.0 if (not between and in_clause) else 1.0 if in_clause else 0.5
                if not between and not in_clause and near:
                    score = 0.8
                score -= min(0.4, abs(pos - here) / 250)  # the nearer phrase wins a tie
                gap = here - (pos + len(normalise(digits(phrase))))
                if in_clause and 0 <= gap <= 12:
                    score += 0.3  # "buildings up to 500000": the phrase leads into the figure
            best = max(best, score * weight)
    return best


def _phrase_values(camp: Campaign) -> list[tuple[str, float, str | None, str]]:
    """Figures written in the campaign's own disclosures and key points ("from month 25 it's
    $59.99 a month"): right values too, though not facts."""
    out = []
    for ps in [*camp.disclosures, *camp.key_points]:
        for p in ps.phrases:
            _, qs = extract(p)
            out += [(q.kind, q.value, q.period, p) for q in qs]
    return out


def _in_months(amount: float, unit: str) -> float:
    return amount * TO_MONTHS.get(unit, 1.0)


def _close(a: float, b: float, rel: float = 0.005) -> bool:
    return abs(a - b) <= max(0.005, rel * abs(b))


def _fact_values(f: Fact) -> list[float]:
    return [f.value.amount, *f.value.tiers]


def _same(c: Claim, f: Fact, exact: bool = False) -> bool:
    """Is the claim consistent with the fact: the same value once units and periods are made
    the same, within a range, under a bound, or one of the tiers. A bound said as a bound ("up
    to 21 days" for up to 21 days) must agree exactly, and so must any value when `exact`."""
    q, v = c.quantity, f.value
    fact_bound = None if exact or q.bound in ("max", "min") else (v.bound or _zh_bound(f))
    lows = _fact_values(f)
    said = [q.value] + ([q.high] if q.high is not None else [])
    if v.money:
        fp = v.money.period
        qp = q.period
        if qp and fp != qp:
            if fp == "once" or qp == "once":
                return False
            # "$600 a year" for $50 a month: compare per month, allowing rounding.
            said = [s * TO_MONTHS[fp] / TO_MONTHS[qp] for s in said]
            tol = RELATIVE_TOLERANCE * (3 if APPROX.search(c.clause) else 1)
            return all(any(_close(s, lo, tol) for lo in lows) for s in said)
    elif v.duration or (v.count and q.kind == "duration"):
        unit = v.duration.unit if v.duration else "day"
        lows = [_in_months(x, unit) for x in lows]
        top = _in_months(v.to, unit) if v.to is not None else None
        said = [_in_months(s, q.unit or "month") for s in said]
        if top is not None:
            return all(lows[0] - 0.01 <= s <= top + 0.01 for s in said)
        if fact_bound == "up_to":
            return all(s <= lows[0] + 0.01 for s in said)
        if q.bound == "below":
            return any(lo <= s + 0.01 for lo in lows for s in said)
        if q.bound == "above":
            return any(lo >= s - 0.01 for lo in lows for s in said)
        return all(any(abs(s - lo) < 0.1 for lo in lows) for s in said)
    elif v.date is not None:
        if q.extra.get(MONTH_END):  # "end of February": the last day of the fact's own month
            last = calendar.monthrange(v.date.year, v.date.month)[1]
            return int(q.value) // 100 == v.date.month and v.date.day == last
        return int(q.value) == v.date.month * 100 + v.date.day
    elif _fact_kind(f) == "rate" and q.kind == "money":
        said = [s * 100 for s in said]
    if v.to is not None:
        return all(lows[0] - 0.005 <= s <= v.to + 0.005 for s in said)
    if fact_bound == "up_to":
        return all(s <= lows[0] + 0.005 for s in said)
    if fact_bound == "at_least":
        return all(s >= lows[0] - 0.005 for s in said)
    if q.bound == "below":  # "under a fiver a month" for a price below five
        return any(lo <= s + 0.005 for lo in lows for s in said)
    if q.bound == "above":
        return any(lo >= s - 0.005 for lo in lows for s in said)
    return all(any(_close(s, lo) for lo in lows) for s in said)


GROUP = re.compile(
    r"\b(?:for (?:a |the |your )?(?:family|couple|household|group)|for (?:the )?(?:both|all)|"
    r"for (?:the )?(?:two|three|four|five|six|\d+) of (?:you|them|us)|per (?:line|person|"
    r"head|user|member|traveller|adult|child)|(?:a|each) (?:line|head|person|user|member)|"
    r"(?:two|three|four|five|six|\d+) (?:lines|people|persons|users|members|travellers|adults|"
    r"children|phones))\b",
    re.I,
)


def _zh_bound(f: Fact) -> str | None:
    """A Chinese fact's bound from its own words (最高保额: up to; 满, 门槛: at least)."""
    if not any(HAN.search(a) for a in f.about):
        return None
    from qa.statements.zh_claims import fact_bound

    return fact_bound(f.about)


def _for_a_group(c: Claim, f: Fact, camp: Campaign) -> bool:
    """ "$40 a line with two lines", "99 for a family": a price for a number of people or
    lines, where the fact (without tiers) may hold for one. A number the campaign itself
    counts ("four lines" on a four-line plan) is the fact's own case."""
    if f.value.tiers or not f.value.money or f.value.money.period == "once":
        return False  # a limit of cover or a one-off fee is not priced per head
    counts = {round(v) for g in camp.facts if g.value.count for v in _fact_values(g)}
    about = " ".join(f.about).lower()
    for m in GROUP.finditer(digits(c.sentence)):
        n = re.search(r"\d+", m.group(0))
        if n and int(n.group(0)) in counts:
            continue
        noun = m.group(0).lower().split()[-1].rstrip("s")
        if noun in about:
            continue  # "an extra line is $25": the price of a line is the fact itself
        return True
    return False


def _zh_scoped(c: Claim, f: Fact) -> bool:
    """Chinese: the figure is said for a part of the customers or the area ("外岛要满一千") that
    the fact's own words do not name (the zh pack's scope words, before the figure)."""
    if not HAN.search(c.sentence):
        return False
    from qa.statements.zh_claims import cues

    # Where this figure sits: the same figure said twice ("五百元，偏远地区满五百元") is two
    # figures, each judged by the words before it.
    q = c.quantity
    here = q.start if c.sentence[q.start : q.end] == q.text else c.sentence.find(q.text)
    before = c.sentence[: here if here >= 0 else len(c.sentence)]
    about = simplified(" ".join(f.about))
    return any(m.group(0) not in about for m in cues()["scope"].finditer(simplified(before)))


def _period_fits(c: Claim, f: Fact) -> float:
    q, v = c.quantity, f.value
    if not v.money:
        return 0.0
    if q.period == v.money.period:
        return 0.5
    if q.period is None:
        return 0.0
    return -0.3


KIND_WORDS = {"money": "an amount", "percent": "a percentage", "duration": "a length of time",
              "date": "a date", "count": "a number", "rate": "a unit rate"}  # fmt: skip
KIND_NOUNS = {"count": "count", "rate": "rate", "date": "date"}
PER = {"once": "one-off", "day": "a day", "week": "a week", "month": "a month", "year": "a year"}
PERIOD_ADJECTIVES = {"day": "daily", "week": "weekly", "month": "monthly", "year": "yearly"}


def choose_fact(c: Claim, camp: Campaign, product: str | None) -> tuple[Fact | None, str, float]:
    """The fact a claim speaks of, why, and how sure: kind and unit first, then the product
    scope, then the clause's words, then the period; equal candidates are not guessed."""
    cands = [f for f in camp.facts if _compatible(c, f)]
    if product:
        scoped = [f for f in cands if not f.products or product in f.products]
        cands = scoped
    if not cands:
        return None, "no fact of this kind", 0.0
    scored = []
    for f in cands:
        about = _about_score(f, c)
        if about < 0:
            continue
        scored.append((about + _period_fits(c, f) + (0.3 if _same(c, f) else 0.0), about, f))
    if not scored:
        return None, "every candidate fact excluded by its not_about words", 0.0
    scored.sort(key=lambda x: -x[0])
    best, about, f = scored[0]
    if len(scored) > 1 and scored[1][0] >= best - 0.05:
        # Tie: a value right for either fact is consistent; a wrong one is not attributable.
        return None, "ambiguous between " + ", ".join(x[2].id for x in scored[:3]), 0.0
    why = [KIND_WORDS.get(c.quantity.kind, c.quantity.kind)]
    if about >= 2.0:
        why.append("its own clause names " + f.id)
        conf = 0.9
    elif about > 0:
        why.append("the sentence names " + f.id)
        conf = 0.75
    else:
        # No word of the sentence speaks of the fact: too weak to flag on, held for review,
        # unless the period singles it out ("a month" and one monthly price).
        same_period = [
            x[2]
            for x in scored
            if x[2].value.money and x[2].value.money.period == c.quantity.period
        ]
        same_amount = [
            x[2]
            for x in scored
            if x[2].value.money and abs(x[2].value.money.amount - c.quantity.value) < 0.005
        ]
        if c.quantity.period and len(same_amount) == 1 and not same_period:
            # "$35 a year" for a $35-a-month price: the amount names the fact, the period is off.
            f = same_amount[0]
            why.append(f"the same amount as {f.id}")
            conf = 0.8
        elif c.quantity.period and same_period == [f] and c.quantity.period != "once":
            why.append(f"the only {PERIOD_ADJECTIVES.get(c.quantity.period, c.quantity.period)}"
                       " amount")  # fmt: skip
            conf = 0.7
        elif c.quantity.kind in ("count", "rate", "date") and len(scored) == 1:
            unit = c.quantity.unit if c.quantity.kind != "date" else None
            why.append(f"the only {KIND_NOUNS[c.quantity.kind]}" + (f" in {unit}" if unit else ""))
            conf = 0.7
        else:
            why.append("the only fact of that kind" if len(scored) == 1 else "the nearest period")
            conf = 0.45
    if f.value.money and c.quantity.period:
        said, fact = (PER.get(p, f"per {p}") for p in (c.quantity.period, f.value.money.period))
        why.append(f"both {said}" if said == fact else f"said {said}, the fact {fact}")
    return f, "; ".join(why), conf


# --- sentences ----------------------------------------------------------------------------


def _semantic_max(vectors: dict[str, np.ndarray], sentence: str, phrases: list[str]) -> float:
    if sentence not in vectors:
        return 0.0
    v = vectors[sentence]
    return max((float(vectors[p] @ v) for p in phrases if p in vectors), default=0.0)


CLAUSE_BREAK = re.compile(r"[,;:，；：。]|\s(?:and|but|so|because)\s|\s-\s", re.I)


def clauses(sentence: str) -> list[str]:
    """A sentence cut at commas and conjunctions: a negation in one clause ("it'll never go up")
    says nothing of another ("your price is locked for life")."""
    parts = [p.strip() for p in CLAUSE_BREAK.split(sentence) if p and p.strip()]
    return parts or [sentence]


def _lexical_hit(sentence: str, phrase: str) -> bool:
    """A phrase in one clause of the sentence, with its numbers and its negation agreeing."""
    if fuzzy_score(phrase, sentence) < 0.88:
        return False
    parts = clauses(sentence)
    return any(_clause_hit(c, phrase) for c in parts) or (
        len(parts) > 1 and not HAN.search(sentence) and _clause_hit(sentence, phrase)
    )


def _clause_hit(sentence: str, phrase: str) -> bool:
    if fuzzy_score(phrase, sentence) < 0.88:
        return False
    _, pq = extract(phrase)
    _, sq = extract(sentence)
    if pq and not any(abs(p.value - s.value) < 0.01 for p in pq for s in sq):
        return False
    if _contrary(phrase, sentence):
        return False
    return _negations(phrase) == _negations(sentence)


def _contrary(phrase: str, sentence: str) -> bool:
    """ "free" against "costs extra": the same topic said the other way round."""
    priced = re.search(r"\b(?:costs?|extra|charged?|pay|fee|paid)\b", sentence, re.I)
    return bool(
        re.search(r"\bfree\b", phrase, re.I)
        and priced
        and not re.search(r"\bfree\b", sentence, re.I)
    )


def _cue(rx: re.Pattern[str], name: str, text: str) -> bool:
    """An English cue pattern; for Chinese text the list `name` of the zh statements pack."""
    if HAN.search(text):
        from qa.statements.zh_claims import zh_cue

        return zh_cue(name, text)
    return bool(rx.search(text))


def _negations(text: str) -> bool:
    if HAN.search(text):
        return _cue(NEGATION, "negation_words", text)
    return bool(NEGATION.search(text)) or bool(
        re.search(r"\bno\b|\bnever\b|\bwithout\b", text, re.I)
    )


def _zh_same_denial(phrase: str, text: str) -> bool:
    """Chinese: a phrase that denies something ("不用健康告知") said with the thing first and
    its denial after it ("健康告知也不用填"), or with other words between ("没有什么等待期"):
    the thing, and a negation of the zh pack's negation_lead list right before it or (after a
    particle or two) right after it, in one clause; not as something past or corrected."""
    from qa.statements.zh_claims import cues, zh_cue

    c = cues()
    p = simplified(phrase)
    lead = c["negation_lead"].match(p)
    core = p[lead.end() :] if lead else ""
    if len(core) < 2 or not HAN.search(core):
        return False
    if zh_cue("offer_past", text) or zh_cue("correction_before", text):
        return False
    for part in clauses(simplified(text)):
        for m in re.finditer(re.escape(core), part):
            before, after = part[max(0, m.start() - 4) : m.start()], part[m.end() :]
            if re.search(f"(?:{c['negation_lead'].pattern}).{{0,2}}$", before) or re.match(
                f"[也都是就还可以完全根本]{{0,3}}(?:{c['negation_lead'].pattern})", after
            ):
                return True
    return False


def _retired_hit(
    s: Sentence, claim: RetiredClaim, vectors: dict[str, np.ndarray]
) -> tuple[bool, float]:
    if PAST.search(s.text) or re.search(
        r"\b(?:you (?:said|mentioned|heard|saw|read)|we (?:don'?t|no longer) (?:say|offer|"
        r"promise|do)|not any more|isn'?t (?:true|the case)|that'?s not (?:right|true))\b",
        s.text,
        re.I,
    ):
        return False, 0.0
    if HAN.search(s.text) and _cue(PAST, "offer_past", s.text):
        return False, 0.0  # "以前的套餐不用签合约": what used to be, not a claim made now
    if claim.about and not any(
        f" {normalise(w)} " in f" {normalise(s.text)} " for w in claim.about
    ):
        return False, 0.0
    if any(_lexical_hit(s.text, p) for p in claim.phrases):
        return True, 0.95
    if HAN.search(s.text) and any(_zh_same_denial(p, s.text) for p in claim.phrases):
        return True, 0.8
    # The same promise in other words: every concept of a phrase said the same way round, in
    # the sentence or one of its clauses (qa.statements.concepts).
    for part in dict.fromkeys([s.text, *clauses(s.text)]):
        if any(same_promise(p, part) for p in claim.phrases):
            return True, 0.8
    best = 0.0
    for part in clauses(s.text):
        for p in claim.phrases:
            sim = _semantic_max(vectors, part, [p])
            best = max(best, sim)
            if sim < CLAIM_SEMANTIC:
                continue
            # A paraphrase says it the same way round as the phrase, in its own clause.
            if _negations(p) != _negations(part) or _contrary(p, part):
                continue
            if not content_words(p) & content_words(part):
                continue
            return True, min(0.9, 0.6 + (sim - CLAIM_SEMANTIC) * 3)
    return False, best


ACTS = ("present_offer", "deny_offer")  # dialogue acts read from each agent sentence
Acts = dict[str, dict[str, float]]


def read_acts(matcher: Matcher | None, texts: list[str]) -> Acts:
    """What each agent sentence does (qa.acts): presents an offer, denies one. Empty without
    a model (lexical checks): the cue rules decide then."""
    # Chinese sentences are read by the zh pack's cue words: the act examples are English.
    unique = list(dict.fromkeys(t for t in texts if t.strip() and not HAN.search(t)))
    if matcher is None or not unique:
        return {}
    from qa.acts import classify

    probs = classify(unique, list(ACTS), embedder=matcher.embedder)
    return dict(zip(unique, probs, strict=True))


def presents_offer(s: Sentence, claims: list[Claim], acts: Acts | None = None) -> bool:
    """The agent presents an offer as something to take now: offer terms stated as the
    agent's own current claims, or a proposal to sign up, switch or quote. With a model the
    meaning of the sentence decides (the present_offer act); without one, cue words."""
    text = s.text
    if _cue(PAST, "offer_past", text) and not re.search(r"\bstill\b", text, re.I):
        return False
    if _cue(FUTURE_OFFER, "offer_future", text) and not re.search(
        r"\b(?:today|now|right away)\b", text, re.I
    ):
        return False
    p = (acts or {}).get(text)
    if p is not None:
        if _denies(text, acts):
            return False
        if PROPOSAL.search(text):
            return p["present_offer"] >= PROPOSAL_BAR
        return p["present_offer"] >= PITCH_BAR
    if _cue(DENIAL_CUES, "denial", text):
        return False
    own = [c for c in claims if c.checkable and c.attribution == "own" and c.tense == "current"]
    if _cue(SERVICE_CUES, "service", text) and not _cue(OFFER_CUES, "offer", text):
        return False
    return bool(own) or _cue(OFFER_CUES, "offer", text)


@dataclass
class Conversation:
    """Which product each agent sentence speaks of, named or resolved from what came before."""

    sentences: list[Sentence]
    topics: list[tuple[list[Campaign], str]]


def resolve_topics(
    all_sentences: list[Sentence], campaigns: list[Campaign], day: dt.date, channel: str
) -> list[tuple[list[Campaign], str]]:
    out: list[tuple[list[Campaign], str]] = []
    last: list[Campaign] = []
    last_turn = -99
    for s in all_sentences:
        named = named_campaigns(s.text, campaigns)
        if named:
            last, last_turn = named, s.turn
            out.append((named, "named"))
        elif HAN.search(s.text) and _zh_other_product(s.text, campaigns):
            last = []  # "我们的e享医疗险……": another product is "it" from here on
            out.append(([], ""))
        elif _another_of_family(s.text, campaigns):
            out.append(([], ""))  # "Fibre Flex 1000" next to Fibre Flex 500: another product
        elif last and s.turn - last_turn <= CONTEXT_TURNS:
            out.append((last, "resolved from turn " + str(last_turn)))
        else:
            out.append(([], ""))
    return out


def check_sentence(
    s: Sentence,
    previous: str,
    topics: list[Campaign],
    topic_source: str,
    day: dt.date,
    channel: str,
    campaigns: list[Campaign],
    vectors: dict[str, np.ndarray] | None = None,
    review_bar: float = REVIEW_BAR,
    acts: Acts | None = None,
    held: frozenset[str] = frozenset(),
) -> SentenceCheck:
    """Check one agent sentence about the campaigns it speaks of. `held`: campaigns whose
    product the customer already holds (their dates are their own, not the offer's)."""
    vectors = vectors or {}
    out = SentenceCheck(topics=[c.id for c in topics], topic_source=topic_source)
    known = tuple(n for c in campaigns for n in [*c.products, c.name])
    out.claims = extract_claims(s.text, previous, known)
    resolved = topic_source != "named"
    active = [c for c in topics if c.active_on(day, channel)]
    for camp in active:
        product = next(
            (p for p in sorted(camp.products, key=len, reverse=True) if _name_spans(s.text, [p])),
            None,
        )
        for claim in out.claims:
            # An add-on's price is checked only where the campaign states it as a fact the
            # clause names ("an extra line is $20 a month on top").
            addon = (
                claim.attribution == "add_on"
                and claim.polarity != "negated"
                and claim.tense in ("current", "future")
                and not re.search(r"\b(?:tax|taxes|vat|fees|surcharge)\b", claim.sentence, re.I)
            )
            if not (claim.checkable or addon):
                continue
            if camp.id in held and claim.quantity.kind == "date":
                continue  # "your policy starts on 8 May": the holder's date, not the offer's
            f, why, conf = choose_fact(claim, camp, product)
            if f is None or (addon and conf < 0.9):
                continue
            ok = _same(claim, f)
            if not ok and any(
                k == claim.quantity.kind
                and abs(v - claim.quantity.value) < 0.005
                and period == claim.quantity.period
                and _negations(phrase) == _negations(claim.clause)
                for k, v, period, phrase in _phrase_values(camp)
            ):
                continue  # a figure the campaign's own disclosure states
            exact = dataclasses.replace(
                claim, quantity=dataclasses.replace(claim.quantity, bound=None)
            )
            if not ok and any(
                _same(exact, g, exact=True)
                for g in camp.facts
                if g is not f and _compatible(claim, g)
            ):
                continue  # right for another fact of the campaign: not a contradiction
            if not ok and _for_a_group(claim, f, camp):
                conf *= GROUP_DOUBT
                why += "; a price for a group or per one of several: a tier the fact may not hold"
            elif not ok and _zh_scoped(claim, f):
                conf *= GROUP_DOUBT
                why += (
                    "; said for a part of the customers or the area: a scope the fact may not cover"
                )
            if resolved:
                conf *= 0.9
                why += f"; product {topic_source}"
            if claim.attribution == "confirmed":
                why += "; the agent confirmed the customer's figure"
            out.findings.append(
                Finding(camp.id, f.id, claim.quantity.text, f.value.describe(), ok, why, conf)
            )
            if not ok:
                out.flags.append(
                    _flag(
                        FlagKind.CONTRADICTION,
                        camp.id,
                        f"{f.id}: {f.value.describe()} ({camp.name})",
                        contradiction_message(claim.quantity.text, camp, f, why),
                        [s.evidence()],
                        conf,
                        review_bar,
                    )
                )
    offered = presents_offer(s, out.claims, acts)
    if offered and resolved and acts:
        # A sentence that does not name the product pitches it only by stating its terms.
        offered = any(f.consistent for f in out.findings)
    if offered:
        out.presents = [c.id for c in topics]
        outside = [
            c
            for c in topics
            if not c.active_on(day, channel) and channel in c.channels and not resolved
        ]
        for c in outside:
            out.flags.append(
                _flag(
                    FlagKind.EXPIRED_OFFER,
                    c.id,
                    f"valid {c.valid_from} to {c.valid_to}",
                    f"presented {c.name} as available now; it {_window_word(c, day)}",
                    [s.evidence()],
                    0.85,
                    review_bar,
                )
            )
    for c in campaigns:
        if not c.active_on(day, channel):
            continue
        for rc in c.retired_claims:
            related = {c.id, rc.campaign, *c.supersedes}
            if topics and not any(x.id in related for x in topics):
                continue  # a claim about another product is not this campaign's claim
            hit, conf = _retired_hit(s, rc, vectors)
            if hit:
                source = f" from {rc.campaign}" if rc.campaign else ""
                out.flags.append(
                    _flag(
                        FlagKind.RETIRED_CLAIM,
                        c.id,
                        f"retired claim {rc.id}{source}",
                        f"made a claim that {c.name} retired: {rc.phrases[0]!r}",
                        [s.evidence()],
                        conf,
                        review_bar,
                    )
                )
    return out


def _day(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def contradiction_message(said: str, camp: Campaign, f: Fact, why: str) -> str:
    """What a coach reads: what was said, what the campaign says and since when, and why that
    fact was the one compared."""
    return (
        f"Said {said!r}, but {camp.name} has {f.id.replace('_', ' ')} at {f.value.describe()}"
        f" since {_day(camp.valid_from)} (compared with {f.id} because: {why})."
    )


def _window_word(c: Campaign, day: dt.date) -> str:
    return (
        "ended on " + c.valid_to.isoformat()
        if day > c.valid_to
        else "starts on " + c.valid_from.isoformat()
    )


def _sentences(item: Interaction) -> list[Sentence]:
    return [
        Sentence(i, t.role, t.start, t.end, sent)
        for i, t in enumerate(item.turns)
        for sent in sentences(t.text)
    ]


def interaction_day(item: Interaction, site_tz: str | None = None) -> dt.date | None:
    """The contact's local date: campaign windows are judged on it (see qa.timeutil)."""
    return local_date(item.started_at, site_tz)


# Campaign phrases, embedded once per process and per model: the same phrase has other
# vectors under another embedder, so each model keeps its own table.
# An embedder without a model name (a stand-in) keeps a table for as long as it lives.
_phrase_vectors: dict[str, dict[str, np.ndarray]] = {}
_unnamed_vectors: weakref.WeakKeyDictionary[Any, dict[str, np.ndarray]] = (
    weakref.WeakKeyDictionary()
)


def _phrase_table(embedder: Any) -> dict[str, np.ndarray]:
    name = getattr(embedder, "model_name", None)
    if isinstance(name, str):
        return _phrase_vectors.setdefault(name, {})
    return _unnamed_vectors.setdefault(embedder, {})


def _embed(
    matcher: Matcher | None,
    texts: list[str],
    phrases: list[str] = (),  # type: ignore[assignment]
) -> dict[str, np.ndarray]:
    if matcher is None or not (texts or phrases):
        return {}
    embedder = matcher.embedder
    known = _phrase_table(embedder)
    new = [p for p in dict.fromkeys(phrases) if p not in known]
    unique = list(dict.fromkeys(t for t in texts if t not in known))
    batch = unique + [p for p in new if p not in unique]
    vecs = embedder.embed(batch) if batch else []
    out = {t: np.asarray(v) for t, v in zip(batch, vecs, strict=True)}
    known.update({p: out[p] for p in new})
    out.update({t: known[t] for t in [*texts, *phrases] if t in known and t not in out})
    return out


def check_interaction(
    item: Interaction,
    campaigns: list[Campaign],
    matcher: Matcher | None = None,
    site_tz: str | None = None,
    review_bar: float = REVIEW_BAR,
) -> list[Flag]:
    day = interaction_day(item, site_tz)
    if day is None or not item.turns:
        return []
    all_sentences = _sentences(item)
    topics = resolve_topics(all_sentences, campaigns, day, item.channel)
    active = [c for c in campaigns if c.active_on(day, item.channel)]
    agent_texts = [s.text for s in all_sentences if s.role == "agent"]
    phrases = [
        p
        for c in active
        for group in (c.retired_claims, c.disclosures, c.key_points)
        for ps in group
        for p in ps.phrases
    ]
    answers = answered(all_sentences)
    given_texts = [*agent_texts, *(a.text for a in answers)]
    parts = [c for t in given_texts for c in clauses(t)]
    # Sentence similarity is calibrated on English: Chinese is matched by words and
    # character pairs (the lexical checks), whatever the model.
    vectors = _embed(
        matcher,
        [t for t in [*given_texts, *parts] if not HAN.search(t)],
        [p for p in phrases if not HAN.search(p)],
    )
    acts = read_acts(matcher, agent_texts)
    flags: list[Flag] = []
    pitched: dict[str, Sentence] = {}
    denials = _denied(all_sentences, topics, active, review_bar, acts)
    # The rest of a turn that denies an offer ("we have no such offer; joining is $X") goes
    # with the denial: it does not pitch that offer.
    denied_ids = {f.campaign for f in denials}
    denied_at: dict[str, int] = {}
    for f in denials:
        for e in f.evidence:
            if e.role == "agent" and f.campaign and e.turn is not None:
                denied_at[f.campaign] = min(e.turn, denied_at.get(f.campaign, e.turn))
    denying = {(e.turn, f.campaign) for f in denials for e in f.evidence if e.role == "agent"}
    denying |= {
        (x.turn, c.id)
        for x, (topic, _) in zip(all_sentences, topics, strict=True)
        if x.role == "agent" and _cue(DENIAL_CUES, "denial", x.text)
        for c in topic
        if c.id in denied_ids
    }
    for i, s in enumerate(all_sentences):
        if s.role != "agent":
            continue
        previous = next(
            (t.text for t in reversed(item.turns[: s.turn]) if t.role == "customer"), ""
        )
        topic, source = topics[i]
        zh = bool(HAN.search(s.text))
        # Chinese: a service contact is one about a product the customer holds, campaign by
        # campaign (a pitch of another product in a service contact is still a pitch).
        held = _zh_held(all_sentences, topics, s.turn) if zh else set()
        service = bool(held & {c.id for c in topic}) if zh else _service(item, s)
        # In a contact about what the customer already holds, "exactly" agrees with what the
        # customer says of their own account; it does not restate an offer's terms.
        result = check_sentence(
            s,
            "" if service else previous,
            topic,
            source,
            day,
            item.channel,
            campaigns,
            vectors,
            review_bar,
            acts,
            frozenset(held),
        )
        # In a contact about what the customer already holds, a sentence about "your" plan,
        # rate or line states the terms of that contract: not an offer made now.
        if zh:
            yours = bool(_zh_you.search(s.text))
            flags += [
                f
                for f in result.flags
                if not (
                    f.kind == FlagKind.EXPIRED_OFFER
                    and (
                        (f.campaign in held and yours) or _held_named(s.text, f.campaign, campaigns)
                    )
                )
            ]
        else:
            own_terms = service and bool(re.search(r"\byour\b", s.text, re.I))
            flags += [
                f for f in result.flags if not (own_terms and f.kind == FlagKind.EXPIRED_OFFER)
            ]
        for cid in result.presents:
            camp = next(c for c in campaigns if c.id == cid)
            if (s.turn, cid) in denying or not_a_pitch(camp, s.text):
                continue
            if s.turn > denied_at.get(cid, s.turn) and not any(
                f.consistent for f in result.findings if f.campaign == cid
            ):
                continue  # after saying the offer does not apply, "a standard quote" is no pitch
            if camp.active_on(day, item.channel) and not (cid in held if zh else service):
                pitched.setdefault(camp.id, s)
    flags += denials
    flags += _pitch_obligations([*all_sentences, *answers], active, pitched, vectors, review_bar)
    # Sentences people ruled on (the campaigns' `examples:`) raise nothing.
    return _dedupe(without_ruled_out(flags, campaigns))


_ELLIPSIS = r"(?=\s*(?:[,.!;:]|$|(?:yes|yeah|no|indeed|sadly|afraid)\b))"
YES = re.compile(
    r"^\s*(?:(?:yes|yeah|yep|yup|sure|correct|absolutely|indeed|of course|definitely|"
    r"that'?s (?:right|correct|it))\b(?!\s+(?:not|n't))|(?:there (?:is|are|will be)|"
    rf"you (?:do|will|would|can)|it (?:does|is|will|has)|we (?:do|will|can|have)){_ELLIPSIS})",
    re.I,
)
NO = re.compile(
    r"^\s*(?:(?:no|nope|none|not at all|never)\b(?!\s+(?:problem|worries|bother)\b)|"
    r"(?:nothing|zero|there (?:isn'?t|aren'?t|is none|are none)|it (?:doesn'?t|isn'?t|won'?t)|"
    rf"you (?:don'?t|won'?t)){_ELLIPSIS})",
    re.I,
)
ASKING = re.compile(
    r"^(?:(?:and|so|ok|okay|also|but|right|hi|hello|oh|great|thanks)[\s,]+)*"
    r"(?:(?:is|are|will|would) there(?: be)?(?: any)?|do (?:i|we|you)(?: need| have| get)?|"
    r"does (?:it|that|the \w+)(?: have| come with| include| need)?|any|is it|are they)\s+",
    re.I,
)


def answered(all_sentences: list[Sentence]) -> list[Sentence]:
    """What an agent's short answer says: "Is there a credit check?" "There is." says there is
    a credit check; "Any cap on data?" "None." says there is no cap on data. One sentence per
    answer, in the agent's turn, for disclosures and key points given in answer to a question."""
    out = []
    for i, s in enumerate(all_sentences):
        if s.role != "agent" or (i and all_sentences[i - 1].turn == s.turn):
            continue  # only the first sentence of an agent turn answers
        asked = [x for x in all_sentences[:i] if x.role == "customer" and x.turn == s.turn - 1]
        question = next((x.text for x in reversed(asked) if x.text.rstrip().endswith("?")), "")
        if not question:
            continue
        q = re.sub(r"[,\s]*(?:is that (?:right|correct|true)|right|correct|yes)?\s*\?+\s*$", "",
                   question, flags=re.I)  # fmt: skip
        if YES.match(s.text):
            text = q
        elif NO.match(s.text):
            rest = ASKING.sub("", q)
            text = "no " + re.sub(r"^(?:a|an|the|any)\s+", "", rest, flags=re.I)
        else:
            continue
        out.append(dataclasses.replace(s, role="answer", text=text))
    return out


SERVICE_ASKED = re.compile(
    r"\b(?:(?:my|our) (?:[\w-]+ ){0,3}(?:bill|account|claim|policy|plan|contract|renewal|"
    r"meter|usage|direct debit|payment|line|lines|data|broadband|tariff)|"
    r"(?:i'm|i am|we're|we are) (?:already )?on|(?:i|we) already have|"
    r"i have (?:a|the|your)|renew)\b",
    re.I,
)
BUYING_ASKED = re.compile(
    r"\b(?:switch|sign up|join|new (?:plan|deal|offer)|upgrade|interested in|looking for)\b", re.I
)


_zh_you = re.compile("[您你妳]")


def _zh_held(
    all_sentences: list[Sentence], topics: list[tuple[list[Campaign], str]], turn: int
) -> set[str]:
    """Chinese: the campaigns whose product the customer already holds, by what the customer
    said up to this turn: a sentence about their own policy, membership, bill or renewal
    (the zh pack's customer_service words) speaks of its topic's campaigns, unless the
    customer asks to buy it."""
    held: set[str] = set()
    buying: set[str] = set()
    for x, (topic, _) in zip(all_sentences, topics, strict=True):
        if x.turn > turn:
            break
        if x.role != "customer" or not topic:
            continue
        if _cue(SERVICE_ASKED, "customer_service", x.text):
            held |= {c.id for c in topic}
        if _cue(BUYING_ASKED, "customer_buying", x.text):
            buying |= {c.id for c in topic}
    return held - buying


def _held_named(text: str, campaign_id: str | None, campaigns: list[Campaign]) -> bool:
    """Chinese: the sentence names the campaign's product only as the customer's own ("您的黑卡
    九月到期"): it speaks of what they hold, not of an offer."""
    from qa.statements.zh_claims import cues

    camp = next((c for c in campaigns if c.id == campaign_id), None)
    if camp is None:
        return False
    t = simplified(text)
    spans = {
        m.span()
        for n in {simplified(x) for x in [*camp.products, camp.name]}
        if n
        for m in re.finditer(re.escape(n), t)
    }
    # A name inside a longer one ("千兆宽带" in "您的星河千兆宽带") is that name, said once.
    starts = [
        a for a, b in spans if not any(x <= a and b <= y and (x, y) != (a, b) for x, y in spans)
    ]
    holder = re.compile(f"(?:{cues()['holder'].pattern})$")
    return bool(starts) and all(holder.search(t[max(0, a - 5) : a]) for a in starts)


def _service(item: Interaction, s: Sentence) -> bool:
    """A contact about a product the customer already has: their plan, bill, claim."""
    before = " ".join(t.text for t in item.turns[: s.turn + 1] if t.role == "customer")
    return _cue(SERVICE_ASKED, "customer_service", before) and not _cue(
        BUYING_ASKED, "customer_buying", before
    )


def _denied(
    all_sentences: list[Sentence],
    topics: list[tuple[list[Campaign], str]],
    active: list[Campaign],
    review_bar: float,
    acts: Acts | None = None,
) -> list[Flag]:
    flags = []
    for i, s in enumerate(all_sentences):
        if s.role != "customer":
            continue
        cited = [c for c in topics[i][0] if c in active]
        if not cited or not (
            topics[i][1] == "named"
            or _cue(CUSTOMER_MENTIONS_OFFER, "customer_mentions_offer", s.text)
        ):
            continue
        reply_turn = next(
            (x.turn for x in all_sentences if x.turn > s.turn and x.role == "agent"), None
        )
        if reply_turn is None:
            continue
        reply = [x for x in all_sentences if x.turn == reply_turn]
        for c in cited:
            denial, conf = _denial_in(reply, c, acts)
            if (
                denial is not None
                and not _cue(DENIAL_CUES, "denial", denial.text)
                and not _false_condition(denial.text, c)
                and _affirms(reply, c, active)
            ):
                continue  # a denial read from the act alone, in a reply that explains the offer
            if denial is not None:
                flags.append(
                    _flag(
                        FlagKind.DENIED_OFFER,
                        c.id,
                        f"{c.name} valid {c.valid_from} to {c.valid_to}",
                        f"the customer cited {c.name}, an active offer, and the agent said it"
                        " does not exist or does not apply",
                        [s.evidence(), denial.evidence()],
                        conf,
                        review_bar,
                    )
                )
    return flags


# "It's only available until the end of June", "the deal runs till Friday": the offer is on,
# until a day. A deadline said of the present is no denial.
DEADLINE = re.compile(
    r"\b(?:available|on|running|runs|valid|open|live|there|around|going)\s+(?:right\s+)?"
    r"(?:until|till|til|through|up to|up until)\b|\b(?:ends|finishes|closes|expires|stops)\s+"
    r"(?:on|at|in|after|this|next|at the end)\b",
    re.I,
)


def _denies(text: str, acts: Acts | None) -> bool:
    """A denial by its meaning (the deny_offer act): a sure reading alone, a likely one with a
    denying phrase; without a model, the phrase alone. A deadline said of the present ("only
    available until October") without a denying phrase tells the customer the offer is on."""
    cue = _cue(DENIAL_CUES, "denial", text)
    p = (acts or {}).get(text)
    if p is None:
        return cue
    if not cue and _deadline(text):
        return False
    return p["deny_offer"] >= DENIAL_SURE or (cue and p["deny_offer"] >= DENIAL_BAR)


def _deadline(text: str) -> bool:
    """The sentence gives the day the offer ends, as something still to come: no negation and
    no past tense in it ("it was only on until March" says it has ended)."""
    return bool(
        DEADLINE.search(text)
        and not NEGATION.search(text)
        and not PAST.search(text)
        and not HAN.search(text)
    )


def _affirms(reply: list[Sentence], c: Campaign, campaigns: list[Campaign]) -> bool:
    """The reply states one of the offer's own terms rightly ("it's 9 cent a unit overnight"):
    the agent who explains the offer to the customer does not deny it in the same breath."""
    known = tuple(n for x in campaigns for n in [*x.products, x.name])
    for x in reply:
        for claim in extract_claims(x.text, "", known):
            if not claim.checkable:
                continue
            f, _, conf = choose_fact(claim, c, None)
            if f is not None and conf >= REVIEW_BAR and _same(claim, f):
                return True
    return False


def _denial_in(
    reply: list[Sentence], c: Campaign, acts: Acts | None = None
) -> tuple[Sentence | None, float]:
    for x in reply:
        said = f" {normalise(x.text)} "
        if c.eligibility and any(
            fuzzy_score(w, x.text) >= 0.85 or f" {normalise(w)} " in said
            for w in c.eligibility.not_for
        ):
            continue  # a legitimate exclusion, said either way round ("we don't do it for ...")
        if not _denies(x.text, acts):
            # "Sorry, it's only for houses built after 1990": an exclusion by a condition.
            if REGRET.search(x.text) and _false_condition(x.text, c):
                return x, 0.7
            continue
        group = next((g for g, rx in EXCLUSION_GROUPS.items() if rx.search(x.text)), None)
        if group in ("members", "online") or group is None:
            # "only if you buy on the website", "only for panels fitted this year": a
            # condition the offer's eligibility does not set is a false exclusion.
            if _false_condition(x.text, c):
                return x, 0.7
            if group is not None:
                continue
        if group is not None:
            # "only for new customers": a denial only when the offer is open to the others.
            open_to = " ".join(c.eligibility.open_to) if c.eligibility else ""
            text = open_to or next((f.value.text or "" for f in c.facts if f.value.text), "")
            others = {"new": "existing", "existing": "new"}.get(group)
            if (
                others
                and EXCLUSION_GROUPS[others].search(text)
                and not re.search(rf"\bnot\s+(?:for\s+)?{others}", text, re.I)
            ):
                return x, 0.8
            continue
        if _cue(CUSTOMER_CONDITION, "customer_condition", x.text):
            continue  # an exclusion by a condition of the customer: judged by eligibility only
        return x, 0.85
    return None, 0.0


CUSTOMER_CONDITION = re.compile(
    r"\b(?:address|area|postcode|zip|network|meter|age|aged|listed|solar|panels|battery|ported|"
    r"port|lines?|gas)\b",
    re.I,
)
REGRET = re.compile(
    r"\b(?:sorry|unfortunately|afraid|wouldn'?t|won'?t|doesn'?t|can'?t|cannot|isn'?t|not)\b", re.I
)
ONLY_IF = re.compile(
    r"\bonly (?:(?:applies|available|open|valid|works|counts)\s+)?(?:for|to|if|when|on|through|"
    r"with|via|where)\b([^,.;:!?]*)",
    re.I,
)
CONDITION_STOP = {
    "buy", "take", "get", "people", "those", "who", "which", "one", "ones", "through", "yourself",
    "customers", "customer", "apply", "applies", "available", "them", "they", "their", "homes",
    "home", "house", "households", "accounts", "account", "you're", "youre", "have", "having",
    "both", "when",
}  # fmt: skip


def _stems(text: str) -> set[str]:
    from qa.statements.concepts import STOP

    words = re.findall(r"[a-z][a-z'-]+", digits(text).lower())
    return {w[:5] for w in words if w not in STOP and w not in CONDITION_STOP and len(w) > 2}


def _false_condition(text: str, c: Campaign) -> bool:
    """The reply limits the offer by a condition ("only for X") most of whose words the
    campaign's eligibility, names and facts never set, or say it is open whatever they are
    ("panels of any age")."""
    m = ONLY_IF.search(text)
    if not m:
        return False
    said = _stems(m.group(1)) - _stems(" ".join([c.name, *c.products]))
    if not said:
        return False
    # What the campaign says of itself: eligibility, and the words its facts are known by (a
    # dual-fuel discount "only when you take gas too" states the fact's own condition).
    texts = [f.value.text or "" for f in c.facts if f.value.text]
    if not texts and not (c.eligibility and (c.eligibility.open_to or c.eligibility.not_for)):
        return False  # a campaign that says nothing of who may take it cannot be judged
    texts += [a for f in c.facts for a in f.about]
    unrestricted: set[str] = set()
    if c.eligibility:
        texts += [*c.eligibility.open_to, *c.eligibility.not_for]
        for item in c.eligibility.open_to:
            for any_of in re.findall(r"\b(?:any|every|all)\s+([\w\s-]+)", item, re.I):
                unrestricted |= _stems(any_of)
    allowed = _stems(" ".join(texts)) - unrestricted
    return len(said - allowed) * 2 > len(said)


def _restates_a_fact(part: str, item: PhraseSet, camp: Campaign | None) -> bool:
    """A clause whose figures are the campaign's facts and none of the item's own ("$50 a month
    with 40GB of hotspot") restates the offer; it does not give a disclosure by being near it."""
    if camp is None:
        return False
    _, said = extract(part)
    if not said:
        return False
    own = {round(q.value, 2) for p in item.phrases for q in extract(p)[1]}
    facts = {round(v, 2) for f in camp.facts for v in _fact_values(f)}
    values = {round(q.value, 2) for q in said}
    return not (values & own) and values <= facts


def _same_figure_and_word(phrase: str, text: str) -> bool:
    """A phrase with a figure ("10 million medical cover") said with the same figure and one of
    its words ("medical cover up to 10m")."""
    from qa.statements.concepts import STOP

    _, pq = extract(phrase)
    if not pq:
        return False
    _, sq = extract(text)
    if not all(any(p.kind == q.kind and _close(p.value, q.value) for q in sq) for p in pq):
        return False
    units = set(PERIOD_WORDS) | {"cent", "cents", "pounds", "dollars", "euro", "euros", "percent"}
    words = {w for w in re.findall(r"[a-z]{4,}", phrase.lower()) if w not in STOP | units}
    return bool(words & set(re.findall(r"[a-z]{4,}", text.lower())))


def _bigrams(text: str) -> set[str]:
    t = simplified(text)
    return {
        t[i : i + 2] for i in range(len(t) - 1) if HAN.fullmatch(t[i]) and HAN.fullmatch(t[i + 1])
    }


def _zh_denied_here(phrase: str, part: str) -> bool:
    """Chinese: the clause denies what the phrase says ("没有双频路由器" against "赠送双频路由器")."""
    from qa.statements.zh_claims import cues

    negation = cues()["negation"]
    return bool(negation.search(simplified(part))) and not negation.search(simplified(phrase))


def _zh_overlap(phrase: str, text: str) -> float:
    """The share of a Chinese phrase's character pairs that a text says (0-1)."""
    want = _bigrams(phrase)
    return len(want & _bigrams(text)) / len(want) if want else 0.0


def _common_terms(phrases: list[str]) -> list[str]:
    """The longest runs of two or more Han characters that every phrase says (Simplified)."""
    texts = [simplified(p) for p in phrases]
    if not texts:
        return []
    first, rest = texts[0], texts[1:]
    found: list[str] = []
    for n in range(len(first), 1, -1):
        for i in range(len(first) - n + 1):
            sub = first[i : i + n]
            if (
                all(HAN.fullmatch(ch) for ch in sub)
                and all(sub in t for t in rest)
                and not any(sub in f for f in found)
            ):
                found.append(sub)
    return found


def _zh_fact_words(item: PhraseSet, camp: Campaign | None) -> tuple[str, list[str]] | None:
    """The campaign fact a Chinese disclosure restates, if it restates one: every phrase says
    the fact's figure or one of its words. Returns the fact's kind and the words its phrases
    use for it (those every phrase shares, else any)."""
    from qa.statements.zh_quantities import extract_zh

    phrases = [simplified(p) for p in item.phrases if HAN.search(p)]
    if camp is None or not phrases:
        return None
    best: tuple[int, str, list[str]] | None = None
    for f in camp.facts:
        kind = _fact_kind(f)
        if kind not in ("money", "percent", "duration", "count"):
            continue
        # Words of two characters or more: "折" inside "折价券" is not a word about a discount.
        words = [simplified(w) for w in f.about if HAN.search(w) and len(w) > 1]
        values = {round(v, 2) for v in _fact_values(f)}

        def says(p: str, words: list[str] = words, values: set[float] = values) -> bool:
            _, qs = extract_zh(p)
            return any(w in p for w in words) or any(round(q.value, 2) in values for q in qs)

        if not all(says(p) for p in phrases):
            continue
        used = [w for w in words if any(w in p for p in phrases)]
        if not used:
            continue
        common = [w for w in used if all(w in p for p in phrases)]
        score = len(common)
        if best is None or score > best[0]:
            best = (score, kind, common or used)
    return (best[1], best[2]) if best else None


# What each Chinese disclosure's phrases are read as (`_zh_rules`), kept by what the reading
# reads: the phrases and the campaign's facts as they are now, so a campaign edited under the
# same id in a process that lives on (the review app, `qa serve`) is read afresh.
_ZH_RULES: dict[tuple[Any, ...], tuple[tuple[str, list[str]] | None, list[str]]] = {}


def _zh_rules(
    item: PhraseSet, camp: Campaign | None
) -> tuple[tuple[str, list[str]] | None, list[str]]:
    """A Chinese disclosure's rules: the campaign fact it restates, else the terms every
    phrase shares."""
    facts = tuple((tuple(f.about), f.value.model_dump_json()) for f in camp.facts) if camp else ()
    key = (facts, tuple(item.phrases))
    if key not in _ZH_RULES:
        linked = _zh_fact_words(item, camp)
        terms = [] if linked else _common_terms([p for p in item.phrases if HAN.search(p)])
        _ZH_RULES[key] = (linked, terms)
    return _ZH_RULES[key]


def _zh_given(
    text: str,
    item: PhraseSet,
    camp: Campaign | None,
    rules: tuple[tuple[str, list[str]] | None, list[str]] | None = None,
) -> bool:
    """A Chinese disclosure or key point said in other words. One that restates a campaign fact
    is given by a sentence that states a figure of the fact's kind with the words its phrases
    use for it ("有九十天等待期"; a wrong figure is still said, and is a contradiction); any
    other by a sentence that says every term its phrases share, not negated ("还有轻症"); an
    English phrase by its words in one clause of a Chinese sentence ("member 专属 coupon").
    `rules` are `_zh_rules(item, camp)`, read once by a caller that asks of many sentences."""
    from qa.statements.zh_claims import cues
    from qa.statements.zh_quantities import extract_zh

    t = simplified(text)
    linked, terms = rules if rules is not None else _zh_rules(item, camp)
    if linked is not None:
        kind, words = linked
        _, qs = extract_zh(text)
        if all(w in t for w in words) and any(q.kind == kind for q in qs):
            return True
    else:
        negation = cues()["negation"]
        if terms and all(
            any(
                not negation.search(t[max(0, m.start() - 3) : m.start()]) for m in re.finditer(w, t)
            )
            for w in terms
        ):
            return True
    for p in item.phrases:
        if HAN.search(p):
            continue
        want = re.findall(r"[a-z]+", p.lower())
        pattern = r"\b" + r"\b.{0,12}\b".join(map(re.escape, want)) + r"\b"
        if want and any(re.search(pattern, part.lower()) for part in clauses(text)):
            return True
    return False


def _given(
    agent: list[Sentence],
    item: PhraseSet,
    vectors: dict[str, np.ndarray],
    camp: Campaign | None = None,
) -> tuple[bool, float]:
    best = 0.0
    rules = None  # a Chinese disclosure's rules, read at its first Chinese sentence
    for s in agent:
        said = digits(s.text)
        if s.role == "answer":
            # What a short answer says (see answered()): the same way round as the item, and
            # closer than a sentence of the agent's own, since the customer's words are longer.
            same_way = [p for p in item.phrases if _negations(p) == _negations(s.text)]
            if any(fuzzy_score(digits(p), said) >= 0.85 for p in same_way):
                return True, 0.9
            sim = _semantic_max(vectors, s.text, same_way) - ANSWER_MARGIN
            best = max(best, sim)
            continue
        if any(fuzzy_score(digits(p), said) >= 0.85 for p in item.phrases):
            return True, 1.0
        if said_as_adopted(item, s.text):
            return True, 1.0  # a wording people accepted (the item's positive examples)
        if any(_same_figure_and_word(p, s.text) for p in item.phrases):
            return True, 0.95
        if HAN.search(s.text) and any(
            _zh_overlap(p, part) >= ZH_GIVEN and not _zh_denied_here(p, part)
            for p in item.phrases
            for part in dict.fromkeys([s.text, *clauses(s.text)])
        ):
            return True, 0.9  # most of a phrase's character pairs said in one clause
        if HAN.search(s.text):
            rules = rules or _zh_rules(item, camp)
            if _zh_given(s.text, item, camp, rules):
                return True, 0.85
        # A clause of a longer sentence counts on its own: "... $50 a month, and it needs
        # AutoPay" gives the AutoPay disclosure however much else the sentence says.
        for part in dict.fromkeys([s.text, *clauses(s.text)]):
            if not _restates_a_fact(part, item, camp):
                best = max(best, _semantic_max(vectors, part, item.phrases))
    if not vectors:
        return False, 0.0
    return best >= GIVEN_SEMANTIC, best


def _pitch_obligations(
    all_sentences: list[Sentence],
    active: list[Campaign],
    pitched: dict[str, Sentence],
    vectors: dict[str, np.ndarray],
    review_bar: float,
) -> list[Flag]:
    flags = []
    agent = [s for s in all_sentences if s.role in ("agent", "answer")]
    for c in active:
        pitch = pitched.get(c.id)
        if pitch is None:
            continue
        obligations = [
            (FlagKind.MISSING_DISCLOSURE, d, "disclosure", "the mandatory disclosure")
            for d in c.disclosures
        ] + [(FlagKind.MISSED_KEY_POINT, k, "key point", "its key point") for k in c.key_points]
        for kind, ob, label, wording in obligations:
            given, best = _given(agent, ob, vectors, c)
            if given:
                continue
            conf = 0.85 if best < GIVEN_UNSURE else 0.5
            flags.append(
                _flag(
                    kind,
                    c.id,
                    f"{label} {ob.id}: {ob.phrases[0]}",
                    f"pitched {c.name} but never said {wording} {ob.id!r}: {ob.phrases[0]!r}",
                    [pitch.evidence()],
                    conf,
                    review_bar,
                )
            )
    return flags


def _dedupe(flags: list[Flag]) -> list[Flag]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for f in flags:
        key = (f.kind, f.campaign, f.fact.split(":")[0] if f.fact else None)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def explain(
    sentence: str,
    day: dt.date,
    channel: str,
    campaigns: list[Campaign],
    context: str = "",
    matcher: Matcher | None = None,
) -> dict[str, Any]:
    """What `qa campaigns check` prints, through the same code as `qa score`: the claims with
    their polarity, tense and attribution, the fact chosen for each and why, the verdict."""
    turns = [Sentence(0, "customer", 0.0, 0.0, context)] if context else []
    s = Sentence(len(turns), "agent", 0.0, 0.0, sentence)
    topics = resolve_topics([*turns, s], campaigns, day, channel)
    topic, source = topics[-1]
    active = [c for c in campaigns if c.active_on(day, channel)]
    phrases = [p for c in active for rc in c.retired_claims for p in rc.phrases]
    vectors = _embed(matcher, [sentence, *clauses(sentence)], phrases)
    acts = read_acts(matcher, [sentence])
    result = check_sentence(
        s, context, topic, source, day, channel, campaigns, vectors, REVIEW_BAR, acts
    )
    flags = without_ruled_out(
        result.flags + _denied([*turns, s], topics, active, REVIEW_BAR, acts), campaigns
    )
    return {
        "sentence": sentence,
        "context": context,
        "date": day.isoformat(),
        "channel": channel,
        "active_campaigns": [c.id for c in active],
        "topics": result.topics,
        "topic_source": result.topic_source,
        "presents_offer": bool(result.presents),
        "claims": [c.as_dict() for c in result.claims],
        "comparisons": [f.__dict__ for f in result.findings],
        "flags": [
            {
                "kind": f.kind,
                "campaign": f.campaign,
                "fact": f.fact,
                "message": f.message,
                "confidence": f.confidence,
                "status": f.status,
            }
            for f in flags
        ],
    }
