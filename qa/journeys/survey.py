"""Survey gaming: does an agent offer the satisfaction survey mostly to happy customers?

The unit is an inbound call or chat whose `survey_offered` is known (manifest metadata) and
whose outcome is known (`resolved`, or `unresolved` / `complaint`, which count together as
unresolved). For each agent the 2x2 table resolved/unresolved x offered/not is tested with a
one-sided Fisher's exact test (alternative: offered more often on resolved contacts), and the
agent's gap (offer rate on resolved minus offer rate on unresolved) is set against the same gap
for the rest of the agent's team, pooled. An agent is flagged only when there are enough
contacts on both sides, the test is significant and the gap exceeds the team's by a margin:
every result carries the counts, the test, the p-value and both gaps, never a bare verdict.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from math import comb
from typing import Any

from qa.journeys.model import Contact
from qa.vocabulary import Channel, Direction

MIN_EACH = 5  # resolved and unresolved contacts an agent needs to be tested at all (1-100)
ALPHA = 0.05  # one-sided p below which the offer pattern is significant (0-1)
MIN_GAP = 0.30  # how far the agent's gap must exceed the rest of the team's to flag (0-1)
# The survey's lowest and highest score, to put it on qa's 0-1 scale; None reads it from the
# scores: 1-5 when all lie there, else 0-10 (the range the manifest accepts).
SURVEY_SCALE: tuple[float, float] | None = None

TEST_NAME = "one-sided Fisher's exact"
_YES = {"yes", "y", "true", "1", "offered"}
_NO = {"no", "n", "false", "0", "not offered"}
_UNRESOLVED = {"unresolved", "complaint"}
_SURVEY_CHANNELS = {"call", Channel.VOICE, Channel.CHAT}  # the journey shapes say "call"


def fisher_one_sided(a: int, b: int, c: int, d: int) -> float:
    """P(top-left cell >= a) for the 2x2 table [[a, b], [c, d]] with its margins fixed.

    The hypergeometric tail: the same as scipy.stats.fisher_exact(..., alternative="greater").
    """
    if min(a, b, c, d) < 0:
        raise ValueError(f"a 2x2 table holds counts, not {[a, b, c, d]}")
    row1, col1, n = a + b, a + c, a + b + c + d
    if n == 0:
        return 1.0
    total = comb(n, col1)
    top = min(row1, col1)
    tail = sum(comb(row1, k) * comb(n - row1, col1 - k) for k in range(a, top + 1))
    return min(1.0, tail / total)


def offered(value: object) -> bool | None:
    """The manifest's survey_offered as a bool; None when blank or not a yes/no."""
    if isinstance(value, bool):
        return value
    if value is None:
        return None
    text = str(value).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


def _offered_or_transferred(metadata: Mapping[str, Any]) -> bool | None:
    """A transfer to the survey line counts as an offer."""
    was_offered = offered(metadata.get("survey_offered"))
    transfer = offered(metadata.get("survey_transfer"))
    if transfer:
        return True
    if was_offered is None and transfer is False:
        return False
    return was_offered


def _in_unit(c: Contact) -> bool:
    if c.channel not in _SURVEY_CHANNELS:
        return False
    if c.direction is not None:
        return c.direction == Direction.INBOUND
    return c.initiated_by == "customer"


@dataclass
class _Table:
    resolved_offered: int = 0
    resolved: int = 0
    unresolved_offered: int = 0
    unresolved: int = 0

    def add(self, is_resolved: bool, was_offered: bool) -> None:
        if is_resolved:
            self.resolved += 1
            self.resolved_offered += was_offered
        else:
            self.unresolved += 1
            self.unresolved_offered += was_offered

    def __iadd__(self, other: _Table) -> _Table:
        self.resolved_offered += other.resolved_offered
        self.resolved += other.resolved
        self.unresolved_offered += other.unresolved_offered
        self.unresolved += other.unresolved
        return self

    def gap(self) -> float | None:
        if not self.resolved or not self.unresolved:
            return None
        return self.resolved_offered / self.resolved - self.unresolved_offered / self.unresolved


def _r(x: float | None, places: int = 4) -> float | None:
    return None if x is None else round(x, places)


def survey_gaming(
    contacts: Iterable[Contact],
    min_each: int = MIN_EACH,
    alpha: float = ALPHA,
    min_gap: float = MIN_GAP,
    qa_scores: Mapping[str, float] | None = None,
    survey_scale: tuple[float, float] | None = SURVEY_SCALE,
) -> dict[str, dict[str, Any]]:
    """Per agent: the offer table, the test, and whether the pattern is flagged.

    `qa_scores` maps interaction ids to qa's own score on a 0-1 scale (or 0-100, read as
    percent); when given, each agent also gets the gap between its survey scores (put on the
    same scale through `survey_scale`) and qa's scores on the contacts that have both.
    """
    if min_each < 1:
        raise ValueError(f"min_each must be at least 1, not {min_each}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, not {alpha}")
    if not 0 <= min_gap <= 1:
        raise ValueError(f"min_gap must be between 0 and 1, not {min_gap}")
    tables: dict[str, _Table] = defaultdict(_Table)
    complaints: dict[str, _Table] = defaultdict(_Table)
    teams: dict[str, str | None] = {}
    skipped: dict[str, int] = defaultdict(int)
    scored: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for c in contacts:
        if c.agent_id is None or not _in_unit(c):
            continue
        was_offered = _offered_or_transferred(c.metadata)
        if was_offered is None:
            continue
        teams.setdefault(c.agent_id, c.team)
        if c.outcome is None:
            skipped[c.agent_id] += 1
        else:
            tables[c.agent_id].add(c.outcome not in _UNRESOLVED, was_offered)
            complaints[c.agent_id].add(c.outcome != "complaint", was_offered)
        pair = _score_pair(c, qa_scores)
        if pair is not None:
            scored[c.agent_id].append(pair)
    scale = survey_scale or _scale_of([s for pairs in scored.values() for s, _ in pairs])
    out: dict[str, dict[str, Any]] = {}
    for agent, team in sorted(teams.items()):
        rest = _Table()
        for other, t in tables.items():
            if other != agent and teams.get(other) == team:
                rest += t
        result = _verdict(tables[agent], rest, min_each, alpha, min_gap)
        result["team"] = team
        result["outcome_unknown"] = skipped[agent]
        cmp = complaints[agent]
        result["complaint"] = {
            "offered": [cmp.unresolved_offered, cmp.unresolved],
            "no_complaint_offered": [cmp.resolved_offered, cmp.resolved],
        }
        if qa_scores is not None:
            result["survey_vs_qa"] = _score_gap(scored[agent], scale)
        out[agent] = result
    return out


def _verdict(
    t: _Table, rest: _Table, min_each: int, alpha: float, min_gap: float
) -> dict[str, Any]:
    gap, rest_gap = t.gap(), rest.gap()
    result: dict[str, Any] = {
        "flag": False,
        "resolved": [t.resolved_offered, t.resolved],
        "unresolved": [t.unresolved_offered, t.unresolved],
        "test": TEST_NAME,
        "alternative": "offered more often on resolved contacts",
        "tested": False,
        "p_one_sided": None,
        "gap": _r(gap),
        "rest_of_team": {
            "resolved": [rest.resolved_offered, rest.resolved],
            "unresolved": [rest.unresolved_offered, rest.unresolved],
            "gap": _r(rest_gap),
        },
        "thresholds": {"min_each": min_each, "alpha": alpha, "min_gap": min_gap},
    }
    if t.resolved < min_each or t.unresolved < min_each:
        result["reason"] = (
            f"not tested: {t.resolved} resolved and {t.unresolved} unresolved contacts "
            f"with a survey answer, fewer than {min_each} of each"
        )
        return result
    p = fisher_one_sided(
        t.resolved_offered,
        t.resolved - t.resolved_offered,
        t.unresolved_offered,
        t.unresolved - t.unresolved_offered,
    )
    result["tested"] = True
    result["p_one_sided"] = _r(p, 6)
    assert gap is not None  # both sides counted above
    if p >= alpha:
        result["reason"] = f"not flagged: p = {p:.3g} is not below {alpha}"
    elif rest_gap is None:
        result["reason"] = (
            "not flagged: the rest of the team has no resolved or no unresolved contacts "
            "with a survey answer to compare with"
        )
    elif gap - rest_gap < min_gap:
        result["reason"] = (
            f"not flagged: the gap {gap:.2f} exceeds the rest of the team's {rest_gap:.2f} "
            f"by {gap - rest_gap:.2f}, less than {min_gap}"
        )
    else:
        result["flag"] = True
        result["reason"] = (
            f"offered the survey on {t.resolved_offered} of {t.resolved} resolved contacts and "
            f"{t.unresolved_offered} of {t.unresolved} unresolved ones (gap {gap:.2f}, rest of "
            f"team {rest_gap:.2f}); {TEST_NAME} test p = {p:.3g}: a pattern to review with "
            "the agent, not proof of intent"
        )
    return result


def _scale_of(scores: list[float]) -> tuple[float, float]:
    return (1.0, 5.0) if all(1 <= s <= 5 for s in scores) else (0.0, 10.0)


def _score_pair(c: Contact, qa_scores: Mapping[str, float] | None) -> tuple[float, float] | None:
    """(raw survey score, qa score as a fraction) for a contact that has both."""
    if qa_scores is None or c.interaction_id not in qa_scores:
        return None
    raw = c.metadata.get("survey_score")
    if raw is None or raw == "":
        return None
    try:
        survey = float(raw)
    except (TypeError, ValueError):
        return None
    qa = float(qa_scores[c.interaction_id])
    return survey, qa / 100 if qa > 1 else qa


def _score_gap(raw: list[tuple[float, float]], scale: tuple[float, float]) -> dict[str, Any]:
    low, high = scale
    pairs = [((s - low) / (high - low), q) for s, q in raw if high > low and low <= s <= high]
    if not pairs:
        return {"contacts": 0, "survey_mean": None, "qa_mean": None, "gap": None}
    survey = sum(s for s, _ in pairs) / len(pairs)
    qa = sum(q for _, q in pairs) / len(pairs)
    return {
        "contacts": len(pairs),
        "survey_mean": _r(survey),
        "qa_mean": _r(qa),
        "gap": _r(survey - qa),
        "scale": f"0-1 (survey rescaled from {low:g}-{high:g}; qa score as a fraction)",
    }
