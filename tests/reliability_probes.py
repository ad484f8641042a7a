"""Bad inputs and hostile scorecards, as careless exporters and attackers write them.

Shared by tests/test_reliability.py (each must fail alone, with its reason) and
bench/bench_reliability.py (which prints the figures for the README).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path


def _chat(messages: object = None, **extra: object) -> str:
    if messages is None:
        messages = [
            {"from": "agent", "text": "Hello, how can I help?", "ts": "2026-03-03T10:00:00Z"},
            {"from": "customer", "text": "My bill is wrong.", "ts": "2026-03-03T10:00:10Z"},
        ]
    return json.dumps(
        {"id": "c", "agent": "a.one", "channel": "chat", "messages": messages, **extra}
    )


def _ts(value: str) -> str:
    return _chat().replace('"2026-03-03T10:00:00Z"', value)


def _nested(depth: int) -> str:
    return _chat(metadata={}).replace('"metadata": {}', '"metadata": ' + "[" * depth + "]" * depth)


MAIL_HEAD = (
    "From: Pat <pat@customer.example>\nTo: care@shop.example\nSubject: hi\n"
    "Message-ID: <{mid}@customer.example>\nDate: {date}\n"
)
CSV_HEAD = "conversation_id,timestamp,sender,text,agent\n"


def _wav_header_only() -> bytes:
    return (
        b"RIFF"
        + struct.pack("<I", 36)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16)
    )


# name -> file content (bytes or text). Every one of these must be refused, alone.
BAD_INPUTS: dict[str, bytes | str] = {
    # chat JSON
    "json_broken.json": '{"id": "x", "messages": [',
    "json_deep_100000.json": "[" * 100_000 + "]" * 100_000,
    "json_deep_65.json": _nested(65),
    "json_empty_list.json": "[]",
    "json_string.json": '"hello"',
    "json_number.json": "42",
    "json_null.json": "null",
    "json_no_messages.json": json.dumps({"id": "x", "agent": "a"}),
    "json_messages_not_list.json": json.dumps({"id": "x", "agent": "a", "messages": "hi"}),
    "json_messages_empty.json": _chat([]),
    "json_message_is_text.json": _chat(["hello"]),
    "json_ts_1e20.json": _ts("1e20"),
    "json_ts_1e308.json": _ts("1e308"),
    "json_ts_inf.json": _ts("1e999"),
    "json_ts_nan.json": _ts("NaN"),
    "json_ts_5000_digits.json": _ts("9" * 5000),
    "json_ts_negative.json": _ts("-86400"),
    "json_ts_words.json": _ts('"yesterday"'),
    "json_ts_clock_and_date.json": _ts('"00:00:05"'),
    "json_agent_list.json": _chat().replace('"a.one"', '["x"]'),
    "json_agent_no_id.json": _chat().replace('"a.one"', '{"team": "T"}'),
    "json_agent_id_list.json": _chat().replace('"a.one"', '{"id": ["x"]}'),
    "json_utf16.json": _chat().encode("utf-16"),
    "json_latin1.json": _chat().replace("Hello", "Caf\u00e9").encode("latin-1"),
    "json_whitespace.json": "   \n\t\n",
    "json_zero_bytes.json": b"",
    "json_binary.json": bytes(range(256)) * 4,
    "json_bom_broken.json": "\ufeff{".encode(),
    "json_too_many_messages.json": _chat(
        [{"from": "agent", "text": "hi", "ts": 1772539200 + i} for i in range(20_001)]
    ),
    "json_message_too_long.json": _chat(
        [{"from": "agent", "text": "a" * 100_001, "ts": "2026-03-03T10:00:00Z"}]
    ),
    # chat CSV
    "csv_missing_columns.csv": "id,text\n1,hello\n",
    "csv_header_only.csv": CSV_HEAD,
    "csv_field_over_limit.csv": CSV_HEAD
    + "c1,2026-03-03T10:00:00Z,agent,"
    + "a" * 1_000_001
    + ",a\n",
    "csv_bad_timestamp.csv": CSV_HEAD + "c1,not-a-time,agent,hello,a\n",
    "csv_binary.csv": bytes(range(256)) * 4,
    "csv_unterminated_quote.csv": CSV_HEAD + 'c1,2026-03-03T10:00:00Z,agent,"hello,a\n',
    "csv_empty.csv": b"",
    # plain-text chat
    "txt_whitespace.txt": "  \n \n",
    "txt_binary.txt": b"\xff\xfe\x00\x01" * 64,
    # email
    "mail_no_headers.eml": "just some text\nwith no headers\n",
    "mail_from_without_address.eml": "From: Pat\nSubject: x\n\nbody\n",
    "mail_bad_date.eml": MAIL_HEAD.format(mid="d1", date="the thirty-third of Smarch") + "\nbody\n",
    "mail_empty.eml": b"",
    "mail_binary.eml": bytes(range(256)) * 4,
    "mail_not_mbox.mbox": "this is not a mailbox\n",
    # call transcripts
    "vtt_no_header.vtt": "00:00:01.000 --> 00:00:02.000\nhello\n",
    "vtt_bad_time.vtt": "WEBVTT\n\n00:00:xx.000 --> 00:00:02.000\n<v Agent>hello\n",
    "srt_malformed.srt": "1\n00:00:01,000 -> 00:00:02,000\nhello\n",
    "srt_empty.srt": "\n\n",
    "transcribe_no_items.json": json.dumps({"results": {"transcripts": [], "items": "x"}}),
    "contact_lens_bad.json": json.dumps({"Transcript": [{"Content": "hi"}]}),
    "turns_negative_time.json": json.dumps(
        {"channel": "voice", "turns": [{"speaker": "Agent", "start": -5, "end": 1, "text": "hi"}]}
    ),
    # audio
    "audio_text.wav": "this is text, not audio",
    "audio_zero.wav": b"",
    "audio_header_only.wav": _wav_header_only(),
    "audio_random.mp3": bytes(range(256)) * 16,
    "audio_garbage.flac": b"fLaC" + bytes(range(200)),
    # not an interaction at all
    "document.docx": b"PK\x03\x04" + bytes(100),
    "picture.png": b"\x89PNG\r\n\x1a\n" + bytes(100),
}

GOOD_INPUTS: dict[str, str] = {
    "good_first.json": _chat(),
    "good_last.json": _chat().replace('"id": "c"', '"id": "c2"'),
    "good_epoch_ms.json": _ts("1772539200000").replace('"id": "c"', '"id": "c3"'),
}


def write_inputs(folder: Path) -> None:
    for name, content in {**BAD_INPUTS, **GOOD_INPUTS}.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


CARD_HEAD = """\
name: Hostile
pass_mark: 50
sections:
  - id: s
    criteria:
"""


def _rule(phrase: str, match: str = "regex") -> str:
    return (
        CARD_HEAD
        + f"      - id: r\n        type: phrase.v1\n        match: {match}\n"
        + f"        phrases: [{json.dumps(phrase)}]\n        points: 5\n"
    )


def alias_bomb(levels: int = 9) -> str:
    """The billion-laughs document: some 600 bytes that expand to 9**levels values."""
    text = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    prev = "a"
    for name in "bcdefghijklmnop"[: levels - 1]:
        text += f"{name}: &{name} [{','.join(['*' + prev] * 9)}]\n"
        prev = name
    return text


# name -> scorecard text. Each must be refused at validation, or score in bounded time.
HOSTILE_SCORECARDS: dict[str, str] = {
    "alias_bomb_9": alias_bomb(9),
    "alias_bomb_7": alias_bomb(7),
    "python_name_tag": "name: !!python/name:os.system\n",
    "python_apply_tag": "name: !!python/object/apply:os.system [ls]\n",
    "custom_tag": "name: !include /etc/passwd\n",
    "nested_brackets_100000": "[" * 100_000,
    "nested_mappings_200": "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v\n",
    "regex_unclosed": _rule("(unclosed"),
    "regex_backreference": _rule(r"(a)\1"),
    "regex_lookahead": _rule(r"foo(?=bar)"),
    "regex_nested_quantifier": _rule("(a+)+$"),
    "regex_alternation_blowup": _rule("(a|aa)+$"),
    "regex_huge_repeat": _rule("a{1000}{1000}"),
    "typo_key": CARD_HEAD.replace("pass_mark", "pass_mrk")
    + "      - id: r\n        type: phrase.v1\n        phrases: [hi]\n",
    "wrong_type": CARD_HEAD + "      - id: r\n        type: phrase.v9\n        phrases: [hi]\n",
    "not_yaml": "name: [unclosed\n",
    "binary": "\x00\x01\x02",
}

# A line that makes a backtracking engine run for hours on the patterns above.
EVIL_LINE = "a" * 40 + "!"


def write_evil_chat(path: Path) -> Path:
    """A chat whose every message is EVIL_LINE."""
    messages = [
        {"from": role, "text": EVIL_LINE, "ts": 1772539200 + n}
        for n, role in enumerate(("agent", "customer"))
    ]
    path.write_text(json.dumps({"id": "e", "agent": "a", "messages": messages}))
    return path


ROOT = Path(__file__).resolve().parent.parent
NETWORK = re.compile(r"AF_INET6?\b|htons\(53\)|events\.data")


def traced_score(work: Path) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """A voice and text `qa score` of this checkout under strace: the run, and every socket
    call that reaches for the network (a connection or a DNS lookup)."""
    inputs = work / "net_in"
    inputs.mkdir()
    shutil.copy(ROOT / "examples" / "calls" / "l.chen_20260305_1003.flac", inputs)
    shutil.copy(ROOT / "examples" / "chats" / "chat_upgrade.json", inputs)
    log = work / "strace.log"
    env = {k: v for k, v in os.environ.items() if "TELEMETRY" not in k and "OFFLINE" not in k}
    env["PYTHONPATH"] = str(ROOT)  # this checkout's qa, wherever the caller runs from
    trace = ["strace", "-f", "-qq", "-e", "trace=socket,connect,sendto,sendmsg", "-o", str(log)]
    run = subprocess.run(
        [
            *trace,
            sys.executable,
            "-m",
            "qa",
            "score",
            str(inputs),
            "--scorecard",
            str(ROOT / "scorecards" / "inbound_service.yaml"),
            "--campaigns",
            str(ROOT / "scorecards" / "campaigns"),
            "--db",
            str(work / "net.db"),
        ],
        env=env,
        cwd=work,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    return run, [ln for ln in log.read_text().splitlines() if NETWORK.search(ln)]
