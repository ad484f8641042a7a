"""Campaign checks in Chinese, by kind of failure: who holds a product, another product named in
passing, figures for a part of the customers, dates of the customer's own contract,
disclosures and key points said in other words, a denial said the other way round, and the
rest of a turn that denies an offer.

The campaigns and sentences are written here (a fictional broadband provider and insurer).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.campaigns.check import _common_terms, _zh_other_product, check_interaction
from qa.campaigns.evaluate import case_interaction
from qa.campaigns.schema import Campaign, load_campaigns

BROADBAND = """
id: XINGHE-FIBRE-2027
name: 星河千兆宽带 开年特惠
from: 2027-01-01
to: 2027-03-31
channels: [voice, chat, email]
products: ["星河千兆宽带", "千兆宽带"]
facts:
  - id: monthly_fee
    about: ["月费", "每个月"]
    value: {money: {amount: 99, currency: CNY, period: month}}
  - id: contract_term
    about: ["合约期", "合约"]
    value: {duration: {amount: 24, unit: month}}
  - id: free_shipping
    about: ["包邮", "满"]
    value: {money: {amount: 200, currency: CNY, period: once}}
  - id: offer_ends
    about: ["截止", "活动到"]
    value: {date: 2027-03-31}
disclosures:
  - id: contract_notice
    phrases: ["合约期二十四个月，提前解约要付违约金", "办理后有二十四个月合约期，中途退订需付违约金"]
key_points:
  - id: router
    phrases: ["赠送双频路由器", "免费送一台双频路由器", "mesh router"]
retired_claims:
  - id: no_contract
    phrases: ["没有合约期", "不用签合约"]
"""

OLD_BROADBAND = """
id: XINGHE-FIBRE-2026
name: 星河百兆宽带 周年庆
from: 2026-06-01
to: 2026-08-31
channels: [voice, chat, email]
products: ["星河百兆宽带", "百兆宽带"]
facts:
  - id: monthly_fee
    about: ["月费"]
    value: {money: {amount: 59, currency: CNY, period: month}}
"""

DAY = "2027-02-10"


@pytest.fixture(scope="module")
def campaigns(tmp_path_factory: pytest.TempPathFactory) -> list[Campaign]:
    folder: Path = tmp_path_factory.mktemp("zh_campaigns")
    (folder / "fibre.yaml").write_text(BROADBAND, encoding="utf-8")
    (folder / "old_fibre.yaml").write_text(OLD_BROADBAND, encoding="utf-8")
    return load_campaigns(folder)


def flags(turns: list[list[str]], campaigns: list[Campaign]) -> set[tuple[str, str]]:
    case = {"id": "t", "date": DAY, "channel": "chat", "turns": turns}
    return {
        (str(f.kind), f.fact.split(":")[0].split()[-1] if f.fact else "")
        for f in check_interaction(case_interaction(case), campaigns)
        if f.status != "review"
    }


def kinds(turns: list[list[str]], campaigns: list[Campaign]) -> set[str]:
    return {k for k, _ in flags(turns, campaigns)}


PITCH = "现在办星河千兆宽带，月费只要九十九元。"


def test_a_bare_pitch_misses_the_disclosure_and_the_key_point(campaigns: list[Campaign]) -> None:
    got = flags([["customer", "家里网速太慢了，有什么推荐吗？"], ["agent", PITCH]], campaigns)
    assert ("missing_disclosure", "contract_notice") in got
    assert ("missed_key_point", "router") in got


def test_a_disclosure_that_restates_a_fact_is_given_in_other_words(
    campaigns: list[Campaign],
) -> None:
    said = PITCH + "签了以后有两年的合约期，中间不能随便退。"
    assert "missing_disclosure" not in kinds([["agent", said]], campaigns)
    # Its word without a figure of the fact's kind does not give it.
    vague = PITCH + "合约期的细节您可以看短信。"
    assert "missing_disclosure" in kinds([["agent", vague]], campaigns)


def test_a_wrong_figure_gives_the_disclosure_but_is_a_contradiction(
    campaigns: list[Campaign],
) -> None:
    got = flags([["agent", PITCH + "合约期是一年。"]], campaigns)
    assert ("contradiction", "contract_term") in got
    assert "missing_disclosure" not in {k for k, _ in got}


def test_a_key_point_is_given_by_the_terms_its_phrases_share(campaigns: list[Campaign]) -> None:
    assert "missed_key_point" not in kinds(
        [["agent", PITCH + "我们还会附带一台双频路由器。"]], campaigns
    )
    assert "missed_key_point" in kinds([["agent", PITCH + "这个套餐没有双频路由器。"]], campaigns)
    # An English phrase's words inside a Chinese sentence, in one clause.
    assert "missed_key_point" not in kinds(
        [["agent", PITCH + "另外还送一个 mesh 的 router，装好就能用。"]], campaigns
    )
    assert _common_terms(["赠送双频路由器", "免费送一台双频路由器"]) == ["双频路由器"]


def test_a_denial_said_the_other_way_round_is_the_retired_claim(
    campaigns: list[Campaign],
) -> None:
    got = flags([["agent", PITCH + "合约期根本没有，想停就停。"]], campaigns)
    assert ("retired_claim", "no_contract") in got
    assert ("retired_claim", "no_contract") in flags(
        [["agent", PITCH + "合约期也没有。"]], campaigns
    )
    # Said as what used to be, it is no claim made now.
    assert "retired_claim" not in kinds(
        [["agent", "以前的套餐是不用签合约的，现在都有合约期二十四个月。"]], campaigns
    )


def test_a_pitch_in_a_service_contact_about_something_else_is_a_pitch(
    campaigns: list[Campaign],
) -> None:
    turns = [
        ["customer", "我的订单三天了还没发货，怎么回事？"],
        ["agent", "很抱歉，已经帮您催仓库了。"],
        ["agent", "另外跟您说一下，" + PITCH],
    ]
    assert "missing_disclosure" in kinds(turns, campaigns)


def test_what_the_customer_holds_is_no_pitch_and_its_dates_are_its_own(
    campaigns: list[Campaign],
) -> None:
    turns = [
        ["customer", "我上个月办了星河千兆宽带，这个月扣款扣了两次。"],
        ["agent", "您的千兆宽带月费是九十九元，多扣的九十九元三个工作日内退回。"],
        ["agent", "您的合约从一月五号开始，到明年一月四号结束。"],
    ]
    assert kinds(turns, campaigns) == set()
    # Without the customer's holding, the end of a contract is a date about the offer.
    assert ("contradiction", "offer_ends") in flags(
        [["customer", "想问一下千兆宽带。"], ["agent", PITCH + "活动到四月底截止。"]], campaigns
    )


def test_an_ended_offers_product_named_as_the_customers_own_is_not_offered(
    campaigns: list[Campaign],
) -> None:
    own = "您的百兆宽带明年才到期，到期前可以先了解一下千兆。"
    assert "expired_offer" not in kinds([["agent", own]], campaigns)
    assert "expired_offer" in kinds(
        [["agent", "现在办星河百兆宽带，月费只要五十九元。"]], campaigns
    )


def test_another_product_named_in_passing_is_not_the_campaigns(
    campaigns: list[Campaign],
) -> None:
    turns = [
        ["customer", "千兆宽带怎么收费？"],
        ["agent", PITCH + "合约期二十四个月，提前解约要付违约金，还送双频路由器。"],
        ["agent", "如果您还想给家里人保障，我们也代理安福意外险。"],
        ["agent", "另外安福意外险的等待期是三十天，合约期一年。"],
    ]
    assert kinds(turns, campaigns) == set()
    assert _zh_other_product("我们的安福意外险", campaigns)
    assert _zh_other_product("e享健康险 is different", campaigns) is False  # no kind word
    assert not _zh_other_product("您现在只有意外险，没有别的保障。", campaigns)


def test_a_figure_said_for_a_part_of_the_customers_goes_to_review(
    campaigns: list[Campaign],
) -> None:
    scoped = (
        PITCH + "合约期二十四个月，提前解约要付违约金，送双频路由器。偏远地区要满五百元才包邮。"
    )
    assert "contradiction" not in kinds([["agent", scoped]], campaigns)
    plain = PITCH + "合约期二十四个月，提前解约要付违约金，送双频路由器。满五百元才包邮。"
    assert ("contradiction", "free_shipping") in flags([["agent", plain]], campaigns)


def test_the_rest_of_a_turn_that_denies_the_offer_is_not_a_pitch(
    campaigns: list[Campaign],
) -> None:
    turns = [
        ["customer", "看到广告说千兆宽带月费九十九元，是真的吗？"],
        ["agent", "没有这个活动哦。"],
        ["customer", "官网上写着呢"],
        ["agent", "不好意思，我这边查不到这个优惠。办理的话月费一百二十九元。"],
    ]
    got = kinds(turns, campaigns)
    assert "denied_offer" in got
    assert not got & {"missing_disclosure", "missed_key_point"}
