"""Read a scorecard file: validate it strictly and key it by the hash of its text."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.errors import ConfigError
from qa.resources import resolve_scorecard, shipped_scorecards
from qa.scorecard.schema import Scorecard
from qa.yamlfile import validate_file


@dataclass(frozen=True)
class LoadedScorecard:
    scorecard: Scorecard
    hash: str
    text: str
    path: Path


def load_scorecard(path: Path) -> LoadedScorecard:
    """Load a scorecard file, or a shipped one by name (`inbound_service`)."""
    path = resolve_scorecard(path)
    if not path.exists():
        raise ConfigError(
            f"no scorecard at {path}: pass the path of a YAML file, or one of the shipped "
            f"cards: {', '.join(shipped_scorecards())}"
        )
    text = path.read_text(encoding="utf-8")
    card = validate_file(path, Scorecard, text)
    _check_language(path, text, card.language)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return LoadedScorecard(card, digest, text, path)


def _check_language(path: Path, text: str, language: str) -> None:
    """A card's language must have a pack: its cues are never silently English ones."""
    from qa.language import base
    from qa.packs import available_languages, has_pack

    if has_pack(base(language), "criteria"):
        return
    line = next(
        (n for n, row in enumerate(text.splitlines(), 1) if re.match(r"^language\s*:", row)), 1
    )
    raise ConfigError(
        f"{path}:{line}: language: no language pack for {language!r} "
        f"(packs: {', '.join(available_languages())}); write the card in one of them"
    )


def json_schema() -> dict[str, Any]:
    schema = Scorecard.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "qa scorecard"
    return schema


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2)
