"""Phrase matching: exact, fuzzy, regex or semantic, at sentence level."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from qa.errors import ConfigError
from qa.models.text import Embedder, shared_embedder
from qa.text import normalise, sentences, tokens

FUZZY_DEFAULT = 0.85
SEMANTIC_DEFAULT = 0.6


@dataclass(frozen=True)
class Hit:
    turn: int
    sentence: str
    phrase: str
    score: float


@lru_cache(maxsize=4096)
def _regex(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ConfigError(f"bad regex {pattern!r}: {exc}") from exc


@lru_cache(maxsize=65536)
def _windows(sentence: str, size: int) -> tuple[str, ...]:
    toks = tokens(sentence)
    if len(toks) <= size:
        return (" ".join(toks),)
    return tuple(" ".join(toks[i : i + size]) for i in range(len(toks) - size + 1))


def fuzzy_score(phrase: str, sentence: str) -> float:
    """How well the phrase appears in the sentence, 0..1.

    The phrase is compared with runs of whole words of about its own length, so
    "our new plan" does not match "a new plan" by sharing characters across word
    boundaries. CJK characters count as words, so this works without spaces too.
    """
    p = " ".join(tokens(phrase))
    if not p:
        return 0.0
    if f" {p} " in f" {' '.join(tokens(sentence))} ":
        return 1.0
    n = len(p.split(" "))
    best = 0.0
    for size in {max(1, n - 1), n, n + 1}:
        found = process.extractOne(p, _windows(sentence, size), scorer=fuzz.ratio)
        if found:
            best = max(best, found[1] / 100)
    return best


class Matcher:
    def __init__(self, embedder: Embedder | None = None):
        self._embedder = embedder

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = shared_embedder()
        return self._embedder

    def find(
        self,
        texts: dict[int, str],
        phrases: list[str],
        mode: str = "fuzzy",
        threshold: float | None = None,
    ) -> list[Hit]:
        """The best hit per turn, for turns whose text matches one of the phrases."""
        units = [(idx, sent) for idx, text in texts.items() for sent in sentences(text)]
        if not units:
            return []
        if mode == "semantic":
            return self._semantic(units, phrases, threshold or SEMANTIC_DEFAULT)
        best: dict[int, Hit] = {}
        for idx, sent in units:
            for phrase in phrases:
                score = self._score(mode, phrase, sent, texts[idx])
                limit = 1.0 if mode in {"exact", "regex"} else threshold or FUZZY_DEFAULT
                if score >= limit and (idx not in best or score > best[idx].score):
                    best[idx] = Hit(idx, sent, phrase, score)
        return [best[i] for i in sorted(best)]

    @staticmethod
    def _score(mode: str, phrase: str, sentence: str, whole: str) -> float:
        if mode == "exact":
            return 1.0 if normalise(phrase) and normalise(phrase) in normalise(sentence) else 0.0
        if mode == "regex":
            return 1.0 if _regex(phrase).search(sentence) else 0.0
        return fuzzy_score(phrase, sentence)

    def _semantic(
        self, units: list[tuple[int, str]], phrases: list[str], threshold: float
    ) -> list[Hit]:
        vectors = self.embedder.embed([s for _, s in units] + phrases)
        sims = vectors[: len(units)] @ vectors[len(units) :].T
        best: dict[int, Hit] = {}
        for row, (idx, sent) in enumerate(units):
            col = int(sims[row].argmax())
            score = float(sims[row][col])
            # A near-verbatim mention is a match whatever the embedding says.
            literal = max(fuzzy_score(p, sent) for p in phrases)
            if literal >= FUZZY_DEFAULT:
                score = max(score, literal)
            if score >= threshold and (idx not in best or score > best[idx].score):
                best[idx] = Hit(idx, sent, phrases[col], round(score, 3))
        return [best[i] for i in sorted(best)]
