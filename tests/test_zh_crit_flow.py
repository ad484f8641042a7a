"""Chinese conversation flow read by cue words and form: the details an agent tells about
what the customer holds (order.v1's later step), offers where the product goes unsaid, a
price answered on request before the discovery questions (needs_discovery.v1), short phrases
said as written, retention moves that only echo the customer, and explanations with a wrong
key figure. Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from qa.matching import Matcher
from qa.model import Agent, Evidence, Flag, Interaction, Turn
from qa.packs import set_site_extensions
from qa.scorecard.context import Context
from qa.scorecard.criteria import (
    needs_discovery_v1,
    order_v1,
    pitches,
    product_explanation_v1,
    retention_v1,
)
from qa.scorecard.engine import evaluate_criterion
from qa.scorecard.schema import (
    Condition,
    Event,
    KeyPoint,
    NeedsDiscoveryV1,
    OrderV1,
    Phrases,
    PhraseV1,
    ProductExplanationV1,
    RetentionV1,
)
from qa.text import question_kind


def ctx_of(lines: list[tuple[str, str]], flags: list[Flag] | None = None) -> Context:
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
    return Context(item, Matcher(), flags=flags, card_language="zh")


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


@pytest.mark.parametrize(
    ("said", "found"),
    [
        ("现在加入首年五折，月底前有效。", True),  # 5 written as 五
        ("現在加入首年5折。", True),  # Traditional script
        ("现在加入首年八五折。", False),  # 八五折 is not 五折
        ("我的账户里能看到。", False),  # one character changed: not the phrase
    ],
)
def test_short_chinese_phrases_are_matched_as_written(said: str, found: bool) -> None:
    ctx = ctx_of([("agent", said)])
    for phrases in (["首年5折"], ["您的账户"]):
        spec = Phrases(phrases=phrases, match="fuzzy")
        if phrases == ["您的账户"]:
            assert ctx.find(spec) == []
        else:
            assert bool(ctx.find(spec)) is found


RETAIN = RetentionV1(
    id="keep",
    type="retention.v1",
    points=1,
    churn=Phrases(phrases=["提前还清", "注销"], speaker="customer"),
    save=Phrases(phrases=["保单贷款", "是什么原因"]),
)


def test_saying_back_what_the_customer_holds_is_no_retention_move() -> None:
    lines = [
        ("customer", "我的保单贷款想提前还清，要还多少？"),
        ("agent", "您的保单贷款本金一万五千元，提前还清一共一万五千二百元。"),
        ("agent", "在App里提交还款就可以了。"),
    ]
    assert retention_v1(RETAIN, ctx_of(lines)).result == "fail"
    asked = [*lines[:1], ("agent", "方便说一下是什么原因想提前还清吗？"), *lines[1:]]
    assert retention_v1(RETAIN, ctx_of(asked)).result == "pass"


def test_a_closed_card_behind_a_change_of_payment_is_no_churn_cue() -> None:
    lines = [
        ("customer", "原来那张卡注销了，我想换一张扣款卡。"),
        ("agent", "好的，请提供新卡的卡号。"),
    ]
    assert retention_v1(RETAIN, ctx_of(lines)).result == "na"
    leaving = [("customer", "这个账户我想注销。"), ("agent", "好的，请提供身份证号。")]
    assert retention_v1(RETAIN, ctx_of(leaving)).result == "fail"


EXPLAIN = ProductExplanationV1(
    id="explain",
    type="product_explanation.v1",
    points=1,
    key_points=[
        KeyPoint(id="fee", phrases=["首年年费半价"]),
        KeyPoint(id="lounge", phrases=["机场贵宾厅"]),
    ],
    min_coverage=0.5,
    require_needs_link=True,
    require_check=False,
)
EXPLAINED = [
    ("customer", "我经常出差，想找一张适合出差的卡。"),
    ("agent", "推荐您办畅游卡，既然您经常出差，机场贵宾厅每年免费六次，首年年费半价。"),
]


def test_an_explanation_with_a_wrong_key_figure_fails() -> None:
    assert product_explanation_v1(EXPLAIN, ctx_of(EXPLAINED, flags=[])).result == "pass"
    wrong = Flag(
        kind="contradiction",
        severity="high",
        campaign="TRAVEL",
        fact="lounge_visits",
        message="says six lounge visits; the campaign says four",
        evidence=[Evidence(turn=1, role="agent", start=20.0, end=25.0, quote="每年免费六次")],
    )
    out = product_explanation_v1(EXPLAIN, ctx_of(EXPLAINED, flags=[wrong]))
    assert out.result == "fail"
    assert "key figure is wrong" in (out.note or "")
    # a flag on another turn says nothing about the explanation
    elsewhere = Flag(**{**wrong.__dict__, "evidence": [Evidence(0, "customer", 0, 5, "x")]})
    assert product_explanation_v1(EXPLAIN, ctx_of(EXPLAINED, flags=[elsewhere])).result == "pass"


def test_an_open_question_about_the_customer_is_no_offer() -> None:
    ctx = ctx_of([("agent", "您看哪种方案更适合您？")])
    assert ctx.act_probability("您看哪种方案更适合您？", "recommend") == 0.0
    assert ctx.act_probability("这个方案很适合您，首年免年费。", "recommend") == 1.0


CHECK = PhraseV1(
    id="check",
    type="phrase.v1",
    points=1,
    match="semantic",
    threshold=0.5,
    phrases=["这样说您清楚吗", "有没有哪里不明白", "刚才说的您都理解吗"],
    applies_when=Condition(min_turns=6),
)


def test_a_check_for_understanding_is_wanted_after_several_parts_whatever_the_turns() -> None:
    steps = "换卡分两步：第一，在App里提交换卡申请；第二，收到新卡后拨打热线激活。这样说您清楚吗？"
    short = ctx_of([("customer", "卡坏了怎么换？"), ("agent", steps)])
    out = evaluate_criterion(CHECK, short, ["chat"])
    assert out.result == "pass"  # two turns, fewer than min_turns: the steps make it apply
    unchecked = ctx_of([("customer", "卡坏了怎么换？"), ("agent", steps.split("这样")[0])])
    assert evaluate_criterion(CHECK, unchecked, ["chat"]).result == "fail"
    # a one-line answer in a long chat explains nothing of several parts
    one_line = [
        ("customer", "你好。"),
        ("agent", "您好，请问有什么可以帮您？"),
        ("customer", "我的快递到哪了？"),
        ("agent", "明天下午送到。"),
        ("customer", "好的。"),
        ("agent", "不客气。"),
    ]
    out = evaluate_criterion(CHECK, ctx_of(one_line), ["chat"])
    assert out.result == "na"
    assert out.note == "nothing of several parts explained"


def test_english_keeps_the_count_of_turns() -> None:
    item = Interaction(
        id="en",
        channel="chat",
        source="en",
        agent=Agent("a"),
        turns=[Turn(role="agent", text="Step one, then step two. Is that clear?", start=0, end=1)],
        language="en",
    )
    ctx = Context(item, Matcher(), card_language="en")
    assert ctx.act_situation(CHECK) is None
    assert evaluate_criterion(CHECK, ctx, ["chat"]).note == "only with at least 6 turns"


@pytest.mark.parametrize(
    ("said", "act"),
    [
        ("我订的是蓝色，收到的却是黑色。", "complaint"),
        ("我妈妈住院了，想问问怎么报销。", "complaint"),
        ("哦，原来是这样，那行吧。", "resolution_confirmed"),
    ],
)
def test_more_chinese_situation_cues(said: str, act: str) -> None:
    ctx = ctx_of([("customer", said)])
    assert ctx.act_probability(said, act) == 1.0


def test_a_situation_list_of_complaint_words_counts_other_complaint_words() -> None:
    empathy = PhraseV1(
        id="empathy",
        type="phrase.v1",
        points=1,
        match="semantic",
        threshold=0.5,
        phrases=["非常抱歉给您带来不便", "理解您的心情"],
        applies_when=Condition(
            customer_mentions=Phrases(phrases=["投诉", "太慢", "不满意", "扣了两次", "住院"])
        ),
    )
    raised = ctx_of([("customer", "包裹寄错了，我很生气。"), ("agent", "请提供订单号。")])
    assert evaluate_criterion(empathy, raised, ["chat"]).result == "fail"
    calm = ctx_of([("customer", "我想问一下营业时间。"), ("agent", "早上九点到晚上六点。")])
    assert evaluate_criterion(empathy, calm, ["chat"]).result == "na"


def test_a_near_match_never_changes_a_number() -> None:
    spec = Phrases(phrases=["收到保单后可以全额退保"], match="fuzzy")
    right = "收到保单后都可以全额退保。"
    wrong = "收到保单后十天内可以全额退保。"
    assert [h.turn for h in ctx_of([("agent", right)]).find(spec)] == [0]
    assert ctx_of([("agent", wrong)]).find(spec) == []
    counted = Phrases(phrases=["收到保单后十五天内可以全额退保"], match="fuzzy")
    assert ctx_of([("agent", "收到保单后十五天内都可以全额退保。")]).find(counted)
    assert ctx_of([("agent", wrong)]).find(counted) == []
