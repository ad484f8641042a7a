"""What a file says about itself wins over what its file name seems to say; the manifest
wins over both."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from qa.config import Config
from qa.ingest.batch import ingest
from qa.store import Store

PATTERN = "{agent}_{date}_{id}"


def chat(path: Path, agent: Any) -> Path:
    body: dict[str, Any] = {
        "messages": [
            {"from": "customer", "text": "Hi there", "ts": "2026-03-01T10:00:00Z"},
            {"from": "agent", "text": "Hello, how can I help?", "ts": "2026-03-01T10:00:30Z"},
        ]
    }
    if agent is not None:
        body["agent"] = agent
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "agent", "manifest", "want_agent", "want_started", "problems"),
    [
        # The file names its agent: the name's first part is a word, not an agent.
        ("spring_offer_chat.json", "m.rossi", None, "m.rossi", "2026-03-01T10:00:00Z", 1),
        ("hengxin_card_instalment.json", {"id": "w.li", "name": "Wei Li"}, None, "w.li", None, 1),
        # No agent in the file: the file name says who; the messages' own times win over
        # the name's date, and a date part that does not read is noted.
        ("ann_2026-13-45_77.json", None, None, "ann", "2026-03-01T10:00:00Z", 1),
        ("ann_2026-03-02_77.json", None, None, "ann", "2026-03-01T10:00:00Z", 0),
        # The manifest wins over the file and its name.
        (
            "spring_offer_chat.json",
            "m.rossi",
            "agent,date\nj.doe,2026-03-05",
            "j.doe",
            "2026-03-05",
            1,
        ),
    ],
)
def test_the_file_says_better_than_its_name(
    tmp_path: Path,
    name: str,
    agent: Any,
    manifest: str | None,
    want_agent: str,
    want_started: str | None,
    problems: int,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    chat(folder / name, agent)
    if manifest:
        head, row = manifest.split("\n")
        (folder / "manifest.csv").write_text(f"file,{head}\n{name},{row}\n", encoding="utf-8")
    store = Store(tmp_path / "qa.db")
    report = ingest([folder], store, Config(filename_pattern=PATTERN))
    assert not report.failures
    [item] = store.load_interactions()
    assert item.agent is not None and item.agent.id == want_agent
    if want_started is not None:
        assert (item.started_at or "").startswith(want_started)
    assert len(item.metadata.get("filename_problems", [])) == problems
    if isinstance(agent, dict):
        assert item.agent.name == agent["name"]
