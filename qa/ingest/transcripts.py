"""Call transcripts that already exist, read as voice interactions.

Contact centres often have transcripts from their telephony or speech platform:
WebVTT and SRT captions with speaker labels, Amazon Transcribe and Contact Lens
(or Transcribe Call Analytics) JSON, a generic JSON of speaker turns, and plain
text. Each becomes a voice interaction with roles, times, and word times and the
vendor's confidences where the file gives them; the scoring stage then treats it
like a call that qa recognised itself.

Roles come from the labels when they name them (Agent, Caller, AGENT...), from the
roster when a label is an agent's name, from the channel map for channel labels,
and otherwise from what each voice says. Unlabelled turns get their roles from
their content at a low confidence, with a warning. Turns out of order are sorted
and overlapping ones kept, with a warning. A malformed file is an InputError that
names the line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from qa.errors import InputError
from qa.model import Agent, Interaction, Turn, Word
from qa.store import content_id
from qa.timeutil import normalise_date
from qa.vocabulary import Channel, DiarizationSource, Status
from qa.voice.roles import channel_evidence, channel_roles, voice_roles

TRANSCRIPT_EXTENSIONS = {".vtt", ".srt"}
TURN_GAP_S = 1.0  # vendor words this far apart (same speaker) start a new turn
OVERLAP_TOLERANCE_S = 0.05  # turns overlapping by less are timing noise, not crosstalk
UNLABELLED_CONFIDENCE = 0.3  # role confidence when no file label says who spoke
ROSTER_CONFIDENCE = 0.95  # a label that is an agent's name on the roster
NAMED_OTHER_CONFIDENCE = 0.8  # the other voice, when the file names only one role

ROLE_LABELS = {
    "agent": "agent",
    "rep": "agent",
    "representative": "agent",
    "advisor": "agent",
    "adviser": "agent",
    "operator": "agent",
    "associate": "agent",
    "customer": "customer",
    "caller": "customer",
    "client": "customer",
    "consumer": "customer",
    "member": "customer",
    "system": "system",
    "ivr": "system",
    "bot": "system",
}


@dataclass
class RawTurn:
    """One turn as the file has it, before roles are decided."""

    speaker: str | None
    start: float
    end: float
    text: str
    words: list[Word] = field(default_factory=list)
    line: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RoleHints:
    """What the site knows that helps to tell agent from customer."""

    company_names: tuple[str, ...] = ()
    agent_names: tuple[str, ...] = ()  # roster ids, names and aliases, lower case
    agent_channel: int = 0  # channel labels: which channel is the agent's


@dataclass
class Parsed:
    turns: list[RawTurn]
    fmt: str
    language: str | None = None
    channels: bool = False  # speaker labels are audio channels (ch_0, ch_1)
    extra: dict[str, Any] = field(default_factory=dict)


# -- reading each format -------------------------------------------------------------


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, max(0, offset)) + 1


_VOICE = re.compile(r"^\s*<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"<[^>]+>")
_BRACKETED = re.compile(r"^\s*\[(?P<who>[^\]]{1,40})\]\s*:?\s*(?P<text>.*)$")
# A label before a colon: up to three words, not a clock time ("at 10:30" is text).
_PREFIXED = re.compile(r"^\s*(?P<who>[A-Za-z][\w.'-]*(?: [\w.'-]+){0,2})\s*:\s+(?P<text>.*)$")


def _split_label(line: str) -> tuple[str | None, str]:
    """'Agent: text', '[Agent] text' or 'Mary Smith: text' -> (label, text)."""
    m = _BRACKETED.match(line) or _PREFIXED.match(line)
    if not m:
        return None, line.strip()
    return m["who"].strip(), m["text"].strip()


def _caption_turns(lines: list[str], start: float, end: float, line: int) -> list[RawTurn]:
    """One caption's lines: a new turn at each voice or label ('- ' marks a change too)."""
    out: list[RawTurn] = []
    for raw in lines:
        voice = _VOICE.match(raw)
        label, text = (voice.group(1).strip(), _TAG.sub("", raw).strip()) if voice else (None, "")
        if not voice:
            label, text = _split_label(_TAG.sub("", raw))
        dash = text.startswith("- ")
        text = text[2:].strip() if dash else text
        if not text:
            continue
        if out and label is None and not dash:
            out[-1].text = f"{out[-1].text} {text}"
            continue
        speaker = label if label is not None else (out[-1].speaker if out and not dash else None)
        out.append(RawTurn(speaker, start, end, text, line=line))
    return out


def parse_vtt(text: str) -> Parsed:
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    try:
        vtt = webvtt.from_string(text, strict=True)
    except MalformedFileError as exc:
        raise InputError(f"line 1: not WebVTT ({exc}): the file must start with WEBVTT") from exc
    except MalformedCaptionError as exc:
        raise InputError(f"{_vtt_error_line(text, str(exc))}malformed cue: {exc}") from exc
    turns: list[RawTurn] = []
    lines = text.splitlines()
    for cue in vtt.captions:
        start = cue.start_time.in_milliseconds() / 1000
        end = cue.end_time.in_milliseconds() / 1000
        line = _find_line(lines, f"{cue.start} -->")
        turns += _caption_turns(list(cue.lines), start, end, line)
    if not turns:
        raise InputError("the WebVTT file holds no cues")
    return Parsed(turns, "webvtt")


def _find_line(lines: list[str], needle: str) -> int:
    return next((i + 1 for i, line in enumerate(lines) if needle in line), 0)


def _vtt_error_line(text: str, message: str) -> str:
    m = re.search(r"\[['\"](.+?)['\"]", message)
    if not m:
        return ""
    n = _find_line(text.splitlines(), m.group(1))
    return f"line {n}: " if n else ""


def parse_srt(text: str) -> Parsed:
    import srt

    turns: list[RawTurn] = []
    lines = text.splitlines()
    try:
        for sub in srt.parse(text):
            line = _find_line(lines, str(srt.timedelta_to_srt_timestamp(sub.start)))
            start, end = sub.start.total_seconds(), sub.end.total_seconds()
            turns += _caption_turns(sub.content.splitlines(), start, end, line)
    except srt.SRTParseError as exc:
        bad = exc.unmatched_content.strip().splitlines()[:2]
        raise InputError(
            f"line {_line_of(text, exc.expected_start)}: malformed subtitle {' / '.join(bad)!r}"
        ) from exc
    except ValueError as exc:  # a timestamp with impossible fields
        raise InputError(f"malformed subtitle timing: {exc}") from exc
    if not turns:
        raise InputError("the SRT file holds no subtitles")
    return Parsed(turns, "srt")


_CLOCK = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_CALL_LINE = re.compile(
    rf"^\s*(?:\[?(?P<ts>{_CLOCK})\]?\s*[-–]?\s*)?(?P<who>[A-Za-z][\w .'-]{{0,38}}?)"
    rf"\s*(?:\(\s*(?P<ts2>{_CLOCK})\s*\))?\s*:\s*(?P<text>.*)$"
)


def _clock_seconds(value: str) -> float:
    parts = [float(p) for p in value.replace(",", ".").split(":")]
    seconds = 0.0
    for p in parts:
        seconds = seconds * 60 + p
    return seconds


def parse_call_text(text: str) -> Parsed:
    """'[00:01:05] Agent: text', 'Agent (01:05): text' or 'Mary: text', one turn a line.
    A line with no label continues the turn before it. End times: the next turn's start."""
    turns: list[RawTurn] = []
    for n, line in enumerate(text.splitlines(), start=1):
        m = _CALL_LINE.match(line)
        if m:
            stamp = m["ts"] or m["ts2"]
            start = _clock_seconds(stamp) if stamp else None
            turns.append(
                RawTurn(
                    m["who"].strip(),
                    start if start is not None else -1.0,
                    -1.0,
                    m["text"].strip(),
                    line=n,
                )
            )
        elif line.strip() and turns:
            turns[-1].text = f"{turns[-1].text} {line.strip()}".strip()
        elif line.strip():
            raise InputError(f"line {n}: text before the first 'Speaker: ' line")
    turns = [t for t in turns if t.text]
    if not turns:
        raise InputError("no 'Speaker: text' lines found")
    timed = [t for t in turns if t.start >= 0]
    if timed and len(timed) != len(turns):
        missing = next(t for t in turns if t.start < 0)
        raise InputError(f"line {missing.line}: some turns have a time and this one has none")
    for i, t in enumerate(turns):
        if t.start < 0:
            t.start = 0.0  # no times at all: the turns keep their order, not their moments
        nxt = turns[i + 1].start if i + 1 < len(turns) and turns[i + 1].start >= 0 else None
        t.end = max(t.start, nxt) if nxt is not None and timed else t.start
    out = Parsed(turns, "text")
    out.extra["timed"] = bool(timed)
    if timed:
        out.extra["turn_ends"] = "next_start"
    return out


# -- JSON: Amazon Transcribe, Contact Lens / Call Analytics, generic turns -------------


def json_format(data: Any) -> str | None:
    """Which transcript format a parsed JSON document is; None for anything else (chat)."""
    if isinstance(data, dict):
        if isinstance(data.get("results"), dict) and (
            "items" in data["results"] or "transcripts" in data["results"]
        ):
            return "amazon-transcribe"
        if isinstance(data.get("Transcript"), list):
            return "contact-lens"
        if isinstance(data.get("turns"), list) or data.get("channel") == Channel.VOICE:
            return "turns"
    if isinstance(data, list) and data and isinstance(data[0], dict):
        first = data[0]
        if "text" in first and ("speaker" in first or "role" in first) and "messages" not in first:
            return "turns"
    return None


def _number(value: Any, where: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{where}: expected a number, not {value!r}") from None
    if out != out or out < 0:
        raise InputError(f"{where}: expected a time of 0 or more, not {value!r}")
    return out


def _language(code: Any) -> str | None:
    return str(code).split("-")[0].lower() if code else None


def _words_to_raw_turns(words: list[tuple[Word, str | None]]) -> list[RawTurn]:
    turns: list[RawTurn] = []
    for word, speaker in sorted(words, key=lambda ws: (ws[0].start, ws[0].end)):
        last = turns[-1] if turns else None
        if last is not None and last.speaker == speaker and word.start - last.end < TURN_GAP_S:
            last.words.append(word)
            last.end = max(last.end, word.end)
            last.text = f"{last.text} {word.word}"
        else:
            turns.append(RawTurn(speaker, word.start, word.end, word.word, [word]))
    return turns


def parse_amazon_transcribe(data: dict[str, Any]) -> Parsed:
    """Amazon Transcribe batch output: items with times and confidences; speakers from
    speaker_labels (spk_0...) or channel_labels (ch_0...)."""
    results = data["results"]
    items = results.get("items")
    channels = isinstance(results.get("channel_labels"), dict)
    if channels and not any(isinstance(i, dict) and "channel_label" in i for i in items or []):
        items = [
            {**it, "channel_label": ch.get("channel_label")}
            for ch in results["channel_labels"].get("channels", [])
            for it in ch.get("items", [])
        ]
    if not isinstance(items, list) or not items:
        raise InputError("results → items: no recognised words (is the job complete?)")
    by_start = {
        str(it.get("start_time")): seg.get("speaker_label")
        for seg in (results.get("speaker_labels") or {}).get("segments", [])
        for it in seg.get("items", [])
    }
    words: list[tuple[Word, str | None]] = []
    for i, it in enumerate(items):
        where = f"results → items → {i}"
        if not isinstance(it, dict) or not it.get("alternatives"):
            raise InputError(f"{where}: needs 'alternatives'")
        best = it["alternatives"][0]
        content = str(best.get("content", "")).strip()
        if it.get("type") == "punctuation":
            if words:
                prev = words[-1][0]
                prev.word += content
            continue
        start = _number(it.get("start_time"), f"{where} → start_time")
        end = _number(it.get("end_time"), f"{where} → end_time")
        conf = best.get("confidence")
        prob = _number(conf, f"{where} → confidence") if conf not in (None, "") else None
        speaker = (
            it.get("speaker_label")
            or it.get("channel_label")
            or by_start.get(str(it.get("start_time")))
        )
        words.append((Word(start, max(start, end), content, prob), speaker))
    language = _language(results.get("language_code") or data.get("language_code"))
    extra = {"job": data["jobName"]} if data.get("jobName") else {}
    return Parsed(_words_to_raw_turns(words), "amazon-transcribe", language, channels, extra)


def parse_contact_lens(data: dict[str, Any]) -> Parsed:
    """Amazon Connect Contact Lens and Transcribe Call Analytics output: a Transcript of
    turns with a participant (AGENT, CUSTOMER), offsets in ms and, for Call Analytics,
    word Items with confidences."""
    participants = {
        str(p.get("ParticipantId")): str(p.get("ParticipantRole"))
        for p in data.get("Participants") or []
        if isinstance(p, dict) and p.get("ParticipantRole")
    }
    turns: list[RawTurn] = []
    for i, seg in enumerate(data["Transcript"]):
        where = f"Transcript → {i}"
        if not isinstance(seg, dict) or "Content" not in seg:
            raise InputError(f"{where}: needs 'Content'")
        who = seg.get("ParticipantRole") or participants.get(str(seg.get("ParticipantId")))
        who = who or seg.get("ParticipantId")
        start = _number(seg.get("BeginOffsetMillis"), f"{where} → BeginOffsetMillis") / 1000
        end = _number(seg.get("EndOffsetMillis"), f"{where} → EndOffsetMillis") / 1000
        words: list[Word] = []
        for j, it in enumerate(seg.get("Items") or []):
            if it.get("Type") == "punctuation":
                if words:
                    words[-1].word += str(it.get("Content", ""))
                continue
            w_where = f"{where} → Items → {j}"
            ws = _number(it.get("BeginOffsetMillis"), f"{w_where} → BeginOffsetMillis") / 1000
            we = _number(it.get("EndOffsetMillis"), f"{w_where} → EndOffsetMillis") / 1000
            conf = it.get("Confidence")
            prob = _number(conf, f"{w_where} → Confidence") if conf is not None else None
            words.append(Word(ws, max(ws, we), str(it.get("Content", "")), prob))
        meta = {"sentiment": seg["Sentiment"].lower()} if seg.get("Sentiment") else {}
        turns.append(
            RawTurn(
                str(who) if who else None,
                start,
                max(start, end),
                str(seg["Content"]).strip(),
                words,
                meta=meta,
            )
        )
    if not turns:
        raise InputError("Transcript: the list is empty")
    meta = data.get("CustomerMetadata") or {}
    extra = (
        {"contact_id": meta["ContactId"]}
        if isinstance(meta, dict) and meta.get("ContactId")
        else {}
    )
    return Parsed(turns, "contact-lens", _language(data.get("LanguageCode")), False, extra)


_KEYS = {
    "speaker": ("speaker", "role", "participant", "speaker_label", "channel"),
    "start": ("start", "start_time", "begin", "offset"),
    "end": ("end", "end_time", "stop"),
    "text": ("text", "transcript", "content"),
}


def _pick(obj: dict[str, Any], name: str) -> Any:
    return next((obj[k] for k in _KEYS[name] if obj.get(k) not in (None, "")), None)


def parse_turns_json(data: Any) -> Parsed:
    """{"turns": [{"speaker", "start", "end", "text", "words": [{"word", "start", "end",
    "confidence"}]}], ...} or the bare list of turns."""
    turns_data = data.get("turns") if isinstance(data, dict) else data
    if not isinstance(turns_data, list) or not turns_data:
        raise InputError("turns: expected a non-empty list of {speaker, start, end, text}")
    turns: list[RawTurn] = []
    for i, t in enumerate(turns_data):
        where = f"turns → {i}"
        if not isinstance(t, dict) or _pick(t, "text") is None or _pick(t, "start") is None:
            raise InputError(f"{where}: needs 'text' and 'start'")
        start = _number(_pick(t, "start"), f"{where} → start")
        end_value = _pick(t, "end")
        end = _number(end_value, f"{where} → end") if end_value is not None else start
        words = [
            _generic_word(w, f"{where} → words → {j}") for j, w in enumerate(t.get("words") or [])
        ]
        speaker = _pick(t, "speaker")
        turns.append(
            RawTurn(
                str(speaker) if speaker is not None else None,
                start,
                max(start, end),
                str(_pick(t, "text")).strip(),
                words,
            )
        )
    head = data if isinstance(data, dict) else {}
    extra = {
        k: head[k] for k in ("id", "agent", "customer", "started_at") if head.get(k) is not None
    }
    return Parsed(turns, "turns", _language(head.get("language")), False, extra)


def _generic_word(w: Any, where: str) -> Word:
    if not isinstance(w, dict) or not (w.get("word") or w.get("text")):
        raise InputError(f"{where}: needs 'word', 'start' and 'end'")
    start = _number(w.get("start"), f"{where} → start")
    end = _number(w.get("end"), f"{where} → end")
    conf = w.get("confidence", w.get("probability"))
    prob = _number(conf, f"{where} → confidence") if conf is not None else None
    return Word(start, max(start, end), str(w.get("word") or w.get("text")).strip(), prob)


JSON_PARSERS: dict[str, Callable[[Any], Parsed]] = {
    "amazon-transcribe": parse_amazon_transcribe,
    "contact-lens": parse_contact_lens,
    "turns": parse_turns_json,
}


def _json_line(text: str, where: str) -> int | None:
    """The line of a 'results → items → 3' path in a JSON text, when it can be found."""
    from pathlib import Path

    from qa.yamlfile import FileErrors, load_yaml

    loc: tuple[str | int, ...] = tuple(
        int(p) if p.isdigit() else p for p in (s.strip() for s in where.split("→"))
    )
    try:
        _, lines = load_yaml(Path("transcript.json"), text)
    except (FileErrors, RecursionError):
        return None
    while loc and loc not in lines:
        loc = loc[:-1]
    return lines.get(loc) if loc else None


def parse_transcript_json(text: str, data: Any) -> Parsed | None:
    """The transcript a JSON document holds, or None when it is not a call transcript."""
    fmt = json_format(data)
    if fmt is None:
        return None
    try:
        return JSON_PARSERS[fmt](data)
    except InputError as exc:
        where = str(exc).split(":", 1)[0]
        line = _json_line(text, where) if "→" in where or where in {"turns", "Transcript"} else None
        raise InputError(f"line {line}: {exc}" if line else str(exc)) from exc


# -- from what the file holds to a voice interaction --------------------------------


def _role_of_label(label: str, hints: RoleHints) -> tuple[str | None, float]:
    low = label.strip().lower()
    if low in hints.agent_names:
        return "agent", ROSTER_CONFIDENCE
    head = re.split(r"[\s_:#-]+|\d", low, maxsplit=1)[0]
    if head in ROLE_LABELS:
        return ROLE_LABELS[head], 1.0
    return None, 0.0


def _texts_of(turns: Sequence[RawTurn], speaker: str) -> list[str]:
    """Every turn of one voice: roles are weighed over the whole call, as for a recording."""
    return [t.text for t in turns if t.speaker == speaker]


def decide_speaker_roles(
    turns: list[RawTurn], hints: RoleHints, channels: bool
) -> tuple[dict[str, str], dict[str, float], list[str], dict[str, Any]]:
    """The role of each speaker label, its confidence, any warnings, and the evidence the
    content gave where no label named the roles (empty otherwise)."""
    labels = list(dict.fromkeys(t.speaker for t in turns if t.speaker is not None))
    roles: dict[str, str] = {}
    conf: dict[str, float] = {}
    for label in labels:
        role, c = _role_of_label(label, hints)
        if role is not None:
            roles[label], conf[label] = role, c
    unknown = [lb for lb in labels if lb not in roles]
    warnings: list[str] = []
    if not unknown:
        return roles, conf, warnings, {}
    if channels and len(labels) == 2:
        ordered = sorted(labels)
        by_channel = [_texts_of(turns, lb) for lb in ordered]
        agent_idx, c, why = channel_roles(by_channel, hints.agent_channel, hints.company_names)
        for i, lb in enumerate(ordered):
            roles[lb], conf[lb] = ("agent" if i == agent_idx else "customer"), c
        if why:
            warnings.append(why)
        return roles, conf, warnings, {}
    if "agent" in roles.values():
        for lb in unknown:  # the agent is named: the other voices are customers
            roles[lb], conf[lb] = "customer", NAMED_OTHER_CONFIDENCE
        return roles, conf, warnings, {}
    if "customer" in roles.values() and len(unknown) == 1:
        roles[unknown[0]], conf[unknown[0]] = "agent", NAMED_OTHER_CONFIDENCE
        return roles, conf, warnings, {}
    # The mono-call rule, over every turn of each voice: a misheard greeting, or a caller's
    # "my name is" in the first turns, is outweighed by the rest of the call.
    texts = {lb: _texts_of(turns, lb) for lb in labels}
    first = turns[0].speaker if turns else None
    decision = voice_roles(texts, first, hints.company_names)
    for lb in unknown:
        roles[lb] = "agent" if lb == decision.agent else "customer"
        conf[lb] = decision.confidence
    return roles, conf, warnings, decision.evidence


def unlabelled_roles(turns: list[RawTurn], hints: RoleHints) -> list[str]:
    """Roles for turns no label names: from each turn's cues, weighed as the mono and stereo
    rules weigh a voice's (a caller's "my name is" with a request reads as the customer);
    with none, the voices are taken to alternate, the agent first. A guess, kept at a low
    confidence."""
    out: list[str] = []
    for i, t in enumerate(turns):
        agent, customer, _ = channel_evidence([t.text], hints.company_names)
        score = agent - customer
        if score > 0:
            out.append("agent")
        elif score < 0:
            out.append("customer")
        elif i == 0:
            out.append("agent")
        else:
            out.append("customer" if out[-1] == "agent" else "agent")
    return out


def order_turns(turns: list[RawTurn]) -> tuple[list[RawTurn], list[str]]:
    """Turns sorted by start time; warnings for ones out of order or overlapping."""
    warnings: list[str] = []
    late = [b for a, b in zip(turns, turns[1:], strict=False) if b.start < a.start]
    if late:
        where = f" (first at line {late[0].line})" if late[0].line else ""
        warnings.append(f"{len(late)} turn(s) out of time order{where}: sorted by start time")
    ordered = sorted(turns, key=lambda t: (t.start, t.end))
    overlaps = [
        b
        for a, b in zip(ordered, ordered[1:], strict=False)
        if b.start < a.end - OVERLAP_TOLERANCE_S and a.end > a.start
    ]
    if overlaps:
        where = f" (first at {overlaps[0].start:.2f} s)"
        warnings.append(f"{len(overlaps)} turn(s) overlap the one before{where}: kept")
    return ordered, warnings


def build_interaction(parsed: Parsed, source: str, hints: RoleHints) -> Interaction:
    turns, warnings = order_turns(parsed.turns)
    if any(t.speaker is not None for t in turns):
        roles, conf, why, evidence = decide_speaker_roles(turns, hints, parsed.channels)
        warnings += why
        unlabelled = [t for t in turns if t.speaker is None]
        if unlabelled:
            warnings.append(
                f"{len(unlabelled)} turn(s) have no speaker label: roles from the content"
            )
        guessed = iter(unlabelled_roles(unlabelled, hints))
        assigned = [
            (roles[t.speaker], conf[t.speaker])
            if t.speaker is not None
            else (next(guessed), UNLABELLED_CONFIDENCE)
            for t in turns
        ]
    else:
        evidence = {}
        warnings.append("no speaker labels: roles from the content, at a low confidence")
        assigned = [(r, UNLABELLED_CONFIDENCE) for r in unlabelled_roles(turns, hints)]
    out_turns = [
        Turn(
            role=role,
            text=t.text,
            start=round(t.start, 3),
            end=round(t.end, 3),
            speaker=t.speaker or role,
            words=t.words,
            meta={**t.meta, "role_confidence": round(c, 2)},
        )
        for t, (role, c) in zip(turns, assigned, strict=True)
    ]
    role_conf = min((c for _, c in assigned), default=0.0)
    ident = content_id("transcript", parsed.fmt, [(t.speaker, t.start, t.text) for t in turns])
    voice: dict[str, Any] = {
        "diarization": DiarizationSource.VENDOR,
        "source_format": parsed.fmt,
        "role_confidence": round(role_conf, 2),
    }
    if evidence:
        voice["role_evidence"] = evidence
    if not parsed.extra.get("timed", True):
        voice["timed"] = False
    if parsed.extra.get("turn_ends"):
        voice["turn_ends"] = parsed.extra["turn_ends"]
    voice.update({k: v for k, v in parsed.extra.items() if k in ("job", "contact_id")})
    item = Interaction(
        id=ident,
        channel=Channel.VOICE,
        source=source,
        turns=out_turns,
        duration=max((t.end for t in out_turns), default=0.0),
        language=parsed.language,
        status=Status.TRANSCRIBED,
        metadata={"voice": voice, "warnings": warnings},
    )
    _apply_header(item, parsed.extra)
    return item


def _apply_header(item: Interaction, extra: dict[str, Any]) -> None:
    agent = extra.get("agent")
    if isinstance(agent, dict) and (agent.get("id") or agent.get("name")):
        item.agent = Agent(
            str(agent.get("id") or agent["name"]), agent.get("name"), agent.get("team")
        )
    elif agent:
        item.agent = Agent(str(agent))
    if extra.get("customer") is not None:
        customer = extra["customer"]
        item.customer_id = str(customer.get("id") if isinstance(customer, dict) else customer)
    if extra.get("started_at"):
        item.started_at = normalise_date(str(extra["started_at"]))
    if extra.get("id") is not None:
        item.metadata["conversation_id"] = str(extra["id"])
