"""Precision and recall of the campaign checks on a labelled set of statements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from qa.campaigns.check import check_interaction
from qa.campaigns.schema import Campaign
from qa.matching import Matcher
from qa.model import Agent, Interaction, Turn
from qa.vocabulary import FLAG_KINDS, VIOLATION_KINDS

VIOLATIONS = VIOLATION_KINDS


@dataclass
class KindScore:
    kind: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


def case_interaction(case: dict[str, Any]) -> Interaction:
    turns = [
        Turn(role=r, text=t, start=float(i * 5), end=float(i * 5 + 4))
        for i, (r, t) in enumerate(case["turns"])
    ]
    day = (
        case["date"]
        if isinstance(case["date"], dt.date)
        else dt.date.fromisoformat(str(case["date"]))
    )
    return Interaction(
        id=case["id"],
        channel=case["channel"],
        source=case["id"],
        agent=Agent("eval"),
        turns=turns,
        started_at=f"{day.isoformat()}T10:00:00Z",
    )


def evaluate(
    path: Path, campaigns: list[Campaign], matcher: Matcher | None = None
) -> tuple[dict[str, KindScore], list[str], int]:
    cases = yaml.safe_load(path.read_text())["cases"]
    scores: dict[str, KindScore] = {k: KindScore(k) for k in FLAG_KINDS}
    misses = []
    for case in cases:
        judged = set(case.get("kinds", VIOLATIONS))
        got = {
            f.kind for f in check_interaction(case_interaction(case), campaigns, matcher)
        } & judged
        want = set(case["expect"]) & judged
        for k in judged:
            s = scores[k]
            if k in got and k in want:
                s.tp += 1
            elif k in got:
                s.fp += 1
                misses.append(f"{case['id']}: unexpected {k}")
            elif k in want:
                s.fn += 1
                misses.append(f"{case['id']}: missed {k}")
    return scores, misses, len(cases)
