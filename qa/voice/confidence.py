"""Recognition confidence carried to every judgment on a call.

Each evidence quote from a call gets the mean probability of the words it quotes (the
recogniser's, or the vendor's for an imported transcript). A criterion result or a
campaign flag whose decisive words were heard with low confidence is stored as `review`:
not a pass, a failure or a violation, never a coaching opportunity or an auto-fail, until
a person (or a second, stronger reading) confirms it.
"""

from __future__ import annotations

from collections.abc import Iterable

from qa.model import Evaluation, Evidence, Flag, Interaction, Word
from qa.text import tokens
from qa.vocabulary import Channel, FlagStatus, Status

# Mean word probability of a quote under which its words count as heard with low
# confidence. tiny.en gives well-heard telephone words 0.8 to 0.95 and misheard ones
# 0.2 to 0.6 (the real bank calls and the demo calls, bench/bench_voice.py).
LOW_CONFIDENCE = 0.6


def _word_tokens(words: list[Word]) -> tuple[list[str], list[int]]:
    toks: list[str] = []
    owner: list[int] = []
    for i, w in enumerate(words):
        for t in tokens(w.word):
            toks.append(t)
            owner.append(i)
    return toks, owner


def quoted_words(words: list[Word], quote: str) -> list[Word]:
    """The words of a turn that a quote (a sentence of it, perhaps clipped) is made of."""
    want = tokens(quote.rstrip("…"))
    toks, owner = _word_tokens(words)
    if not want or not toks:
        return words
    n = len(want)
    for i in range(len(toks) - n + 1):
        if toks[i : i + n] == want:
            return words[owner[i] : owner[i + n - 1] + 1]
    return words


NUMBER_WORDS = frozenset(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred thousand million half quarter percent""".split()
)


def _is_quantity(word: Word) -> bool:
    return any(t.isdigit() or t in NUMBER_WORDS for t in tokens(word.word))


def evidence_confidence(item: Interaction, ev: Evidence, quantities: bool = False) -> float | None:
    """Mean probability of the evidence's words; None when the words carry none. With
    `quantities`, the lowest probability of its numbers when it has any: a price is decided
    by its digits, not by the words around them."""
    if ev.turn is not None and 0 <= ev.turn < len(item.turns):
        words = quoted_words(item.turns[ev.turn].words, ev.quote)
    elif ev.start is not None and ev.end is not None:
        words = [
            w
            for t in item.turns
            for w in t.words
            if w.end > ev.start and w.start < ev.end and (ev.role is None or t.role == ev.role)
        ]
    else:
        return None
    probs = [w.probability for w in words if w.probability is not None]
    numbers = [w.probability for w in words if w.probability is not None and _is_quantity(w)]
    if quantities and numbers:
        return round(min(numbers), 2)
    return round(sum(probs) / len(probs), 2) if probs else None


def annotate(
    item: Interaction, evidence: Iterable[Evidence], quantities: bool = False
) -> float | None:
    """Set each evidence's recognition confidence; return the lowest (None: none known)."""
    lowest: float | None = None
    for ev in evidence:
        if ev.asr_confidence is None:  # a flag's evidence, shared by its criterion, keeps its own
            ev.asr_confidence = evidence_confidence(item, ev, quantities)
        if ev.asr_confidence is not None:
            lowest = ev.asr_confidence if lowest is None else min(lowest, ev.asr_confidence)
    return lowest


def verified(flag: Flag) -> bool:
    """A second, stronger reading of the flag's words still supports it."""
    return any(r.get("supports") for r in flag.readings)


def review_flags(item: Interaction, flags: list[Flag]) -> list[Flag]:
    """Hold for review the open flags whose evidence was heard with low confidence, unless a
    second reading confirmed them; return the flags that stand (open), for scoring."""
    if item.channel == Channel.VOICE:
        for flag in flags:
            lowest = annotate(item, flag.evidence, quantities=True)
            if (
                flag.status == FlagStatus.OPEN
                and lowest is not None
                and lowest < LOW_CONFIDENCE
                and not verified(flag)
            ):
                flag.status = FlagStatus.REVIEW
                flag.message += f" (heard with low confidence, {lowest:.2f}: review)"
    return [f for f in flags if f.status == FlagStatus.OPEN]


def review_results(
    item: Interaction, ev: Evaluation, critical: dict[str, bool], pass_mark: float
) -> None:
    """Results decided on words heard with low confidence become `review`: out of the points,
    out of the auto-fail. The totals are computed again."""
    if item.channel != Channel.VOICE:
        return
    changed = False
    for r in ev.criteria:
        lowest = annotate(item, r.evidence)
        if r.result in ("pass", "fail") and lowest is not None and lowest < LOW_CONFIDENCE:
            r.details = {**r.details, "was": r.result, "asr_confidence": lowest}
            r.result = Status.REVIEW  # type: ignore[assignment]
            r.points, r.max_points = 0.0, 0.0
            r.note = f"decided on words heard with low confidence ({lowest:.2f}): review"
            changed = True
    if not changed:
        return
    ev.total = round(sum(r.points for r in ev.criteria), 2)
    ev.max = round(sum(r.max_points for r in ev.criteria), 2)
    ev.percent = round(100 * ev.total / ev.max, 1) if ev.max else 0.0
    ev.auto_fail = any(r.result == "fail" and critical.get(r.id, False) for r in ev.criteria)
    if ev.auto_fail:
        ev.percent = 0.0
    ev.passed = not ev.auto_fail and ev.percent >= pass_mark
