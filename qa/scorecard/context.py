"""What a criterion sees of one interaction: turns by speaker, windows, questions, matches."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from qa.matching import Hit, Matcher
from qa.metrics import compute_metrics
from qa.model import Evidence, Flag, Interaction
from qa.scorecard.schema import Event, Phrases, Window
from qa.text import question_kind, sentences

QUOTE_MAX = 240


@dataclass
class Outcome:
    """A criterion's verdict before points are attached."""

    result: str  # pass | fail | na
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 0.9
    fraction: float | None = None  # share of the points earned; default 1 for pass, 0 for fail
    note: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Question:
    turn: int
    sentence: str
    kind: str


class Context:
    def __init__(
        self,
        item: Interaction,
        matcher: Matcher,
        metrics: dict[str, Any] | None = None,
        flags: list[Flag] | None = None,
    ):
        self.item = item
        self.flags = flags  # None: no campaigns were checked
        self.turns = item.turns
        self.matcher = matcher
        self._metrics = metrics

    @cached_property
    def metrics(self) -> dict[str, Any]:
        return self._metrics if self._metrics is not None else compute_metrics(self.item)

    @cached_property
    def end_time(self) -> float:
        ends = [max(t.end, t.start) for t in self.turns]
        return max([self.item.duration or 0.0, *ends]) if ends else 0.0

    def of(self, speaker: str) -> list[int]:
        return [i for i, t in enumerate(self.turns) if speaker == "any" or t.role == speaker]

    def window(self, speaker: str, window: Window | None) -> tuple[list[int], float, float]:
        """The speaker's turns inside the window, and the window's span in seconds."""
        idxs = self.of(speaker)
        start, end = 0.0, self.end_time
        if window is None:
            return idxs, start, end
        if window.first_seconds:
            end = window.first_seconds
            idxs = [i for i in idxs if self.turns[i].start < end]
        elif window.last_seconds:
            start = max(0.0, self.end_time - window.last_seconds)
            idxs = [i for i in idxs if max(self.turns[i].end, self.turns[i].start) >= start]
        elif window.first_turns:
            idxs = idxs[: window.first_turns]
            end = max([self.turns[i].end for i in idxs], default=0.0)
        elif window.last_turns:
            idxs = idxs[-window.last_turns :]
            start = min([self.turns[i].start for i in idxs], default=0.0)
        return idxs, start, end

    def texts(self, idxs: list[int]) -> dict[int, str]:
        return {i: self.turns[i].text for i in idxs}

    def find(self, spec: Phrases, idxs: list[int] | None = None) -> list[Hit]:
        idxs = self.of(spec.speaker) if idxs is None else idxs
        return self.matcher.find(self.texts(idxs), spec.phrases, spec.match, spec.threshold)

    def questions(self, speaker: str = "agent", idxs: list[int] | None = None) -> list[Question]:
        out = []
        for i in self.of(speaker) if idxs is None else idxs:
            for sent in sentences(self.turns[i].text):
                kind = question_kind(sent)
                if kind:
                    out.append(Question(i, sent, kind))
        return out

    def event(self, event: Event) -> list[tuple[int, str]]:
        """Where an event happens: (turn, quote), in turn order."""
        found: dict[int, str] = {}
        if event.phrases:
            spec = Phrases(
                phrases=event.phrases,
                match=event.match,
                threshold=event.threshold,
                speaker=event.speaker,
            )
            found.update({h.turn: h.sentence for h in self.find(spec)})
        if event.question:
            for q in self.questions(event.speaker):
                if event.question in ("any", q.kind) and q.turn not in found:
                    found[q.turn] = q.sentence
        return sorted(found.items())

    def evidence(self, turn: int, quote: str | None = None) -> Evidence:
        t = self.turns[turn]
        text = quote if quote is not None else t.text
        return Evidence(turn=turn, role=t.role, start=t.start, end=t.end, quote=_clip(text))

    def window_evidence(
        self, start: float, end: float, note: str, role: str | None = None
    ) -> Evidence:
        """Evidence for something not found: the span that was searched."""
        return Evidence(turn=None, role=role, start=round(start, 2), end=round(end, 2), quote=note)


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_MAX else text[: QUOTE_MAX - 1] + "…"
