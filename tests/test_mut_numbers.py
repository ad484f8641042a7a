"""Spoken numbers that were read wrongly, pinned with their right reading: a dash between two
numbers, notes counted ("two tenners"), quarters of a scale, digits said one by one around
"oh", and a half that belongs to the word before it."""

from __future__ import annotations

import pytest

from qa.statements.numbers import digits
from qa.statements.quantities import extract


@pytest.fixture(autouse=True)
def _fresh_digits() -> None:
    digits.cache_clear()


@pytest.mark.parametrize(
    ("said", "written"),
    [
        # A dash between spaces (an em dash) separates two numbers; a hyphen joins one.
        ("ten\u2014twenty pounds", "10 - 20 pounds"),
        ("ten - twenty", "10 - 20"),
        ("twenty-four ninety-nine", "24.99"),
        ("forty\u2013fifty", "40 to 50"),
        # Notes counted.
        ("two tenners", "20 pounds"),
        ("3 fivers", "15 pounds"),
        ("twelve Tenners", "120 pounds"),
        ("twenty fivers", "100 pounds"),
        ("Thirty tenners", "300 pounds"),
        ("a tenner", "10 pounds"),
        # Quarters of a scale.
        ("a quarter of a million", "250000"),
        ("three quarters of a million", "750000"),
        ("quarter of a million pounds", "250000 pounds"),
        ("one quarter of a thousand", "250"),
        ("a quarter of a grand", "250"),
        # Digits said one by one, with "oh" among them, stay as they are.
        ("oh seven seven", "oh seven seven"),
        ("call oh seven seven one two", "call oh seven seven one two"),
        ("seven seven oh one", "seven seven oh one"),
        ("seven oh one", "seven oh one"),
        ("oh seven oh", "oh seven oh"),
        # ... but two digits in all, or a number that is not a digit, are numbers.
        ("oh seven", "oh 7"),
        ("nine oh", "9 oh"),
        ("oh twenty one", "oh 21"),
        ("Oh, seven pounds", "Oh, 7 pounds"),
        ("one two three", "1 2 3"),
        # "and a half" belongs to the word before it, never to the period after it.
        ("an hour and a half a month", "an hour and a half a month"),
        ("a pound and a half a month", "a pound and a half a month"),
        ("half a month", "15 days"),
        ("a month and a half", "45 days"),
    ],
)
def test_spoken_number(said: str, written: str) -> None:
    assert digits(said) == written


def test_a_dash_between_two_numbers_is_no_price_in_two_groups() -> None:
    _, found = extract("It is ten\u2014twenty pounds a month")
    assert 10.2 not in [q.value for q in found]


def test_notes_counted_are_money() -> None:
    _, found = extract("two tenners a month")
    assert [(q.kind, q.value, q.unit, q.period) for q in found] == [("money", 20.0, "GBP", "month")]


def test_a_quarter_of_a_million_is_money_of_that_size() -> None:
    _, found = extract("a quarter of a million pounds")
    assert [(q.kind, q.value, q.unit) for q in found] == [("money", 250000.0, "GBP")]


def test_a_phone_number_said_digit_by_digit_states_no_quantity() -> None:
    assert extract("call oh seven seven one two")[1] == []


def test_half_of_a_month_is_not_taken_from_an_hour_and_a_half() -> None:
    assert extract("an hour and a half a month")[1] == []


@pytest.mark.parametrize(
    ("said", "written"),
    [
        # A price said in two groups: the first 1-999, the second 10-99, with no scale in it
        # and nothing but a space between.
        ("one ninety-nine", "1.99"),
        ("five ten", "5.10"),
        ("nine hundred ninety nine ninety nine", "999.99"),
        ("eleven twelve", "11.12"),
        ("seventy five twenty", "75.20"),
        ("five nine", "5 9"),
        ("one thousand twenty twenty", "1020 20"),
        ("five and ninety nine", "5 and 99"),
        ("five, ninety nine", "5, 99"),
        ("five two hundred", "5 200"),
        ("five ten twenty", "5 10 20"),
        ("two, three", "2, 3"),
        ("thirty ten", "30.10"),
        ("thirty twelve", "30.12"),
        ("one hundred eleven", "111"),
        # One number: a unit after a ten, a scale after anything, "and" after a scale.
        ("twenty one", "21"),
        ("two thousand three hundred", "2300"),
        ("two thousand and twenty five", "2025"),
        ("a hundred and five", "105"),
        ("one million two hundred thousand", "1200000"),
        ("two hundred thousand", "200000"),
        # Words around a number stay words.
        ("and five", "and 5"),
        ("a five", "a 5"),
        ("five a", "5 a"),
        ("five and", "5 and"),
        ("five point", "5 point"),
        ("five half", "5 half"),
        ("and five a", "and 5 a"),
        ("an eleven year deal", "an 11 year deal"),
        ("an hundred", "100"),
        # "a" or "an" starts a new number.
        ("twenty a thousand", "20 1000"),
        ("eleven an hundred", "11 100"),
        # Decimals said with "point".
        ("point seventy", "0.70"),
        ("two point five six", "2.56"),
        ("two point five twenty", "2.5 20"),
        ("two point ten", "two point ten"),
        ("two point hundred", "two point hundred"),
        ("half point five", "half point five"),
        ("two point five million", "2500000"),
        ("one point two thousand pounds", "1200 pounds"),
        ("point five grand", "500"),
        # Halves of a period.
        ("two and a half years", "30 months"),
        ("two and a half months", "75 days"),
        ("two and a half weeks", "17.5 days"),
        ("two and a half days", "2.5 days"),
        ("three months and a half", "105 days"),
        ("a week and a half", "10.5 days"),
        ("an hour and a half", "an hour and a half"),
        ("half a day", "0.5 days"),
    ],
)
def test_spoken_number_boundaries(said: str, written: str) -> None:
    assert digits(said) == written
