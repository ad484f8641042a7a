"""Per-file metadata: a manifest (CSV or JSON) and a file-name pattern. The manifest wins."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from qa.errors import ConfigError, InputError
from qa.model import CHANNELS, Agent, Interaction
from qa.timeutil import normalise_date
from qa.vocabulary import Direction

FIELDS = (
    "agent_id",
    "agent_name",
    "team",
    "campaign",
    "customer_id",
    "case_id",
    "direction",
    "started_at",
    "language",
    "channel",
)
_ALIASES = {"agent": "agent_id", "date": "started_at", "customer": "customer_id", "case": "case_id"}
MANIFEST_NAMES = {"manifest.csv", "manifest.json"}


def _normalise(row: dict[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        name = _ALIASES.get(key.strip().lower(), key.strip().lower())
        out[name] = value.strip() if isinstance(value, str) else value
    direction = out.get("direction")
    if direction is not None:
        out["direction"] = str(direction).lower()
        if out["direction"] not in set(Direction):
            raise ConfigError(
                f"{where}: direction must be one of {', '.join(Direction)}, not {direction!r}"
            )
    for name in ("work_type", "queue", "contact_reason"):
        # Checked against the work-type taxonomy when the interaction is routed.
        if name in out:
            out[name] = str(out[name])
    channel = out.get("channel")
    if channel is not None:
        out["channel"] = str(channel).lower()
        if out["channel"] not in CHANNELS:
            raise ConfigError(
                f"{where}: channel must be one of {', '.join(CHANNELS)}, not {channel!r}"
            )
    _check_survey(out, where)
    if "started_at" in out:
        try:
            out["started_at"] = normalise_date(str(out["started_at"]))
        except InputError as exc:
            raise ConfigError(f"{where}: started_at: {exc}") from exc
    return out


_YES = {"yes", "y", "true", "1", "offered"}
_NO = {"no", "n", "false", "0", "not offered"}
SURVEY_FIELDS = ("survey_offered", "survey_score", "survey_transfer")
# A survey score outside this range is impossible on any scale a manifest uses (CSAT 1-5,
# 1-7, 1-10 or NPS 0-10).
SURVEY_SCORE_RANGE = (0.0, 10.0)


def _yes_no(value: Any) -> str | None:
    text = str(value).strip().lower()
    return "yes" if text in _YES else "no" if text in _NO else None


def _check_survey(out: dict[str, Any], where: str) -> None:
    """Survey columns as yes/no and a number; impossible values are dropped (the row's
    survey is ignored, its other fields kept) and the reason, naming the manifest line, is
    kept in `survey_error` for the journeys' survey test to report."""
    if not any(k in out for k in SURVEY_FIELDS):
        return
    problems = []
    offered = transfer = None
    if "survey_offered" in out:
        offered = _yes_no(out["survey_offered"])
        if offered is None:
            problems.append(f"survey_offered must be yes or no, not {out['survey_offered']!r}")
    if "survey_transfer" in out:
        transfer = _yes_no(out["survey_transfer"])
        if transfer is None:
            problems.append(f"survey_transfer must be yes or no, not {out['survey_transfer']!r}")
    score = None
    if "survey_score" in out:
        low, high = SURVEY_SCORE_RANGE
        try:
            score = float(out["survey_score"])
        except (TypeError, ValueError):
            problems.append(f"survey_score must be a number, not {out['survey_score']!r}")
        else:
            if not low <= score <= high or score != score:
                problems.append(f"survey_score {out['survey_score']!r} is outside {low:g}-{high:g}")
            elif offered == "no" and transfer != "yes":
                problems.append(
                    f"survey_score {out['survey_score']!r} on a contact whose survey was not offered"
                )
    if problems:
        for k in SURVEY_FIELDS:
            out.pop(k, None)
        out["survey_error"] = f"{where}: {'; '.join(problems)}; the row's survey is ignored"
        return
    if offered is not None:
        out["survey_offered"] = offered
    if transfer is not None:
        out["survey_transfer"] = transfer
    if score is not None:
        out["survey_score"] = int(score) if score.is_integer() else score


class Manifest:
    """Rows keyed by file name (or relative path, or conversation id)."""

    def __init__(self, rows: dict[str, dict[str, Any]], path: Path | None = None):
        self.rows = rows
        self.path = path

    @classmethod
    def load(cls, path: Path) -> Manifest:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read the manifest: {exc}") from exc
        records: list[tuple[str, dict[str, Any]]] = []
        if path.suffix.lower() == ".json":
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ConfigError(f"{path}:{exc.lineno} broken JSON: {exc.msg}") from exc
            if isinstance(data, dict):
                data = [{"file": k, **v} for k, v in data.items()]
            if not isinstance(data, list):
                raise ConfigError(f"{path}: expected a list of objects, each with a 'file'")
            records = [(f"{path.name} item {i}", r) for i, r in enumerate(data)]
        else:
            reader = csv.DictReader(io.StringIO(text))
            if "file" not in [h.strip().lower() for h in reader.fieldnames or []]:
                raise ConfigError(f"{path}: the manifest needs a 'file' column")
            records = [(f"{path.name}:{i}", r) for i, r in enumerate(reader, start=2)]
        rows: dict[str, dict[str, Any]] = {}
        for where, record in records:
            if not isinstance(record, dict) or not record.get("file"):
                raise ConfigError(f"{where}: every entry needs a 'file'")
            row = _normalise({k: v for k, v in record.items() if k != "file"}, where)
            rows[str(record["file"]).strip()] = row
        return cls(rows, path)

    def lookup(self, path: Path, conversation_id: str | None = None) -> dict[str, Any]:
        for key in (conversation_id, str(path), path.as_posix(), path.name, path.stem):
            if key and key in self.rows:
                return self.rows[key]
        for key, row in self.rows.items():
            if path.as_posix().endswith("/" + key):
                return row
        return {}


def pattern_regex(pattern: str) -> re.Pattern[str]:
    """'{agent}_{date}_{id}.wav' -> a regex with one named group per field."""
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", pattern)
    parts = re.split(r"(\{\w+\})", stem)
    regex = ""
    for part in parts:
        m = re.fullmatch(r"\{(\w+)\}", part)
        regex += f"(?P<{m.group(1)}>.+?)" if m else re.escape(part)
    return re.compile(f"^{regex}$")


def from_filename(path: Path, pattern: str | None) -> dict[str, Any]:
    if not pattern:
        return {}
    m = pattern_regex(pattern).match(path.stem)
    if not m:
        return {}
    fields = dict(m.groupdict())
    if "id" in fields:
        fields["external_id"] = fields.pop("id")
    out: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in fields.items():  # one bad part costs that part only
        try:
            out.update(_normalise({key: value}, f"file name {path.name}"))
        except ConfigError as exc:
            problems.append(str(exc))
    if problems:
        out["filename_problems"] = problems  # kept in the interaction's metadata
    return out


# What the manifest and the file name gave an interaction, kept in its metadata: a later
# ingest of the same file that gives less (no manifest, another manifest without the
# column) keeps these fields instead of writing them over with nothing.
GIVEN_KEY = "given_fields"
# Stored before qa kept GIVEN_KEY: the fields a manifest can set, read back from the store.
_STORED_FIELDS = ("campaign", "customer_id", "case_id", "direction", "started_at")


def given_before(stored: Interaction | None) -> dict[str, Any]:
    """The fields given when the interaction was last ingested (empty for a new one)."""
    if stored is None:
        return {}
    given = stored.metadata.get(GIVEN_KEY)
    return dict(given) if isinstance(given, dict) else {}


def keep_stored_fields(item: Interaction, stored: Interaction | None) -> None:
    """For an interaction stored before qa kept GIVEN_KEY: the fields a manifest sets that
    this ingest left empty keep their stored values (a value from the file wins)."""
    if stored is None or GIVEN_KEY in stored.metadata:
        return
    for name in _STORED_FIELDS:
        if getattr(item, name) is None and getattr(stored, name) is not None:
            setattr(item, name, getattr(stored, name))
    if item.agent is None and stored.agent is not None:
        item.agent = stored.agent


def apply_metadata(item: Interaction, meta: dict[str, Any]) -> Interaction:
    """Set agent, team and the other fields from metadata; keep the rest in metadata."""
    if not meta:
        return item
    agent = item.agent or (Agent(id=str(meta["agent_id"])) if meta.get("agent_id") else None)
    if agent is not None:
        agent = Agent(
            id=str(meta.get("agent_id") or agent.id),
            name=meta.get("agent_name") or agent.name,
            team=meta.get("team") or agent.team,
        )
    item.agent = agent
    given = str(meta.get("started_at") or "")
    if len(given) == 10 and (item.started_at or "").startswith(given):
        meta = {k: v for k, v in meta.items() if k != "started_at"}  # keep the precise time
    for name in ("campaign", "customer_id", "case_id", "direction", "started_at", "language"):
        if meta.get(name) is not None:
            setattr(item, name, str(meta[name]))
    for key, value in meta.items():
        if key not in FIELDS:
            item.metadata[key] = value
    return item
