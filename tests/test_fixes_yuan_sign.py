"""English statements: a figure written with the yuan sign (¥, or the full-width ￥) is money
in CNY, as the Chinese reader has it, and is read the way $, £ and € figures are: its
range, its bound and its period. Sentences written here."""

from __future__ import annotations

import pytest

from qa.statements.claims import extract_claims
from qa.statements.quantities import extract


def _money(text: str) -> list[tuple[float, str | None, str | None, float | None, str | None]]:
    _, qs = extract(text)
    return [(q.value, q.unit, q.period, q.high, q.bound) for q in qs if q.kind == "money"]


@pytest.mark.parametrize(
    ("text", "money"),
    [
        ("It costs ¥500.", [(500.0, "CNY", None, None, None)]),
        ("It costs ￥500.", [(500.0, "CNY", None, None, None)]),  # full width
        ("The plan is ¥50 a month.", [(50.0, "CNY", "month", None, None)]),
        ("It costs up to ¥500.", [(500.0, "CNY", None, None, "max")]),
        ("It is ¥40-¥60 a month.", [(40.0, "CNY", "month", 60.0, None)]),
        ("Anywhere between ¥40 and ¥60 a month.", [(40.0, "CNY", "month", 60.0, None)]),
        ("It costs £500.", [(500.0, "GBP", None, None, None)]),  # the other signs as before
    ],
)
def test_the_yuan_sign_is_money(text: str, money: list[tuple]) -> None:
    assert _money(text) == money


def test_a_figure_said_instead_of_another_in_yuan() -> None:
    claims = extract_claims("It is ¥50, not ¥60.")
    assert [(c.quantity.value, c.quantity.unit, c.polarity) for c in claims] == [
        (50.0, "CNY", "corrected"),  # as "$50, not $60" has it
        (60.0, "CNY", "negated"),
    ]
