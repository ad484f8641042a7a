"""Journeys: one customer's contacts about one matter, in time order.

Two contacts are one journey when (each rule names itself in the journey's ``linked_by``):

- they share a **case id** (at any distance, even across two customer ids: the conflict is
  reported by identity, the matter stays whole);
- they are messages of one **email thread** stored apart (a reply that arrived in another
  batch shares the thread key);
- the later one **refers explicitly** to the earlier ("I was on your chat on the fifth
  about…", "following my call on Tuesday", "your colleague said", "Simran told me"), at any
  distance: the reference is resolved to the customer's earlier contact on the channel, day
  and agent it names;
- they have the **same contact reason** and start within the window (``journeys.window_hours``,
  default 168 h) of each other.

**Contact reason.** Routing's contact reasons (qa/routing) are a dozen broad kinds (billing,
technical fault…): two matters of one customer are often the same kind ("a late fee" and "a
wrong bill" are both billing). So the reason here is finer: the words the contact is about,
weighted by how rare they are across the store (TF-IDF over the turns' content words, with
no model to run, so 100,000 contacts build in seconds), and two contacts share a reason when
the cosine of their weights reaches ``SAME_REASON``. Where both contacts were routed, a
different routed reason with low word overlap keeps them apart as well. The text embedder
(qa/models/text.py) was not used: it would make a rebuild of a large store take minutes and
bring a model into a command that needs none.

**Agent-initiated contacts** (callbacks, dispatch and confirmation emails) join the journey
they serve, never start one: the customer's contact they are most like within the window
before them (by case, thread or reason first), else the latest one before them within the
window; an agent contact with no customer contact to serve stays alone.

**Repeats.** A customer-initiated contact that starts within the window of the journey's
previous customer-initiated contact is a repeat of it (agent contacts never are, and do not
restart the window). **First-contact resolution** is true when the journey's first contact
resolved the matter (its outcome) and no later customer-initiated contact belongs to it.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from qa.journeys.identity import Identity
from qa.journeys.model import Contact, Journey, JourneyFlag
from qa.vocabulary import Channel, Severity

# Cosine of two contacts' TF-IDF word weights at or above which they are about the same
# reason (0..1). Same-matter contacts of one customer share the matter's rare words (the
# fee, the hub, the reading); different matters share little beyond greetings.
SAME_REASON = 0.12
# Under this cosine, two contacts with different routed contact reasons are kept apart even
# when a looser rule would join them.
ROUTED_APART = 0.25
# At most this many characters of a contact's text weigh in its reason (the matter shows early).
REASON_CHARS = 4000
# How far back an explicit reference ("on the fifth", "last week") may point, in days.
REFERENCE_DAYS = 45

_WORD = re.compile(r"[a-z][a-z']{2,}")
_STOP = frozenset(
    """the and for you your yours that this with have has had was were are but not just can
    could would should will shall what when where which who whom why how there their they them
    then than from into onto about also been being our ours out over under very all any some
    more most much many such only own same too off one two its it's i'm i've i'll i'd you're
    you've you'll we're we've we'll let get got okay yes yeah thanks thank please hello hi
    hey bye sorry right well sure fine good great lovely morning afternoon evening today now
    here again still yet did does doing done said say says told tell know see look check
    checked moment bit lot make made way want wanted need needed like back day days week
    dear regards kind best team speaking calling call chat email help anything else today's
    that's there's it'll he's she's isn't don't didn't can't won't doesn't haven't wasn't""".split()
)


@dataclass
class Link:
    a: str
    b: str
    rule: str  # "case_id", "email_thread", "explicit_reference", "same_reason", "serves"
    detail: str


@dataclass
class BuildResult:
    journeys: list[Journey]
    repeats: list[JourneyFlag]
    fcr: dict[str, bool | None]  # journey id -> first-contact resolution
    links: dict[str, list[Link]] = field(default_factory=dict)  # journey id -> links
    reference: dict[str, tuple[str, str, int]] = field(default_factory=dict)


# ----------------------------------------------------------------------------- reasons
def words_of(contact: Contact) -> Counter[str]:
    text = " ".join(t.text for t in contact.turns)[:REASON_CHARS].lower()
    return Counter(w.strip("'") for w in _WORD.findall(text) if w not in _STOP)


class ReasonModel:
    """TF-IDF vectors of the contacts' content words, normalised, for cosines."""

    def __init__(self, contacts: Sequence[Contact]):
        counts = {c.interaction_id: words_of(c) for c in contacts}
        df: Counter[str] = Counter()
        for words in counts.values():
            df.update(words.keys())
        n = max(len(counts), 1)
        idf = {w: math.log((n + 1) / (k + 0.5)) for w, k in df.items()}
        self.vectors: dict[str, dict[str, float]] = {}
        for ident, words in counts.items():
            vec = {w: (1 + math.log(k)) * idf[w] for w, k in words.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            self.vectors[ident] = {w: v / norm for w, v in vec.items()}

    def cosine(self, a: str, b: str) -> float:
        va, vb = self.vectors.get(a, {}), self.vectors.get(b, {})
        if len(va) > len(vb):
            va, vb = vb, va
        return sum(v * vb.get(w, 0.0) for w, v in va.items())

    def shared(self, a: str, b: str, n: int = 4) -> list[str]:
        va, vb = self.vectors.get(a, {}), self.vectors.get(b, {})
        both = sorted((w for w in va if w in vb), key=lambda w: -va[w] * vb[w])
        return both[:n]


# ----------------------------------------------------------------------------- references
_CHANNEL_WORDS: dict[str, str] = {
    **dict.fromkeys("chat webchat chatted".split(), Channel.CHAT),
    **dict.fromkeys("call called rang phoned phone spoke".split(), Channel.VOICE),
    **dict.fromkeys("email e-mail emailed wrote".split(), Channel.EMAIL),
}
_REF = re.compile(
    r"\b(?:i|we)\s+(?:was|were|'ve been|have been)\s+on\s+(?:your|the)\s+(?:web\s?)?"
    r"(?P<c1>chat|phone)\b"
    r"|\b(?:following|after|further to)\s+(?:my|our|your|the)\s+(?:web\s?)?(?:phone\s)?"
    r"(?P<c2>chat|call|email|e-mail|conversation)\b"
    r"|\bas\s+(?:asked|discussed|agreed|requested|promised|advised)\s+(?:on|in|during|by)\s+"
    r"(?:the|my|our|your)\s+(?:web\s?)?(?P<c3>chat|call|email|phone call)\b"
    r"|\b(?:my|our|the|your|last|previous|earlier)\s+(?:web\s?)?(?P<c4>chat|call|email|e-mail)"
    r"\s+(?:on|last|yesterday|earlier|this|about)\b"
    r"|\b(?:i|we)\s+(?:already\s+)?(?P<c5>called|rang|phoned|emailed|chatted|spoke|wrote)"
    r"\s+(?:to\s+you|you|in|last|on|yesterday|earlier|before|with|a\s+few)\b"
    r"|\byour\s+colleague\b(?:[^.?!]{0,40}\bon\s+the\s+(?:web\s?)?(?P<c6>chat|phone|call))?"
    r"|\balready\b[^.?!]{0,60}\bon\s+the\s+(?:web\s?)?(?P<c7>chat|phone|call)\b",
    re.IGNORECASE,
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ORDINALS = {
    w: i + 1
    for i, w in enumerate(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth "
        "twenty-first twenty-second twenty-third twenty-fourth twenty-fifth twenty-sixth "
        "twenty-seventh twenty-eighth twenty-ninth thirtieth thirty-first".split()
    )
}
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_MONTH_RX = "|".join(m[:3] + f"(?:{m[3:]})?" if len(m) > 3 else m for m in _MONTHS)
_DAY = re.compile(
    r"\b(?P<dnum>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>"
    + _MONTH_RX
    + r")\b|\b(?P<mon2>"
    + _MONTH_RX
    + r")\s+(?P<dnum2>\d{1,2})(?:st|nd|rd|th)?\b"
    r"|\b(?:on\s+)?(?:the\s+)?(?P<num>\d{1,2})(?:st|nd|rd|th)\b|\bthe\s+(?P<word>"
    + "|".join(sorted(_ORDINALS, key=len, reverse=True))
    + r")\b|\b(?P<wd>"
    + "|".join(_WEEKDAYS)
    + r")\b|\b(?P<rel>yesterday|last week|this morning|earlier today)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Reference:
    turn: int
    quote: str
    channel: str | None
    day_hint: str | None
    agent: str | None


def find_reference(
    contact: Contact, agent_names: dict[str, str], role: str = "customer"
) -> Reference | None:
    """The first explicit mention of an earlier contact in the opening turns of `role`
    (the customer's; an agent's own follow-up says "following your call on 3 March")."""
    names = {n.lower(): a for n, a in agent_names.items() if n}
    name_rx = (
        re.compile(
            r"\b(?P<name>"
            + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
            + r")\b\s+(?:said|told|emailed|promised|mentioned|wrote|rang|called|confirmed|"
            r"explained|advised)",
            re.IGNORECASE,
        )
        if names
        else None
    )
    seen = 0
    for t in contact.turns:
        if t.role != role:
            continue
        seen += 1
        if seen > 3:
            break
        for sentence in re.split(r"(?<=[.?!\n])\s+", t.text):
            m = _REF.search(sentence)
            agent = None
            if name_rx:
                n = name_rx.search(sentence)
                if n:
                    agent = names[n.group("name").lower()]
                    m = m or n
            if not m:
                continue
            word = next((g for g in m.groups() if g and g.lower() in _CHANNEL_WORDS), None)
            if word is None:
                cw = re.search(r"\b(chat|call|rang|phoned|emailed|email)\b", sentence, re.I)
                word = cw.group(1) if cw else None
            channel = _CHANNEL_WORDS.get(word.lower()) if word else None
            d = _DAY.search(sentence)
            return Reference(t.idx, sentence.strip(), channel, d.group(0) if d else None, agent)
    return None


def _day_matches(hint: str | None, when: datetime, then: datetime) -> bool:
    if not hint:
        return True
    m = _DAY.search(hint)
    if not m:
        return True
    if m.group("mon") or m.group("mon2"):
        month = (m.group("mon") or m.group("mon2")).lower()[:3]
        day = int(m.group("dnum") or m.group("dnum2"))
        return then.day == day and _MONTHS[then.month - 1][:3] == month
    if m.group("num") or m.group("word"):
        n = int(m.group("num")) if m.group("num") else _ORDINALS[m.group("word").lower()]
        return then.day == n
    if m.group("wd"):
        return _WEEKDAYS[then.weekday()] == m.group("wd").lower() and (when - then).days < 14
    rel = m.group("rel").lower()
    if rel == "yesterday":
        return (when.date() - then.date()).days == 1
    if rel == "last week":
        return 2 <= (when.date() - then.date()).days <= 14
    return when.date() == then.date()


def resolve_reference(
    ref: Reference, contact: Contact, earlier: Sequence[Contact]
) -> Contact | None:
    """The earlier contact a reference names: channel, day and agent narrow it, each only
    where something is left; the latest remaining wins."""
    limit = contact.started_at - timedelta(days=REFERENCE_DAYS)
    pool = [c for c in earlier if limit <= c.started_at < contact.started_at]
    for keep in (
        lambda c: ref.channel is None or c.channel == ref.channel,
        lambda c: _day_matches(ref.day_hint, contact.started_at, c.started_at),
        lambda c: ref.agent is None or c.agent_id == ref.agent,
    ):
        narrowed = [c for c in pool if keep(c)]
        if narrowed:  # a hint that matches nothing stored narrows nothing
            pool = narrowed
    return max(pool, key=lambda c: c.started_at) if pool else None


# ----------------------------------------------------------------------------- building
class _UF:
    def __init__(self, ids: Sequence[str]):
        self.parent = {i: i for i in ids}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def build(
    contacts: Sequence[Contact],
    identity: Identity,
    *,
    window_hours: float = 168.0,
    agent_names: dict[str, str] | None = None,
    case_of: dict[str, list[str]] | None = None,
    thread_of: dict[str, str] | None = None,
    routed_reason: dict[str, str] | None = None,
    reasons: ReasonModel | None = None,
) -> BuildResult:
    """Journeys, repeats and first-contact resolution (rules in the module's text).

    `case_of` gives each interaction's case ids, `thread_of` its email thread key,
    `routed_reason` its routed contact reason; `agent_names` maps first names agents go by
    to agent ids (for "Simran said")."""
    window = timedelta(hours=window_hours)
    by_id = {c.interaction_id: c for c in contacts}
    ordered = sorted(contacts, key=lambda c: (c.started_at, c.interaction_id))
    uf = _UF([c.interaction_id for c in ordered])
    links: list[Link] = []
    reasons = reasons or ReasonModel(ordered)
    routed = routed_reason or {}
    refs: dict[str, tuple[str, str, int]] = {}

    def join(a: str, b: str, rule: str, detail: str) -> None:
        if uf.find(a) != uf.find(b):
            links.append(Link(a, b, rule, detail))
            uf.union(a, b)

    # Case ids and threads, whoever the customer.
    cases: dict[str, list[str]] = defaultdict(list)
    for ident, keys in (case_of or {}).items():
        if ident in by_id:
            for case_key in keys:
                cases[case_key].append(ident)
    for case, in_case in cases.items():
        in_case.sort(key=lambda i: by_id[i].started_at)
        for m in in_case[1:]:
            join(in_case[0], m, "case_id", f"case id {case}")
    threads: dict[str, list[str]] = defaultdict(list)
    for ident, key in (thread_of or {}).items():
        if ident in by_id and key:
            threads[key].append(ident)
    for thread, in_thread in threads.items():
        for m in in_thread[1:]:
            join(in_thread[0], m, "email_thread", f"email thread {thread}")

    per_customer: dict[str, list[Contact]] = defaultdict(list)
    for c in ordered:
        owner = identity.customer_of.get(c.interaction_id)
        if owner:
            per_customer[owner].append(c)

    def same_reason(a: Contact, b: Contact) -> tuple[bool, float]:
        cos = reasons.cosine(a.interaction_id, b.interaction_id)
        ra, rb = routed.get(a.interaction_id), routed.get(b.interaction_id)
        if ra and rb and ra != rb and cos < ROUTED_APART:
            return False, cos
        return cos >= SAME_REASON, cos

    names = agent_names or {}
    for mine in per_customer.values():
        for pos, b in enumerate(mine):
            if b.initiated_by != "customer":
                continue
            earlier = mine[:pos]
            ref = find_reference(b, names)
            if ref is not None:
                target = resolve_reference(ref, b, earlier)
                if target is not None:
                    refs[b.interaction_id] = (target.interaction_id, ref.quote, ref.turn)
                    join(
                        target.interaction_id,
                        b.interaction_id,
                        "explicit_reference",
                        f"explicit reference {ref.quote!r}",
                    )
            for a in earlier:
                if b.started_at - a.started_at > window:
                    continue
                ok, cos = same_reason(a, b)
                if ok:
                    shared = ", ".join(reasons.shared(a.interaction_id, b.interaction_id))
                    join(
                        a.interaction_id,
                        b.interaction_id,
                        "same_reason",
                        f"same contact reason within {window_hours:g} h "
                        f"(cosine {cos:.2f}: {shared})",
                    )
        # Agent-initiated contacts serve a journey of the customer's; never start one.
        for pos, x in enumerate(mine):
            if x.initiated_by == "customer":
                continue
            if any(
                uf.find(x.interaction_id) == uf.find(o.interaction_id) for o in mine if o is not x
            ):
                continue
            served = [a for a in mine[:pos] if a.initiated_by == "customer"]
            ref = find_reference(x, names, role="agent")
            target = resolve_reference(ref, x, served) if ref is not None and served else None
            if target is not None and ref is not None:
                join(
                    target.interaction_id,
                    x.interaction_id,
                    "explicit_reference",
                    f"agent's follow-up refers to it: {ref.quote!r}",
                )
                continue
            near = [a for a in served if x.started_at - a.started_at <= window]
            far = [
                a
                for a in served
                if a not in near
                and x.started_at - a.started_at <= timedelta(days=REFERENCE_DAYS)
                and reasons.cosine(a.interaction_id, x.interaction_id) >= SAME_REASON
            ]
            pool = near or far
            if not pool:
                continue
            best = max(
                pool,
                key=lambda a: (reasons.cosine(a.interaction_id, x.interaction_id), a.started_at),
            )
            join(
                best.interaction_id,
                x.interaction_id,
                "serves",
                "agent-initiated contact serving the customer's contact before it",
            )

    groups: dict[str, list[Contact]] = defaultdict(list)
    for c in ordered:
        groups[uf.find(c.interaction_id)].append(c)
    link_of: dict[str, list[Link]] = defaultdict(list)
    for link in links:
        link_of[uf.find(link.a)].append(link)
    journeys: list[Journey] = []
    repeats: list[JourneyFlag] = []
    fcr: dict[str, bool | None] = {}
    out_links: dict[str, list[Link]] = {}
    for root, members in groups.items():
        first = members[0]
        jid = "j-" + first.interaction_id
        customer = next(
            (
                identity.customer_of.get(m.interaction_id)
                for m in members
                if identity.customer_of.get(m.interaction_id)
            ),
            None,
        )
        journey = Journey(
            id=jid,
            customer=customer,
            contacts=list(members),
            reason=", ".join(reasons.shared(first.interaction_id, members[-1].interaction_id))
            if len(members) > 1
            else None,
            linked_by=[f"{lk.rule}: {lk.detail} joins {lk.a} and {lk.b}" for lk in link_of[root]],
        )
        journeys.append(journey)
        out_links[jid] = link_of[root]
        previous: Contact | None = None
        customer_contacts = 0
        for c in members:
            if c.initiated_by != "customer":
                continue
            customer_contacts += 1
            if previous is not None and c.started_at - previous.started_at <= window:
                gap = c.started_at - previous.started_at
                repeats.append(
                    JourneyFlag(
                        kind="repeat_contact",
                        journey_id=jid,
                        interaction_id=c.interaction_id,
                        other_interaction_id=previous.interaction_id,
                        message=f"customer came back {_span(gap)} later about the same matter "
                        f"(repeat of {previous.interaction_id}, handled by "
                        f"{previous.agent_id or 'unknown agent'})",
                        severity=Severity.MEDIUM,
                        quote=_opening(c),
                        turn=_opening_turn(c),
                        other_quote=_opening(previous),
                        other_turn=_opening_turn(previous),
                        details={
                            "earlier": previous.interaction_id,
                            "earlier_agent": previous.agent_id,
                            "hours": round(gap.total_seconds() / 3600, 1),
                        },
                    )
                )
            previous = c
        if first.initiated_by != "customer":
            fcr[jid] = None
        else:
            fcr[jid] = first.outcome == "resolved" and customer_contacts == 1
    journeys.sort(key=lambda j: (j.contacts[0].started_at, j.id))
    return BuildResult(journeys, repeats, fcr, out_links, refs)


def _span(gap: timedelta) -> str:
    hours = gap.total_seconds() / 3600
    if hours < 48:
        return f"{hours:.0f} h"
    return f"{hours / 24:.0f} days"


def _opening_turn(c: Contact) -> int | None:
    return next((t.idx for t in c.turns if t.role == "customer" and t.text.strip()), None)


def _opening(c: Contact) -> str:
    idx = _opening_turn(c)
    if idx is None:
        return ""
    text = next(t.text for t in c.turns if t.idx == idx)
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:197] + "..."
