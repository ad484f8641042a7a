"""Promises: an agent's commitment with a due time, and whether the journey shows it kept.

A promise is an agent sentence that commits to an action (call or ring back, send or email,
pay, refund or credit, deliver, redo or fix) and names a due time ("tomorrow afternoon",
"within 5 working days", "by Thursday 19 March"). Commitments without a due time ("they'll be
in touch") are not promises, and neither are booked visits or go-live dates: those are facts.

Each promise is then read against the rest of the journey:
- **kept** when a later moment by the due time shows it done (our own callback or email, or
  a sentence saying it was sent, paid, delivered ...), or a later sentence dates the deed on
  or before the due day; also when the customer chases only before the due time;
- **broken** when not kept and a customer-started moment after the due time chases it;
- **open** otherwise: due after the end of the data, or passed and never chased.
Broken and open promises become flags; kept ones are reported (`assess_promises`), not
flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from qa.journeys.dates import (
    AFTERNOON_ENDS,
    END_OF_DAY,
    Due,
    HolidayRule,
    due_time,
    england_and_wales,
    find_dates,
)
from qa.journeys.model import Journey, JourneyFlag, Turn
from qa.journeys.text import (
    Moment,
    Sentence,
    collapse,
    is_thread,
    may_hold,
    moments,
    sentences,
    split_sentences,
)
from qa.vocabulary import Channel, PromiseStatus, Severity

CHASE_TURNS = 3  # how many of the customer's first turns in a contact are read for a chase (1-20)

_COMMIT = re.compile(
    r"\b(?:will|shall|'ll|going to|i'm sending|we're sending|i am sending|we are sending|"
    r"should (?:receive|get|arrive|reach|have|see|be|land|show)|you can expect|expect (?:it|the)|"
    r"expected delivery|estimated delivery|expected arrival|due to (?:arrive|reach))\b",
    re.I,
)
_ACTIONS = {
    "contact": r"\b(?:call|ring|phone|get back to|be in touch|speak to you|text you|contact you)",
    "send": r"\b(?:e-?mail|send|sent|post|letter|write to you|statement|copy)",
    "pay": r"\b(?:refund\w*|credit\w*|pay (?:you|it back)|paid (?:to|into|back)|reimburse\w*|"
    r"compensat\w+|loaded|top[- ]?up)",
    "deliver": r"\b(?:deliver\w*|arriv\w+|reach you|with you|dispatch\w*|courier|receive)\b",
    "redo": r"\b(?:rebill|revised|re-?issue|reset|fix|repair|correct|restore|reconnect|"
    r"in the app|show)\w*",
}
_ACTION_RES = {k: re.compile(v, re.I) for k, v in _ACTIONS.items()}
# Facts with a date, not commitments: a booked visit, a go-live or supply-start date.
_FACT = re.compile(
    r"\b(?:booked|appointment|go(?:es)? live|going live|live on|in your name|"
    r"(?:engineer|technician|fitter)s?\s+(?:will|is going to|'ll)\s+"
    r"(?:come|visit|attend|be (?:there|with you|round)|arrive))\b",
    re.I,
)
_RESTATED = re.compile(
    r"\b(?:my colleague|your colleague|(?:he|she|they) mentioned|you were (?:told|promised)|"
    r"as (?:promised|agreed|mentioned))\b",
    re.I,
)
_CLAUSE = re.compile(r";|,\s*(?:and|but|so|while)\s+|\s+but\s+|\s+and then\s+", re.I)
_OBLIGATION = re.compile(r"\byou(?:'ll| will)?\s+(?:need|have|must)\s+to\b|\byou must\b", re.I)
_NOT_OURS = re.compile(r"^(?:if|unless|should)\b|\?$", re.I)
_CHASE = re.compile(
    r"\b(?:still|nothing|nobody|no one|not yet|haven't|hasn't|hadn't|never|was told|were told|"
    r"(?:said|told me|promised)\b[^.?!]{0,40}\b(?:would|'d|will)|supposed to|promised|"
    r"chas(?:e|ing)|waiting|no sign|didn't (?:come|arrive|ring|call|happen|get)|"
    r"where is|what's happening|any update|heard nothing|not heard|didn't hear|meant to|"
    r"it's been \w+ (?:days|weeks)|been waiting|no[- ]one (?:called|rang|came))\b",
    re.I,
)
_DONE = re.compile(
    r"\b(?:(?:was|were|has been|have been|had been)\s+(?:sent|issued|delivered|credited|paid|"
    r"refunded|applied|loaded|released|processed|posted|emailed|fixed|reset|restored|done)|"
    r"(?:i've|we've|i have|we have)\s+(?:sent|issued|emailed|posted|credited|refunded|paid|"
    r"attached|applied|loaded)|went out|has gone out|(?:has |had )?arrived|came through|"
    r"as promised|as agreed|attached (?:is|you'll find)|please find attached)\b",
    re.I,
)


@dataclass(frozen=True)
class Promise:
    sentence: Sentence
    due: datetime
    due_text: str
    actions: tuple[str, ...]
    status: PromiseStatus
    why: str
    kept_by: Moment | None = None
    chase: Moment | None = None
    chase_quote: str = ""

    def to_dict(self) -> dict[str, Any]:
        s = self.sentence
        return {
            "interaction_id": s.contact.interaction_id,
            "turn": s.turn.idx,
            "quote": s.text,
            "said_at": s.at.isoformat(),
            "due": self.due.isoformat(),
            "due_text": self.due_text,
            "actions": list(self.actions),
            "status": self.status,
            "why": self.why,
            "kept_by": _moment_ref(self.kept_by),
            "chase": _moment_ref(self.chase),
            "chase_quote": self.chase_quote or None,
        }


def _moment_ref(m: Moment | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {"interaction_id": m.contact.interaction_id, "turn": m.turn, "at": m.at.isoformat()}


def commitment(text: str) -> tuple[str, ...]:
    """The actions an agent sentence commits to; () when it is no commitment."""
    if _NOT_OURS.search(text) or _FACT.search(text) or not _COMMIT.search(text):
        return ()
    if _RESTATED.search(text):
        return ()  # an earlier promise talked about again: the earlier one is the promise
    return tuple(k for k, rx in _ACTION_RES.items() if rx.search(text))


def _commitment_due(
    s: Sentence, holidays: HolidayRule, day_ends: time, afternoon_ends: time
) -> tuple[Due, tuple[str, ...]] | None:
    """The latest due time among the sentence's clauses that each commit to an action by one
    ("a reset tonight, and the readings in the app by tomorrow"); the customer's own
    deadlines ("you'll need to send it back within 14 days") are not ours."""
    if _RESTATED.search(s.text):
        return None  # an earlier promise talked about again: the earlier one is the promise
    best: tuple[Due, tuple[str, ...]] | None = None
    for clause in _CLAUSE.split(s.text):
        if _OBLIGATION.search(clause):
            continue
        actions = commitment(clause)
        if not actions:
            continue
        due = due_time(clause, s.at, holidays, day_ends, afternoon_ends)
        if due is None or due.at <= s.at:
            continue
        if best is None or due.at > best[0].at:
            best = (due, actions)
    return best


def _may_commit(turn: Turn) -> bool:
    return may_hold(_COMMIT, turn.text)


def find_commitments(
    journey: Journey,
    holidays: HolidayRule = england_and_wales,
    day_ends: time = END_OF_DAY,
    afternoon_ends: time = AFTERNOON_ENDS,
) -> list[tuple[Sentence, datetime, str, tuple[str, ...]]]:
    """Agent sentences that commit to an action by a due time, one per contact and due day."""
    found: list[tuple[Sentence, datetime, str, tuple[str, ...]]] = []
    seen: set[tuple[str, date]] = set()
    for contact in journey.contacts:
        # Only an agent turn with a commitment word can hold a promise (every promise's
        # clause matches _COMMIT): the others are never split into sentences.
        for s in sentences(contact, role="agent", keep=_may_commit):
            read = _commitment_due(s, holidays, day_ends, afternoon_ends)
            if read is None:
                continue
            due, actions = read
            key = (contact.interaction_id, due.at.date())
            if key in seen:
                continue  # the same commitment said again ("so that's by Friday")
            seen.add(key)
            found.append((s, due.at, due.text, actions))
    return found


def assess_promises(
    journey: Journey,
    data_end: datetime,
    holidays: HolidayRule = england_and_wales,
    day_ends: time = END_OF_DAY,
    afternoon_ends: time = AFTERNOON_ENDS,
) -> list[Promise]:
    """Every promise of the journey with its status: kept, broken or open."""
    found = find_commitments(journey, holidays, day_ends, afternoon_ends)
    if not found:
        return []
    timeline = moments(journey)
    out: list[Promise] = []
    for s, due, due_text, actions in found:
        done_here = _done_in_same_contact(s)
        if done_here is not None:
            out.append(
                Promise(s, due, due_text, actions, PromiseStatus.KEPT, done_here[1], done_here[0])
            )
            continue
        later = [m for m in timeline if m.at > s.at and not _is_own_moment(m, s)]
        out.append(_judge(s, due, due_text, actions, later, data_end))
    return out


def _done_in_same_contact(s: Sentence) -> tuple[Moment, str] | None:
    """Done before the call or chat ended ("... there, I've sent it")."""
    c = s.contact
    if is_thread(c):
        return None
    after = tuple(t for t in c.turns if t.idx > s.turn.idx and t.role == "agent")
    m = Moment(c, after, s.at, "agent")
    if after and _done_text(m) is not None:
        return m, "done later in the same contact"
    return None


def _is_own_moment(m: Moment, s: Sentence) -> bool:
    return m.contact.interaction_id == s.contact.interaction_id and (
        m.turn is None or m.turn == s.turn.idx
    )


def _judge(
    s: Sentence,
    due: datetime,
    due_text: str,
    actions: tuple[str, ...],
    later: list[Moment],
    data_end: datetime,
) -> Promise:
    def promise(status: PromiseStatus, why: str, **more: Any) -> Promise:
        return Promise(s, due, due_text, actions, status, why, **more)

    kept = _kept_by(actions, due, later)
    if kept is not None:
        return promise(PromiseStatus.KEPT, kept[1], kept_by=kept[0])
    for m in later:
        if m.by != "customer" or m.at <= due:
            continue
        quote = _chase_quote(m)
        if quote:
            why = f"due {due:%a %d %b %H:%M}; nothing shows it done; chased {m.at:%a %d %b}"
            return promise(PromiseStatus.BROKEN, why, chase=m, chase_quote=quote)
    if due > data_end:
        return promise(PromiseStatus.OPEN, "due after the end of the data")
    return promise(PromiseStatus.OPEN, "due time passed, never chased (lapsed)")


def _kept_by(
    actions: tuple[str, ...], due: datetime, later: list[Moment]
) -> tuple[Moment, str] | None:
    for m in later:
        if m.at <= due:
            if m.by == "agent" and "contact" in actions:
                return m, "our own contact came by the due time"
            if m.by == "agent" and "send" in actions and m.contact.channel == Channel.EMAIL:
                return m, "our email came by the due time"
            if _done_text(m) is not None:
                return m, "a later contact by the due time says it was done"
            if m.by == "customer" and _chase_quote(m):
                # The customer chased before it was due: not broken by that chase.
                continue
        else:
            done = _done_text(m)
            if done is not None and _dated_by(done, m.at, due):
                return m, "a later contact dates it done by the due day"
    return None


def _done_text(m: Moment) -> str | None:
    for t in m.turns:
        for sent in split_sentences(t.text):
            if _DONE.search(sent) and not re.search(r"\b(?:never|not|n't)\b", sent, re.I):
                return sent
    return None


def _dated_by(text: str, said_at: datetime, due: datetime) -> bool:
    days = [d.day for d in find_dates(text, said_at.date()) if d.day <= said_at.date()]
    return bool(days) and all(d <= due.date() for d in days)


def _chase_quote(m: Moment) -> str:
    customer = [t for t in m.turns if t.role != "agent"][:CHASE_TURNS]
    for t in customer:
        for sent in split_sentences(t.text):
            if _CHASE.search(sent):
                return sent
    return ""


def find_promises(
    journey: Journey,
    data_end: datetime,
    holidays: HolidayRule = england_and_wales,
    day_ends: time = END_OF_DAY,
    afternoon_ends: time = AFTERNOON_ENDS,
) -> list[JourneyFlag]:
    """`broken_promise` and `open_promise` flags for one journey (kept ones are not flags)."""
    flags: list[JourneyFlag] = []
    for p in assess_promises(journey, data_end, holidays, day_ends, afternoon_ends):
        if p.status == PromiseStatus.KEPT:
            continue
        s = p.sentence
        details = p.to_dict()
        if p.status == PromiseStatus.BROKEN:
            assert p.chase is not None
            flags.append(
                JourneyFlag(
                    kind="broken_promise",
                    journey_id=journey.id,
                    interaction_id=s.contact.interaction_id,
                    other_interaction_id=p.chase.contact.interaction_id,
                    message=(
                        f"promised {p.due_text} (due {p.due:%a %d %b %Y %H:%M}); the customer "
                        f"chased it on {p.chase.at:%a %d %b}"
                    ),
                    severity=Severity.HIGH,
                    quote=s.text,
                    turn=s.turn.idx,
                    other_quote=p.chase_quote,
                    other_turn=_chase_turn(p.chase, p.chase_quote),
                    details=details,
                )
            )
        else:
            flags.append(
                JourneyFlag(
                    kind="open_promise",
                    journey_id=journey.id,
                    interaction_id=s.contact.interaction_id,
                    other_interaction_id=None,
                    message=f"promised {p.due_text} (due {p.due:%a %d %b %Y %H:%M}): {p.why}",
                    severity=Severity.LOW,
                    quote=s.text,
                    turn=s.turn.idx,
                    details=details,
                )
            )
    return flags


def _chase_turn(m: Moment, quote: str) -> int | None:
    for t in m.turns:
        if quote and quote in collapse(t.text):
            return t.idx
    return m.turn


def kept_promises(promises: Iterable[Promise]) -> list[dict[str, Any]]:
    """Kept promises as plain dicts, for a journey's details."""
    return [p.to_dict() for p in promises if p.status == PromiseStatus.KEPT]
