"""Chinese conversation flow read by cue words and form: the details an agent tells about
what the customer holds (order.v1's later step), offers where the product goes unsaid, and a
price answered on request before the discovery questions (needs_discovery.v1). Every
sentence here is written for these tests."""

from __future__ import annotations

import pytest

from qa.matching import Matcher
from qa.model import Agent, Interaction, Turn
from qa.packs import set_site_extensions
from qa.scorecard.context import Context
from qa.scorecard.criteria import needs_discovery_v1, order_v1, pitches
from qa.scorecard.schema import Event, NeedsDiscoveryV1, OrderV1, Phrases
from qa.text import question_kind


def ctx_of(lines: list[tuple[str, str]]) -> Context:
    turns = [
        Turn(role=r, text=t, start=20.0 * i, end=20.0 * i + 5) for i, (r, t) in enumerate(lines)
    ]
    item = Interaction(
        id="zh-flow",
        channel="chat",
        source="zh-flow",
        agent=Agent("a"),
        turns=turns,
        language="zh",
        duration=20.0 * len(lines),
    )
    return Context(item, Matcher(), card_language="zh")


@pytest.fixture(autouse=True)
def _no_site_lists() -> None:
    set_site_extensions(None)
    yield
    set_site_extensions(None)


VERIFY = OrderV1(
    id="verify",
    type="order.v1",
    points=1,
    first=Event(phrases=["核实身份", "身份证后四位", "核实通过"]),
    then=Event(phrases=["您的账户", "您的贷款", "还款记录"]),
)


def test_a_detail_of_what_the_customer_holds_after_the_check_passes() -> None:
    ctx = ctx_of(
        [
            ("customer", "我想查一下我的车贷还剩多少没还。"),
            ("agent", "好的，先帮您核实身份，请提供身份证后四位。"),
            ("customer", "三三零八。"),
            ("agent", "核实通过。孙先生的车贷目前还剩四万二千元本金，下次扣款是九月十五号。"),
        ]
    )
    out = order_v1(VERIFY, ctx)
    assert out.result == "pass"
    assert [e.turn for e in out.evidence] == [1, 3]


def test_a_detail_told_before_any_check_fails() -> None:
    ctx = ctx_of(
        [
            ("customer", "我想查一下我的车贷还剩多少没还。"),
            ("agent", "您的贷款还剩四万二千元，下次扣款是九月十五号。"),
            ("agent", "另外麻烦提供身份证后四位，我核实身份。"),
        ]
    )
    out = order_v1(VERIFY, ctx)
    assert out.result == "fail"
    assert out.evidence[0].turn == 1


@pytest.mark.parametrize(
    "said",
    [
        # the customer's words played back: no figure, no status, nothing told
        "还款记录这个问题确实让人着急。",
        # an offer's terms are not a detail of what the customer holds
        "推荐您开通我们的会员账户，首年只要九十九元。",
        # a question with no figure asks, it tells nothing
        "您的账户是用哪个手机号注册的？",
        # "my account" is not "your account": no near miss by one character
        "我的账户里可以看到活动介绍，每年十二月更新。",
    ],
)
def test_what_tells_no_detail_leaves_verification_not_applicable(said: str) -> None:
    ctx = ctx_of([("customer", "你好，想咨询一下。"), ("agent", said)])
    assert order_v1(VERIFY, ctx).result == "na"


NEEDS = NeedsDiscoveryV1(
    id="needs",
    type="needs_discovery.v1",
    points=1,
    min_open_questions=1,
    require_acknowledgement=False,
    pitch=Phrases(phrases=["畅游卡", "给您推荐"], match="fuzzy"),
)


def test_a_price_answered_on_request_then_a_question_before_the_recommendation() -> None:
    ctx = ctx_of(
        [
            ("customer", "你们那个畅游卡年费要多少？"),
            ("agent", "畅游卡年费六百元，现在首年五折。方便说说您平时出门多半去哪些地方吗？"),
            ("customer", "一年飞四五趟东南亚，都是跟家人一起。"),
            ("agent", "那畅游卡很适合您，境外消费免货币转换费，还送家庭旅行险。"),
        ]
    )
    out = needs_discovery_v1(NEEDS, ctx)
    assert out.result == "pass"
    assert out.evidence[-1].turn == 3  # the recommendation, not the answered price


def test_answers_alone_are_the_pitch_and_need_a_question_before_them() -> None:
    ctx = ctx_of(
        [
            ("customer", "你们那个畅游卡年费要多少？"),
            ("agent", "畅游卡年费六百元，现在办理首年五折。"),
            ("customer", "那要怎么申请？"),
            ("agent", "在App上就可以申请，现在办理还送旅行险。"),
        ]
    )
    assert needs_discovery_v1(NEEDS, ctx).result == "fail"


def test_a_request_for_advice_answered_with_a_product_is_the_pitch() -> None:
    ctx = ctx_of(
        [
            ("customer", "我常出国，你们有什么卡推荐吗？"),
            ("agent", "给您推荐畅游卡，现在首年五折。"),
            ("agent", "方便说说您平时出门多半去哪些地方吗？"),
            ("agent", "那畅游卡很适合您，境外消费免货币转换费。"),
        ]
    )
    out = needs_discovery_v1(NEEDS, ctx)
    assert out.result == "fail"
    assert out.evidence[-1].turn == 1


def test_an_offer_counts_where_the_product_goes_unsaid() -> None:
    lines = [
        ("customer", "畅游卡现在还能办吗？"),
        ("agent", "可以的，现在办理首年五折，月底截止。"),
    ]
    assert [t for t, _ in pitches(ctx_of(lines), NEEDS.pitch)] == [1]
    # ... but not before anyone named it, nor service on what the customer holds
    assert pitches(ctx_of(lines[1:]), NEEDS.pitch) == []
    service = [
        ("customer", "我的畅游卡扣款账户想换一张。"),
        ("agent", "好的，帮您办理变更扣款账户。"),
        ("agent", "您平时主要用哪张卡消费？"),
    ]
    assert pitches(ctx_of(service), NEEDS.pitch) == []


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("您平常多半买些什么、大概多久买一次？", "open"),  # one clause asks for the story
        ("你平时钟意买啲咩？", "open"),  # Cantonese 咩: what
        ("点解想取消呢？", "open"),  # Cantonese 点解: why
        ("一个月大概买几次、每次多少钱？", "closed"),  # figures only
    ],
)
def test_chinese_questions_read_clause_by_clause(sentence: str, kind: str) -> None:
    assert question_kind(sentence) == kind
