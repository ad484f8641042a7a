"""The shapes that journey building and the journey checks share.

`Contact` is one stored interaction as the journey code sees it (an email thread is one
contact); `Journey` is one customer's contacts about one matter, in time order;
`JourneyFlag` is a finding between two contacts of a journey.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from qa.vocabulary import Severity

Initiator = Literal["customer", "agent"]


@dataclass(frozen=True)
class Turn:
    idx: int
    role: str  # "agent" | "customer" | "system" | "" (unknown)
    text: str
    start: float | None = None  # seconds from the contact's start (calls); None for text
    meta: dict[str, Any] = field(default_factory=dict)  # e.g. an email message's message_id, date


@dataclass(frozen=True)
class Contact:
    interaction_id: str
    source: str
    channel: str  # "call" | "chat" | "email"
    started_at: datetime  # timezone-aware
    agent_id: str | None
    team: str | None
    direction: str | None  # "inbound" | "outbound"
    initiated_by: Initiator
    turns: tuple[Turn, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)  # manifest fields, survey, phone ...
    work_type: str | None = None  # from routing, when routed
    outcome: str | None = None  # "resolved" | "unresolved" | "complaint" | None (unknown)


@dataclass
class Journey:
    id: str
    customer: str | None  # customer id, "email:ADDR", "case:ID", or None (unlinked)
    contacts: list[Contact]  # time order
    reason: str | None = None  # the contact reason that holds the journey together
    linked_by: list[str] = field(
        default_factory=list
    )  # explanations, e.g. "case_id C-1 joins a, b"


@dataclass(frozen=True)
class JourneyFlag:
    kind: str  # "journey_inconsistency" | "broken_promise" | "open_promise" | "repeat_contact" ...
    journey_id: str
    interaction_id: str  # the contact the flag is raised on
    other_interaction_id: str | None  # the other contact of the pair, if any
    message: str
    severity: str = Severity.MEDIUM
    quote: str = ""
    turn: int | None = None
    other_quote: str = ""
    other_turn: int | None = None
    details: dict[str, Any] = field(default_factory=dict)  # fact, values, due, right, ...
