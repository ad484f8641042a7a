"""Properties of the pure functions that parse and score."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("hypothesis")  # the dev extra: skip, naming it, where it is missing

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from qa.ingest.chat import parse_chat_text  # noqa: E402
from qa.matching import fuzzy_score  # noqa: E402
from qa.metrics import voice_metrics  # noqa: E402
from qa.model import Turn  # noqa: E402
from qa.redact import CARD_MASK, redact  # noqa: E402
from qa.text import question_kind, sentences  # noqa: E402
from tests.test_redact import WORDS, with_check_digit  # noqa: E402

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
    st.tuples(st.sampled_from(["agent", "customer"]), st.integers(0, 300), st.integers(0, 40)),
    max_size=20,
)


@given(spans, st.integers(0, 400))
def test_voice_metrics_match_a_second_by_second_count(
    raw: list[tuple[str, int, int]], duration: int
) -> None:
    """Whole-second turns, so that counting covered seconds gives every value exactly."""
    turns = [Turn(role=r, text="word " * (d * 2), start=s, end=s + d) for r, s, d in raw]
    m = voice_metrics(turns, float(duration))
    agent = {t for r, s, d in raw if r == "agent" for t in range(s, s + d)}
    customer = {t for r, s, d in raw if r == "customer" for t in range(s, s + d)}
    end = max([duration] + [s + d for _, s, d in raw if d > 0])
    quiet = [t not in agent | customer for t in range(end)]
    runs = "".join("q" if q else "." for q in quiet).split(".")
    assert (m["talk_agent"], m["talk_customer"]) == (len(agent), len(customer))
    assert m["overtalk"] == len(agent & customer)
    assert m["silence_total"] == sum(quiet)
    assert m["silence_longest"] == max(len(r) for r in runs)
    talk = len(agent) + len(customer)
    assert m["talk_ratio"] == (round(len(agent) / talk, 3) if talk else None)
    agent_words = sum(2 * d for r, _, d in raw if r == "agent")
    assert m["wpm_agent"] == (round(agent_words / len(agent) * 60, 1) if agent else None)
    assert m["turns"] == len(raw)


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


@given(
    body=st.text(alphabet="0123456789", min_size=12, max_size=18),
    seps=st.lists(st.sampled_from(["", " ", "-"]), min_size=18, max_size=18),
    before=st.text(alphabet="abc ,.", max_size=10),
)
def test_any_luhn_valid_card_is_masked(body: str, seps: list[str], before: str) -> None:
    number = with_check_digit(body)
    written = "".join(d + (seps[i] if i < len(number) - 1 else "") for i, d in enumerate(number))
    out = redact(f"{before} {written} thanks")
    assert number not in re.sub(r"\D", "", out)
    assert CARD_MASK in out


@given(body=st.text(alphabet="0123456789", min_size=12, max_size=18))
def test_any_spoken_card_is_masked(body: str) -> None:
    number = with_check_digit(body)
    spoken = " ".join(WORDS[int(d)] for d in number)
    assert redact(f"the number is {spoken} okay") == f"the number is {CARD_MASK} okay"
