"""Campaign checks' Chinese helpers pinned value by value: the fact a Chinese disclosure
restates (`_zh_fact_words`, read once per disclosure and kept in `_ZH_RULES`, so the pins call
it directly and clear that table), the terms every phrase shares, a product named as the
customer's own, a clause that denies a phrase, and the stems of a condition.

The campaign is written here (a fictional broadband provider)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from qa.campaigns import check
from qa.campaigns.check import (
    Sentence,
    _bigrams,
    _common_terms,
    _given,
    _held_named,
    _stems,
    _zh_denied_here,
    _zh_fact_words,
    _zh_given,
    _zh_held,
    _zh_other_product,
    _zh_overlap,
    _zh_same_denial,
)
from qa.campaigns.schema import Campaign, PhraseSet

FACTS: list[dict[str, Any]] = [
    {"id": "offer_ends", "about": ["截止", "活动到"], "value": {"date": "2027-03-31"}},
    {
        "id": "monthly_fee",
        "about": ["月费", "每个月"],
        "value": {"money": {"amount": 99, "currency": "CNY", "period": "month"}},
    },
    {
        "id": "contract_term",
        "about": ["合约期", "合约"],
        "value": {"duration": {"amount": 24, "unit": "month"}},
    },
    {
        "id": "free_shipping",
        "about": ["包邮", "满"],
        "value": {"money": {"amount": 200, "currency": "CNY", "period": "once"}},
    },
    {"id": "discount", "about": ["折扣", "优惠"], "value": {"percent": 15}},
    {"id": "extra_cards", "about": ["副卡"], "value": {"count": {"amount": 2, "unit": "张"}}},
]


def campaign(cid: str = "XH", products: tuple[str, ...] = ("星河千兆宽带", "千兆宽带")) -> Campaign:
    return Campaign.model_validate(
        {
            "version": 2,
            "id": cid,
            "name": f"{products[0]} 开年特惠",
            "from": "2027-01-01",
            "to": "2027-03-31",
            "products": list(products),
            "facts": FACTS,
        }
    )


FIBRE = campaign()
OTHER = campaign("AF", ("安福意外险",))


@pytest.fixture(autouse=True)
def fresh_rules() -> Iterator[None]:
    saved = dict(check._ZH_RULES)
    check._ZH_RULES.clear()
    yield
    check._ZH_RULES.clear()
    check._ZH_RULES.update(saved)


@pytest.mark.parametrize(
    ("phrases", "want"),
    [
        # Both phrases say the contract's words: the words every phrase shares.
        (
            [
                "合约期二十四个月，提前解约要付违约金",
                "办理后有二十四个月合约期，中途退订需付违约金",
            ],
            ("duration", ["合约期", "合约"]),
        ),
        # Each phrase says one of the fee's words: none shared, so every word used.
        (["月费九十九元", "每个月只要九十九元"], ("money", ["月费", "每个月"])),
        # A one-character word ("满") is no word about the fact.
        (["满两百包邮"], ("money", ["包邮"])),
        # Two facts said: the one with more shared words wins; a tie keeps the first.
        (["合约期内月费九十九元"], ("duration", ["合约期", "合约"])),
        (["月费九十九元，满两百包邮"], ("money", ["月费"])),
        # A phrase may say the fact by its figure alone, if another says its words.
        (["合约期二十四个月", "签约二十四个月"], ("duration", ["合约期", "合约"])),
        (["折扣是八五折"], ("percent", ["折扣"])),
        (["送两张副卡"], ("count", ["副卡"])),
        (["副卡免费"], ("count", ["副卡"])),
        # The figure without any of the fact's words restates no fact.
        (["九十九元一个月"], None),
        (["享受八五折"], None),
        # No Chinese phrase: nothing to read.
        (["mesh router"], None),
        (["赠送双频路由器", "mesh router"], None),
    ],
)
def test_the_fact_a_chinese_disclosure_restates(
    phrases: list[str], want: tuple[str, list[str]] | None
) -> None:
    assert _zh_fact_words(PhraseSet(id="d", phrases=phrases), FIBRE) == want


def test_no_campaign_no_fact() -> None:
    assert _zh_fact_words(PhraseSet(id="d", phrases=["合约期二十四个月"]), None) is None


@pytest.mark.parametrize(
    ("phrases", "want"),
    [
        (["赠送双频路由器", "免费送一台双频路由器"], ["双频路由器"]),
        (["月费九十九", "每月月费"], ["月费"]),  # two characters are a term
        (["送路由器", "免费路由器"], ["路由器"]),  # the longest run only
        (["路由器", "月费"], []),
        (["路由器", "器材"], []),  # one character is no term
        (["路由器"], ["路由器"]),
        ([], []),
    ],
)
def test_the_terms_every_phrase_shares(phrases: list[str], want: list[str]) -> None:
    assert _common_terms(phrases) == want


@pytest.mark.parametrize(
    ("text", "cid", "want"),
    [
        ("您的千兆宽带九月到期", "XH", True),
        ("千兆宽带九月到期", "XH", False),  # no holder before the name
        ("现在办千兆宽带，月费九十九元", "XH", False),
        # Named once as theirs and once as an offer: an offer.
        ("您的千兆宽带到期后，可以换新的千兆宽带", "XH", False),
        ("您的宽带九月到期", "XH", False),  # the product is not named
        ("您的千兆宽带九月到期", "NOPE", False),  # no such campaign
        ("您的千兆宽带九月到期", "AF", False),  # another campaign's product is not named
        ("您的安福意外险明年到期", "AF", True),
    ],
)
def test_a_product_named_only_as_the_customers_own(text: str, cid: str, want: bool) -> None:
    assert _held_named(text, cid, [OTHER, FIBRE]) is want
    assert _held_named(text, cid, [FIBRE, OTHER]) is want


def test_a_name_inside_a_longer_name_is_said_once() -> None:
    # "千兆宽带" inside "星河千兆宽带" is the longer name, said after its holder.
    assert _held_named("你的星河千兆宽带快到期了", "XH", [FIBRE]) is True
    assert _held_named("你的星河千兆宽带到期后可以换千兆宽带", "XH", [FIBRE]) is False


@pytest.mark.parametrize(
    ("phrase", "part", "want"),
    [
        ("赠送双频路由器", "这个套餐没有双频路由器", True),
        ("赠送双频路由器", "送一台双频路由器", False),
        ("没有合约期", "没有合约期", False),  # the phrase is itself negated
        ("没有合约期", "合约期二十四个月", False),
    ],
)
def test_a_clause_that_denies_what_a_phrase_says(phrase: str, part: str, want: bool) -> None:
    assert _zh_denied_here(phrase, part) is want


def test_the_stems_of_a_condition() -> None:
    # Stop words, words of who takes an offer and two-letter words drop; stems of five.
    said = "Only for the TV customers with gas and solar panels, if you own it"
    assert _stems(said) == {"only", "gas", "solar", "panel", "own"}


ROUTER = PhraseSet(id="router", phrases=["赠送双频路由器", "免费送一台双频路由器", "mesh router"])
NOTICE = PhraseSet(
    id="contract_notice",
    phrases=[
        "合约期二十四个月，提前解约要付违约金",
        "办理后有二十四个月合约期，中途退订需付违约金",
    ],
)


@pytest.mark.parametrize(
    ("text", "item", "camp", "want"),
    [
        # No fact restated: every term the phrases share, not negated just before it.
        ("我们还会附带一台双频路由器。", ROUTER, FIBRE, True),
        ("这个套餐没有双频路由器。", ROUTER, FIBRE, False),
        ("没有的话双频路由器免费送", ROUTER, FIBRE, True),  # the negation is four back
        # An English phrase by its words in one clause, twelve characters apart at most.
        ("另外还送一个 mesh 的 router，装好就能用。", ROUTER, FIBRE, True),
        ("另外还送一个 mesh，装好就能用 router。", ROUTER, FIBRE, False),
        ("送 mesh router", ROUTER, None, True),
        # A restated fact: its words with a figure of its kind.
        ("签了以后有两年的合约期。", NOTICE, FIBRE, True),
        ("合约期的细节您可以看短信。", NOTICE, FIBRE, False),
        # Without the campaign no fact is known: every shared term is wanted.
        ("签了以后有两年的合约期。", NOTICE, None, False),
        ("合约期二十四个月，提前解约有违约金。", NOTICE, None, False),
    ],
)
def test_a_chinese_item_said_in_other_words(
    text: str, item: PhraseSet, camp: Campaign | None, want: bool
) -> None:
    assert _zh_given(text, item, camp) is want


def test_the_rules_of_an_item_are_kept_per_campaign_and_item() -> None:
    said = "签了以后有两年的合约期。"
    assert _zh_given(said, NOTICE, None) is False
    assert _zh_given(said, NOTICE, FIBRE) is True  # not the rules read without the campaign
    assert _zh_given("我们还会附带一台双频路由器。", ROUTER, FIBRE) is True
    assert _zh_given(said, NOTICE, FIBRE) is True
    assert len(check._ZH_RULES) == 3


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("送双频", {"送双", "双频"}),
        ("mesh路由器a送", {"路由", "由器"}),  # pairs of Han characters only
        ("a路由", {"路由"}),
        ("router", set()),
    ],
)
def test_character_pairs(text: str, want: set[str]) -> None:
    assert _bigrams(text) == want


@pytest.mark.parametrize(
    ("phrase", "text", "want"),
    [
        ("赠送双频路由器", "送一台双频路由器", 4 / 6),
        ("赠送双频路由器", "赠送双频路由器", 1.0),
        ("router", "router", 0.0),  # no pairs to say
    ],
)
def test_the_share_of_a_phrases_pairs_said(phrase: str, text: str, want: float) -> None:
    assert _zh_overlap(phrase, text) == pytest.approx(want)


@pytest.mark.parametrize(
    ("phrase", "text", "want"),
    [
        ("没有合约期", "合约期也没有", True),  # the thing first, its denial after
        ("没有合约期", "合约期是没有的", True),
        ("没有合约期", "没什么合约期", True),  # a particle between
        ("没有合约", "合约也没有", True),  # a thing of two characters
        ("没有钱", "钱也没有", False),  # one character is no thing
        ("没有合约期", "以前合约期也没有", False),  # what used to be
        ("没有合约期", "不是说合约期也没有", False),  # corrected
        ("没有合约期", "合约期二十四个月", False),
        ("合约期二十四个月", "合约期也没有", False),  # the phrase denies nothing
        ("不用签合约", "合约也不用", False),  # "签合约" is not said
    ],
)
def test_a_chinese_denial_said_the_other_way_round(phrase: str, text: str, want: bool) -> None:
    assert _zh_same_denial(phrase, text) is want


def said(turn: int, role: str, text: str) -> Sentence:
    return Sentence(turn, role, float(turn), turn + 1.0, text)


FIBRE_TOPIC = ([FIBRE], "named")
OTHER_TOPIC = ([OTHER], "named")
SERVICE = "我的订单扣了两次"  # the zh pack's customer_service words


@pytest.mark.parametrize(
    ("sentences", "topics", "turn", "want"),
    [
        ([said(0, "customer", SERVICE)], [FIBRE_TOPIC], 0, {"XH"}),
        ([said(0, "customer", SERVICE)], [([], "")], 0, set()),  # no topic: nothing held
        ([said(0, "agent", SERVICE)], [FIBRE_TOPIC], 0, set()),  # the agent holds nothing
        (
            [said(0, "agent", "您好"), said(1, "customer", SERVICE)],
            [FIBRE_TOPIC, FIBRE_TOPIC],
            1,
            {"XH"},
        ),
        (  # what the customer says later is not known yet
            [said(0, "agent", "您好"), said(2, "customer", SERVICE)],
            [FIBRE_TOPIC, FIBRE_TOPIC],
            1,
            set(),
        ),
        (
            [said(0, "customer", SERVICE), said(1, "customer", "我的保单")],
            [FIBRE_TOPIC, OTHER_TOPIC],
            1,
            {"XH", "AF"},
        ),
        (  # asking to buy it: not held
            [said(0, "customer", SERVICE), said(1, "customer", "想办千兆宽带")],
            [FIBRE_TOPIC, FIBRE_TOPIC],
            1,
            set(),
        ),
        (
            [
                said(0, "customer", SERVICE),
                said(1, "customer", "我的保单"),
                said(2, "customer", "想办千兆宽带"),
                said(3, "customer", "想买意外险"),
            ],
            [FIBRE_TOPIC, OTHER_TOPIC, FIBRE_TOPIC, OTHER_TOPIC],
            3,
            set(),
        ),
        (
            [said(0, "customer", SERVICE), said(1, "customer", "想买意外险")],
            [FIBRE_TOPIC, OTHER_TOPIC],
            1,
            {"XH"},
        ),
        # The customer's English words in a Chinese contact, by the English cues.
        ([said(0, "customer", "my plan was charged twice")], [FIBRE_TOPIC], 0, {"XH"}),
        (
            [
                said(0, "customer", "my plan was charged twice"),
                said(1, "customer", "I'd like to upgrade"),
            ],
            [FIBRE_TOPIC, FIBRE_TOPIC],
            1,
            set(),
        ),
    ],
)
def test_what_a_chinese_customer_holds(
    sentences: list[Sentence], topics: list[tuple[list[Campaign], str]], turn: int, want: set[str]
) -> None:
    assert _zh_held(sentences, topics, turn) == want


DELUXE = campaign("AFX", ("安福意外险尊享版",))


@pytest.mark.parametrize(
    ("text", "campaigns", "want"),
    [
        ("我们的E享医疗险", [FIBRE], True),  # Latin letters belong to the name
        ("我们的e享医疗险", [FIBRE], True),
        ("您看E医疗险", [FIBRE], True),  # one Latin letter is a name
        ("您看e医疗险", [FIBRE], True),
        ("您看医疗险", [FIBRE], False),  # a kind alone names none
        ("您只有医疗险，我们还有安福意外险", [FIBRE], True),
        ("我们的安福意外险", [FIBRE, OTHER], False),  # a campaign's own product
        ("我们的安福意外险", [DELUXE], False),  # inside a campaign's longer name
    ],
)
def test_another_chinese_product(text: str, campaigns: list[Campaign], want: bool) -> None:
    assert _zh_other_product(text, campaigns) is want


@pytest.mark.parametrize(
    ("text", "item", "want"),
    [
        # Half of a phrase's character pairs in one clause is enough.
        ("送路由", PhraseSet(id="r", phrases=["赠送路由器"]), (True, 0.9)),
        ("我们还会附带一台双频路由器。", ROUTER, (True, 0.9)),
        ("这个套餐没有双频路由器。", ROUTER, (False, 0.0)),  # denied in that clause
        # Fewer pairs, but the fact's words and a figure of its kind.
        ("签了以后有两年的合约期。", NOTICE, (True, 0.85)),
    ],
)
def test_a_chinese_disclosure_given_and_how_sure(
    text: str, item: PhraseSet, want: tuple[bool, float]
) -> None:
    assert _given([said(1, "agent", text)], item, {}, FIBRE) == want


RATE = Campaign.model_validate(
    {
        "version": 2,
        "id": "XR",
        "name": "星河存款",
        "from": "2027-01-01",
        "to": "2027-03-31",
        "products": ["星河存款"],
        "facts": [{"id": "rate", "about": ["利率"], "value": {"percent": 2.125}}],
    }
)


def test_a_phrase_may_say_a_fact_by_its_figure_to_two_places() -> None:
    # "年化2.125%" says the rate by its figure alone, compared to two decimal places.
    item = PhraseSet(id="d", phrases=["利率2.125%", "年化2.125%"])
    assert _zh_fact_words(item, RATE) == ("percent", ["利率"])
    # A figure without the fact's words is passed over for the next fact.
    said = PhraseSet(id="d", phrases=["九十九元，合约期二十四个月"])
    assert _zh_fact_words(said, FIBRE) == ("duration", ["合约期", "合约"])


def test_a_negation_at_the_start_of_the_sentence_denies_the_term() -> None:
    assert _zh_given("没有双频路由器", ROUTER, FIBRE) is False
