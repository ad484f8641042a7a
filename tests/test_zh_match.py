"""Chinese semantic phrases read by character n-grams, by the text model, or by both (a
card's `reader`), in chat, call and email; the reader recorded with the evidence and in the
engine's settings. The text model is a stand-in here: every two different sentences at one
cosine, as multilingual-e5-small puts polite Chinese service sentences close together.
Every sentence here is written for these tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa.engine import engine_settings, engine_stamp
from qa.errors import ConfigError
from qa.matching import ZH_MODEL_FLOOR, Matcher
from qa.model import Interaction
from qa.models.ngrams import NGRAM_READER, READERS, ZH_READER, CharNgrams, ngram_runs
from qa.models.text import MULTILINGUAL_TEXT_MODEL
from qa.scorecard.context import Context
from qa.scorecard.engine import evaluate_criterion
from qa.scorecard.load import load_scorecard
from qa.scorecard.schema import PhraseV1, Reader
from tests.test_zh_crit_flow_channels import conversation

CHANNELS = ["chat", "voice", "email"]


class Crowded:
    """A multilingual model's Chinese as the tests need it: every two different texts at
    cosine `cos`, a text and itself at 1 (a shared axis plus one axis of each text's own)."""

    model_name = MULTILINGUAL_TEXT_MODEL
    model_ref = "crowded-stand-in"

    def __init__(self, cos: float) -> None:
        self.cos = cos
        self.axes: dict[str, int] = {}

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), 256), dtype=np.float32)
        for row, text in enumerate(texts):
            axis = self.axes.setdefault(text, 1 + len(self.axes))
            out[row, 0] = self.cos**0.5
            out[row, axis] = (1 - self.cos) ** 0.5
        return out


FEE = PhraseV1(
    id="fee",
    type="phrase.v1",
    match="semantic",
    threshold=0.5,
    phrases=["补办新卡要收二十元工本费", "卡片补办的工本费是二十元"],
)

# A customer has lost a card; the agent arranges a new one without the fee.
UNSAID = [
    ("customer", "我的信用卡丢了，想补办一张。"),
    ("agent", "好的，请稍等，我马上为您查询。"),
    ("agent", "新卡大概七个工作日寄到您的账单地址。"),
    ("customer", "好的，谢谢。"),
]
# The same, with the fee said in the agent's own order of words.
SAID = [
    ("customer", "我的信用卡丢了，想补办一张。"),
    ("agent", "补办新卡的话，工本费要收二十元。"),
    ("customer", "行，那就补办吧。"),
    ("agent", "新卡大概七个工作日寄到您的账单地址。"),
]


def ctx_of(lines: list[tuple[str, str]], channel: str, matcher: Matcher, reader=None) -> Context:
    return Context(conversation(lines, channel), matcher, card_language="zh", reader=reader)


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_polite_sentence_is_no_disclosure_where_the_model_finds_all_alike(channel: str) -> None:
    """The model alone puts "请稍等，我马上为您查询" as near the fee as any other sentence
    (cosine 0.92, above its usual 0.9 for 0.5); by default the characters decide, and the
    model counts on its own only where it is far surer than that."""
    ctx = ctx_of(UNSAID, channel, Matcher(Crowded(0.92)))
    out = evaluate_criterion(FEE, ctx, [channel])
    assert out.result == "fail"


@pytest.mark.parametrize("channel", CHANNELS)
def test_the_fee_in_other_order_is_read_by_its_characters(channel: str) -> None:
    """Neither near-verbatim (fuzzy 0.73) nor close by the model (cosine 0.85): the two- and
    three-character words it shares with the phrase carry it."""
    ctx = ctx_of(SAID, channel, Matcher(Crowded(0.85)))
    out = evaluate_criterion(FEE, ctx, [channel])
    assert out.result == "pass"
    assert "工本费要收二十元" in out.evidence[0].quote
    assert out.evidence[0].reader == NGRAM_READER
    assert out.evidence[0].as_dict()["reader"] == NGRAM_READER


@pytest.mark.parametrize("channel", CHANNELS)
def test_the_model_where_it_is_sure_counts_and_says_so(channel: str) -> None:
    """A sentence the model reads as the same as a phrase (cosine 0.97): counted, with the
    model named as its reader."""
    ctx = ctx_of(UNSAID, channel, Matcher(Crowded(0.97)))
    out = evaluate_criterion(FEE, ctx, [channel])
    assert out.result == "pass"
    assert out.evidence[0].reader == MULTILINGUAL_TEXT_MODEL


@pytest.mark.parametrize("channel", CHANNELS)
def test_each_reader_alone_as_the_card_asks(channel: str) -> None:
    model_only = ctx_of(UNSAID, channel, Matcher(Crowded(0.92)), reader="model")
    assert evaluate_criterion(FEE, model_only, [channel]).result == "pass"
    ngrams_only = ctx_of(UNSAID, channel, Matcher(Crowded(0.97)), reader="ngrams")
    assert evaluate_criterion(FEE, ngrams_only, [channel]).result == "fail"
    said = ctx_of(SAID, channel, Matcher(Crowded(0.85)), reader="model")
    assert evaluate_criterion(FEE, said, [channel]).result == "fail"


def test_english_is_read_by_its_model_alone() -> None:
    """No n-grams outside Chinese, and no reader named on the hit."""
    matcher = Matcher(Crowded(0.92))
    texts = {0: "Let me check that for you right away."}
    hits = matcher.find(texts, ["So you want to pay the loan off early?"], "semantic", 0.5)
    assert [h.reader for h in hits] == [None]  # 0.92 on MiniLM's scale: a match, unnamed
    with_reader = matcher.find(texts, ["x y z"], "semantic", 0.5, "en", "ngrams")
    assert [h.reader for h in with_reader] == [None]


def test_a_near_verbatim_mention_is_named_fuzzy() -> None:
    matcher = Matcher(Crowded(0.5))
    said = {0: "补办新卡要收取二十元工本费。"}
    hits = matcher.find(said, FEE.phrases, "semantic", 0.5, "zh", "model")
    assert [h.reader for h in hits] == ["fuzzy"]


def test_an_unknown_reader_is_refused_by_the_matcher() -> None:
    with pytest.raises(ConfigError, match="reader must be one of both, ngrams, model"):
        Matcher(Crowded(0.5)).find({0: "您好"}, ["您好"], "semantic", 0.5, "zh", "words")


def test_the_model_scale_in_both_is_stricter_than_its_own() -> None:
    """In `both` the model needs (1 + floor) / 2 for a card's 0.5: 0.95 for e5, where its
    own scale asks 0.9."""
    floor = ZH_MODEL_FLOOR[MULTILINGUAL_TEXT_MODEL]
    assert floor == pytest.approx(0.9)
    for cos, counted in [(0.94, False), (0.96, True)]:
        hits = Matcher(Crowded(cos)).find({0: "请稍等。"}, ["您是说"], "semantic", 0.5, "zh")
        assert bool(hits) is counted


# -- the n-gram reader ------------------------------------------------------------------


def test_punctuation_and_slots_count_for_nothing() -> None:
    """An ellipsis in a trainer's phrase is a slot: a sentence does not come near it by
    holding an ellipsis too, and no n-gram spans it."""
    assert ngram_runs("您是想……对吗？LeGo Plus 會員") == ["您是想", "对吗", "lego", "plus", "会员"]
    vectors = CharNgrams().embed(["这个……开通以后都能看到。", "您是想……对吗", "……，。？"])
    assert float(vectors[0] @ vectors[1]) < 0.05
    assert not vectors[2].any()


def test_both_scripts_read_alike_and_the_vectors_are_fixed() -> None:
    """Traditional and Simplified give one vector; the buckets come from CRC-32, so stored
    results and a rerun in another process agree."""
    a, b = CharNgrams().embed(["提前還款的手續費", "提前还款的手续费"])
    assert np.array_equal(a, b)
    assert float(np.linalg.norm(a)) == pytest.approx(1.0)
    (one,) = CharNgrams().embed(["还"])
    assert np.flatnonzero(one).tolist() == [267]  # crc32("还") % 4096


# -- the setting: declared once, validated, in the engine's stamp -----------------------


def test_the_readers_are_declared_once() -> None:
    from typing import get_args

    assert get_args(Reader) == READERS
    assert ZH_READER in READERS


def test_the_engine_stamp_names_the_readers_and_changes_with_the_default(monkeypatch) -> None:
    import qa.matching

    settings = engine_settings(Matcher().settings())
    assert settings["matcher"]["ngrams"]["reader"] == NGRAM_READER
    assert settings["constants"]["qa.matching"]["ZH_READER"] == ZH_READER
    before = engine_stamp(settings)
    monkeypatch.setattr(qa.matching, "ZH_READER", "model")
    assert engine_stamp(engine_settings(Matcher().settings())) != before


CARD = """\
name: 信用卡服务
language: {language}
reader: {reader}
sections:
  - id: s
    criteria:
      - id: restate
        type: phrase.v1
        match: semantic
        phrases: ["补办新卡要收二十元工本费"]
"""


def test_a_card_chooses_its_reader(tmp_path: Path) -> None:
    path = tmp_path / "card.yaml"
    path.write_text(CARD.format(language="zh", reader="ngrams"), encoding="utf-8")
    assert load_scorecard(path).scorecard.reader == "ngrams"


@pytest.mark.parametrize(
    ("language", "reader", "message"),
    [
        ("zh", "ngram", r"card\.yaml:3.*reader.*'both', 'ngrams' or 'model'"),
        ("en", "ngrams", r"card\.yaml.*reader applies to Chinese cards"),
    ],
)
def test_a_bad_reader_is_refused_with_its_place(
    tmp_path: Path, language: str, reader: str, message: str
) -> None:
    path = tmp_path / "card.yaml"
    path.write_text(CARD.format(language=language, reader=reader), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_scorecard(path)


def test_stored_evidence_keeps_its_reader(tmp_path: Path) -> None:
    """The reader goes into the database with the evaluation and out with the export."""
    import json

    from qa.export import export_json
    from qa.scorecard.engine import score_interaction
    from qa.store import Store

    path = tmp_path / "card.yaml"
    path.write_text(CARD.format(language="zh", reader="both"), encoding="utf-8")
    item: Interaction = conversation(SAID, "chat")
    evaluation = score_interaction(item, load_scorecard(path), Matcher(Crowded(0.85)))
    store = Store(tmp_path / "qa.db")
    try:
        store.save_interactions([item])
        store.save_evaluations([(item.id, evaluation, {}, None, None)], "e1")
        exported = export_json(store)
    finally:
        store.close()
    assert f'"reader": {json.dumps(NGRAM_READER)}' in exported
