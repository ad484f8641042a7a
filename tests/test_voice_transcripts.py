"""Call transcripts that already exist: each format ingested as a voice interaction, scored,
and the bad ones recorded with their reason and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import cli
from qa.config import AgentEntry, Config
from qa.errors import ConfigError, InputError
from qa.ingest.batch import ingest
from qa.ingest.metadata import Manifest
from qa.ingest.transcripts import (
    RoleHints,
    build_interaction,
    json_format,
    parse_call_text,
    parse_srt,
)
from qa.model import Interaction
from qa.store import Store
from qa.voice.batch import pending
from tests.conftest import EXAMPLES, ROOT, write_chat_json

DATA = ROOT / "tests" / "data" / "transcripts"
CARD = ROOT / "scorecards" / "inbound_service.yaml"


@pytest.fixture(scope="module")
def ingested(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Store, dict[str, Interaction], dict]:
    store = Store(tmp_path_factory.mktemp("t") / "qa.db")
    report = ingest([DATA], store, Config())
    items = {Path(i.source).name: i for i in store.load_interactions()}
    failures = {Path(f.source).name: f.reason for f in report.failures}
    return store, items, failures


def roles(item: Interaction) -> list[str]:
    return [t.role for t in item.turns]


def test_webvtt_voices_give_roles_and_out_of_order_cues_are_sorted(ingested) -> None:
    _, items, _ = ingested
    item = items["zoom_export.vtt"]
    assert item.channel == "voice" and item.status == "transcribed"
    assert roles(item) == ["agent", "customer", "agent", "customer", "agent", "customer"]
    assert [t.start for t in item.turns] == sorted(t.start for t in item.turns)
    assert item.turns[1].text == "Hi, I'm calling about a roaming charge on my last bill."
    assert (item.turns[0].start, item.turns[0].end) == (0.5, 4.2)
    warnings = " ".join(item.metadata["warnings"])
    assert "out of time order (first at line 12)" in warnings and "overlap" in warnings
    assert item.agent is not None and item.agent.id == "p.shah"  # from the manifest
    assert item.metadata["voice"]["role_confidence"] == 1.0


def test_srt_with_opaque_speaker_labels_gets_roles_from_the_content(ingested) -> None:
    _, items, _ = ingested
    item = items["dialer_export.srt"]
    assert roles(item) == ["agent", "customer", "agent", "customer"]
    assert item.turns[0].speaker == "Speaker 1"
    assert item.turns[0].text.startswith("Good morning")  # the label is not part of the text
    assert 0.5 < item.metadata["voice"]["role_confidence"] < 1.0


def test_no_speaker_labels_roles_from_content_at_low_confidence(ingested) -> None:
    _, items, _ = ingested
    item = items["no_labels.srt"]
    assert roles(item) == ["agent", "customer", "agent"]
    assert item.metadata["voice"]["role_confidence"] <= 0.3
    assert all(t.meta["role_confidence"] <= 0.3 for t in item.turns)
    assert any("no speaker labels" in w for w in item.metadata["warnings"])


def test_amazon_transcribe_speakers_words_and_confidences(ingested) -> None:
    _, items, _ = ingested
    item = items["transcribe_speakers.json"]
    assert roles(item) == ["agent", "customer", "agent", "customer"]
    assert item.language == "en" and item.metadata["voice"]["job"] == "nw-call-0093"
    first = item.turns[0]
    assert first.text == "Thank you for calling Northwind Mobile, how can I help?"
    assert [w.word for w in first.words][-1] == "help?"  # punctuation joins its word
    heard = {w.word.strip(",."): w.probability for t in item.turns for w in t.words}
    assert heard["fifty"] == pytest.approx(0.42) and heard["Thank"] == pytest.approx(0.98)
    assert first.words[0].start == 0.5 and first.words[0].end == 0.8


def test_amazon_transcribe_channels_use_the_channel_map(ingested) -> None:
    _, items, _ = ingested
    item = items["transcribe_channels.json"]
    assert [(t.speaker, t.role) for t in item.turns] == [
        ("ch_0", "agent"),
        ("ch_1", "customer"),
        ("ch_0", "agent"),
    ]


def test_contact_lens_participants_sentiment_and_confidences(ingested) -> None:
    _, items, _ = ingested
    item = items["contact_lens.json"]
    assert roles(item) == ["agent", "customer", "agent"]
    assert item.turns[1].meta["sentiment"] == "positive"
    assert item.metadata["voice"]["contact_id"].startswith("2f1c0d2e")
    low = [w.word for t in item.turns for w in t.words if (w.probability or 1) < 0.5]
    assert low == ["thirty"]


def test_generic_turns_json_header_and_overlap_kept(ingested) -> None:
    _, items, _ = ingested
    item = items["turns.json"]
    assert item.agent is not None and item.agent.id == "r.nguyen"
    assert item.started_at == "2026-03-07T11:02:00Z"
    assert [t.text for t in item.turns] == [
        "Northwind Mobile, Rosa speaking.",
        "Hello?",
        "Hi, my internet keeps dropping.",
    ]
    assert item.turns[0].words[0].probability == 0.9
    assert any("overlap" in w for w in item.metadata["warnings"])


def test_plain_text_call_marked_voice_in_the_manifest(ingested) -> None:
    _, items, _ = ingested
    item = items["call_0417.txt"]
    assert item.channel == "voice" and item.agent is not None and item.agent.id == "j.ortiz"
    assert roles(item) == ["agent", "customer", "agent", "customer"]
    assert [(t.start, t.end) for t in item.turns][:2] == [(2.0, 6.0), (6.0, 10.0)]


def test_malformed_transcripts_are_failures_with_their_line(ingested) -> None:
    _, items, failures = ingested
    assert set(failures) == {"broken.srt", "broken.vtt", "transcribe_broken.json"}
    assert failures["broken.srt"].startswith("line 5: malformed subtitle")
    assert failures["broken.vtt"].startswith("line 3: malformed cue")
    assert failures["transcribe_broken.json"].startswith("line ")
    assert "results → items → 5 → start_time" in failures["transcribe_broken.json"]
    assert not set(failures) & set(items)


def test_transcripts_are_not_sent_to_recognition(ingested) -> None:
    store, _, _ = ingested
    assert pending(store, redo=True) == []


def test_each_format_is_scored(tmp_path: Path) -> None:
    db = tmp_path / "qa.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["score", str(DATA), "--scorecard", str(CARD), "--db", str(db)])
    assert result.exit_code == 1, result.output  # the three malformed files
    data = json.loads(runner.invoke(cli, ["export", "--db", str(db)]).stdout)["interactions"]
    by_name = {Path(i["source"]).name: i for i in data}
    assert len(by_name) == 8
    for name, item in by_name.items():
        assert item["channel"] == "voice", name
        [ev] = item["evaluations"]
        scored = [c for c in ev["criteria"] if c["result"] != "na"]
        assert scored and all(c["evidence"] for c in scored), name
    greeting = next(
        c
        for c in by_name["contact_lens.json"]["evaluations"][0]["criteria"]
        if c["id"] == "greeting"
    )
    assert greeting["result"] == "pass" and greeting["evidence"][0]["role"] == "agent"
    words = by_name["contact_lens.json"]["turns"][2]["words"]
    assert {"start", "end", "word", "probability"} <= set(words[0])


# -- unit tests of the readers -----------------------------------------------------


def test_labels_in_captions() -> None:
    parsed = parse_srt(
        "1\n00:00:01,000 --> 00:00:02,000\n[Agent] Hello.\n\n"
        "2\n00:00:02,500 --> 00:00:04,000\n- Hi, it is 10:30 now.\n- Thanks.\n"
    )
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Agent", "Hello."),
        (None, "Hi, it is 10:30 now."),
        (None, "Thanks."),
    ]


def test_plain_text_calls_with_and_without_times() -> None:
    timed = parse_call_text("Agent (00:05): Hello\nthere.\nCustomer (00:09): Hi.\n")
    assert [(t.speaker, t.start, t.end, t.text) for t in timed.turns] == [
        ("Agent", 5.0, 9.0, "Hello there."),
        ("Customer", 9.0, 9.0, "Hi."),
    ]
    untimed = parse_call_text("Rep: Hello.\nClient: Hi.\n")
    assert [t.start for t in untimed.turns] == [0.0, 0.0] and untimed.extra["timed"] is False
    item = build_interaction(untimed, "x.txt", RoleHints())
    assert roles(item) == ["agent", "customer"] and item.metadata["voice"]["timed"] is False
    with pytest.raises(InputError, match="line 1: text before"):
        parse_call_text("hello\nAgent: hi\n")
    with pytest.raises(InputError, match="line 2: some turns have a time"):
        parse_call_text("[00:01] Agent: hi\nCustomer: hello\n")


def test_roster_names_make_an_agent() -> None:
    parsed = parse_call_text("Customer: I want to cancel.\nAisha Khan: Sorry to hear that.\n")
    config = Config(agents=[AgentEntry(id="a.khan", name="Aisha Khan")])
    from qa.ingest.batch import _role_hints

    item = build_interaction(parsed, "x.txt", _role_hints(config))
    assert roles(item) == ["customer", "agent"]
    assert item.turns[1].meta["role_confidence"] == 0.95


def test_chat_json_stays_chat(tmp_path: Path) -> None:
    assert json_format(json.loads((EXAMPLES / "chats" / "chat_upgrade.json").read_text())) is None
    assert json_format([{"speaker": "agent", "text": "hi", "start": 0}]) == "turns"
    store = Store(tmp_path / "qa.db")
    report = ingest([write_chat_json(tmp_path / "c.json")], store, Config())
    assert not report.failures and store.load_interactions()[0].channel == "chat"


def test_manifest_channel_is_checked(tmp_path: Path) -> None:
    bad = tmp_path / "manifest.csv"
    bad.write_text("file,channel\na.txt,phone\n")
    with pytest.raises(ConfigError, match="manifest.csv:2: channel must be one of"):
        Manifest.load(bad)
    folder = tmp_path / "in"
    folder.mkdir()
    write_chat_json(folder / "c.json")
    (folder / "manifest.csv").write_text("file,channel\nc.json,voice\n")
    report = ingest([folder], Store(tmp_path / "qa.db"), Config())
    assert "the manifest says channel voice, but the file holds chat" in report.failures[0].reason
