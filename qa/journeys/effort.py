"""Customer effort: how hard the journey was for the customer, from what its contacts show.

The measure (points; 0 is one contact that settled it with nothing asked of the customer):

===========================  =======  ===============================================
what                         points   attributed to
===========================  =======  ===============================================
another customer contact      1.0     that contact (the customer had to come back)
a channel switch              0.5     the contact in the new channel
days open (first to last)     0.1/day the last contact, at most 3.0 (30 days)
a transfer                    0.5     the contact with it (metadata ``transfers`` or the
                                      agent saying "transfer you" / "put you through")
repeating their story         0.5     the contact where the customer says they told it
                                      before ("I already gave", "again", "second time")
chasing                       1.0     the contact that chases ("still waiting", "you said")
===========================  =======  ===============================================

The weights are this module's constants; what each contact added is kept, so a page can say
which contacts made the journey hard. Where the manifest carries a customer effort survey
score (``effort_score`` or ``ces``, 1 = easy … 5 or 7 = hard), :func:`agreement` gives
Spearman's rank correlation between the measure and the scores (and how many journeys).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from qa.journeys.model import Contact, Journey

CONTACT_POINTS = 1.0
SWITCH_POINTS = 0.5
DAY_POINTS = 0.1
DAYS_CAP = 30
TRANSFER_POINTS = 0.5
RETELL_POINTS = 0.5
CHASE_POINTS = 1.0
SURVEY_KEYS = ("effort_score", "ces", "customer_effort")

_TRANSFER = re.compile(r"\b(?:transfer(?:ring)? you|put(?:ting)? you through)\b", re.I)
_RETELL = re.compile(
    r"\b(?:i(?:'ve| have)? already (?:told|gave|given|explained|said|sent)|"
    r"(?:second|third|fourth) time|all (?:that|this) again|told you (?:last|before))\b",
    re.I,
)
_CHASE = re.compile(
    r"\b(?:still (?:waiting|not|no|hasn't|haven't|nothing)|(?:haven't|have not|not) (?:heard|"
    r"received|had)|chasing|you said (?:you|it|they|someone)|was supposed to|was promised|"
    r"nobody (?:called|rang|came))\b",
    re.I,
)


@dataclass
class Effort:
    total: float
    parts: dict[str, dict[str, float]] = field(default_factory=dict)  # contact -> part -> points

    def of(self, interaction_id: str) -> float:
        return round(sum(self.parts.get(interaction_id, {}).values()), 2)


def _customer_text(c: Contact) -> list[tuple[int, str]]:
    return [(t.idx, t.text) for t in c.turns if t.role == "customer"]


def measure(journey: Journey) -> Effort:
    parts: dict[str, dict[str, float]] = {c.interaction_id: {} for c in journey.contacts}
    customer = [c for c in journey.contacts if c.initiated_by == "customer"]
    for c in customer[1:]:
        parts[c.interaction_id]["another contact"] = CONTACT_POINTS
    for prev, c in zip(journey.contacts, journey.contacts[1:], strict=False):
        if c.channel != prev.channel:
            parts[c.interaction_id]["channel switch"] = SWITCH_POINTS
    days = (journey.contacts[-1].started_at - journey.contacts[0].started_at).total_seconds()
    days = min(days / 86400, DAYS_CAP)
    if days > 0:
        parts[journey.contacts[-1].interaction_id]["days open"] = round(days * DAY_POINTS, 2)
    for c in journey.contacts:
        transfers = c.metadata.get("transfers")
        n = int(transfers) if isinstance(transfers, int | float) and transfers > 0 else 0
        n = n or sum(1 for t in c.turns if t.role == "agent" and _TRANSFER.search(t.text))
        if n:
            parts[c.interaction_id]["transfers"] = n * TRANSFER_POINTS
        if c.initiated_by != "customer":
            continue
        said = _customer_text(c)
        if any(_RETELL.search(text) for _, text in said):
            parts[c.interaction_id]["repeating their story"] = RETELL_POINTS
        if c is not journey.contacts[0] and any(_CHASE.search(text) for _, text in said):
            parts[c.interaction_id]["chasing"] = CHASE_POINTS
    total = round(sum(sum(p.values()) for p in parts.values()), 2)
    return Effort(total, {k: v for k, v in parts.items() if v})


def survey_score(journey: Journey) -> float | None:
    """The mean customer effort survey score of the journey's contacts, if any carries one."""
    scores = []
    for c in journey.contacts:
        for key in SURVEY_KEYS:
            value = c.metadata.get(key)
            try:
                scores.append(float(value))  # type: ignore[arg-type]
                break
            except (TypeError, ValueError):
                continue
    return sum(scores) / len(scores) if scores else None


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    if len(xs) < 3:
        return None
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx) ** 0.5
    vy = sum((b - my) ** 2 for b in ry) ** 0.5
    return round(cov / (vx * vy), 3) if vx and vy else None


def agreement(pairs: Sequence[tuple[float, float]]) -> dict[str, object]:
    """How the measure agrees with survey effort scores: Spearman's rho over the journeys
    that carry a survey score (None under 3 journeys or when either side never varies).
    Positive: the measure rises with the customers' own effort score."""
    xs = [p[0] for p in pairs]
    ys = [p[1] for p in pairs]
    return {
        "test": "Spearman's rank correlation",
        "journeys": len(pairs),
        "spearman": spearman(xs, ys),
    }
