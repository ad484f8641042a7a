"""Two stories: two contacts of one journey that state different values for the same fact.

Facts are read from what agents say (customers are read only for what they quote an earlier
agent as saying): an amount of money attached to a fee, price, refund or credit, bill, debt
or discount (the quantity extraction of the campaign checks, so "£50", "fifty quid" and "fifty
pounds" are one value); a free/no-charge statement (a zero amount, the no-charge concept of
the campaign checks); a delivery, appointment, supply-start or go-live date (any way a date is
said); and an eligibility (open to / not available to). Two facts are the same fact when they
have the same kind and the same subject (the words that name which fee, which bill ...).

Precision comes first: a false "two stories" costs a coach's trust. So different facts that
only look alike are kept apart: a value marked as revised, estimated, before or after a
change, with or without a discount, or a per-month amount against a one-off; a decision (a
fee waived or removed) is not a statement of the fee; a date is compared only while the first
one is still ahead (a missed delivery followed by a new date is a new event), and never
against a rebooking. A customer's quote of an earlier agent that the earlier transcript
disproves is a misquote, not evidence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from qa.journeys.dates import find_dates
from qa.journeys.model import Contact, Journey, JourneyFlag, Turn
from qa.journeys.text import Sentence, is_thread, may_hold, sentences
from qa.statements.claims import clause_bounds
from qa.statements.concepts import CONCEPTS
from qa.statements.numbers import digits
from qa.statements.quantities import extract
from qa.vocabulary import Severity

MONEY_TOLERANCE = 0.005  # two amounts closer than this are the same value (0-1, currency units)
VERSION_CHARS = 40  # how far before an amount a word like "revised" or "estimated" counts (0-200)
CONTEXT_CHARS = 160  # how far back in the turn the subject of a bare amount may be named (0-500)

# Which fact an amount is about, by the nearest naming word.
_MONEY_FACTS = {
    "refund": r"refund\w*|credit|in credit|closing balance|compensation|goodwill|reimburse\w*",
    "fee": r"fees?|charges?|penalt(?:y|ies)|call-?out|surcharge",
    "price": r"price|costs?|tariff|plan|instalments?|direct debit|per month|a month|monthly",
    "bill": r"bills?|invoice",
    "debt": r"debt|in debit|arrears|owe|owing|outstanding|(?:left )?to pay",
    "discount": r"discount|off",
}
_MONEY_RES = {k: re.compile(rf"\b(?:{v})\b", re.I) for k, v in _MONEY_FACTS.items()}
# Words that say which one: an exit fee is not a move fee.
_SUBJECT = re.compile(
    r"\b(exit|cancellation|call-?out|move|moving|relocat\w*|late payment|"
    r"installation|connection|set-?up|delivery|reconnection|admin\w*|engineer|meter|"
    r"gas|electricity|broadband|fibre|router|hub|(?:[A-Z][a-z]+ )+\d+|"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|quarterly|annual|yearly)(?= (?:bill|statement|payment|invoice|price)))\b"
)
_SUBJECT_SAME = {"moving": "move", "relocation": "move", "relocate": "move", "callout": "call-out"}
# A value of a different moment or version: kept apart from the plain fact.
_VERSION = re.compile(
    r"\b(revised|corrected|correct(?:ed)? bill|new|updated|reduced|adjusted|rebill\w*|"
    r"estimat\w+|original\w*|before|after|used to|instead|previous\w*|old|leaves|leaving|"
    r"remaining|left|balance of|vat|including|inc|excluding|ex|plus|next|last|final|first|"
    r"latest|current|"
    r"discount\w*|without|with the|goes up|go up|going up|increase\w*|from \S+ to)\b",
    re.I,
)
# A decision about a fee, not a statement of it.
_DECISION = re.compile(
    r"\b(waiv\w+|remov\w+|refund(?:ed|ing)? (?:the|it|your)|goodwill|taken off|knock\w* off|"
    r"written off|cancel(?:led)? the (?:fee|charge)|for review|pass(?:ed|ing)? (?:it|this) on|"
    r"as a gesture)\b",
    re.I,
)
_HEDGE = re.compile(
    r"\b(unless|could|might|may|up to|around|about|roughly|approximately|usually|typically|"
    r"would be|depends|whether|per remaining|for each|each month|every month)\b",
    re.I,
)
# What someone else said, reported: not the speaker's own statement of the fact.
_REPORTED = re.compile(
    r"\b(you were told|were you told|you've been told|was told|told you|(?:he|she|they) said|"
    r"mentioned|you were given|quoted you)\b",
    re.I,
)
_IF_LEAD = re.compile(r"^\s*(?:if|when|once|unless)\b[^,]*,", re.I)
_DATE_FACTS = {
    "delivery_date": r"deliver\w*|courier|arriv\w+",
    "appointment_date": r"appointment|engineer|visit|install\w*|booked|booking|slot",
    "supply_date": r"supply|in your name|switch(?:es|ed)? over",
    "go_live_date": r"go(?:es|ing)? live|live on|activat\w+",
}
_DATE_RES = {k: re.compile(rf"\b(?:{v})", re.I) for k, v in _DATE_FACTS.items()}
_REBOOK = re.compile(
    r"\b(rebook\w*|re-book\w*|reschedul\w+|rearrang\w+|moved? (?:it|the|your)|change (?:it|the)|"
    r"new (?:date|slot|appointment)|instead|earliest|next available|another (?:date|slot))\b",
    re.I,
)
_ELIGIBLE = re.compile(
    r"\b(eligible|ineligible|available|entitled|qualif(?:y|ies|ied)|open to|can (?:get|have|claim))\b",
    re.I,
)
_NEGATION = re.compile(
    r"\b(not|isn't|aren't|no|can't|cannot|won't|don't|doesn't|never|ineligible|unavailable)\b",
    re.I,
)
_NAMED = re.compile(
    r"\b((?:(?!(?:The|A|An|Your|Our|This|That)\b)[A-Z][a-z]+ ){1,3}"
    r"(?:Discount|Scheme|Grant|Credit|Rebate|Tariff|Allowance|Support))\b"
)
# A customer repeating what an earlier agent said.
_QUOTES_AGENT = re.compile(
    r"\b(your colleague|(?:the|a) (?:lady|man|woman|guy|agent|person|girl|bloke|chap) "
    r"(?:on|I spoke|I talked|before|last)|(?:i was|i've been|we were) told|you told me|"
    r"(?:he|she|they) (?:said|told me)|you said|(?:was|were) promised)\b",
    re.I,
)
_CORRECTS = re.compile(
    r"\b(gave you the wrong|was wrong|were wrong|incorrect|not right|wasn't right|"
    r"i'm sorry you were told|sorry (?:that )?you were told|apologi[sz]e for the (?:confusion|"
    r"mistake|error)|should(?:n't)? have (?:said|told)|misinformed|my colleague was mistaken|"
    r"(?:given|quoted) (?:you )?(?:a )?(?:different|wrong) (?:figure|amount|price|date)|actually)\b",
    re.I,
)


_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|thirty|"
    r"forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|grand|quid|pounds?|pence|"
    r"dollars?|euros?|cents?|free|charge|fee|cost|nothing"
)
_MAYBE_MONEY = re.compile(rf"[\d£$€¢]|\b(?:{_NUMBER_WORDS})", re.I)
_MAYBE_DATE = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday)|\b(?:first|second|third|\w+th|\w+st|\w+nd|\w+rd)\b",
    re.I,
)


@dataclass(frozen=True)
class Fact:
    kind: str  # e.g. "fee", "refund", "delivery_date", "eligibility"
    subject: frozenset[str]  # words naming which one (lower case)
    value: Any  # float for money, date for dates, bool for eligibility
    shown: str  # the value as said
    sentence: Sentence
    version: frozenset[str] = frozenset()  # revision words around the value
    period: str | None = None
    quoted: bool = False  # a customer quoting an earlier agent

    @property
    def contact(self) -> Contact:
        return self.sentence.contact


def _subject(text: str) -> frozenset[str]:
    words = (m.group(1).lower().replace("-", "") for m in _SUBJECT.finditer(text))
    return frozenset(_SUBJECT_SAME.get(w, w) for w in words)


def _nearest_fact(text: str, start: int, end: int) -> str | None:
    best: tuple[int, str] | None = None
    for kind, rx in _MONEY_RES.items():
        for m in rx.finditer(text):
            dist = start - m.end() if m.end() <= start else m.start() - end
            if dist < 0:
                dist = 0
            if dist <= 60 and (best is None or dist < best[0]):
                best = (dist, kind)
    return best[1] if best else None


def money_facts(s: Sentence, context: str = "") -> list[Fact]:
    """Amounts of money in one sentence, each tied to the fact it is about."""
    if not _MAYBE_MONEY.search(s.text):
        return []  # cheap test first: most sentences carry no amount
    text = digits(s.text)
    out: list[Fact] = []
    if _DECISION.search(text) or _REPORTED.search(text):
        return out
    _, quantities = extract(text)
    lead = _IF_LEAD.match(text)
    for q in quantities:
        if q.kind not in {"money", "rate"} or q.high is not None or q.bound is not None:
            continue
        left, right = clause_bounds(text, q.start, q.end)
        clause = text[left:right]
        if _HEDGE.search(clause) or (lead and q.start < lead.end()):
            continue
        kind = "rate" if q.kind == "rate" else _nearest_fact(text, q.start, q.end)
        if kind is None and context:
            ctx = digits(context)
            kind = _nearest_fact(ctx, len(ctx), len(ctx))
        if kind is None:
            continue
        subject = _subject(text) or _subject(context)
        near = text[max(left, q.start - VERSION_CHARS) : max(right, q.end + 12)]
        near = re.split(r"\b(?:if|unless|when|once)\b", near, maxsplit=1, flags=re.I)[0]
        version = frozenset(m.group(1).lower() for m in _VERSION.finditer(near))
        out.append(Fact(kind, subject, round(q.value, 2), q.text, s, version, q.period))
    no_charge = CONCEPTS["no_charge"].search(text)
    if no_charge and not quantities and not _HEDGE.search(text) and not lead:
        out.append(Fact("fee", _subject(text), 0.0, no_charge.group(0), s, frozenset(), None))
    return out


def date_facts(s: Sentence, context: str) -> list[Fact]:
    if not _MAYBE_DATE.search(s.text):
        return []
    text = digits(s.text)
    if _HEDGE.search(text) or _REPORTED.search(text) or "?" in text:
        return []
    around = f"{context} {text}"
    kinds = [k for k, rx in _DATE_RES.items() if rx.search(text)] or [
        k for k, rx in _DATE_RES.items() if rx.search(context)
    ]
    if len(kinds) != 1:
        return []
    out = []
    for d in find_dates(text, s.at.date()):
        if d.day < s.at.date():
            continue
        out.append(Fact(kinds[0], _subject(around) & _DATE_SUBJECTS, d.day, d.text, s))
    return out


_DATE_SUBJECTS = frozenset({"router", "hub", "meter", "engineer", "broadband", "fibre"})


def eligibility_facts(s: Sentence) -> list[Fact]:
    text = s.text
    if not _ELIGIBLE.search(text) or re.search(r"\b(if|unless|when you|once you)\b", text, re.I):
        return []
    named = _NAMED.search(text)
    if named is None:
        return []
    negative = bool(_NEGATION.search(text))
    subject = frozenset({named.group(1).lower()})
    return [
        Fact("eligibility", subject, not negative, "not eligible" if negative else "eligible", s)
    ]


# Cue tests on a whole turn before it is split: an agent turn with no amount, no date of a
# kind and no eligibility word, and a customer turn that quotes no agent, hold no fact. The
# date kinds without their leading word boundary: a sentence's context is cut to
# CONTEXT_CHARS and may start mid-word.
_DATE_KIND_ANYWHERE = re.compile("|".join(f"(?:{v})" for v in _DATE_FACTS.values()), re.I)


def _may_state(turn: Turn) -> bool:
    if turn.role == "agent":
        return (
            may_hold(_MAYBE_MONEY, turn.text)
            or may_hold(_ELIGIBLE, turn.text)
            or (may_hold(_MAYBE_DATE, turn.text) and may_hold(_DATE_KIND_ANYWHERE, turn.text))
        )
    return turn.role == "customer" and may_hold(_QUOTES_AGENT, turn.text)


def contact_facts(contact: Contact) -> list[Fact]:
    facts: list[Fact] = []
    context_of: dict[int, str] = {}
    for s in sentences(contact, keep=_may_state):
        previous = context_of.get(s.turn.idx, "")
        context_of[s.turn.idx] = (previous + " " + s.text)[-CONTEXT_CHARS:]
        if s.turn.role == "agent":
            found = money_facts(s, previous) + date_facts(s, previous) + eligibility_facts(s)
        elif s.turn.role == "customer" and _QUOTES_AGENT.search(s.text):
            found = [
                Fact(f.kind, f.subject, f.value, f.shown, s, f.version, f.period, quoted=True)
                for f in money_facts(s, previous) + eligibility_facts(s)
            ]
        else:
            continue
        facts += found
    return facts


_SERVICES = frozenset({"gas", "electricity", "broadband", "fibre"})


def _same_fact(a: Fact, b: Fact) -> bool:
    if a.kind != b.kind or a.period != b.period:
        return False
    if a.subject & _SERVICES != b.subject & _SERVICES:
        return False  # a broadband fee is not a gas one
    if 0.0 in (a.value, b.value) and not (a.subject & b.subject) - _SERVICES:
        return False  # "no charge for X" says nothing about a fee not named the same
    if a.subject and b.subject and not a.subject & b.subject:
        return False
    if bool(a.subject) != bool(b.subject) and not isinstance(a.value, date):
        return False  # one amount says which it is and the other does not: not known as one
    if a.kind == "eligibility":
        return a.subject == b.subject
    return a.version == b.version


def _differs(a: Fact, b: Fact) -> bool:
    if isinstance(a.value, float) and isinstance(b.value, float):
        return abs(a.value - b.value) > MONEY_TOLERANCE
    return bool(a.value != b.value)


def _date_comparable(a: Fact, b: Fact) -> bool:
    if not isinstance(a.value, date):
        return True
    if a.value < b.sentence.at.date():
        return False  # the first date had passed: a new date is a new event
    return not any(_REBOOK.search(t.text) for t in b.contact.turns)


@dataclass(frozen=True)
class KnownFact:
    """A fact that holds for the company (a campaign's price or fee): it says who was right.

    A known fact speaks of a pair of stories when it is of their kind and period, shares a
    subject word with them (or they name none), names no other product or service than
    theirs, and, when it comes from a campaign, one of the two contacts speaks of one of
    the campaign's products."""

    kind: str  # "fee", "price", "refund", "rate", "eligibility", ...
    subject: frozenset[str]  # words naming it, as `_SUBJECT` reads them ("exit", "fibre 500")
    value: Any
    period: str | None = None  # money per month, year ... or "once"; None: any period
    shown: str = ""  # the value as its source gives it ("GBP 34.00 a month")
    products: tuple[str, ...] = ()  # a campaign's product names: a contact must name one
    campaign: str | None = None  # the campaign's id
    campaign_name: str | None = None
    fact: str | None = None  # the campaign fact's id
    valid: tuple[str, str] | None = None  # the campaign's first and last day (ISO dates)

    def as_dict(self) -> dict[str, Any]:
        """What a flag says of the fact that decided it (JSON)."""
        return {
            "campaign": self.campaign,
            "campaign_name": self.campaign_name,
            "fact": self.fact,
            "value": _plain(self.value),
            "shown": self.shown or str(_plain(self.value)),
            "from": self.valid[0] if self.valid else None,
            "to": self.valid[1] if self.valid else None,
        }


def _names_a_product(word: str) -> bool:
    return word in _SERVICES or any(ch.isdigit() for ch in word)


def _speaks_of(contact: Contact, names: tuple[str, ...]) -> bool:
    text = " ".join(t.text for t in contact.turns).lower()
    return any(re.search(rf"(?<!\w){re.escape(n.lower())}(?!\w)", text) for n in names)


def _period_fits(k: KnownFact, f: Fact) -> bool:
    if k.period is None or k.period == f.period:
        return True
    return k.period == "once" and f.period is None


def _known_applies(k: KnownFact, a: Fact, b: Fact) -> bool:
    if k.kind != a.kind or not _period_fits(k, a):
        return False
    said = a.subject | b.subject
    if said and k.subject and not said & k.subject:
        return False
    named = {w for w in k.subject if _names_a_product(w)}
    if named and not all(
        any(w == n or w.endswith(f" {n}") for n in named)  # "On Fibre 500" at a sentence's start
        for w in said
        if _names_a_product(w)
    ):
        return False  # the stories name a product or service the fact does not hold for
    return not k.products or _speaks_of(a.contact, k.products) or _speaks_of(b.contact, k.products)


def _known_verdict(
    a: Fact, b: Fact, known: tuple[KnownFact, ...]
) -> tuple[str | None, KnownFact] | None:
    """Which of two stories the known facts that speak of them give ("a", "b", or None when
    they give neither value), with the fact; None when none speaks of them or they disagree."""
    verdicts: dict[str | None, KnownFact] = {}
    for k in known:
        if not _known_applies(k, a, b):
            continue
        probe = Fact(k.kind, k.subject, k.value, "", a.sentence)
        fits_a, fits_b = not _differs(probe, a), not _differs(probe, b)
        verdicts.setdefault("a" if fits_a else "b" if fits_b else None, k)
    if len(verdicts) != 1:
        return None  # no known fact, or two that point different ways: nothing is known
    [(side, fact)] = verdicts.items()
    return side, fact


def _right(
    a: Fact, b: Fact, facts: list[Fact], known: tuple[KnownFact, ...] = ()
) -> tuple[str | None, str, KnownFact | None]:
    verdict = _known_verdict(a, b, known)
    if verdict is not None:
        side, k = verdict
        source = (
            f"the campaign fact {k.fact} of {k.campaign} ({k.shown or _plain(k.value)})"
            if k.campaign
            else f"a known fact ({k.shown or _plain(k.value)})"
        )
        if side is None:
            return None, f"{source} gives neither value", k
        return side, f"{source} gives the {'first' if side == 'a' else 'second'} value", k
    later = [
        f
        for f in facts
        if f.sentence.at > b.sentence.at
        and not f.quoted
        and _moment(f) != _moment(b)
        and _same_fact(f, a)
    ]
    if later:
        last = later[-1]
        if not _differs(last, a):
            return "a", "a later contact states the first value again", None
        if not _differs(last, b):
            return "b", "a later contact states the second value again", None
    if any(_CORRECTS.search(t.text) for t in b.contact.turns if t.role == "agent"):
        return "b", "the later agent corrects the earlier one", None
    return None, "nothing in the journey says which was right", None


def find_inconsistencies(
    journey: Journey,
    known: tuple[KnownFact, ...] = (),
    known_at: Mapping[str, tuple[KnownFact, ...]] | None = None,
) -> list[JourneyFlag]:
    """`journey_inconsistency` flags: one per pair of contacts and fact.

    Known facts only decide which of two stories was right: `known` hold for the whole
    journey; `known_at` are each contact's (interaction id: the campaign facts in force on
    its date and channel), and a pair is judged by those in force at both of its contacts.
    """
    if len(journey.contacts) < 2 and not any(is_thread(c) for c in journey.contacts):
        return []  # one call or chat: nothing to set against
    facts = [f for c in journey.contacts for f in contact_facts(c)]
    facts.sort(key=lambda f: f.sentence.at)
    agent_facts = [f for f in facts if not f.quoted]
    flags: list[JourneyFlag] = []
    seen: set[tuple[str, str, str]] = set()
    for i, a in enumerate(agent_facts):
        for b in agent_facts[i + 1 :]:
            if _moment(a) == _moment(b):
                continue
            if _back_to_an_earlier_story(a, b, agent_facts):
                continue
            if not _same_fact(a, b) or not _differs(a, b) or not _date_comparable(a, b):
                continue
            if _agrees_elsewhere(a, b, agent_facts):
                continue
            key = (str(_moment(a)), str(_moment(b)), a.kind)
            if key in seen:
                continue
            seen.add(key)
            both = known + _in_force_at_both(a, b, known_at)
            flags.append(_flag(journey, a, b, facts, both))
    return flags


def _in_force_at_both(
    a: Fact, b: Fact, known_at: Mapping[str, tuple[KnownFact, ...]] | None
) -> tuple[KnownFact, ...]:
    """The facts in force at both contacts of a pair: a term that changed between them
    says nothing about which was right."""
    if not known_at:
        return ()
    later = set(known_at.get(b.contact.interaction_id, ()))
    return tuple(k for k in known_at.get(a.contact.interaction_id, ()) if k in later)


def _moment(f: Fact) -> tuple[str, int | None]:
    """A contact, or one message of an email thread (its messages are sent days apart)."""
    c = f.contact
    return c.interaction_id, (f.sentence.turn.idx if is_thread(c) else None)


def _back_to_an_earlier_story(a: Fact, b: Fact, facts: list[Fact]) -> bool:
    """b restates what a contact before a said: the pair to flag is that one and a."""
    return any(
        f.sentence.at < a.sentence.at
        and _moment(f) not in {_moment(a), _moment(b)}
        and _same_fact(f, b)
        and not _differs(f, b)
        for f in facts
    )


def _agrees_elsewhere(a: Fact, b: Fact, facts: list[Fact]) -> bool:
    """b's contact also states a's value for the fact: a second figure, not a second story."""
    return any(
        _moment(f) == _moment(b) and _same_fact(f, a) and not _differs(f, a) for f in facts
    ) or any(_moment(f) == _moment(a) and _same_fact(f, b) and not _differs(f, b) for f in facts)


def _flag(
    journey: Journey, a: Fact, b: Fact, facts: list[Fact], known: tuple[KnownFact, ...]
) -> JourneyFlag:
    right, why, by = _right(a, b, facts, known)
    sa, sb = a.sentence, b.sentence
    fact = a.kind + (
        f" ({', '.join(sorted(a.subject | b.subject))})" if a.subject | b.subject else ""
    )
    said = (
        f"two stories about the {fact}: {a.shown!r} ({sa.contact.agent_id or 'agent'}, "
        f"{sa.at:%d %b %H:%M}) and {b.shown!r} ({sb.contact.agent_id or 'agent'}, "
        f"{sb.at:%d %b %H:%M})"
    )
    if by is not None:
        verdict = (
            f"the {'first' if right == 'a' else 'second'} was right"
            if right
            else "neither was right"
        )
        source = f"the campaign fact {by.fact} of {by.campaign}" if by.campaign else "a known fact"
        said += f"; {source} is {by.shown or _plain(by.value)}: {verdict}"
    right_contact = {"a": sa.contact, "b": sb.contact}.get(right or "")
    return JourneyFlag(
        kind="journey_inconsistency",
        journey_id=journey.id,
        interaction_id=sa.contact.interaction_id,
        other_interaction_id=sb.contact.interaction_id,
        message=said,
        severity=Severity.HIGH if right is not None or by is not None else Severity.MEDIUM,
        quote=sa.text,
        turn=sa.turn.idx,
        other_quote=sb.text,
        other_turn=sb.turn.idx,
        details={
            "fact": fact,
            "values": [_plain(a.value), _plain(b.value)],
            "said": [a.shown, b.shown],
            "agents": [sa.contact.agent_id, sb.contact.agent_id],
            "times": [sa.at.isoformat(), sb.at.isoformat()],
            "right": right,
            "why_right": why,
            # The contact that was right, by interaction id (None: not known, or neither),
            # and the campaign fact that said so, if one did.
            "right_contact": right_contact.interaction_id if right_contact else None,
            "right_agent": right_contact.agent_id if right_contact else None,
            "known_fact": by.as_dict() if by is not None else None,
        },
    )


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
