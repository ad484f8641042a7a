"""Files that ship with qa: scorecards (and later templates), found in a checkout or a wheel."""

from __future__ import annotations

import importlib
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent


def shipped_dir(package: str, checkout_dir: str) -> Path:
    """The shipped folder: the checkout's own copy when run from one, else the installed one."""
    local = CHECKOUT / checkout_dir
    if local.is_dir() and (CHECKOUT / "pyproject.toml").exists():
        return local
    # A data folder without __init__.py is a namespace package: take its first path.
    return Path(next(iter(importlib.import_module(package).__path__)))


def scorecards_dir() -> Path:
    return shipped_dir("qa.shipped_scorecards", "scorecards")


def resolve_scorecard(ref: Path) -> Path:
    """A path as given, or the name of a shipped scorecard ('inbound_service')."""
    if ref.exists() or ref.suffix or len(ref.parts) > 1:
        return ref
    shipped = scorecards_dir() / f"{ref.name}.yaml"
    return shipped if shipped.exists() else ref


ROUTING_STEM = "routing"  # scorecards/routing.yaml is the shipped routing file, not a card


def shipped_scorecards() -> list[str]:
    return sorted(p.stem for p in scorecards_dir().glob("*.yaml") if p.stem != ROUTING_STEM)
