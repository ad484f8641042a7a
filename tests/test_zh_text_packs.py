"""Language packs as data: the card's language picks the pack, a language without one is
refused (card) or scored only where no cues are needed (transcript), a site extends a pack,
and a Traditional chat scores as its Simplified twin."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import cli
from qa.config import load_config
from qa.errors import ConfigError
from qa.matching import Matcher
from qa.model import Agent, Interaction, Turn
from qa.packs import lists, load, set_site_extensions
from qa.scorecard.engine import score_interaction
from qa.scorecard.load import load_scorecard
from tests.conftest import ROOT

CARDS = ROOT / "scorecards"

CRITERIA_LISTS = {
    "question_words",
    "question_open",
    "question_figure",
    "question_closed",
    "complaint",
    "resolution",
    "churn",
    "save",
    "needs",
    "acknowledge",
    "link",
    "check_understanding",
    "objection",
}


def chat(lines: list[tuple[str, str]], language: str | None = None) -> Interaction:
    turns = [Turn(role=r, text=t, start=30.0 * i, end=30.0 * i) for i, (r, t) in enumerate(lines)]
    return Interaction(
        id="zh",
        channel="chat",
        source="zh",
        agent=Agent("a"),
        turns=turns,
        language=language,
        duration=30.0 * len(lines),
    )


@pytest.fixture(autouse=True)
def _no_site_lists() -> None:
    set_site_extensions(None)
    yield
    set_site_extensions(None)


def test_every_cue_list_lives_in_both_packs() -> None:
    en, zh = load("en", "criteria"), load("zh", "criteria")
    assert set(en) >= CRITERIA_LISTS
    assert CRITERIA_LISTS - {"question_words"} <= set(zh)
    assert "cancel" in en["churn"] and "pay off" in en["churn"]
    assert "退保" in zh["churn"] and "提前还款" in zh["churn"]
    assert not (ROOT / "qa" / "scorecard" / "cues.py").exists(), "cue lists are data now"


def write_card(path: Path, language: str) -> Path:
    path.write_text(
        "name: c\n"
        f"language: {language}\n"
        "sections:\n"
        "  - id: s\n"
        "    criteria:\n"
        "      - {id: hello, type: phrase.v1, points: 1, phrases: [bonjour], match: exact}\n"
        "      - {id: keep, type: retention.v1, points: 1}\n"
        "      - {id: ask, type: question.v1, kind: open, points: 1}\n",
        encoding="utf-8",
    )
    return path


def test_a_card_in_a_language_without_a_pack_is_refused_with_exit_2(tmp_path: Path) -> None:
    card = write_card(tmp_path / "fr.yaml", "fr")
    with pytest.raises(ConfigError, match=r"fr\.yaml:2: language: no language pack for 'fr'"):
        load_scorecard(card)
    result = CliRunner().invoke(cli, ["scorecard", "validate", str(card)])
    assert result.exit_code == 2
    assert "no language pack for 'fr'" in result.output


def test_a_transcript_without_a_pack_is_scored_only_where_no_cues_are_needed(
    tmp_path: Path,
) -> None:
    card = load_scorecard(write_card(tmp_path / "en.yaml", "en"))
    item = chat(
        [
            ("agent", "Bonjour, je suis Claire. Comment puis-je vous aider ?"),
            ("customer", "Je veux résilier mon contrat, c'est trop cher, I will cancel."),
            ("agent", "D'accord, c'est fait."),
        ],
        language="fr",
    )
    ev = score_interaction(item, card, Matcher())
    got = {c.id: (c.result, c.note) for c in ev.criteria}
    assert got["hello"][0] == "pass"
    assert got["keep"] == ("na", "no language pack for fr")  # never the English "cancel"
    assert got["ask"] == ("na", "no language pack for fr")


def test_the_language_is_detected_when_none_is_stored(tmp_path: Path) -> None:
    card = load_scorecard(write_card(tmp_path / "en.yaml", "en"))
    item = chat(
        [
            ("customer", "Bonjour, je voudrais résilier mon abonnement internet ce mois-ci."),
            ("agent", "Bonjour, je suis Claire, je comprends, c'est noté pour la résiliation."),
        ]
    )
    ev = score_interaction(item, card, Matcher())
    assert {c.id: c.note for c in ev.criteria}["keep"] == "no language pack for fr"


CHURN_LINES = [
    ("customer", "我打算把这张卡转出，不想再用了。"),
    ("agent", "好的，已经为您登记。"),
]


def test_a_site_extends_a_pack_from_qa_yaml(tmp_path: Path) -> None:
    card = load_scorecard(CARDS / "bank_service_zh.yaml")
    before = {
        c.id: c.result for c in score_interaction(chat(CHURN_LINES), card, Matcher()).criteria
    }
    assert before["retention"] == "na"  # 转出 is no shipped churn cue
    (tmp_path / "qa.yaml").write_text(
        "packs:\n  zh:\n    criteria:\n      churn: [转出]\n", encoding="utf-8"
    )
    load_config(tmp_path / "qa.yaml")
    assert "转出" in lists("zh", "criteria")["churn"]
    after = {c.id: c.result for c in score_interaction(chat(CHURN_LINES), card, Matcher()).criteria}
    assert after["retention"] == "fail"  # a churn cue now, and nothing was done to keep them


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("packs:\n  xx:\n    criteria:\n      churn: [a]\n", "no language pack for 'xx'"),
        ("packs:\n  zh:\n    criteria:\n      chrun: [a]\n", "zh.criteria.chrun: no such list"),
        ("packs:\n  zh:\n    criteria:\n      churn: ['  ']\n", "an entry needs words"),
    ],
)
def test_site_pack_mistakes_are_config_errors(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "qa.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(Exception, match=message):
        load_config(tmp_path / "qa.yaml")


# A Simplified chat and its Traditional twin (written for this test).
SIMPLIFIED = [
    ("customer", "你好，我的信用卡上个月被多扣了一笔年费，我想投诉。"),
    ("agent", "您好，这里是恒信银行，我是客服专员李娜。非常抱歉给您带来不便，请提供身份证后四位。"),
    ("customer", "后四位是5521。"),
    ("agent", "谢谢，已核实。能说说这笔年费是在哪天扣的吗？"),
    ("customer", "三号扣的，我记得这张卡是免年费的。"),
    (
        "agent",
        "我查到您的账单里确实有这笔年费，已经为您提交退款，三个工作日内退回。这样说您清楚吗？",
    ),
    ("customer", "清楚了。另外我想提前还款，把分期一次还清。"),
    ("agent", "请问是什么原因想提前还呢？如果是手续费的问题，我可以为您申请减免。"),
    ("customer", "好的，那我再考虑一下。"),
    ("agent", "好的。请问还有什么可以帮您？祝您生活愉快！"),
]
TRADITIONAL = [
    ("customer", "你好，我的信用卡上個月被多扣了一筆年費，我想投訴。"),
    ("agent", "您好，這裡是恒信銀行，我是客服專員李娜。非常抱歉給您帶來不便，請提供身份證後四位。"),
    ("customer", "後四位是5521。"),
    ("agent", "謝謝，已核實。能說說這筆年費是在哪天扣的嗎？"),
    ("customer", "三號扣的，我記得這張卡是免年費的。"),
    (
        "agent",
        "我查到您的賬單裡確實有這筆年費，已經為您提交退款，三個工作日內退回。這樣說您清楚嗎？",
    ),
    ("customer", "清楚了。另外我想提前還款，把分期一次還清。"),
    ("agent", "請問是什麼原因想提前還呢？如果是手續費的問題，我可以為您申請減免。"),
    ("customer", "好的，那我再考慮一下。"),
    ("agent", "好的。請問還有什麼可以幫您？祝您生活愉快！"),
]


def test_a_traditional_chat_scores_as_its_simplified_twin() -> None:
    card = load_scorecard(CARDS / "bank_service_zh.yaml")
    simple = score_interaction(chat(SIMPLIFIED), card, Matcher())
    trad = score_interaction(chat(TRADITIONAL), card, Matcher())
    got_s = [(c.id, c.result, c.points, [e.turn for e in c.evidence]) for c in simple.criteria]
    got_t = [(c.id, c.result, c.points, [e.turn for e in c.evidence]) for c in trad.criteria]
    assert got_s == got_t
    assert (simple.total, simple.percent, simple.passed) == (trad.total, trad.percent, trad.passed)
    results = {c.id: c.result for c in simple.criteria}
    # Not all N/A: the twins agree on real verdicts.
    assert results["greeting"] == "pass" and results["verify_first"] == "pass"
    assert results["apology"] == "pass" and results["retention"] == "pass"
    assert results["ask_open"] == "pass" and results["close"] == "pass"
    # Quotes keep the script they were written in.
    quotes = [e.quote for c in trad.criteria for e in c.evidence if e.turn is not None]
    assert quotes and all("这" not in q and "谢" not in q for q in quotes)
    assert any("銀行" in q for q in quotes)


@pytest.mark.parametrize("name", ["bank_service_zh", "bank_telesales_zh"])
def test_the_chinese_cards_pass_their_examples(name: str) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "scorecard",
            "test",
            str(CARDS / f"{name}.yaml"),
            "--examples",
            str(CARDS / "examples" / name),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    checks = json.loads(result.output)
    assert len(checks) >= 10 and all(c["ok"] for c in checks)


def test_a_tagged_restatement_counts_as_playing_the_need_back() -> None:
    from qa.scorecard.context import Context

    item = chat(
        [
            ("customer", "我每个月还款压力有点大。"),
            ("agent", "您是想把每个月的还款额降下来，对吗？"),
            ("agent", "对吗？"),
            ("agent", "我们会在三个工作日内处理，是吧。"),
        ]
    )
    ctx = Context(item, Matcher(), card_language="zh")
    hits = ctx.act_hits("restate_need", [1, 2, 3])
    assert [h.turn for h in hits] == [1]
