"""Chinese criteria read by kind of failure: semantic lists that stand for an act, acts read
from their form (open questions put to the customer, questions about being clear, tagged
restatements), the card's own cue words, offers told from service talk, and upsell timing
that applies to complaints. Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from qa.matching import Matcher
from qa.model import Agent, Interaction, Turn
from qa.packs import set_site_extensions
from qa.scorecard.context import Context
from qa.scorecard.criteria import upsell_timing_v1
from qa.scorecard.schema import Phrases, PhraseV1, UpsellTimingV1


def chat(lines: list[tuple[str, str]]) -> Interaction:
    turns = [
        Turn(role=r, text=t, start=20.0 * i, end=20.0 * i + 5) for i, (r, t) in enumerate(lines)
    ]
    return Interaction(
        id="zh-crit",
        channel="chat",
        source="zh-crit",
        agent=Agent("a"),
        turns=turns,
        language="zh",
        duration=20.0 * len(lines),
    )


def ctx_of(lines: list[tuple[str, str]]) -> Context:
    return Context(chat(lines), Matcher(), card_language="zh")


@pytest.fixture(autouse=True)
def _no_site_lists() -> None:
    set_site_extensions(None)
    yield
    set_site_extensions(None)


@pytest.mark.parametrize(
    ("sentence", "act", "expected"),
    [
        # open questions put to the customer ask about their situation
        ("出差的时候，您觉得最头疼的是什么？", "discovery_question", 1.0),
        ("您家里现在的保障是怎么安排的？", "discovery_question", 1.0),
        # ... an offer of help, a request for data and a closed question do not
        ("请问还有什么可以帮您的？", "discovery_question", 0.0),
        ("您的订单号是什么？", "discovery_question", 0.0),
        ("您是给自己买吗？", "discovery_question", 0.0),
        # a question about being clear checks understanding; "anything else?" does not
        ("刚才这三个步骤您都明白了吗？", "check_understanding", 1.0),
        ("關於退費的部分還有什麼疑問嗎？", "check_understanding", 1.0),
        ("还有其他问题吗？", "check_understanding", 0.0),
        ("您看可以吗？", "check_understanding", 0.0),
        # a tagged restatement of the customer's wish or reason, not of the agent's plan
        ("主要是担心利息太高，对吧？", "restate_need", 1.0),
        ("因為想換成大一點的桌子，對嗎？", "restate_need", 1.0),
        ("我们会在三天内给您回电，是吧？", "restate_need", 0.0),
        # after a churn cue, asking what lies behind it is a retention move; confirming is not
        ("您是觉得月供太高，还是最近急需用钱呢？", "retention_move", 1.0),
        ("您确定要注销这张卡吗？", "retention_move", 0.0),
        ("请问您的身份证号是多少？", "retention_move", 0.0),
        # an offer states terms; service talk about a held policy or an ended offer does not
        ("现在投保首年保费可以打九折，保额最高二十万。", "recommend", 1.0),
        ("您的保单保额是二十万，理赔材料已经收到。", "recommend", 0.0),
        ("那个活动上个月已经结束了。", "recommend", 0.0),
    ],
)
def test_chinese_acts_by_cue_words_and_form(sentence: str, act: str, expected: float) -> None:
    ctx = ctx_of([("agent", sentence)])
    assert ctx.language is None  # no Chinese act examples: read from the pack
    assert ctx.act_probability(sentence, act) == expected


def test_a_semantic_list_stands_for_the_act_its_phrases_say() -> None:
    lines = [
        ("customer", "我想把信用卡的账单分期，每个月压力小一点。"),
        ("agent", "明白，因为每月一次还清压力大，想分几期慢慢还，对吗？"),
        ("agent", "分期的手续费和期数是这样的：六期每期零点六，十二期每期零点五。"),
        ("agent", "这两种方案的区别您都听懂了吗？"),
    ]
    ctx = ctx_of(lines)
    restate = PhraseV1(
        id="r",
        type="phrase.v1",
        points=1,
        match="semantic",
        threshold=0.5,
        phrases=["您的意思是", "也就是说您希望", "您是想办理，对吗"],
    )
    check = PhraseV1(
        id="c",
        type="phrase.v1",
        points=1,
        match="semantic",
        threshold=0.5,
        phrases=["这样说您清楚吗", "有没有哪里不明白", "刚才说的您都理解吗"],
    )
    assert ctx.lexical_list_act(restate) == "restate_need"
    assert ctx.lexical_list_act(check) == "check_understanding"
    assert [h.turn for h in ctx.find(restate, ctx.of("agent"))] == [1]
    assert [h.turn for h in ctx.find(check, ctx.of("agent"))] == [3]
    # A list whose phrases say no one act is matched as it always was.
    mixed = restate.model_copy(update={"phrases": ["账单分期", "每期手续费", "六期"]})
    assert ctx.lexical_list_act(mixed) is None


def test_the_cards_own_cue_words_count_where_acts_come_from_cue_words() -> None:
    ctx = ctx_of(
        [
            ("customer", "卡片寄到家已经折弯了，根本刷不了。"),
            ("agent", "给您添麻烦了，我马上为您补寄一张新卡。"),
        ]
    )
    own = Phrases(phrases=["折弯了"], match="fuzzy", threshold=0.9, speaker="customer")
    hits = ctx.find(own.model_copy(update={"act": "complaint"}), situation=True)
    assert [h.turn for h in hits] == [0]  # 折弯了 is no pack cue, but the card lists it


def upsell(applies: str | None = None) -> UpsellTimingV1:
    return UpsellTimingV1(
        id="u",
        type="upsell_timing.v1",
        points=1,
        pitch=Phrases(phrases=["白金卡"], match="fuzzy", threshold=0.9),
        applies=applies,
    )


PITCH_ONLY = [
    ("customer", "我想问一下你们有没有适合经常出差的卡。"),
    ("agent", "推荐您办理白金卡，机场贵宾厅每年免费六次，首年免年费。"),
]
COMPLAINT_NO_PITCH = [
    ("customer", "我上个月的账单多扣了一笔年费，你们怎么回事？"),
    ("agent", "非常抱歉，我查一下，这笔年费已经为您退回了。"),
]
PITCH_OVER_COMPLAINT = [
    ("customer", "我上个月的账单多扣了一笔年费，你们怎么回事？"),
    ("agent", "推荐您办理白金卡，首年免年费，以后就不会有这种问题。"),
]


def test_chinese_upsell_timing_applies_to_complaints() -> None:
    assert upsell_timing_v1(upsell(), ctx_of(PITCH_ONLY)).result == "na"
    assert upsell_timing_v1(upsell(), ctx_of(COMPLAINT_NO_PITCH)).result == "pass"
    out = upsell_timing_v1(upsell(), ctx_of(PITCH_OVER_COMPLAINT))
    assert out.result == "fail" and [e.turn for e in out.evidence] == [0, 1]


def test_a_card_says_when_upsell_timing_applies() -> None:
    # 'pitch', as English: a pitch with no complaint passes; no pitch is N/A.
    assert upsell_timing_v1(upsell("pitch"), ctx_of(PITCH_ONLY)).result == "pass"
    assert upsell_timing_v1(upsell("pitch"), ctx_of(COMPLAINT_NO_PITCH)).result == "na"
    assert upsell_timing_v1(upsell("complaint"), ctx_of(PITCH_ONLY)).result == "na"


def test_english_upsell_timing_still_applies_to_pitches() -> None:
    item = chat([("agent", "I'd recommend the Platinum card, it has lounge access.")])
    item.language = "en"
    ctx = Context(item, Matcher(), card_language="en")
    assert ctx.pack_setting("upsell_applies", "pitch") == "pitch"  # the en pack sets none
    assert ctx_of(PITCH_ONLY).pack_setting("upsell_applies", "pitch") == "complaint"


CLOSE = PhraseV1(
    id="close",
    type="phrase.v1",
    points=1,
    match="semantic",
    threshold=0.5,
    phrases=["还有别的需要我帮忙的吗", "谢谢您的耐心，再见", "如果还有问题欢迎随时联系，祝您顺利"],
)


@pytest.mark.parametrize(
    ("last_turns", "closed"),
    [
        (["请问还有别的需要我处理的吗？", "好的，谢谢您，再见！"], True),
        (["新卡会在五个工作日内寄出，请留意短信。", "感谢来电，祝您周末愉快。"], True),
        (["好的，再见。"], False),  # a goodbye alone
        (["有问题随时找我们。"], False),  # a follow-up without thanks or goodbye
    ],
)
def test_a_close_needs_a_courtesy_and_a_follow_up(last_turns: list[str], closed: bool) -> None:
    ctx = ctx_of([("customer", "好的，我知道了。")] + [("agent", t) for t in last_turns])
    assert ctx.lexical_list_act(CLOSE) == "sign_off"
    assert bool(ctx.find(CLOSE, ctx.of("agent"))) is closed
