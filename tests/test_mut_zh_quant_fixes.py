"""Chinese quantities that read wrong before, each pinned whole: a monthly or yearly payment
named by its word alone (月供两千, 包月三十, 按年交三百), US dollars said 美金 before the figure,
a bound said of the share paid with 折 (最低7折 is at most 30 % off), a year before 1900
(1899年 was 1899 years), and a numeral said right after a figure ("¥50一个月" was 501 months)."""

from __future__ import annotations

import pytest

from tests.zh_quant_rows import Row, whole


def money(value: float, period: str | None, start: int, end: int, text: str) -> Row:
    return ("money", value, None, period, None, None, start, end, text, {})


def zhe(off: float, bound: str | None, start: int, end: int, text: str) -> Row:
    return ("percent", off, None, None, None, bound, start, end, text, {"form": "zhe"})


@pytest.mark.parametrize(
    ("said", "normalised", "want"),
    [
        # the word of a payment's period alone prices the bare figure after it
        ("月供两千", "月供2000", [money(2000.0, "month", 2, 6, "2000")]),
        ("包月三十", "包月30", [money(30.0, "month", 2, 4, "30")]),
        ("按年交三百", "按年交300", [money(300.0, "year", 3, 6, "300")]),
        ("年缴一千二", "年缴1200", [money(1200.0, "year", 2, 6, "1200")]),
        ("月缴九十九", "月缴99", [money(99.0, "month", 2, 4, "99")]),
        ("月交五十", "月交50", [money(50.0, "month", 2, 4, "50")]),
        ("年交三百元", "年交300元", [money(300.0, "year", 2, 6, "300元")]),
        # ... but not a count of days or of times after it
        (
            "包月30天",
            "包月30天",
            [("duration", 30.0, "day", None, None, None, 2, 5, "30天", {})],
        ),
        (
            "月供两千，共12期",
            "月供2000,共12期",
            [
                money(2000.0, "month", 2, 6, "2000"),
                ("count", 12.0, "期", None, None, None, 8, 11, "12期", {}),
            ],
        ),
        # 美金 before the figure as after it
        (
            "美金三十",
            "美金30",
            [("money", 30.0, "USD", None, None, None, 0, 4, "美金30", {})],
        ),
        (
            "三十美金",
            "30美金",
            [("money", 30.0, "USD", None, None, None, 0, 4, "30美金", {})],
        ),
        # a bound of the share paid is the opposite bound of the discount
        ("最低7折", "最低7折", [zhe(30.0, "max", 2, 4, "7折")]),
        ("7折起", "7折起", [zhe(30.0, "max", 0, 2, "7折")]),
        ("8折以上", "8折以上", [zhe(20.0, "max", 0, 2, "8折")]),
        ("低于7折", "低于7折", [zhe(30.0, "above", 2, 4, "7折")]),
        ("超过8折", "超过8折", [zhe(20.0, "below", 2, 4, "8折")]),
        ("最多7折", "最多7折", [zhe(30.0, "max", 2, 4, "7折")]),
        ("打7折", "打7折", [zhe(30.0, None, 1, 3, "7折")]),
        # four digits before 年 are a year; three are a duration
        ("1899年", "1899年", []),
        ("1000年", "1000年", []),
        ("一九九九年成立", "1999年成立", []),
        (
            "999年",
            "999年",
            [("duration", 999.0, "year", None, None, None, 0, 4, "999年", {})],
        ),
        # a numeral said right after a figure is a number of its own
        (
            "¥50一个月",
            "¥50 1个月",
            [("money", 50.0, "CNY", "month", None, None, 0, 7, "¥50 1个月", {})],
        ),
        (
            "30一年",
            "30 1年",
            [("duration", 1.0, "year", None, None, None, 3, 5, "1年", {})],
        ),
        (
            "一年",
            "1年",
            [("duration", 1.0, "year", None, None, None, 0, 2, "1年", {})],
        ),
    ],
)
def test_misreadings_now_read_right(said: str, normalised: str, want: list[Row]) -> None:
    assert whole(said) == (normalised, want)
