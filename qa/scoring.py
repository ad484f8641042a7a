"""The scoring stage over the store: `qa score` and `qa rescore`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.campaigns.check import check_interaction
from qa.campaigns.schema import Campaign
from qa.config import Config
from qa.engine import engine_settings, engine_stamp
from qa.errors import ConfigError, QAError
from qa.ingest.batch import IngestReport, ingest
from qa.language import base
from qa.matching import Matcher
from qa.metrics import compute_metrics
from qa.model import Evaluation, Failure, Flag, Interaction
from qa.progress import NoProgress, Progress
from qa.routing.rules import Routing
from qa.routing.run import apply_routes, plan
from qa.scorecard.context import sentences_for_acts
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
# Interactions whose sentences are handed to the embedding threads together; the next ones
# are handed when half of them are scored, so that the threads never run dry between them.
PREFETCH = 256
# Sentences handed ahead in one part (embedded in batches by length within it): the parts
# follow the order the interactions are scored in, so the first one's are ready first. The
# last parts of a run are smaller (each two thirds of what is left, at least one
# interaction), so that the sentence model is still at work while the last are scored.
AHEAD_PART = 256


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
    scope: RescoreScope | None = None  # a rescore with one card: what it took and left alone
    by_card: dict[str, int] = field(default_factory=dict)  # scored per card ("name (hash)")

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
        if self.scope is not None:
            out["scope"] = self.scope.as_dict()
        if self.by_card:
            out["by_card"] = self.by_card
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
    workers: int = 1,
) -> ScoreReport:
    """Check campaigns, verify a call's violations by a second reading, hold for review what
    rests on words heard with low confidence, score, and store. With `workers` above 1,
    chunks of the interactions are scored in that many forked processes (where the platform
    forks and there are enough of them); this process writes every result, in order."""
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
    job = _Job(items, card, matcher, campaigns, site_tz, verifier)
    scorings = _in_pool(job, workers) if workers > 1 else _scorings(job, items)
    for item, one in zip(items, scorings, strict=True):
        if one is None:
            if item.status == Status.REGISTERED:
                report.waiting.append(item.id)
        else:
            if one.verification is not None:
                item.metadata["verification"] = one.verification
                store.set_metadata(item.id, "verification", one.verification)
            batch.append((item.id, one.evaluation, one.metrics, one.flags, campaign_set))
            _tally(report, item, one, campaigns)
        if len(batch) >= SAVE_EVERY:
            store.save_evaluations(batch, engine, contents)
            batch = []
        progress.advance(item.source)
    store.save_evaluations(batch, engine, contents)
    progress.finish()
    if verifier is not None:
        report.verification = verifier.summary()
    return report


def _tally(
    report: ScoreReport, item: Interaction, one: _Scored, campaigns: list[Campaign] | None
) -> None:
    """One scored interaction into the report, stored or scored as a what-if alike."""
    report.flags += len(one.flags or [])
    report.evaluations[item.id] = one.evaluation
    report.flags_by_id[item.id] = one.standing
    report.campaigns_by_id[item.id] = campaigns
    report.scored += 1


@dataclass
class _Job:
    """What scoring a list of interactions needs besides the store; a forked worker inherits
    it whole, and is sent only which interactions to score."""

    items: list[Interaction]
    card: LoadedScorecard
    matcher: Matcher
    campaigns: list[Campaign] | None
    site_tz: str | None
    verifier: Verifier | None
    critical: dict[str, bool] = field(init=False)
    uses_semantic: bool = field(init=False)

    def __post_init__(self) -> None:
        criteria = [c for _, c in self.card.scorecard.criteria()]
        self.critical = {c.id: bool(c.critical) for c in criteria}
        self.uses_semantic = any(semantic_specs(c) for c in criteria)


@dataclass
class _Scored:
    """One interaction scored: what the writer needs of it."""

    evaluation: Evaluation
    metrics: dict[str, Any]
    flags: list[Flag] | None  # None: campaigns were not checked
    standing: list[Flag] | None  # the flags that count against the agent
    verification: list[dict[str, Any]] | None  # a second reading's record, to store


def _score_one(job: _Job, item: Interaction) -> _Scored | None:
    """Check campaigns, verify, score one interaction; None for a call not transcribed yet."""
    if item.channel == Channel.VOICE and not item.turns:
        return None
    metrics = {**item.metadata.get("metrics", {}), **compute_metrics(item)}
    campaigns, verifier = job.campaigns, job.verifier
    flags = (
        check_interaction(item, campaigns, job.matcher, job.site_tz)
        if campaigns is not None
        else None
    )
    if "verification" in item.metadata:
        # An earlier scoring's record of what its second reading removed: this one replaces
        # it, read again or not.
        item.metadata["verification"] = []
    if flags and campaigns is not None and verifier is not None:
        check = partial(
            check_interaction, campaigns=campaigns, matcher=job.matcher, site_tz=job.site_tz
        )
        flags = verify_flags(item, flags, check, verifier)
    verification = item.metadata.get("verification")
    # Only open flags count against the agent: those held for review wait for a person.
    standing = review_flags(item, flags) if flags is not None else None
    ev = score_interaction(item, job.card, job.matcher, metrics, standing, campaigns)
    review_results(item, ev, job.critical, job.card.scorecard.pass_mark)
    return _Scored(ev, metrics, flags, standing, verification)


def _scorings(job: _Job, items: list[Interaction]) -> Iterator[_Scored | None]:
    """Each interaction scored in this process, in order, its sentences handed ahead."""
    ahead = _Ahead(job, items)
    for n, item in enumerate(items):
        ahead.before(n)
        yield _score_one(job, item)


class _Ahead:
    """Hands the sentences of the interactions to come to the embedding threads, in the
    order they will be asked for, in parts (each embedded in batches by length).

    What a card reads: the sentences of its semantic phrase lists' windows, and, where its
    criteria read dialogue acts, every sentence that may perform one. Act sentences are
    only expected till a criterion asks for one (the matcher hands them ahead on the first
    ask); after, they are handed with the rest, in one part. Before the first interaction
    the first PREFETCH are expected with their act sentences, the first interaction's a
    part of its own (handed at the first ask, most often in the first interaction), which
    a card with semantic lists hands at once (the model loads for it anyway, and so works
    while the first interaction's criteria run up to their first ask); if the first asks
    for no act, the rest are handed without them once it is scored. The next PREFETCH are
    handed when half of those are scored, so that the threads never run dry between
    them."""

    def __init__(self, job: _Job, items: list[Interaction]) -> None:
        self.job, self.items = job, items
        self.handed = 0  # interactions whose sentences were handed ahead or expected
        job.matcher.expect_anew()

    def before(self, n: int) -> None:
        """Called before the n-th interaction is scored."""
        matcher, total = self.job.matcher, len(self.items)
        if n == 0:
            self.handed = min(total, PREFETCH)
            first = self._sentences(self.items[:1], acts=True)
            if self.job.uses_semantic and first:
                matcher.prefetch(first)  # the model is needed anyway: at work from the start
            else:
                matcher.expect(first)
            for part in self._parts(1, self.handed):
                matcher.expect(self._sentences(part, acts=True))
        elif n == 1 and not matcher.expected_asked:
            matcher.expect_anew()  # no act read in the first: the rest as they are asked for
            self._hand(1, self.handed)
        elif self.handed < total and n >= self.handed - PREFETCH // 2:
            start, self.handed = self.handed, min(total, self.handed + PREFETCH)
            self._hand(start, self.handed)

    def _hand(self, start: int, end: int) -> None:
        matcher = self.job.matcher
        for part in self._parts(start, end):
            said = self._sentences(part, acts=matcher.expected_asked)
            if said:
                matcher.prefetch(said)
            if not matcher.expected_asked:
                matcher.expect([s for i in part for s in sentences_for_acts(i)])

    def _sentences(self, part: list[Interaction], acts: bool) -> list[str]:
        """The part's sentences, interaction by interaction: of semantic phrase lists'
        windows, and with `acts` every one a dialogue act may be read from."""
        card, semantic = self.job.card, self.job.uses_semantic
        out: list[str] = []
        for item in part:
            if semantic:
                out.extend(semantic_sentences(card, item))
            if acts:
                out.extend(sentences_for_acts(item))
        return out

    def _parts(self, start: int, end: int) -> list[list[Interaction]]:
        """The interactions start..end in parts of about AHEAD_PART sentences; at the end
        of the run each part is two thirds of the sentences left (at least one
        interaction), so the last ones are small: the model is still at work on them while
        the interactions before are scored."""
        items = self.items[start:end]
        sizes = [sum(len(sentences(t.text)) for t in i.turns) for i in items]
        last = end == len(self.items)
        parts: list[list[Interaction]] = []
        a, left = 0, sum(sizes)
        while a < len(items):
            target = min(AHEAD_PART, 2 * left // 3) if last else AHEAD_PART
            b, got = a, 0
            while b < len(items) and (b == a or got < target):
                got += sizes[b]
                b += 1
            parts.append(items[a:b])
            left -= got
            a = b
        return parts


WORKER_DIED = (
    "a scoring worker process died (killed, or out of memory); the evaluations written "
    "before it are kept: run again, with --workers 1 to score in one process"
)


class ScoringWorkerDied(QAError):
    """A worker process of a pooled scoring run died before it gave back its chunk."""


MAX_WORKERS = 256  # a sanity bound on --workers, far above any one machine's cores
CHUNK = 40  # interactions a worker process scores per task (1-1000)
_forked: _Job | None = None  # the job that forked workers inherit


def _in_pool(job: _Job, workers: int) -> Iterator[_Scored | None]:
    """Each interaction scored, in order: chunks of them in forked worker processes, at
    most two chunks per worker in flight. The first is scored here first, so that what it
    loads (fitted heads, act examples) is loaded once, before the fork."""
    import multiprocessing

    global _forked
    items = job.items
    if "fork" not in multiprocessing.get_all_start_methods() or len(items) < 2 * CHUNK + 1:
        yield from _scorings(job, items)
        return
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    yield from _scorings(job, items[:1])
    _forked = job
    pool = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("fork"), initializer=_start_scorer
    )
    try:
        chunks = deque(range(1, len(items), CHUNK))
        flight: deque[Future[tuple[list[_Scored | None], tuple[int, int, float, float]]]]
        flight = deque()
        while chunks or flight:
            while chunks and len(flight) < 2 * workers:
                start = chunks.popleft()
                flight.append(pool.submit(_score_chunk, start, min(start + CHUNK, len(items))))
            try:
                done, counts = flight.popleft().result()
            except BrokenProcessPool as exc:
                raise ScoringWorkerDied(WORKER_DIED) from exc
            _add_counts(job.verifier, counts)
            yield from done
    finally:
        _forked = None
        pool.shutdown(wait=True, cancel_futures=True)


def _start_scorer() -> None:
    """A forked worker: it dies with its parent, and reads the store through a connection
    of its own (SQLite's may not cross a fork)."""
    from qa.executors.local import _die_with_parent

    _die_with_parent()
    assert _forked is not None
    opened: dict[int, Any] = {}

    def own(vectors: Any) -> Any:
        if not isinstance(vectors, Store):
            return vectors
        if id(vectors) not in opened:
            opened[id(vectors)] = Store(vectors.path, vectors.redaction)
        return opened[id(vectors)]

    _forked.matcher.reopen(own)


def _score_chunk(
    start: int, end: int
) -> tuple[list[_Scored | None], tuple[int, int, float, float]]:
    """In a worker: the job's interactions start..end scored, and what the verifier did."""
    assert _forked is not None
    before = _verifier_counts(_forked.verifier)
    done = list(_scorings(_forked, _forked.items[start:end]))
    after = _verifier_counts(_forked.verifier)
    return done, (
        after[0] - before[0],
        after[1] - before[1],
        after[2] - before[2],
        after[3] - before[3],
    )


def _verifier_counts(verifier: Verifier | None) -> tuple[int, int, float, float]:
    if verifier is None:
        return 0, 0, 0.0, 0.0
    return verifier.kept, verifier.removed, verifier.seconds, verifier.wall_s


def _add_counts(verifier: Verifier | None, counts: tuple[int, int, float, float]) -> None:
    """A worker's verification counts, added to this process's verifier."""
    if verifier is not None:
        verifier.kept += counts[0]
        verifier.removed += counts[1]
        verifier.seconds += counts[2]
        verifier.wall_s += counts[3]


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
    # A recording that failed in an earlier run stays failed until its file is fixed: listed
    # again, so that the rerun gives the same answer (and the same exit code).
    listed = {(f.source, f.stage) for f in failures}
    failures += [f for f in store.recording_failures(wanted) if (f.source, f.stage) not in listed]
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
        before_card = report.scored
        score_interactions(
            store, items, one, matcher, progress, report, campaigns, config.timezone, verifier
        )
        _count_card(report, one, before_card)
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


def _count_card(report: ScoreReport, card: LoadedScorecard, before: int) -> None:
    """How many the card scored since `before`, under its name and version, for the summary."""
    key = f"{card.scorecard.name} ({card.hash[:8]})"
    report.by_card[key] = report.by_card.get(key, 0) + report.scored - before


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
    workers: int | None = None,
) -> tuple[ScoreReport, Comparison | None]:
    """Score stored transcripts again. With `card`: the interactions it applies to
    (`rescore_scope`). With `routing`, every interaction is routed again and scored with each
    card its route gives. `workers` processes score (default: one per core); this one writes,
    in order. With an older card (`compare_with`), a what-if: the card's results are scored
    in memory and compared with the older card's, and nothing is stored.

    Without `campaigns`, each interaction is checked against the campaign set its latest
    evaluation was checked against (none if it was not), unless `keep_campaigns` is off.
    """
    if workers is None:
        from qa.executors.local import cores

        workers = cores()
    elif not 1 <= workers <= MAX_WORKERS:
        raise ConfigError(f"--workers must be between 1 and {MAX_WORKERS}, not {workers}")
    items = [i for i in store.load_interactions() if i.turns]
    report = ScoreReport()
    verifier = verifier or Verifier()
    stored = store.latest_campaigns_hashes()
    if routing is None:
        if card is None:
            raise ConfigError("give a scorecard or a routing file")
        items, report.scope = rescore_scope(store, card, items, compare_with)
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
    what_if = compare_with is not None and routing is None
    score = score_in_memory if what_if else score_interactions
    for one, group in plans:
        before_card = report.scored
        if campaigns is not None or not keep_campaigns:
            score(
                store, group, one, matcher, progress, report, campaigns, site_tz, verifier, workers
            )
            _count_card(report, one, before_card)
            continue
        kept_groups: dict[str | None, list[Interaction]] = {}
        for item in group:
            kept_groups.setdefault(stored.get(item.id), []).append(item)
        for digest, kept_group in kept_groups.items():
            kept = stored_campaigns(store, digest) if digest is not None else None
            score(
                store, kept_group, one, matcher, progress, report, kept, site_tz, verifier, workers
            )
        _count_card(report, one, before_card)
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


@dataclass
class RescoreScope:
    """Which stored interactions a rescore with one card takes, and which it leaves alone."""

    language: str  # the card's
    basis: str  # "card": those its name scored or was routed to before; "all": a new card
    taken: int = 0
    not_its_card: int = 0  # scored and routed by other cards only
    other_language: int = 0  # in another language than the card's
    stored: bool = True  # False: a what-if, nothing written

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def rescore_scope(
    store: Store,
    card: LoadedScorecard,
    items: list[Interaction],
    compare_with: LoadedScorecard | None = None,
) -> tuple[list[Interaction], RescoreScope]:
    """The interactions a card applies to on a rescore: those a card of its name (or the
    card it is compared with) scored before or was routed to; every one for a card that
    never scored. Never one in another language than the card's: an English card's verdicts
    on a Chinese contact would replace real figures with noise."""
    cards = [card] if compare_with is None else [card, compare_with]
    names = {c.scorecard.name for c in cards}
    hashes = {c.hash for c in cards}
    marks = ", ".join("?" * len(names))
    scored = {
        r[0]
        for r in store.conn.execute(
            "SELECT DISTINCT e.interaction_id FROM evaluations e"
            " LEFT JOIN scorecards s ON s.hash = e.scorecard_hash"
            f" WHERE s.name IN ({marks}) OR e.scorecard_hash IN ({', '.join('?' * len(hashes))})",
            [*names, *hashes],
        )
    }
    for ident, routed in store.conn.execute("SELECT interaction_id, scorecards FROM routings"):
        if any(
            c.get("name") in names or c.get("hash") in hashes for c in json.loads(routed or "[]")
        ):
            scored.add(ident)
    language = base(card.scorecard.language)
    scope = RescoreScope(card.scorecard.language, "card" if scored else "all")
    taken = []
    for item in items:
        if scored and item.id not in scored:
            scope.not_its_card += 1
        elif base(item.language) not in ("", language):
            scope.other_language += 1
        else:
            taken.append(item)
    scope.taken = len(taken)
    scope.stored = compare_with is None
    return taken, scope


def score_in_memory(
    store: Store,
    items: list[Interaction],
    card: LoadedScorecard,
    matcher: Matcher,
    progress: Progress | None = None,
    report: ScoreReport | None = None,
    campaigns: list[Campaign] | None = None,
    site_tz: str | None = None,
    verifier: Verifier | None = None,
    workers: int = 1,
) -> ScoreReport:
    """What `score_interactions` would give, with nothing written: a draft card's what-if."""
    report = report or ScoreReport()
    progress = progress or NoProgress()
    progress.start(len(items), "Scoring (what-if, nothing stored)")
    job = _Job(items, card, matcher, campaigns, site_tz, verifier)
    scorings = _in_pool(job, workers) if workers > 1 else _scorings(job, items)
    for item, one in zip(items, scorings, strict=True):
        if one is not None:
            _tally(report, item, one, campaigns)
        progress.advance(item.source)
    progress.finish()
    return report
