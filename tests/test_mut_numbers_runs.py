"""Runs of number words written as digits, pinned at their edges: the words that belong to
the text around a run ("an", a comma) stay out of the number."""

from __future__ import annotations

import pytest

from qa.statements.numbers import _parse_group, digits
from qa.statements.quantities import extract


@pytest.fixture(autouse=True)
def _fresh_digits() -> None:
    digits.cache_clear()  # each test reads its text anew (see tests/test_mut_statements.py)


@pytest.mark.parametrize(
    ("said", "written"),
    [
        ("five an", "5 an"),
        ("twenty an hour", "20 an hour"),
    ],
)
def test_a_trailing_article_is_no_number(said: str, written: str) -> None:
    assert digits(said) == written


def test_a_comma_after_a_number_stays_with_the_text_after() -> None:
    # "twenty five, a month": the comma ends the number; "a month" is not read onto it.
    assert digits("twenty five, a month") == "25, a month"
    assert digits("it's twenty five, thirty with the router") == "it's 25, 30 with the router"


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ([], None),
        (["and"], None),  # no number word: no number
        (["a", "hundred"], 100.0),
        (["three", "hundred", "and", "twenty"], 320.0),
        (["two", "million", "five", "thousand"], 2005000.0),
        (["twenty", "pounds"], None),
    ],
)
def test_a_group_of_number_words(words: list[str], value: float | None) -> None:
    assert _parse_group(words) == value


@pytest.mark.parametrize(
    ("said", "written"),
    [
        ("two point seventy five", "2.75"),
        ("two point seventy", "2.70"),
        ("two point seventy zero", "2.70"),
        # What follows the decimal is a number of its own, or the decimal's scale.
        ("two point seventy five three", "2.75 3"),
        ("two point seventy five million", "2750000"),
        ("two point fifty thousand", "2500"),
        ("two point five million three", "2500000 3"),
    ],
)
def test_a_decimal_said_in_tens(said: str, written: str) -> None:
    assert digits(said) == written


@pytest.mark.parametrize(
    ("said", "written"),
    [
        # A ten after "point" takes a unit after it, never another ten or a teen.
        ("two point seventy twenty", "2.70 20"),
        ("two point seventy eleven", "2.70 11"),
        ("two point seventy ten", "2.70 10"),
        ("it is two point fifty twenty four months", "it is 2.50 24 months"),
    ],
)
def test_a_ten_after_point_takes_only_a_unit(said: str, written: str) -> None:
    assert digits(said) == written


def test_a_decimal_said_in_tens_before_a_duration_keeps_its_value() -> None:
    _, found = extract("it is two point fifty twenty four months")
    assert [(q.kind, q.value, q.unit) for q in found] == [
        ("money", 2.5, None),
        ("duration", 24.0, "month"),
    ]


@pytest.mark.parametrize(
    ("said", "written"),
    [
        ("The grand total is $50.", "The grand total is $50."),
        ("That's grand, thanks.", "That's grand, thanks."),
        ("a grand a year", "1000 a year"),
        ("two grand", "2000"),
    ],
)
def test_grand_is_a_thousand_only_after_a_count(said: str, written: str) -> None:
    assert digits(said) == written


def test_the_grand_total_states_no_thousand() -> None:
    _, found = extract("The grand total is $50.")
    assert [(q.kind, q.value, q.unit, q.text) for q in found] == [("money", 50.0, "USD", "$50")]


@pytest.mark.parametrize(
    ("said", "written"),
    [
        # What is left after a decimal is read as a number of its own, however long.
        ("two point seventy five twenty one", "2.75 21"),
        # Words around a decimal stay words.
        ("and two point five", "and 2.5"),
    ],
)
def test_around_a_decimal(said: str, written: str) -> None:
    assert digits(said) == written
