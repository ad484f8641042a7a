"""`qa score` as one job: what to read, what to score it with, and where to recognise it.

The job is built once, from the command line or by a program, and run through an executor.
Ingest, the store's writes and scoring stay in this process (the driver); the executor only
decides where recordings are decoded and recognised, so every executor gives the same
records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from qa.voice.pipeline import VoiceSettings

if TYPE_CHECKING:
    from qa.campaigns.schema import Campaign
    from qa.config import Config
    from qa.executors import Executor
    from qa.matching import Matcher
    from qa.progress import Progress
    from qa.routing.rules import Routing
    from qa.scorecard.load import LoadedScorecard
    from qa.scoring import ScoreReport
    from qa.store import Store
    from qa.voice.verify import Verifier


@dataclass
class ScoreJob:
    paths: list[Path]
    card: LoadedScorecard | None = None  # one card for every interaction, or…
    routing: Routing | None = None  # …the cards a routing file gives each one
    campaigns: list[Campaign] | None = None
    manifest: Path | None = None
    voice: VoiceSettings = field(default_factory=VoiceSettings)

    def run(
        self,
        store: Store,
        config: Config,
        matcher: Matcher,
        executor: Executor | None = None,
        progress: Progress | None = None,
        verifier: Verifier | None = None,
    ) -> ScoreReport:
        """Ingest, transcribe through the executor, score, store. The executor is opened
        first, so that a cluster that cannot be reached fails before any work, and closed
        at the end whatever happens."""
        from qa.executors.local import Sequential
        from qa.executors.task import peak_rss_mb
        from qa.scoring import score_paths

        executor = executor or Sequential()
        executor.open()
        try:
            report = score_paths(
                self.paths,
                store,
                config,
                self.card,
                matcher,
                self.manifest,
                progress,
                self.voice,
                None,
                self.campaigns,
                verifier,
                routing=self.routing,
                executor=executor,
            )
            report.driver_peak_rss_mb = peak_rss_mb()
            return report
        finally:
            executor.close()
