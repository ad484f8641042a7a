"""order.v1's word stems: the same on every run.

- A hyphenated word ("pre-payment") has a stem for each part; which part stood for the word
  was whichever a set gave first, so whether "your pre-payment is £5" told the customer a
  detail of their account changed with Python's hash seed. Every part counts now.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import qa.scorecard.criteria as criteria
from qa.matching import Matcher
from qa.scorecard.context import Context
from qa.scorecard.criteria import _discloses, _stem, _stems
from tests.test_criteria import conversation

EN = Context(conversation("chat", [("agent", "Hello.")]), Matcher(), None, None)


class _Ordered(set):  # type: ignore[type-arg]
    """A set that hands its members out sorted one way or the other, as a hash seed may."""

    def __init__(self, members: set[str], backwards: bool) -> None:
        super().__init__(members)
        self.backwards = backwards

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(set.__iter__(self), reverse=self.backwards))


@pytest.mark.parametrize("backwards", [False, True])
@pytest.mark.parametrize(
    ("sentence", "topics", "expected"),
    [
        ("Your pre-payment is £5.", {"payment"}, True),  # the topic last
        ("Your payment-day is £5.", {"payment"}, True),  # the topic first
        ("Your zig-zag is £5.", {"payment"}, False),  # no part a topic
    ],
)
def test_every_part_of_a_hyphenated_word_counts_whatever_the_set_order(
    monkeypatch: pytest.MonkeyPatch,
    sentence: str,
    topics: set[str],
    expected: bool,
    backwards: bool,
) -> None:
    stems = criteria._stems
    monkeypatch.setattr(criteria, "_stems", lambda text: _Ordered(stems(text), backwards))
    assert _discloses(sentence, topics, EN) is expected


def test_a_word_of_several_parts_stems_the_same_on_every_run() -> None:
    assert _stem("pre-payment") == min(_stems("pre-payment")) == "payment"
