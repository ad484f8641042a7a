"""The scoring stage over the store: `qa score` and `qa rescore`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa.campaigns.check import check_interaction
from qa.campaigns.schema import Campaign
from qa.config import Config
from qa.ingest.batch import IngestReport, ingest
from qa.matching import Matcher
from qa.metrics import compute_metrics
from qa.model import Evaluation, Failure, Flag, Interaction
from qa.progress import NoProgress, Progress
from qa.scorecard.engine import score_interaction, semantic_sentences, semantic_specs
from qa.scorecard.load import LoadedScorecard
from qa.store import Store, content_id
from qa.vocabulary import Channel, Status
from qa.voice.asr import Transcriber
from qa.voice.batch import pending, transcribe_pending
from qa.voice.pipeline import VoiceSettings

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

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "scored": self.scored,
            "already_scored": self.already,
            "flags": self.flags,
            "waiting_for_transcription": len(self.waiting),
            "failed": len(self.failures),
            "failures": [f.__dict__ for f in self.failures],
        }
        if self.ingest is not None:
            out["ingest"] = self.ingest.as_dict()
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
) -> ScoreReport:
    report = report or ScoreReport()
    progress = progress or NoProgress()
    store.save_scorecard(card.scorecard.name, card.hash, card.text)
    progress.start(len(items), "Scoring")
    batch: list[tuple[str, Evaluation, dict[str, Any], list[Flag] | None, str | None]] = []
    uses_semantic = any(semantic_specs(c) for _, c in card.scorecard.criteria())
    for n, item in enumerate(items):
        if uses_semantic and n % PREFETCH == 0:
            matcher.prefetch(
                [s for i in items[n : n + PREFETCH] for s in semantic_sentences(card, i)]
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
            ev = score_interaction(item, card, matcher, metrics, flags)
            batch.append((item.id, ev, metrics, flags, campaigns_key(campaigns)))
            report.flags += len(flags or [])
            report.evaluations[item.id] = ev
            report.flags_by_id[item.id] = flags
            report.scored += 1
        if len(batch) >= SAVE_EVERY:
            store.save_evaluations(batch)
            batch = []
        progress.advance(item.source)
    store.save_evaluations(batch)
    progress.finish()
    return report


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
    card: LoadedScorecard,
    matcher: Matcher,
    manifest: Path | None = None,
    progress: Progress | None = None,
    voice: VoiceSettings | None = None,
    transcriber: Transcriber | None = None,
    campaigns: list[Campaign] | None = None,
) -> ScoreReport:
    """The main job: ingest the paths, transcribe new recordings, score what is not scored yet."""
    ingested = ingest(paths, store, config, manifest, progress)
    transcribed = None
    if voice is not None and pending(store):
        transcribed = transcribe_pending(store, voice, transcriber, progress)
    roots = [p.resolve() for p in paths]
    done = store.evaluated_ids(card.hash, campaigns_key(campaigns))
    wanted = [
        r["id"]
        for r in store.db.query("SELECT id, source FROM interactions")
        if _under(r["source"], roots)
    ]
    todo = [i for i in wanted if i not in done]
    failures = list(ingested.failures) + (transcribed.failures if transcribed else [])
    report = ScoreReport(already=len(wanted) - len(todo), ingest=ingested, failures=failures)
    items = store.load_interactions(todo)
    return score_interactions(
        store, items, card, matcher, progress, report, campaigns, config.timezone
    )


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
    card: LoadedScorecard,
    matcher: Matcher,
    compare_with: LoadedScorecard | None = None,
    progress: Progress | None = None,
    campaigns: list[Campaign] | None = None,
    site_tz: str | None = None,
) -> tuple[ScoreReport, Comparison | None]:
    """Score every stored transcript again; with an older card, say what changed."""
    items = [i for i in store.load_interactions() if i.turns]
    report = score_interactions(
        store, items, card, matcher, progress, campaigns=campaigns, site_tz=site_tz
    )
    if compare_with is None:
        return report, None
    changes: list[Change] = []
    for item in items:
        metrics = {**item.metadata.get("metrics", {}), **compute_metrics(item)}
        flags = report.flags_by_id.get(item.id)  # checked once, in the scoring above
        old = {
            c.id: c for c in score_interaction(item, compare_with, matcher, metrics, flags).criteria
        }
        for c in report.evaluations[item.id].criteria:
            before = old.get(c.id)
            was = before.result if before else "absent"
            if was != c.result or (before and before.points != c.points):
                changes.append(
                    Change(
                        item.id,
                        item.agent.id if item.agent else None,
                        c.id,
                        was,
                        c.result,
                        before.points if before else 0.0,
                        c.points,
                    )
                )
        for gone in set(old) - {c.id for c in report.evaluations[item.id].criteria}:
            changes.append(
                Change(
                    item.id,
                    item.agent.id if item.agent else None,
                    gone,
                    old[gone].result,
                    "absent",
                    old[gone].points,
                    0.0,
                )
            )
    return report, Comparison(changes, len(items))
