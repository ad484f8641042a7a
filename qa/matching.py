"""Phrase matching: exact, fuzzy, regex or semantic, at sentence level."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process

from qa.errors import ConfigError
from qa.language import base, has_han, to_simplified
from qa.models.ngrams import (
    NGRAM_DIM,
    NGRAM_READER,
    NGRAM_SIZES,
    READERS,
    ZH_READER,
    CharNgrams,
)
from qa.models.text import (
    DEFAULT_TEXT_MODEL,
    MULTILINGUAL_TEXT_MODEL,
    TEXT_MODEL_ENV,
    Embedder,
    TextEmbedder,
    VectorStore,
    rescale,
    text_model_for,
)
from qa.text import normalise, sentences, tokens

FUZZY_DEFAULT = 0.85
SEMANTIC_DEFAULT = 0.5

# A text model's Chinese cosine below which, in `both`, it reads nothing in common:
# (cosine - floor) / (1 - floor), so a card's 0.5 needs a cosine of (1 + floor) / 2. A model
# not listed keeps its own scale (qa.models.text.rescale).
ZH_MODEL_FLOOR = {MULTILINGUAL_TEXT_MODEL: 0.9}


@dataclass(frozen=True)
class Hit:
    turn: int
    sentence: str
    phrase: str
    score: float
    # Who read it as a match, where semantic matching had more than one reader to ask
    # (Chinese): the text model's name, the n-gram reader's, or "fuzzy" for a near-verbatim
    # mention.
    reader: str | None = None


REGEX_HELP = "patterns run on RE2, in time linear in the text: no backreferences or lookaround"


@lru_cache(maxsize=4096)
def _regex(pattern: str) -> Any:
    """A trainer's pattern, compiled for RE2: matching can never backtrack without end.

    ``(a+)+$`` against forty a's and a ``!`` takes exponential time in Python's own engine;
    RE2 answers in linear time, so no scorecard or campaign file can hang a run.
    """
    import re2

    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    try:
        return re2.compile(_re2_escapes(pattern), options=options)
    except re2.error as exc:
        reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
        raise ConfigError(f"bad regex {pattern!r}: {reason} ({REGEX_HELP})") from exc


# Python's \uXXXX and \UXXXXXXXX escapes ("[\u4e00-\u9fff]" for the CJK block), which RE2
# writes \x{XXXX}; an escaped backslash before the u is left alone.
_PY_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))")


def _re2_escapes(pattern: str) -> str:
    return _PY_ESCAPE.sub(lambda m: f"{m.group(1)}\\x{{{m.group(2) or m.group(3)}}}", pattern)


def check_regex(pattern: str) -> None:
    """Raise ConfigError if a trainer's pattern does not compile; at validation time."""
    _regex(pattern)


@lru_cache(maxsize=131072)
def _words(text: str) -> tuple[str, ...]:
    return tuple(tokens(text))


@lru_cache(maxsize=131072)
def _windows(sentence: str, size: int) -> tuple[str, ...]:
    toks = _words(sentence)
    if len(toks) <= size:
        return (" ".join(toks),)
    return tuple(" ".join(toks[i : i + size]) for i in range(len(toks) - size + 1))


@lru_cache(maxsize=131072)
def _padded(sentence: str) -> str:
    return f" {' '.join(_words(sentence))} "


NEGATORS = frozenset(
    """not never nothing nobody none nowhere neither nor cannot can't won't don't doesn't
    didn't isn't aren't wasn't weren't shouldn't wouldn't couldn't haven't hasn't hadn't
    mustn't needn't ain't without""".split()
)
# Words whose swap turns a sentence into its opposite: "nothing" against "anything".
POLAR = frozenset(
    """nothing anything something everything nobody anybody somebody everybody noone anyone
    someone everyone none any some all every no never ever always""".split()
)
NEGATION_REACH = 4  # words before a match that can still negate it ("don't think I will cancel")


@lru_cache(maxsize=262144)
def _polarity(words: tuple[str, ...]) -> tuple[int, frozenset[str]]:
    negations = sum(w in NEGATORS or w.endswith("n't") for w in words)
    return negations % 2, frozenset(w for w in words if w in POLAR)


@lru_cache(maxsize=131072)
def _negated(words: tuple[str, ...]) -> bool:
    return any(w in NEGATORS or w.endswith("n't") for w in words)


def _same_sense(phrase: tuple[str, ...], found: tuple[str, ...], before: tuple[str, ...]) -> bool:
    """A match never crosses a negation or an opposite: same negation parity, same polar words,
    and no negation just before the matched words that the phrase does not have."""
    if _polarity(phrase) != _polarity(found):
        return False
    return not _negated(before[-NEGATION_REACH:])


@lru_cache(maxsize=262144)
def fuzzy_score(phrase: str, sentence: str, cutoff: float = 0.0) -> float:
    """How well the phrase appears in the sentence, 0..1.

    The phrase is compared with runs of whole words of about its own length, so
    "our new plan" does not match "a new plan" by sharing characters across word
    boundaries. CJK characters count as words, so this works without spaces too.

    With a `cutoff`, a score below it may come back as 0.0 (runs that cannot reach it are
    not looked at); a score at or above it is the same as without one.
    """
    words = _words(phrase)
    if not words:
        return 0.0
    p = " ".join(words)
    padded = _padded(sentence)
    toks = _words(sentence)
    n = len(words)
    if f" {p} " in padded:
        for i in range(len(toks) - n + 1):
            if toks[i : i + n] == words and _same_sense(words, words, toks[:i]):
                return 1.0
    if cutoff > 1.0 or (n >= 3 and not any(f" {w} " in padded for w in words)):
        return 0.0  # not one word in common: far below any useful threshold
    # rapidfuzz skips the runs below the cutoff (on a scale of 100, kept a hair low so that
    # a run exactly at the cutoff is still compared below as score / 100)
    floor = max(0.0, cutoff * 100 - 1e-6)
    best = 0.0
    for size in {max(1, n - 1), n, n + 1}:
        windows = _windows(sentence, size)
        for _, score, start in process.extract(
            p, windows, scorer=fuzz.ratio, limit=None, score_cutoff=floor
        ):
            if score / 100 <= best:
                break
            if len(toks) <= size:
                start, size = 0, len(toks)
            found = toks[start : start + size]
            # A negator right after the window still belongs to it ("I can't").
            after = toks[start + size : start + size + 1]
            if (
                _same_sense(words, found, toks[:start])
                and _polarity(words)[0] == _polarity(found + after)[0]
            ):
                best = score / 100
                break
    return best if best >= cutoff else 0.0


# The best phrase per (mode, phrases, sentence, limit), as _best_phrase found it; emptied
# when it holds BEST_KEPT answers.
BEST_KEPT = 262144
_best: dict[tuple[str, tuple[str, ...], str, float], tuple[str, float] | None] = {}
_UNKNOWN = object()


def _best_phrase(
    mode: str, phrases: tuple[str, ...], sentence: str, limit: float
) -> tuple[str, float] | None:
    """The first of the phrases with the best score in the sentence, if it reaches `limit`.
    Fuzzily, only the phrases that some run of words of the sentence comes near (one
    rapidfuzz comparison of every phrase against every run) are scored in full."""
    return _best_phrases(mode, phrases, [sentence], limit)[0]


def _best_phrases(
    mode: str, phrases: tuple[str, ...], said: list[str], limit: float
) -> list[tuple[str, float] | None]:
    """_best_phrase of each sentence; fuzzily, the phrases near each sentence not answered
    yet are found in one comparison for all of them."""
    found: dict[str, tuple[str, float] | None] = {}
    missing = []
    for sentence in dict.fromkeys(said):
        known = _best.get((mode, phrases, sentence, limit), _UNKNOWN)
        if known is _UNKNOWN:
            missing.append(sentence)
        else:
            found[sentence] = known  # type: ignore[assignment]
    if missing:
        fuzzy = mode == "fuzzy" and limit > 0.0
        near = _near(phrases, missing, limit) if fuzzy else {}
        for sentence in missing:
            listed = [phrases[i] for i in near[sentence]] if fuzzy else list(phrases)
            top: tuple[str, float] | None = None
            for phrase in listed:
                score = Matcher._score(mode, phrase, sentence, limit)
                if score >= limit and (top is None or score > top[1]):
                    top = (phrase, score)
            found[sentence] = top
        if len(_best) + len(missing) > BEST_KEPT:
            _best.clear()
        for sentence in missing:
            _best[(mode, phrases, sentence, limit)] = found[sentence]
    return [found[s] for s in said]


# Below fuzzy_score's own floor (on rapidfuzz's scale of 100, and far above the rounding of
# its 32-bit scores), so that the comparison of all runs at once can only let through more
# phrases than fuzzy_score would score at or above the limit, never fewer.
NEAR_MARGIN = 0.01


def _near(phrases: tuple[str, ...], said: list[str], limit: float) -> dict[str, list[int]]:
    """Per sentence, the phrases (by index, in order) with a run of the sentence's words, of
    their own length in words or one more or less, within reach of `limit`: every phrase
    against every run of every sentence in one rapidfuzz comparison per phrase length."""
    import numpy as np

    groups = _by_length(phrases)
    floor = max(0.0, limit * 100 - NEAR_MARGIN)
    near: dict[str, list[int]] = {s: [] for s in said}
    for n, (indexes, joined) in groups.items():
        runs: list[str] = []
        starts = []
        for sentence in said:
            starts.append(len(runs))
            runs.extend(_runs(sentence, n))
        scores = process.cdist(joined, runs, scorer=fuzz.ratio, score_cutoff=floor, workers=1)
        # Each sentence's best run per phrase (its runs are one block of columns).
        reached = np.maximum.reduceat(scores, starts, axis=1) >= floor
        rows, cols = np.nonzero(reached)
        for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
            near[said[col]].append(indexes[row])
    for found in near.values():
        found.sort()
    return near


@lru_cache(maxsize=131072)
def _runs(sentence: str, n: int) -> tuple[str, ...]:
    """The sentence's runs of words that a phrase of n words is compared with: of n words,
    one fewer and one more, each once."""
    sizes = {max(1, n - 1), n, n + 1}
    return tuple(dict.fromkeys(w for size in sizes for w in _windows(sentence, size)))


@lru_cache(maxsize=4096)
def _by_length(phrases: tuple[str, ...]) -> dict[int, tuple[list[int], list[str]]]:
    """The phrases by their length in words: their indexes and their words joined by one
    space. A phrase without words is left out (it never matches)."""
    groups: dict[int, tuple[list[int], list[str]]] = {}
    for i, phrase in enumerate(phrases):
        words = _words(phrase)
        if words:
            group = groups.setdefault(len(words), ([], []))
            group[0].append(i)
            group[1].append(" ".join(words))
    return groups


class Matcher:
    def __init__(self, embedder: Embedder | None = None, vectors: VectorStore | None = None):
        self._embedder = embedder
        self._given = embedder is not None  # one embedder for every language
        self._vectors = vectors
        self._expected: list[list[str]] = []
        # Whether a criterion asked for the expected sentences since expect_anew().
        self.expected_asked = False
        self._by_language: dict[str, Embedder] = {}

    @property
    def embedder(self) -> Embedder:
        """Made on first use: a scorecard without semantic matching never loads the model."""
        if self._embedder is None:
            self._embedder = TextEmbedder(vectors=self._vectors)
        return self._embedder

    def embedder_for(self, language: str | None) -> Embedder:
        """English's embedder, or the multilingual one for every other language (made on
        first use); an embedder given to the matcher serves every language."""
        model = text_model_for(language)
        if self._given or model == text_model_for("en"):
            return self.embedder
        if model not in self._by_language:
            self._by_language[model] = TextEmbedder(model, vectors=self._vectors)
        return self._by_language[model]

    def reopen(self, own: Callable[[VectorStore | None], VectorStore | None]) -> None:
        """Carry on in a process forked from the one that made this matcher: each vector
        store is replaced by `own(store)` (a connection of this process's own), and a model
        loads again on first use (a model's threads do not survive a fork). Vectors already
        read stay."""
        self._vectors = own(self._vectors)
        for embedder in [self._embedder, *self._by_language.values()]:
            if embedder is None:
                continue
            if hasattr(embedder, "vectors"):
                embedder.vectors = own(embedder.vectors)
            if hasattr(embedder, "forked"):
                embedder.forked()
                continue
            if getattr(embedder, "_model", None) is not None:
                embedder._model = None  # type: ignore[attr-defined]
            if hasattr(embedder, "_lock"):
                embedder._lock = threading.Lock()

    def settings(self) -> dict[str, Any]:
        """What changes this matcher's results besides its module's constants."""
        model = getattr(self._embedder, "model_name", None)
        return {
            "text_model": model or os.environ.get(TEXT_MODEL_ENV) or DEFAULT_TEXT_MODEL,
            # The readers of Chinese: the multilingual model and the n-grams' make.
            "zh_text_model": model if self._given else text_model_for("zh"),
            "ngrams": {"reader": NGRAM_READER, "dim": NGRAM_DIM, "sizes": list(NGRAM_SIZES)},
        }

    def prefetch(self, sentences_: list[str]) -> None:
        """Embed many sentences ahead of the criteria that will ask: on the embedding
        threads while scoring goes on, in the order given, where the model can."""
        if sentences_:
            self._ahead(sentences_)

    def expect_anew(self) -> None:
        """A new run of scoring: nothing expected, nothing asked for yet."""
        self._expected = []
        self.expected_asked = False

    def expect(self, sentences_: list[str]) -> None:
        """Sentences that may be asked for soon, after those expected before; embedded on
        the first ask, each list given as one part."""
        self._expected.append(sentences_)

    def embed_expected(self) -> None:
        """Embed what was expected (each list in turn, each sentence once, in the order
        given, ahead of the criteria where the model can), if anything was."""
        self.expected_asked = True
        expected, self._expected = self._expected, []
        for part in expected:
            if part:
                self._ahead(list(dict.fromkeys(part)))

    def _ahead(self, sentences_: list[str]) -> None:
        ahead = getattr(self.embedder, "embed_ahead", None)
        if ahead is not None:
            ahead(sentences_)
        else:
            self.embedder.embed(sentences_)

    def find(
        self,
        texts: dict[int, str],
        phrases: list[str],
        mode: str = "fuzzy",
        threshold: float | None = None,
        language: str | None = None,
        reader: str | None = None,
    ) -> list[Hit]:
        """The best hit per turn, for turns whose text matches one of the phrases; semantic
        matching with the text model of the language (None: English's), and in Chinese by
        the `reader` asked for (one of READERS; None: ZH_READER)."""
        units = [(idx, sent) for idx, text in texts.items() for sent in sentences(text)]
        if not units:
            return []
        if mode == "semantic":
            limit = SEMANTIC_DEFAULT if threshold is None else threshold
            return self._semantic(units, phrases, limit, language, reader)
        limit = (
            1.0
            if mode in {"exact", "regex"}
            else (FUZZY_DEFAULT if threshold is None else threshold)
        )
        listed = tuple(phrases)
        best: dict[int, Hit] = {}
        tops = _best_phrases(mode, listed, [sent for _, sent in units], limit)
        for (idx, sent), found in zip(units, tops, strict=True):
            if found is not None and (idx not in best or found[1] > best[idx].score):
                best[idx] = Hit(idx, sent, found[0], found[1])
        return [best[i] for i in sorted(best)]

    @staticmethod
    def _score(mode: str, phrase: str, sentence: str, limit: float = 0.0) -> float:
        """The phrase's score in the sentence; for fuzzy matching, one below `limit` may be
        given as 0.0."""
        if mode == "exact":
            p = normalise(phrase)
            return 1.0 if p and f" {p} " in f" {normalise(sentence)} " else 0.0
        if mode == "regex":
            if _regex(phrase).search(sentence):
                return 1.0
            # Chinese in either script: the pattern and the sentence both in Simplified.
            simple = to_simplified(sentence)
            return (
                1.0
                if has_han(phrase + sentence) and _regex(to_simplified(phrase)).search(simple)
                else 0.0
            )
        return fuzzy_score(phrase, sentence, limit)

    def _semantic(
        self,
        units: list[tuple[int, str]],
        phrases: list[str],
        threshold: float,
        language: str | None = None,
        reader: str | None = None,
    ) -> list[Hit]:
        # Chinese is read in Simplified script, so both scripts read alike.
        texts = [to_simplified(s) for _, s in units] + [to_simplified(p) for p in phrases]
        readings = self._readings(texts, len(units), language, reader)
        named = len(readings) > 1 or readings[0][0] == NGRAM_READER
        best: dict[int, Hit] = {}
        literals = _best_phrases("fuzzy", tuple(phrases), [s for _, s in units], FUZZY_DEFAULT)
        for row, ((idx, sent), literal) in enumerate(zip(units, literals, strict=True)):
            # The reader with the highest score (the first listed on a tie), at its phrase.
            name, col, score = max(
                ((n, int(sims[row].argmax()), float(sims[row].max())) for n, sims in readings),
                key=lambda r: r[2],
            )
            # A near-verbatim mention is a match whatever the readers say (its score, at the
            # readers' phrase, as English always had it).
            if literal is not None and literal[1] > score:
                name, score = "fuzzy", literal[1]
            if score >= threshold and (idx not in best or score > best[idx].score):
                hit_reader = name if named or base(language) == "zh" else None
                best[idx] = Hit(idx, sent, phrases[col], round(score, 3), hit_reader)
        return [best[i] for i in sorted(best)]

    def _readings(
        self, texts: list[str], n: int, language: str | None, reader: str | None
    ) -> list[tuple[str, Any]]:
        """(reader's name, similarities of the first n texts to the rest) of each reader
        that `reader` asks for; outside Chinese, the language's text model alone."""
        chosen = (reader or ZH_READER) if base(language) == "zh" else "model"
        if chosen not in READERS:
            raise ConfigError(f"reader must be one of {', '.join(READERS)}, not {chosen!r}")
        out: list[tuple[str, Any]] = []
        if chosen in {"ngrams", "both"}:
            vectors = _NGRAMS.embed(texts)
            out.append((NGRAM_READER, vectors[:n] @ vectors[n:].T))
        if chosen in {"model", "both"}:
            embedder = self.embedder_for(language)
            vectors = embedder.embed(texts)
            sims = vectors[:n] @ vectors[n:].T
            name = str(getattr(embedder, "model_name", type(embedder).__name__))
            floor = ZH_MODEL_FLOOR.get(name) if chosen == "both" else None
            out.append((name, (sims - floor) / (1.0 - floor) if floor else rescale(sims, embedder)))
        return out


_NGRAMS = CharNgrams()
