"""Email: .eml and .mbox files, threads rebuilt from Message-ID, In-Reply-To and References."""

from __future__ import annotations

import email
import email.header
import email.policy
import hashlib
import mailbox
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage, MIMEPart
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from qa.errors import InputError
from qa.model import Agent, Interaction, Turn
from qa.store import content_id
from qa.text import unwrap
from qa.timeutil import iso
from qa.vocabulary import Channel

_MSGID = re.compile(r"<[^<>\s]+>")


@dataclass
class Mail:
    """One parsed message, before threading."""

    message_id: str
    in_reply_to: str | None
    references: list[str]
    sender: str
    sender_name: str | None
    to: list[str]
    subject: str
    date: datetime | None
    body: str
    attachments: list[dict[str, Any]] = field(default_factory=list)
    source: str = ""
    warnings: list[str] = field(default_factory=list)

    def parents(self) -> list[str]:
        ids = list(self.references)
        if self.in_reply_to and self.in_reply_to not in ids:
            ids.append(self.in_reply_to)
        return ids

    def to_record(self) -> dict[str, Any]:
        return {
            "message_id": self.message_id,
            "in_reply_to": self.in_reply_to,
            "references": self.references,
            "sender": self.sender,
            "sender_name": self.sender_name,
            "to": self.to,
            "subject": self.subject,
            "date": iso(self.date),
            "body": self.body,
            "attachments": self.attachments,
            "source": self.source,
            "warnings": self.warnings,
        }

    @classmethod
    def from_record(cls, rec: dict[str, Any]) -> Mail:
        date = (
            datetime.fromisoformat(rec["date"].replace("Z", "+00:00")) if rec.get("date") else None
        )
        return cls(**{**rec, "date": date})


class _HTMLText(HTMLParser):
    _BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote", "table"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in {"script", "style", "head"}:
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "head"}:
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [re.sub(r"[ \t\xa0]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_QUOTE_HEADER = re.compile(
    r"^(?:On .{3,200}wrote:\s*$|-{2,}\s*Original Message\s*-{2,}|From: .+|_{10,}"
    # Chinese clients: "在 2026年5月11日周一 …写道：", "於 … 寫道：", Foxmail's "原始邮件" rule,
    # "发件人：" / "寄件者：" blocks.
    r"|(?:在|於|于)\s?.{3,200}(?:写道|寫道)\s*[:：]\s*$|-{2,}\s*(?:原始邮件|原始郵件|原邮件|原郵件)\s*-{2,}"
    r"|(?:发件人|發件人|寄件者|寄件人)\s*[:：].+)",
    re.IGNORECASE,
)
_WROTE = re.compile(r"^On .{3,300}wrote:\s*$", re.IGNORECASE)
_SIGNATURE = re.compile(
    r"^(?:-- ?$|Sent from my \w+|Get Outlook for \w+)",
    re.IGNORECASE,
)


_SIGN_OFF = re.compile(
    r"^(?:(?:kind|best|warm|many)\s+(?:regards|wishes|thanks)|regards|thanks|thank you|cheers|"
    r"best|sincerely|yours sincerely|yours faithfully|all the best)[,.!]?$",
    re.IGNORECASE,
)
SIGN_OFF_MAX_LINES = 5  # a sign-off further than this from the end is part of the text


_POSTSCRIPT = re.compile(r"^p\.?\s?s\b[.:]?", re.IGNORECASE)


def strip_reply(body: str) -> str:
    """The new text of a message, its hard wraps joined: no quoted reply, no signature, no
    sign-off. A P.S., after the signature or not, is the writer's own text and stays."""
    kept: list[str] = []
    postscript: list[str] = []
    in_signature = False
    lines = body.splitlines()
    for n, line in enumerate(lines):
        # A quote header a client wrapped onto two lines ("On Tue, 2 Jun 2026, Sam" /
        # "Smith <sam@example.com> wrote:") starts the quoted reply too.
        joined = f"{line.strip()} {lines[n + 1].strip()}" if n + 1 < len(lines) else ""
        if _QUOTE_HEADER.match(line.strip()) or (
            line.strip().startswith("On ") and _WROTE.match(joined)
        ):
            break
        if line.lstrip().startswith(">"):
            continue
        if _POSTSCRIPT.match(line.strip()) or postscript:
            postscript.append(line)
        elif _SIGNATURE.match(line.rstrip()):
            in_signature = True
        elif not in_signature:
            kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    for i in range(max(0, len(kept) - SIGN_OFF_MAX_LINES), len(kept)):
        if _SIGN_OFF.match(kept[i].strip()):
            kept = kept[:i]
            break
    if postscript:
        kept += ["", *postscript]
    return unwrap("\n".join(kept)).strip()


def parse_message(raw: bytes, source: str) -> Mail:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    if not raw.strip():
        raise InputError("empty message")
    if msg["From"] is None or msg.defects and not msg.keys():
        raise InputError("no email headers (From, Date, Message-ID) found: is this an email file?")
    senders = getaddresses([_header(msg, "From")])
    if not senders or "@" not in senders[0][1]:
        raise InputError(f"the From header has no address: {msg['From']!r}")
    name, address = senders[0]
    date = None
    if msg["Date"]:
        try:
            date = parsedate_to_datetime(str(msg["Date"]))
            if date.tzinfo is None:  # '-0000': a UTC time whose local offset is unknown
                date = date.replace(tzinfo=UTC)
        except (TypeError, ValueError) as exc:
            raise InputError(f"unreadable Date header: {msg['Date']!r}") from exc
    body_part = msg.get_body(preferencelist=("plain", "html"))
    body = ""
    warnings: list[str] = []
    if body_part is not None:
        content = _text_of(body_part, warnings)
        body = html_to_text(content) if body_part.get_content_type() == "text/html" else content
    attachments = [
        {
            "filename": part.get_filename() or "(unnamed)",
            "content_type": part.get_content_type(),
            "size": len(part.get_payload(decode=True) or b""),
        }
        for part in msg.iter_attachments()
    ]
    message_id = (
        _first_id(msg["Message-ID"]) or f"<{hashlib.sha256(raw).hexdigest()[:24]}@qa.local>"
    )
    return Mail(
        message_id=message_id,
        in_reply_to=_first_id(msg["In-Reply-To"]),
        references=_MSGID.findall(str(msg["References"] or "")),
        sender=address.lower(),
        sender_name=name or None,
        to=[a.lower() for _, a in getaddresses([str(msg["To"] or "")]) if a],
        subject=_header(msg, "Subject"),
        date=date,
        body=body.replace("\r\n", "\n"),
        attachments=attachments,
        source=source,
        warnings=warnings,
    )


# A body whose charset is unknown, or declared wrongly, is read by this rule: UTF-8 if the
# bytes are valid UTF-8, else Windows-1252 (which maps every byte). A warning says so, and
# is stored with the thread.
FALLBACK_CHARSETS = ("utf-8", "windows-1252")
# Chinese charsets are read by their supersets, as mail clients write them: a body declared
# GB2312 often holds GBK characters, one declared Big5 Hong Kong characters (HKSCS).
CJK_SUPERSETS = {
    "gb2312": "gb18030", "gb_2312-80": "gb18030", "euc-cn": "gb18030", "x-euc-cn": "gb18030",
    "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "ms936": "gb18030",
    "gb18030": "gb18030", "hz-gb-2312": "hz",
    "big5": "big5hkscs", "x-big5": "big5hkscs", "big5-hkscs": "big5hkscs", "cp950": "cp950",
    "big5hkscs": "big5hkscs", "x-x-big5": "big5hkscs",
}  # fmt: skip


def _cjk_text(raw: bytes, declared: str, warnings: list[str]) -> str:
    """A body in a declared Chinese charset: decoded by it (its superset), else as UTF-8 with
    a warning (a common mislabel); bytes that fit neither make the file a failure, since any
    Western fallback would turn Chinese into noise."""
    codec = CJK_SUPERSETS[declared]
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        error = exc
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        bad = raw[error.start : error.start + 2].hex(" ")
        raise InputError(
            f"the body cannot be decoded as its declared charset {declared!r}: bytes {bad} at "
            f"offset {error.start} are not {codec}, nor is the body UTF-8"
        ) from None
    warnings.append(
        f"the declared charset {declared!r} does not fit its bytes: the body was read as utf-8"
    )
    return decoded


def _text_of(part: MIMEPart, warnings: list[str]) -> str:
    declared = part.get_content_charset() or "us-ascii"
    raw = part.get_payload(decode=True)
    if isinstance(raw, bytes) and declared.lower() in CJK_SUPERSETS:
        return _cjk_text(raw, declared.lower(), warnings)
    try:
        text = part.get_content()
    except LookupError:
        text = None
    if text is not None and str(part.get_param("format", "")).lower() == "flowed":
        text = unflow(str(text), str(part.get_param("delsp", "")).lower() == "yes")
    if not isinstance(raw, bytes):
        return text or ""
    if text is not None and ("\ufffd" not in text or b"\xef\xbf\xbd" in raw):
        return str(text)
    why = "is unknown" if text is None else "does not fit its bytes"
    for charset in FALLBACK_CHARSETS:
        try:
            decoded = raw.decode(charset)
        except UnicodeDecodeError:
            continue
        warnings.append(f"the declared charset {declared!r} {why}: the body was read as {charset}")
        return decoded
    # Windows-1252 leaves five bytes undefined: those become U+FFFD, and the warning says so.
    warnings.append(
        f"the declared charset {declared!r} {why}: the body was read as windows-1252, "
        "with unreadable bytes replaced"
    )
    return raw.decode("windows-1252", errors="replace")


def unflow(text: str, delsp: bool = False) -> str:
    """A format=flowed body (RFC 3676) as its paragraphs: a line that ends in a space runs on
    into the next line of the same quote depth (with DelSp=yes that space was added by the
    writer's client and goes), a space-stuffed line loses its first space, and quoted lines
    keep their '>' marks, one line per paragraph. The signature separator '-- ' stays a line."""
    out: list[tuple[int, str]] = []
    flowing = False
    for raw_line in text.replace("\r\n", "\n").split("\n"):
        stripped = raw_line.lstrip(">")
        depth = len(raw_line) - len(stripped)
        if stripped.startswith(" "):
            stripped = stripped[1:]  # space-stuffing (or the space after the quote marks)
        soft = stripped.endswith(" ") and stripped != "-- "
        piece = stripped[:-1] if soft and delsp else stripped
        if flowing and out and out[-1][0] == depth:
            out[-1] = (depth, out[-1][1] + piece)
        else:
            out.append((depth, piece))
        flowing = soft
    return "\n".join((">" * d + " " if d else "") + line for d, line in out)


def _header(msg: EmailMessage, name: str) -> str:
    """A header's text; encoded words in a Chinese charset are read by its superset (a GB2312
    subject with GBK characters), where the standard reading would replace characters."""
    value = str(msg[name] or "")
    if "\ufffd" not in value:
        return value
    raw = next((str(v) for k, v in msg.raw_items() if k.lower() == name.lower()), "")
    parts = []
    for chunk, charset in email.header.decode_header(raw):
        if isinstance(chunk, str):
            parts.append(chunk)
            continue
        codec = CJK_SUPERSETS.get((charset or "").lower(), charset or "ascii")
        try:
            parts.append(chunk.decode(codec, errors="replace"))
        except LookupError:
            parts.append(chunk.decode("utf-8", errors="replace"))
    return "".join(parts)


def _first_id(header: object) -> str | None:
    found = _MSGID.findall(str(header or ""))
    return found[0] if found else None


def read_mail_file(path: Path, source: str) -> list[Mail]:
    if path.suffix.lower() == ".mbox":
        box = mailbox.mbox(str(path), create=False)
        try:
            mails = [parse_message(m.as_bytes(), source) for m in box]
        finally:
            box.close()
        if not mails:
            raise InputError("the mbox holds no messages")
        return mails
    return [parse_message(path.read_bytes(), source)]


def group_threads(mails: list[Mail]) -> list[list[Mail]]:
    """Connected components over Message-ID, In-Reply-To and References."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for m in mails:
        for p in m.parents():
            parent[find(p)] = find(m.message_id)
        find(m.message_id)
    groups: dict[str, list[Mail]] = {}
    for m in mails:
        groups.setdefault(find(m.message_id), []).append(m)
    return [sorted(g, key=_order) for g in groups.values()]


def _order(m: Mail) -> tuple[float, str]:
    return (m.date.timestamp() if m.date else 0.0, m.message_id)


def thread_key(thread: list[Mail]) -> str:
    """Stable as a thread grows: the id its first message answers, or its own."""
    first = thread[0]
    return (first.references[0] if first.references else first.in_reply_to) or first.message_id


def is_agent_address(address: str, domains: list[str], addresses: list[str]) -> bool:
    address = address.lower()
    if address in {a.lower() for a in addresses}:
        return True
    domain = address.rsplit("@", 1)[-1]
    return any(
        domain == d.lower().lstrip("@") or domain.endswith("." + d.lower().lstrip("@"))
        for d in domains
    )


def build_thread(thread: list[Mail], domains: list[str], addresses: list[str]) -> Interaction:
    configured = bool(domains or addresses)
    first_sender = thread[0].sender
    turns: list[Turn] = []
    start = next((m.date for m in thread if m.date), None)
    agent: Agent | None = None
    for m in thread:
        if configured:
            role = "agent" if is_agent_address(m.sender, domains, addresses) else "customer"
        else:
            # Nothing configured: the thread's first writer is taken as the customer.
            role = "customer" if m.sender == first_sender else "agent"
        if role == "agent" and agent is None:
            agent = Agent(id=m.sender, name=m.sender_name)
        offset = (m.date - start).total_seconds() if (m.date and start) else 0.0
        turns.append(
            Turn(
                role=role,
                speaker=m.sender,
                text=strip_reply(m.body),
                original=m.body,
                start=offset,
                end=offset,
                meta={
                    "message_id": m.message_id,
                    "subject": m.subject,
                    "date": iso(m.date),
                    "attachments": m.attachments,
                },
            )
        )
    customer = next((t.speaker for t in turns if t.role == "customer"), None)
    metadata: dict[str, Any] = {
        "subject": thread[0].subject,
        "thread_key": thread_key(thread),
        "messages": len(thread),
    }
    if not configured:
        metadata["roles"] = "first sender taken as customer; set email.agent_domains in qa.yaml"
    warnings = [w for m in thread for w in m.warnings]
    if warnings:
        metadata["warnings"] = warnings
    return Interaction(
        id=content_id(Channel.EMAIL, thread_key(thread)),
        channel=Channel.EMAIL,
        source=thread[0].source,
        agent=agent,
        turns=turns,
        started_at=iso(start),
        duration=turns[-1].start if turns else 0.0,
        customer_id=customer,
        metadata=metadata,
    )
