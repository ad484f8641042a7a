"""The small shared helpers of the criterion types pinned value by value: the cue list a
criterion falls back on, the literal reading of a semantic match, trainers' examples as an
act reader takes them, and a phrase said as whole words."""

from __future__ import annotations

import pytest

from qa.matching import Matcher
from qa.scorecard.context import Context
from qa.scorecard.criteria import _cues, _extra_examples, _has_any, _literal
from qa.scorecard.schema import Examples, Phrases
from tests.test_criteria import conversation


def ctx() -> Context:
    return Context(conversation("chat", [("agent", "Hello."), ("customer", "Hi.")]), Matcher())


def test_cues_fall_back_on_the_packs_list() -> None:
    c = ctx()
    assert c.cues("complaint"), "the English pack lists complaints"
    got = _cues(None, c, "complaint", "customer")
    assert got == Phrases(
        phrases=c.cues("complaint"), match="fuzzy", threshold=0.9, speaker="customer"
    )
    assert (got.match, got.threshold, got.speaker, got.act) == ("fuzzy", 0.9, "customer", None)
    assert _cues(None, c, "save", "agent").phrases == c.cues("save")


def test_cues_keep_the_criterions_own_list() -> None:
    own = Phrases(phrases=["I'm off"], match="exact", speaker="customer")
    assert _cues(own, ctx(), "churn", "customer") is own


@pytest.mark.parametrize(
    ("match", "literal"),
    [("semantic", "fuzzy"), ("exact", "exact"), ("fuzzy", "fuzzy"), ("regex", "regex")],
)
def test_literal(match: str, literal: str) -> None:
    assert _literal(match) == literal


def test_extra_examples() -> None:
    assert _extra_examples(None) is None
    assert _extra_examples(Examples()) is None
    assert _extra_examples(Examples(positive=["a", "b"])) == {
        "positive": ["a", "b"],
        "negative": [],
    }
    assert _extra_examples(Examples(negative=["c"])) == {"positive": [], "negative": ["c"]}
    both = Examples(positive=["a"], negative=["c"])
    got = _extra_examples(both)
    assert got == {"positive": ["a"], "negative": ["c"]}
    assert got is not None and got["positive"] is not both.positive  # a copy, not the card's


@pytest.mark.parametrize(
    ("text", "phrases", "said"),
    [
        ("I want to cancel.", ["cancel"], True),  # at the end, before a full stop
        ("Cancel it NOW, please!", ["cancel it now"], True),  # case and punctuation aside
        ("cancel", ["cancel"], True),  # the whole text
        ("I cancelled it.", ["cancel"], False),  # part of a word is no phrase
        ("We recancel.", ["cancel"], False),
        ("I want to cancel.", ["leave", "to cancel"], True),  # any of them
        ("I want to cancel.", ["leave", "stay"], False),
        ("I want to cancel.", [], False),
    ],
)
def test_has_any(text: str, phrases: list[str], said: bool) -> None:
    assert _has_any(text, phrases) is said
