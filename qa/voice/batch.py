"""`qa transcribe`: every registered recording, each once, a bad one recorded and skipped."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa.errors import InputError
from qa.metrics import compute_metrics
from qa.model import Failure, Interaction
from qa.progress import NoProgress, Progress
from qa.store import Store
from qa.vocabulary import Channel, Status
from qa.voice.asr import AsrResult, Transcriber, WhisperTranscriber
from qa.voice.pipeline import VoiceSettings, result_from_json, result_to_json, transcribe_recording


@dataclass
class TranscribeReport:
    transcribed: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    audio_seconds: float = 0.0
    wall_seconds: float = 0.0
    asr_runs: int = 0  # channels actually recognised (not served from the cache)
    # Seconds per stage over the batch: decode, asr (VAD included), diarization, roles, writes.
    stages: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "transcribed": len(self.transcribed),
            "failed": len(self.failures),
            "failures": [f.__dict__ for f in self.failures],
            "audio_minutes": round(self.audio_seconds / 60, 2),
            "real_time_factor": round(self.audio_seconds / self.wall_seconds, 1)
            if self.wall_seconds
            else None,
            "asr_runs": self.asr_runs,
            "stage_seconds": {k: round(v, 2) for k, v in self.stages.items()},
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
) -> TranscribeReport:
    items = pending(store, redo)
    report = TranscribeReport()
    progress = progress or NoProgress()
    transcriber = transcriber or WhisperTranscriber(settings.asr)
    started = time.perf_counter()

    def cache(key: str, run: Any) -> AsrResult:
        hit = store.cached_transcript(key)
        if hit is not None:
            return result_from_json(hit)
        result: AsrResult = run()
        report.asr_runs += 1
        store.save_transcript(key, result_to_json(result))
        return result

    total = int(sum(i.duration or 0 for i in items))
    progress.start(max(total, 1), "Transcribing (audio seconds)")
    for item in items:
        try:
            _transcribe_one(store, item, settings, transcriber, cache, report)
        except InputError as exc:
            failure = Failure(
                item.source, "transcribe", str(exc), item.metadata.get("audio", {}).get("sha256")
            )
            store.record_failure(failure)
            store.set_status(item.id, Status.FAILED, str(exc))
            report.failures.append(failure)
        report.wall_seconds = time.perf_counter() - started
        rate = report.audio_seconds / 60 / report.wall_seconds if report.wall_seconds else 0
        progress.advance(
            f"{len(report.transcribed)} done, {rate:.1f} audio-min/s", int(item.duration or 0)
        )
    progress.finish()
    report.wall_seconds = time.perf_counter() - started
    return report


def _transcribe_one(
    store: Store,
    item: Interaction,
    settings: VoiceSettings,
    transcriber: Transcriber,
    cache: Any,
    report: TranscribeReport,
) -> None:
    path = Path(item.source)
    if not path.exists():
        raise InputError(f"the recording is no longer at {path}")
    result = transcribe_recording(path, settings, transcriber, cache)
    item.turns = result.turns
    item.language = result.language
    item.duration = result.duration
    item.metadata = {**item.metadata, "voice": result.info, "warnings": result.warnings}
    item.metadata["metrics"] = compute_metrics(item)
    item.status = Status.REVIEW if result.needs_review else Status.TRANSCRIBED
    item.error = "; ".join(result.warnings) if result.needs_review else None
    clock = time.perf_counter()
    store.save_interactions([item])
    store.save_asr_segments(item.id, result.segments)
    for stage, seconds in [*result.timings.items(), ("writes", time.perf_counter() - clock)]:
        report.stages[stage] = report.stages.get(stage, 0.0) + seconds
    if item.status == Status.REVIEW:
        failure = Failure(item.source, "transcribe", item.error or "", None)
        store.record_failure(failure)
        report.failures.append(failure)
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
