"""How a contact ended: ``resolved``, ``unresolved`` or ``complaint``.

Read from what the contact shows, in this order:

1. **Metadata wins.** A manifest column ``outcome`` (or ``resolution``) with one of the three
   values, or ``resolved`` yes/no, decides.
2. **Complaint.** The customer asks for a complaint to be raised, or the agent says one is
   logged or passed to a complaints team.
3. **Unresolved.** The agent leaves something pending: cannot do it here, refers or passes it
   on, escalates, raises a ticket or a dispute, books an engineer, promises a call back or
   a result later, asks the customer to try again or send something; or the customer ends
   dissatisfied or says they will come back another way.
4. **Resolved** otherwise: the agent did what was asked ("I've updated…", "that's done"), or
   nothing was left open.

An email thread is read whole: a customer message after an agent's reply that chases
("still", "no reply", "chasing") makes it unresolved.

The cues are kinds of phrasing, matched on whole words, lower case; they are this module's
data. `evidence` names the turn and the cue that decided, for the journey page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.journeys.model import Turn

RESOLVED = "resolved"
UNRESOLVED = "unresolved"
COMPLAINT = "complaint"
OUTCOMES = (RESOLVED, UNRESOLVED, COMPLAINT)


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE)


_COMPLAINT_AGENT = _rx(
    r"(?:logged|log|raised|raise|registered|recorded|opened|record)\s+(?:your|a|it as a|this as a|"
    r"that as a|the)\s+(?:formal\s+)?complaint",
    r"complaints?\s+(?:team|department|reference|ref)",
)
_COMPLAINT_CUSTOMER = _rx(
    r"(?:make|making|raise|file|lodge|log|logged as)\s+a\s+(?:formal\s+)?complaint",
    r"i\s+want\s+(?:to\s+complain|this\s+logged|a\s+complaint)",
    r"i(?:'d| would)\s+like\s+to\s+complain",
    r"ombudsman",
)
_PENDING_AGENT = _rx(
    r"(?:i|we)\s+(?:can't|cannot|can not|am not able to|'m not able to|'m unable to|am unable to)"
    r"\s+\w+",
    r"(?:refer|referred|pass|passed|escalate|escalated|forward|forwarded)\s+(?:it|this|that|"
    r"your\s+\w+|the\s+\w+)?\s*(?:on\s+)?to\s+(?:our|the|a)\b",
    r"(?:i've|i have|we've|i)\s+(?:raised|logged|opened)\s+(?:a|an)\s+(?:ticket|dispute|"
    r"billing dispute|investigation|request|query|case|fault)",
    r"escalated",
    r"(?:will|'ll)\s+(?:review|investigate|look into|be in touch|get back to you|call you back|"
    r"ring you|call you|contact you|email you|let you know)",
    r"(?:try|call|ring)\s+(?:again|back)\s+(?:later|tomorrow|after|on|in|next)",
    r"over to the\s+\w+\s+team",
    r"(?:an?|the)\s+engineer\s+will",
    r"once\s+(?:the|we|it|that|you|they)\b[^.?!]{0,80}(?:will|'ll|can)",
    r"in the meantime",
    r"(?:on\s+hold|held|paused)\s+until",
    r"i've requested",
    r"(?:email|send|upload)\s+(?:us\s+)?(?:a\s+photo|a\s+copy|the\s+statement|proof|it)",
)
_DISSATISFIED_CUSTOMER = _rx(
    r"useless",
    r"unbelievable",
    r"a joke",
    r"not happy",
    r"i(?:'ll| will|ll)\s+(?:ring|call|write|email|try)\s+(?:later|back|again|to you|another)",
    r"i(?:'ll| will)\s+think about it",
    r"so i just wait",
    r"so what do i do",
    r"still\s+(?:not|no|waiting|hasn't|haven't|isn't|doesn't)",
    r"ugh",
)
_CHASE = _rx(
    r"still\s+(?:not|no|waiting|hasn't|haven't|nothing)",
    r"no\s+(?:reply|response|answer)",
    r"chasing",
    r"heard nothing",
    r"not\s+(?:yet\s+)?(?:arrived|received|heard)",
)


@dataclass(frozen=True)
class Outcome:
    value: str  # one of OUTCOMES
    turn: int | None = None
    cue: str = ""
    source: str = "text"  # "metadata" | "text" | "default"


def from_metadata(meta: dict[str, object]) -> str | None:
    for key in ("outcome", "resolution"):
        value = meta.get(key)
        if isinstance(value, str) and value.strip().lower() in OUTCOMES:
            return value.strip().lower()
    value = meta.get("resolved")
    if isinstance(value, bool):
        return RESOLVED if value else UNRESOLVED
    if isinstance(value, str) and value.strip().lower() in ("yes", "no", "true", "false"):
        return RESOLVED if value.strip().lower() in ("yes", "true") else UNRESOLVED
    return None


def detect(turns: Sequence[Turn], metadata: dict[str, object] | None = None) -> Outcome:
    """The contact's outcome and the turn that decided it (rules in the module's text)."""
    given = from_metadata(metadata or {})
    if given:
        return Outcome(given, source="metadata")
    for t in turns:
        rx = _COMPLAINT_AGENT if t.role == "agent" else _COMPLAINT_CUSTOMER
        m = rx.search(t.text)
        if m:
            return Outcome(COMPLAINT, t.idx, m.group(0))
    agent_seen = False
    for t in turns:
        if t.role == "agent":
            agent_seen = True
            m = _PENDING_AGENT.search(t.text)
            if m:
                return Outcome(UNRESOLVED, t.idx, m.group(0))
        elif t.role == "customer" and agent_seen:
            rx = _CHASE if _is_message(t) else _DISSATISFIED_CUSTOMER
            m = rx.search(t.text)
            if m:
                return Outcome(UNRESOLVED, t.idx, m.group(0))
    return Outcome(RESOLVED, source="default")


def _is_message(turn: Turn) -> bool:
    return bool(turn.meta.get("message_id"))
