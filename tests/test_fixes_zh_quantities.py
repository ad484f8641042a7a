"""Chinese quantities: a price said in yuan and jiao ("九十九块五") is 99.5, not 99; the end
of February is the 29th in a leap year. Sentences written here."""

from __future__ import annotations

import pytest

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
