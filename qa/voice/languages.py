"""Which speech model hears which language: the settings behind `--model auto`.

Light on purpose (no numpy, no model library): qa.config reads it at every start."""

from __future__ import annotations

from qa.vocabulary import AUTO_MODEL

AUTO = AUTO_MODEL  # the model per language: detect the call's language, then pick its model
DEFAULT_LANGUAGE_KEY = "default"  # the models entry for every language without its own
# `tiny.en` for English (fast, measured on the English calls), multilingual `base` for the rest.
DEFAULT_MODELS: dict[str, str] = {DEFAULT_LANGUAGE_KEY: "base", "en": "tiny.en"}
# Detection at least this sure picks the language's own model; less sure calls go to the
# default (multilingual) model, which then decides the language itself.
LANGUAGE_MIN_PROBABILITY = 0.5


def english_only(model: str) -> bool:
    """Whisper's English-only models are named *.en (registry names, hub names, folders)."""
    return model.rstrip("/").endswith(".en")


def check_models(models: dict[str, str]) -> dict[str, str]:
    """A `voice.models` table that never sends a call in another language to an English-only
    model; ValueError with the reason otherwise."""
    if DEFAULT_LANGUAGE_KEY not in models:
        raise ValueError("needs a `default` entry: the model for every other language")
    for language, model in models.items():
        if not model.strip():
            raise ValueError(f"{language}: empty model name")
        if english_only(model) and language != "en":
            raise ValueError(
                f"{language}: {model!r} is English-only; use a multilingual model (base) "
                "so that no call in another language goes through it"
            )
    return models
