"""Claims in an agent's sentence: each quantity with what the sentence does with it.

A claim is a quantity (value, unit, period, range or bound) together with
- its clause: the words around it up to the nearest clause boundary, which the campaign
  check reads to choose the attribute (price, fee, term, ...);
- polarity: asserted, negated ("it's not 49.99") or corrected ("not 49.99, it's 39.99": the
  second value is the correction and is asserted);
- attribution: the agent's own claim, or one about a competitor, the customer's own
  figures (their bill, their current plan, what they were quoted), a reference or standard
  price ("normally $99"), an add-on, or taxes and fees;
- tense: current, past ("it used to be"), future ("from September it will be") or
  hypothetical ("if you left after twelve months").

The cue words below are ordinary English function words and phrases, not any data set's
sentences. What the product is comes from the campaign layer, which knows product names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from qa.statements.quantities import HAN, PERIODS, Quantity, extract

CLAUSE_BREAK = re.compile(
    r"[;:!?()]|,\s+(?=but\b|and\b|so\b|which\b|while\b|whereas\b|though\b|plus\b|then\b|"
    r"compared\b|versus\b|vs\b|not\b|it'?s\b|that'?s\b|with\b|added\b|billed\b|"
    r"charged\b|payable\b|taken\b|paid\b|spread\b|collected\b)|\s+-\s+|\.\s|\bbut\b|\bwhereas\b|"
    r"\bwhile\b|\bcompared (?:to|with)\b|\bversus\b|\bvs\.?\b|\bthan\b|\binstead of\b|"
    r"\brather than\b|\bplus\b|\band then\b|\bthen\b|\band\b(?=\s+(?:your|their|the|it|you|we|after|from))",
    re.I,
)
NEGATION = re.compile(
    r"\b(?:not|never|no longer|isn'?t|aren'?t|wasn'?t|weren'?t|doesn'?t|don'?t|didn'?t|won'?t|"
    r"can'?t|cannot|nor)\b|n't\b",
    re.I,
)
COMPETITOR = re.compile(
    r"\b(?:competitor|competitors|other (?:provider|providers|insurer|insurers|supplier|"
    r"suppliers|carrier|carriers|company|companies|network|networks)|another (?:provider|"
    r"insurer|supplier|carrier|company|network)|elsewhere|they(?:'re| are)? (?:charg|offer|"
    r"quot|giv|do)\w*|their (?:price|deal|offer|plan|quote|tariff|rate)|your (?:current |old |"
    r"existing )?(?:provider|carrier|insurer|supplier|network)|(?:they|them) (?:charge|offer)|"
    r"with them|from them|over there|matched? by|their)\b",
    re.I,
)
CUSTOMER_OWN = re.compile(
    r"\b(?:your (?:current |last |latest |existing |old |monthly |annual |renewal |"
    r"outstanding |first |next |new )?(?:bill|bills|balance|plan|usage|premium|renewal|quote|payment|"
    r"payments|account|contract|statement|meter reading|direct debit|invoice|allowance|"
    r"car|house|home|refund|credit|charge|charges|fees?)|you(?:'re| are)? (?:currently )?"
    r"(?:pay|paying|paid|used|use|using|owe|spent|spend)|you (?:were|got|have been) quoted|"
    r"you'?ve (?:used|paid|been paying)|you mentioned|you said|you told|for your|"
    r"on your (?:bill|account|statement)|this month'?s|last month'?s|credited|refunded|"
    r"prorated|pro-rated|part[- ]month|late (?:fee|payment)|comes (?:to|out at)|"
    r"works out (?:at|to)|re-?ran|re-?run|quoted you|your (?:new )?price)\b",
    re.I,
)
REFERENCE = re.compile(
    r"\b(?:normally|usually costs?|usual(?:ly)? price|regular(?:ly)?|standard (?:price|rate|"
    r"fee|charge|variable|installation|tariff)|full price|list price|rrp|was|were|saving of|"
    r"save|saves|worth|instead of|rather than|off the|reduced from|down from|knocked off)\b",
    re.I,
)
APPROXIMATE = re.compile(r"\b(?:usually around|roughly|approximately|ballpark)\b", re.I)
TOTAL = re.compile(
    r"\b(?:for both|for all|for the (?:two|three|four|\d+) of you|in total|altogether|"
    r"combined|all in|total(?:ling)?)\b",
    re.I,
)
CONDITION = re.compile(
    r"\b(?:as long as|so long as|provided(?: that)?|providing|only if|on condition)\b", re.I
)
ADD_ON = re.compile(
    r"\b(?:add[- ]?on|optional|extra cost|an extra|extra|on top|upgrade|top[- ]?ups?|bolt[- ]?on|"
    r"(?:plus|in|excluding|before|on top of|\+)\s+(?:tax|taxes|vat|fees)|taxes?(?: and fees| of)|"
    r"fees and taxes|surcharge|per extra|each extra|additional)\b",
    re.I,
)
PAST = re.compile(
    r"\b(?:used to|was|were|previously|last year|back in|originally|at the time|had been|"
    r"before (?:april|march|may|june|july|august|september|october|november|december|"
    r"january|february|that)|old (?:offer|deal|price|promotion|plan)|ended|expired|"
    r"finished|no longer|earlier this year|in the past|that offer was|had)\b",
    re.I,
)
FUTURE = re.compile(
    r"\b(?:will be|'ll be|going to be|coming|launch(?:es|ing)?|starts? (?:on|in|from)|"
    r"from (?:the )?(?:\d+(?:st|nd|rd|th)? )?(?:of )?(?:january|february|march|april|may|"
    r"june|july|august|september|october|november|december)|next (?:month|year|week)|"
    r"not yet|isn'?t (?:out|live|available) yet|upcoming|soon|later this year|once it "
    r"(?:starts|launches)|when it (?:starts|launches))\b",
    re.I,
)
HYPOTHETICAL = re.compile(
    r"\b(?:if|unless|suppose|supposing|say you|in case|should you|were you to|"
    r"let'?s say|for example|for instance|e\.g\.)\b",
    re.I,
)
CONFIRMATION = re.compile(
    r"^\s*(?:yes|yep|yeah|yup|correct|exactly|that'?s (?:right|correct|it)|right|"
    r"absolutely|spot on|indeed|that is (?:right|correct))\b[\s,.!]*(?:that'?s (?:right|correct|"
    r"it)|it is|correct)?[\s,.!]*(?:yes|yeah|yep|indeed|exactly)?[\s,.!]*$",
    re.I,
)


CONFIRMS = re.compile(
    r"^\s*(?:(?:yes|yep|yeah)[\s,]+)?(?:that'?s (?:right|correct)|that is (?:right|correct)|"
    r"correct|exactly|spot on)\b",
    re.I,
)
PERIOD_BEFORE = re.compile(
    r"\b(?:over|for|in|across) (?:a|the|one|the whole|a whole|the full) (year|month|week|day)\b|"
    r"\b(yearly|annually|monthly|per year|a year|per month)\b",
    re.I,
)


@dataclass(frozen=True)
class Claim:
    quantity: Quantity
    clause: str  # the clause the quantity sits in (digit-normalised)
    sentence: str  # the whole sentence (digit-normalised)
    polarity: str = "asserted"  # asserted | negated | corrected
    attribution: str = "own"  # own | competitor | customer | reference | add_on | confirmed
    tense: str = "current"  # current | past | future | hypothetical
    others: tuple[Quantity, ...] = ()  # the other figures of the sentence

    @property
    def checkable(self) -> bool:
        """A claim the agent makes now about the offer itself."""
        return (
            self.polarity != "negated"
            and self.attribution in ("own", "confirmed")
            and self.tense in ("current", "future")
        )

    def as_dict(self) -> dict[str, object]:
        q = self.quantity
        return {
            "said": q.text,
            "kind": q.kind,
            "value": q.value,
            "high": q.high,
            "bound": q.bound,
            "unit": q.unit,
            "period": q.period,
            "polarity": self.polarity,
            "attribution": self.attribution,
            "tense": self.tense,
            "clause": self.clause,
        }


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around a span: from the last clause break before it to the next after it."""
    left = 0
    for m in CLAUSE_BREAK.finditer(text, 0, start):
        left = m.end()
    nxt = CLAUSE_BREAK.search(text, end)
    right = nxt.start() if nxt else len(text)
    return left, right


# A verb of its own, or a word that moves the time: what follows a comma is a new clause
# ("It was $20, now it is $35"; "They charge $20, Solar Saver is $35").
NEW_CLAUSE = re.compile(
    r"\b(?:is|are|was|were|be|been|costs?|came|comes?|will|would|shall|charges?|charged|"
    r"pays?|paid|gets?|got|goes|went|has|have|had|becomes?|became|drops?|dropped|dropping|"
    r"rises?|rose|stays?|stayed|starts?|started|runs?|ran|used to|works out|offers?|offered|"
    r"gives?|gave|sells?|sold)\b|'(?:s|re|ll|d|ve)\b",
    re.I,
)
COMMA = re.compile(",")
# Words that say the figure after them holds now, whatever was said before them in the clause.
PRESENT = re.compile(
    r"(?<!until )(?<!till )(?<!up to )(?<!up till )(?<!before )\b(?:now|nowadays|today|"
    r"going forward|from now on|as of (?:today|now)|these days|currently|at the moment|"
    r"at present|as things stand)\b",
    re.I,
)


def figure_bounds(
    text: str, q: Quantity, qs: list[Quantity], known: tuple[str, ...] = ()
) -> tuple[int, int]:
    """The clause of one figure: its clause (clause_bounds), cut at a comma between it and
    another figure of that clause where what follows the comma is a clause of its own (its own
    verb, a word for now, or one of our names): "It was $20 a month, now it is $35 a month"
    holds two clauses, and the time or speaker of one does not reach the other."""
    left, right = clause_bounds(text, q.start, q.end)
    names = [n for n in known if n and not any(ch.isdigit() for ch in n)]

    def new_clause(segment: str) -> bool:
        return bool(
            NEW_CLAUSE.search(segment)
            or PRESENT.search(segment)
            or any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", segment, re.I) for n in names)
        )

    for other in qs:
        if other is q or other.start < left or other.end > right:
            continue
        if other.end <= q.start:  # a figure before: cut at the last comma that opens a clause
            for c in reversed([m.start() for m in COMMA.finditer(text, other.end, q.start)]):
                if new_clause(text[c + 1 : q.start]):
                    left = max(left, c + 1)
                    break
        elif other.start >= q.end:  # a figure after: cut where its clause opens
            for c in reversed([m.start() for m in COMMA.finditer(text, q.end, other.start)]):
                if new_clause(text[c + 1 : other.start]):
                    right = min(right, c)
                    break
    return left, right


def _since_now(text: str, at: int) -> int:
    """Where the last word for now before `at` ends, if no past or future word comes after it
    ("It went up, and now it's $35" speaks of now); -1 when there is none."""
    found = [m.end() for m in PRESENT.finditer(text, 0, at)]
    if not found:
        return -1
    after = text[found[-1] : at]
    if PAST.search(after) or FUTURE.search(after):
        return -1
    return found[-1]


def _negated(text: str, left: int, q: Quantity) -> bool:
    """A negation in the clause before the quantity, close to it ("it's not 5%")."""
    before = text[left : q.start]
    found = list(NEGATION.finditer(before))
    if not found:
        return False
    # "no X" followed by a figure is a statement of the figure ("no more than"), not a negation.
    between = before[found[-1].end() :]
    # "If you can't, the fee is 50": a negation does not reach past a comma.
    return len(between.split()) <= 6 and "," not in between


def _mask(sentence: str, known: tuple[str, ...]) -> str:
    """Names with numbers in them ("Fibre Flex 500", "Fix 18") are names, not figures."""
    for name in sorted(known, key=len, reverse=True):
        if any(ch.isdigit() for ch in name):
            sentence = re.sub(
                rf"(?<!\w){re.escape(name)}(?!\w)",
                lambda m: re.sub(r"\d", "X", m.group(0)),
                sentence,
                flags=re.I,
            )
    return sentence


def _in_if_clause(text: str, q: Quantity) -> bool:
    """The figure sits inside a condition ("if you left after 12 months"), not in what follows
    it ("if you leave, the exit fee is 75")."""
    for m in HYPOTHETICAL.finditer(text, 0, q.start):
        rest = text[m.end() : q.start]
        # "if prices rose to, say, 35 cent": an aside inside the condition does not end it.
        rest = re.sub(r",\s*(?:say|let'?s say|for example|for instance|e\.g\.)\s*,?", " ", rest)
        if not re.search(r"[,;:]|\bthen\b|\.\s", rest):
            return True
    return False


def _negated_after(text: str, q: Quantity, right: int) -> bool:
    """A verb negated after the figure in its clause: "for two lines it wouldn't apply"."""
    after = text[q.end : right]
    return bool(
        re.search(
            r"\b(?:wouldn'?t|won'?t|doesn'?t|don'?t|isn'?t|aren'?t|can'?t|cannot|not)\s+"
            r"(?:apply|qualify|count|work|be (?:eligible|available|right|correct)|right|correct|"
            r"true|available|eligible|the case)\b",
            after,
            re.I,
        )
    )


def _correction_pairs(text: str, qs: list[Quantity]) -> set[int]:
    """Quantities negated by a correction: "not 49.99, it's 39.99" / "39.99, not 49.99"."""
    negated: set[int] = set()
    for i, q in enumerate(qs):
        before = text[max(0, q.start - 25) : q.start].lower()
        if re.search(r"\b(?:not|isn'?t|wasn'?t|rather than|instead of|never)\s*(?:the\s+)?[$£€¥￥]?$",
                     before.rstrip()) or re.search(r"\bnot\s+(?:the\s+)?[$£€¥￥]?\s*$", before):  # fmt: skip
            negated.add(i)
    return negated


NAMED_OTHER = re.compile(
    r"(?:(?<=\s)|^)(?:with|at|from|on|versus|vs\.?|than)\s+([A-Z][\w&-]+(?:\s[A-Z][\w&-]+)?)"
    r"|(?:(?<=\s)|^)([A-Z][\w&-]+(?:\s[A-Z][\w&-]+)?)(?:'s|’s)\s"
    r"|(?:(?<=\s)|^)([A-Z][\w&-]+(?:\s[A-Z][\w&-]+)?)\s+(?:charges?|offers?|quoted|gives|"
    r"sells|wants?|asks?)\b"
)
NOT_NAMES = {"I", "I'm", "I'll", "I've", "AutoPay", "VAT", "APR", "GB", "UK", "US", "EU"}
# Capitalised words that begin a sentence ("It's $40", "That's 19.9%"): no one else's name.
NOT_NAMES |= {"It", "That", "There", "Here", "What", "Who", "He", "She", "Let", "This", "Today",
              "Everything", "Nothing", "One", "Yours", "Ours", "Where", "When", "Now", "Yes",
              "So", "And", "But", "Then", "Which", "Mine", "Yeah", "Yep", "Plus"}  # fmt: skip


def _names_other(clause: str, known: tuple[str, ...]) -> bool:
    """A name that is not ours next to the figure: "Skyline's $45 plan", "with Pinecell"."""
    months = r"(?:January|February|March|April|May|June|July|August|September|October|"
    months += r"November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    for m in NAMED_OTHER.finditer(clause):
        name = m.group(1) or m.group(2) or m.group(3)
        if not name or name in NOT_NAMES or re.match(months, name):
            continue
        low = name.lower()
        names = [k.lower() for k in known] + [re.sub(r"\d", "x", k.lower()) for k in known]
        if any(low in k or k in low for k in names):
            continue
        return True
    return False


def extract_claims(sentence: str, previous: str = "", known: tuple[str, ...] = ()) -> list[Claim]:
    """Every claim in one agent sentence; `previous` is the customer's turn before it, whose
    figures an explicit confirmation ("Yes, that's right") makes the agent's own; `known`
    are the names of our own company and products (any other name is someone else's)."""
    if HAN.search(sentence):  # Chinese cue words: qa.statements.zh_claims
        from qa.statements.zh_claims import extract_claims_zh

        return extract_claims_zh(sentence, previous, known)
    text, qs = extract(_mask(sentence, known))
    claims: list[Claim] = []
    if previous and (CONFIRMATION.match(sentence) or CONFIRMS.match(sentence)):
        ptext, pqs = extract(_mask(previous, known))
        for q in pqs:
            if any(x.kind == q.kind for x in qs):
                continue  # the agent states its own figure of that kind: not a confirmation
            left, right = clause_bounds(ptext, q.start, q.end)
            claims.append(Claim(q, ptext[left:right], ptext, attribution="confirmed"))
    corrected = _correction_pairs(text, qs)
    for i, q in enumerate(qs):
        left, right = clause_bounds(text, q.start, q.end)
        clause = text[left:right]  # the words that choose the fact
        # What the figure's own clause says of it: whose, when, negated (figure_bounds).
        sl, sr = figure_bounds(text, q, qs, known)
        scope = text[sl:sr]
        now = _since_now(text, q.start)
        now = now if now >= sl else -1
        if q.kind == "money" and q.period is None:
            # "over a year that's $600"; a period said with an earlier figure stays with it.
            since = max([left, *(x.end for x in qs if x.end <= q.start)])
            pm = PERIOD_BEFORE.search(text[since : q.start])
            if pm:  # "over a year that's $600"
                word = (pm.group(1) or pm.group(2)).lower().split()[-1]
                q = replace(q, period=PERIODS.get(word, word))
        polarity = "asserted"
        if i in corrected or _negated(text, sl, q) or _negated_after(text, q, sr):
            polarity = "negated"
        elif any(j in corrected for j in range(len(qs)) if j != i):
            polarity = "corrected"
        attribution = "own"
        if TOTAL.search(scope):
            attribution = "total"
        elif COMPETITOR.search(scope) or _names_other(scope, known):
            attribution = "competitor"
        elif CUSTOMER_OWN.search(scope):
            attribution = "customer"
        elif ADD_ON.search(scope) or (ADD_ON.search(text[: q.start]) and APPROXIMATE.search(scope)):
            attribution = "add_on"
        elif REFERENCE.search(text[max(sl, now) : q.start]) or re.search(
            r"^\s*(?:normally|usually|as standard)\b", text[q.end : sr], re.I
        ):
            attribution = "reference"
        tense = "current"
        if CONDITION.search(scope):
            tense = "hypothetical"  # a threshold or condition, not the offer's value
        elif _in_if_clause(text, q):
            tense = "hypothetical"
        elif now >= 0:
            tense = "current"  # "it was raised, and now it's $35": the figure holds now
        elif PAST.search(scope):
            tense = "past"
        elif FUTURE.search(scope):
            tense = "future"
        claims.append(Claim(q, clause, text, polarity, attribution, tense, tuple(qs)))
    return claims
