"""Build the journeys of a whole store and keep them in its journey tables.

:func:`rebuild` reads every stored interaction (one lean read, no scoring data), works out
customers (identity), journeys, outcomes, repeats, first-contact resolution and effort, runs
the journey checks, and replaces the journey tables in one transaction: it is idempotent, and
a full rebuild is quick enough to run at the end of every ``qa ingest`` and ``qa score``
(bench/bench_journeys.py times it on 100,000 interactions). ``qa journeys --rebuild`` runs it
on its own.
"""

from __future__ import annotations

import gc
import hashlib
import json
import time
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from qa.config import Config
from qa.journeys import build as journey_build
from qa.journeys import effort as journey_effort
from qa.journeys import identity as ident
from qa.journeys import known as journey_known
from qa.journeys import outcome as journey_outcome
from qa.journeys import read as journey_read
from qa.journeys.model import Contact, Journey, JourneyFlag, Turn
from qa.store import Store, content_id, now
from qa.timeutil import local_date
from qa.vocabulary import Channel, Direction, Status

if TYPE_CHECKING:
    from qa.journeys.stories import KnownFact


@dataclass
class Loaded:
    contacts: list[Contact]
    ids: list[ident.ContactIds]
    case_of: dict[str, list[str]]
    thread_of: dict[str, str]
    routed_reason: dict[str, str]
    survey_errors: list[str] = field(default_factory=list)
    outcome_why: dict[str, journey_outcome.Outcome] = field(default_factory=dict)
    # Each contact's own calendar date (campaign windows are judged on it).
    day_of: dict[str, date | None] = field(default_factory=dict)


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def _initiated_by(channel: str, direction: str | None, turns: list[Turn]) -> str:
    if channel == Channel.EMAIL and turns:
        return "agent" if turns[0].role == "agent" else "customer"
    return "agent" if direction == Direction.OUTBOUND else "customer"


def load(store: Store, config: Config, sites: list[SiteRoster] | None = None) -> Loaded:
    """The stored interactions as journey contacts, with what identity needs of each.
    `sites`: the customer rosters whose logins are known (default: this site's)."""
    conn = store.conn
    norm = normaliser(config)
    if sites is None:
        sites = [this_site(config)]
    aliases = {a for site in sites for a in site.aliases()}
    turns: dict[str, list[Turn]] = defaultdict(list)
    for iid, idx, role, speaker, start, text, meta in conn.execute(
        "SELECT interaction_id, idx, role, speaker, start, text, meta FROM turns"
        " ORDER BY interaction_id, idx"
    ):
        m = json.loads(meta) if meta else {}
        if speaker and role == "customer" and "@" in speaker:
            m = {**m, "from": speaker}
        turns[iid].append(Turn(idx, role or "", text or "", start, m))
    routed: dict[str, tuple[str | None, str | None]] = {
        r[0]: (r[1], r[2])
        for r in conn.execute("SELECT interaction_id, work_type, contact_reason FROM routings")
    }
    out = Loaded([], [], {}, {}, {})
    for row in conn.execute(
        "SELECT i.id, i.channel, i.source, i.agent_id, coalesce(i.team, a.team),"
        " i.customer_id, i.case_id, i.direction, i.started_at, i.metadata, i.status"
        " FROM interactions i LEFT JOIN agents a ON a.id = i.agent_id ORDER BY i.id"
    ):
        iid, channel, source, agent, team, customer, case, direction, started, meta, status = row
        when = _parse_time(started)
        if status == Status.FAILED or when is None:
            continue  # nothing to read, or no time to place it in a journey
        metadata = json.loads(meta) if meta else {}
        metadata.pop("metrics", None)
        if metadata.get("survey_error"):
            out.survey_errors.append(str(metadata["survey_error"]))
        ts = turns.get(iid, [])
        work_type, reason = routed.get(iid, (None, None))
        found = journey_outcome.detect(ts, metadata)
        contact = Contact(
            interaction_id=iid,
            source=source or "",
            channel=channel or "",
            started_at=when,
            agent_id=agent,
            team=team,
            direction=direction,
            initiated_by="agent"
            if _initiated_by(channel, direction, ts) == "agent"
            else "customer",
            turns=tuple(ts),
            metadata=metadata,
            work_type=work_type,
            outcome=found.value,
        )
        out.outcome_why[iid] = found
        out.day_of[iid] = local_date(started, config.timezone)
        out.contacts.append(contact)
        idents: list[ident.Ident] = []
        if customer:
            value = norm.customer_value(str(customer), aliases)
            if value:
                idents.append(value)
        if case:
            idents.append(ident.Ident(ident.CASE, str(case).strip(), "manifest"))
            out.case_of[iid] = [str(case).strip()]
        for kind, values in (metadata.pop(ident.HASHES_KEY, None) or {}).items():
            for value in values:  # identifiers hashed before redaction masked them
                idents.append(ident.Ident(kind, str(value), "hashed before redaction"))
        for key in ident.PHONE_KEYS:
            if metadata.get(key):
                phone = norm.phone(str(metadata[key]))
                if phone:
                    idents.append(ident.Ident(ident.PHONE, phone, "manifest"))
        for t in ts:
            sender = t.meta.get("from")
            if sender:
                email = norm.email(str(sender))
                if email:
                    idents.append(ident.Ident(ident.EMAIL, email, "email sender"))
        out.ids.append(ident.ContactIds(iid, idents))
        if metadata.get("thread_key"):
            out.thread_of[iid] = str(metadata["thread_key"])
        if reason and reason != "unspecified":
            out.routed_reason[iid] = reason
    return out


def settings(config: Config) -> dict[str, Any]:
    """How a site writes identifiers down: the calling code national numbers are read in,
    and whether redaction keeps addresses and phones only as hashes."""
    return {
        "country_code": config.journeys.country_code,
        "hash_emails": config.redact.emails,
        "hash_phones": config.redact.phones,
    }


def normaliser(config: Config) -> ident.Normaliser:
    """How identifiers are written down: phones in E.164, hashed where redaction says so."""
    return _normaliser(settings(config))


def _normaliser(site: dict[str, Any]) -> ident.Normaliser:
    return ident.Normaliser(
        country_code=str(site["country_code"]),
        hash_emails=bool(site["hash_emails"]),
        hash_phones=bool(site["hash_phones"]),
    )


# ----------------------------------------------------------------------------- sites' rosters
NO_SITE_FILE = "(no site file)"


@dataclass
class SiteRoster:
    """One site's customer roster as identifier lists (one per customer), each value written
    down the way that site writes it: phones in E.164 read with its calling code, hashed
    where its redaction says so. Names are never kept."""

    site: str  # the site's qa.yaml, resolved; NO_SITE_FILE for the defaults
    customers: list[list[ident.Ident]]

    def aliases(self) -> set[str]:
        return {x.value for idents in self.customers for x in idents if x.kind == ident.LOGIN}


def site_key(config: Config) -> str:
    return str(config.source) if config.source is not None else NO_SITE_FILE


def this_site(config: Config) -> SiteRoster:
    norm = normaliser(config)
    return SiteRoster(
        site_key(config),
        [
            ident.roster_idents(
                ident.RosterEntry(c.id, tuple(c.emails), tuple(c.phones), tuple(c.aliases)), norm
            )
            for c in config.customer_roster()
        ],
    )


def save_roster(store: Store, config: Config) -> None:
    """Keep this site's roster in the store as identifiers (hashed where its redaction says
    so; replacing what it kept before; an empty roster removes it), so that a later rebuild
    run with another site's configuration still links this site's contacts."""
    site = this_site(config)
    with store.transaction() as conn:
        if not site.customers:
            conn.execute("DELETE FROM customer_rosters WHERE site = ?", [site.site])
            return
        conn.execute(
            "INSERT OR REPLACE INTO customer_rosters VALUES (?, ?, ?, ?)",
            [
                site.site,
                json.dumps(
                    [[[x.kind, x.value, x.origin] for x in idents] for idents in site.customers],
                    ensure_ascii=False,
                ),
                json.dumps({"country_code": config.journeys.country_code}),
                now(),
            ],
        )


def stored_rosters(store: Store) -> list[SiteRoster]:
    """Every site's kept roster, in the order of their keys (never of when they ran)."""
    return [
        SiteRoster(site, [[ident.Ident(*x) for x in idents] for idents in json.loads(entries)])
        for site, entries in store.conn.execute(
            "SELECT site, entries FROM customer_rosters ORDER BY site"
        )
    ]


def roster(config: Config, sites: list[SiteRoster] | None = None) -> list[list[ident.Ident]]:
    """The customer rosters as identifier lists, one per customer (default: this site's)."""
    if sites is None:
        sites = [this_site(config)]
    return [idents for site in sites for idents in site.customers]


def build_options(config: Config) -> dict[str, Any]:
    """The journey-building settings of qa.yaml, as `build()` takes them."""
    return {"window_hours": config.journeys.window_hours}


def _agent_names(store: Store, config: Config) -> dict[str, str]:
    """First names agents go by ('Simran') to their ids, where the name is one agent's."""
    names: dict[str, set[str]] = defaultdict(set)
    for entry in config.agents:
        if entry.name:
            names[entry.name.split()[0]].add(entry.id)
    for aid, name in store.conn.execute("SELECT id, name FROM agents"):
        if name:
            names[name.split()[0]].add(aid)
    return {n: next(iter(ids)) for n, ids in names.items() if len(ids) == 1 and len(n) > 2}


def checks(
    journeys: list[Journey],
    data_end: datetime,
    known_at: Mapping[str, tuple[KnownFact, ...]] | None = None,
) -> list[JourneyFlag]:
    """The journey checks between contacts: broken and open promises, two stories.
    `known_at`: each contact's campaign facts in force (`qa.journeys.known`), which say
    which of two stories was right."""
    from qa.journeys.promises import find_promises
    from qa.journeys.stories import find_inconsistencies

    flags: list[JourneyFlag] = []
    for j in journeys:
        flags += find_promises(j, data_end)
        # A lone email thread's messages, days apart, can tell two stories too.
        flags += find_inconsistencies(j, known_at=known_at)
    return flags


def survey(store: Store, contacts: list[Contact]) -> dict[str, Any]:
    """Survey gaming per agent (the test, counts, effect size, p), with the gap between
    survey scores and qa's own latest score where contacts were scored."""
    from qa.journeys.survey import survey_gaming

    scores: dict[str, float] = {}
    for iid, percent in store.conn.execute(
        "SELECT interaction_id, percent FROM evaluations WHERE percent IS NOT NULL"
        " ORDER BY created_at, rowid"
    ):
        scores[iid] = float(percent)
    return survey_gaming(contacts, qa_scores=scores or None)


@dataclass
class Summary:
    contacts: int
    journeys: int
    multi_contact: int
    customers: int
    unlinked: int
    repeats: int
    conflicts: int
    flags: dict[str, int]
    survey_errors: list[str]
    seconds: float
    rebuilt: bool = True  # False: nothing the journeys read had changed since the last build

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def rebuild(
    store: Store,
    config: Config,
    data_end: datetime | None = None,
    workers: int | None = None,
    *,
    force: bool = True,
) -> Summary:
    """Build every journey from the stored interactions and replace the journey tables.

    This site's roster is kept in the store first; every site's kept roster links contacts,
    so the journeys do not depend on which site's configuration ran last. With
    ``force=False`` nothing is built when nothing the journeys read has changed since the
    last build (`inputs_digest`): the stored summary comes back with ``rebuilt`` False."""
    save_roster(store, config)
    sites = stored_rosters(store)
    campaign_sets = journey_known.latest_sets(store)
    digest = inputs_digest(store, config, sites, data_end, campaign_sets)
    if not force:
        kept = _stored_summary(store, digest)
        if kept is not None:
            return kept
    # A rebuild makes millions of small objects and frees few of them: the cyclic garbage
    # collector would walk them all again and again for nothing. Paused, then restored.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _rebuild(store, config, sites, digest, data_end, workers, campaign_sets)
    finally:
        if paused:
            gc.enable()


def inputs_digest(
    store: Store,
    config: Config,
    sites: list[SiteRoster],
    data_end: datetime | None = None,
    campaign_sets: dict[str, str] | None = None,
) -> str:
    """A digest of everything a rebuild reads: the interactions and their turns, agents,
    routings, the latest qa score of each contact (the survey test's gap), the campaign set
    each contact was last checked against (a content digest: its facts say which of two
    stories was right), every site's roster, the journey settings, the site's time zone and
    the journey logic's stamp (`journey_logic`). Equal digests, equal journeys; it costs one
    lean read of the store, a few per cent of a rebuild."""
    h = hashlib.sha256()

    def feed(rows: Any) -> None:
        for row in rows:
            h.update(repr(row).encode("utf-8", "surrogatepass"))
        h.update(b"\x1e")

    conn = store.conn
    feed(
        conn.execute(
            "SELECT id, channel, source, agent_id, team, customer_id, case_id, direction,"
            " started_at, metadata, status FROM interactions ORDER BY id"
        )
    )
    # One row per contact: its turns joined in SQLite (their order as stored; a different
    # order only costs a rebuild, never a wrong skip).
    feed(
        conn.execute(
            "SELECT interaction_id, count(*), group_concat(coalesce(role, '') || char(31) ||"
            " coalesce(speaker, '') || char(31) || coalesce(start, '') || char(31) ||"
            " coalesce(text, '') || char(31) || coalesce(meta, ''), char(30))"
            " FROM (SELECT * FROM turns ORDER BY interaction_id, idx) GROUP BY interaction_id"
            " ORDER BY interaction_id"
        )
    )
    feed(conn.execute("SELECT id, name, team FROM agents ORDER BY id"))
    feed(
        conn.execute(
            "SELECT interaction_id, work_type, contact_reason FROM routings"
            " ORDER BY interaction_id, rowid"
        )
    )
    latest: dict[str, float] = {}
    for iid, percent in conn.execute(
        "SELECT interaction_id, percent FROM evaluations WHERE percent IS NOT NULL"
        " ORDER BY created_at, rowid"
    ):
        latest[iid] = float(percent)
    feed(sorted(latest.items()))
    if campaign_sets is None:
        campaign_sets = journey_known.latest_sets(store)
    feed(sorted(campaign_sets.items()))
    feed([(r.site, r.customers) for r in sites])
    feed(
        [
            journey_logic(),
            config.journeys.model_dump(mode="json"),
            settings(config),
            config.timezone,
            [(a.id, a.name) for a in config.agents],
            data_end.isoformat() if data_end else None,
        ]
    )
    return h.hexdigest()


# The modules whose constants decide the journeys besides qa.journeys' own: the quantities,
# numbers and clauses that stories and promises read (as qa.engine's DECIDING_MODULES do
# for scoring).
JOURNEY_MODULES = (
    "qa.statements.claims",
    "qa.statements.concepts",
    "qa.statements.numbers",
    "qa.statements.quantities",
    "qa.timeutil",
)


def journey_logic() -> dict[str, Any]:
    """What the journey code brings to its results, stamped as the scoring engine's
    (qa.engine.engine_settings): qa's version and every module-level constant (thresholds,
    cue lists, patterns) of qa.journeys and the modules it reads. Journeys kept by older
    logic are built again after an upgrade that changes any of them."""
    import pkgutil

    from qa import __version__
    from qa import journeys as package
    from qa.engine import module_constants

    names = sorted(f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__))
    return {
        "qa": __version__,
        "constants": {name: module_constants(name) for name in [*names, *JOURNEY_MODULES]},
    }


def _stored_summary(store: Store, digest: str) -> Summary | None:
    """The last build's summary when it was built from these very inputs."""
    kept = journey_read.summary(store)
    counts = kept.get("counts")
    if kept.get("inputs") != digest or not isinstance(counts, dict):
        return None
    try:
        return Summary(**{**counts, "seconds": 0.0, "rebuilt": False})
    except TypeError:  # a summary written by another version of qa
        return None


def _rebuild(
    store: Store,
    config: Config,
    sites: list[SiteRoster],
    digest: str,
    data_end: datetime | None,
    workers: int | None,
    campaign_sets: dict[str, str] | None = None,
) -> Summary:
    t0 = time.perf_counter()
    loaded = load(store, config, sites)
    identity = ident.resolve(loaded.ids, roster(config, sites))
    result = journey_build.build(
        loaded.contacts,
        identity,
        **build_options(config),
        agent_names=_agent_names(store, config),
        case_of=loaded.case_of,
        thread_of=loaded.thread_of,
        routed_reason=loaded.routed_reason,
    )
    if data_end is None and loaded.contacts:
        data_end = max(c.started_at for c in loaded.contacts)
    flags = list(result.repeats)
    known = journey_known.KnownFacts(store, campaign_sets).by_contact(
        loaded.contacts, loaded.day_of
    )
    flags += checks(result.journeys, data_end or datetime.now(UTC), known)
    gaming = survey(store, loaded.contacts)
    kinds = Counter(f.kind for f in flags)
    summary = Summary(
        contacts=len(loaded.contacts),
        journeys=len(result.journeys),
        multi_contact=sum(1 for j in result.journeys if len(j.contacts) > 1),
        customers=len(identity.customers),
        unlinked=len(identity.unlinked),
        repeats=len(result.repeats),
        conflicts=len(identity.conflicts),
        flags=dict(kinds),
        survey_errors=loaded.survey_errors,
        seconds=0.0,
    )
    _save(store, identity, result, flags, gaming, loaded, config, summary, digest)
    summary.seconds = round(time.perf_counter() - t0, 2)
    return summary


def _switches(channels: list[str]) -> int:
    return sum(1 for a, b in zip(channels, channels[1:], strict=False) if a != b)


def _save(
    store: Store,
    identity: ident.Identity,
    result: journey_build.BuildResult,
    flags: list[JourneyFlag],
    gaming: dict[str, Any],
    loaded: Loaded,
    config: Config,
    counts: Summary,
    digest: str,
) -> None:
    repeat_of = {f.interaction_id: f.other_interaction_id for f in result.repeats}
    customers = [
        (c.key, json.dumps(c.customer_ids), len(c.interactions), json.dumps(c.explain()))
        for c in identity.customers.values()
    ]
    idents = [
        (c.key, u.kind, u.value, json.dumps(u.origins), json.dumps(u.interactions))
        for c in identity.customers.values()
        for u in c.identifiers
    ]
    conflicts = [
        (x.kind, x.value, json.dumps(x.customer_ids), json.dumps(x.interactions), x.note)
        for x in identity.conflicts
    ]
    journeys, members = [], []
    surveyed: list[tuple[float, float]] = []
    for j in result.journeys:
        measured = journey_effort.measure(j)
        said = journey_effort.survey_score(j)
        if said is not None:
            surveyed.append((measured.total, said))
        chans = [c.channel for c in j.contacts]
        first, last = j.contacts[0], j.contacts[-1]
        fcr = result.fcr.get(j.id)
        journeys.append(
            (
                j.id,
                j.customer,
                j.reason,
                first.started_at.isoformat(),
                last.started_at.isoformat(),
                len(j.contacts),
                sum(1 for c in j.contacts if c.initiated_by == "customer"),
                json.dumps(list(dict.fromkeys(chans))),
                _switches(chans),
                round((last.started_at - first.started_at).total_seconds() / 3600, 2),
                None if fcr is None else int(fcr),
                int(last.outcome == "resolved"),
                measured.total,
                json.dumps(j.linked_by),
            )
        )
        for pos, c in enumerate(j.contacts):
            why = loaded.outcome_why.get(c.interaction_id)
            members.append(
                (
                    c.interaction_id,
                    j.id,
                    pos,
                    c.initiated_by,
                    c.outcome,
                    why.turn if why else None,
                    why.cue if why else None,
                    repeat_of.get(c.interaction_id),
                    measured.of(c.interaction_id),
                    json.dumps(measured.parts.get(c.interaction_id, {})),
                )
            )
    flag_rows = [
        (
            content_id("journey_flag", f.kind, f.interaction_id, f.other_interaction_id, i),
            f.journey_id,
            f.interaction_id,
            f.other_interaction_id,
            f.kind,
            f.severity,
            f.message,
            f.quote,
            f.turn,
            f.other_quote,
            f.other_turn,
            json.dumps(f.details, default=str, ensure_ascii=False),
        )
        for i, f in enumerate(flags)
    ]
    summary = {
        "built_at": now(),
        "window_hours": config.journeys.window_hours,
        "unlinked": identity.unlinked,
        "survey_gaming": gaming,
        "survey_errors": loaded.survey_errors,
        "effort_agreement": journey_effort.agreement(surveyed),
        "counts": {k: v for k, v in counts.as_dict().items() if k not in ("seconds", "rebuilt")},
        "inputs": digest,
    }
    with store.transaction() as conn:
        for table in (
            "customers",
            "customer_identifiers",
            "identifier_conflicts",
            "journeys",
            "journey_contacts",
            "journey_flags",
            "journey_summary",
        ):
            conn.execute(f"DELETE FROM {table}")
        conn.executemany("INSERT INTO customers VALUES (?, ?, ?, ?)", customers)
        conn.executemany(
            "INSERT OR IGNORE INTO customer_identifiers VALUES (?, ?, ?, ?, ?)", idents
        )
        conn.executemany(
            "INSERT OR REPLACE INTO identifier_conflicts VALUES (?, ?, ?, ?, ?)", conflicts
        )
        conn.executemany(
            "INSERT INTO journeys VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", journeys
        )
        conn.executemany(
            "INSERT INTO journey_contacts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", members
        )
        conn.executemany(
            "INSERT OR REPLACE INTO journey_flags VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            flag_rows,
        )
        conn.executemany(
            "INSERT INTO journey_summary VALUES (?, ?)",
            [(k, json.dumps(v, default=str, ensure_ascii=False)) for k, v in summary.items()],
        )
