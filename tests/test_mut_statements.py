"""The statement layer's numbers pinned value by value: spoken numbers written as digits
(prices in two groups, decimals, halves, scales, slang, ranges) and the quantities read from
a sentence (kind, value, unit, period, range, bound, span). Cases whose reading is doubtful
are left out rather than pinned."""

from __future__ import annotations

import pytest

from qa.statements.numbers import digits
from qa.statements.quantities import extract

DIGITS = [
    ("four point six percent", "4.6 percent"),
    ("nineteen ninety-nine a month", "19.99 a month"),
    ("a year and a half", "18 months"),
    ("two years and a half", "30 months"),
    ("one and a half years", "18 months"),
    ("two and a half percent", "2.5 percent"),
    ("half a year", "6 months"),
    ("half a month", "15 days"),
    ("half a week", "3.5 days"),
    ("one and a half weeks", "10.5 days"),
    ("one and a half months", "45 days"),
    ("three to five working days", "3 to 5 working days"),
    ("fifty-eight cent", "58 cent"),
    ("a fiver", "5 pounds"),
    ("ten quid", "10 pounds"),
    ("twenty bucks", "20 dollars"),
    ("1,440 minutes", "1440 minutes"),
    ("1,234,567 texts", "1234567 texts"),
    ("three hundred and twenty", "320"),
    ("a million", "1000000"),
    ("half a million", "500000"),
    ("half a grand", "500"),
    ("two and a half grand", "2500"),
    ("one and a half million", "1500000"),
    ("twenty-four ninety-nine", "24.99"),
    ("twenty four ninety nine", "24.99"),
    ("one hundred and twenty", "120"),
    ("two and three", "2 and 3"),
    ("one, two, three", "1, 2, 3"),
    ("thirty five dollars and fifty cents", "35 dollars and 50 cents"),
    ("point five", "0.5"),
    ("two point seventy five", "2.75"),
    ("two point seventy", "2.70"),
    ("point", "point"),
    ("a", "a"),
    ("and a", "and a"),
    ("5 point 25 percent", "5.25 percent"),
    ("10k", "10000"),
    ("1.5m", "1500000"),
    ("2bn", "2000000000"),
    ("3 K", "3000"),
    ("twelve months", "12 months"),
    ("eleven thousand two hundred", "11200"),
    ("five grand", "5000"),
    ("an hour and a half", "an hour and a half"),
    ("nine", "9"),
    ("nineteen", "19"),
    ("one hundred, twenty", "100, 20"),  # a comma after a scale starts another number
    ("two hundred, fifty", "200, 50"),
    ("ninety nine", "99"),
    ("ninety nine ninety nine", "99.99"),
    ("a hundred", "100"),
    ("hundred thousand", "100000"),
    ("three thousand and five", "3005"),
    ("fifteen fifteen", "15.15"),
    ("forty–fifty dollars", "40 to 50 dollars"),
    ("eight twelve", "8.12"),
    ("twenty thirty", "20.30"),
    ("seven and a half stars", "7.5 stars"),
]

# text -> the digit-normalised text, then per quantity: kind, value, unit, period, high,
# bound, start, end, working, describe()
EXTRACT = [
    (
        "It is $35 a month.",
        "It is $35 a month.",
        [("money", 35.0, "USD", "month", None, None, 6, 17, False, "USD 35 a month")],
    ),
    (
        "It is £35.50 per month for 12 months.",
        "It is £35.50 per month for 12 months.",
        [
            ("money", 35.5, "GBP", "month", None, None, 6, 22, False, "GBP 35.5 a month"),
            ("duration", 12.0, "month", None, None, None, 27, 36, False, "12 month"),
        ],
    ),
    (
        "thirty five dollars and fifty cents",
        "35 dollars and 50 cents",
        [("money", 35.5, "USD", None, None, None, 0, 23, False, "USD 35.5")],
    ),
    (
        "35 dollars 50 cents",
        "35 dollars 50 cents",
        [("money", 35.5, "USD", None, None, None, 0, 19, False, "USD 35.5")],
    ),
    (
        "It costs €20 to €30 a year.",
        "It costs €20 to €30 a year.",
        [("money", 20.0, "EUR", "year", 30.0, None, 9, 26, False, "EUR 20-30 a year")],
    ),
    (
        "$99 upfront",
        "$99 upfront",
        [("money", 99.0, "USD", "once", None, None, 0, 11, False, "USD 99 once")],
    ),
    (
        "up to 40% off",
        "up to 40% off",
        [("percent", 40.0, None, None, None, "max", 6, 9, False, "up to 40%")],
    ),
    (
        "at least 3 GB",
        "at least 3 GB",
        [("count", 3.0, "gb", None, None, "min", 9, 13, False, "at least 3 gb")],
    ),
    (
        "under 5 pounds",
        "under 5 pounds",
        [("money", 5.0, "GBP", None, None, "below", 6, 14, False, "under GBP 5")],
    ),
    (
        "over 100 minutes a month",
        "over 100 minutes a month",
        [
            (
                "count",
                100.0,
                "minute",
                "month",
                None,
                "above",
                5,
                24,
                False,
                "over 100 minute a month",
            )
        ],
    ),
    (
        "3 to 5 working days",
        "3 to 5 working days",
        [("duration", 3.0, "day", None, 5.0, None, 0, 19, True, "3-5 day")],
    ),
    (
        "2 business days",
        "2 business days",
        [("duration", 2.0, "day", None, None, None, 0, 15, True, "2 day")],
    ),
    (
        "18 cent per kWh",
        "18 cent per kWh",
        [("rate", 18.0, "cent/kwh", None, None, None, 0, 15, False, "18 cent per kWh")],
    ),
    ("20 cents", "20 cents", [("money", 0.2, None, None, None, None, 0, 8, False, "0.2")]),
    (
        "4.6 percent",
        "4.6 percent",
        [("percent", 4.6, None, None, None, None, 0, 11, False, "4.6%")],
    ),
    (
        "4.6 per cent",
        "4.6 per cent",
        [("percent", 4.6, None, None, None, None, 0, 12, False, "4.6%")],
    ),
    (
        "the 31st of May",
        "the 31st of May",
        [("date", 531, "05-31", None, None, None, 4, 15, False, "531 05-31")],
    ),
    ("May 31st", "May 31st", [("date", 531, "05-31", None, None, None, 0, 8, False, "531 05-31")]),
    (
        "until the end of May",
        "until the end of May",
        [("date", 531, "05-31", None, None, None, 0, 20, False, "531 05-31")],
    ),
    ("by June", "by June", [("date", 630, "06-30", None, None, None, 0, 7, False, "630 06-30")]),
    ("300 international minutes", "300 international minutes", []),
    (
        "12-month contract",
        "12-month contract",
        [("duration", 12.0, "month", None, None, None, 0, 8, False, "12 month")],
    ),
    ("call 0800 123 4567", "call 0800 123 4567", []),
    ("room 101", "room 101", []),
    ("at 10:30", "at 10:30", []),
    ("at 5 pm", "at 5 pm", []),
    ("model X200", "model X200", []),
    (
        "it is 45 after 12 months",
        "it is 45 after 12 months",
        [("duration", 12.0, "month", None, None, None, 15, 24, False, "12 month")],
    ),
    (
        "1000 Mbps",
        "1000 Mbps",
        [("count", 1000.0, "mbps", None, None, None, 0, 9, False, "1000 mbps")],
    ),
    ("2 lines", "2 lines", [("count", 2.0, "line", None, None, None, 0, 7, False, "2 line")]),
    (
        "a fiver a week",
        "5 pounds a week",
        [("money", 5.0, "GBP", "week", None, None, 0, 15, False, "GBP 5 a week")],
    ),
    (
        "£10 daily",
        "£10 daily",
        [("money", 10.0, "GBP", "day", None, None, 0, 9, False, "GBP 10 a day")],
    ),
    (
        "$5 each month",
        "$5 each month",
        [("money", 5.0, "USD", "month", None, None, 0, 13, False, "USD 5 a month")],
    ),
    (
        "$60 annually",
        "$60 annually",
        [("money", 60.0, "USD", "year", None, None, 0, 12, False, "USD 60 a year")],
    ),
    (
        "$60 for the whole year",
        "$60 for the whole year",
        [("money", 60.0, "USD", "year", None, None, 0, 22, False, "USD 60 a year")],
    ),
    ("10-20%", "10-20%", [("percent", 10.0, None, None, 20.0, None, 0, 6, False, "10-20%")]),
    (
        "$1,200 a year",
        "$1200 a year",
        [("money", 1200.0, "USD", "year", None, None, 0, 12, False, "USD 1200 a year")],
    ),
    (
        "two and a half percent",
        "2.5 percent",
        [("percent", 2.5, None, None, None, None, 0, 11, False, "2.5%")],
    ),
]


@pytest.fixture(autouse=True)
def _fresh_digits() -> None:
    """digits() remembers its answers: each test reads its text anew (mutation testing forks a
    process whose cache was filled by the unmutated code)."""
    digits.cache_clear()


@pytest.mark.parametrize(("said", "written"), DIGITS)
def test_spoken_numbers_as_digits(said: str, written: str) -> None:
    assert digits(said) == written


@pytest.mark.parametrize(("text", "normalised", "quantities"), EXTRACT)
def test_quantities_read_from_a_sentence(text: str, normalised: str, quantities: list) -> None:
    got, found = extract(text)
    assert got == normalised
    assert [
        (
            q.kind,
            q.value,
            q.unit,
            q.period,
            q.high,
            q.bound,
            q.start,
            q.end,
            q.working,
            q.describe(),
        )
        for q in found
    ] == quantities
