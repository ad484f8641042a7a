"""Chinese conversation flow on every channel: the same conversations as a chat (JSON
messages), a call (Whisper-style words in Simplified script merged into turns by the voice
pipeline) and an email thread (one message per turn, with salutation, sign-off, signature and
quoted reply, read by the email ingester). Complaints told by their form, a customer who turns
to an offer of their own accord, questions asked in the turn that answers or recommends,
English words inside Chinese (code-switching), and the flow rules of tests/test_zh_crit_flow.py.
Every sentence here is written for these tests."""

from __future__ import annotations

import json
import re
from email.message import EmailMessage
from pathlib import Path

import pytest

from qa.config import load_config
from qa.errors import ConfigError
from qa.ingest.chat import parse_chat_json
from qa.ingest.email import build_thread, parse_message
from qa.language import to_simplified
from qa.matching import Matcher
from qa.model import Agent, Evidence, Flag, Interaction, Word
from qa.packs import set_site_extensions
from qa.scorecard.context import Context
from qa.scorecard.criteria import (
    needs_discovery_v1,
    order_v1,
    product_explanation_v1,
    retention_v1,
    upsell_timing_v1,
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
    UpsellTimingV1,
)
from qa.voice.pipeline import words_to_turns

CHANNELS = ["chat", "voice", "email"]
TWINS = ["voice", "email"]  # of the chat tests in tests/test_zh_crit_flow.py
AGENT_DOMAIN = "service.lexiang.example"


@pytest.fixture(autouse=True)
def _no_site_lists() -> None:
    set_site_extensions(None)
    yield
    set_site_extensions(None)


def conversation(lines: list[tuple[str, str]], channel: str) -> Interaction:
    """The lines as an interaction of the channel, read by that channel's own code."""
    if channel == "chat":
        doc = {
            "id": "zh-twin",
            "agent": {"id": "a.lin"},
            "messages": [{"from": role, "text": text} for role, text in lines],
        }
        return parse_chat_json(json.dumps(doc, ensure_ascii=False), "zh-twin.json")[0]
    if channel == "voice":
        return _call(lines)
    return _thread(lines)


def _call(lines: list[tuple[str, str]], punctuated: bool = True) -> Interaction:
    """Whisper writes Mandarin in Simplified script, a character or two at a time and
    English words with a leading space (and at times no punctuation at all); a pause
    between lines starts a new turn."""
    labelled = []
    clock = 0.0
    for role, said in lines:
        text = (
            to_simplified(said) if punctuated else re.sub("[，。？！、]", "", to_simplified(said))
        )
        for piece in re.findall(r"[A-Za-z0-9$'-]+|[^\sA-Za-z0-9$'-]{1,2}", text):
            spoken = f" {piece}" if piece[0].isascii() and piece[0].isalnum() else piece
            labelled.append((Word(clock, clock + 0.25, spoken), role, f"SPEAKER_{role}"))
            clock += 0.25
        clock += 2.0
    turns = words_to_turns(labelled, gap=1.0)
    return Interaction(
        id="zh-twin-call",
        channel="voice",
        source="zh-twin.wav",
        agent=Agent("a.lin"),
        turns=turns,
        language="zh",
        duration=clock,
    )


def _thread(lines: list[tuple[str, str]]) -> Interaction:
    """One message per line: the agent's with a salutation, a sign-off and a signature, the
    customer's with the message it answers quoted below a Chinese client's header."""
    mails = []
    previous = ""
    for n, (role, text) in enumerate(lines):
        msg = EmailMessage()
        if role == "agent":
            msg["From"] = f"乐享客服 <care@{AGENT_DOMAIN}>"
            msg["To"] = "chen@mail.example"
            body = f"陈女士您好：\n\n{text}\n\n祝好！\n乐享客服中心 林悦\n"
        else:
            msg["From"] = "陈女士 <chen@mail.example>"
            msg["To"] = f"care@{AGENT_DOMAIN}"
            quoted = (
                f"\n\n在 2026年6月{n + 1}日 周一 上午9:30，乐享客服 写道：\n> {previous}"
                if n
                else ""
            )
            body = f"{text}\n\n陈{quoted}\n"
        msg["Subject"] = "咨询" if n == 0 else "Re: 咨询"
        msg["Date"] = f"Mon, {n + 1:02d} Jun 2026 09:{n:02d}:00 +0800"
        msg["Message-ID"] = f"<twin{n}@mail.example>"
        if n:
            msg["In-Reply-To"] = f"<twin{n - 1}@mail.example>"
        msg.set_content(body)
        mails.append(parse_message(msg.as_bytes(), f"zh-twin-{n}.eml"))
        previous = text
    return build_thread(mails, [AGENT_DOMAIN], [])


def ctx_of(lines: list[tuple[str, str]], channel: str, flags: list[Flag] | None = None) -> Context:
    item = conversation(lines, channel)
    assert [t.role for t in item.turns] == [r for r, _ in lines]  # one turn per line
    return Context(item, Matcher(), flags=flags, card_language="zh")


# --- no pitch over an open complaint (upsell_timing.v1) ------------------------------------

UPSELL = UpsellTimingV1(
    id="upsell",
    type="upsell_timing.v1",
    points=1,
    pitch=Phrases(phrases=["悦享会员", "加入会员"], match="fuzzy"),
)
PROMISED = ("customer", "你们不是说宽带每月只要九十九吗？这个月账单怎么变成一百二十九了？")
EXPLAINED = (
    "agent",
    "跟您说明一下，九十九元是两年合约的价格，您办的是一年合约，很抱歉之前没跟您讲清楚。",
)


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_question_holding_the_company_to_its_word_is_a_complaint(channel: str) -> None:
    lines = [
        PROMISED,
        ("agent", "我帮您看一下账单。另外悦享会员现在首月免费，加入会员每月还多送流量。"),
    ]
    out = upsell_timing_v1(UPSELL, ctx_of(lines, channel))
    assert out.result == "fail"
    assert [e.turn for e in out.evidence] == [0, 1]
    # correcting a misunderstanding is no complaint
    plain = [("customer", "我不是说宽带，我是想问手机套餐。"), ("agent", "好的，手机套餐有三种。")]
    assert upsell_timing_v1(UPSELL, ctx_of(plain, channel)).result == "na"


def test_a_promise_held_to_in_speech_without_punctuation_is_a_complaint() -> None:
    lines = [
        ("customer", "不是说宽带每月只要九十九吗这个月账单怎么变成一百二十九了"),
        ("agent", "我帮您看一下账单另外悦享会员现在首月免费加入会员每月还多送流量"),
    ]
    ctx = Context(_call(lines, punctuated=False), Matcher(), card_language="zh")
    assert upsell_timing_v1(UPSELL, ctx).result == "fail"
    plain = [("customer", "我不是说宽带我是想问手机套餐"), ("agent", "好的手机套餐有三种")]
    ctx = Context(_call(plain, punctuated=False), Matcher(), card_language="zh")
    assert upsell_timing_v1(UPSELL, ctx).result == "na"


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_customer_who_asks_to_join_has_left_the_complaint_behind(channel: str) -> None:
    asks = ("customer", "那我现在可以加入悦享会员吗？会员的月费是多少？")
    offer = ("agent", "可以的，悦享会员每月三十元，现在加入首月免费，还多送二十G流量。")
    moved_on = [PROMISED, EXPLAINED, asks, offer]
    out = upsell_timing_v1(UPSELL, ctx_of(moved_on, channel))
    assert out.result == "pass"
    # the same offer while the customer is still on the bill is pitched over the problem
    pushed = [PROMISED, EXPLAINED, ("customer", "那多收的钱怎么办？"), offer]
    assert upsell_timing_v1(UPSELL, ctx_of(pushed, channel)).result == "fail"
    # asking to join in the same breath as the complaint leaves nothing behind
    same_breath = [
        ("customer", "不是说好九十九吗？怎么扣了一百二十九？现在可以加入会员吗？"),
        offer,
    ]
    assert upsell_timing_v1(UPSELL, ctx_of(same_breath, channel)).result == "fail"


@pytest.mark.parametrize("channel", CHANNELS)
def test_finding_out_too_late_is_a_problem_raised(channel: str) -> None:
    lines = [
        ("customer", "年卡买了以后才发现周末入场还要另外收费，早知道就不买了。"),
        ("agent", "很抱歉给您带来困扰，我帮您登记一下，三个工作日内给您回复处理方案。"),
    ]
    out = upsell_timing_v1(UPSELL, ctx_of(lines, channel))
    assert out.result == "pass"  # a problem raised, nothing pitched over it
    assert out.evidence[0].turn == 0


@pytest.mark.parametrize("channel", CHANNELS)
def test_illness_given_as_the_reason_to_buy_is_no_complaint(channel: str) -> None:
    reason = ("customer", "我爸前年住院了，花了不少钱，所以我想给自己买份重疾险。")
    pitch = ("agent", "理解，悦享会员加入会员后每年送一次体检，现在加入首月免费。")
    assert upsell_timing_v1(UPSELL, ctx_of([reason, pitch], channel)).result == "na"
    claim = ("customer", "我爸前年住院了，到现在理赔还没到账。")
    assert upsell_timing_v1(UPSELL, ctx_of([claim, pitch], channel)).result == "fail"


@pytest.mark.parametrize("channel", CHANNELS)
def test_amends_for_a_problem_are_no_pitch(channel: str) -> None:
    late = ("customer", "我是悦享会员，订的书一个礼拜还没到，到底怎么回事？")
    amends = ("agent", "非常抱歉，作为补偿，这单的运费退给您，再送您一张五十元优惠券。")
    assert upsell_timing_v1(UPSELL, ctx_of([late, amends], channel)).result == "pass"
    pushed = ("agent", "非常抱歉。另外悦享会员现在续费有优惠，续一年送三个月。")
    assert upsell_timing_v1(UPSELL, ctx_of([late, pushed], channel)).result == "fail"


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_english_ok_accepts_the_fix(channel: str) -> None:
    lines = [
        ("customer", "订的书一个礼拜还没到，到底怎么回事？"),
        ("agent", "查到了，包裹在派送中，今天下午就能送到。"),
        ("customer", "OK，thanks。"),
        ("agent", "另外悦享会员现在加入首月免费，会员订书都包邮。"),
    ]
    assert upsell_timing_v1(UPSELL, ctx_of(lines, channel)).result == "pass"
    still = [*lines[:2], ("customer", "今天下午？我明天一早就要用。"), lines[3]]
    assert upsell_timing_v1(UPSELL, ctx_of(still, channel)).result == "fail"


# --- questions before the recommendation (needs_discovery.v1) ------------------------------

NEEDS = NeedsDiscoveryV1(
    id="needs",
    type="needs_discovery.v1",
    points=1,
    min_open_questions=1,
    require_acknowledgement=False,
    pitch=Phrases(phrases=["千兆宽带", "畅游卡", "给您推荐"], match="fuzzy"),
)


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_question_before_the_offer_in_the_same_turn_counts(channel: str) -> None:
    lines = [
        ("customer", "家里宽带太慢了，想换一个快一点的。"),
        (
            "agent",
            "方便说说家里平时几个人上网、主要用来做什么吗？了解之后给您推荐合适的套餐。"
            "我们的千兆宽带现在办理有优惠。",
        ),
    ]
    assert needs_discovery_v1(NEEDS, ctx_of(lines, channel)).result == "pass"
    # the same question after the offer comes too late
    late = [
        lines[0],
        (
            "agent",
            "给您推荐我们的千兆宽带，现在办理有优惠。方便说说家里平时几个人上网、主要用来做什么吗？",
        ),
    ]
    assert needs_discovery_v1(NEEDS, ctx_of(late, channel)).result == "fail"


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_answer_on_request_then_a_question_is_discovery(channel: str) -> None:
    lines = [
        ("customer", "你们的千兆宽带一个月多少钱？"),
        (
            "agent",
            "千兆宽带每月一百九十九元，现在办理首年有优惠。您家里平时都用网络做些什么呢？",
        ),
        ("customer", "孩子上网课，我在家办公，经常开视频会议。"),
        ("agent", "好的，我把资费说明发给您参考。"),
    ]
    assert needs_discovery_v1(NEEDS, ctx_of(lines, channel)).result == "pass"
    unasked = [lines[0], ("agent", "千兆宽带每月一百九十九元，现在办理首年有优惠。")]
    assert needs_discovery_v1(NEEDS, ctx_of(unasked, channel)).result == "fail"


@pytest.mark.parametrize("channel", TWINS)
def test_a_price_answered_then_a_question_before_a_later_recommendation(channel: str) -> None:
    lines = [
        ("customer", "你们那个畅游卡年费要多少？"),
        ("agent", "畅游卡年费六百元，现在首年五折。方便说说您平时出门多半去哪些地方吗？"),
        ("customer", "一年飞四五趟东南亚，都是跟家人一起。"),
        ("agent", "那畅游卡很适合您，境外消费免货币转换费，还送家庭旅行险。"),
    ]
    out = needs_discovery_v1(NEEDS, ctx_of(lines, channel))
    assert out.result == "pass"
    assert out.evidence[-1].turn == 3  # the recommendation, not the answered price


@pytest.mark.parametrize("channel", TWINS)
def test_advice_asked_for_and_given_at_once_needs_a_question_first(channel: str) -> None:
    lines = [
        ("customer", "我常出国，你们有什么卡推荐吗？"),
        ("agent", "给您推荐畅游卡，现在首年五折。"),
        ("customer", "嗯。"),
        ("agent", "方便说说您平时出门多半去哪些地方吗？"),
    ]
    out = needs_discovery_v1(NEEDS, ctx_of(lines, channel))
    assert out.result == "fail"
    assert out.evidence[-1].turn == 1


# --- retention, and English words inside Chinese -------------------------------------------

RETAIN = RetentionV1(
    id="keep",
    type="retention.v1",
    points=1,
    churn=Phrases(phrases=["提前还清", "注销", "不想续"], speaker="customer"),
    save=Phrases(phrases=["保单贷款", "是什么原因"]),
)


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(
    ("leaving", "english"),
    [
        ("会员到期以后我不想 renew 了，要怎么设置？", "renew"),
        ("想 cancel subscription，那个 app 我都没在用了。", "cancel subscription"),
    ],
    ids=["renew", "cancel"],
)
def test_english_words_inside_chinese_are_churn_cues(
    channel: str, leaving: str, english: str
) -> None:
    processed = [("customer", leaving), ("agent", "好的，已经帮您关闭自动扣费，下个月起不再扣款。")]
    out = retention_v1(RETAIN, ctx_of(processed, channel))
    assert out.result == "fail"
    assert english in out.evidence[0].quote  # the quote keeps the English as said
    asked = [("customer", leaving), ("agent", "方便问一下是什么原因吗？是价格还是内容不合适？")]
    assert retention_v1(RETAIN, ctx_of(asked, channel)).result == "pass"


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(
    "said",
    [
        "这份保单的 cooling-off period 十五天，期间退保可以全额退还保费。",
        "这份保单的 cooling-off period 是十五天，期间退保可以全额退还保费。",
        "这份保单有十五天的 cooling off period，期间退保可以全额退还保费。",
    ],
    ids=["bare", "copula", "of"],
)
def test_an_english_term_inside_chinese_says_the_disclosure(channel: str, said: str) -> None:
    disclose = PhraseV1(
        id="cooling_off",
        type="phrase.v1",
        points=1,
        match="fuzzy",
        phrases=["十五天犹豫期", "犹豫期十五天"],
    )
    ctx = ctx_of([("customer", "买了以后反悔怎么办？"), ("agent", said)], channel)
    out = evaluate_criterion(disclose, ctx, [channel])
    assert out.result == "pass"
    assert "cooling" in out.evidence[0].quote  # the quote keeps the English as said
    wrong = said.replace("十五天", "十天")
    ctx = ctx_of([("customer", "买了以后反悔怎么办？"), ("agent", wrong)], channel)
    assert evaluate_criterion(disclose, ctx, [channel]).result == "fail"


@pytest.mark.parametrize("channel", TWINS)
def test_saying_back_what_the_customer_holds_is_no_retention_move(channel: str) -> None:
    lines = [
        ("customer", "我的保单贷款想提前还清，要还多少？"),
        ("agent", "您的保单贷款本金一万五千元，提前还清一共一万五千二百元。"),
        ("customer", "好。"),
        ("agent", "在App里提交还款就可以了。"),
    ]
    assert retention_v1(RETAIN, ctx_of(lines, channel)).result == "fail"
    asked = [*lines[:1], ("agent", "方便说一下是什么原因想提前还清吗？"), *lines[2:]]
    assert retention_v1(RETAIN, ctx_of(asked, channel)).result == "pass"


@pytest.mark.parametrize("channel", TWINS)
def test_a_closed_card_behind_a_change_of_payment_is_no_churn_cue(channel: str) -> None:
    lines = [
        ("customer", "原来那张卡注销了，我想换一张扣款卡。"),
        ("agent", "好的，请提供新卡的卡号。"),
    ]
    assert retention_v1(RETAIN, ctx_of(lines, channel)).result == "na"
    leaving = [("customer", "这个账户我想注销。"), ("agent", "好的，请提供身份证号。")]
    assert retention_v1(RETAIN, ctx_of(leaving, channel)).result == "fail"


# --- verification before details, explanations, checks for understanding ------------------

VERIFY = OrderV1(
    id="verify",
    type="order.v1",
    points=1,
    first=Event(phrases=["核实身份", "身份证后四位", "核实通过"]),
    then=Event(phrases=["您的账户", "您的贷款", "还款记录"]),
)


@pytest.mark.parametrize("channel", TWINS)
def test_a_detail_told_only_after_the_check_passes(channel: str) -> None:
    lines = [
        ("customer", "我想查一下我的装修贷还剩多少没还。"),
        ("agent", "好的，先帮您核实身份，请提供身份证后四位。"),
        ("customer", "五五二一。"),
        ("agent", "核实通过。周女士的装修贷目前还剩六万三千元本金，下次扣款是十月八号。"),
    ]
    out = order_v1(VERIFY, ctx_of(lines, channel))
    assert out.result == "pass"
    assert [e.turn for e in out.evidence] == [1, 3]
    early = [
        lines[0],
        ("agent", "您的贷款还剩六万三千元，下次扣款是十月八号。"),
        ("customer", "好的。"),
        ("agent", "另外麻烦提供身份证后四位，我核实身份。"),
    ]
    out = order_v1(VERIFY, ctx_of(early, channel))
    assert out.result == "fail"
    assert out.evidence[0].turn == 1


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


@pytest.mark.parametrize("channel", TWINS)
def test_an_explanation_with_a_wrong_key_figure_fails(channel: str) -> None:
    lines = [
        ("customer", "我每个月都要飞两三趟，想找一张适合经常坐飞机的卡。"),
        ("agent", "推荐您办畅游卡，既然您经常坐飞机，机场贵宾厅每年免费六次，首年年费半价。"),
    ]
    assert product_explanation_v1(EXPLAIN, ctx_of(lines, channel, flags=[])).result == "pass"
    wrong = Flag(
        kind="contradiction",
        severity="high",
        campaign="TRAVEL",
        fact="lounge_visits",
        message="says six lounge visits; the campaign says four",
        evidence=[Evidence(turn=1, role="agent", start=0.0, end=0.0, quote="每年免费六次")],
    )
    out = product_explanation_v1(EXPLAIN, ctx_of(lines, channel, flags=[wrong]))
    assert out.result == "fail"
    assert "key figure is wrong" in (out.note or "")


CHECK = PhraseV1(
    id="check",
    type="phrase.v1",
    points=1,
    match="semantic",
    threshold=0.5,
    phrases=["这样说您清楚吗", "有没有哪里不明白", "刚才说的您都理解吗"],
    applies_when=Condition(min_turns=6),
)


@pytest.mark.parametrize("channel", TWINS)
def test_a_check_for_understanding_is_wanted_after_several_parts(channel: str) -> None:
    steps = "补办存折分两步：第一，带身份证到任一网点填写挂失申请；第二，七天后回网点领取新存折。"
    asked = ("customer", "存折丢了怎么补办？")
    out = evaluate_criterion(
        CHECK, ctx_of([asked, ("agent", steps + "这样说您清楚吗？")], channel), [channel]
    )
    assert out.result == "pass"  # two turns, fewer than min_turns: the steps make it apply
    unchecked = ctx_of([asked, ("agent", steps)], channel)
    assert evaluate_criterion(CHECK, unchecked, [channel]).result == "fail"
    one_line = [
        ("customer", "你好。"),
        ("agent", "您好，请问有什么可以帮您？"),
        ("customer", "网点周六开门吗？"),
        ("agent", "周六上午九点到十二点营业。"),
        ("customer", "好的。"),
        ("agent", "不客气。"),
    ]
    out = evaluate_criterion(CHECK, ctx_of(one_line, channel), [channel])
    assert out.result == "na"
    assert out.note == "nothing of several parts explained"


@pytest.mark.parametrize("channel", TWINS)
def test_a_complaint_in_other_words_makes_empathy_apply(channel: str) -> None:
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
    raised = ctx_of(
        [("customer", "快递送错地址了，我很生气。"), ("agent", "请提供订单号。")], channel
    )
    assert evaluate_criterion(empathy, raised, [channel]).result == "fail"
    calm = ctx_of([("customer", "我想问一下网点地址。"), ("agent", "在人民路八号。")], channel)
    assert evaluate_criterion(empathy, calm, [channel]).result == "na"


def test_a_site_adds_english_terms_and_a_malformed_one_is_a_config_error(tmp_path: Path) -> None:
    lines = [
        ("customer", "我的 e-wallet 想 close 掉，以后不用了。"),
        ("agent", "好的，已为您办理。"),
    ]
    assert retention_v1(RETAIN, ctx_of(lines, "chat")).result == "na"
    (tmp_path / "qa.yaml").write_text(
        "packs:\n  zh:\n    criteria:\n      english_terms: ['close = 注销']\n", encoding="utf-8"
    )
    load_config(tmp_path / "qa.yaml")
    assert retention_v1(RETAIN, ctx_of(lines, "chat")).result == "fail"
    (tmp_path / "qa.yaml").write_text(
        "packs:\n  zh:\n    criteria:\n      english_terms: ['close 注销']\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"english_terms\[0\]: 'close 注销' is not"):
        load_config(tmp_path / "qa.yaml")
