"""question.v1's `about:`: only questions about a topic count, each in voice, chat and email.

The topic is given as words or a short description ("the customer's usage") and matched by
words (any ending) and by meaning (a word of the question close to one of the topic's, or the
whole question close to a request about the topic). Requests for data never count as open
questions, whatever their topic.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_criteria import CHANNELS, result, verdict

USAGE = {"type": "question.v1", "kind": "open", "min": 1, "about": "the customer's usage"}
OPENER = ("customer", "Hi, I'm thinking about changing my mobile plan.")


@pytest.mark.models  # meaning needs the real sentence model
@pytest.mark.parametrize("channel", CHANNELS)
def test_only_questions_about_the_topic_count(channel: str) -> None:
    off_topic = [
        OPENER,
        ("agent", "Sure. How did you first hear about us?"),
        ("customer", "A friend told me."),
        ("agent", "And what made you think of changing now?"),
    ]
    assert result({**USAGE, "about": None}, channel, off_topic) == "pass"  # as before
    out = verdict(USAGE, channel, off_topic)
    assert out.result == "fail"
    assert "the customer's usage" in out.note
    for asked in (
        "How often do you use your phone when you're travelling?",
        "What do you mostly use your mobile data for during the day?",
    ):
        lines = [*off_topic, ("customer", "The price, mostly."), ("agent", asked)]
        out = verdict(USAGE, channel, lines)
        assert out.result == "pass", asked
        assert [e.quote for e in out.evidence] == [asked]


@pytest.mark.models
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_topic_given_as_words_counts_questions_that_say_them(channel: str) -> None:
    words = {**USAGE, "about": ["streaming, gaming", "data"], "min": 2}
    lines = [
        OPENER,
        ("agent", "What sort of shows do you stream on the train?"),
        ("customer", "Mostly football."),
        ("agent", "What eats up most of your data by the end of the month?"),
        ("customer", "All of it, usually."),
        ("agent", "Who else is on the account with you?"),
    ]
    out = verdict(words, channel, lines)
    assert out.result == "pass"
    assert out.details == {"count": 2}
    assert result({**words, "min": 3}, channel, lines) == "fail"


@pytest.mark.models
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_request_for_data_on_the_topic_is_no_discovery_question(channel: str) -> None:
    account = {**USAGE, "about": "the customer's account"}
    lines = [
        ("customer", "Something is wrong with my account."),
        ("agent", "What's the account number, please?"),
        ("customer", "It's 5512 0098."),
        ("agent", "And the postcode on the account?"),
    ]
    assert result(account, channel, lines) == "fail"
    asked = "What's been happening with the account that worries you?"
    assert result(account, channel, [*lines, ("customer", "HU5 1AB."), ("agent", asked)]) == "pass"


@pytest.mark.models
@pytest.mark.parametrize("channel", CHANNELS)
def test_closed_and_any_questions_filter_by_topic_too(channel: str) -> None:
    closed = {"type": "question.v1", "kind": "closed", "min": 1, "about": "the household"}
    lines = [
        OPENER,
        ("agent", "Do you need it today?"),
        ("customer", "Ideally."),
        ("agent", "Is it just you living at the house?"),
    ]
    out = verdict(closed, channel, lines)
    assert out.result == "pass" and out.details == {"count": 1}
    assert result({**closed, "kind": "any", "max": 0}, channel, lines) == "fail"
    assert result({**closed, "about": "the customer's budget"}, channel, lines) == "fail"


@pytest.mark.parametrize(
    ("about", "message"),
    [
        ('"the customer"', "about → 0: 'the customer' names no topic"),
        ("[usage, asks about]", "about → 1: 'asks about' names no topic"),
        ("[]", "about: list should have at least 1 item"),
        ('[""]', "about → 0: string should have at least 1 character"),
        ("usage\n        about_threshold: 2", "about_threshold: input should be less than"),
    ],
)
def test_about_errors_name_the_file_line_and_path(tmp_path: Path, about: str, message: str) -> None:
    from qa.scorecard.load import load_scorecard
    from qa.yamlfile import FileErrors

    path = tmp_path / "card.yaml"
    path.write_text(
        "name: T\nsections:\n  - id: s\n    criteria:\n      - id: q\n"
        f"        type: question.v1\n        about: {about}\n",
        encoding="utf-8",
    )
    with pytest.raises(FileErrors) as caught:
        load_scorecard(path)
    problems = caught.value.problems
    assert any(p.startswith("card.yaml:") and message in p for p in problems), problems


def test_a_threshold_needs_a_topic(tmp_path: Path) -> None:
    from qa.scorecard.load import load_scorecard
    from qa.yamlfile import FileErrors

    path = tmp_path / "card.yaml"
    path.write_text(
        "name: T\nsections:\n  - id: s\n    criteria:\n      - id: q\n"
        "        type: question.v1\n        about_threshold: 0.4\n",
        encoding="utf-8",
    )
    with pytest.raises(FileErrors) as caught:
        load_scorecard(path)
    assert any(
        p.startswith("card.yaml:5 ") and "about_threshold: give about" in p
        for p in caught.value.problems
    ), caught.value.problems


def test_topic_words_and_probe() -> None:
    from qa.scorecard.criteria import _topic_probe, topic_words

    assert topic_words("asks about the customer's usage") == {"usage"}
    assert _topic_probe("asks about the customer's usage") == "Tell me about your usage."
    assert _topic_probe("what they expected") == "Tell me about what you expected."
    assert _topic_probe("用电习惯") == "用电习惯"
