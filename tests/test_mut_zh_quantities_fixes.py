"""Chinese quantities that read wrong before: a one-off payment (一次性) lost its period and
became a count of one, a price said per week (每星期) was read per month, and 10折 (the whole
price) was read as 90 % off. Each phrase is pinned whole."""

from __future__ import annotations

import pytest

from tests.zh_quant_rows import Row, whole


@pytest.mark.parametrize(
    ("said", "normalised", "want"),
    [
        # 一次性 before or after the price: paid once, and no count of one.
        (
            "手续费两百元一次性付清",
            "手续费200元一次性付清",
            [("money", 200.0, None, "once", None, None, 3, 7, "200元", {})],
        ),
        (
            "一次性付两百元就可以",
            "一次性付200元就可以",
            [("money", 200.0, None, "once", None, None, 4, 8, "200元", {})],
        ),
        ("一次性到账", "一次性到账", []),
        # 每星期 is a week, though it ends in 期 (an instalment, read per month).
        (
            "每星期三十元",
            "每星期30元",
            [("money", 30.0, None, "week", None, None, 3, 6, "30元", {})],
        ),
        (
            "每期三十元",
            "每期30元",
            [("money", 30.0, None, "month", None, None, 2, 5, "30元", {})],
        ),
        # 10折 is the whole price: no discount; 1折 is 90 % off.
        ("不打折，就是10折", "不打折,就是10折", []),
        (
            "1折",
            "1折",
            [("percent", 90.0, None, None, None, None, 0, 2, "1折", {"form": "zhe"})],
        ),
    ],
)
def test_once_per_week_and_the_whole_price(said: str, normalised: str, want: list[Row]) -> None:
    assert whole(said) == (normalised, want)


def test_a_count_of_times_is_still_a_count() -> None:
    # 一次 without 性 counts times ("办一次"); only 一次性 is a one-off payment.
    assert whole("每月可以免费办一次") == (
        "每月可以免费办1次",
        [("count", 1.0, "次", None, None, None, 7, 9, "1次", {})],
    )
