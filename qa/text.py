"""Text helpers shared by the analysers: normalising, sentences, words, questions.

Languages written without spaces (Chinese, Japanese) are handled by treating
each CJK character as a token, so that exact and fuzzy matching still work.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from qa.language import has_han, is_chinese_text, to_simplified, words

_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_WORDCHAR = rf"(?:(?![{_CJK}])[^\W_])"  # a letter or digit that is not CJK: "35元" is 35, 元
_TOKEN = re.compile(rf"[{_CJK}]|{_WORDCHAR}+(?:['’]{_WORDCHAR}+)*", re.UNICODE)
_SENTENCE_END = re.compile(rf"(?<=[.!?。！？])\s+|(?<=[。！？])(?=[^\s{_CJK}]?)|\n+")

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    yes okay ok oh um uh yeah hi hello thanks thank please well right sure really like get got
    im i'm it's that's don't can't i've i'll you're we're let me us also one""".split()
)


def _pack(lang: str) -> dict[str, list[str]]:
    from qa.packs import lists

    return lists(lang, "criteria")


@lru_cache(maxsize=131072)
def normalise(text: str) -> str:
    """Lower case, unified punctuation and spacing; keeps CJK characters as they are."""
    return " ".join(_tokens(text))


def tokens(text: str) -> list[str]:
    return list(_tokens(text))


@lru_cache(maxsize=131072)
def _tokens(text: str) -> tuple[str, ...]:
    text = unicodedata.normalize("NFKC", text)
    if is_chinese_text(text):
        text = to_simplified(text)  # Traditional and Simplified are matched as one
    return tuple(_TOKEN.findall(text.lower().replace("’", "'")))


def content_words(text: str) -> set[str]:
    return set(_content_words(text))


@lru_cache(maxsize=131072)
def _content_words(text: str) -> frozenset[str]:
    if is_chinese_text(text):
        # Chinese words need a segmenter; single characters say little on their own.
        skip = STOPWORDS | set(_pack("zh").get("function_words", []))
        return frozenset(w for w in words(text) if w not in skip and (len(w) > 2 or has_han(w)))
    return frozenset(t for t in _tokens(text) if t not in STOPWORDS and (len(t) > 2 or _is_cjk(t)))


def _is_cjk(token: str) -> bool:
    return bool(re.fullmatch(rf"[{_CJK}]", token))


@lru_cache(maxsize=65536)
def sentences(text: str) -> tuple[str, ...]:
    parts = (p.strip() for p in _SENTENCE_END.split(text))
    return tuple(p for p in parts if p)


_LEAD_IN = re.compile(r"^(?:(?:and|so|but|okay|ok|great|well|now|right|then|also|alright)\s+)+")
_ASK_OPEN = re.compile(
    r"\b(?:may|can|could|might) i ask (?:you )?(?:what|how|why|which)\b"
    r"|\b(?:can|could|would) you (?:tell|walk|talk) me (?:about|through|what|how|why)\b"
    r"|^would you mind (?:telling|explaining)\b"
)


def question_kind(sentence: str) -> str | None:
    """'open', 'closed', or None when the sentence is not a question. Chinese sentences
    (English product names inside them included) by the Chinese question forms."""
    if is_chinese_text(sentence):
        return _zh_question_kind(sentence)
    pack = _pack("en")
    open_starts = tuple(pack["question_open"])
    closed_starts = tuple(pack["question_closed"])
    s = _LEAD_IN.sub("", normalise(sentence))
    if _ASK_OPEN.search(s):
        return "open"
    stripped = sentence.strip()
    is_question = stripped.endswith(("?", "？")) or s.startswith(tuple(pack["question_words"]))
    if not is_question or not s:
        return None
    if s.startswith(tuple(pack["question_figure"])):
        return "closed"  # asks for a figure, not for the customer's story
    for start in open_starts:
        if s == start or s.startswith(start + " "):
            return "open"
    if s.startswith(closed_starts) or s.split(" ", 1)[0] in closed_starts:
        return "closed"
    # "Out of interest, what ...?", "Before I look, how ...?": a lead-in clause, then the
    # question itself.
    for clause in _CLAUSE.split(stripped)[1:]:
        c = _LEAD_IN.sub("", normalise(clause))
        if not c:
            continue
        if c.startswith(tuple(pack["question_figure"])):
            return "closed"
        if any(c == start or c.startswith(start + " ") for start in open_starts):
            return "open"
        if c.startswith(closed_starts) or c.split(" ", 1)[0] in closed_starts:
            return "closed"
    return "closed" if stripped.endswith(("?", "？")) else None


_CLAUSE = re.compile(r"[,:;\u2013\u2014]\s*|\s-\s")


# A-not-A: 好不好, 是不是, 有没有, 喜不喜欢 (the character before 不/没 said again after it).
_A_NOT_A = re.compile(r"([\u4e00-\u9fff])[不没]\1")
_TRAILING = " \t?？!！。.~～…、，,"


@lru_cache(maxsize=65536)
def _zh_question_kind(sentence: str) -> str | None:
    """Chinese question forms: 吗 (and 吧) questions, A-not-A, fixed yes-or-no forms and
    either-or (还是) are closed; question words (什么, 怎么, 为什么, 哪, 如何) and a bare
    final 呢 are open, except those asking for a figure (多少, 几); an invitation to tell
    (能说说……吗) is open."""
    pack = _pack("zh")
    asked = sentence.strip().endswith(("?", "？"))
    core = to_simplified(unicodedata.normalize("NFKC", sentence)).strip(_TRAILING)
    if not core:
        return None
    last = core[-1]
    particle_closed = last in pack["question_closed_particles"]
    particle_open = last in pack["question_open_particles"]
    if not (asked or particle_closed or particle_open):
        return None
    if any(w in core for w in pack["question_invite"]):
        return "open"
    if particle_closed:
        return "closed"
    clauses = re.split(r"[,，、;；]", core)
    if any(
        any(w in c for w in pack["question_open"])
        and not any(w in c for w in pack["question_figure"])
        for c in clauses
    ):
        return "open"  # one clause asks for the story: "平常买些什么、多久买一次？"
    if any(w in core for w in pack["question_open"]):
        return "closed"  # what it asks is a figure: "什么时候到期？多少钱？"
    if any(w in core for w in pack["question_figure"]):
        return "closed"
    if _A_NOT_A.search(core) or any(w in core for w in pack["question_closed"]):
        return "closed"
    if particle_open:
        return "open"
    return "closed"


WRAPPED_MIN_CHARS = 40  # a line at least this long that runs on into the next was hard-wrapped
_LIST_ITEM = re.compile(r"^\s*(?:[-*•>]|\d+[.)])\s")


def unwrap(text: str) -> str:
    """Join the lines of a hard-wrapped paragraph (a plain 72-column wrap, or format=flowed's
    soft breaks that end in a space), so a sentence broken at a line end stays one sentence.
    A line of any length that stops mid-sentence (no closing punctuation) runs on into a
    next line that starts in lower case ("may I" / "ask what ..."). Short lines (a greeting,
    a sign-off), list items and blank lines keep their breaks."""
    lines = text.split("\n")
    out: list[str] = []
    joining = False
    for line in lines:
        runs_on = joining or (
            bool(out)
            and _MID_SENTENCE.search(out[-1]) is not None
            and _STARTS_LOWER.match(line) is not None
        )
        if runs_on and line.strip() and not _LIST_ITEM.match(line):
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
        last = out[-1]
        joining = bool(last.strip()) and (
            line.endswith(" ") or len(line.rstrip()) >= WRAPPED_MIN_CHARS
        )
    return "\n".join(ln.rstrip() for ln in out)


# A line that stops mid-sentence: it ends in a word (or a comma-free word run), not in
# closing punctuation, a colon or a comma (a greeting "Hi Sam," keeps its line).
_MID_SENTENCE = re.compile(r"[^\W_]\s*$")
_STARTS_LOWER = re.compile(r"^\s*[a-z]")


def word_count(text: str) -> int:
    return len(tokens(text))
