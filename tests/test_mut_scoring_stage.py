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
