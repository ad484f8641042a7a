"""The scoring stage (qa/scoring.py) pinned where tests/test_mut_scoring.py leaves room:
what a comparison with an older card hands to the review of words heard at low confidence,
and the transcriber a scoring run recognises waiting recordings with."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.config import Config, VoiceConfig
from qa.errors import ConfigError
from qa.matching import Matcher
from qa.model import Turn, Word
from qa.scoring import rescore, score_paths
from qa.store import Store
from qa.voice.pipeline import VoiceSettings
from tests.conftest import write_chat_json
from tests.test_mut_scoring import chat, loaded
from tests.test_voice_unit import FakeTranscriber, stereo_file


def test_compare_reviews_the_old_cards_results_with_its_pass_mark(store: Store) -> None:
    """A call heard at low confidence, scored now with the old card: its results wait for a
    person and the totals are worked out again with that card's pass mark (no critical
    failure to cut it short)."""
    heard = [Word(0.0, 0.5, "good", 0.3), Word(0.5, 1.0, "day", 0.3)]
    clear = [Word(0.0, 0.5, "good", 0.95), Word(0.5, 1.0, "day", 0.95)]
    store.save_interactions(
        [
            chat("v1", channel="voice", turns=[Turn("agent", "good day", 0.0, 1.0, words=heard)]),
            chat("v2", channel="voice", turns=[Turn("agent", "good day", 0.0, 1.0, words=clear)]),
        ]
    )
    old = loaded([{"id": "greet", "phrases": ["good"], "points": 3}], channels=["voice"])
    new = loaded([{"id": "greet", "phrases": ["day"], "points": 2}], channels=["voice"])
    _, comparison = rescore(store, new, Matcher(), compare_with=old)
    assert comparison is not None
    got = [
        (c.interaction_id, c.before, c.after, c.points_before, c.points_after)
        for c in comparison.changes
    ]
    assert got == [("v2", "pass", "pass", 3.0, 2.0)]  # v1: review before and after
    assert comparison.interactions == 2


def test_score_paths_transcribes_with_the_transcriber_given(tmp_path: Path, store: Store) -> None:
    """Without an executor, the recordings waiting are recognised in this process by the
    transcriber the caller gives (no model of its own)."""
    folder = tmp_path / "calls"
    folder.mkdir()
    stereo_file(folder / "call.wav", left=0.5, right=0.3)
    said = [(0.0, 0.4, "Spring"), (0.4, 0.9, "Unlimited")]
    transcriber = FakeTranscriber({5: said})
    card = loaded([{"id": "greet", "phrases": ["spring"]}], channels=["voice"])
    report = score_paths(
        [folder],
        store,
        Config(voice=VoiceConfig(verify=False)),
        card,
        Matcher(),
        voice=VoiceSettings(),
        transcriber=transcriber,
    )
    assert transcriber.calls >= 1
    assert report.transcription is not None
    assert report.transcription.as_dict()["transcribed"] == 1
    assert (report.scored, report.failures) == (1, [])
    [ev] = report.evaluations.values()
    assert ev.criteria[0].result == "pass"


def test_score_paths_needs_a_scorecard_or_a_routing_file(tmp_path: Path, store: Store) -> None:
    with pytest.raises(ConfigError, match="^give a scorecard or a routing file$"):
        score_paths([tmp_path], store, Config(), None, Matcher())


def test_score_paths_names_what_an_engine_change_rescored(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the engine changes, every interaction scored before with this card is scored
    again and named, in order; a call scored before whose words are gone (nothing to score
    now) is skipped, not the end of the list."""
    folder = tmp_path / "chats"
    folder.mkdir()
    write_chat_json(folder / "a.json", text="Good morning")
    write_chat_json(folder / "b.json", text="Hi")
    card = loaded([{"id": "greet", "phrases": ["good"], "points": 2}])
    first = score_paths([folder], store, Config(), card, Matcher())
    chats = sorted(first.evaluations)
    assert len(chats) == 2
    # A call under the same folder, scored by this engine before and now without turns:
    # it sorts before both chats.
    store.save_interactions(
        [chat("0-call", channel="voice", source=str(folder / "0-call.wav"), turns=[])]
    )
    [call] = store.load_interactions(["0-call"])
    old_engine = first.engine
    store.save_evaluations(
        [("0-call", first.evaluations[chats[0]], {}, None, None)],
        old_engine,
        {"0-call": call.content},
    )
    assert store.evaluated_ids(card.hash, None, old_engine) == {"0-call", *chats}

    monkeypatch.setenv("QA_TEXT_MODEL", "another-text-model")
    second = score_paths([folder], store, Config(), card, Matcher())
    assert second.engine != old_engine
    assert (second.scored, second.already) == (2, 0)
    assert second.engine_rescored == chats
    assert second.engine_changes == {}  # exact phrases: the text model changes nothing
    assert second.as_dict()["rescored_for_engine"] == 2
    third = score_paths([folder], store, Config(), card, Matcher())
    assert (third.scored, third.already, third.engine_rescored) == (0, 2, [])
