"""What a manifest gave at ingest (agent, team, campaign, direction, queue, work type, ...)
stays when the same files are ingested again without it, or with a manifest that gives less:
a later run's value wins field by field, a missing one keeps the stored value."""

from __future__ import annotations

import shutil
import wave
from pathlib import Path
from typing import Any

import pytest

from qa.config import Config
from qa.ingest.batch import ingest
from qa.store import Store
from tests.conftest import EXAMPLES

CHAT = EXAMPLES / "chats" / "webchat_0142.txt"
HEADER = "file,agent_id,agent_name,team,campaign,customer_id,case_id,direction,started_at,queue,work_type"
ROW = "m.rossi,Marco Rossi,Care,SPRING,C-33810,CASE-7781,outbound,2026-03-04,billing_q,callback"
GIVEN = {
    "agent": ("m.rossi", "Marco Rossi", "Care"),
    "campaign": "SPRING",
    "customer_id": "C-33810",
    "case_id": "CASE-7781",
    "direction": "outbound",
    "queue": "billing_q",
    "work_type": "callback",
}


def _wav(path: Path) -> None:
    """Half a second of a quiet tone: a recording that is only registered here."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x10\x00\xf0\xff" * 2000)


def fields(store: Store, ident: str) -> dict[str, Any]:
    item = store.load_interactions([ident])[0]
    agent = item.agent
    return {
        "agent": (agent.id, agent.name, agent.team) if agent else None,
        "campaign": item.campaign,
        "customer_id": item.customer_id,
        "case_id": item.case_id,
        "direction": item.direction,
        "queue": item.metadata.get("queue"),
        "work_type": item.metadata.get("work_type"),
    }


@pytest.fixture(params=["chat", "call transcript", "recording"])
def batch(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, Path, str]:
    """A folder with one file and the manifest that describes it."""
    folder = tmp_path / "batch"
    folder.mkdir()
    extra = ""
    if request.param == "recording":
        name = "call.wav"
        _wav(folder / name)
    else:
        name = "webchat.txt"
        shutil.copy(CHAT, folder / name)
        if request.param == "call transcript":  # read as a call only because of the manifest
            extra = ",channel"
    lines = [HEADER + extra, f"{name},{ROW}" + (",voice" if extra else "")]
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder, folder / name, request.param


def test_a_run_without_the_manifest_keeps_what_it_gave(
    batch: tuple[Path, Path, str], tmp_path: Path
) -> None:
    folder, file, kind = batch
    store = Store(tmp_path / "qa.db")
    first = ingest([folder], store, Config())
    [ident] = first.interaction_ids
    assert fields(store, ident) == GIVEN
    channel = store.load_interactions([ident])[0].channel
    assert channel == ("chat" if kind == "chat" else "voice")
    again = ingest([file], store, Config())  # the file alone: no manifest beside it
    assert fields(store, ident) == GIVEN
    assert store.interaction_ids() == [ident]
    # Nothing new was given: the file is read as the first run read it, and skipped.
    assert again.skipped == [str(file)] and again.interaction_ids == []
    store.close()


def test_a_later_manifest_wins_field_by_field(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(CHAT, folder / "webchat.txt")
    (folder / "manifest.csv").write_text(f"{HEADER}\nwebchat.txt,{ROW}\n", encoding="utf-8")
    store = Store(tmp_path / "qa.db")
    [ident] = ingest([folder], store, Config()).interaction_ids
    less = tmp_path / "less.csv"
    less.write_text("file,team,queue\nwebchat.txt,Retention,retention_q\n", encoding="utf-8")
    second = ingest([folder / "webchat.txt"], store, Config(), manifest_path=less)
    assert second.interaction_ids == [ident]
    want = {**GIVEN, "agent": ("m.rossi", "Marco Rossi", "Retention"), "queue": "retention_q"}
    assert fields(store, ident) == want
    third = ingest([folder / "webchat.txt"], store, Config())  # and none again: all kept
    assert third.skipped == [str(folder / "webchat.txt")]
    assert fields(store, ident) == want
    store.close()


def test_an_interaction_stored_before_the_given_fields_were_kept(tmp_path: Path) -> None:
    """A store written by an older qa holds no record of what was given: the fields a
    manifest sets that the new run leaves empty keep their stored values."""
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(CHAT, folder / "webchat.txt")
    (folder / "manifest.csv").write_text(f"{HEADER}\nwebchat.txt,{ROW}\n", encoding="utf-8")
    store = Store(tmp_path / "qa.db")
    [ident] = ingest([folder], store, Config()).interaction_ids
    store.conn.execute("UPDATE interactions SET metadata = json_remove(metadata, '$.given_fields')")
    ingest([folder / "webchat.txt"], store, Config())
    kept = fields(store, ident)
    assert {k: kept[k] for k in ("agent", "campaign", "customer_id", "case_id", "direction")} == {
        k: GIVEN[k] for k in ("agent", "campaign", "customer_id", "case_id", "direction")
    }
    store.close()


def test_a_kept_phone_that_redaction_masked_keeps_its_hash(tmp_path: Path) -> None:
    """The store holds the manifest's phone only as [PHONE]: the hash made of it when it
    was read stays, so the journeys still link the contact."""
    from qa.journeys.identity import HASHES_KEY
    from qa.redact import RedactionPolicy

    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(CHAT, folder / "webchat.txt")
    manifest = "file,agent_id,phone\nwebchat.txt,m.rossi,+44 7700 900456\n"
    (folder / "manifest.csv").write_text(manifest, encoding="utf-8")
    store = Store(tmp_path / "qa.db", redaction=RedactionPolicy(phones=True))
    [ident] = ingest([folder], store, Config()).interaction_ids
    first = store.load_interactions([ident])[0].metadata
    assert first["phone"] == "[PHONE]" and first[HASHES_KEY]["phone"]
    ingest([folder / "webchat.txt"], store, Config())
    again = store.load_interactions([ident])[0]
    assert again.agent is not None and again.agent.id == "m.rossi"
    assert again.metadata["phone"] == "[PHONE]"
    assert again.metadata[HASHES_KEY] == first[HASHES_KEY]
    store.close()
