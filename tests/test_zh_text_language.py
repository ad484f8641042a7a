"""Chinese text: language detection, script normalisation, segmentation, question forms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.language import base, detect_language, normalise, to_simplified, words
from qa.matching import Matcher
from qa.store import Store
from qa.text import content_words, question_kind
from qa.text import normalise as match_form
from tests.conftest import write_chat_json


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("您好，请问今天有什么可以帮到您？", "zh"),
        ("您好，請問今天有什麼可以幫到您？", "zh"),
        ("我想问一下LeGo Plus会员的年费", "zh"),  # English product name inside Chinese
        ("Hello, thanks for calling, how can I help you today?", "en"),
        ("Bonjour, je voudrais annuler mon abonnement, s'il vous plaît.", "fr"),
        ("こんにちは、ご用件をお伺いします。", "ja"),
        ("안녕하세요 무엇을 도와드릴까요", "ko"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_detect_language_too_short_or_empty_keeps_the_default() -> None:
    assert detect_language("", default="zh") == "zh"
    assert detect_language("ok", default="en") == "en"
    assert detect_language("12345 !!", default="de") == "de"


def test_base_code() -> None:
    assert base("zh-Hant") == "zh"
    assert base("ZH_tw") == "zh"
    assert base(None) == ""


def test_traditional_is_matched_as_simplified_and_the_original_is_kept() -> None:
    assert to_simplified("這些條款都清楚嗎") == "这些条款都清楚吗"
    assert normalise("會員ＡＢＣ", "zh") == "会员ABC"  # full-width letters too
    assert normalise("會員", "ja") == "會員"  # other languages keep their characters
    assert match_form("退會手續") == match_form("退会手续")
    hits = Matcher().find({0: "我想辦理退會手續。"}, ["退会"], "exact")
    assert [h.sentence for h in hits] == ["我想辦理退會手續。"]  # the quote as written


def test_segmentation_keeps_product_names_and_words_whole() -> None:
    got = words("我想了解LeGo Plus會員的年費")
    assert "lego" in got and "plus" in got
    assert "年费" in got and "会员" in got
    assert "年费" in content_words("我想了解LeGo Plus會員的年費")
    assert "的" not in content_words("我想了解会员的年费")


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("您平时刷卡主要买些什么？", "open"),
        ("为什么想换一家银行呢？", "open"),
        ("您是怎么知道这个活动的？", "open"),
        ("您最看重哪方面？", "open"),
        ("这件事您打算如何处理？", "open"),
        ("那手续费呢？", "open"),
        ("可以跟我说说您的情况吗？", "open"),
        ("您的预算大概多少？", "closed"),
        ("您办过我们的信用卡吗？", "closed"),
        ("您辦過我們的信用卡嗎？", "closed"),
        ("是不是上个月扣的款？", "closed"),
        ("卡片有没有收到？", "closed"),
        ("能不能帮我改一下地址？", "closed"),
        ("您喜不喜欢这种还款方式？", "closed"),
        ("您要月付还是年付？", "closed"),
        ("您知道为什么会扣款吗？", "closed"),  # a 吗 question about a why: closed
        ("LeGo Plus 的年费怎么算？", "open"),
        ("好的，我帮您查一下。", None),
        ("什么时候都可以", None),
    ],
)
def test_chinese_question_forms(sentence: str, kind: str | None) -> None:
    assert question_kind(sentence) == kind


def test_english_question_forms_unchanged() -> None:
    assert question_kind("What made you think about switching?") == "open"
    assert question_kind("Do you travel much?") == "closed"
    assert question_kind("How much is it?") == "closed"
    assert question_kind("I see.") is None


def test_ingest_stores_the_language_of_each_chat(tmp_path: Path, store: Store) -> None:
    from qa.config import Config
    from qa.ingest.batch import ingest

    folder = tmp_path / "in"
    folder.mkdir()
    write_chat_json(folder / "zh.json", text="您好，我是客服小王，请问有什么可以帮您？")
    write_chat_json(
        folder / "en.json", text="Hello, this is Sam, how can I help you with the order?"
    )
    (folder / "short.json").write_text(
        json.dumps({"agent": "a", "messages": [{"from": "agent", "text": "ok"}]}),
        encoding="utf-8",
    )
    ingest([folder], store, Config())
    rows = store.conn.execute("SELECT source, language FROM interactions").fetchall()
    got = {Path(src).name: lang for src, lang in rows}
    assert got == {"zh.json": "zh", "en.json": "en", "short.json": None}


def test_python_unicode_escapes_work_in_regex_phrases() -> None:
    """A trainer writes the CJK block as Python does; RE2 spells it \\x{...}."""
    hits = Matcher().find({0: "您好，我是客服李小明。"}, [r"客服[\u4e00-\u9fff]{2,3}"], "regex")
    assert [h.turn for h in hits] == [0]
    assert not Matcher().find({0: "您好，我是客服。"}, [r"客服[\u4e00-\u9fff]{2,3}"], "regex")
    assert Matcher().find({0: r"a\u4e00"}, [r"a\\u4e00"], "regex")  # an escaped backslash stays


def test_one_table_of_chinese_digits_serves_quantities_and_redaction() -> None:
    from qa import redact
    from qa.language import ZH_DIGITS, ZH_READ_OUT_DIGITS
    from qa.statements import zh_quantities

    # Redaction reads digits said one by one from the same table, with 幺/么 as one;
    # quantities read numerals only, so the 么 of 什么 is never a number.
    assert redact.chinese_digits("".join(ZH_READ_OUT_DIGITS)) == "".join(
        str(v) for v in ZH_READ_OUT_DIGITS.values()
    )
    assert set(zh_quantities._DIG) == set(ZH_DIGITS)
    assert "么" not in ZH_DIGITS and ZH_READ_OUT_DIGITS["么"] == 1
    assert zh_quantities.zh_digits("什么优惠") == "什么优惠"


def test_one_traditional_to_simplified_conversion() -> None:
    from qa.statements.zh_quantities import simplified

    # Account words take the mainland 账, so a Traditional 帳戶 meets a Simplified 账户.
    assert to_simplified("您的帳戶和帳單") == "您的账户和账单"
    assert normalise("轉帳１２元", "zh") == "转账12元"
    assert simplified("轉帳１２元") == normalise("轉帳１２元", "zh")
    assert to_simplified("帐篷") == "帐篷"


def test_segmenting_chinese_warns_the_user_of_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """jieba reads its dictionary through setuptools' deprecated pkg_resources where that is
    installed (torch brings it); the deprecation warning is not the user's to act on."""
    import importlib.util
    import sys
    import warnings

    import qa.language

    if (
        importlib.util.find_spec("jieba") is None
        or importlib.util.find_spec("pkg_resources") is None
    ):
        pytest.skip("needs jieba and setuptools' pkg_resources")
    for name in [m for m in sys.modules if m == "jieba" or m.startswith("jieba.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(qa.language, "_jieba", None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        qa.language._segmenter()
    assert not [w for w in caught if "pkg_resources" in str(w.message)]
