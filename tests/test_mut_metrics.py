"""Metric values on hand-computed turns: every figure below was worked out on paper."""

from __future__ import annotations

import pytest

from qa.metrics import compute_metrics, text_metrics, voice_metrics
from qa.model import Interaction, Turn


def call_turns() -> list[Turn]:
    return [
        Turn("agent", "thank you for calling today how", 1.0, 4.0),  # 6 words, 3.0 s
        Turn("customer", "hi I have a question", 3.5, 6.0),  # 5 words, 2.5 s, 0.5 s over
        Turn("agent", "sure", 6.5, 7.0),  # 1 word, 0.5 s
        Turn("agent", "let me check", 7.5, 11.0),  # 3 words, 3.5 s: one monologue with "sure"
        Turn("customer", "ok thanks", 12.0, 14.0),  # 2 words, 2.0 s
        Turn("customer", "bye", 19.0, 19.0),  # no length: words count, time does not
    ]


def test_voice_metrics_by_hand() -> None:
    m = voice_metrics(call_turns(), 20.0)
    # Speech: (1, 6) (6.5, 7) (7.5, 11) (12, 14); silences 1 + 0.5 + 0.5 + 1 + 6.
    assert m == {
        "talk_agent": 7.0,
        "talk_customer": 4.5,
        "talk_ratio": 0.609,  # 7 / 11.5
        "silence_total": 9.0,
        "silence_longest": 6.0,
        "overtalk": 0.5,
        "monologue_longest": 4.5,  # 6.5 -> 11.0, the gap of 0.5 s bridged
        "wpm_agent": 85.7,  # 10 words in 7 s
        "wpm_customer": 106.7,  # 8 words in 4.5 s
        "turns": 6,
    }


def test_voice_metrics_without_a_duration_end_at_the_last_word() -> None:
    m = voice_metrics(call_turns(), None)
    assert m["silence_total"] == 3.0
    assert m["silence_longest"] == 1.0
    shorter = voice_metrics(call_turns(), 10.0)  # a duration shorter than the speech
    assert shorter["silence_total"] == 3.0


def test_silence_of_an_empty_call_is_its_duration() -> None:
    m = voice_metrics([], 30.0)
    assert m == {
        "talk_agent": 0.0,
        "talk_customer": 0.0,
        "talk_ratio": None,
        "silence_total": 30.0,
        "silence_longest": 30.0,
        "overtalk": 0.0,
        "monologue_longest": 0.0,
        "wpm_agent": None,
        "wpm_customer": None,
        "turns": 0,
    }
    assert voice_metrics([], None)["silence_total"] == 0.0


def test_overlapping_turns_of_one_side_count_once() -> None:
    turns = [
        Turn("agent", "a", 0.0, 4.0),
        Turn("agent", "b", 2.0, 5.0),  # overlaps the first
        Turn("agent", "c", 5.0, 6.0),  # touches the second
        Turn("customer", "d", 3.0, 5.0),
        Turn("customer", "e", 5.5, 7.0),
    ]
    m = voice_metrics(turns, 7.0)
    assert m["talk_agent"] == 6.0
    assert m["talk_customer"] == 3.5
    assert m["overtalk"] == 2.5  # 3 -> 5 and 5.5 -> 6
    assert m["silence_total"] == 0.0
    assert m["monologue_longest"] == 6.0


@pytest.mark.parametrize(
    ("agent", "customer", "expected"),
    [
        ([(0, 10)], [(2, 4), (6, 8)], 4.0),
        ([(2, 4), (6, 8)], [(0, 10)], 4.0),
        ([(0, 5)], [(0, 5)], 5.0),  # same ends
        ([(0, 5), (5, 9)], [(4, 6)], 2.0),
        ([(0, 1)], [(1, 2)], 0.0),
        ([(0, 3), (4, 8)], [(2, 3), (3, 5)], 2.0),
    ],
)
def test_overtalk(
    agent: list[tuple[float, float]], customer: list[tuple[float, float]], expected: float
) -> None:
    turns = [Turn("agent", "x", s, e) for s, e in agent] + [
        Turn("customer", "y", s, e) for s, e in customer
    ]
    assert voice_metrics(turns, None)["overtalk"] == expected


def test_monologues_split_at_a_gap_of_one_second() -> None:
    close = [Turn("agent", "a", 0.0, 2.0), Turn("agent", "b", 2.9, 4.0)]
    assert voice_metrics(close, None)["monologue_longest"] == 4.0
    exact = [Turn("agent", "a", 0.0, 2.0), Turn("agent", "b", 3.0, 4.0)]
    assert voice_metrics(exact, None)["monologue_longest"] == 4.0  # a gap of exactly 1 s joins
    apart = [Turn("agent", "a", 0.0, 2.0), Turn("agent", "b", 3.5, 4.0)]
    assert voice_metrics(apart, None)["monologue_longest"] == 2.0
    customer = [Turn("customer", "a", 0.0, 9.0), Turn("agent", "b", 9.0, 10.0)]
    assert voice_metrics(customer, None)["monologue_longest"] == 1.0


def test_pace_needs_a_second_of_talk() -> None:
    one = voice_metrics([Turn("agent", "one two", 0.0, 1.0)], None)
    assert one["wpm_agent"] == 120.0
    short = voice_metrics([Turn("agent", "one two", 0.0, 0.99)], None)
    assert short["wpm_agent"] is None
    assert short["talk_ratio"] == 1.0


def test_talk_ratio_rounds_to_three_places() -> None:
    turns = [Turn("agent", "a", 0.0, 1.0), Turn("customer", "b", 1.0, 3.0)]
    m = voice_metrics(turns, None)
    assert m["talk_ratio"] == 0.333
    assert m["silence_total"] == 0.0
    assert m["silence_longest"] == 0.0


def test_text_metrics_by_hand() -> None:
    turns = [
        Turn("customer", "hello there", 0.0),
        Turn("customer", "anyone", 10.0),  # still waiting since 0
        Turn("agent", "hi how can I help", 30.0),  # replies after 30 s
        Turn("agent", "sorry for the wait", 40.0),  # not a reply to anything new
        Turn("customer", "my order is late", 100.0),
        Turn("agent", "let me look", 160.0),  # 60 s
        Turn("customer", "thanks", 200.0),  # never answered
    ]
    m = text_metrics(turns)
    assert m == {
        "first_response": 30.0,
        "response_avg": 45.0,
        "response_longest": 60.0,
        "handle_time": 200.0,
        "talk_ratio": 0.429,  # 3 of 7 messages
        "turns": 7,
    }


def test_text_metrics_round_and_order() -> None:
    turns = [
        Turn("customer", "a", 5.0),
        Turn("agent", "b", 15.0),  # 10
        Turn("customer", "c", 20.0),
        Turn("agent", "d", 31.0),  # 11
        Turn("customer", "e", 40.0),
        Turn("agent", "f", 51.0),  # 11
    ]
    m = text_metrics(turns)
    assert m["first_response"] == 10.0
    assert m["response_avg"] == 10.7
    assert m["response_longest"] == 11.0
    assert m["handle_time"] == 46.0
    assert m["talk_ratio"] == 0.5


def test_text_metrics_with_no_reply_or_no_turns() -> None:
    m = text_metrics([Turn("agent", "hello", 3.0), Turn("customer", "", 9.0)])
    assert m["first_response"] is None
    assert m["response_avg"] is None
    assert m["response_longest"] is None
    assert m["handle_time"] == 6.0
    assert m["talk_ratio"] == 1.0
    empty = text_metrics([])
    assert empty["handle_time"] is None
    assert empty["talk_ratio"] is None
    assert empty["turns"] == 0


def test_compute_metrics_picks_the_channel() -> None:
    turns = [Turn("customer", "hi", 0.0, 2.0), Turn("agent", "hello", 4.0, 5.0)]
    voice = compute_metrics(Interaction("v", "voice", "v.wav", turns=turns, duration=6.0))
    assert voice["silence_total"] == 3.0
    assert "first_response" not in voice
    chat = compute_metrics(Interaction("c", "chat", "c.json", turns=turns))
    assert chat["first_response"] == 4.0
    assert "silence_total" not in chat


def test_values_keep_their_stated_precision() -> None:
    turns = [
        Turn("agent", "a b c", 0.0, 1.2345),
        Turn("agent", "", 3.0, 3.0),  # no length: no talk, and the silence stays one gap
        Turn("customer", "d", 5.0, 6.2345),
    ]
    m = voice_metrics(turns, None)
    assert m["talk_agent"] == 1.23
    assert m["talk_customer"] == 1.23
    assert m["monologue_longest"] == 1.23
    assert m["silence_longest"] == 3.77
    assert m["silence_total"] == 3.77  # one gap of 3.7655 s, two places
    chat = text_metrics(
        [Turn("customer", "one two", 0.0), Turn("agent", "three", 1.0), Turn("customer", "x", 2.0)]
    )
    assert chat["talk_ratio"] == 0.333


def test_equal_talk_is_a_ratio_and_overtalk_keeps_two_places() -> None:
    equal = [Turn("agent", "a", 0.0, 1.25), Turn("customer", "b", 5.0, 6.25)]
    assert voice_metrics(equal, None)["talk_ratio"] == 0.5
    over = [Turn("agent", "a", 0.0, 2.0), Turn("customer", "b", 1.0, 2.1234)]
    assert voice_metrics(over, None)["overtalk"] == 1.0
    close = [Turn("agent", "a", 0.0, 2.0), Turn("customer", "b", 0.8766, 3.0)]
    assert voice_metrics(close, None)["overtalk"] == 1.12
