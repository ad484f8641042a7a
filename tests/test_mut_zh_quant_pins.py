"""Chinese quantities pinned whole where a reading depends on one edge of the reader: the
currency and spaces between a bound word and its figure, a quantity that ends where another
begins, a clock time or a reference beside a figure, a period said before a priced figure,
a discount word after a word that prices (只要8折 is a discount, not 8 yuan), and the
smallest and whole-price discounts."""

from __future__ import annotations

import pytest

from qa.statements.zh_quantities import simplified
from tests.zh_quant_rows import Row, whole


def zhe(off: float, start: int, end: int, text: str) -> Row:
    return ("percent", off, None, None, None, None, start, end, text, {"form": "zhe"})


@pytest.mark.parametrize(
    ("said", "normalised", "want"),
    [
        # the signs, codes and spaces between a bound word and its figure are passed over
        (
            "最多¥¥50",
            "最多¥¥50",
            [("money", 50.0, "CNY", None, None, "max", 3, 6, "¥50", {})],
        ),
        (
            "最多   30元",
            "最多   30元",
            [("money", 30.0, None, None, None, "max", 5, 8, "30元", {})],
        ),
        (
            "不超过人民币 ¥50",
            "不超过人民币 ¥50",
            [("money", 50.0, "CNY", None, None, "max", 7, 10, "¥50", {})],
        ),
        (
            "最多X50元",
            "最多X50元",
            [("money", 50.0, None, None, None, None, 3, 6, "50元", {})],
        ),
        # a quantity may end where another begins
        (
            "首月半价30元",
            "首月半价30元",
            [
                ("percent", 50.0, None, None, None, None, 2, 4, "半价", {"form": "half_price"}),
                ("money", 30.0, None, None, None, None, 4, 7, "30元", {}),
            ],
        ),
        # a clock time is no quantity though a reference's long number is in the sentence too
        (
            "晚上8点半价格就变了，订单号6222021133445566",
            "晚上8点半价格就变了,订单号6222021133445566",
            [],
        ),
        # a figure in a reference is passed over, and the next one read
        (
            "编号100元的套餐，每月50元",
            "编号100元的套餐,每月50元",
            [("money", 50.0, None, "month", None, None, 12, 15, "50元", {})],
        ),
        ("1月底", "1月底", [("date", 131, "01-31", None, None, None, 0, 3, "1月底", {})]),
        # the period before a priced figure is its period, not a duration of its own
        (
            "一年保费三百",
            "1年保费300",
            [("money", 300.0, None, "year", None, None, 4, 7, "300", {})],
        ),
        (
            "月费三十起",
            "月费30起",
            [("money", 30.0, None, "month", None, "min", 2, 4, "30", {})],
        ),
        # a reference word or a bound word at the end of the sentence is no figure's
        (
            "月费九十九，请问您的手机号",
            "月费99,请问您的手机号",
            [("money", 99.0, None, "month", None, None, 2, 4, "99", {})],
        ),
        (
            "月费九十九，已经是最低",
            "月费99,已经是最低",
            [("money", 99.0, None, "month", None, None, 2, 4, "99", {})],
        ),
        (
            "3天内到账，请提供订单号",
            "3天内到账,请提供订单号",
            [("duration", 3.0, "day", None, None, None, 0, 2, "3天", {})],
        ),
        # a discount after a word that prices is a discount
        ("只要8折", "只要8折", [zhe(20.0, 2, 4, "8折")]),
        ("只需八五折", "只需85折", [zhe(15.0, 2, 5, "85折")]),
        ("价格8折", "价格8折", [zhe(20.0, 2, 4, "8折")]),
        (
            "只要5成",
            "只要5成",
            [("percent", 50.0, None, None, None, None, 2, 4, "5成", {"form": "cheng"})],
        ),
        # the smallest discount, and the whole price passed over for the next one
        ("0.1折", "0.1折", [zhe(99.0, 0, 4, "0.1折")]),
        ("不是10折，是8折", "不是10折,是8折", [zhe(20.0, 7, 9, "8折")]),
    ],
)
def test_edges_of_the_reader(said: str, normalised: str, want: list[Row]) -> None:
    assert whole(said) == (normalised, want)


def pct(value: float, bound: str | None, start: int, end: int, text: str, form: str) -> Row:
    return ("percent", value, None, None, None, bound, start, end, text, {"form": form})


@pytest.mark.parametrize(
    ("said", "normalised", "want"),
    [
        # a numeral after a one-digit figure is a number of its own too
        (
            "¥5一个月",
            "¥5 1个月",
            [("money", 5.0, "CNY", "month", None, None, 0, 6, "¥5 1个月", {})],
        ),
        # discounts in fractions of a per cent keep them
        ("9.75折", "9.75折", [pct(2.5, None, 0, 5, "9.75折", "zhe")]),
        ("乘以0.975", "乘以0.975", [pct(2.5, None, 0, 7, "乘以0.975", "paid_share")]),
        ("只交97.5%", "只交97.5%", [pct(2.5, None, 2, 7, "97.5%", "paid_share")]),
        # 成: from a tenth of a tenth up to ten tenths, with its bound
        ("0.1成", "0.1成", [pct(1.0, None, 0, 4, "0.1成", "cheng")]),
        ("10成", "10成", [pct(100.0, None, 0, 3, "10成", "cheng")]),
        ("10.1成", "10.1成", []),
        ("最多3成", "最多3成", [pct(30.0, "max", 2, 4, "3成", "cheng")]),
        # a share paid: over half of the price, said first in the sentence too
        ("交85%", "交85%", [pct(15.0, None, 1, 4, "85%", "paid_share")]),
        ("只交50%", "只交50%", [("percent", 50.0, None, None, None, None, 2, 5, "50%", {})]),
        ("只交51%", "只交51%", [pct(49.0, None, 2, 5, "51%", "paid_share")]),
        # durations: half a year with its bound, one after a year or a day of a month
        (
            "最多半年",
            "最多半年",
            [("duration", 6.0, "month", None, None, "max", 2, 4, "半年", {})],
        ),
        (
            "2026年签约，合约3年",
            "2026年签约,合约3年",
            [("duration", 3.0, "year", None, None, None, 10, 12, "3年", {})],
        ),
        ("月5日前还款", "月5日前还款", []),
        (
            "本月5日扣款，3天内到账",
            "本月5日扣款,3天内到账",
            [("duration", 3.0, "day", None, None, None, 7, 9, "3天", {})],
        ),
        (
            "5日内到账",
            "5日内到账",
            [("duration", 5.0, "day", None, None, None, 0, 2, "5日", {})],
        ),
        # counts: one in a reference passed over, a range, a bound
        (
            "订单号2件，共3件",
            "订单号2件,共3件",
            [("count", 3.0, "件", None, None, None, 7, 9, "3件", {})],
        ),
        ("3到5次", "3到5次", [("count", 3.0, "次", None, 5.0, None, 0, 4, "3到5次", {})]),
        ("最多3次", "最多3次", [("count", 3.0, "次", None, None, "max", 2, 4, "3次", {})]),
    ],
)
def test_discounts_durations_and_counts_at_their_edges(
    said: str, normalised: str, want: list[Row]
) -> None:
    assert whole(said) == (normalised, want)


def test_chinese_with_a_stray_kana_is_still_simplified() -> None:
    # The language is given: a kana character does not stop the conversion.
    assert simplified("兩個の") == "两个の"
