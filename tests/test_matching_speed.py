"""Fuzzy matching with a cutoff gives the very scores the full comparison gives, at or above
the cutoff, and the matcher's hits do not change; the reference is the matcher as it was
before runs below the cutoff were skipped."""

from __future__ import annotations

import pytest

pytest.importorskip("hypothesis")  # the dev extra: skip, naming it, where it is missing

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402

from qa.matching import (  # noqa: E402
    FUZZY_DEFAULT,
    NEGATION_REACH,
    NEGATORS,
    POLAR,
    Matcher,
    _padded,
    _windows,
    _words,
    fuzzy_score,
)


def _polarity(words: tuple[str, ...]) -> tuple[int, frozenset[str]]:
    negations = sum(w in NEGATORS or w.endswith("n't") for w in words)
    return negations % 2, frozenset(w for w in words if w in POLAR)


def _same_sense(phrase: tuple[str, ...], found: tuple[str, ...], before: tuple[str, ...]) -> bool:
    if _polarity(phrase) != _polarity(found):
        return False
    return not any(w in NEGATORS or w.endswith("n't") for w in before[-NEGATION_REACH:])


def reference(phrase: str, sentence: str) -> float:
    """fuzzy_score as it was: every run of words compared, no cutoff, no caches."""
    words = _words(phrase)
    if not words:
        return 0.0
    p = " ".join(words)
    padded = _padded(sentence)
    toks = _words(sentence)
    n = len(words)
    if f" {p} " in padded:
        for i in range(len(toks) - n + 1):
            if toks[i : i + n] == words and _same_sense(words, words, toks[:i]):
                return 1.0
    if n >= 3 and not any(f" {w} " in padded for w in words):
        return 0.0
    best = 0.0
    for size in {max(1, n - 1), n, n + 1}:
        windows = _windows(sentence, size)
        for _, score, start in process.extract(p, windows, scorer=fuzz.ratio, limit=None):
            if score / 100 <= best:
                break
            if len(toks) <= size:
                start, size = 0, len(toks)
            found = toks[start : start + size]
            after = toks[start + size : start + size + 1]
            if (
                _same_sense(words, found, toks[:start])
                and _polarity(words)[0] == _polarity(found + after)[0]
            ):
                best = score / 100
                break
    return best


# Words that make near misses likely: negators, opposites, and look-alikes.
VOCAB = [
    "there's", "nothing", "anything", "something", "i", "can", "can't", "do", "else",
    "is", "there", "not", "never", "always", "cancel", "cancels", "my", "contract", "the",
    "a", "plan", "plans", "new", "now", "no", "know", "sorry", "sory", "about", "that",
    "recorded", "record", "calls", "call", "are", "won't", "will", "charge", "you", "your",
    "welcome", "to", "tideline", "all", "every",
]  # fmt: skip
phrase_words = st.lists(st.sampled_from(VOCAB), min_size=1, max_size=5)
sentence_words = st.lists(st.sampled_from(VOCAB), min_size=0, max_size=14)
CUTOFFS = [0.5, 0.6, 0.7, 0.75, 0.8, FUZZY_DEFAULT, 0.9, 0.95, 1.0]


@settings(max_examples=400, deadline=None)
@given(phrase_words, sentence_words, st.sampled_from(CUTOFFS))
def test_a_cutoff_never_changes_a_score_at_or_above_it(
    phrase: list[str], sentence: list[str], cutoff: float
) -> None:
    p, s = " ".join(phrase), " ".join(sentence)
    want = reference(p, s)
    assert fuzzy_score(p, s) == want
    got = fuzzy_score(p, s, cutoff)
    if want >= cutoff:
        assert got == want
    else:
        assert got < cutoff


@settings(max_examples=200, deadline=None)
@given(st.lists(phrase_words, min_size=1, max_size=4), st.lists(sentence_words, max_size=4))
def test_the_matchers_hits_are_those_of_the_full_comparison(
    phrases: list[list[str]], turns: list[list[str]]
) -> None:
    texts = {i: " ".join(t) + "." for i, t in enumerate(turns)}
    listed = [" ".join(p) for p in phrases]
    for threshold in (None, 0.7):
        limit = FUZZY_DEFAULT if threshold is None else threshold
        want = {}
        for i, text in texts.items():
            scores = [(reference(p, text.rstrip(".")), p) for p in listed]
            top = max((sc for sc, _ in scores), default=0.0)
            if top >= limit:
                want[i] = (next(p for sc, p in scores if sc == top), top)
        hits = Matcher().find(texts, listed, "fuzzy", threshold)
        assert {h.turn: (h.phrase, h.score) for h in hits} == want


def test_a_score_exactly_at_the_cutoff_is_kept() -> None:
    # 11 of 20 characters kept: 55 on rapidfuzz's scale, while 0.55 * 100 is a hair above 55.
    phrase, sentence = "abcdefghijklmnopqrst", "abcdefghijkxxxxxxxxx"
    assert reference(phrase, sentence) == 0.55 and 0.55 * 100 > 55
    assert fuzzy_score(phrase, sentence, 0.55) == 0.55
    assert fuzzy_score(phrase, sentence, 0.56) == 0.0
    hits = Matcher().find({0: sentence}, [phrase], "fuzzy", 0.55)
    assert [(h.turn, h.score) for h in hits] == [(0, 0.55)]
