"""Chinese quantities pinned whole: every field of every quantity read from a phrase (kind,
value, unit, period, range, bound, span, text, working days, form), the normalised text it was
read from, numerals written as digits, and dates said relative to the contact's day.

The phrases are written here, one edge of the reader each: a month of 13, the 31st of a month,
a bound word right before the figure or past a currency, a period before the figure across a
comma, a figure that is part of a reference or a clock time.
"""

from __future__ import annotations

import datetime as dt

import pytest

from qa.statements.quantities import extract
from qa.statements.zh_quantities import _f, has_han, relative_dates, simplified, zh_digits

Row = tuple[object, ...]


def whole(text: str) -> tuple[str, list[Row]]:
    t, found = extract(text)
    rows = [
        (q.kind, q.value, q.unit, q.period, q.high, q.bound, q.start, q.end, q.text, q.working,
         q.extra)
        for q in found
    ]  # fmt: skip
    return t, rows


@pytest.mark.parametrize(
    ("said", "written"),
    [
        ("三十五元", "35元"),
        ("两千", "2000"),
        ("兩千一百八十塊", "2180块"),
        ("1.5万", "15000"),
        ("3.5万", "35000"),
        ("5千", "5000"),
        ("2亿", "200000000"),
        ("1.5 千", "1500"),
        ("5万分", "5万分"),
        ("三 万", "三 万"),
        ("百分之二十", "20%"),
        ("百分之五十点五", "50.5%"),
        ("百分之5", "5%"),
        ("零点五", "0.5"),
        ("4,860元", "4860元"),
        ("5,000,000元", "5000000元"),
        ("12,34", "12,34"),
        ("1,2345", "1,2345"),
        ("十五", "15"),
        ("十万", "100000"),
        ("十来块", "10来块"),
        ("十多新台币", "10多新台币"),
        ("一个半", "1个半"),
        ("二零二六年", "2026年"),
        ("一千零一", "1001"),
        ("三千五百万", "35000000"),
        ("满五", "满5"),
        ("原价是九", "原价是9"),
        ("乘以二", "乘以2"),
        ("×三", "×3"),
        ("只要九", "只要9"),
        ("第一次", "第1次"),
        ("每三个月", "每3个月"),
        ("看一看", "看一看"),
        ("说二", "说二"),
        ("十", "十"),
        ("百万富翁", "百万富翁"),
        ("十十", "十十"),
        ("一样", "一样"),
        ("统一价", "统一价"),
        ("唯一的", "唯一的"),
        ("万一", "万一"),
        ("千万不要", "千万不要"),
        ("十分好", "十分好"),
        ("一五一十", "一五一十"),
        ("九成九", "九成九"),
        ("一路顺风", "一路顺风"),
        ("一一", "一一"),
        ("一下子", "一下子"),
        ("一口气办完", "一口气办完"),
        # a word that starts one character before the numeral (统一), though a unit follows
        ("统一个标准", "统一个标准"),
        ("我们会统一个标准", "我们会统一个标准"),
        # digits said one by one are one number
        ("二五八", "258"),
    ],
)
def test_numerals_are_written_as_digits_only_where_a_number_stands(said: str, written: str) -> None:
    zh_digits.cache_clear()
    assert zh_digits(said) == written


@pytest.mark.parametrize(
    ("said", "normalised", "want"),
    [
        # dates: a day of a month, the end of a month or of the year
        (
            "2026年3月31日前办好",
            "2026年3月31日前办好",
            [("date", 331, "03-31", None, None, None, 0, 10, "2026年3月31日", False, {})],
        ),
        (
            "12月31日",
            "12月31日",
            [("date", 1231, "12-31", None, None, None, 0, 6, "12月31日", False, {})],
        ),
        ("1月1号", "1月1号", [("date", 101, "01-01", None, None, None, 0, 4, "1月1号", False, {})]),
        ("13月5日", "13月5日", []),
        ("0月5日", "0月5日", []),
        ("3月32日", "3月32日", []),
        ("3月0日", "3月0日", []),
        (
            "12月底",
            "12月底",
            [("date", 1231, "12-31", None, None, None, 0, 4, "12月底", False, {})],
        ),
        (  # February's end without a year: the 28th, marked to meet the 29th of a leap year
            "2月底",
            "2月底",
            [("date", 228, "02-28", None, None, None, 0, 3, "2月底", False, {"month_end": "yes"})],
        ),
        (
            "6月份末",
            "6月份末",
            [("date", 630, "06-30", None, None, None, 0, 4, "6月份末", False, {})],
        ),
        ("13月底", "13月底", []),
        ("0月底", "0月底", []),
        ("年底前", "年底前", [("date", 1231, "12-31", None, None, None, 0, 2, "年底", False, {})]),
        ("年末", "年末", [("date", 1231, "12-31", None, None, None, 0, 2, "年末", False, {})]),
        # money with its currency, before or after the figure, a range, 'a little over' (多)
        (
            "人民币35元",
            "人民币35元",
            [("money", 35.0, "CNY", None, None, None, 0, 6, "人民币35元", False, {})],
        ),
        ("只要¥35", "只要¥35", [("money", 35.0, "CNY", None, None, None, 2, 5, "¥35", False, {})]),
        (
            "满HK$35",
            "满HK$35",
            [("money", 35.0, "HKD", None, None, None, 1, 6, "HK$35", False, {})],
        ),
        (
            "NT$30块钱",
            "NT$30块钱",
            [("money", 30.0, "TWD", None, None, None, 0, 7, "NT$30块钱", False, {})],
        ),
        (
            "RMB 35多",
            "RMB 35多",
            [("money", 35.5, "CNY", None, None, None, 0, 7, "RMB 35多", False, {})],
        ),
        (
            "美元100多",
            "美元100多",
            [("money", 100.5, "USD", None, None, None, 0, 6, "美元100多", False, {})],
        ),
        (
            "US$50元",
            "US$50元",
            [("money", 50.0, "USD", None, None, None, 0, 6, "US$50元", False, {})],
        ),
        (
            "三十美金",
            "30美金",
            [("money", 30.0, "USD", None, None, None, 0, 4, "30美金", False, {})],
        ),
        (
            "三十欧元",
            "30欧元",
            [("money", 30.0, "EUR", None, None, None, 0, 4, "30欧元", False, {})],
        ),
        (
            "三十英镑",
            "30英镑",
            [("money", 30.0, "GBP", None, None, None, 0, 4, "30英镑", False, {})],
        ),
        (
            "五十块钱",
            "50块钱",
            [("money", 50.0, None, None, None, None, 0, 4, "50块钱", False, {})],
        ),
        ("五十圆", "50圆", [("money", 50.0, None, None, None, None, 0, 3, "50圆", False, {})]),
        ("三十五蚊", "35蚊", [("money", 35.0, None, None, None, None, 0, 3, "35蚊", False, {})]),
        (
            "20-30元一个月",
            "20-30元1个月",
            [("money", 20.0, None, "month", 30.0, None, 0, 9, "20-30元1个月", False, {})],
        ),
        (
            "20~30块",
            "20~30块",
            [("money", 20.0, None, None, 30.0, None, 0, 6, "20~30块", False, {})],
        ),
        (
            "20至30元",
            "20至30元",
            [("money", 20.0, None, None, 30.0, None, 0, 6, "20至30元", False, {})],
        ),
        (
            "3万块以内",
            "30000块以内",
            [("money", 30000.0, None, None, None, "max", 0, 6, "30000块", False, {})],
        ),
        ("编号100元的套餐", "编号100元的套餐", []),
        (
            "十六块多",
            "16块多",
            [("money", 16.5, None, None, None, None, 0, 4, "16块多", False, {})],
        ),
        # a bare figure after a word that prices it
        (
            "年费399",
            "年费399",
            [("money", 399.0, None, "year", None, None, 2, 5, "399", False, {})],
        ),
        ("只要199", "只要199", [("money", 199.0, None, None, None, None, 2, 5, "199", False, {})]),
        (
            "满300减50",
            "满300减50",
            [("money", 300.0, None, None, None, None, 1, 4, "300", False, {})],
        ),
        (
            "保额是50万",
            "保额是500000",
            [("money", 500000.0, None, None, None, None, 3, 9, "500000", False, {})],
        ),
        (
            "原价为100",
            "原价为100",
            [("money", 100.0, None, None, None, None, 3, 6, "100", False, {})],
        ),
        ("只需两百", "只需200", [("money", 200.0, None, None, None, None, 2, 5, "200", False, {})]),
        (
            "月费是二十九",
            "月费是29",
            [("money", 29.0, None, "month", None, None, 3, 5, "29", False, {})],
        ),
        (
            "只要3天",
            "只要3天",
            [("duration", 3.0, "day", None, None, None, 2, 4, "3天", False, {})],
        ),
        ("只要3个", "只要3个", []),
        ("只要5%", "只要5%", [("percent", 5.0, None, None, None, None, 2, 4, "5%", False, {})]),
        ("只要5.5", "只要5.5", [("money", 5.5, None, None, None, None, 2, 5, "5.5", False, {})]),
        # the period after the figure, and the words that are no period
        (
            "三十元每月",
            "30元每月",
            [("money", 30.0, None, "month", None, None, 0, 5, "30元每月", False, {})],
        ),
        (
            "三十元 /月",
            "30元 /月",
            [("money", 30.0, None, "month", None, None, 0, 6, "30元 /月", False, {})],
        ),
        (
            "三十元一年",
            "30元1年",
            [("money", 30.0, None, "year", None, None, 0, 5, "30元1年", False, {})],
        ),
        (
            "三十元每天",
            "30元每天",
            [("money", 30.0, None, "day", None, None, 0, 5, "30元每天", False, {})],
        ),
        (
            "三十元一日",
            "30元1日",
            [("money", 30.0, None, "day", None, None, 0, 5, "30元1日", False, {})],
        ),
        (
            "三十元一周",
            "30元1周",
            [("money", 30.0, None, "week", None, None, 0, 5, "30元1周", False, {})],
        ),
        (
            "三十元每星期",
            "30元每星期",
            [("money", 30.0, None, "week", None, None, 0, 6, "30元每星期", False, {})],
        ),
        (
            "三十元一个月底",
            "30元1个月底",
            [("money", 30.0, None, None, None, None, 0, 3, "30元", False, {})],
        ),
        (
            "三十元一月份",
            "30元1月份",
            [("money", 30.0, None, None, None, None, 0, 3, "30元", False, {})],
        ),
        (
            "三十元一年半",
            "30元1年半",
            [
                ("money", 30.0, None, None, None, None, 0, 3, "30元", False, {}),
                ("duration", 18.0, "month", None, None, None, 3, 6, "1年半", False, {}),
            ],
        ),
        # the period before the figure, within the clause
        (
            "每月三十元",
            "每月30元",
            [("money", 30.0, None, "month", None, None, 2, 5, "30元", False, {})],
        ),
        (
            "每个月三十元",
            "每个月30元",
            [("money", 30.0, None, "month", None, None, 3, 6, "30元", False, {})],
        ),
        (
            "月缴三十元",
            "月缴30元",
            [("money", 30.0, None, "month", None, None, 2, 5, "30元", False, {})],
        ),
        (
            "月交三十元",
            "月交30元",
            [("money", 30.0, None, "month", None, None, 2, 5, "30元", False, {})],
        ),
        (
            "按月三十元",
            "按月30元",
            [("money", 30.0, None, "month", None, None, 2, 5, "30元", False, {})],
        ),
        (
            "包月三十元",
            "包月30元",
            [("money", 30.0, None, "month", None, None, 2, 5, "30元", False, {})],
        ),
        (
            "一个月三十元",
            "1个月30元",
            [("money", 30.0, None, "month", None, None, 3, 6, "30元", False, {})],
        ),
        (
            "每年三十元",
            "每年30元",
            [("money", 30.0, None, "year", None, None, 2, 5, "30元", False, {})],
        ),
        (
            "年缴三十元",
            "年缴30元",
            [("money", 30.0, None, "year", None, None, 2, 5, "30元", False, {})],
        ),
        (
            "年交三十元",
            "年交30元",
            [("money", 30.0, None, "year", None, None, 2, 5, "30元", False, {})],
        ),
        (
            "按年三十元",
            "按年30元",
            [("money", 30.0, None, "year", None, None, 2, 5, "30元", False, {})],
        ),
        (
            "一年三十元",
            "1年30元",
            [("money", 30.0, None, "year", None, None, 2, 5, "30元", False, {})],
        ),
        (
            "每日三十元",
            "每日30元",
            [("money", 30.0, None, "day", None, None, 2, 5, "30元", False, {})],
        ),
        (
            "每天三十元",
            "每天30元",
            [("money", 30.0, None, "day", None, None, 2, 5, "30元", False, {})],
        ),
        (
            "每周三十元",
            "每周30元",
            [("money", 30.0, None, "week", None, None, 2, 5, "30元", False, {})],
        ),
        (
            "每期三十元",
            "每期30元",
            [("money", 30.0, None, "month", None, None, 2, 5, "30元", False, {})],
        ),
        (
            "每月的费用是三十元",
            "每月的费用是30元",
            [("money", 30.0, None, "month", None, None, 6, 9, "30元", False, {})],
        ),
        (
            "每月费用，三十元",
            "每月费用,30元",
            [("money", 30.0, None, None, None, None, 5, 8, "30元", False, {})],
        ),
        (
            "一个月大概十六块多",
            "1个月大概16块多",
            [("money", 16.5, None, "month", None, None, 5, 9, "16块多", False, {})],
        ),
        # bounds before and after
        (
            "最多三十元",
            "最多30元",
            [("money", 30.0, None, None, None, "max", 2, 5, "30元", False, {})],
        ),
        (
            "至少三十元",
            "至少30元",
            [("money", 30.0, None, None, None, "min", 2, 5, "30元", False, {})],
        ),
        (
            "不到三十元",
            "不到30元",
            [("money", 30.0, None, None, None, "below", 2, 5, "30元", False, {})],
        ),
        (
            "超过三十元",
            "超过30元",
            [("money", 30.0, None, None, None, "above", 2, 5, "30元", False, {})],
        ),
        (
            "三十元以内",
            "30元以内",
            [("money", 30.0, None, None, None, "max", 0, 3, "30元", False, {})],
        ),
        (
            "三十元以上",
            "30元以上",
            [("money", 30.0, None, None, None, "min", 0, 3, "30元", False, {})],
        ),
        (
            "三十元以下",
            "30元以下",
            [("money", 30.0, None, None, None, "below", 0, 3, "30元", False, {})],
        ),
        ("三十元起", "30元起", [("money", 30.0, None, None, None, "min", 0, 3, "30元", False, {})]),
        (
            "起码 30元",
            "起码 30元",
            [("money", 30.0, None, None, None, "min", 3, 6, "30元", False, {})],
        ),
        (
            "最低人民币30元",
            "最低人民币30元",
            [("money", 30.0, "CNY", None, None, "min", 2, 8, "人民币30元", False, {})],
        ),
        (
            "最高港币30元",
            "最高港币30元",
            [("money", 30.0, "HKD", None, None, "max", 2, 7, "港币30元", False, {})],
        ),
        (
            "不超过NT$30",
            "不超过NT$30",
            [("money", 30.0, "TWD", None, None, "max", 3, 8, "NT$30", False, {})],
        ),
        (
            "至少3年",
            "至少3年",
            [("duration", 3.0, "year", None, None, "min", 2, 4, "3年", False, {})],
        ),
        (
            "不超过3年",
            "不超过3年",
            [("duration", 3.0, "year", None, None, "max", 3, 5, "3年", False, {})],
        ),
        ("低于5%", "低于5%", [("percent", 5.0, None, None, None, "below", 2, 4, "5%", False, {})]),
        ("高达5%", "高达5%", [("percent", 5.0, None, None, None, "max", 2, 4, "5%", False, {})]),
        ("5%以下", "5%以下", [("percent", 5.0, None, None, None, "below", 0, 2, "5%", False, {})]),
        (
            "2周以内",
            "2周以内",
            [("duration", 2.0, "week", None, None, "max", 0, 2, "2周", False, {})],
        ),
        # discounts: 折, 成, half price, a share paid, a multiplier, percentages
        (
            "打8折",
            "打8折",
            [("percent", 20.0, None, None, None, None, 1, 3, "8折", False, {"form": "zhe"})],
        ),
        (
            "85折",
            "85折",
            [("percent", 15.0, None, None, None, None, 0, 3, "85折", False, {"form": "zhe"})],
        ),
        (
            "9.5折",
            "9.5折",
            [("percent", 5.0, None, None, None, None, 0, 4, "9.5折", False, {"form": "zhe"})],
        ),
        (
            "1折",
            "1折",
            [("percent", 90.0, None, None, None, None, 0, 2, "1折", False, {"form": "zhe"})],
        ),
        ("0折", "0折", []),
        (
            "折扣8折",
            "折扣8折",
            [("percent", 20.0, None, None, None, None, 2, 4, "8折", False, {"form": "zhe"})],
        ),
        ("8折扣", "8折扣", []),
        (
            "半价",
            "半价",
            [
                (
                    "percent",
                    50.0,
                    None,
                    None,
                    None,
                    None,
                    0,
                    2,
                    "半价",
                    False,
                    {"form": "half_price"},
                )
            ],
        ),
        (
            "对折优惠",
            "对折优惠",
            [
                (
                    "percent",
                    50.0,
                    None,
                    None,
                    None,
                    None,
                    0,
                    2,
                    "对折",
                    False,
                    {"form": "half_price"},
                )
            ],
        ),
        (
            "1成",
            "1成",
            [("percent", 10.0, None, None, None, None, 0, 2, "1成", False, {"form": "cheng"})],
        ),
        (
            "2成半",
            "2成半",
            [("percent", 25.0, None, None, None, None, 0, 3, "2成半", False, {"form": "cheng"})],
        ),
        ("11成", "11成", []),
        ("0成", "0成", []),
        ("3成功", "3成功", []),
        (
            "乘以0.85",
            "乘以0.85",
            [
                (
                    "percent",
                    15.0,
                    None,
                    None,
                    None,
                    None,
                    0,
                    6,
                    "乘以0.85",
                    False,
                    {"form": "paid_share"},
                )
            ],
        ),
        (
            "保费×0.9",
            "保费×0.9",
            [
                (
                    "percent",
                    10.0,
                    None,
                    None,
                    None,
                    None,
                    2,
                    6,
                    "×0.9",
                    False,
                    {"form": "paid_share"},
                )
            ],
        ),
        (
            "保费X0.8",
            "保费X0.8",
            [
                (
                    "percent",
                    20.0,
                    None,
                    None,
                    None,
                    None,
                    2,
                    6,
                    "X0.8",
                    False,
                    {"form": "paid_share"},
                )
            ],
        ),
        (
            "乘0.7",
            "乘0.7",
            [
                (
                    "percent",
                    30.0,
                    None,
                    None,
                    None,
                    None,
                    0,
                    4,
                    "乘0.7",
                    False,
                    {"form": "paid_share"},
                )
            ],
        ),
        ("20%", "20%", [("percent", 20.0, None, None, None, None, 0, 3, "20%", False, {})]),
        ("5到10%", "5到10%", [("percent", 5.0, None, None, 10.0, None, 0, 5, "5到10%", False, {})]),
        (
            "5-10%的优惠",
            "5-10%的优惠",
            [("percent", 5.0, None, None, 10.0, None, 0, 5, "5-10%", False, {})],
        ),
        (
            "只交85%",
            "只交85%",
            [("percent", 15.0, None, None, None, None, 2, 5, "85%", False, {"form": "paid_share"})],
        ),
        ("交40%", "交40%", [("percent", 40.0, None, None, None, None, 1, 4, "40%", False, {})]),
        (
            "按原价的85%",
            "按原价的85%",
            [("percent", 15.0, None, None, None, None, 4, 7, "85%", False, {"form": "paid_share"})],
        ),
        # durations and counts
        ("半年", "半年", [("duration", 6.0, "month", None, None, None, 0, 2, "半年", False, {})]),
        (
            "半个月",
            "半个月",
            [("duration", 15.0, "day", None, None, None, 0, 3, "半个月", False, {})],
        ),
        ("半天", "半天", [("duration", 0.5, "day", None, None, None, 0, 2, "半天", False, {})]),
        (
            "一个半月",
            "1个半月",
            [("duration", 1.5, "month", None, None, None, 0, 4, "1个半月", False, {})],
        ),
        (
            "一年半",
            "1年半",
            [("duration", 18.0, "month", None, None, None, 0, 3, "1年半", False, {})],
        ),
        ("2026年", "2026年", []),
        (
            "3到5天",
            "3到5天",
            [("duration", 3.0, "day", None, 5.0, None, 0, 4, "3到5天", False, {})],
        ),
        (
            "10个工作日",
            "10个工作日",
            [("duration", 10.0, "day", None, None, None, 0, 6, "10个工作日", True, {})],
        ),
        (
            "5工作日",
            "5工作日",
            [("duration", 5.0, "day", None, None, None, 0, 4, "5工作日", True, {})],
        ),
        ("3周", "3周", [("duration", 3.0, "week", None, None, None, 0, 2, "3周", False, {})]),
        ("3星期", "3星期", [("duration", 3.0, "week", None, None, None, 0, 3, "3星期", False, {})]),
        ("3年", "3年", [("duration", 3.0, "year", None, None, None, 0, 2, "3年", False, {})]),
        ("18周岁", "18周岁", [("count", 18.0, "岁", None, None, None, 0, 4, "18周岁", False, {})]),
        ("30岁", "30岁", [("count", 30.0, "岁", None, None, None, 0, 3, "30岁", False, {})]),
        ("10G流量", "10G流量", [("count", 10.0, "gb", None, None, None, 0, 3, "10G", False, {})]),
        (
            "10gb流量",
            "10gb流量",
            [("count", 10.0, "gb", None, None, None, 0, 4, "10gb", False, {})],
        ),
        ("12期", "12期", [("count", 12.0, "期", None, None, None, 0, 3, "12期", False, {})]),
        ("3种", "3种", [("count", 3.0, "种", None, None, None, 0, 2, "3种", False, {})]),
        ("2次", "2次", [("count", 2.0, "次", None, None, None, 0, 2, "2次", False, {})]),
        ("5张", "5张", [("count", 5.0, "张", None, None, None, 0, 2, "5张", False, {})]),
        ("3倍", "3倍", [("count", 3.0, "倍", None, None, None, 0, 2, "3倍", False, {})]),
        ("2件", "2件", [("count", 2.0, "件", None, None, None, 0, 2, "2件", False, {})]),
        ("1份", "1份", [("count", 1.0, "份", None, None, None, 0, 2, "1份", False, {})]),
        ("第3期", "第3期", []),
        (
            "12期免息",
            "12期免息",
            [
                (
                    "count",
                    12.0,
                    "期",
                    None,
                    None,
                    None,
                    0,
                    3,
                    "12期",
                    False,
                    {"interest_free": "yes"},
                )
            ],
        ),
        (
            "12期 免息",
            "12期 免息",
            [
                (
                    "count",
                    12.0,
                    "期",
                    None,
                    None,
                    None,
                    0,
                    3,
                    "12期",
                    False,
                    {"interest_free": "yes"},
                )
            ],
        ),
        (
            "12期分期免息",
            "12期分期免息",
            [("count", 12.0, "期", None, None, None, 0, 3, "12期", False, {})],
        ),
        (
            "3月5日到期",
            "3月5日到期",
            [("date", 305, "03-05", None, None, None, 0, 4, "3月5日", False, {})],
        ),
        # references and clock times are no quantities
        ("您尾号0128的卡", "您尾号0128的卡", []),
        ("工号1234", "工号1234", []),
        ("下午3点给您回电", "下午3点给您回电", []),
        ("3点半", "3点半", []),
        ("10:30前", "10:30前", []),
        ("手机13800138000", "手机13800138000", []),
        # sentences with several quantities, in the order said
        (
            "最多 $500",
            "最多 $500",
            [("money", 500.0, None, None, None, "max", 3, 7, "$500", False, {})],
        ),
        (
            "打8折后每月三十元，12期免息，3月31日前办理",
            "打8折后每月30元,12期免息,3月31日前办理",
            [
                ("percent", 20.0, None, None, None, None, 1, 3, "8折", False, {"form": "zhe"}),
                ("money", 30.0, None, "month", None, None, 6, 9, "30元", False, {}),
                (
                    "count",
                    12.0,
                    "期",
                    None,
                    None,
                    None,
                    10,
                    13,
                    "12期",
                    False,
                    {"interest_free": "yes"},
                ),
                ("date", 331, "03-31", None, None, None, 16, 21, "3月31日", False, {}),
            ],
        ),
        (
            "年費三百九十九元，首年半價",
            "年费399元,首年半价",
            [
                ("money", 399.0, None, "year", None, None, 2, 6, "399元", False, {}),
                (
                    "percent",
                    50.0,
                    None,
                    None,
                    None,
                    None,
                    9,
                    11,
                    "半价",
                    False,
                    {"form": "half_price"},
                ),
            ],
        ),
        (
            "港幣九十八元一年，最多3個月",
            "港币98元1年,最多3个月",
            [
                ("money", 98.0, "HKD", "year", None, None, 0, 7, "港币98元1年", False, {}),
                ("duration", 3.0, "month", None, None, "max", 10, 13, "3个月", False, {}),
            ],
        ),
        (
            "满两千元打九五折，3到5个工作日到账",
            "满2000元打95折,3到5个工作日到账",
            [
                ("money", 2000.0, None, None, None, None, 1, 6, "2000元", False, {}),
                ("percent", 5.0, None, None, None, None, 7, 10, "95折", False, {"form": "zhe"}),
                ("duration", 3.0, "day", None, 5.0, None, 11, 18, "3到5个工作日", True, {}),
            ],
        ),
        (
            "每月三十元，一年三百六十元",
            "每月30元,1年360元",
            [
                ("money", 30.0, None, "month", None, None, 2, 5, "30元", False, {}),
                ("money", 360.0, None, "year", None, None, 8, 12, "360元", False, {}),
            ],
        ),
    ],
)
def test_quantities_whole(said: str, normalised: str, want: list[Row]) -> None:
    zh_digits.cache_clear()
    assert whole(said) == (normalised, want)


@pytest.mark.parametrize(
    ("day", "said", "want"),
    [
        ("2026-02-26", "今天", [("今天", "2026-02-26")]),
        ("2026-02-26", "今日", [("今日", "2026-02-26")]),
        ("2026-02-26", "明天", [("明天", "2026-02-27")]),
        ("2026-02-26", "明日", [("明日", "2026-02-27")]),
        ("2026-02-26", "后天", [("后天", "2026-02-28")]),
        ("2026-02-26", "下周", [("下周", "2026-03-02")]),
        ("2026-02-26", "下个星期", [("下个星期", "2026-03-02")]),
        ("2026-02-26", "下星期", [("下星期", "2026-03-02")]),
        ("2026-02-26", "下礼拜", [("下礼拜", "2026-03-02")]),
        ("2026-02-26", "下月底", [("下月底", "2026-03-31")]),
        ("2026-02-26", "下个月末", [("下个月末", "2026-03-31")]),
        ("2026-02-26", "下月", [("下月", "2026-03-01")]),
        ("2026-02-26", "下个月", [("下个月", "2026-03-01")]),
        ("2026-02-26", "月底", [("月底", "2026-02-28")]),
        ("2026-02-26", "月末", [("月末", "2026-02-28")]),
        ("2026-02-26", "本月底", [("本月底", "2026-02-28")]),
        ("2026-02-26", "这个月底", [("这个月底", "2026-02-28")]),
        ("2026-02-26", "年底", [("年底", "2026-12-31")]),
        ("2026-02-26", "年末", [("年末", "2026-12-31")]),
        ("2026-02-26", "十天内", [("10天内", "2026-03-08")]),
        ("2026-02-26", "5天之内", [("5天之内", "2026-03-03")]),
        ("2026-02-26", "3天后", [("3天后", "2026-03-01")]),
        ("2026-02-26", "两天以后", [("2天以后", "2026-02-28")]),
        ("2026-02-26", "30天", []),
        ("2026-12-30", "今天", [("今天", "2026-12-30")]),
        ("2026-12-30", "今日", [("今日", "2026-12-30")]),
        ("2026-12-30", "明天", [("明天", "2026-12-31")]),
        ("2026-12-30", "明日", [("明日", "2026-12-31")]),
        ("2026-12-30", "后天", [("后天", "2027-01-01")]),
        ("2026-12-30", "下周", [("下周", "2027-01-04")]),
        ("2026-12-30", "下个星期", [("下个星期", "2027-01-04")]),
        ("2026-12-30", "下星期", [("下星期", "2027-01-04")]),
        ("2026-12-30", "下礼拜", [("下礼拜", "2027-01-04")]),
        ("2026-12-30", "下月底", [("下月底", "2027-01-31")]),
        ("2026-12-30", "下个月末", [("下个月末", "2027-01-31")]),
        ("2026-12-30", "下月", [("下月", "2027-01-01")]),
        ("2026-12-30", "下个月", [("下个月", "2027-01-01")]),
        ("2026-12-30", "月底", [("月底", "2026-12-31")]),
        ("2026-12-30", "月末", [("月末", "2026-12-31")]),
        ("2026-12-30", "本月底", [("本月底", "2026-12-31")]),
        ("2026-12-30", "这个月底", [("这个月底", "2026-12-31")]),
        ("2026-12-30", "年底", [("年底", "2026-12-31")]),
        ("2026-12-30", "年末", [("年末", "2026-12-31")]),
        ("2026-12-30", "十天内", [("10天内", "2027-01-09")]),
        ("2026-12-30", "5天之内", [("5天之内", "2027-01-04")]),
        ("2026-12-30", "3天后", [("3天后", "2027-01-02")]),
        ("2026-12-30", "两天以后", [("2天以后", "2027-01-01")]),
        ("2026-12-30", "30天", []),
    ],
)
def test_relative_dates_from_the_contacts_day(day: str, said: str, want: list[Row]) -> None:
    got = relative_dates(said, dt.date.fromisoformat(day))
    assert [(words, when.isoformat()) for words, when in got] == want


def test_relative_dates_in_one_sentence_keep_their_order() -> None:
    got = relative_dates("今天办，三天内寄出，后天到，下月底前还清", dt.date(2026, 7, 15))
    assert got == [
        ("今天", dt.date(2026, 7, 15)),
        ("3天内", dt.date(2026, 7, 18)),
        ("后天", dt.date(2026, 7, 17)),
        ("下月底", dt.date(2026, 8, 31)),
    ]


def test_han_script_and_its_simplified_form() -> None:
    assert (has_han("abc 12"), has_han("a中"), has_han("\u3400"), has_han("\uf900")) == (
        False,
        True,
        True,
        True,
    )
    assert simplified("兩個ＡＢ１２，") == "两个AB12,"
    assert (_f(""), _f(None), _f("2.5")) == (None, None, 2.5)


def test_a_bound_word_before_a_currency_code_and_a_sign() -> None:
    # "US $": the code and the sign are passed over to find the bound word before them.
    [q] = extract("最多US $500")[1]
    assert (q.kind, q.value, q.bound) == ("money", 500.0, "max")
