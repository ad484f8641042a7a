"""The ingest driver: walk the paths, read each file, write what it holds.

Each file is written in one transaction together with the mark that it is
done, so a killed run leaves whole files and a re-run skips them. A bad file
is recorded with its reason and the batch goes on.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa.config import Config
from qa.errors import ConfigError, InputError
from qa.ingest.audio import AUDIO_EXTENSIONS, probe_audio
from qa.ingest.chat import parse_chat_csv, parse_chat_json, parse_chat_text
from qa.ingest.email import Mail, build_thread, group_threads, read_mail_file
from qa.ingest.hashing import file_sha256
from qa.ingest.limits import Limits
from qa.ingest.metadata import MANIFEST_NAMES, Manifest, apply_metadata, from_filename
from qa.ingest.transcripts import (
    TRANSCRIPT_EXTENSIONS,
    Parsed,
    RoleHints,
    build_interaction,
    parse_call_text,
    parse_srt,
    parse_transcript_json,
    parse_vtt,
)
from qa.language import interaction_language
from qa.model import Failure, Interaction
from qa.progress import NoProgress, Progress
from qa.redact import redact
from qa.store import Store
from qa.vocabulary import Channel, Status

log = logging.getLogger(__name__)

CHAT_PARSERS = {".json": parse_chat_json, ".csv": parse_chat_csv, ".txt": parse_chat_text}
EMAIL_EXTENSIONS = {".eml", ".mbox"}
# Files that configure qa rather than hold interactions: passed over quietly.
CONFIG_EXTENSIONS = {".yaml", ".yml", ".md", ".sh"}
SUPPORTED = sorted({*CHAT_PARSERS, *EMAIL_EXTENSIONS, *AUDIO_EXTENSIONS, *TRANSCRIPT_EXTENSIONS})


@dataclass
class IngestReport:
    interaction_ids: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    files: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "interactions": len(self.interaction_ids),
            "interaction_ids": self.interaction_ids,
            "skipped": len(self.skipped),
            "failed": len(self.failures),
            "failures": [f.__dict__ for f in self.failures],
        }


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """The input files under the paths, and the manifests found beside them."""
    files: list[Path] = []
    manifests: list[Path] = []
    for path in paths:
        if not path.exists():
            raise ConfigError(f"no such file or folder: {path}")
        candidates = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for p in candidates:
            rel = p.relative_to(path) if path.is_dir() else Path(p.name)
            if any(part.startswith(".") for part in rel.parts):
                continue
            if p.name.lower() in MANIFEST_NAMES and path.is_dir():
                manifests.append(p)
            elif p.suffix.lower() not in CONFIG_EXTENSIONS and not _is_human_evaluations(p):
                files.append(p)
    return files, manifests


def _is_human_evaluations(path: Path) -> bool:
    """A calibration CSV (for `qa calibrate`) that sits among the interactions."""
    if path.suffix.lower() != ".csv":
        return False
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as fh:
            header = fh.readline().lower()
    except OSError:
        return False
    return "criterion_id" in header and "result" in header


def ingest(
    paths: list[Path],
    store: Store,
    config: Config,
    manifest_path: Path | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    files, found = discover(paths)
    if not files:
        raise ConfigError(
            f"no input files under {', '.join(str(p) for p in paths)} (is the folder empty, or "
            f"unreadable?): qa reads {', '.join(SUPPORTED)}"
        )
    manifest = Manifest.load(manifest_path) if manifest_path else _merge_manifests(found)
    report = IngestReport(files=len(files))
    run_id = store.start_run("ingest", {"paths": [str(p) for p in paths], "files": len(files)})
    progress = progress or NoProgress()
    progress.start(len(files), "Ingesting")
    new_mail = False
    for path in files:
        try:
            new_mail |= _ingest_file(path, store, config, manifest, report)
        except InputError as exc:
            _fail(store, report, path, str(exc), run_id)
        except (OSError, UnicodeDecodeError) as exc:  # unreadable from disk
            _fail(store, report, path, f"cannot read: {exc}", run_id)
        except Exception as exc:  # noqa: BLE001 - one file never stops the batch
            # Not a bad file we know of: a reader's own limit, or a bug. Either way the
            # file is recorded with the error and its traceback, and the batch goes on.
            log.error("unexpected error reading %s", path, exc_info=True)
            _fail(store, report, path, f"unexpected error: {type(exc).__name__}: {exc}", run_id)
        progress.advance(path.name)
    progress.finish()
    if new_mail or _pending_mail(store):
        report.interaction_ids += rebuild_email_threads(store, config, manifest)
    store.finish_run(run_id, len(report.interaction_ids), len(report.failures), len(report.skipped))
    return report


def _merge_manifests(paths: list[Path]) -> Manifest:
    rows: dict[str, dict[str, Any]] = {}
    for p in paths:
        rows.update(Manifest.load(p).rows)
    return Manifest(rows)


def _fail(store: Store, report: IngestReport, path: Path, reason: str, run_id: str) -> None:
    try:
        digest = file_sha256(path)
    except OSError:
        digest = None
    failure = Failure(source=str(path), stage="ingest", reason=reason, file_hash=digest)
    store.record_failure(failure, run_id)
    report.failures.append(failure)


def _source_key(path: Path, meta: dict[str, Any]) -> str:
    """The file's bytes and its metadata: a manifest change re-reads the file."""
    h = hashlib.sha256(file_sha256(path).encode())
    h.update(json.dumps(meta, sort_keys=True, default=str).encode())
    return h.hexdigest()


def _ingest_file(
    path: Path, store: Store, config: Config, manifest: Manifest, report: IngestReport
) -> bool:
    """Ingest one file. Returns True when it brought email messages to thread."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(
            f"unsupported file type '{suffix or path.name}': qa reads {', '.join(SUPPORTED)}"
        )
    file_meta = {**from_filename(path, config.filename_pattern), **manifest.lookup(path)}
    key = _source_key(path, file_meta)
    if store.source_done(key):
        report.skipped.append(str(path))
        return False
    if path.stat().st_size == 0:
        raise InputError("empty file (0 bytes)")
    limits = Limits.from_config(config)
    if suffix not in AUDIO_EXTENSIONS:
        limits.check_size(path)
    if suffix in EMAIL_EXTENSIONS:
        mails = read_mail_file(path, str(path))
        store.save_email_messages([m.to_record() for m in mails], str(path), key)
        return True
    if suffix in AUDIO_EXTENSIONS:
        if redact(str(path)) != str(path):
            # The recording is read again by its path, which the store would have to mask.
            raise InputError("the file's name holds a card number: rename the file, then ingest it")
        items = [_audio_interaction(path, key)]
    else:
        items = _text_interactions(path, suffix, file_meta.get("channel"), config, limits)
        limits.check_interactions(items)
    for item in items:
        item.source = str(path)
        meta = {**file_meta, **manifest.lookup(path, item.metadata.get("conversation_id"))}
        apply_metadata(item, meta)
        item.agent = config.resolve_agent(item.agent)
        _detect_language(item)
    store.save_interactions(items, source=str(path), file_hash=key, kind=suffix.lstrip("."))
    report.interaction_ids += [i.id for i in items]
    return False


def _detect_language(item: Interaction) -> None:
    """Text's language from its words where neither the file nor the manifest gave one."""
    if item.language is None and item.turns:
        item.language = interaction_language([t.text for t in item.turns])


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8"
        ) from exc
    if not text.strip():
        raise InputError("the file holds only white space")
    return text


def _text_interactions(
    path: Path, suffix: str, channel: str | None, config: Config, limits: Limits
) -> list[Interaction]:
    """Chats, and call transcripts that already exist (captions, vendor JSON, plain text
    marked `channel: voice` in the manifest)."""
    text = _read_text(path)
    parsed: Parsed | None = None
    if suffix == ".vtt":
        parsed = parse_vtt(text)
    elif suffix == ".srt":
        parsed = parse_srt(text)
    elif suffix == ".txt" and channel == Channel.VOICE:
        parsed = parse_call_text(text)
    elif suffix == ".json":
        parsed = parse_transcript_json(text, limits.load_json(text))
    if parsed is not None:
        items = [build_interaction(parsed, str(path), _role_hints(config))]
    else:
        with limits.csv_fields():
            items = CHAT_PARSERS[suffix](text, str(path))
    if channel is not None and any(i.channel != channel for i in items):
        raise InputError(
            f"the manifest says channel {channel}, but the file holds {items[0].channel}"
        )
    return items


def _role_hints(config: Config) -> RoleHints:
    names = {n.lower() for a in config.agents for n in (a.id, a.name, *a.aliases) if n}
    return RoleHints(
        company_names=tuple(config.voice.company_names),
        agent_names=tuple(sorted(names)),
        agent_channel=0 if config.voice.agent_channel == "left" else 1,
    )


def _audio_interaction(path: Path, key: str) -> Interaction:
    info = probe_audio(path)
    digest = file_sha256(path)
    info["sha256"] = digest
    info["size"] = path.stat().st_size
    return Interaction(
        id=digest[:16],
        channel=Channel.VOICE,
        source=str(path),
        duration=info.get("duration"),
        status=Status.REGISTERED,
        metadata={"audio": info},
    )


def _pending_mail(store: Store) -> bool:
    return (
        store.conn.execute(
            "SELECT 1 FROM email_messages WHERE thread_key IS NULL LIMIT 1"
        ).fetchone()
        is not None
    )


def rebuild_email_threads(store: Store, config: Config, manifest: Manifest) -> list[str]:
    """(Re)write every thread that holds a message not yet threaded."""
    records = store.email_messages()
    mails = [Mail.from_record(r) for r, _ in records]
    pending = {r["message_id"] for r, key in records if key is None}
    ids = []
    for thread in group_threads(mails):
        if not pending.intersection(m.message_id for m in thread):
            continue
        item = build_thread(thread, config.email.agent_domains, config.email.agent_addresses)
        source = Path(thread[0].source)
        apply_metadata(
            item, {**from_filename(source, config.filename_pattern), **manifest.lookup(source)}
        )
        item.agent = config.resolve_agent(item.agent)
        _detect_language(item)
        store.save_thread(item, [m.message_id for m in thread])
        ids.append(item.id)
    return ids
