"""Matcher.find compares all of a sentence's phrases at once and scores in full only the
phrases that come near: its hits are those of scoring every phrase against every sentence
one by one, in every mode, with turns of several sentences and phrases of any length."""

from __future__ import annotations

import pytest

pytest.importorskip("hypothesis")  # the dev extra: skip, naming it, where it is missing

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from qa.matching import FUZZY_DEFAULT, Hit, Matcher, _best_phrase, fuzzy_score  # noqa: E402
from qa.text import sentences  # noqa: E402


def one_by_one(texts: dict[int, str], phrases: list[str], mode: str, limit: float) -> list[Hit]:
    """The matcher as it was: every phrase scored against every sentence in turn."""
    best: dict[int, Hit] = {}
    for idx, text in texts.items():
        for sent in sentences(text):
            for phrase in phrases:
                score = Matcher._score(mode, phrase, sent, limit)
                if score >= limit and (idx not in best or score > best[idx].score):
                    best[idx] = Hit(idx, sent, phrase, score)
    return [best[i] for i in sorted(best)]


VOCAB = [
    "there's", "nothing", "anything", "i", "can", "can't", "do", "else", "is", "not",
    "cancel", "cancels", "my", "contract", "the", "a", "plan", "plans", "new", "no", "know",
    "sorry", "sory", "about", "that", "won't", "will", "you", "your", "welcome", "tideline",
    "every", "all", "ok", "1234", "您好", "账户", "!",
]  # fmt: skip
words = st.lists(st.sampled_from(VOCAB), min_size=0, max_size=6)
sentence = words.map(" ".join)
turn = st.lists(sentence, min_size=1, max_size=3).map(lambda s: ". ".join(s) + ".")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(words.map(" ".join), min_size=1, max_size=6),
    st.lists(turn, min_size=1, max_size=3),
    st.sampled_from([("fuzzy", None), ("fuzzy", 0.6), ("fuzzy", 1.0), ("exact", None)]),
)
def test_find_gives_the_hits_of_every_phrase_scored_against_every_sentence(
    phrases: list[str], turns: list[str], how: tuple[str, float | None]
) -> None:
    mode, threshold = how
    texts = dict(enumerate(turns))
    limit = 1.0 if mode == "exact" else (FUZZY_DEFAULT if threshold is None else threshold)
    assert Matcher().find(texts, phrases, mode, threshold) == one_by_one(
        texts, phrases, mode, limit
    )


def test_the_first_of_equal_phrases_is_named_and_a_near_miss_is_scored_in_full() -> None:
    said = "I'm afraid there's anything else I can do for you"
    # Near enough in characters to be scored in full, and refused there: an opposite.
    assert _best_phrase("fuzzy", ("there's nothing I can do",), said, FUZZY_DEFAULT) is None
    assert fuzzy_score("there's nothing I can do", said) < FUZZY_DEFAULT
    twice = ("anything else I can do", "Anything else, I can do")
    assert _best_phrase("fuzzy", twice, said, FUZZY_DEFAULT) == (twice[0], 1.0)
    assert _best_phrase("regex", (r"\bcan do\b", "else"), said, 1.0) == (r"\bcan do\b", 1.0)
    assert _best_phrase("fuzzy", ("", "   "), said, FUZZY_DEFAULT) is None
