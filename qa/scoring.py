"""The scoring stage over the store: `qa score` and `qa rescore`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.campaigns.check import check_interaction
from qa.campaigns.schema import Campaign
from qa.config import Config
from qa.engine import engine_settings, engine_stamp
from qa.errors import ConfigError
from qa.ingest.batch import IngestReport, ingest
from qa.matching import Matcher
from qa.metrics import compute_metrics
from qa.model import Evaluation, Failure, Flag, Interaction
from qa.progress import NoProgress, Progress
from qa.routing.rules import Routing
from qa.routing.run import apply_routes, plan
from qa.scorecard.engine import score_interaction, semantic_sentences, semantic_specs
from qa.scorecard.load import LoadedScorecard
from qa.store import Store, content_id
from qa.text import sentences
from qa.vocabulary import Channel, Status
from qa.voice.asr import Transcriber
from qa.voice.batch import TranscribeReport, pending, transcribe_pending
from qa.voice.confidence import review_flags, review_results
from qa.voice.pipeline import VoiceSettings
from qa.voice.verify import Verifier, verify_flags, verify_settings

if TYPE_CHECKING:
    from qa.executors import Executor

SAVE_EVERY = 200  # evaluations per transaction: a killed run loses at most this many
PREFETCH = 256  # interactions whose sentences are embedded together, in large batches


@dataclass
class ScoreReport:
    scored: int = 0
    already: int = 0
    flags: int = 0
    waiting: list[str] = field(default_factory=list)  # recordings not transcribed yet
    failures: list[Failure] = field(default_factory=list)
    ingest: IngestReport | None = None
    evaluations: dict[str, Evaluation] = field(default_factory=dict)
    flags_by_id: dict[str, list[Flag] | None] = field(default_factory=dict)
    campaigns_by_id: dict[str, list[Campaign] | None] = field(default_factory=dict)
    engine: str | None = None
    # Re-scored because the engine changed since their last scoring with this card, and
    # the criteria whose result or points changed for each.
    engine_rescored: list[str] = field(default_factory=list)
    engine_changes: dict[str, list[str]] = field(default_factory=dict)
    verification: dict[str, Any] | None = None  # call flags kept and removed by a second reading
    transcription: TranscribeReport | None = None  # the recordings this run recognised
    driver_peak_rss_mb: float | None = None  # the process that ingested, scored and wrote

    @property
    def reviews(self) -> list[Failure]:
        """Recordings transcribed this run that wait for a person (roles in doubt, one voice)."""
        return list(self.transcription.review) if self.transcription is not None else []

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "scored": self.scored,
            "already_scored": self.already,
            "flags": self.flags,
            "waiting_for_transcription": len(self.waiting),
            "failed": len(self.failures),
            "failures": [f.__dict__ for f in self.failures],
            "engine": self.engine,
            "rescored_for_engine": len(self.engine_rescored),
            "changed_by_engine": self.engine_changes,
        }
        if self.ingest is not None:
            out["ingest"] = self.ingest.as_dict()
        if self.verification is not None:
            out["verification"] = self.verification
        if self.transcription is not None:
            out["transcription"] = self.transcription.as_dict()
        if self.driver_peak_rss_mb is not None:
            out["driver_peak_rss_mb"] = round(self.driver_peak_rss_mb, 1)
        return out


def score_interactions(
    store: Store,
    items: list[Interaction],
    card: LoadedScorecard,
    matcher: Matcher,
    progress: Progress | None = None,
    report: ScoreReport | None = None,
    campaigns: list[Campaign] | None = None,
    site_tz: str | None = None,
    verifier: Verifier | None = None,
) -> ScoreReport:
    """Check campaigns, verify a call's violations by a second reading, hold for review what
    rests on words heard with low confidence, score, and store."""
    report = report or ScoreReport()
    progress = progress or NoProgress()
    store.save_scorecard(
        card.scorecard.name, card.hash, card.text, card.scorecard.model_dump(mode="json")
    )
    engine = current_engine(store, matcher)
    report.engine = engine
    campaign_set = campaigns_key(campaigns)
    if campaigns is not None and campaign_set is not None:
        store.save_campaign_set(campaign_set, [c.model_dump(mode="json") for c in campaigns])
    progress.start(len(items), "Scoring")
    contents: dict[str, str | None] = {i.id: i.content for i in items if i.content is not None}
    batch: list[tuple[str, Evaluation, dict[str, Any], list[Flag] | None, str | None]] = []
    uses_semantic = any(semantic_specs(c) for _, c in card.scorecard.criteria())
    critical = {c.id: bool(c.critical) for _, c in card.scorecard.criteria()}
    for n, item in enumerate(items):
        if n % PREFETCH == 0:
            if uses_semantic:
                matcher.prefetch(
                    [s for i in items[n : n + PREFETCH] for s in semantic_sentences(card, i)]
                )
            # Criteria that read dialogue acts embed every sentence: all of the next
            # interactions' at once, when the first one asks.
            matcher.expect(
                [s for i in items[n : n + PREFETCH] for t in i.turns for s in sentences(t.text)]
            )
        if item.channel == Channel.VOICE and not item.turns:
            if item.status == Status.REGISTERED:
                report.waiting.append(item.id)
        else:
            metrics = {**item.metadata.get("metrics", {}), **compute_metrics(item)}
            flags = (
                check_interaction(item, campaigns, matcher, site_tz)
                if campaigns is not None
                else None
            )
            if flags and campaigns is not None and verifier is not None:
                check = partial(
                    check_interaction, campaigns=campaigns, matcher=matcher, site_tz=site_tz
                )
                flags = verify_flags(item, flags, check, verifier)
                if "verification" in item.metadata:
                    store.set_metadata(item.id, "verification", item.metadata["verification"])
            # Only open flags count against the agent: those held for review wait for a person.
            standing = review_flags(item, flags) if flags is not None else None
            ev = score_interaction(item, card, matcher, metrics, standing, campaigns)
            review_results(item, ev, critical, card.scorecard.pass_mark)
            batch.append((item.id, ev, metrics, flags, campaign_set))
            report.flags += len(flags or [])
            report.evaluations[item.id] = ev
            report.flags_by_id[item.id] = standing
            report.campaigns_by_id[item.id] = campaigns
            report.scored += 1
        if len(batch) >= SAVE_EVERY:
            store.save_evaluations(batch, engine, contents)
            batch = []
        progress.advance(item.source)
    store.save_evaluations(batch, engine, contents)
    progress.finish()
    if verifier is not None:
        report.verification = verifier.summary()
    return report


def current_engine(store: Store, matcher: Matcher) -> str:
    """The stamp of the engine scoring now (its settings kept in the store once)."""
    settings = engine_settings(matcher.settings())
    stamp = engine_stamp(settings)
    store.save_engine(stamp, settings)
    return stamp


def stored_campaigns(store: Store, digest: str) -> list[Campaign]:
    """A campaign set as it was when an evaluation was checked against it."""
    data = store.campaign_set(digest)
    if data is None:
        raise ConfigError(f"the campaign set {digest} is not in the database: give --campaigns DIR")
    return [Campaign.model_validate(c) for c in data]


def campaigns_key(campaigns: list[Campaign] | None) -> str | None:
    """Which campaign files an evaluation was checked against: a change re-checks."""
    if campaigns is None:
        return None
    return content_id("campaigns", [c.model_dump(mode="json") for c in campaigns])


def _under(source: str, roots: list[Path]) -> bool:
    resolved = Path(source).resolve()
    return any(resolved == r or r in resolved.parents for r in roots)


def score_paths(
    paths: list[Path],
    store: Store,
    config: Config,
    card: LoadedScorecard | None,
    matcher: Matcher,
    manifest: Path | None = None,
    progress: Progress | None = None,
    voice: VoiceSettings | None = None,
    transcriber: Transcriber | None = None,
    campaigns: list[Campaign] | None = None,
    verifier: Verifier | None = None,
    routing: Routing | None = None,
    executor: Executor | None = None,
) -> ScoreReport:
    """The main job: ingest the paths, transcribe new recordings (through `executor`: in
    this process by default), score what is not scored yet: with `card`, or with every card
    that `routing` gives each interaction."""
    ingested = ingest(paths, store, config, manifest, progress)
    transcribed = None
    if voice is not None and pending(store):
        transcribed = transcribe_pending(store, voice, transcriber, progress, executor=executor)
    roots = [p.resolve() for p in paths]
    engine = current_engine(store, matcher)
    # What the paths hold, and what this ingest rewrote: a thread that a reply under these
    # paths has grown keeps the source of its first message, which may lie elsewhere.
    touched = set(ingested.interaction_ids)
    wanted = [
        r["id"]
        for r in store.db.query("SELECT id, source FROM interactions")
        if _under(r["source"], roots) or r["id"] in touched
    ]
    failures = list(ingested.failures) + (transcribed.failures if transcribed else [])
    report = ScoreReport(ingest=ingested, failures=failures, transcription=transcribed)
    if verifier is None:
        verifier = Verifier(verify_settings(config))
    for one, ids in _plans(store, wanted, card, routing):
        done = store.evaluated_ids(one.hash, campaigns_key(campaigns), engine)
        todo = [i for i in ids if i not in done]
        report.already += len(ids) - len(todo)
        # Scored with this card and these campaigns, by another engine: say what changes.
        stale = store.evaluated_ids(one.hash, campaigns_key(campaigns)) & set(todo)
        before = store.stored_results(one.hash, sorted(stale))
        items = store.load_interactions(todo)
        if routing is not None:
            apply_routes(store, items)
        score_interactions(
            store, items, one, matcher, progress, report, campaigns, config.timezone, verifier
        )
        for ident in sorted(stale):
            old = before.get(ident, {}).get("criteria", {})
            ev = report.evaluations.get(ident)
            if ev is None:
                continue
            report.engine_rescored.append(ident)
            new = {c.id: (c.result, c.points) for c in ev.criteria}
            changed = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
            if changed:
                report.engine_changes[ident] = changed
    return report


def _plans(
    store: Store, ids: list[str], card: LoadedScorecard | None, routing: Routing | None
) -> list[tuple[LoadedScorecard, list[str]]]:
    """Which card scores which interactions: one card for all, or as routing decides."""
    if routing is None:
        if card is None:
            raise ConfigError("give a scorecard or a routing file")
        return [(card, ids)]
    groups: dict[str, tuple[LoadedScorecard, list[str]]] = {}
    for ident, cards in plan(store, ids, routing).items():
        for one in cards:
            groups.setdefault(one.hash, (one, []))[1].append(ident)
    return list(groups.values())


@dataclass
class Change:
    interaction_id: str
    agent: str | None
    criterion: str
    before: str
    after: str
    points_before: float
    points_after: float


@dataclass
class Comparison:
    changes: list[Change]
    interactions: int

    def by_criterion(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.changes:
            out[c.criterion] = out.get(c.criterion, 0) + 1
        return dict(sorted(out.items()))

    def by_agent(self) -> dict[str, int]:
        out: dict[str, set[str]] = {}
        for c in self.changes:
            out.setdefault(c.agent or "(no agent)", set()).add(c.interaction_id)
        return {k: len(v) for k, v in sorted(out.items())}

    def as_dict(self) -> dict[str, Any]:
        return {
            "interactions_scored": self.interactions,
            "interactions_changed": len({c.interaction_id for c in self.changes}),
            "by_criterion": self.by_criterion(),
            "by_agent": self.by_agent(),
            "changes": [c.__dict__ for c in self.changes],
        }


def rescore(
    store: Store,
    card: LoadedScorecard | None,
    matcher: Matcher,
    compare_with: LoadedScorecard | None = None,
    progress: Progress | None = None,
    campaigns: list[Campaign] | None = None,
    site_tz: str | None = None,
    keep_campaigns: bool = True,
    verifier: Verifier | None = None,
    routing: Routing | None = None,
) -> tuple[ScoreReport, Comparison | None]:
    """Score every stored transcript again; with an older card, say what changed. With
    `routing`, every interaction is routed again and scored with each card its route gives.

    Without `campaigns`, each interaction is checked against the campaign set its latest
    evaluation was checked against (none if it was not), unless `keep_campaigns` is off.
    """
    items = [i for i in store.load_interactions() if i.turns]
    report = ScoreReport()
    verifier = verifier or Verifier()
    stored = store.latest_campaigns_hashes()
    if routing is None:
        if card is None:
            raise ConfigError("give a scorecard or a routing file")
        plans = [(card, items)]
    else:
        from qa.routing.run import decide_routes

        by_card: dict[str, tuple[LoadedScorecard, list[Interaction]]] = {}
        for r in decide_routes(store, items, routing):
            r.item.work_type = r.decision.work_type.value
            if r.item.direction is None:
                r.item.direction = r.decision.direction.value
            for one in r.route.scorecards:
                by_card.setdefault(one.hash, (one, []))[1].append(r.item)
        plans = list(by_card.values())
    for one, group in plans:
        if campaigns is not None or not keep_campaigns:
            score_interactions(
                store, group, one, matcher, progress, report, campaigns, site_tz, verifier
            )
            continue
        kept_groups: dict[str | None, list[Interaction]] = {}
        for item in group:
            kept_groups.setdefault(stored.get(item.id), []).append(item)
        for digest, kept_group in kept_groups.items():
            kept = stored_campaigns(store, digest) if digest is not None else None
            score_interactions(
                store, kept_group, one, matcher, progress, report, kept, site_tz, verifier
            )
    if compare_with is None or routing is not None:
        return report, None
    return report, compare(store, items, report, compare_with, matcher)


def compare(
    store: Store,
    items: list[Interaction],
    report: ScoreReport,
    old_card: LoadedScorecard,
    matcher: Matcher,
) -> Comparison:
    """Every criterion whose result or points differ between the old card's evaluation (as
    stored, else scored now with the same campaign flags) and the new one."""
    stored = store.stored_results(old_card.hash, [i.id for i in items])
    changes: list[Change] = []
    for item in items:
        agent = item.agent.id if item.agent else None
        if item.id in stored:
            old = stored[item.id]["criteria"]
        else:
            metrics = {**item.metadata.get("metrics", {}), **compute_metrics(item)}
            flags = report.flags_by_id.get(item.id)  # checked once, in the scoring above
            camps = report.campaigns_by_id.get(item.id)
            scored = score_interaction(item, old_card, matcher, metrics, flags, camps)
            critical = {c.id: bool(c.critical) for _, c in old_card.scorecard.criteria()}
            review_results(item, scored, critical, old_card.scorecard.pass_mark)
            old = {c.id: (c.result, c.points) for c in scored.criteria}
        new = {c.id: (c.result, c.points) for c in report.evaluations[item.id].criteria}
        for crit in [*new, *(k for k in old if k not in new)]:
            was, now_ = old.get(crit, ("absent", 0.0)), new.get(crit, ("absent", 0.0))
            if was != now_:
                changes.append(Change(item.id, agent, crit, was[0], now_[0], was[1], now_[1]))
    return Comparison(changes, len(items))
