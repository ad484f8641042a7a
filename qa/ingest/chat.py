"""Chat transcripts: JSON, CSV (one message per row) and plain text with role prefixes."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from qa.errors import InputError
from qa.model import Agent, Interaction, Turn
from qa.store import content_id
from qa.timeutil import iso, parse_timestamp, relative_seconds
from qa.vocabulary import Channel

CSV_COLUMNS = ("conversation_id", "timestamp", "sender", "text", "agent")
_ROLE_ALIASES = {
    "agent": "agent",
    "customer": "customer",
    "client": "customer",
    "caller": "customer",
    "visitor": "customer",
    "user": "customer",
    "system": "system",
    "bot": "system",
}


def _role(value: object, where: str) -> str:
    role = _ROLE_ALIASES.get(str(value).strip().lower())
    if role is None:
        raise InputError(f"{where}: sender must be agent, customer or system, not {value!r}")
    return role


def _agent(value: object) -> Agent | None:
    if value is None or value == "":
        return None
    if isinstance(value, dict):
        ident = value.get("id") or value.get("name")
        if not isinstance(ident, str | int) or isinstance(ident, bool) or ident == "":
            raise InputError("agent: an object needs an 'id' or a 'name' as text")
        name, team = value.get("name"), value.get("team")
        for key, field in (("name", name), ("team", team)):
            if field is not None and not isinstance(field, str):
                raise InputError(f"agent: '{key}' must be text, not {type(field).__name__}")
        return Agent(id=str(ident), name=name, team=team)
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise InputError(
            f"agent: expected an id (text) or an object with 'id', not {type(value).__name__}"
        )
    return Agent(id=str(value))


def _build(
    conv_id: str | None,
    source: str,
    agent: Agent | None,
    messages: list[tuple[str, str, Any]],
    extra: dict[str, Any],
) -> Interaction:
    stamps = [parse_timestamp(ts) if ts not in (None, "") else None for _, _, ts in messages]
    if any(s is None for s in stamps):
        if any(s is not None for s in stamps):
            raise InputError(f"conversation {conv_id or ''}: some messages have no timestamp")
        offsets, started = [float(i) for i in range(len(messages))], None
    else:
        offsets, started = relative_seconds([s for s in stamps if s is not None])
    turns = [
        Turn(role=role, speaker=role, text=text, start=offset, end=offset)
        for (role, text, _), offset in zip(messages, offsets, strict=True)
    ]
    ident = content_id(Channel.CHAT, conv_id, [(r, t, str(ts)) for r, t, ts in messages])
    metadata: dict[str, Any] = {}
    if conv_id:
        metadata["conversation_id"] = conv_id
    return Interaction(
        id=ident,
        channel=Channel.CHAT,
        source=source,
        agent=agent,
        turns=turns,
        started_at=extra.get("started_at") or iso(started),
        duration=max(offsets) if offsets else 0.0,
        customer_id=extra.get("customer_id"),
        metadata=metadata,
    )


def parse_chat_json(text: str, source: str) -> list[Interaction]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"broken JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    items = data if isinstance(data, list) else [data]
    if not items:
        raise InputError("the JSON list holds no conversations")
    return [_conversation_from_json(item, i) for i, item in enumerate(items)]


def _conversation_from_json(item: Any, index: int) -> Interaction:
    where = f"conversation {index}"
    if not isinstance(item, dict):
        raise InputError(f"{where}: expected an object with 'agent' and 'messages'")
    messages = item.get("messages")
    if not isinstance(messages, list) or not messages:
        raise InputError(f"{where}: 'messages' must be a non-empty list")
    if item.get("channel", Channel.CHAT) != Channel.CHAT:
        raise InputError(f"{where}: channel must be '{Channel.CHAT}', not {item.get('channel')!r}")
    parsed = []
    for i, msg in enumerate(messages):
        if not isinstance(msg, dict) or "text" not in msg or "from" not in msg:
            raise InputError(f"{where} message {i}: needs 'from' and 'text'")
        parsed.append((_role(msg["from"], f"{where} message {i}"), str(msg["text"]), msg.get("ts")))
    customer = item.get("customer")
    extra = {
        "started_at": item.get("started_at"),
        "customer_id": str(customer.get("id")) if isinstance(customer, dict) else customer,
    }
    conv_id = str(item["id"]) if item.get("id") is not None else None
    return _build(conv_id, "", _agent(item.get("agent")), parsed, extra)


def parse_chat_csv(text: str, source: str) -> list[Interaction]:
    # strict: an unterminated quote is an error, not the rest of the file swallowed into one field
    reader = csv.DictReader(io.StringIO(text), strict=True)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise InputError(
            f"CSV is missing column(s) {', '.join(missing)}; "
            f"a chat CSV needs {', '.join(CSV_COLUMNS)}"
        )
    reader.fieldnames = header
    conversations: dict[str, dict[str, Any]] = {}
    for line, row in enumerate(reader, start=2):
        conv = (row.get("conversation_id") or "").strip()
        if not conv:
            raise InputError(f"row {line}: conversation_id is empty")
        entry = conversations.setdefault(conv, {"agent": None, "messages": []})
        agent = (row.get("agent") or "").strip()
        entry["agent"] = entry["agent"] or agent or None
        sender = (row.get("sender") or "").strip()
        role = (
            "agent" if agent and sender.lower() == agent.lower() else _role(sender, f"row {line}")
        )
        entry["messages"].append(
            (role, row.get("text") or "", (row.get("timestamp") or "").strip())
        )
    if not conversations:
        raise InputError("the CSV has a header but no messages")
    return [
        _build(conv, source, _agent(entry["agent"]), entry["messages"], {})
        for conv, entry in conversations.items()
    ]


_PREFIX = re.compile(
    r"^\s*(?:\[?(?P<ts>\d{1,2}:\d{2}(?::\d{2})?)\]?\s*)?(?P<who>agent|customer|system)\s*:\s?(?P<text>.*)$",
    re.IGNORECASE,
)


def parse_chat_text(text: str, source: str) -> list[Interaction]:
    messages: list[tuple[str, str, Any]] = []
    for line in text.splitlines():
        m = _PREFIX.match(line)
        if m:
            messages.append((m["who"].lower(), m["text"].strip(), m["ts"]))
        elif line.strip() and messages:
            role, previous, ts = messages[-1]
            messages[-1] = (role, f"{previous}\n{line.strip()}", ts)
        elif line.strip():
            raise InputError("text before the first 'Agent:' or 'Customer:' line")
    if not messages:
        raise InputError("no 'Agent:' or 'Customer:' lines found")
    return [_build(None, source, None, messages, {})]
