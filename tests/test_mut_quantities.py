"""Quantities read from a sentence, pinned where the reading has an edge: reference numbers
(an order, a policy) are no claims, within 25 characters before the figure and from the
text's first letter; how a figure with no currency and a bound is described."""

from __future__ import annotations

import pytest

from qa.statements.numbers import digits
from qa.statements.quantities import extract


@pytest.fixture(autouse=True)
def _fresh_digits() -> None:
    digits.cache_clear()  # each test reads its text anew (see tests/test_mut_statements.py)


def read(text: str) -> list[tuple[str, float, str | None, str | None, str, str]]:
    return [(q.kind, q.value, q.unit, q.period, q.describe(), q.text) for q in extract(text)[1]]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # A reference word before a figure that would be money makes it a reference.
        ("order number 45.99", []),
        ("Ref 45 a month", []),
        ("It is 45 a month", [("money", 45.0, None, "month", "45 a month", "45 a month")]),
        # The word is looked for in the 25 characters before the figure.
        ("order" + " " * 20 + "45 a month", []),
        (
            "order" + " " * 21 + "45 a month",
            [("money", 45.0, None, "month", "45 a month", "45 a month")],
        ),
    ],
)
def test_a_reference_number_is_no_claim(text: str, want: list[tuple[object, ...]]) -> None:
    assert read(text) == want


def test_a_bound_on_a_figure_of_no_currency_is_described_with_one_space() -> None:
    want = [("money", 55.0, None, "month", "up to 55 a month", "55 a month")]
    assert read("up to 55 a month") == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # A period in any case, after a space, an article or nothing at all.
        ("£10 per Year", [("money", 10.0, "GBP", "year", "GBP 10 a year", "£10 per Year")]),
        ("£10 Monthly", [("money", 10.0, "GBP", "month", "GBP 10 a month", "£10 Monthly")]),
        ("£10monthly", [("money", 10.0, "GBP", "month", "GBP 10 a month", "£10monthly")]),
        ("£10Monthly", [("money", 10.0, "GBP", "month", "GBP 10 a month", "£10Monthly")]),
        ("$99 Upfront", [("money", 99.0, "USD", "once", "USD 99 once", "$99 Upfront")]),
        ("$99 ONE-OFF", [("money", 99.0, "USD", "once", "USD 99 once", "$99 ONE-OFF")]),
    ],
)
def test_the_period_after_a_figure(text: str, want: list[tuple[object, ...]]) -> None:
    assert read(text) == want


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        # The bound word is looked for in the 20 characters before the figure, currency
        # signs and spaces after it aside.
        ("under $$45", "below"),
        ("backup to" + " " * 15 + "$45", "max"),
        ("backup to" + " " * 16 + "$45", None),
        # Any white space between the words and before the figure is one space.
        ("up  to $45", "max"),
        ("up to\t$45", "max"),
        ("at\nleast $45", "min"),
    ],
)
def test_the_bound_before_a_figure(text: str, bound: str | None) -> None:
    [q] = extract(text)[1]
    assert (q.kind, q.value, q.bound, q.text) == ("money", 45.0, bound, "$45")


def test_chinese_text_is_read_by_its_own_reader() -> None:
    assert read("每月三十元") == [("money", 30.0, None, "month", "30 a month", "30元")]


def whole(text: str) -> list[tuple[object, ...]]:
    return [(q.kind, q.value, q.unit, q.period, q.high, q.bound, q.text) for q in extract(text)[1]]


@pytest.mark.parametrize(
    ("text", "normalised", "want"),
    [
        (
            "between $40 and $50 a month",
            "between $40 to $50 a month",
            [("money", 40.0, "USD", "month", 50.0, None, "$40 to $50 a month")],
        ),
        (
            "It is two grand a year",
            "It is 2000 ¤ a year",
            [("money", 2000.0, None, "year", None, None, "2000 ¤ a year")],
        ),
        (
            "up to five grand",
            "up to 5000 ¤",
            [("money", 5000.0, None, None, None, "max", "5000 ¤")],
        ),
        (
            "the 5th of June",
            "the 5th of June",
            [("date", 605, "06-05", None, None, None, "5th of June")],
        ),
        ("June 5th", "June 5th", [("date", 605, "06-05", None, None, None, "June 5th")]),
        (
            "until the end of September",
            "until the end of September",
            [("date", 930, "09-30", None, None, None, "until the end of September")],
        ),
        ("by Sept", "by Sept", [("date", 930, "09-30", None, None, None, "by Sept")]),
        # Two figures written together are both read.
        (
            "£10£20",
            "£10£20",
            [
                ("money", 10.0, "GBP", None, None, None, "£10"),
                ("money", 20.0, "GBP", None, None, None, "£20"),
            ],
        ),
        (
            "20%$5 off",
            "20%$5 off",
            [
                ("percent", 20.0, None, None, None, None, "20%"),
                ("money", 5.0, "USD", None, None, None, "$5"),
            ],
        ),
        # A price per unit of energy written with a sign is no money of its own.
        ("$0.25 per kWh", "$0.25 per kWh", []),
        (
            "$0.25 per KWH and $10 a month",
            "$0.25 per KWH and $10 a month",
            [("money", 10.0, "USD", "month", None, None, "$10 a month")],
        ),
        # A figure that is part of another is passed over, and the next one read.
        (
            "$5 dollars, or 10 pounds",
            "$5 dollars, or 10 pounds",
            [
                ("money", 5.0, "USD", None, None, None, "$5"),
                ("money", 10.0, "GBP", None, None, None, "10 pounds"),
            ],
        ),
        (
            "Use code $50OFF5 for £20 a month",
            "Use code $50OFF5 for £20 a month",
            [("money", 20.0, "GBP", "month", None, None, "£20 a month")],
        ),
        (
            "20 to 30 dollars a month",
            "20 to 30 dollars a month",
            [("money", 20.0, "USD", "month", 30.0, None, "20 to 30 dollars a month")],
        ),
    ],
)
def test_quantities_whole(text: str, normalised: str, want: list[tuple[object, ...]]) -> None:
    got, _ = extract(text)
    assert (got, whole(text)) == (normalised, want)


def test_a_lone_grand_is_no_figure() -> None:
    assert extract("The grand total") == ("The grand ¤ total", [])
