"""What a clause promises, read as concepts rather than words: a charge waived, leaving at any
time, a price that never rises, a quote matched, the lowest price on the market, no slowdown,
no medical questions. Two sentences that share every concept of a promise make the same
promise in other words ("no exit fees" and "you can walk away whenever you like, it won't
cost you anything").

Each concept is a family of ordinary English ways to say it, written for this module; a
concept absorbs its own negation ("no charge", "never goes up"), so that a negation left
over outside every concept still turns a promise round ("installation isn't free").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from qa.statements.quantities import extract

_NEG = r"(?:don'?t|do not|won'?t|will not|doesn'?t|does not|never|can'?t|cannot|isn'?t|is not)"
CONCEPTS: dict[str, re.Pattern[str]] = {
    name: re.compile(rx, re.I)
    for name, rx in {
        "no_charge": (
            r"\b(?:free(?: of charge)?|no (?:\w+ ){0,2}(?:fees?|charges?|penalt(?:y|ies)|costs?|"
            r"excess)|(?:with|at|for) no (?:extra )?(?:charge|cost)|without (?:a |an |any )?"
            r"(?:\w+ )?(?:fee|charge|penalty|cost)|zero (?:\w+ )?(?:fees?|charges?|excess|cost)|"
            rf"{_NEG} (?:cost|charge) (?:you )?(?:a (?:thing|penny|cent)|anything|a fee)|"
            r"costs? (?:you )?nothing|nothing to pay|(?:fee|charge|excess) (?:is )?waived|"
            r"complimentary|on the house|at no (?:extra )?cost)\b"
        ),
        "leaving": (
            r"\b(?:leav(?:e|es|ing)|walk(?:ing)? away|exit|cancel(?:l?ing|l?ed|lation)?|quit|"
            r"get out of|end (?:the|your) (?:contract|plan|tariff)|break (?:the|your) contract)\b"
        ),
        "any_time": r"\b(?:any ?time|whenever you (?:like|want|choose)|at any (?:point|stage))\b",
        "forever": (
            r"\b(?:for life|lifetime|forever|for ever|for good|"
            r"(?:never|won'?t ever|will never|doesn'?t ever) (?:go(?:es)? up|rises?|increases?|"
            r"changes?)|(?:doesn'?t|won'?t|will not|does not) (?:ever )?(?:go up|rise|increase)|"
            r"as long as you (?:stay|remain|are) with us)\b"
        ),
        "price": r"\b(?:price|prices|rate|tariff|premium|bill)\b",
        "match": r"\b(?:match(?:es|ed|ing)?|beat(?:s|ing)?|undercut|price[- ]match\w*)\b",
        "quote": (
            r"\b(?:quotes?|quoted|(?:cheaper|lower|better) (?:price|deal|offer)|"
            r"(?:price|deal|offer) you (?:find|found|get|see))\b"
        ),
        "cheapest": (
            r"\b(?:cheapest|lowest (?:price|prices|rate|rates|tariff|cost)|"
            rf"(?:{_NEG}|couldn'?t) (?:find|get|see|beat) (?:a |an |any(?:thing)? )?"
            r"(?:lower|cheaper|better) (?:price|rate|tariff|deal)?|"
            r"(?:nobody|no one|nothing)(?: is|'s)? (?:cheaper|lower))\b"
        ),
        "market": (
            r"\b(?:on the market|in the (?:country|market|uk|us|land)|in (?:ireland|britain|"
            r"england|scotland|wales|america|europe|the state)|nationwide|anywhere|than anyone|"
            r"(?:any|every) other (?:supplier|provider|network|insurer|company|carrier)|"
            r"elsewhere)\b"
        ),
        "no_slowdown": (
            r"\b(?:no (?:slow ?downs?|slowing|throttl\w*|speed (?:cuts?|limits?|caps?|drops?)|"
            r"traffic management|deprioriti\w*)|never (?:slow\w*|throttl\w*|deprioriti\w*|"
            r"(?:cuts?|reduces?|drops?) (?:your |the )?speed)|"
            r"(?:won'?t|don'?t|doesn'?t|will not|do not|does not) (?:ever )?(?:slow|throttle|"
            r"deprioriti[sz]e|cut|reduce|drop)\w* (?:your |the )?(?:data|speed|connection)?|"
            r"without (?:any )?(?:slow\w*|throttl\w*)|full speed (?:all|every|whatever|however|"
            r"no matter))"
        ),
        "no_declaring": (
            r"\b(?:no (?:medical |health )?(?:questions|screening|declaration)|"
            rf"{_NEG} (?:need|have|ask|require)(?: you)?(?: to)? (?:tell|declare|disclose|answer|"
            r"mention|list)|no need to (?:tell|declare|disclose|mention)|without (?:any )?"
            r"(?:medical |health )?(?:questions|screening|declaring))\b"
        ),
        "medical": r"\b(?:medical|health|conditions?|pre-?existing|illness(?:es)?)\b",
        "no_contract": (
            r"\b(?:no (?:\w+ )?(?:contract|minimum term|tie-?in|commitment|lock-?in)|"
            r"(?:not|never|aren'?t|won'?t be) (?:tied|locked) in|without (?:a |any )?(?:contract|"
            r"commitment|minimum term)|contract-?free|month-to-month)\b"
        ),
        "no_credit_check": (
            r"\b(?:no credit (?:checks?|searche?s?)|without (?:a |any )?credit (?:check|search)|"
            rf"{_NEG} (?:run|do|need|carry out) (?:a |any )?credit (?:check|search))\b"
        ),
        "early_repayment": (
            r"\b(?:early repayment|repay(?:ing)? (?:it |the \w+ )?early|pay(?:ing)? (?:it |the \w+ )?"
            r"off early|overpay\w*|settle (?:it )?early)\b"
        ),
        "money_back": r"\b(?:money[- ]back|full refund|refund in full|your money back)\b",
        "delivery": r"\b(?:deliver(?:y|ed|ies)?|shipping|postage)\b",
        "installation": r"\b(?:install\w*|set[- ]?up|technician|engineer visit)\b",
        "charger": r"\b(?:chargers?|charge ?points?|charging points?|wallbox)\b",
    }.items()
}
NEGATION = re.compile(
    r"\b(?:not|no|never|isn'?t|aren'?t|doesn'?t|don'?t|won'?t|can'?t|cannot|without)\b|n't\b",
    re.I,
)
STOP = set(
    "a an the and or but so to of in on at for with by from your our my you we us it its it's "
    "that this is are be will would can could all any ever at truly just really also very "
    "there there's here as if have has get got do does".split()
)


@dataclass(frozen=True)
class Reading:
    concepts: frozenset[str]
    words: frozenset[str]  # content words outside every concept, cut to their first 5 letters
    negated: bool  # a negation outside every concept


@lru_cache(maxsize=8192)
def read(text: str) -> Reading:
    """The concepts a text says, the words left over and whether a negation is left over."""
    low = text.lower()
    found: set[str] = set()
    spans: list[tuple[int, int]] = []
    for name, rx in CONCEPTS.items():
        for m in rx.finditer(low):
            found.add(name)
            spans.append(m.span())
    _, qs = extract(text)
    if any(q.kind == "money" for q in qs):
        found.add("price")  # a figure is a price said
    if "forever" in found and any(q.kind == "duration" for q in qs):
        found.discard("forever")  # "won't go up for 18 months" is a fixed term, not for life
    rest = list(low)
    for a, b in spans:
        rest[a:b] = " " * (b - a)
    left = "".join(rest)
    words = frozenset(
        w[:5] for w in re.findall(r"[a-z][a-z'-]+", left) if w not in STOP and len(w) > 2
    )
    return Reading(frozenset(found), words, bool(NEGATION.search(left)))


def same_promise(phrase: str, text: str) -> bool:
    """Does `text` make the promise `phrase` makes: every concept of the phrase said, the
    same way round, and (for a promise of one concept) half its other words too."""
    p, t = read(phrase), read(text)
    if not p.concepts or not p.concepts <= t.concepts:
        return False
    if p.concepts == {"price"}:
        return False  # a price alone promises nothing
    if p.negated != t.negated:
        return False
    if len(p.concepts) >= 2:
        return True
    return len(p.words & t.words) >= len(p.words) // 2
