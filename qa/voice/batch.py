"""`qa transcribe`: every registered recording, each once, a bad one recorded and skipped."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from qa.metrics import compute_metrics
from qa.model import Failure, Interaction
from qa.progress import NoProgress, Progress
from qa.store import Store
from qa.vocabulary import Channel, Status
from qa.voice.asr import Transcriber
from qa.voice.pipeline import VoiceSettings

if TYPE_CHECKING:
    from qa.executors import Executor
    from qa.executors.task import RecordingOutcome


@dataclass
class TranscribeReport:
    transcribed: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    # Transcribed, but the roles (or the voices) want a person's look: stored with status
    # `review` and the reason; a note, not a failed input (the batch's exit code is 0).
    review: list[Failure] = field(default_factory=list)
    audio_seconds: float = 0.0
    wall_seconds: float = 0.0
    asr_runs: int = 0  # channels actually recognised (not served from the cache)
    # Seconds per stage over the batch: decode, asr (VAD included), diarization, roles, writes.
    stages: dict[str, float] = field(default_factory=dict)
    executor: dict[str, Any] = field(default_factory=dict)  # which one ran, with how many workers
    peak_rss_mb: dict[str, float] = field(default_factory=dict)  # per worker process (host:pid)

    def as_dict(self) -> dict[str, Any]:
        return {
            "transcribed": len(self.transcribed),
            "failed": len(self.failures),
            "failures": [f.__dict__ for f in self.failures],
            "held_for_review": len(self.review),
            "reviews": [f.__dict__ for f in self.review],
            "audio_minutes": round(self.audio_seconds / 60, 2),
            "real_time_factor": round(self.audio_seconds / self.wall_seconds, 1)
            if self.wall_seconds
            else None,
            "asr_runs": self.asr_runs,
            "stage_seconds": {k: round(v, 2) for k, v in self.stages.items()},
            "executor": self.executor,
            "peak_rss_mb": {k: round(v, 1) for k, v in self.peak_rss_mb.items()},
        }


def pending(store: Store, redo: bool = False) -> list[Interaction]:
    statuses = [Status.REGISTERED]
    if redo:
        statuses += [Status.TRANSCRIBED, Status.FAILED, Status.REVIEW]
    marks = ",".join("?" * len(statuses))
    ids = [
        r[0]
        for r in store.conn.execute(
            # Recordings only: a transcript that came as a file has nothing to recognise.
            f"SELECT id FROM interactions WHERE channel = ? AND status IN ({marks})"
            " AND json_extract(metadata, '$.audio') IS NOT NULL ORDER BY id",
            [Channel.VOICE, *statuses],
        )
    ]
    return store.load_interactions(ids)


def transcribe_pending(
    store: Store,
    settings: VoiceSettings,
    transcriber: Transcriber | None = None,
    progress: Progress | None = None,
    redo: bool = False,
    executor: Executor | None = None,
    relist: bool = False,
) -> TranscribeReport:
    """Every pending recording through the executor (default: one after another, here).

    Whichever executor recognises them, the outcomes come back in order and this process
    alone writes them: per recording, its cache entries, its segments, and last its turns
    with the status that marks it done, so a killed run redoes at most the one in hand.
    With `relist`, the recordings that failed in an earlier run and stand failed are
    listed among the failures too, so that a rerun gives the same answer.
    """
    from qa.executors.local import Sequential
    from qa.executors.task import RecordingTask

    items = pending(store, redo)
    report = TranscribeReport()
    progress = progress or NoProgress()
    if executor is None:
        executor = Sequential(transcriber=transcriber)
    report.executor = executor.describe()
    started = time.perf_counter()
    by_id = {i.id: i for i in items}
    tasks = [RecordingTask(i.id, i.source, settings, cache_db=str(store.path)) for i in items]
    total = int(sum(i.duration or 0 for i in items))
    progress.start(max(total, 1), "Transcribing (audio seconds)")
    for outcome in executor.transcribe(tasks, store.cached_transcript):
        item = by_id[outcome.interaction_id]
        _save_outcome(store, item, outcome, report)
        report.wall_seconds = time.perf_counter() - started
        rate = report.audio_seconds / 60 / report.wall_seconds if report.wall_seconds else 0
        progress.advance(
            f"{len(report.transcribed)} done, {rate:.1f} audio-min/s", int(item.duration or 0)
        )
    progress.finish()
    report.wall_seconds = time.perf_counter() - started
    if relist:
        seen = {f.source for f in report.failures}
        earlier = store.recording_failures(_failed_recordings(store))
        report.failures += [f for f in earlier if f.source not in seen]
    return report


def _failed_recordings(store: Store) -> list[str]:
    return [
        r[0]
        for r in store.conn.execute(
            "SELECT id FROM interactions WHERE channel = ? AND status = ? ORDER BY id",
            [Channel.VOICE, Status.FAILED],
        )
    ]


def _save_outcome(
    store: Store, item: Interaction, outcome: RecordingOutcome, report: TranscribeReport
) -> None:
    clock = time.perf_counter()
    for key, text in outcome.recognised:
        store.save_transcript(key, text)
    report.asr_runs += len(outcome.recognised)
    if outcome.worker:
        peak = report.peak_rss_mb.get(outcome.worker, 0.0)
        report.peak_rss_mb[outcome.worker] = max(peak, outcome.peak_rss_mb)
    result = outcome.result
    if result is None:
        reason = outcome.error or "no result"
        failure = Failure(
            item.source, "transcribe", reason, item.metadata.get("audio", {}).get("sha256")
        )
        store.record_failure(failure)
        store.set_status(item.id, Status.FAILED, reason)
        report.failures.append(failure)
        return
    item.turns = result.turns
    item.language = result.language
    item.duration = result.duration
    item.metadata = {**item.metadata, "voice": result.info, "warnings": result.warnings}
    item.metadata["metrics"] = compute_metrics(item)
    item.status = Status.REVIEW if result.needs_review else Status.TRANSCRIBED
    item.error = "; ".join(result.warnings) if result.needs_review else None
    store.save_asr_segments(item.id, result.segments)
    store.save_interactions([item])  # last: its status marks the recording done
    for stage, seconds in [*result.timings.items(), ("writes", time.perf_counter() - clock)]:
        report.stages[stage] = report.stages.get(stage, 0.0) + seconds
    if item.status == Status.REVIEW:
        report.review.append(Failure(item.source, "transcribe", item.error or "", None))
    report.transcribed.append(item.id)
    report.audio_seconds += result.duration


def voice_settings(config: Any, **overrides: Any) -> VoiceSettings:
    """VoiceSettings from qa.yaml's `voice:` section, with command-line overrides."""
    from qa.voice.asr import AsrSettings
    from qa.voice.diarize import SpeakerCount

    v = config.voice
    given = {k: val for k, val in overrides.items() if val is not None}
    speakers = given.get("speakers", v.speakers) or None  # 0: estimate between min and max
    batching = {} if v.batch_size is None else {"batch_size": v.batch_size}
    return VoiceSettings(
        asr=AsrSettings(
            model=given.get("model", v.model),
            language=given.get("language", v.language),
            models=tuple(sorted(v.models.items())),
            language_min_probability=v.language_min_probability,
            hotwords=v.hotwords,
            **batching,
        ),
        diarization=given.get("diarization", v.diarization),
        speakers=SpeakerCount(
            exact=speakers,
            min=given.get("min_speakers", v.min_speakers),
            max=given.get("max_speakers", v.max_speakers),
        ),
        agent_channel=0 if v.agent_channel == "left" else 1,
        pyannote_pipeline=given.get("pyannote_pipeline", v.pyannote_pipeline),
        company_names=tuple(v.company_names),
    )
