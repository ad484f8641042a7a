from __future__ import annotations

import json

import pytest

from qa.errors import InputError
from qa.ingest.chat import parse_chat_csv, parse_chat_json, parse_chat_text


def test_json_single_conversation_with_relative_times() -> None:
    text = json.dumps(
        {
            "id": "x1",
            "agent": {"id": "a7", "name": "Ann", "team": "Sales"},
            "customer": "C1",
            "messages": [
                {"from": "customer", "text": "Hi", "ts": "2026-03-01T10:00:00Z"},
                {"from": "agent", "text": "Hello, how can I help?", "ts": "2026-03-01T10:00:42Z"},
            ],
        }
    )
    [item] = parse_chat_json(text, "c.json")
    assert item.channel == "chat"
    assert item.agent is not None and (item.agent.id, item.agent.team) == ("a7", "Sales")
    assert [(t.role, t.start) for t in item.turns] == [("customer", 0.0), ("agent", 42.0)]
    assert item.started_at == "2026-03-01T10:00:00Z"
    assert item.customer_id == "C1"


def test_json_list_of_conversations_gets_distinct_ids() -> None:
    conv = {"agent": "a", "messages": [{"from": "agent", "text": "one", "ts": 0}]}
    other = {"agent": "a", "messages": [{"from": "agent", "text": "two", "ts": 0}]}
    items = parse_chat_json(json.dumps([conv, other]), "c.json")
    assert len({i.id for i in items}) == 2
    assert parse_chat_json(json.dumps(conv), "c.json")[0].id == items[0].id


def test_broken_json_names_line_and_column() -> None:
    with pytest.raises(InputError, match=r"broken JSON at line 1 column \d+"):
        parse_chat_json('{"agent": "a", "messages": [', "c.json")


def test_json_unknown_sender_is_an_error() -> None:
    bad = {"agent": "a", "messages": [{"from": "robot", "text": "x", "ts": 0}]}
    with pytest.raises(InputError, match="message 0: sender must be agent, customer or system"):
        parse_chat_json(json.dumps(bad), "c.json")


def test_csv_groups_rows_by_conversation() -> None:
    text = (
        "conversation_id,timestamp,sender,text,agent\n"
        "c1,2026-03-01T09:00:00Z,customer,Hi,lin\n"
        "c1,2026-03-01T09:00:10Z,lin,Hello,lin\n"
        "c2,2026-03-01T10:00:00Z,customer,Cancel please,lin\n"
    )
    items = parse_chat_csv(text, "x.csv")
    assert [len(i.turns) for i in items] == [2, 1]
    assert items[0].turns[1].role == "agent"  # the sender named as the agent
    assert items[0].turns[1].start == 10.0


def test_csv_missing_column_is_named() -> None:
    with pytest.raises(InputError, match="missing column\\(s\\) agent"):
        parse_chat_csv("conversation_id,timestamp,sender,text\nc1,0,agent,hi\n", "x.csv")


def test_plain_text_with_prefixes_and_continuations() -> None:
    text = (
        "[10:00:00] Customer: My order is late\n"
        "[10:00:30] Agent: Sorry to hear that.\nLet me check.\n"
    )
    [item] = parse_chat_text(text, "t.txt")
    assert [t.role for t in item.turns] == ["customer", "agent"]
    assert item.turns[1].text == "Sorry to hear that.\nLet me check."
    assert item.turns[1].start == 30.0


def test_plain_text_without_prefixes_is_an_error() -> None:
    with pytest.raises(InputError, match="before the first 'Agent:'"):
        parse_chat_text("just some notes\nnothing else", "t.txt")
