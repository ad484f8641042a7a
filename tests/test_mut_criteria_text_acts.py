"""Criterion helpers that read dialogue acts, pinned where the first pins left them open: the
check for understanding (trainers' examples, a question about what was just said, the bars
met exactly), questions that check understanding where acts come from Chinese cue words,
which sentence of a turn an apology is read from, and the examples an apology is taught with.
An act reader whose readings each test sets stands in for the model (a sentence not listed
performs no act); no model is loaded."""

from __future__ import annotations

from typing import Any

import pytest

import qa.acts
from qa.matching import Hit, Matcher
from qa.model import Agent, Interaction, Turn
from qa.packs import set_site_extensions
from qa.scorecard.context import ACT_THRESHOLD, Context
from qa.scorecard.criteria import (
    APOLOGY,
    CHECK_SUPPORT,
    _acknowledges,
    _asks_after,
    apologies_with_substance,
    needs_discovery_v1,
    understanding_check,
)
from qa.scorecard.schema import Examples, NeedsDiscoveryV1, Phrases
from tests.test_criteria import conversation

A, C = "agent", "customer"
T = ACT_THRESHOLD
ALMOST = 0.01
WORDS = ["sorry", "apologise", "apologize", "apologies", "apologising", "apologizing"]
Readings = dict[str, dict[str, float]]
Seen = list[tuple[str, str, Any]]


@pytest.fixture
def acts(monkeypatch: pytest.MonkeyPatch) -> tuple[Readings, Seen]:
    """sentence -> {act: probability}; a reading taught examples is read from the key
    (sentence, 'taught') instead. Every reading asked for is recorded: (sentence, act, extra)."""
    said: Readings = {}
    seen: Seen = []

    def classify(
        texts: list[str], names: list[str], lang: str, extra: Any = None, *_: Any, **__: Any
    ) -> list[dict[str, float]]:
        rows = []
        for t in texts:
            key = f"{t}|taught" if extra else t
            seen.extend((t, n, extra) for n in names)
            rows.append({n: said.get(key, {}).get(n, 0.0) for n in names})
        return rows

    monkeypatch.setattr(qa.acts, "classify", classify)
    return said, seen


def ctx(lines: list[tuple[str, str]]) -> Context:
    return Context(conversation("chat", lines), Matcher())


EXPLAINED = (A, "It is ten pounds a month.")


def check(acts: tuple[Readings, Seen], said: str, read: Readings, examples: Any = None) -> Any:
    acts[0].clear()
    acts[0].update(read)
    return understanding_check(ctx([EXPLAINED, (A, said)]), [1], examples)


@pytest.mark.parametrize(
    ("said", "p", "found"),
    [
        ("Let me know if anything is unclear.", T, True),  # the act at its bar
        ("Let me know if anything is unclear.", T - ALMOST, False),
        ("Does that make sense?", CHECK_SUPPORT, True),  # a question about what was said
        ("Does that make sense?", CHECK_SUPPORT - ALMOST, False),
        ("Does that make sense？", CHECK_SUPPORT, True),  # a full-width question mark
        ("Does that make sense.", CHECK_SUPPORT, False),  # no question
        ("Any questions?", CHECK_SUPPORT, False),  # not about what was said
        ("Shall I put that through?", 0.9, False),  # a close, never a check
    ],
)
def test_understanding_check(acts: Any, said: str, p: float, found: bool) -> None:
    got = check(acts, said, {said: {"check_understanding": p}})
    assert got == ((1, said) if found else None)


def test_a_trainers_examples_rule_the_check(acts: Any) -> None:
    said = "Are we on the same page?"
    # Taught as a check: it counts without any reading.
    assert check(acts, said, {}, Examples(positive=[said])) == (1, said)
    # Ruled out: it never counts, however likely.
    read = {f"{said}|taught": {"check_understanding": 0.9}}
    assert check(acts, said, read, Examples(negative=[said])) is None
    # Examples that name other sentences: the reading is taught them, and decides.
    others = Examples(positive=["Is that clear?"], negative=["Shall we go on?"])
    acts[1].clear()
    assert check(acts, said, read, others) == (1, said)
    assert check(acts, said, {said: {"check_understanding": 0.9}}, others) is None
    assert check(acts, said, {said: {"check_understanding": 0.9}}, None) == (1, said)
    wanted = {"positive": ["Is that clear?"], "negative": ["Shall we go on?"]}
    # Read with the examples where there are some (each call a new conversation).
    assert [e for _, _, e in acts[1]] == [{"check_understanding": wanted}] * 2 + [{}]


def test_the_first_check_in_the_turns(acts: Any) -> None:
    acts[0].update(
        {
            "Is that clear?": {"check_understanding": 0.9},
            "Clear so far?": {"check_understanding": 0.8},
        }
    )
    c = ctx([EXPLAINED, (A, "Ok. Is that clear?"), (C, "Yes."), (A, "Clear so far?")])
    assert understanding_check(c, [1, 3]) == (1, "Is that clear?")
    assert understanding_check(c, [3]) == (3, "Clear so far?")
    assert understanding_check(c, []) is None


# Where acts come from cue words (no act examples for the language): Chinese.
def zh_ctx(lines: list[tuple[str, str]]) -> Context:
    turns = [
        Turn(role=r, text=t, start=20.0 * i, end=20.0 * i + 5) for i, (r, t) in enumerate(lines)
    ]
    item = Interaction(
        id="zh",
        channel="chat",
        source="zh",
        agent=Agent("a"),
        turns=turns,
        language="zh",
        duration=20.0 * len(lines),
    )
    return Context(item, Matcher(), card_language="zh")


@pytest.fixture
def _no_site_lists() -> Any:
    set_site_extensions(None)
    yield
    set_site_extensions(None)


@pytest.mark.usefixtures("_no_site_lists")
@pytest.mark.parametrize(
    ("question", "takes_up"),
    [
        ("这两点您清楚了吗？", True),  # checks that what was just said was understood
        ("请问您的身份证号码是多少？", False),  # the next item: a request for data
    ],
)
def test_a_chinese_check_for_understanding_takes_up(question: str, takes_up: bool) -> None:
    c = zh_ctx([(C, "我的网络总是断。"), (A, question)])
    assert c.lexical_act("check_understanding")
    assert _asks_after(c, question) is takes_up


def hit(turn: int, sentence: str) -> Hit:
    return Hit(turn, sentence, APOLOGY, 0.9)


def test_an_apology_is_read_from_its_own_sentence_on(acts: Any) -> None:
    told = (C, "My bill doubled this month.")
    # The hit's sentence is not one of the turn's (as a matcher may quote it): read from the
    # turn's first sentence.
    c = ctx([told, (A, "Your bill doubled. Sorry. Noted.")])
    assert _acknowledges(c, hit(1, "SORRY"), WORDS) is True
    c = ctx([told, (A, "Noted. Sorry. Your bill doubled.")])
    assert _acknowledges(c, hit(1, "SORRY"), WORDS) is False


def test_a_customers_own_apology_has_nothing_told_before_it(acts: Any) -> None:
    c = ctx([(C, "Sorry, my bill doubled."), (A, "Ok.")])
    assert _acknowledges(c, hit(0, "Sorry, my bill doubled."), WORDS) is False
    c = ctx([(C, "My bill doubled."), (C, "Sorry, my bill doubled.")])
    assert _acknowledges(c, hit(1, "Sorry, my bill doubled."), WORDS) is True


def test_apologies_are_read_with_the_criterions_examples(acts: Any) -> None:
    said = "That was on us."
    acts[0][f"{said}|taught"] = {APOLOGY: 0.9}
    c = ctx([(C, "My bill doubled."), (A, said)])
    extra = {"positive": ["We got that wrong."], "negative": []}
    assert apologies_with_substance(c, [1], [], extra) == [Hit(1, said, APOLOGY, 0.9)]
    assert apologies_with_substance(c, [1], [], None) == []


ZH_NEEDS = NeedsDiscoveryV1(
    id="needs",
    type="needs_discovery.v1",
    points=1,
    min_open_questions=1,
    require_acknowledgement=False,
    pitch=Phrases(phrases=["畅游卡", "给您推荐"], match="fuzzy"),
)
ZH_ASKED = "方便说说您平时出门多半去哪些地方吗？"


@pytest.mark.usefixtures("_no_site_lists")
def test_a_chinese_question_a_trainer_ruled_out_does_not_count() -> None:
    c = zh_ctx(
        [
            (C, "你们那个畅游卡年费要多少？"),
            (A, f"畅游卡年费六百元，现在首年五折。{ZH_ASKED}"),
            (C, "一年飞四五趟东南亚，都是跟家人一起。"),
            (A, "那畅游卡很适合您，境外消费免货币转换费，还送家庭旅行险。"),
        ]
    )
    assert needs_discovery_v1(ZH_NEEDS, c).result == "pass"
    ruled = ZH_NEEDS.model_copy(update={"examples": Examples(negative=[ZH_ASKED])})
    out = needs_discovery_v1(ruled, c)
    assert (out.result, out.details["open_questions"]) == ("fail", 0)
