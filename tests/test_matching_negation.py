"""The fuzzy matcher never matches across a negation or an opposite."""

from __future__ import annotations

import pytest

pytest.importorskip("hypothesis")  # the dev extra: skip, naming it, where it is missing

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from qa.matching import FUZZY_DEFAULT, fuzzy_score  # noqa: E402

# A phrase and the same phrase turned into its opposite.
PAIRS = [
    ("there's nothing I can do", "there's anything I can do"),
    ("there's nothing I can do", "there's something I can do"),
    ("there's nothing else I can do", "is there anything else I can do"),
    ("I can't help you with that", "I can help you with that"),
    ("you will never get a refund", "you will always get a refund"),
    ("nobody can fix that", "anybody can fix that"),
    ("that is not my problem", "that is my problem"),
    ("the engineer did not turn up", "the engineer did turn up"),
    ("I want to cancel", "I don't want to cancel"),
    ("calls are recorded", "calls are not recorded"),
    ("I'm sorry about that", "I'm not sorry about that"),
    ("none of it was covered", "all of it was covered"),
    ("we won't charge you", "we will charge you"),
]
filler = st.lists(
    st.sampled_from(["well", "so", "okay", "today", "and", "for you", "honestly", "right"]),
    max_size=4,
)


@given(st.sampled_from(PAIRS), st.booleans(), filler, filler)
def test_a_phrase_never_matches_its_opposite(
    pair: tuple[str, str], flip: bool, lead: list[str], tail: list[str]
) -> None:
    phrase, opposite = pair if not flip else pair[::-1]
    sentence = " ".join([*lead, opposite, *tail])
    assert fuzzy_score(phrase, sentence) < FUZZY_DEFAULT, (phrase, sentence)
    assert fuzzy_score(phrase, " ".join([*lead, phrase, *tail])) == 1.0


@given(filler, st.sampled_from(["want to", "think I will", "need to", "plan to"]), filler)
def test_a_negation_just_before_the_phrase_blocks_it(
    lead: list[str], middle: str, tail: list[str]
) -> None:
    phrase = "cancel my contract"
    assert fuzzy_score(phrase, " ".join([*lead, "I don't", middle, phrase, *tail])) < FUZZY_DEFAULT
    assert fuzzy_score(phrase, " ".join([*lead, "I", middle, phrase, *tail])) == 1.0


def test_the_polite_close_never_matches_the_dismissive_phrase() -> None:
    assert fuzzy_score("there's nothing I can do", "Is there anything else I can do?") == 0.0
    assert fuzzy_score("there's nothing I can do", "Sorry, there's nothing I can do.") == 1.0
