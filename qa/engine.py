"""The engine stamp: which version of qa, with which matcher and evaluator settings,
produced an evaluation. It is part of the resume key, so an upgrade that changes
results re-scores, and the change can be reported.

The settings are every module-level constant (NAME or _NAME in capitals: thresholds,
cue lists, patterns) of the modules that decide results, plus the matcher's own
settings. A change of any of them changes the stamp.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import re
from enum import Enum
from typing import Any

from qa import __version__

# The modules whose constants decide results. A package listed here that does not
# exist yet is skipped.
DECIDING_MODULES = (
    "qa.matching",
    "qa.text",
    "qa.language",
    "qa.metrics",
    "qa.scorecard.engine",
    "qa.scorecard.criteria",
    "qa.scorecard.context",
    "qa.campaigns.check",
    "qa.acts",
    "qa.statements.claims",
    "qa.statements.numbers",
    "qa.statements.quantities",
    "qa.voice.confidence",
    "qa.voice.verify",
)
_CONSTANT = re.compile(r"^_?[A-Z][A-Z0-9_]*$")


class _NotPlain(Exception):
    """A constant that is not plain data (a function, a class): not a setting."""


def _plain(value: Any) -> Any:
    """A JSON-able copy of a constant, or _NotPlain."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, re.Pattern):
        return {"pattern": value.pattern, "flags": value.flags}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_plain(v) for v in value), key=repr)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    raise _NotPlain


def module_constants(name: str) -> dict[str, Any]:
    if importlib.util.find_spec(name) is None:
        return {}
    module = importlib.import_module(name)
    out = {}
    for attr, value in sorted(vars(module).items()):
        if _CONSTANT.match(attr):
            try:
                out[attr] = _plain(value)
            except _NotPlain:
                continue
    return out


def engine_settings(matcher_settings: dict[str, Any]) -> dict[str, Any]:
    """Everything that changes results besides the scorecard and the campaign set."""
    return {
        "qa": __version__,
        "matcher": matcher_settings,
        "constants": {name: module_constants(name) for name in DECIDING_MODULES},
        "packs": _packs_digest(),
    }


def _packs_digest() -> str:
    from qa.packs import digest

    return digest()


def engine_stamp(settings: dict[str, Any]) -> str:
    """A short name for the settings: qa's version, then a digest of the rest."""
    digest = hashlib.sha256(
        json.dumps(settings, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()[:12]
    return f"{settings['qa']}+{digest}"
