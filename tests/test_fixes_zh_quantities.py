"""Chinese quantities: a price said in yuan and jiao ("九十九块五") is 99.5, not 99; the end
of February (2月底, and "the end of February" in English) is the 29th in a leap year.
Sentences written here."""

from __future__ import annotations

import pytest

from qa.campaigns.check import _same
from qa.campaigns.schema import Fact
from qa.statements.claims import Claim
from qa.statements.quantities import extract
from qa.statements.zh_quantities import extract_zh


@pytest.mark.parametrize(
    ("text", "money"),
    [
        ("九十九块五", [99.5]),  # the digit after 块 is the jiao
        ("月费九十九块五。", [99.5]),
        ("99块5", [99.5]),
        ("五块五，不贵", [5.5]),
        ("两块五毛", [2.5]),  # with its 毛
        ("三元五角", [3.5]),
        ("九十九块五毛八分", [99.58]),  # and the fen
        ("一百零五块八", [105.8]),
        ("九十九蚊五", [99.5]),
        ("九十九块", [99.0]),
        ("十六块多", [16.5]),  # a little over sixteen, as before
        ("35块一个月", [35.0]),  # a number said with a unit after 块 is no jiao
        ("一百块，五个人", [100.0]),
        ("一百块5个人", [100.0]),
        ("九十九块钱五个", [99.0]),  # 块钱 closes the price
        ("九十九块五十", [99.0]),  # two digits after it: no jiao
    ],
)
def test_yuan_and_jiao(text: str, money: list[float]) -> None:
    _, qs = extract_zh(text)
    assert [round(q.value, 4) for q in qs if q.kind == "money"] == money


def test_a_price_in_yuan_and_jiao_keeps_its_period() -> None:
    _, qs = extract_zh("每个月九十九块五")
    assert [(q.kind, q.value, q.period) for q in qs] == [("money", 99.5, "month")]


def _ends(text: str) -> Claim:
    _, qs = extract(text)
    dates = [q for q in qs if q.kind == "date"]
    assert len(dates) == 1, qs
    return Claim(dates[0], text, text)


def _fact(day: str) -> Fact:
    return Fact.model_validate({"id": "offer_ends", "about": ["截止"], "value": {"date": day}})


@pytest.mark.parametrize(
    "said", ["活动到2月底截止", "优惠到二月底", "The offer runs until the end of February."]
)
@pytest.mark.parametrize(
    ("day", "same"),
    [
        ("2028-02-29", True),  # a leap year: the 29th is the end of February
        ("2027-02-28", True),
        ("2028-02-28", False),  # a day before the end
        ("2027-03-31", False),
    ],
)
def test_the_end_of_february_in_a_leap_year(said: str, day: str, same: bool) -> None:
    assert _same(_ends(said), _fact(day)) is same


@pytest.mark.parametrize(
    ("said", "value"),
    [("活动到2028年2月底", 229), ("活动到2027年2月底", 228), ("活动到4月底", 430)],
)
def test_the_end_of_a_month_with_its_year_said(said: str, value: int) -> None:
    assert _ends(said).quantity.value == value
