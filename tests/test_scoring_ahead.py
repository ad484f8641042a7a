"""The order in which scoring hands sentences to the embedding threads: the first
interaction alone, the rest of PREFETCH after it (with act sentences once a criterion has
asked for one), the next PREFETCH when half are scored, the last parts smaller."""

from __future__ import annotations

from typing import Any

import pytest

from qa import scoring
from qa.matching import Matcher
from qa.model import Interaction, Turn
from tests.test_mut_scoring import chat, loaded


class Ahead:
    """An embedder that records what is handed to it ahead."""

    def __init__(self) -> None:
        self.handed: list[list[str]] = []

    def embed_ahead(self, texts: list[str]) -> None:
        self.handed.append(list(texts))

    def embed(self, texts: list[str]) -> Any:
        raise AssertionError("nothing is embedded here")


def items(n: int) -> list[Interaction]:
    return [
        chat(f"c{k}", turns=[Turn("customer", f"Q{k} here. 4417."), Turn("agent", f"A{k} now.")])
        for k in range(n)
    ]


SEMANTIC = {"id": "a", "match": "semantic", "phrases": ["hello"]}
EXACT = {"id": "a", "phrases": ["hello"]}


@pytest.mark.parametrize(
    ("criterion", "ask_in_first", "handed"),
    [
        # No semantic list, no act asked for: nothing handed, only expected.
        (EXACT, False, []),
        # An act asked for in the first: its sentences, then the rest of PREFETCH with
        # theirs at once, and the next PREFETCH when item 2 comes (half of 3 ahead).
        (
            EXACT,
            True,
            [
                ["Q0 here.", "A0 now."],
                ["Q1 here.", "A1 now.", "Q2 here.", "A2 now."],
                ["Q3 here.", "A3 now.", "Q4 here.", "A4 now."],
            ],
        ),
        # With a semantic list the model is needed: the first's sentences at once, all of
        # them; then the agent's of the window, a part at a time, as no act was read.
        (
            SEMANTIC,
            False,
            [["A0 now.", "Q0 here."], ["A1 now.", "A2 now."], ["A3 now.", "A4 now."]],
        ),
        # Both, interaction by interaction: the window's and, after the ask, every sentence
        # but the identifier alone.
        (
            SEMANTIC,
            True,
            [
                ["A0 now.", "Q0 here."],
                ["A1 now.", "Q1 here.", "A2 now.", "Q2 here."],
                ["A3 now.", "Q3 here.", "A4 now.", "Q4 here."],
            ],
        ),
    ],
)
def test_sentences_are_handed_ahead_in_the_order_they_are_read(
    monkeypatch: pytest.MonkeyPatch,
    criterion: dict[str, Any],
    ask_in_first: bool,
    handed: list[list[str]],
) -> None:
    monkeypatch.setattr(scoring, "PREFETCH", 3)
    embedder = Ahead()
    matcher = Matcher(embedder)
    todo = items(5)
    ahead = scoring._Ahead(scoring._Job(todo, loaded([criterion]), matcher, None, None, None), todo)
    for n in range(len(todo)):
        ahead.before(n)
        if n == 0 and ask_in_first:
            matcher.embed_expected()  # what a criterion reading an act does
    assert [list(dict.fromkeys(h)) for h in embedder.handed] == [
        list(dict.fromkeys(h)) for h in handed
    ]
    assert matcher.expected_asked is ask_in_first


@pytest.mark.parametrize(
    ("part", "sizes"),
    [
        (4, [1, 4, 2, 1, 1]),  # the first alone, then two thirds of what is left, at most 4
        (2, [1, 2, 2, 2, 1, 1]),
        (100, [1, 5, 2, 1]),
    ],
)
def test_the_last_parts_of_a_run_are_smaller(
    monkeypatch: pytest.MonkeyPatch, part: int, sizes: list[int]
) -> None:
    monkeypatch.setattr(scoring, "AHEAD_PART", part)
    embedder = Ahead()
    matcher = Matcher(embedder)
    todo = [chat(f"c{k}", turns=[Turn("agent", f"A{k} now.")]) for k in range(9)]
    job = scoring._Job(todo, loaded([SEMANTIC]), matcher, None, None, None)
    ahead = scoring._Ahead(job, todo)
    for n in range(len(todo)):
        ahead.before(n)
        if n == 0:
            matcher.embed_expected()
    handed = [list(dict.fromkeys(h)) for h in embedder.handed]
    assert [len(h) for h in handed] == sizes
    assert [s for h in handed for s in h] == [f"A{k} now." for k in range(9)]
