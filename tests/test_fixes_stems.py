"""order.v1's word stems: the same on every run, and long enough to count.

- A hyphenated word ("pre-payment") has a stem for each part; which part stood for the word
  was whichever a set gave first, so whether "your pre-payment is £5" told the customer a
  detail of their account changed with Python's hash seed. Every part counts now.
- A four-letter word ending in a doubled l, s or z keeps it ("bill", "pass"): cut to three
  letters, "bill" fell under the four letters a topic word needs, and "your bill is £45"
  never counted as a detail of the account.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import qa.scorecard.criteria as criteria
from qa.matching import Matcher
from qa.scorecard.context import Context
from qa.scorecard.criteria import _discloses, _stem, _stems
from tests.test_criteria import CHANNELS, conversation, result

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


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("bill", "bill"),  # four letters, a doubled l: kept
        ("bills", "bill"),
        ("billing", "bill"),
        ("billed", "bill"),
        ("pass", "pass"),  # a final "ss" is no plural
        ("passed", "pass"),
        ("passes", "pass"),
        ("class", "clas"),  # five letters: cut, as "classes" has it
        ("classes", "clas"),
        ("buzz", "buzz"),
        ("calls", "call"),
        ("running", "run"),  # not l, s or z: cut
        ("stuff", "stuf"),  # five letters: cut
        ("cancelled", "cancel"),  # longer than four: cut, as "cancel" has it
        ("cancel", "cancel"),
    ],
)
def test_short_words_keep_a_doubled_l_s_or_z(word: str, stem: str) -> None:
    assert _stem(word) == stem


def test_a_word_of_several_parts_stems_the_same_on_every_run() -> None:
    assert _stem("pre-payment") == min(_stems("pre-payment")) == "payment"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Your latest bill was £45.20.", True),
        ("Your bills come to £90 a quarter.", True),
        ("Your bil was £45.", False),  # three letters: still no topic word
    ],
)
def test_the_bill_is_a_detail_of_the_account(sentence: str, expected: bool) -> None:
    assert _discloses(sentence, set(), EN) is expected


DETAILS = {
    "type": "order.v1",
    "first": {"phrases": ["date of birth", "postcode"], "match": "fuzzy"},
    "then": {"phrases": ["your balance", "your contract"], "match": "fuzzy"},
}


@pytest.mark.parametrize("channel", CHANNELS)
def test_the_bill_told_before_the_check_fails_order(channel: str) -> None:
    ask = [("customer", "Hi, I'm ringing about my energy bill.")]
    told = [("agent", "I can help. Your latest bill was £45.20, paid on the 3rd.")]
    check = [
        ("agent", "Before anything else, can I take your date of birth?"),
        ("customer", "Twelfth of March, 1979."),
    ]
    assert result(DETAILS, channel, ask + told + check) == "fail"
    assert result(DETAILS, channel, ask + check + told) == "pass"
