"""The voice stage with a fake recogniser: fast, and no model on the path."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa.config import Config
from qa.ingest.batch import ingest
from qa.model import Word
from qa.store import Store
from qa.voice.asr import AsrResult, drop_repetition_loops
from qa.voice.batch import transcribe_pending
from qa.voice.diarize import Segment, merge_segments
from qa.voice.pipeline import VoiceSettings, speaker_at, words_to_turns
from qa.voice.roles import channel_evidence, decide_roles, stereo_roles
from tests.conftest import write_tone_wav


class FakeTranscriber:
    """Gives fixed words per channel, told apart by the signal's loudness."""

    def __init__(self, by_level: dict[int, list[tuple[float, float, str]]]):
        self.by_level = by_level
        self.calls = 0

    def __call__(self, audio: np.ndarray) -> AsrResult:
        self.calls += 1
        level = int(round(float(np.abs(audio).max()) * 10))
        words = [Word(s, e, w) for s, e, w in self.by_level.get(level, [])]
        return AsrResult(words, "en", [(w.start, w.end) for w in words])


def stereo_file(path: Path, left: float, right: float, seconds: float = 3.0) -> Path:
    import wave

    rate = 8000
    n = int(rate * seconds)
    t = np.arange(n) / rate
    sig = np.sin(2 * np.pi * 300 * t)
    frames = np.stack([sig * left, sig * right], axis=1)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((frames * 32767).astype("<i2").tobytes())
    return path


AGENT_WORDS = [
    (0.0, 0.4, "Thank"),
    (0.4, 0.6, "you"),
    (0.6, 0.8, "for"),
    (0.8, 1.2, "calling"),
    (1.2, 1.8, "Northwind."),
    (2.5, 2.7, "How"),
    (2.7, 2.8, "can"),
    (2.8, 2.9, "I"),
    (2.9, 3.0, "help?"),
]
CUSTOMER_WORDS = [
    (1.9, 2.0, "Hi,"),
    (2.0, 2.1, "I'm"),
    (2.1, 2.2, "calling"),
    (2.2, 2.3, "about"),
    (2.3, 2.4, "my"),
    (2.4, 2.6, "bill."),
]


def test_words_merge_into_turns_by_voice_and_pause() -> None:
    words = [(Word(s, e, w), "agent", "A") for s, e, w in AGENT_WORDS]
    words += [(Word(s, e, w), "customer", "C") for s, e, w in CUSTOMER_WORDS]
    turns = words_to_turns(words, gap=1.0)
    assert [(t.role, t.text) for t in turns] == [
        ("agent", "Thank you for calling Northwind."),
        ("customer", "Hi, I'm calling about my bill."),
        ("agent", "How can I help?"),
    ]
    assert (turns[1].start, turns[1].end) == (1.9, 2.6)
    assert len(turns[0].words) == 5


def test_speaker_by_overlap_then_nearest() -> None:
    segs = [Segment(0, 1, "S1"), Segment(1, 2, "S2")]
    assert speaker_at(segs, Word(0.8, 1.4, "x")) == "S2"
    assert speaker_at(segs, Word(2.5, 2.6, "y")) == "S2"
    assert merge_segments([Segment(0, 1, "S1"), Segment(1, 2, "S1"), Segment(2, 3, "S2")]) == [
        Segment(0, 2, "S1"),
        Segment(2, 3, "S2"),
    ]


def test_roles_from_content_and_first_speaker() -> None:
    decision = decide_roles(
        {
            "S1": ["Hi, my bill is wrong."],
            "S2": ["Thank you for calling Northwind, how can I help?"],
        },
        first_speaker="S1",
        company_names=["Northwind"],
    )
    assert decision.agent == "S2" and decision.confidence > 0.9
    assert stereo_roles(
        ["I want to cancel."], ["Thanks for calling Northwind, my name is Ana."]
    ).swapped
    assert not stereo_roles(
        ["Thanks for calling, my name is Ana."], ["Hi, I was charged twice."]
    ).swapped


def test_stereo_swap_needs_strong_evidence_from_both_channels() -> None:
    # The caller introduces herself and asks; the agent greets: the map is right.
    right = stereo_roles(
        [
            "Hello, this is Ana. How can I help you today?",
            "Is there anything else I can help with?",
        ],
        ["Hi, my name is Jo Park, I would like to move my appointment."],
    )
    assert not right.swapped and not right.review and right.confidence > 0.9
    # The "customer" channel greets, the "agent" channel asks: swapped, on both counts.
    swapped = stereo_roles(
        ["Hi, my name is Jo Park, I would like to move my appointment."],
        ["Hello, this is Ana. How can I help you today?"],
    )
    assert swapped.swapped and swapped.confidence >= 0.88
    assert "how can i help" in swapped.evidence["mapped_customer"]["cues"]
    # Only one side points to a swap: the map stays, and the call is marked for review.
    one_sided = stereo_roles(["Hello?", "Okay."], ["Thank you for calling, how can I help?"])
    assert not one_sided.swapped and one_sided.review and one_sided.confidence < 0.5
    # No evidence either way: the map stays, no review.
    quiet = stereo_roles(["Hello."], ["Hello."])
    assert not quiet.swapped and not quiet.review and quiet.confidence == 0.5
    # A request the recogniser bent ("I will like to") still counts as a request.
    bent = channel_evidence(["I will like to open an account"])
    assert bent[1] == 2.0


def test_repetition_loops_are_cut() -> None:
    words = [
        Word(i, i + 1, w)
        for i, w in enumerate("thank you thank you thank you thank you thank you bye".split())
    ]
    assert [w.word for w in drop_repetition_loops(words)] == [
        "thank",
        "you",
        "thank",
        "you",
        "thank",
        "you",
        "bye",
    ]


def _ingest(tmp_path: Path, *files: Path) -> Store:
    store = Store(tmp_path / "qa.db")
    ingest(list(files), store, Config())
    return store


def test_stereo_roles_from_channel_map_and_swap_fix(tmp_path: Path) -> None:
    straight = stereo_file(tmp_path / "a.wav", left=0.5, right=0.3)
    swapped = stereo_file(tmp_path / "b.wav", left=0.2, right=0.6)
    store = _ingest(tmp_path, straight, swapped)
    fake = FakeTranscriber({5: AGENT_WORDS, 3: CUSTOMER_WORDS, 2: CUSTOMER_WORDS, 6: AGENT_WORDS})
    report = transcribe_pending(store, VoiceSettings(), fake)
    assert len(report.transcribed) == 2 and not report.failures
    items = {Path(i.source).name: i for i in store.load_interactions()}
    for name in ("a.wav", "b.wav"):
        item = items[name]
        assert item.status == "transcribed"
        assert [t.role for t in item.turns] == ["agent", "customer", "agent"]
        assert item.turns[0].text.startswith("Thank you for calling")
        assert item.metadata["metrics"]["turns"] == 3
    assert items["a.wav"].metadata["voice"]["roles_swapped"] is False
    assert items["b.wav"].metadata["voice"]["roles_swapped"] is True
    assert items["b.wav"].metadata["voice"]["agent_channel"] == "right"


def test_each_recording_is_recognised_once(tmp_path: Path) -> None:
    wav = stereo_file(tmp_path / "a.wav", left=0.5, right=0.3)
    store = _ingest(tmp_path, wav)
    fake = FakeTranscriber({5: AGENT_WORDS, 3: CUSTOMER_WORDS})
    transcribe_pending(store, VoiceSettings(), fake)
    assert fake.calls == 2
    assert transcribe_pending(store, VoiceSettings(), fake).transcribed == []
    again = transcribe_pending(store, VoiceSettings(), fake, redo=True)  # cache serves it
    assert len(again.transcribed) == 1 and fake.calls == 2 and again.asr_runs == 0


def test_bad_recordings_are_recorded_and_the_batch_goes_on(tmp_path: Path) -> None:
    good = stereo_file(tmp_path / "good.wav", left=0.5, right=0.3)
    silent = write_tone_wav(tmp_path / "silent.wav", seconds=2.0)
    store = _ingest(tmp_path, good, silent)
    fake = FakeTranscriber({5: AGENT_WORDS, 3: CUSTOMER_WORDS})  # the tone gets no words
    report = transcribe_pending(store, VoiceSettings(), fake)
    assert [Path(f.source).name for f in report.failures] == ["silent.wav"]
    assert "no speech found" in report.failures[0].reason
    statuses = {Path(i.source).name: i.status for i in store.load_interactions()}
    assert statuses == {"good.wav": "transcribed", "silent.wav": "failed"}


def test_moved_recording_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    wav = stereo_file(tmp_path / "gone.wav", left=0.5, right=0.3)
    store = _ingest(tmp_path, wav)
    wav.unlink()
    report = transcribe_pending(store, VoiceSettings(), FakeTranscriber({}))
    assert "no longer at" in report.failures[0].reason


def test_pyannote_needs_a_pipeline() -> None:
    from qa.errors import ConfigError

    with pytest.raises(ConfigError, match="--pyannote-pipeline"):
        VoiceSettings(diarization="pyannote")


def test_export_gives_voice_turns_words_and_metrics(tmp_path: Path) -> None:
    import json

    from qa.export import export_json

    store = _ingest(tmp_path, stereo_file(tmp_path / "a.wav", left=0.5, right=0.3))
    transcribe_pending(store, VoiceSettings(), FakeTranscriber({5: AGENT_WORDS, 3: CUSTOMER_WORDS}))
    [item] = json.loads(export_json(store))["interactions"]
    assert item["channel"] == "voice" and item["status"] == "transcribed"
    first = item["turns"][0]
    assert (first["role"], first["start"], first["end"]) == ("agent", 0.0, 1.8)
    assert first["words"][0] == {"start": 0.0, "end": 0.4, "word": "Thank"}
    # Agent 0.0-1.8 and 2.5-3.0, customer 1.9-2.6, in a 3.0 s recording: by hand,
    # 0.1 s of overtalk (2.5-2.6), one 0.1 s silence (1.8-1.9), 9 agent words.
    m = item["metrics"]
    assert (m["talk_agent"], m["talk_customer"], m["turns"]) == (2.3, 0.7, 3)
    assert m["talk_ratio"] == round(2.3 / 3.0, 3)
    assert (m["silence_total"], m["silence_longest"], m["overtalk"]) == (0.1, 0.1, 0.1)
    assert m["monologue_longest"] == 3.0  # the two agent turns, 0.7 s apart, are one
    assert m["wpm_agent"] == round(9 / 2.3 * 60, 1)
    assert m["wpm_customer"] is None  # no pace over less than a second of talk


def test_long_recordings_are_cut_at_quiet_moments() -> None:
    from qa.voice.asr import PIECE_S, SAMPLE_RATE, split_long

    rng = np.random.default_rng(0)
    audio = (rng.normal(size=int(SAMPLE_RATE * PIECE_S * 2.5)) * 0.1).astype(np.float32)
    quiet = int(SAMPLE_RATE * (PIECE_S - 10))
    audio[quiet : quiet + SAMPLE_RATE] = 0.0
    pieces = split_long(audio)
    assert len(pieces) == 3
    assert sum(len(p) for _, p in pieces) == len(audio)
    assert quiet <= pieces[1][0] <= quiet + SAMPLE_RATE  # the first cut falls in the silence
    assert split_long(audio[: SAMPLE_RATE * 30])[0][1].size == SAMPLE_RATE * 30


def test_recognition_without_threadpoolctl_names_the_models_extra(monkeypatch):
    """The BLAS pin is part of the models extra: a core install that meets a recording gets
    the voice stack's one-line error naming the extra, not a ModuleNotFoundError."""
    import sys

    from qa.errors import ConfigError
    from qa.voice.asr import pinned_blas

    monkeypatch.setitem(sys.modules, "threadpoolctl", None)  # as if not installed
    with (
        pytest.raises(
            ConfigError, match=r"threadpoolctl is not installed: run pip install 'qa\[models\]'"
        ),
        pinned_blas(),
    ):
        pass


# Words a recogniser bent out of shape: no cue of either role survives.
MISHEARD = [(1.9, 2.0, "Hi,"), (2.0, 2.2, "man,"), (2.2, 2.4, "my"), (2.4, 2.6, "meal.")]


def test_a_call_whose_roles_are_in_doubt_is_held_for_review_not_failed(tmp_path: Path) -> None:
    """The agent's script on the "customer" channel and nothing on the other: the content
    leans towards a swap, but not on both sides. The call is transcribed and scored with the
    map kept, held for a person's look with the reason; it is not a failed input, so the
    batch (`qa score`, `qa transcribe`: exit 1 only with failures) exits 0 and names it on
    a REVIEW line."""
    from qa.matching import Matcher
    from qa.scorecard.load import load_scorecard
    from qa.scoring import score_paths
    from qa.voice.roles import DOUBTFUL
    from tests.conftest import ROOT

    folder = tmp_path / "calls"
    folder.mkdir()
    stereo_file(folder / "lean.wav", left=0.2, right=0.6)
    stereo_file(folder / "good.wav", left=0.5, right=0.3)
    store = Store(tmp_path / "qa.db")
    fake = FakeTranscriber({2: MISHEARD, 6: AGENT_WORDS, 5: AGENT_WORDS, 3: CUSTOMER_WORDS})
    card = load_scorecard(ROOT / "scorecards" / "inbound_service.yaml")
    report = score_paths(
        [folder], store, Config(), card, Matcher(), voice=VoiceSettings(), transcriber=fake
    )
    assert report.failures == [] and report.scored == 2
    assert [(Path(r.source).name, r.reason) for r in report.reviews] == [("lean.wav", DOUBTFUL)]
    assert report.as_dict()["transcription"]["held_for_review"] == 1
    assert report.as_dict()["transcription"]["reviews"][0]["reason"] == DOUBTFUL
    items = {Path(i.source).name: i for i in store.load_interactions()}
    assert items["lean.wav"].status == "review" and items["lean.wav"].error == DOUBTFUL
    assert items["lean.wav"].metadata["voice"]["roles_swapped"] is False
    assert items["good.wav"].status == "transcribed"
    assert store.conn.execute("SELECT count(*) FROM failures").fetchone()[0] == 0
