"""What routing decided about one interaction: work type, direction and contact reason.

Each of the three carries a confidence and its source (``metadata``, ``detected`` or ``default``),
and the decision keeps the turns that support it, so that ``qa route`` can explain itself.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from qa.vocabulary import RoutingSource

# The three decided attributes, in the order show, export and the store keep them.
DECIDED = ("work_type", "direction", "contact_reason")


@dataclass(frozen=True)
class Decided:
    """One decided attribute: its value, how sure, and where it came from."""

    value: str
    confidence: float
    source: RoutingSource


@dataclass(frozen=True)
class Clue:
    """A turn that supports a decision, and what it supports."""

    turn: int
    role: str
    quote: str
    supports: str  # e.g. "work_type=retention" or "direction=outbound"
    score: float


@dataclass
class WorkTypeDecision:
    work_type: Decided
    direction: Decided
    contact_reason: Decided
    evidence: list[Clue] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for name in DECIDED:
            out[name]["source"] = str(out[name]["source"])
        return out
