"""Chinese quantities for campaign checks and journeys, and campaign checks in Chinese.

The sentences are written here; the campaigns are the shipped Chinese examples
(scorecards/campaigns/zh: a card instalment offer and a deposit rate promotion).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from qa.campaigns.check import check_interaction
from qa.campaigns.evaluate import case_interaction
from qa.campaigns.schema import Campaign, load_campaigns
from qa.statements.claims import extract_claims
from qa.statements.numbers import digits
from qa.statements.quantities import extract
from qa.statements.zh_quantities import relative_dates, zh_digits

ROOT = Path(__file__).resolve().parent.parent
CHANNELS = ["voice", "chat", "email"]
DAY = "2026-11-10"


def q(text: str) -> list[tuple[object, ...]]:
    _, qs = extract(text)
    return [(x.kind, x.value, x.unit, x.period) for x in qs]


# --- numerals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "written"),
    [
        ("三十五元", "35元"),
        ("两千", "2000"),
        ("兩千一百八十塊", "2180块"),
        ("1.5万", "15000"),
        ("百分之二十", "20%"),
        ("零点五", "0.5"),
        ("百分之五點五", "5.5%"),
        ("4,860元", "4860元"),
        ("我们统一处理，一样快", "我们统一处理,一样快"),  # words with a numeral are no number
        ("十分感谢", "十分感谢"),
        ("万一您需要", "万一您需要"),
    ],
)
def test_numerals_written_in_digits(said: str, written: str) -> None:
    assert zh_digits(said) == written
    assert digits(said) == written  # the English entry point hands Chinese text over


def test_english_numbers_are_read_as_before() -> None:
    assert digits("twenty-four ninety-nine a month") == "24.99 a month"
    assert q("It's $35 a month") == [("money", 35.0, "USD", "month")]


# --- quantities -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("三十五块一个月", [("money", 35.0, None, "month")]),
        ("每月只要三十九元", [("money", 39.0, None, "month")]),
        ("月费39块", [("money", 39.0, None, "month")]),
        ("一个月大概十六块多", [("money", 16.5, None, "month")]),  # a little over 16
        ("年費NT$599", [("money", 599.0, "TWD", "year")]),
        ("港币九十八元一年", [("money", 98.0, "HKD", "year")]),
        ("人民币两千元", [("money", 2000.0, "CNY", None)]),
        ("新台幣三百九十九元", [("money", 399.0, "TWD", None)]),
        ("满HK$150免运", [("money", 150.0, "HKD", None)]),
        ("单笔满三千元", [("money", 3000.0, None, None)]),
        ("最高保额五十万", [("money", 500000.0, None, None)]),
        ("三十五蚊", [("money", 35.0, None, None)]),
    ],
)
def test_money_with_currency_and_period(said: str, expected: list[tuple[object, ...]]) -> None:
    assert q(said) == expected


@pytest.mark.parametrize(
    ("said", "off"),
    [
        ("打八折", 20.0),
        ("九五折", 5.0),
        ("八五折", 15.0),
        ("七五折", 25.0),
        ("5折", 50.0),
        ("半價", 50.0),
        ("對折", 50.0),
        ("优惠百分之十五", 15.0),
        ("便宜一成半", 15.0),
        ("首年只交百分之八十五", 15.0),  # the share paid: the discount is the rest
        ("保费乘以零点八五", 15.0),
        ("15% off", 15.0),
    ],
)
def test_discounts_are_the_size_of_the_discount(said: str, off: float) -> None:
    assert q(said) == [("percent", off, None, None)]


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("半年", ("duration", 6.0, "month", None)),
        ("一年半", ("duration", 18.0, "month", None)),
        ("十二个月", ("duration", 12.0, "month", None)),
        ("九十天", ("duration", 90.0, "day", None)),
        ("十八個月", ("duration", 18.0, "month", None)),
        ("12期免息", ("count", 12.0, "期", None)),
        ("十八期", ("count", 18.0, "期", None)),
        ("3月31日前", ("date", 331.0, "03-31", None)),
        ("六月底", ("date", 630.0, "06-30", None)),
    ],
)
def test_durations_instalments_dates(said: str, expected: tuple[object, ...]) -> None:
    assert q(said) == [expected]


def test_instalments_say_whether_they_are_interest_free() -> None:
    _, qs = extract("可以分12期免息")
    assert qs[0].extra == {"interest_free": "yes"}
    _, qs = extract("可以分24期，每期有手续费")
    assert qs[0].extra == {}


@pytest.mark.parametrize(
    "said",
    [
        "您尾号0128的卡",
        "订单号20260512",
        "下午3点给您回电",
        "第二年",
        "2026年",
        "我们一样统一处理",
        "工号1234",
    ],
)
def test_references_and_ordinals_are_no_quantities(said: str) -> None:
    assert q(said) == []


def test_relative_dates_need_the_contacts_day() -> None:
    day = dt.date(2026, 5, 14)
    found = relative_dates("月底前给您答复，下个月生效，明天再打给您，三天内寄出", day)
    assert found == [
        ("月底", dt.date(2026, 5, 31)),
        ("下个月", dt.date(2026, 6, 1)),
        ("明天", dt.date(2026, 5, 15)),
        ("3天内", dt.date(2026, 5, 17)),
    ]
    assert relative_dates("下個月底", dt.date(2026, 12, 3)) == [("下个月底", dt.date(2027, 1, 31))]
    assert q("月底前") == []  # no date without the contact's day


# --- claims ---------------------------------------------------------------------------------


def claim_of(sentence: str) -> list[tuple[str, float, str, str, str]]:
    return [
        (c.quantity.kind, c.quantity.value, c.polarity, c.attribution, c.tense)
        for c in extract_claims(sentence)
    ]


def test_a_correction_negates_the_figure_it_replaces() -> None:
    assert claim_of("不是八折，是八五折") == [
        ("percent", 20.0, "negated", "own", "current"),
        ("percent", 15.0, "corrected", "own", "current"),
    ]


@pytest.mark.parametrize(
    ("sentence", "attribution", "tense"),
    [
        ("别家给您的是百分之三", "competitor", "current"),
        ("您的保单每年交四千八百六十元", "customer", "current"),
        ("原价三百九十九元", "reference", "current"),
        ("以前的活动是七折", "own", "past"),
        ("如果您存满五万元就有加息", "own", "hypothetical"),
        ("如果提前还清，手续费是两百元", "own", "current"),  # the fee itself, as in English
        ("两份一共七十八块", "total", "current"),
    ],
)
def test_who_a_figure_belongs_to(sentence: str, attribution: str, tense: str) -> None:
    got = claim_of(sentence)
    assert got and got[0][3:] == (attribution, tense)


# --- campaign checks in Chinese (acceptance 3) --------------------------------------------


@pytest.fixture(scope="module")
def campaigns() -> list[Campaign]:
    return load_campaigns(ROOT / "scorecards" / "campaigns" / "zh")


def raised(turns: list[list[str]], channel: str, campaigns: list[Campaign]) -> set[tuple[str, str]]:
    case = {"id": "t", "date": DAY, "channel": channel, "turns": turns}
    return {
        (str(f.kind), f.fact.split(":")[0])
        for f in check_interaction(case_interaction(case), campaigns)
        if f.status != "review"
    }


def contradicted(agent: str, channel: str, campaigns: list[Campaign], ask: str = "") -> set[str]:
    turns = ([["customer", ask]] if ask else []) + [["agent", agent]]
    return {i for k, i in raised(turns, channel, campaigns) if k == "contradiction"}


@pytest.mark.parametrize("channel", CHANNELS)
def test_ba_wu_zhe_against_twenty_percent_off_is_caught(
    channel: str, campaigns: list[Campaign]
) -> None:
    said = "鸿远信用卡账单分期二十四期的手续费现在打八五折。"
    assert contradicted(said, channel, campaigns, "分期手续费有优惠吗？") == {"fee_discount_24"}
    right = "鸿远信用卡账单分期二十四期的手续费现在打八折。"
    assert contradicted(right, channel, campaigns, "分期手续费有优惠吗？") == set()
    same = "二十四期的手续费现在优惠百分之二十，账单分期都可以办。"
    assert contradicted(same, channel, campaigns, "分期手续费有优惠吗？") == set()


@pytest.mark.parametrize("channel", CHANNELS)
def test_thirty_five_a_month_against_39_a_month_is_caught(
    channel: str, campaigns: list[Campaign]
) -> None:
    ask = "尊享权益包多少钱？"
    assert contradicted("尊享权益包三十五块一个月。", channel, campaigns, ask) == {"benefits_fee"}
    assert contradicted("尊享权益包三十九块一个月。", channel, campaigns, ask) == set()
    assert contradicted("尊享權益包每個月三十九塊。", channel, campaigns, ask) == set()
    # a year of it, said as the year's total
    assert contradicted("尊享权益包一年四百六十八元。", channel, campaigns, ask) == set()


@pytest.mark.parametrize("channel", CHANNELS)
def test_traditional_script_is_checked_like_simplified(
    channel: str, campaigns: list[Campaign]
) -> None:
    ask = "分期怎麼算？"
    wrong = "帳單分期可以分十八期免息，單筆滿兩千元就可以辦。"
    assert contradicted(wrong, channel, campaigns, ask) == {
        "interest_free_instalments",
        "minimum_amount",
    }
    right = "帳單分期可以分十二期免息，單筆滿三千元就可以辦。"
    assert contradicted(right, channel, campaigns, ask) == set()


@pytest.mark.parametrize("channel", CHANNELS)
def test_other_peoples_figures_are_not_contradictions(
    channel: str, campaigns: list[Campaign]
) -> None:
    ask = "新客定期利率多少？"
    assert (
        contradicted("别家是百分之三，我们新客定期是百分之二点一五。", channel, campaigns, ask)
        == set()
    )
    assert (
        contradicted("新客定期年利率不是百分之二，是百分之二点一五。", channel, campaigns, ask)
        == set()
    )
    assert contradicted("新客定期年利率百分之二点五，一万元起存。", channel, campaigns, ask) == {
        "annual_rate",
        "minimum_deposit",
    }


def test_shipped_chinese_campaigns_validate(campaigns: list[Campaign]) -> None:
    assert {c.id for c in campaigns} == {"HONGYUAN-CARD-INSTAL-2026", "HONGYUAN-DEPOSIT-2026"}
