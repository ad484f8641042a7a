"""Who opens a mono call: the voice that says the most in its first seconds, so that one
word put with the wrong voice (a short "Hello") does not swap the roles of a whole call."""

from __future__ import annotations

from qa.model import Word
from qa.voice.pipeline import OPENING_S, opening_speaker


def said(*spoken: tuple[float, str]) -> list[tuple[Word, str]]:
    return [(Word(t, t + 0.3, "word"), spk) for t, spk in spoken]


def test_one_word_put_with_the_other_voice_does_not_open_the_call() -> None:
    words = said((6.5, "S2"), (8.2, "S2"), (8.4, "S1"), (8.9, "S1"), (9.5, "S1"), (10.1, "S1"))
    assert opening_speaker(words) == "S1"


def test_only_the_first_seconds_count() -> None:
    # S1 speaks first, S2 says more, but only after the opening window
    words = said((1.0, "S1"), (2.0, "S1"), (6.0 + OPENING_S, "S2"), (6.5 + OPENING_S, "S2"))
    words += said((7.0 + OPENING_S, "S2"))
    assert OPENING_S == 5.0
    assert opening_speaker(words) == "S1"
    # a word exactly at the window's end still counts
    assert opening_speaker(said((0.0, "S2"), (5.0, "S1"), (5.0, "S1"))) == "S1"
    assert opening_speaker(said((0.0, "S2"), (5.1, "S1"), (5.2, "S1"))) == "S2"


def test_a_tie_goes_to_the_voice_heard_first() -> None:
    assert opening_speaker(said((0.0, "S2"), (0.5, "S1"), (1.0, "S1"), (1.5, "S2"))) == "S2"


def test_the_window_is_a_setting_and_no_words_no_speaker() -> None:
    words = said((0.0, "S1"), (1.0, "S2"), (1.5, "S2"))
    assert opening_speaker(words, seconds=0.5) == "S1"
    assert opening_speaker(words, seconds=2.0) == "S2"
    assert opening_speaker([]) is None
