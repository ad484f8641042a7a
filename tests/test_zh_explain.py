"""Chinese script reading (a question taken up in the customer's own words, a figure asked
for and given, a check that what was said is understood), campaign consistency where no
campaign is spoken of, and the campaign maxima and thresholds that Chinese product
explanations are judged against. Every sentence here is written for these tests: a
fictional broadband company (星河宽带) and its offers."""

from __future__ import annotations

import datetime as dt

import pytest

from qa.campaigns.schema import Campaign
from qa.matching import Matcher
from qa.model import Agent, Evidence, Flag, Interaction, Turn
from qa.packs import set_site_extensions
from qa.scorecard.context import Context
from qa.scorecard.criteria import (
    campaign_consistency_v1,
    product_explanation_v1,
    script_reading_v1,
)
from qa.scorecard.engine import evaluate_criterion
from qa.scorecard.schema import (
    CampaignConsistencyV1,
    Condition,
    KeyPoint,
    Phrases,
    PhraseV1,
    ProductExplanationV1,
    ScriptReadingV1,
)

CHANNELS = ["voice", "chat", "email"]


def ctx_of(
    lines: list[tuple[str, str]],
    channel: str = "chat",
    flags: list[Flag] | None = None,
    campaigns: list[Campaign] | None = None,
    direction: str | None = None,
) -> Context:
    turns = [
        Turn(role=r, text=t, start=20.0 * i, end=20.0 * i + 5) for i, (r, t) in enumerate(lines)
    ]
    item = Interaction(
        id="zh-explain",
        channel=channel,
        source="zh-explain",
        agent=Agent("a"),
        turns=turns,
        language="zh",
        duration=20.0 * len(lines),
        direction=direction,
    )
    return Context(item, Matcher(), flags=flags, card_language="zh", campaigns=campaigns)


@pytest.fixture(autouse=True)
def _no_site_lists() -> None:
    set_site_extensions(None)
    yield
    set_site_extensions(None)


# --- script reading: a question brushed aside, read in Chinese -----------------------------

READING = ScriptReadingV1(
    id="natural",
    type="script_reading.v1",
    points=1,
    max_score=0.5,
    script=[
        "您好，我是星河宽带的客户经理，今天来电是想为您介绍千兆宽带升级。",
        "千兆宽带每月一百二十元，首年免费送新路由器。",
        "请问您今天方便办理吗？",
    ],
)

OPENING = [
    ("agent", "您好，请问是王女士吗？"),
    ("customer", "是我。"),
    ("agent", "王女士您好，我是星河宽带的小周，家里上网平时主要用来做什么？"),
    ("customer", "孩子上网课，晚上经常卡。"),
]


@pytest.mark.parametrize("channel", CHANNELS)
def test_questions_answered_in_own_words_are_not_brushed_aside(channel: str) -> None:
    # "网速慢" comes back as "网速" (the segmenter cuts them apart), the price asked for is
    # given as a figure, and the reply to "what should I watch for" ends by checking it was
    # understood: none of the three moves past the customer.
    lines = [
        *OPENING,
        ("agent", "明白，孩子晚上上课卡顿确实着急。"),
        ("customer", "我家网速慢能升级吗？"),
        ("agent", "网速主要看线路，您家是光纤入户，现在办理千兆就有优惠。"),
        ("customer", "升级一个月要多少钱？"),
        ("agent", "每个月一百二十元，现在办理还有优惠。"),
        ("customer", "办了以后有什么要留意的？"),
        (
            "agent",
            "两点：第一，工程师上门前会短信通知；第二，旧光猫要保留一个月。这两点您明白了吗？",
        ),
        ("customer", "明白了。"),
        ("agent", "好的，感谢您的时间，再见。"),
    ]
    out = script_reading_v1(READING, ctx_of(lines, channel, direction="outbound"))
    assert out.details["brushed_aside"] == 0
    assert out.result == "pass"


@pytest.mark.parametrize("channel", CHANNELS)
def test_questions_answered_with_the_next_script_line_are_brushed_aside(channel: str) -> None:
    lines = [
        *OPENING,
        ("customer", "我家网速慢能升级吗？"),
        ("agent", "千兆宽带每月一百二十元，首年免费送新路由器。"),
        ("customer", "旧光猫还能用吗？"),
        ("agent", "请问您今天方便办理吗？"),
    ]
    out = script_reading_v1(READING, ctx_of(lines, channel, direction="outbound"))
    assert out.details["brushed_aside"] == 2
    assert out.result == "fail"


def test_a_figure_is_no_answer_to_a_question_that_asks_for_none() -> None:
    # "能不能装" asks yes or no, not for a figure: a price and an offer move past it.
    lines = [
        *OPENING,
        ("customer", "我们小区老楼能不能装？"),
        ("agent", "每个月一百二十元，现在办理还有优惠。"),
        ("customer", "物业同意吗？"),
        ("agent", "首年还免费送新路由器，您看要不要试试？"),
    ]
    out = script_reading_v1(READING, ctx_of(lines, "voice", direction="outbound"))
    assert out.details["brushed_aside"] == 2


# --- campaign consistency: N/A where no campaign is spoken of ------------------------------


def _offer() -> Campaign:
    return Campaign.model_validate(
        {
            "version": 2,
            "id": "XH-GIGA",
            "name": "千兆宽带 夏季升级",
            "from": dt.date(2026, 5, 1),
            "to": dt.date(2026, 8, 31),
            "products": ["千兆宽带"],
            "facts": [
                {
                    "id": "monthly_fee",
                    "about": ["月费", "每月"],
                    "value": {"money": {"amount": 120, "currency": "CNY", "period": "month"}},
                }
            ],
        }
    )


CONSISTENCY = CampaignConsistencyV1(
    id="camp", type="campaign_consistency.v1", points=1, kinds=["contradiction"]
)


@pytest.mark.parametrize("channel", CHANNELS)
def test_campaign_consistency_is_na_where_no_campaign_product_is_named(channel: str) -> None:
    lines = [
        ("customer", "我家的路由器灯一直闪红色，上不了网。"),
        ("agent", "抱歉给您带来不便，我这边帮您远程重启一下，大约两分钟。"),
    ]
    out = campaign_consistency_v1(CONSISTENCY, ctx_of(lines, channel, [], [_offer()]))
    assert out.result == "na"


@pytest.mark.parametrize("channel", CHANNELS)
def test_campaign_consistency_applies_where_either_side_names_the_product(channel: str) -> None:
    lines = [
        ("customer", "听说千兆宽带在搞活动？"),
        ("agent", "是的，现在每月一百二十元。"),
    ]
    out = campaign_consistency_v1(CONSISTENCY, ctx_of(lines, channel, [], [_offer()]))
    assert out.result == "pass"


def test_campaign_consistency_without_the_campaigns_known_passes_as_before() -> None:
    lines = [("customer", "路由器坏了。"), ("agent", "帮您换一台。")]
    assert campaign_consistency_v1(CONSISTENCY, ctx_of(lines, "chat", [])).result == "pass"


# --- campaign maxima and thresholds: a value within them agrees ------------------------------

SCREEN = """
id: XH-SCREEN-2027
name: 星河碎屏保 开年特惠
from: 2027-01-01
to: 2027-03-31
channels: [voice, chat, email]
products: ["星河碎屏保", "碎屏保"]
facts:
  - id: waiting_days
    about: ["生效", "等待"]
    value: {duration: {amount: 7, unit: day}}
  - id: max_payout
    about: ["最高赔付", "赔付最高", "最多赔"]
    value: {money: {amount: 3000, currency: CNY, period: once}}
"""

SHOP = """
id: XH-SHOP-2027
name: 星河配件商城 开年特惠
from: 2027-01-01
to: 2027-03-31
channels: [voice, chat, email]
products: ["星河配件商城", "配件商城"]
facts:
  - id: discount
    about: ["折", "优惠"]
    value: {percent: 10}
  - id: free_shipping
    about: ["包邮", "满", "门槛"]
    value: {money: {amount: 200, currency: CNY, period: once}}
"""


@pytest.fixture(scope="module")
def screen(tmp_path_factory: pytest.TempPathFactory) -> list[Campaign]:
    from qa.campaigns.schema import load_campaigns

    folder = tmp_path_factory.mktemp("zh_screen")
    (folder / "screen.yaml").write_text(SCREEN, encoding="utf-8")
    (folder / "shop.yaml").write_text(SHOP, encoding="utf-8")
    return load_campaigns(folder)


def contradictions(channel: str, said: str, campaigns: list[Campaign]) -> set[str]:
    """Every contradiction raised, held for review or not (a held flag still asks a person)."""
    from qa.campaigns.check import check_interaction
    from qa.campaigns.evaluate import case_interaction

    turns = [["customer", "我想了解一下碎屏保和配件商城。"], ["agent", said]]
    case = {"id": "t", "date": "2027-02-10", "channel": channel, "turns": turns}
    return {
        (f.fact or "").split(":")[0]
        for f in check_interaction(case_interaction(case), campaigns)
        if f.kind == "contradiction"
    }


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(
    "said",
    [
        # A payout under the maximum, and the maximum said right.
        "星河碎屏保最高赔付三千元，您这台手机这次赔付一千二百元。",
        # An order above the threshold is within it; the threshold said right.
        "配件商城满两百元包邮，您这单三百五十元，已经包邮了。",
        # A price per year is no one-off amount: not read against the maximum payout.
        "星河碎屏保每年交一百八十元，最高赔付三千元。",
        # Another group's threshold, said as such, is not the offer's.
        "配件商城在偏远地区的包邮门槛不一样，要满五百元，您这边满两百元就包邮。",
    ],
)
def test_values_within_a_maximum_or_a_threshold_raise_nothing(
    channel: str, said: str, screen: list[Campaign]
) -> None:
    assert contradictions(channel, said, screen) == set()


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(
    ("said", "fact"),
    [
        ("星河碎屏保最高赔付五千元。", "max_payout"),  # the maximum itself, said wrong
        ("配件商城满三百元才包邮。", "free_shipping"),  # the threshold itself, said wrong
        ("配件商城买满 ¥300 就包邮。", "free_shipping"),
    ],
)
def test_a_maximum_or_a_threshold_said_wrong_is_a_contradiction(
    channel: str, said: str, fact: str, screen: list[Campaign]
) -> None:
    assert fact in " ".join(contradictions(channel, said, screen))


# --- product explanation: a wrong figure fails it where a key point speaks of its fact --------

SCREEN_EXPLAIN = ProductExplanationV1(
    id="explain",
    type="product_explanation.v1",
    points=1,
    key_points=[
        KeyPoint(id="payout", phrases=["最高赔付三千元"]),
        KeyPoint(id="repair", phrases=["免费上门取送修"]),
    ],
    min_coverage=0.5,
    require_needs_link=True,
    require_check=False,
)
SCREEN_PITCH = [
    ("customer", "我老是摔手机，担心屏幕碎了修不起。"),
    (
        "agent",
        "推荐您办星河碎屏保，既然您担心修不起，最高赔付三千元，还免费上门取送修，"
        "本月底前办理有优惠。",
    ),
]


def _wrong(fact: str) -> Flag:
    return Flag(
        kind="contradiction",
        severity="high",
        campaign="XH-SCREEN-2027",
        fact=f"{fact}: (星河碎屏保 开年特惠)",
        message="a figure the campaign states otherwise",
        evidence=[Evidence(turn=1, role="agent", start=20.0, end=25.0, quote="x")],
    )


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_wrong_figure_fails_an_explanation_only_where_a_key_point_speaks_of_it(
    channel: str, screen: list[Campaign]
) -> None:
    def result(flag: Flag) -> str:
        ctx = ctx_of(SCREEN_PITCH, channel, [flag], screen)
        return str(product_explanation_v1(SCREEN_EXPLAIN, ctx).result)

    assert result(_wrong("max_payout")) == "fail"  # "最高赔付" is a key point's
    assert result(_wrong("waiting_days")) == "pass"  # no key point speaks of it


# --- agent_mentions in Chinese: raised where offered ------------------------------------------

DISCLOSE = PhraseV1(
    id="disclose",
    type="phrase.v1",
    points=1,
    phrases=["七天等待期"],
    match="fuzzy",
    applies_when=Condition(agent_mentions=Phrases(phrases=["星河碎屏保", "碎屏保"])),
)


def _applies(lines: list[tuple[str, str]], channel: str) -> bool:
    out = evaluate_criterion(DISCLOSE, ctx_of(lines, channel), [channel])
    return out.result != "na"


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_product_named_in_service_on_what_the_customer_holds_raises_no_disclosure(
    channel: str,
) -> None:
    held = [
        ("customer", "我的屏幕碎了，想报修。"),
        ("agent", "核实通过，您名下的星河碎屏保在保障期内，我帮您登记上门取件。"),
    ]
    assert not _applies(held, channel)
    ended = [("agent", "星河碎屏保的开年活动已经结束了。")]
    assert not _applies(ended, channel)
    upcoming = [("agent", "星河碎屏保下个月才上线，上线后首月免费。")]
    assert not _applies(upcoming, channel)


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_product_the_customer_named_is_raised_where_the_agent_offers_it(channel: str) -> None:
    unsaid = [
        ("customer", "碎屏保现在还有优惠吗？"),
        ("agent", "有的，现在办理首月免费，之后每月十五元。"),
    ]
    assert _applies(unsaid, channel)
    offered = [("agent", "推荐您办星河碎屏保，每月十五元。")]
    assert _applies(offered, channel)
    asked = [("customer", "碎屏保怎么报修？"), ("agent", "在App里提交照片就可以。")]
    assert not _applies(asked, channel)
