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


# A site's additions from qa.yaml (``packs: {zh: {criteria: {churn: [...]}}}``), by
# (language, area): list name -> entries added after the shipped ones.
_site: dict[tuple[str, str], dict[str, list[str]]] = {}


def set_site_extensions(extensions: dict[str, dict[str, dict[str, list[str]]]] | None) -> None:
    """Install a site's additions (replacing earlier ones); checked by `check_extensions`."""
    _site.clear()
    for lang, areas in (extensions or {}).items():
        for area, named in areas.items():
            _site[(lang, area)] = {name: list(entries) for name, entries in named.items()}
    lists.cache_clear()


def check_extensions(extensions: dict[str, dict[str, dict[str, list[str]]]]) -> list[str]:
    """Problems with a site's additions, each as 'lang.area.list: why'; empty when sound."""
    problems = []
    for lang, areas in extensions.items():
        for area, named in areas.items():
            try:
                shipped = load(lang, area)
            except NoLanguagePack as exc:
                problems.append(f"{lang}.{area}: {exc}")
                continue
            for name, entries in named.items():
                if name not in shipped or not isinstance(shipped[name], list):
                    known = ", ".join(k for k, v in shipped.items() if isinstance(v, list))
                    problems.append(f"{lang}.{area}.{name}: no such list (lists: {known})")
                for i, entry in enumerate(entries):
                    if not isinstance(entry, str) or not entry.strip():
                        problems.append(f"{lang}.{area}.{name}[{i}]: an entry needs words")
                    elif name == "english_terms" and not _a_term(entry):
                        problems.append(
                            f"{lang}.{area}.{name}[{i}]: {entry!r} is not 'english words = 中文'"
                        )
    return problems


def _a_term(entry: str) -> bool:
    """An `english_terms` entry: English words, '=', the words in the pack's language."""
    english, sep, translated = entry.partition("=")
    return bool(sep and english.strip() and english.isascii() and translated.strip())


@cache
def lists(lang: str, area: str) -> dict[str, Any]:
    """The shipped lists of a pack with the site's additions."""
    data = dict(load(lang, area))
    for name, extra in _site.get((lang, area), {}).items():
        data[name] = list(dict.fromkeys([*data.get(name, []), *extra]))
    return data


def has_pack(lang: str, area: str = "criteria") -> bool:
    return (PACKS_DIR / lang / f"{area}.yaml").is_file()


def digest() -> str:
    """What the packs say, shipped and site, as one digest: it decides results."""
    import hashlib
    import json

    h = hashlib.sha256()
    for path in sorted(PACKS_DIR.glob("*/*.yaml")):
        h.update(path.relative_to(PACKS_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    h.update(json.dumps(sorted((f"{k[0]}.{k[1]}", v) for k, v in _site.items())).encode())
    return h.hexdigest()[:16]
