"""Language packs: the cue lists that criteria, campaign checks and redaction use, as data.

A pack is a folder per language, ``qa/packs/<lang>/``, with one YAML file per area
(``criteria.yaml``, ``statements.yaml`` …); each file maps a list name to its entries.
``load(lang, area)`` reads one file; a missing language raises `NoLanguagePack`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

PACKS_DIR = Path(__file__).resolve().parent


class NoLanguagePack(LookupError):
    """No pack for a language (or no file for an area of it)."""


def available_languages() -> list[str]:
    return sorted(p.name for p in PACKS_DIR.iterdir() if p.is_dir() and not p.name.startswith("_"))


@cache
def load(lang: str, area: str) -> dict[str, Any]:
    """The `area` lists of language `lang`, e.g. ``load("zh", "criteria")["churn"]``."""
    path = PACKS_DIR / lang / f"{area}.yaml"
    if not path.is_file():
        if not (PACKS_DIR / lang).is_dir():
            raise NoLanguagePack(
                f"no language pack for {lang!r} (packs: {', '.join(available_languages()) or 'none'})"
            )
        raise NoLanguagePack(f"the {lang!r} language pack has no {area!r} lists ({path.name})")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of list names to entries")
    return data
