"""Claims in a Chinese agent sentence: each quantity with its clause, polarity, attribution and
tense, the same `Claim` shape as English (qa.statements.claims).

The cue words are data (qa/packs/zh/statements.yaml); they are matched on the normalised text
(Simplified script, Arabic digits), so Traditional sentences are read the same way.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from qa.statements.claims import Claim
from qa.statements.quantities import Quantity
from qa.statements.zh_quantities import extract_zh, simplified


@cache
def cues() -> dict[str, re.Pattern[str]]:
    """Each cue list of the zh statements pack as one pattern (longest words first)."""
    from qa.packs import load

    pack = load("zh", "statements")
    out = {}
    for name, words in pack.items():
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise ValueError(f"qa/packs/zh/statements.yaml: {name}: expected a list of words")
        ordered = sorted((simplified(w) for w in words), key=len, reverse=True)
        out[name] = re.compile(
            "|".join(w[3:] if w.startswith("re:") else re.escape(w) for w in ordered)
        )
    return out


_PUNCT = re.compile(r"[,;:!?.。、()]")


def zh_cue(name: str, text: str) -> bool:
    """Does the (Chinese) text hold a word of the pack's list `name`?"""
    return bool(cues()[name].search(simplified(text)))


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around a span: between the nearest breaks (punctuation or a break word)."""
    c = cues()
    breaks = [m.span() for m in _PUNCT.finditer(text)]
    breaks += [m.span() for m in c["clause_break"].finditer(text)]
    left = max([b for a, b in breaks if b <= start], default=0)
    right = min([a for a, b in breaks if a >= end], default=len(text))
    return left, right


def _negated(text: str, left: int, q: Quantity) -> bool:
    before = text[left : q.start]
    found = list(cues()["negation"].finditer(before))
    return bool(found) and len(before) - found[-1].end() <= 6


def _corrected(text: str, qs: list[Quantity]) -> set[int]:
    """ "不是八折，是八五折" / "是八五折，不是八折": the figure right after 不是 is replaced."""
    out = set()
    for i, q in enumerate(qs):
        before = text[max(0, q.start - 8) : q.start]
        m = cues()["correction_before"].search(before)
        if m and re.fullmatch(
            r"(?:打|收|交|只要|只需)?\s?(?:nt\$|hk\$|¥|\$)?", before[m.end() :], re.I
        ):
            out.add(i)
    return out


def _mask(sentence: str, known: tuple[str, ...]) -> str:
    """Names with numbers in them are names, not figures."""
    for name in sorted(known, key=len, reverse=True):
        if any(ch.isdigit() for ch in name):
            sentence = sentence.replace(name, re.sub(r"\d", "X", name))
    return sentence


_CURRENCY_BEFORE = re.compile(r"(?:nt|hk|us)?\$$|[¥￥]$|(?:新台币|台币|港币|港元|人民币)$", re.I)


def _stated_bound(text: str, left: int, q: Quantity) -> str | None:
    """How the figure is said, where the quantity reader left it open: as a threshold
    ("满299", "买满 HK$150", "门槛是299": "min") or as a maximum ("最高保额五十万": "max")."""
    if q.bound is not None:
        return q.bound
    c = cues()
    before = text[left : q.start].rstrip()
    lead = _CURRENCY_BEFORE.sub("", before).rstrip()
    if any(m.end() == len(lead) for m in c["threshold_lead"].finditer(lead)):
        return "min"
    if c["bound_max"].search(before):
        return "max"
    if c["threshold"].search(before):
        return "min"
    return None


def _another_group(text: str, i: int, qs: list[Quantity]) -> bool:
    """ "外岛的免运门槛不一样，要满一千元": the figure follows a scope word (外岛, 非会员 …) and a
    word saying it differs there, with no other figure between: another group's figure."""
    c = cues()
    q = qs[i]
    scopes = [m for m in c["scope"].finditer(text) if m.end() <= q.start]
    if not scopes:
        return False
    after = scopes[-1].end()
    if any(after <= x.start < q.start for x in qs[:i]):
        return False
    return bool(c["differs"].search(text[after : q.start]))


def fact_bound(about: list[str]) -> str | None:
    """A fact whose own (Chinese) words say a maximum (最高保额) is one ('up_to'), and one whose
    words say a threshold (满, 门槛) is a threshold ('at_least'); None otherwise. A value within
    it, not itself said as the maximum or the threshold, agrees with it."""
    words = simplified(" ".join(about))
    c = cues()
    if c["bound_max"].search(words):
        return "up_to"
    if c["threshold"].search(words) or c["threshold_lead"].search(words):
        return "at_least"
    return None


def extract_claims_zh(
    sentence: str, previous: str = "", known: tuple[str, ...] = ()
) -> list[Claim]:
    """Every claim in one Chinese agent sentence (see qa.statements.claims.extract_claims)."""
    c = cues()
    text, qs = extract_zh(_mask(sentence, known))
    claims: list[Claim] = []
    bare = re.sub(r"[\s,.!。!~～]+", "", text)
    if previous and bare and c["confirmation"].fullmatch(bare):
        ptext, pqs = extract_zh(_mask(previous, known))
        for q in pqs:
            left, right = clause_bounds(ptext, q.start, q.end)
            claims.append(Claim(q, ptext[left:right], ptext, attribution="confirmed"))
    corrected = _corrected(text, qs)
    # "打八折——不好意思，说错了，不是八折，是八五折": the figure taken back, said earlier too.
    for i in list(corrected):
        corrected |= {
            j for j, x in enumerate(qs[:i]) if (x.kind, x.value) == (qs[i].kind, qs[i].value)
        }
    for i, q in enumerate(qs):
        left, right = clause_bounds(text, q.start, q.end)
        clause = text[left:right]
        before = text[left : q.start]
        polarity = "asserted"
        if i in corrected or _negated(text, left, q):
            polarity = "negated"
        elif any(j in corrected for j in range(len(qs)) if j != i):
            polarity = "corrected"
        attribution = "own"
        if c["total"].search(clause):
            attribution = "total"
        elif c["competitor"].search(clause):
            attribution = "competitor"
        elif c["customer_own"].search(clause):
            attribution = "customer"
        elif c["add_on"].search(clause):
            attribution = "add_on"
        elif c["reference"].search(before) or _another_group(text, i, qs):
            attribution = "reference"
        tense = "current"
        if c["hypothetical"].search(before) or c["examples"].search(text[: q.start]):
            tense = "hypothetical"  # the figure inside the condition, not in what follows it
        elif c["past"].search(clause):
            tense = "past"
        elif c["future"].search(clause):
            tense = "future"
        if q.kind == "money" and q.period is None and re.search(r"每年|一年|年费", before):
            q = replace(q, period="year")
        bound = _stated_bound(text, left, q)
        if bound != q.bound:
            q = replace(q, bound=bound)
        claims.append(Claim(q, clause, text, polarity, attribution, tense, tuple(qs)))
    return claims
