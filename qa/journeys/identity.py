"""Who the customer is, across channels.

Each contact carries identifiers: the manifest's ``customer_id`` (or the chat platform's
``customer``: an id, a login or an email address), a ``case_id``, the sender address of the
customer's emails, and a phone number from the manifest or the call metadata. The site's
roster (``customers:`` in qa.yaml) ties a customer id to its other addresses, phones and
logins. Identifiers that meet in one contact, or in one roster entry, are one customer, and
the link is transitive (union-find): a call with a customer id and a phone ties that phone to
the customer, so a later call from the same phone is theirs.

Two rules keep the links honest:

- **Conflicts are reported, never merged.** An identifier given with two different customer
  ids (a household email address under two accounts) links nothing; it is listed in
  :attr:`Identity.conflicts` with the ids and the contacts. A chain that would make two
  customer ids one customer is refused the same way, at the identifier that would join them.
- **No identifier, no guess.** A contact without any identifier is its own customer-less
  contact (``customer`` None): an unlinked single-contact journey.

Case ids are identifiers of a matter more than of a person: they join customers only where
that joins no two customer ids, and they always join journeys (:mod:`qa.journeys.build`).

Every link is explainable: :attr:`Customer.identifiers` says which identifier value joined
which contacts, and where it came from. When the redaction policy masks emails or phones,
those values are kept only as hashes (``sha256:`` and 16 letters of the normalised value's),
so the store holds no readable address while the same address still links.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from qa.vocabulary import Channel

# Identifier kinds, strongest first: the order names a customer without an id.
CUSTOMER_ID = "customer_id"
EMAIL = Channel.EMAIL.value
PHONE = "phone"
LOGIN = "login"
CASE = "case"
KEY_ORDER = (CUSTOMER_ID, EMAIL, CASE, PHONE, LOGIN)

# Metadata keys a manifest or a telephony export uses for the customer's number.
PHONE_KEYS = ("phone", "customer_phone", "caller_id", "caller", "ani", "from_number", "msisdn")

_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_ANGLE = re.compile(r"<([^<>]+@[^<>]+)>")


@dataclass(frozen=True)
class Ident:
    """One identifier a contact carries: kind, normalised (maybe hashed) value, origin."""

    kind: str
    value: str
    origin: str  # "manifest", "chat customer", "email sender", "call metadata", "roster"


@dataclass
class ContactIds:
    """What identity needs of one contact."""

    interaction_id: str
    idents: list[Ident]


@dataclass
class IdentifierUse:
    kind: str
    value: str
    origins: list[str]
    interactions: list[str]


@dataclass
class Customer:
    key: str  # customer id, else "email:…", "case:…", "phone:…", "login:…"
    customer_ids: list[str]
    interactions: list[str]
    identifiers: list[IdentifierUse] = field(default_factory=list)

    def explain(self) -> list[str]:
        """One line per identifier that joined two or more contacts."""
        out = []
        for use in self.identifiers:
            if len(use.interactions) > 1:
                out.append(
                    f"{use.kind} {use.value} ({', '.join(sorted(set(use.origins)))}) joins "
                    + ", ".join(use.interactions)
                )
        return out


@dataclass
class Conflict:
    kind: str
    value: str
    customer_ids: list[str]
    interactions: list[str]
    note: str

    def as_dict(self) -> dict[str, object]:
        return {
            "identifier": self.kind,
            "value": self.value,
            "customer_ids": self.customer_ids,
            "interactions": self.interactions,
            "note": self.note,
        }


@dataclass
class Identity:
    customers: dict[str, Customer]  # by key
    customer_of: dict[str, str | None]  # interaction id -> customer key (None: unlinked)
    conflicts: list[Conflict]

    @property
    def unlinked(self) -> list[str]:
        return sorted(i for i, c in self.customer_of.items() if c is None)


# ----------------------------------------------------------------------------- normalising
def normalise_phone(raw: str, country_code: str = "44") -> str | None:
    """E.164 form: '+44 7700 900101', '07700 900101' and '0044 7700…' are '+447700900101'.
    None for something with too few digits to be a phone number."""
    text = raw.strip()
    digits = re.sub(r"\D", "", text)
    if text.startswith("+"):
        number = digits
    elif digits.startswith("00"):
        number = digits[2:]
    elif digits.startswith("0"):
        number = country_code + digits[1:]
    elif digits.startswith(country_code) and len(digits) >= 11:
        number = digits
    else:
        number = country_code + digits
    if not 8 <= len(number) <= 15:
        return None
    return "+" + number


def normalise_email(raw: str) -> str | None:
    """The bare address, lower case ('Ann <Ann@X.example>' is 'ann@x.example'); None if the
    text is no address."""
    text = raw.strip()
    m = _ANGLE.search(text)
    if m:
        text = m.group(1)
    text = text.strip().strip("<>").lower()
    return text if _EMAIL.match(text) else None


# Hex digits written as letters, so that redaction (which masks runs of digits as phone or
# card numbers) never touches a stored hash.
_LETTERS = str.maketrans("0123456789", "ghijklmnop")


def hash_value(value: str) -> str:
    """A stable, non-reversible stand-in for an identifier: 16 letters of its sha256."""
    return "sha256:" + hashlib.sha256(value.encode("utf-8")).hexdigest()[:16].translate(_LETTERS)


def phone_key(raw: str) -> str | None:
    """What a hashed phone is keyed on: its last 10 digits, which international and
    national forms of one number share (+44 7700 900512 and 07700 900512, +1 415 555 0142
    and (415) 555-0142), so numbers link after hashing without knowing the country."""
    digits = re.sub(r"\D", "", raw)
    return digits[-10:] if len(digits) >= 7 else None


# What redaction leaves in place of a value: never an identifier.
MASKS = frozenset({"[EMAIL]", "[PHONE]", "[ID]", "[CARD]"})
HASHES_KEY = "identifier_hashes"


def hashes_before_redaction(
    metadata: dict[str, object],
    customer: str | None,
    senders: list[str],
    emails: bool,
    phones: bool,
) -> dict[str, list[str]]:
    """The hashed identifiers of a contact whose values redaction is about to mask: kept in
    its metadata (``identifier_hashes``) so that the journeys still link it."""
    out: dict[str, list[str]] = {}
    if phones:
        for key in PHONE_KEYS:
            value = metadata.get(key)
            k = phone_key(str(value)) if value else None
            if k:
                out.setdefault(PHONE, []).append(hash_value(k))
    if emails:
        for raw in [customer or "", *senders]:
            address = normalise_email(raw) if "@" in raw else None
            if address:
                out.setdefault(EMAIL, []).append(hash_value(address))
    return {k: sorted(set(v)) for k, v in out.items()}


@dataclass(frozen=True)
class Normaliser:
    """Turns raw identifier text into the stored form, hashing the kinds redaction masks."""

    country_code: str = "44"
    hash_emails: bool = False
    hash_phones: bool = False

    def email(self, raw: str) -> str | None:
        value = normalise_email(raw)
        if value and self.hash_emails:
            return hash_value(value)
        return value

    def phone(self, raw: str) -> str | None:
        if self.hash_phones:
            key = phone_key(raw)
            return hash_value(key) if key else None
        return normalise_phone(raw, self.country_code)

    def customer_value(self, raw: str, aliases: set[str]) -> Ident | None:
        """The chat platform's or manifest's customer field: an address, a login, or an id."""
        text = raw.strip()
        if not text or text in MASKS:
            return None
        if "@" in text:
            email = self.email(text)
            return Ident(EMAIL, email, "chat customer") if email else None
        if text.lower() in aliases:
            return Ident(LOGIN, text.lower(), "chat customer")
        return Ident(CUSTOMER_ID, text, "manifest")


@dataclass(frozen=True)
class RosterEntry:
    id: str
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


def roster_idents(entry: RosterEntry, norm: Normaliser) -> list[Ident]:
    out = [Ident(CUSTOMER_ID, entry.id.strip(), "roster")]
    for e in entry.emails:
        value = norm.email(e)
        if value:
            out.append(Ident(EMAIL, value, "roster"))
    for p in entry.phones:
        value = norm.phone(p)
        if value:
            out.append(Ident(PHONE, value, "roster"))
    for a in entry.aliases:
        if a.strip():
            out.append(Ident(LOGIN, a.strip().lower(), "roster"))
    return out


# ----------------------------------------------------------------------------- linking
class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[tuple[str, str], tuple[str, str]] = {}
        self.ids: dict[tuple[str, str], set[str]] = {}  # root -> customer ids in it

    def add(self, node: tuple[str, str]) -> None:
        if node not in self.parent:
            self.parent[node] = node
            self.ids[node] = {node[1]} if node[0] == CUSTOMER_ID else set()

    def find(self, node: tuple[str, str]) -> tuple[str, str]:
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def union(self, a: tuple[str, str], b: tuple[str, str]) -> bool:
        """Join a and b unless that makes two customer ids one; False when refused."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ids_a, ids_b = self.ids[ra], self.ids[rb]
        if ids_a and ids_b and ids_a != ids_b:
            return False
        if len(ids_a) < len(ids_b):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.ids[ra] = ids_a | ids_b
        del self.ids[rb]
        return True


def resolve(contacts: Sequence[ContactIds], roster: Iterable[list[Ident]] = ()) -> Identity:
    """Customers from the contacts' identifiers and the roster (see the module's rules)."""
    roster_lists = [r for r in roster if r]
    # 1. Which customer ids each other identifier is given with, directly.
    direct: dict[tuple[str, str], set[str]] = defaultdict(set)
    seen_in: dict[tuple[str, str], list[str]] = defaultdict(list)
    origins: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in contacts:
        ids = {x.value for x in c.idents if x.kind == CUSTOMER_ID}
        for x in c.idents:
            node = (x.kind, x.value)
            if c.interaction_id not in seen_in[node]:
                seen_in[node].append(c.interaction_id)
            origins[node].append(x.origin)
            if x.kind not in (CUSTOMER_ID, CASE):
                direct[node] |= ids
    for idents in roster_lists:
        ids = {x.value for x in idents if x.kind == CUSTOMER_ID}
        for x in idents:
            origins[(x.kind, x.value)].append("roster")
            if x.kind != CUSTOMER_ID:
                direct[(x.kind, x.value)] |= ids
    conflicts: list[Conflict] = []
    barred: set[tuple[str, str]] = set()
    for node, ids in sorted(direct.items()):
        if len(ids) > 1:
            barred.add(node)
            conflicts.append(
                Conflict(
                    node[0],
                    node[1],
                    sorted(ids),
                    list(seen_in.get(node, [])),
                    f"{node[0]} {node[1]} is given with {len(ids)} customer ids; it links "
                    "none of them",
                )
            )
    # 2. Union: roster entries first (a CRM is the best word on who is who), then contacts
    #    with a customer id, then the rest; case ids last, so they join only what is free.
    uf = _UnionFind()
    refused: dict[tuple[str, str], set[str]] = defaultdict(set)

    def join(nodes: list[tuple[str, str]], owner: str | None) -> None:
        nodes = [n for n in nodes if n not in barred]
        for n in nodes:
            uf.add(n)
        ordered = sorted(nodes, key=lambda n: n[0] == CASE)
        for n in ordered[1:]:
            if not uf.union(ordered[0], n) and n[0] != CASE:
                refused[n] |= uf.ids[uf.find(ordered[0])] | uf.ids[uf.find(n)]
                if owner:
                    refused[n].add(f"@{owner}")

    for idents in roster_lists:
        join([(i.kind, i.value) for i in idents], None)
    with_id = [c for c in contacts if any(i.kind == CUSTOMER_ID for i in c.idents)]
    without = [c for c in contacts if not any(i.kind == CUSTOMER_ID for i in c.idents)]
    for c in with_id + without:
        join([(i.kind, i.value) for i in c.idents], c.interaction_id)
    for node, ids in sorted(refused.items()):
        cids = sorted(i for i in ids if not i.startswith("@"))
        conflicts.append(
            Conflict(
                node[0],
                node[1],
                cids,
                list(seen_in.get(node, [])),
                f"{node[0]} {node[1]} would join customers {', '.join(cids)}; kept apart",
            )
        )
    # 3. Customers: one per component that holds a contact.
    customer_of: dict[str, str | None] = {}
    members: dict[tuple[str, str], list[str]] = defaultdict(list)
    for c in contacts:
        nodes = [(i.kind, i.value) for i in c.idents if (i.kind, i.value) not in barred]
        if not nodes:
            customer_of[c.interaction_id] = None
            continue
        # A contact whose identifiers were kept apart belongs where its own customer id is.
        own = (
            [n for n in nodes if n[0] == CUSTOMER_ID] or [n for n in nodes if n[0] != CASE] or nodes
        )
        root = uf.find(own[0])
        members[root].append(c.interaction_id)
        customer_of[c.interaction_id] = ""  # filled below
    nodes_of: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for node in uf.parent:
        nodes_of[uf.find(node)].append(node)
    customers: dict[str, Customer] = {}
    for root, inter in members.items():
        nodes = nodes_of[root]
        cids = sorted(uf.ids[root])
        key = cids[0] if cids else _key(nodes)
        uses = [
            IdentifierUse(
                n[0],
                n[1],
                sorted(set(origins.get(n, []))),
                [i for i in seen_in.get(n, []) if i in set(inter)],
            )
            for n in sorted(nodes, key=lambda n: (KEY_ORDER.index(n[0]), n[1]))
        ]
        if key in customers:  # two components with one display key: keep them apart
            key = f"{key}#{len(customers)}"
        customers[key] = Customer(key, cids, inter, uses)
        for i in inter:
            customer_of[i] = key
    return Identity(customers, customer_of, conflicts)


def _key(nodes: list[tuple[str, str]]) -> str:
    best = min(nodes, key=lambda n: (KEY_ORDER.index(n[0]), n[1]))
    return f"{best[0]}:{best[1]}"
