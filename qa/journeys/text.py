"""Sentences and moments of a journey's contacts, as the journey checks read them.

An email thread is one contact whose turns are messages sent at different times, so the checks
work on *moments*: a call or chat is one moment at its start, a thread gives one moment per
message. Each moment knows who started it and when.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from qa.journeys.model import Contact, Journey, Turn
from qa.timeutil import parse_timestamp
from qa.vocabulary import Channel

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(]?[A-Z0-9£$€])")
_WRAP_WIDTH = 55  # an email line at least this long that ends mid-sentence was hard-wrapped


@dataclass(frozen=True)
class Sentence:
    contact: Contact
    turn: Turn
    text: str  # white space collapsed: a substring of the turn's collapsed text
    at: datetime  # when it was said or sent


@dataclass(frozen=True)
class Moment:
    contact: Contact
    turns: tuple[Turn, ...]
    at: datetime
    by: str  # "customer" | "agent"

    @property
    def turn(self) -> int | None:
        return self.turns[0].idx if len(self.turns) == 1 else None


def collapse(text: str) -> str:
    return " ".join(text.split())


def contact_zone(contact: Contact) -> tzinfo | None:
    name = contact.metadata.get("timezone") or contact.metadata.get("time_zone")
    if isinstance(name, str) and name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return contact.started_at.tzinfo


def turn_time(contact: Contact, turn: Turn) -> datetime:
    """When a turn was said (calls, chats) or sent (an email message), in the contact's zone."""
    at = contact.started_at
    stamp = turn.meta.get("date") if turn.meta else None
    if isinstance(stamp, str) and stamp:
        parsed = parse_timestamp(stamp)
        if isinstance(parsed, datetime):
            at = parsed if parsed.tzinfo else parsed.replace(tzinfo=contact.started_at.tzinfo)
    elif turn.start is not None:
        # Offsets count from the first turn: a transcript's clock times ("[10:20:59]") are
        # read as seconds since midnight, and the contact starts at its first turn.
        first = min((t.start for t in contact.turns if t.start is not None), default=0.0)
        at = contact.started_at + timedelta(seconds=float(turn.start) - float(first or 0.0))
    zone = contact_zone(contact)
    return at.astimezone(zone) if zone is not None else at


def _lines_to_paragraph_text(text: str) -> str:
    """Join hard-wrapped email lines; keep short lines ("Expected delivery: Friday") apart."""
    out: list[str] = []
    previous = ""
    for line in text.splitlines():
        stripped = line.strip()
        wrapped = len(previous) >= _WRAP_WIDTH and bool(stripped)
        previous = stripped
        if out and wrapped and not out[-1].endswith((".", "!", "?", ":")):
            out[-1] += " " + stripped
            continue
        out.append(stripped)
    return "\n".join(out)


def split_sentences(text: str) -> list[str]:
    parts: list[str] = []
    for para in _lines_to_paragraph_text(text).split("\n"):
        for piece in _SENTENCE_END.split(para):
            piece = collapse(piece)
            if piece:
                parts.append(piece)
    return parts


def sentences(
    contact: Contact, role: str | None = None, keep: Callable[[Turn], bool] | None = None
) -> Iterator[Sentence]:
    """The contact's sentences (of one role's turns), turn by turn. `keep` passes over a
    turn before it is split: a check gives a cheap cue test here, so only turns that can
    hold what it looks for are split and timed."""
    for turn in contact.turns:
        if role is not None and turn.role != role:
            continue
        if keep is not None and not keep(turn):
            continue
        at = turn_time(contact, turn)
        for s in split_sentences(turn.text):
            yield Sentence(contact, turn, s, at)


def may_hold(rx: re.Pattern[str], text: str) -> bool:
    """Whether `rx` can match in some sentence (or clause) of `text`: each sentence is a run
    of the text's words with single spaces, bounded by white space or punctuation, so a
    pattern that matches within one also matches the text with its white space collapsed.
    Patterns must look no further than word boundaries past their match."""
    return rx.search(collapse(text)) is not None


def is_thread(contact: Contact) -> bool:
    return contact.channel == Channel.EMAIL and any(t.meta.get("date") for t in contact.turns)


def moments(journey: Journey) -> list[Moment]:
    """The journey's contacts as moments in time order (a thread's messages one by one)."""
    out: list[Moment] = []
    for c in journey.contacts:
        if is_thread(c):
            for t in c.turns:
                by = "agent" if t.role == "agent" else "customer"
                out.append(Moment(c, (t,), turn_time(c, t), by))
        else:
            out.append(Moment(c, c.turns, turn_time_start(c), c.initiated_by))
    return sorted(out, key=lambda m: m.at)


def turn_time_start(contact: Contact) -> datetime:
    zone = contact_zone(contact)
    return contact.started_at.astimezone(zone) if zone else contact.started_at
