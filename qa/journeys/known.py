"""Campaign facts for the two-stories check: which of two stories was right.

Each scored contact was checked against a campaign set, kept whole in the store
(`campaign_sets`) and named by its evaluation (`evaluations.campaigns_hash`). The facts of
that set's campaigns in force on the contact's own date and channel are what the company
held true then: a money fact becomes a :class:`~qa.journeys.stories.KnownFact` of the kind
and subject the journey checks read from agents' words ("exit fee", "Fibre 500"). A
contact that was never scored with campaigns has none, and its pairs are judged as before.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from qa.campaigns.schema import Campaign
from qa.campaigns.schema import Fact as CampaignFact
from qa.journeys import stories
from qa.journeys.model import Contact
from qa.journeys.stories import KnownFact
from qa.store import Store

log = logging.getLogger(__name__)


def latest_sets(store: Store) -> dict[str, str]:
    """Interaction id -> the campaign set its latest evaluation with campaigns was checked
    against (a content digest: the same digest, the same campaigns)."""
    out: dict[str, str] = {}
    for iid, digest in store.conn.execute(
        "SELECT interaction_id, campaigns_hash FROM evaluations"
        " WHERE campaigns_hash IS NOT NULL ORDER BY created_at, rowid"
    ):
        out[iid] = digest
    return out


def _kind(f: CampaignFact) -> str | None:
    """The journey fact kind ("price", "fee", "refund" ...) of a campaign fact: the one its
    id names, else the one its `about` words name most (a tie names none)."""
    named = _kinds(f.id.replace("_", " ").replace("-", " ").replace(".", " "))
    if len(named) == 1:
        return named[0]
    counts: dict[str, int] = {}
    for phrase in f.about:
        for k in _kinds(phrase):
            counts[k] = counts.get(k, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _kinds(text: str) -> list[str]:
    return [k for k, rx in stories._MONEY_RES.items() if rx.search(text)]


def _subject(f: CampaignFact, c: Campaign) -> frozenset[str]:
    """The subject words of a fact as the journey checks read them: its `about` words and
    the campaign's products (or the fact's own products), and the services those name."""
    words: set[str] = set()
    for phrase in f.about:
        words |= stories._subject(phrase.lower())
    for name in f.products or c.products:
        product = stories._subject(name)
        words |= product
        words |= {s for s in stories._SERVICES if any(s in p.split() for p in product)}
    return frozenset(words)


def facts_of(c: Campaign) -> list[KnownFact]:
    """A campaign's money facts as known facts. A range, a bound or tiers say no one value,
    and a fact whose kind its words do not tell is left out: it would decide nothing."""
    out = []
    for f in c.facts:
        v = f.value
        if v.money is None or v.to is not None or v.bound is not None or v.tiers:
            continue
        kind = _kind(f)
        if kind is None:
            continue
        out.append(
            KnownFact(
                kind=kind,
                subject=_subject(f, c),
                value=round(v.money.amount, 2),
                period=v.money.period,
                shown=v.describe(),
                products=tuple(f.products or c.products),
                campaign=c.id,
                campaign_name=c.name,
                fact=f.id,
                valid=(c.valid_from.isoformat(), c.valid_to.isoformat()),
            )
        )
    return out


class KnownFacts:
    """The campaign facts in force for each contact, read once per campaign set."""

    def __init__(self, store: Store, sets: dict[str, str] | None = None):
        self.store = store
        self.sets = latest_sets(store) if sets is None else sets
        self._campaigns: dict[str, list[Campaign]] = {}
        self._facts: dict[str, list[tuple[Campaign, list[KnownFact]]]] = {}

    def campaigns(self, digest: str) -> list[tuple[Campaign, list[KnownFact]]]:
        if digest not in self._facts:
            data: list[dict[str, Any]] | None = self.store.campaign_set(digest)
            parsed: list[tuple[Campaign, list[KnownFact]]] = []
            for item in data or []:
                try:
                    camp = Campaign.model_validate(item)
                except ValidationError as exc:  # kept by another version of qa
                    log.warning("campaign set %s: a campaign is not readable: %s", digest, exc)
                    continue
                parsed.append((camp, facts_of(camp)))
            self._facts[digest] = parsed
        return self._facts[digest]

    def at(self, contact: Contact, day: dt.date | None) -> tuple[KnownFact, ...]:
        """The facts in force on the contact's own date and channel, of the campaign set it
        was checked against."""
        digest = self.sets.get(contact.interaction_id)
        if digest is None or day is None:
            return ()
        return tuple(
            k
            for camp, facts in self.campaigns(digest)
            if camp.active_on(day, contact.channel)
            for k in facts
        )

    def by_contact(
        self, contacts: Iterable[Contact], day_of: dict[str, dt.date | None]
    ) -> dict[str, tuple[KnownFact, ...]]:
        out = {}
        for c in contacts:
            found = self.at(c, day_of.get(c.interaction_id))
            if found:
                out[c.interaction_id] = found
        return out
