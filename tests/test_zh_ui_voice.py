"""`--model auto`: each call's language detected on the multilingual model, then the model
configured for it; a Chinese call never reaches an English-only model. Fast tests with a
stand-in for faster-whisper's model (the real one runs in tests/test_zh_ui_speech.py)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

import qa.voice.asr as asr
from qa.config import Config, load_config
from qa.errors import InputError, QAError
from qa.ingest.batch import ingest
from qa.store import Store
from qa.voice.asr import AsrSettings, WhisperTranscriber
from qa.voice.batch import transcribe_pending, voice_settings
from qa.voice.pipeline import VoiceSettings, join_words, result_from_json, result_to_json
from tests.test_voice_unit import stereo_file

SR = asr.SAMPLE_RATE


class FakeWhisper:
    """faster-whisper's WhisperModel as qa uses it: detect_language and transcribe."""

    def __init__(self, name: str, heard: dict[str, tuple[str, float]], log: list[Any]):
        self.name, self.heard, self.log = name, heard, log
        self.model = SimpleNamespace(is_multilingual=not name.endswith(".en"))

    def _level(self, audio: np.ndarray) -> str:
        return "loud" if float(np.abs(audio).max()) > 0.5 else "quiet"

    def detect_language(self, audio: np.ndarray, **kw: Any) -> tuple[str, float, list[Any]]:
        self.log.append(("detect", self.name, len(audio) / SR))
        language, p = self.heard[self._level(audio)]
        return language, p, [(language, p)]

    def transcribe(self, audio: np.ndarray, language: str | None = None, **kw: Any) -> Any:
        self.log.append(("transcribe", self.name, language))
        said = {"zh": ["您", "好", "，", "我", "是", "小", "李"], "en": ["Hello", "there"]}
        heard = language or self.heard[self._level(audio)][0]
        at = 0.0 if self._level(audio) == "loud" else 2.0  # the quiet side answers later
        words = [
            SimpleNamespace(start=at + 0.1 * i, end=at + 0.1 * i + 0.1, word=w, probability=0.9)
            for i, w in enumerate(said.get(heard, ["?"]))
        ]
        seg = SimpleNamespace(start=0.0, end=1.0, avg_logprob=-0.2, no_speech_prob=0.1, words=words)
        return iter([seg]), SimpleNamespace(language=heard)


@pytest.fixture
def whisper(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Stands in for the model loader; `.heard` says what detection hears, per loudness."""
    state = SimpleNamespace(log=[], heard={"loud": ("zh", 0.97), "quiet": ("zh", 0.97)})

    def load(ref: str, compute_type: str, threads: int) -> FakeWhisper:
        return FakeWhisper(Path(ref).name if "/" in ref else ref, state.heard, state.log)

    monkeypatch.setattr(asr, "_whisper", load)
    monkeypatch.setattr(asr, "resolve_asr", lambda ref: f"/models/{ref}")
    return state


def plain(**settings: Any) -> AsrSettings:
    """Unbatched: faster-whisper's batched pipeline wraps the real model only."""
    return AsrSettings(batch_size=0, **settings)


def tone(seconds: float, level: float) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    return (level * np.sin(2 * np.pi * 300 * t)).astype(np.float32)


def test_a_chinese_call_goes_to_the_multilingual_model(whisper: Any) -> None:
    result = WhisperTranscriber(plain())(tone(3, 0.9))
    assert result.model == "base" and result.language == "zh"
    assert result.language_probability == pytest.approx(0.97)
    assert ("transcribe", "base", "zh") in whisper.log
    assert not [e for e in whisper.log if e[1] == "tiny.en"]


def test_an_english_call_goes_to_the_english_model(whisper: Any) -> None:
    whisper.heard["loud"] = ("en", 0.99)
    result = WhisperTranscriber(plain())(tone(3, 0.9))
    assert result.model == "tiny.en" and result.language == "en"
    assert whisper.log == [("detect", "base", 3.0), ("transcribe", "tiny.en", "en")]


def test_detection_reads_only_the_head_of_a_long_call(whisper: Any) -> None:
    WhisperTranscriber(plain())(tone(300, 0.9))
    [detect] = [e for e in whisper.log if e[0] == "detect"]
    assert detect[2] == asr.DETECT_WINDOW_S


def test_unsure_detection_leaves_the_language_to_the_default_model(whisper: Any) -> None:
    whisper.heard["loud"] = ("en", 0.4)  # less sure than language_min_probability
    result = WhisperTranscriber(plain())(tone(3, 0.9))
    assert result.model == "base"
    assert ("transcribe", "base", None) in whisper.log
    whisper.log.clear()
    WhisperTranscriber(plain(language_min_probability=0.3))(tone(3, 0.9))
    assert ("transcribe", "tiny.en", "en") in whisper.log


def test_a_given_language_skips_detection(whisper: Any) -> None:
    result = WhisperTranscriber(plain(language="zh"))(tone(3, 0.9))
    assert result.model == "base" and result.language_probability is None
    assert [e[0] for e in whisper.log] == ["transcribe"]


def test_a_fixed_model_is_used_as_given(whisper: Any) -> None:
    result = WhisperTranscriber(plain(model="base"))(tone(3, 0.9))
    assert result.model == "base" and [e[0] for e in whisper.log] == ["transcribe"]


def test_an_english_only_folder_never_hears_another_language(whisper: Any) -> None:
    # a local folder whose name does not say .en: the loaded model says it is English-only
    settings = plain(models=(("default", "base"), ("zh", "/srv/models/mini.en/")))
    with pytest.raises(InputError, match="English-only"):
        WhisperTranscriber(settings)(tone(3, 0.9))
    with pytest.raises(InputError, match="English-only"):
        WhisperTranscriber(plain(model="tiny.en", language="zh"))(tone(3, 0.9))


def test_an_english_only_default_cannot_detect(whisper: Any) -> None:
    settings = plain(models=(("default", "/srv/whisper/tiny.en"),))
    with pytest.raises(InputError, match="can neither detect"):
        WhisperTranscriber(settings)(tone(3, 0.9))


def test_cache_keys_depend_on_the_table_only_with_auto() -> None:
    other = (("default", "base"), ("en", "base"))
    assert AsrSettings().key() != AsrSettings(models=other).key()
    assert AsrSettings(model="base").key() == AsrSettings(model="base", models=other).key()


def test_the_cache_keeps_the_model_and_the_probability() -> None:
    result = asr.AsrResult([], "zh", [], [], "base", 0.93)
    again = result_from_json(result_to_json(result))
    assert (again.model, again.language_probability) == ("base", 0.93)
    old = result_from_json('{"words": [], "language": "en", "speech": []}')
    assert old.model is None and old.language_probability is None


def test_chinese_words_join_without_spaces_english_with() -> None:
    assert join_words(["您", "好", "，", "我", "是", "LeGo", "Plus", "会", "员"]) == (
        "您好，我是LeGo Plus会员"
    )
    assert join_words(["Hello", "there", ",", "Sam"]) == "Hello there, Sam"


def test_the_stored_call_carries_its_language_and_models(whisper: Any, tmp_path: Path) -> None:
    whisper.heard.update(loud=("zh", 0.96), quiet=("zh", 0.88))
    store = Store(tmp_path / "qa.db")
    ingest([stereo_file(tmp_path / "call.wav", 0.9, 0.3)], store, Config())
    report = transcribe_pending(store, VoiceSettings(asr=plain()), WhisperTranscriber(plain()))
    assert len(report.transcribed) == 1, report.failures
    [item] = store.load_interactions(report.transcribed)
    assert item.language == "zh"
    assert item.turns[0].text == "您好，我是小李"
    assert [c["model"] for c in item.metadata["voice"]["asr"]] == ["base", "base"]
    assert not [e for e in whisper.log if e[1] == "tiny.en"]


# -- configuration ----------------------------------------------------------------------


def test_auto_is_the_default_with_tiny_en_for_english_and_base_for_the_rest() -> None:
    settings = voice_settings(Config()).asr
    assert settings.model == "auto"
    assert settings.model_for("en") == "tiny.en"
    assert settings.model_for("zh") == "base" and settings.model_for(None) == "base"


@pytest.mark.parametrize(
    ("models", "problem"),
    [
        ("{en: tiny.en, zh: tiny.en, default: base}", "zh: 'tiny.en' is English-only"),
        ("{en: tiny.en, default: tiny.en}", "default: 'tiny.en' is English-only"),
        ("{en: tiny.en}", "needs a `default` entry"),
        ("{default: base, zh: ''}", "empty model name"),
    ],
)
def test_a_model_table_that_could_send_chinese_to_an_english_model_is_refused(
    tmp_path: Path, models: str, problem: str
) -> None:
    path = tmp_path / "qa.yaml"
    path.write_text(f"voice:\n  model: auto\n  models: {models}\n", encoding="utf-8")
    with pytest.raises(QAError) as info:
        load_config(path)
    assert "qa.yaml:3" in str(info.value) and problem in str(info.value)


def test_language_min_probability_is_a_probability(tmp_path: Path) -> None:
    path = tmp_path / "qa.yaml"
    path.write_text("voice:\n  language_min_probability: 1.5\n", encoding="utf-8")
    with pytest.raises(QAError, match="qa.yaml:2"):
        load_config(path)
