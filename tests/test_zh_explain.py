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
from qa.model import Agent, Flag, Interaction, Turn
from qa.packs import set_site_extensions
from qa.scorecard.context import Context
from qa.scorecard.criteria import campaign_consistency_v1, script_reading_v1
from qa.scorecard.schema import CampaignConsistencyV1, ScriptReadingV1

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
