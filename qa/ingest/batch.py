"""The ingest driver: walk the paths, read each file, write what it holds.

Each file is written in one transaction together with the mark that it is
done, so a killed run leaves whole files and a re-run skips them. A bad file
is recorded with its reason and the batch goes on.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable
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
from qa.ingest.metadata import (
    GIVEN_KEY,
    MANIFEST_NAMES,
    Manifest,
    apply_metadata,
    from_filename,
    given_before,
    keep_stored_fields,
)
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
from qa.journeys.identity import HASHES_KEY, MASKS
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


def discover(
    paths: Iterable[Path], passed_over: list[str] | None = None
) -> tuple[list[Path], list[Path]]:
    """The input files under the paths, and the manifests found beside them; each file
    passed over is named in `passed_over` with the reason."""
    files: list[Path] = []
    manifests: list[Path] = []
    skipped = passed_over if passed_over is not None else []
    for path in paths:
        if not path.exists():
            raise ConfigError(f"no such file or folder: {path}")
        candidates = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for p in candidates:
            rel = p.relative_to(path) if path.is_dir() else Path(p.name)
            if any(part.startswith(".") for part in rel.parts):
                skipped.append(f"{p.name} (hidden)")
            elif p.name.lower() in MANIFEST_NAMES and path.is_dir():
                manifests.append(p)
                skipped.append(f"{p.name} (the folder's manifest)")
            elif p.suffix.lower() in CONFIG_EXTENSIONS:
                skipped.append(f"{p.name} (a {p.suffix.lower()} file configures qa)")
            elif _is_human_evaluations(p):
                skipped.append(f"{p.name} (human evaluations: give it to `qa calibrate`)")
            else:
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
    passed_over: list[str] = []
    files, found = discover(paths, passed_over)
    if not files:
        where = ", ".join(str(p) for p in paths)
        why = f"passed over {', '.join(passed_over)}" if passed_over else "no file there"
        raise ConfigError(f"no input files under {where} ({why}): qa reads {', '.join(SUPPORTED)}")
    manifest = Manifest.load(manifest_path) if manifest_path else _merge_manifests(found)
    report = IngestReport(files=len(files))
    run_id = store.start_run("ingest", {"paths": [str(p) for p in paths], "files": len(files)})
    progress = progress or NoProgress()
    progress.start(len(files), "Ingesting")
    new_mail = False
    earlier = _earlier_sources(store)
    for path in files:
        try:
            new_mail |= _ingest_file(path, store, config, manifest, report, earlier)
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
    path: Path,
    store: Store,
    config: Config,
    manifest: Manifest,
    report: IngestReport,
    earlier: dict[str, str] | None = None,
) -> bool:
    """Ingest one file. Returns True when it brought email messages to thread."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(
            f"unsupported file type '{suffix or path.name}': qa reads {', '.join(SUPPORTED)}"
        )
    before = _stored_from(store, path, earlier)
    guessed = from_filename(path, config.filename_pattern)
    # What this run gives, over what every interaction of the file was given before: a run
    # without the manifest reads the file as the run with it did, and skips it when nothing
    # else changed.
    file_meta = {**_common_given(before), **guessed, **manifest.lookup(path)}
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
    stored = _stored_given(store, [i.id for i in items])
    for item in items:
        item.source = str(path)
        listed = manifest.lookup(path, item.metadata.get("conversation_id"))
        meta = {**file_meta, **listed}
        meta = _file_over_name(meta, guessed, item, {*manifest.lookup(path), *listed})
        _apply_given(item, meta, stored.get(item.id))
        item.agent = config.resolve_agent(item.agent)
        _detect_language(item)
    store.save_interactions(items, source=str(path), file_hash=key, kind=suffix.lstrip("."))
    report.interaction_ids += [i.id for i in items]
    return False


def _earlier_sources(store: Store) -> dict[str, str]:
    """Each file read before (its stored path) and the ids of the interactions its last
    ingest wrote (JSON), read once per run."""
    return store.earlier_sources()


def _stored_from(
    store: Store, path: Path, earlier: dict[str, str] | None = None
) -> list[Interaction]:
    """The interactions the last ingest of this file wrote (none for a new file)."""
    if earlier is None:
        earlier = _earlier_sources(store)
    ids = json.loads(earlier.get(redact(str(path))) or "[]")
    return list(_stored_given(store, ids).values())


def _stored_given(store: Store, ids: list[str]) -> dict[str, Interaction]:
    """The stored interactions of these ids as far as a new ingest keeps them: the fields
    a manifest sets, and of the metadata only what was given and the identifier hashes."""
    return store.stored_given(ids, (GIVEN_KEY, HASHES_KEY))


def _common_given(items: list[Interaction]) -> dict[str, Any]:
    """The fields given alike to every one of the interactions."""
    given = [given_before(i) for i in items]
    if not given:
        return {}
    return {k: v for k, v in given[0].items() if all(g.get(k, object()) == v for g in given[1:])}


def _apply_given(item: Interaction, meta: dict[str, Any], stored: Interaction | None) -> None:
    """The metadata this run gives, over what the stored interaction was given before; what
    was given is kept with the interaction for the next run."""
    meta = {**given_before(stored), **meta}
    apply_metadata(item, meta)
    keep_stored_fields(item, stored)
    if meta:
        item.metadata[GIVEN_KEY] = meta
    # A kept value that redaction masked when it was stored (a value read from a file
    # never holds a mask) can no longer be hashed: the hashes made of it then
    # (qa/journeys/identity.py) go on linking the contact.
    hashes = stored.metadata.get(HASHES_KEY) if stored else None
    if hashes and any(m in str(v) for v in meta.values() for m in MASKS):
        item.metadata[HASHES_KEY] = hashes


# The fields a file name can guess, and whether the file itself says them.
_SAID_IN_FILE: dict[str, Callable[[Interaction], bool]] = {
    "agent_id": lambda i: i.agent is not None and bool(i.agent.id),
    "agent_name": lambda i: i.agent is not None and bool(i.agent.name),
    "team": lambda i: i.agent is not None and bool(i.agent.team),
    **{
        name: (lambda i, n=name: getattr(i, n) is not None)  # type: ignore[misc]
        for name in ("campaign", "customer_id", "case_id", "direction", "started_at", "language")
    },
}


def _file_over_name(
    meta: dict[str, Any], guessed: dict[str, Any], item: Interaction, listed: set[str]
) -> dict[str, Any]:
    """`meta` less what the file name guessed where the file itself says it: a chat whose
    file names its agent keeps that agent, whatever its file name looks like. The fields
    the manifest lists (`listed`) still win over both."""
    said = {k for k, in_file in _SAID_IN_FILE.items() if in_file(item)} - listed
    return {k: v for k, v in meta.items() if k not in guessed or k not in said}


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
        guessed = from_filename(source, config.filename_pattern)
        listed = manifest.lookup(source)
        meta = _file_over_name({**guessed, **listed}, guessed, item, {*listed})
        _apply_given(item, meta, _stored_given(store, [item.id]).get(item.id))
        item.agent = config.resolve_agent(item.agent)
        _detect_language(item)
        store.save_thread(item, [m.message_id for m in thread])
        ids.append(item.id)
    return ids
