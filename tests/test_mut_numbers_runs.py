"""Runs of number words written as digits, pinned at their edges: the words that belong to
the text around a run ("an", a comma) stay out of the number."""

from __future__ import annotations

import pytest

from qa.statements.numbers import digits


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
    assert digits("twenty five, a month").replace(" ,", ",") == "25, a month"
