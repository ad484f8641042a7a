"""Behaviours that decide results, each pinned by hand-computed values.

Every test here fails when the behaviour it names changes (README: "Which test catches
each change"). They go through public functions, so the code beneath may be rebuilt.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import cli
from qa.config import Config, VoiceConfig
from qa.ingest.batch import ingest
from qa.matching import Matcher
from qa.metrics import voice_metrics
from qa.model import Agent, Evaluation, Evidence, Flag, Interaction, Turn, Word
from qa.redact import CARD_MASK, RedactionPolicy
from qa.scorecard.engine import score_interaction
from qa.scorecard.load import LoadedScorecard, load_scorecard
from qa.statements.quantities import extract
from qa.store import Store
from qa.voice.batch import transcribe_pending, voice_settings
from qa.voice.roles import decide_roles
from tests.conftest import write_chat_json
from tests.test_voice_unit import FakeTranscriber, stereo_file

CARD = "4111 1111 1111 1111"
SPOKEN_CARD = "four one one one one one one one one one one one one one one one"


# -- scoring totals ------------------------------------------------------------------


def card_file(tmp_path: Path, pass_mark: float = 60) -> LoadedScorecard:
    """Four exact-phrase criteria: 20 + 20 + 50 (outbound only) + 10 (critical)."""
    text = f"""name: Pins
pass_mark: {pass_mark}
sections:
  - id: s
    criteria:
      - {{id: greet, type: phrase.v1, points: 20, match: exact, phrases: ["good morning"]}}
      - {{id: close, type: phrase.v1, points: 20, match: exact, phrases: ["goodbye now"]}}
      - id: offer
        type: phrase.v1
        points: 50
        match: exact
        phrases: ["special offer"]
        applies_when: {{direction: outbound}}
      - {{id: recorded, type: phrase.v1, points: 10, critical: true, match: exact,
          phrases: ["this call is recorded"]}}
"""
    path = tmp_path / f"pins_{pass_mark}.yaml"
    path.write_text(text)
    return load_scorecard(path)


def chat(*agent_lines: str, direction: str | None = "inbound", **extra: object) -> Interaction:
    turns = [Turn(role="customer", text="Hello there.", start=0.0, end=0.0)]
    turns += [Turn(role="agent", text=t, start=10.0 * (i + 1)) for i, t in enumerate(agent_lines)]
    return Interaction(
        id="x",
        channel="chat",
        source="x",
        agent=Agent("a"),
        turns=turns,
        direction=direction,
        started_at="2026-03-10T10:00:00Z",
        **extra,  # type: ignore[arg-type]
    )


def score(item: Interaction, card: LoadedScorecard) -> Evaluation:
    return score_interaction(item, card, Matcher())


def results(ev: Evaluation) -> dict[str, tuple[str, float, float]]:
    return {c.id: (c.result, c.points, c.max_points) for c in ev.criteria}


def test_na_criteria_leave_the_maximum(tmp_path: Path) -> None:
    ev = score(chat("Good morning.", "This call is recorded."), card_file(tmp_path))
    assert results(ev) == {
        "greet": ("pass", 20.0, 20.0),
        "close": ("fail", 0.0, 20.0),
        "offer": ("na", 0.0, 0.0),
        "recorded": ("pass", 10.0, 10.0),
    }
    assert (ev.total, ev.max, ev.percent, ev.auto_fail) == (30.0, 50.0, 60.0, False)


def test_pass_mark_at_and_around_the_boundary(tmp_path: Path) -> None:
    item = chat("Good morning.", "This call is recorded.")  # 30 of 50: 60 %
    assert score(item, card_file(tmp_path, 60)).passed is True
    assert score(item, card_file(tmp_path, 59.9)).passed is True
    assert score(item, card_file(tmp_path, 60.1)).passed is False
    assert score(item, card_file(tmp_path, 100)).passed is False


def test_critical_failure_fails_the_whole_evaluation(tmp_path: Path) -> None:
    card = card_file(tmp_path, 50)
    ev = score(chat("Good morning.", "Goodbye now."), card)  # 40 of 50, but not recorded
    assert results(ev)["recorded"] == ("fail", 0.0, 10.0)
    assert (ev.total, ev.max) == (40.0, 50.0)
    assert ev.auto_fail is True and ev.passed is False and ev.percent == 0.0
    full = score(chat("Good morning.", "Goodbye now.", "This call is recorded."), card)
    assert (full.percent, full.auto_fail, full.passed) == (100.0, False, True)


def test_applies_when_direction(tmp_path: Path) -> None:
    card = card_file(tmp_path)
    lines = ("Good morning.", "This call is recorded.")
    outbound = score(chat(*lines, direction="outbound"), card)
    assert results(outbound)["offer"] == ("fail", 0.0, 50.0)
    assert (outbound.total, outbound.max) == (30.0, 100.0)
    assert results(score(chat(*lines, direction="inbound"), card))["offer"][0] == "na"
    assert results(score(chat(*lines, direction=None), card))["offer"][0] == "na"


def test_applies_when_campaign_and_turns(tmp_path: Path) -> None:
    path = tmp_path / "cond.yaml"
    path.write_text(
        "name: Cond\npass_mark: 50\nsections:\n  - id: s\n    criteria:\n"
        "      - {id: spring, type: phrase.v1, points: 5, match: exact, phrases: [spring],"
        " applies_when: {campaign: SPRING}}\n"
        "      - {id: long, type: phrase.v1, points: 5, match: exact, phrases: [long],"
        " applies_when: {min_turns: 3}}\n"
    )
    card = load_scorecard(path)
    short = results(score(chat("Hi.", campaign="WINTER"), card))
    assert (short["spring"][0], short["long"][0]) == ("na", "na")  # 2 turns, other campaign
    longer = results(score(chat("Hi.", "Spring it is.", campaign="spring"), card))
    assert longer["spring"] == ("pass", 5.0, 5.0)  # campaign names compare without case
    assert longer["long"] == ("fail", 0.0, 5.0)  # exactly 3 turns applies


# -- redaction of every stored field ---------------------------------------------------


def all_stored_text(db: Path) -> str:
    """Every value of every table (the write-ahead log included), as one string."""
    conn = sqlite3.connect(db)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    out = []
    for table in tables:
        for row in conn.execute(f'SELECT * FROM "{table}"'):
            out += [str(v) for v in row]
    conn.close()
    return "\n".join(out)


def test_every_stored_field_is_redacted(tmp_path: Path) -> None:
    db = tmp_path / "qa.db"
    store = Store(db, redaction=RedactionPolicy(phones=True))
    spoken = f"my card is {SPOKEN_CARD}"
    words = [Word(float(i), float(i) + 0.5, w) for i, w in enumerate(spoken.split())]
    item = Interaction(
        id="v1",
        channel="voice",
        source="call.wav",
        agent=Agent("a"),
        turns=[
            Turn(role="customer", text=spoken, start=0.0, end=19.0, words=words),
            Turn(
                role="agent",
                text="Noted.",
                original=f"Noted {CARD}.",
                meta={"note": f"card {CARD}"},
            ),
        ],
        metadata={"note": f"card {CARD}", "caller": {"phone": "call 07700 900123"}},
    )
    store.save_interactions([item])
    quote = Evidence(0, "customer", 0.0, 19.0, f"card {CARD}")
    flag = Flag("contradiction", "high", "C", "fact", f"said {CARD}", [quote])
    ev = Evaluation("Pins", "h" * 16, 0.0, 0.0, 0.0, False)
    store.save_evaluations([("v1", ev, {}, [flag], None)])
    store.close()
    stored = all_stored_text(db)
    assert "4111" not in stored and "07700 900123" not in stored
    assert " one one one one " not in stored
    [exported] = json.loads(CliRunner().invoke(cli, ["export", "--db", str(db)]).stdout)[
        "interactions"
    ]
    assert [w["word"] for w in exported["turns"][0]["words"]] == ["my", "card", "is"] + [
        CARD_MASK
    ] * 16
    assert exported["metadata"]["note"] == f"card {CARD_MASK}"
    assert exported["flags"][0]["message"] == f"said {CARD_MASK}"
    assert exported["flags"][0]["evidence"][0]["quote"] == f"card {CARD_MASK}"


# -- email threads that grow across batches ------------------------------------------


def mail(path: Path, ident: str, sender: str, reply_to: str | None, body: str, day: int) -> Path:
    head = f"From: {sender}\nTo: x@example.com\nSubject: Bill\nMessage-ID: <{ident}>\n"
    head += f"Date: Mon, 0{day} Mar 2026 09:00:00 +0000\n"
    if reply_to:
        head += f"In-Reply-To: <{reply_to}>\nReferences: <{reply_to}>\n"
    path.write_text(head + "\n" + body + "\n")
    return path


def test_thread_that_gains_an_earlier_message_keeps_one_copy(tmp_path: Path) -> None:
    config = Config()
    store = Store(tmp_path / "qa.db")
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    # The first batch holds a second reply only; the next brings the reply it answers.
    mail(first / "late.eml", "r2@c.example", "Sam <sam@c.example>", "r1@n.example", "Paid now.", 4)
    ingest([first], store, config)
    [before] = store.load_interactions()
    assert len(before.turns) == 1
    mail(second / "early.eml", "r1@n.example", "Ann <ann@n.example>", "q1@c.example", "Fixed.", 3)
    ingest([second], store, config)
    [after] = store.load_interactions()  # the copy keyed on the late reply alone is gone
    assert after.id != before.id
    assert [t.text for t in after.turns] == ["Fixed.", "Paid now."]
    assert store.count("turns") == 2


# -- the stereo channel map and the mono role rule -------------------------------------

PLAIN_A = [(0.0, 0.4, "Okay."), (0.5, 0.9, "Sure.")]
PLAIN_B = [(1.5, 1.9, "Right."), (2.0, 2.4, "Fine.")]


@pytest.mark.parametrize(("channel", "agent_first"), [("left", "Okay."), ("right", "Right.")])
def test_agent_channel_from_config(tmp_path: Path, channel: str, agent_first: str) -> None:
    wav = stereo_file(tmp_path / "call.wav", left=0.5, right=0.3)
    store = Store(tmp_path / "qa.db")
    config = Config(voice=VoiceConfig(agent_channel=channel))  # type: ignore[arg-type]
    ingest([wav], store, config)
    fake = FakeTranscriber({5: PLAIN_A, 3: PLAIN_B})  # no cue either way: the map decides
    transcribe_pending(store, voice_settings(config), fake)
    [item] = store.load_interactions()
    agent = [t.text for t in item.turns if t.role == "agent"]
    assert agent and agent[0].startswith(agent_first)
    assert item.metadata["voice"]["agent_channel"] == channel
    assert item.metadata["voice"]["roles_swapped"] is False


def test_first_speaker_decides_between_equal_voices() -> None:
    texts = {"S1": ["Okay, fine."], "S2": ["Right, sure."]}
    assert decide_roles(texts, first_speaker="S2").agent == "S2"
    assert decide_roles(texts, first_speaker="S1").agent == "S1"
    decision = decide_roles(texts, first_speaker="S2")
    assert decision.scores == {"S1": 0.0, "S2": 0.5} and decision.confidence == 0.62
    # One agent cue outweighs speaking first.
    cue = {"S1": ["Thank you for calling."], "S2": ["Right, sure."]}
    assert decide_roles(cue, first_speaker="S2").agent == "S1"


# -- metrics on hand-computed turns ----------------------------------------------------


def test_voice_metrics_values() -> None:
    turns = [
        Turn(role="agent", text="one two three four five six", start=0.0, end=4.0),
        Turn(role="customer", text="a b c", start=3.0, end=6.0),  # 1 s of overtalk
        Turn(role="agent", text="seven eight", start=8.0, end=10.0),  # gap of 2 s
        Turn(role="customer", text="d e f g", start=13.0, end=15.0),  # gap of 3 s
    ]
    m = voice_metrics(turns, duration=20.0)  # 5 s of silence at the end
    assert m["talk_agent"] == 6.0 and m["talk_customer"] == 5.0
    assert m["talk_ratio"] == round(6 / 11, 3)
    assert m["silence_total"] == 10.0  # 2 + 3 + 5
    assert m["silence_longest"] == 5.0
    assert m["overtalk"] == 1.0
    assert m["wpm_agent"] == 80.0  # 8 words in 6 s
    assert m["wpm_customer"] == 84.0  # 7 words in 5 s
    assert m["monologue_longest"] == 4.0
    assert m["turns"] == 4


# -- spoken money ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("thirty nine dollars and ninety nine cents a month", 39.99),
        ("39 dollars and 5 cents", 39.05),
        ("forty five dollars fifty cents", 45.5),
        ("twenty dollars", 20.0),
    ],
)
def test_spoken_money_keeps_the_cents(said: str, value: float) -> None:
    _, [q] = extract(said)
    assert q.kind == "money" and q.value == pytest.approx(value)


# -- the resume key and the report's dates -----------------------------------------------


def test_changed_campaigns_are_checked_again(tmp_path: Path) -> None:
    chats = tmp_path / "chats"
    chats.mkdir()
    write_chat_json(chats / "a.json", text="Spring Unlimited is $35 a month.")
    write_chat_json(chats / "b.json", text="Hello, how can I help?")
    before, after = tmp_path / "before", tmp_path / "after"
    before.mkdir()
    after.mkdir()
    source = (  # no retired claims: nothing on this path needs the text model
        "id: SPRING-UNLIMITED\nname: Spring Unlimited\nfrom: 2026-01-01\nto: 2026-12-31\n"
        'products: ["Spring Unlimited"]\nfacts:\n  - id: price\n'
        "    value: {money: {amount: 35, currency: USD, period: month}}\n"
    )
    (before / "spring.yaml").write_text(source)
    (after / "spring.yaml").write_text(source.replace("amount: 35,", "amount: 30,"))
    assert (after / "spring.yaml").read_text() != source
    card = str(card_file(tmp_path).path)  # exact phrases: no text model on this path
    db = str(tmp_path / "qa.db")

    def run(campaigns: Path) -> dict[str, int]:
        args = ["score", str(chats), "--scorecard", card, "--campaigns", str(campaigns)]
        result = CliRunner().invoke(cli, [*args, "--db", db, "--json"])
        assert result.exit_code == 0, result.output
        out = json.loads(result.stdout)
        return {"scored": out["scored"], "already": out["already_scored"], "flags": out["flags"]}

    assert run(before)["scored"] == 2
    assert run(before) == {"scored": 0, "already": 2, "flags": 0}
    changed = run(after)
    assert changed["scored"] == 2 and changed["flags"] >= 1  # $35 now contradicts $30
    assert run(after)["scored"] == 0


def test_report_until_and_since_are_inclusive(tmp_path: Path) -> None:
    chats = tmp_path / "chats"
    chats.mkdir()
    for day in (4, 5, 6):
        stamp = f"2026-03-0{day}T10:00:00Z"
        messages = [
            {"from": "customer", "text": f"Day {day}", "ts": stamp},
            {"from": "agent", "text": "Hello", "ts": stamp},
        ]
        (chats / f"d{day}.json").write_text(json.dumps({"agent": "a1", "messages": messages}))
    db = str(tmp_path / "qa.db")
    card = str(card_file(tmp_path).path)
    runner = CliRunner()
    scored = runner.invoke(cli, ["score", str(chats), "--scorecard", card, "--db", db])
    assert scored.exit_code == 0, scored.output

    def days(*filters: str) -> list[str]:
        out = tmp_path / f"out{len(list(tmp_path.iterdir()))}"
        args = ["report", "--out", str(out), "--db", db, "--no-audio", *filters]
        assert runner.invoke(cli, args).exit_code == 0
        pages = [p.read_text() for p in (out / "t").glob("*.html")]
        return sorted(d for d in ("Day 4", "Day 5", "Day 6") if any(d in p for p in pages))

    assert days() == ["Day 4", "Day 5", "Day 6"]
    assert days("--until", "2026-03-05") == ["Day 4", "Day 5"]
    assert days("--since", "2026-03-05") == ["Day 5", "Day 6"]
    assert days("--since", "2026-03-05", "--until", "2026-03-05") == ["Day 5"]
