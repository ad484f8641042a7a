"""The records every stage passes along. One shape for voice, chat and email."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from qa.vocabulary import CHANNELS, Channel, FlagStatus, Status

__all__ = ["CHANNELS", "Channel"]
Role = Literal["agent", "customer", "system"]
ROLES: tuple[str, ...] = ("agent", "customer", "system")


@dataclass
class Word:
    start: float
    end: float
    word: str
    # How sure the recogniser (or the vendor's) was of the word, 0..1; None when not given.
    probability: float | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "word": self.word}
        if self.probability is not None:
            out["probability"] = self.probability
        return out


@dataclass
class Turn:
    role: str
    text: str
    start: float = 0.0
    end: float = 0.0
    speaker: str | None = None
    words: list[Word] = field(default_factory=list)
    # The untouched text (an email before quote and signature stripping).
    original: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Agent:
    id: str
    name: str | None = None
    team: str | None = None


@dataclass
class Interaction:
    id: str
    channel: str
    source: str
    agent: Agent | None = None
    turns: list[Turn] = field(default_factory=list)
    started_at: str | None = None
    duration: float | None = None
    language: str | None = None
    direction: str | None = None
    customer_id: str | None = None
    case_id: str | None = None
    campaign: str | None = None
    # What kind of contact routing decided it is (qa/routing); None when never routed.
    work_type: str | None = None
    status: str = Status.INGESTED
    error: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    # A digest of what scoring reads (turns, agent, channel, direction, campaign), set by the
    # store when the turns are written; an evaluation keeps the digest it was made on.
    content: str | None = None


@dataclass
class Evidence:
    turn: int | None
    role: str | None
    start: float | None
    end: float | None
    quote: str
    # How sure the recogniser was of the quoted words (mean word probability); calls only.
    asr_confidence: float | None = None
    # Who read the quote as saying the phrase, where Chinese semantic matching asks more than
    # one reader: the text model's name, the character n-grams' or "fuzzy" (near-verbatim).
    reader: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "turn": self.turn,
            "role": self.role,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
        }
        if self.asr_confidence is not None:
            out["asr_confidence"] = self.asr_confidence
        if self.reader is not None:
            out["reader"] = self.reader
        return out


@dataclass
class CriterionResult:
    id: str
    section: str
    type: str
    result: Literal["pass", "fail", "na"]  # or Status.REVIEW, set by qa.voice.confidence
    points: float
    max_points: float
    confidence: float
    evidence: list[Evidence] = field(default_factory=list)
    note: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class Evaluation:
    scorecard_name: str
    scorecard_hash: str
    total: float
    max: float
    percent: float
    auto_fail: bool
    passed: bool = False
    criteria: list[CriterionResult] = field(default_factory=list)


@dataclass
class Flag:
    kind: str
    severity: str
    campaign: str | None
    fact: str | None
    message: str
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 1.0  # how sure the checker is, 0-1
    # FlagStatus.REVIEW when the checker is unsure, or its words were heard with low confidence
    status: str = FlagStatus.OPEN
    # The evidence span as first heard and as decoded again before flagging (calls only).
    readings: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Failure:
    """One input that could not be processed, and why."""

    source: str
    stage: str
    reason: str
    file_hash: str | None = None
