"""Properties of the pure functions that parse and score."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qa.ingest.chat import parse_chat_text
from qa.matching import fuzzy_score
from qa.metrics import voice_metrics
from qa.model import Turn
from qa.text import question_kind, sentences

words = st.lists(
    st.sampled_from(["call", "plan", "data", "bill", "help", "today", "you", "我们", "帮"]),
    min_size=1,
    max_size=8,
)


@given(words, words, words)
def test_a_phrase_inside_a_sentence_scores_one(
    phrase: list[str], before: list[str], after: list[str]
) -> None:
    p = " ".join(phrase)
    assert fuzzy_score(p, " ".join(before + phrase + after)) == 1.0


@given(st.text(max_size=60), st.text(max_size=200))
def test_fuzzy_score_is_bounded(phrase: str, sentence: str) -> None:
    assert 0.0 <= fuzzy_score(phrase, sentence) <= 1.0


@given(st.text(max_size=200))
def test_question_kind_never_fails(text: str) -> None:
    for s in sentences(text) or (text,):
        assert question_kind(s) in {None, "open", "closed"}


spans = st.lists(
    st.tuples(st.sampled_from(["agent", "customer"]), st.floats(0, 500), st.floats(0, 60)),
    max_size=30,
)


@given(spans)
def test_voice_metrics_are_consistent(raw: list[tuple[str, float, float]]) -> None:
    turns = [Turn(role=r, text="word " * int(d), start=s, end=s + d) for r, s, d in raw]
    m = voice_metrics(turns, None)
    assert m["talk_ratio"] is None or 0.0 <= m["talk_ratio"] <= 1.0
    assert m["silence_longest"] <= m["silence_total"] + 1e-6
    assert m["overtalk"] >= 0 and m["monologue_longest"] >= 0
    assert m["overtalk"] <= min(m["talk_agent"], m["talk_customer"]) + 1e-6


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Agent", "Customer"]),
            st.from_regex(r"[A-Za-z ,.?]{1,40}", fullmatch=True),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_plain_text_chat_keeps_every_message(lines: list[tuple[str, str]]) -> None:
    text = "\n".join(f"{who}: {msg}" for who, msg in lines)
    [item] = parse_chat_text(text, "x.txt")
    assert [t.role for t in item.turns] == [who.lower() for who, _ in lines]
    assert [t.text for t in item.turns] == [msg.strip() for (msg,) in [(m,) for _, m in lines]]
