"""The journey rebuild: cue tests before sentence splitting keep results, sites keep their own
rosters, and a new batch rebuilds only what it touches."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import cli
from qa.journeys import promises, stories
from qa.journeys.model import Contact, Journey, Turn
from qa.journeys.promises import find_promises
from qa.journeys.stories import find_inconsistencies

CARD = Path(__file__).resolve().parent.parent / "scorecards" / "chat_email_support.yaml"
T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)  # a Monday


def _contact(iid: str, days: float, *turns: tuple[str, str], channel: str = "chat") -> Contact:
    return Contact(
        interaction_id=iid,
        source=f"{iid}.json",
        channel=channel,
        started_at=T0 + timedelta(days=days),
        agent_id="a.one",
        team="Billing",
        direction="inbound",
        initiated_by="customer",
        turns=tuple(Turn(i, role, text) for i, (role, text) in enumerate(turns)),
    )


def test_a_promise_wrapped_over_lines_still_passes_the_cue_test() -> None:
    # "going\nto" is two lines of a wrapped message: the cue test reads the words as the
    # sentences do, so the promise is still found, then broken by the chase.
    first = _contact(
        "p1",
        0,
        ("customer", "My refund has not arrived."),
        (
            "agent",
            "Thank you for bearing with me while I read the notes, I am going\n"
            "to call you back tomorrow afternoon with the answer.",
        ),
    )
    chase = _contact("p2", 3, ("customer", "Nobody called me back, I'm still waiting."))
    flags = find_promises(Journey("j", "C1", [first, chase]), T0 + timedelta(days=30))
    assert [f.kind for f in flags] == ["broken_promise"]
    assert "I am going to call you back tomorrow" in flags[0].quote


def test_turns_without_a_cue_are_never_split(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    split: list[str] = []
    real = promises.sentences

    def counting(contact, role=None, keep=None):  # type: ignore[no-untyped-def]
        for s in real(contact, role, keep):
            split.append(s.turn.text)
            yield s

    monkeypatch.setattr(promises, "sentences", counting)
    plain = _contact("q1", 0, ("customer", "Hello."), ("agent", "That is all sorted now."))
    assert find_promises(Journey("j", "C1", [plain]), T0 + timedelta(days=30)) == []
    assert split == []


def test_two_stories_read_through_the_cue_test() -> None:
    a = _contact(
        "s1",
        0,
        ("customer", "What is the exit fee?"),
        ("agent", "Thanks for waiting.\nThe exit fee is £60."),
    )
    b = _contact(
        "s2",
        2,
        ("customer", "How much is the exit fee again?"),
        ("agent", "The exit fee is £45."),
    )
    [flag] = find_inconsistencies(Journey("j", "C1", [a, b]))
    assert flag.kind == "journey_inconsistency"
    assert "60" in flag.quote and "45" in flag.other_quote
    # A turn with no amount, date kind or eligibility word is passed over whole.
    assert not stories._may_state(Turn(0, "agent", "Thanks for waiting, all sorted."))
    assert stories._may_state(Turn(0, "agent", "It was delivered on the 5th."))


# ----------------------------------------------------------------------------- sites, reruns
def _chat(folder: Path, name: str, when: str, text: str) -> None:
    data = {
        "agent": "b.two",
        "started_at": when,
        "messages": [
            {"from": "customer", "text": text, "ts": when},
            {"from": "agent", "text": "I've passed it to the billing team.", "ts": when},
        ],
    }
    (folder / name).write_text(json.dumps(data), encoding="utf-8")


FEE = "my direct debit was taken twice this month and I want the duplicate payment refunded"
HUB = "my router hub keeps dropping the wifi connection every evening, the lights flash orange"


@pytest.fixture()
def two_sites(tmp_path: Path) -> Path:
    """Two sites, each with its own roster: a contact that carries only a phone links to
    the site's customer through that site's roster alone."""
    for site, cust, phone, text in (
        ("a", "A-1", "07700 900111", FEE),
        ("b", "B-1", "07700 900222", HUB),
    ):
        folder = tmp_path / site / "in"
        folder.mkdir(parents=True)
        _chat(folder, f"{site}1.json", "2026-05-04T09:00:00Z", text)
        _chat(folder, f"{site}2.json", "2026-05-05T09:00:00Z", text + " still")
        (folder / "manifest.csv").write_text(
            f"file,customer_id,phone\n{site}1.json,{cust},\n{site}2.json,,{phone}\n",
            encoding="utf-8",
        )
        (tmp_path / site / "qa.yaml").write_text(
            f"customers:\n  - id: {cust}\n    phones: ['{phone}']\n", encoding="utf-8"
        )
    return tmp_path


def _journeys(db: str, *more: str) -> list[dict[str, object]]:
    out = CliRunner().invoke(cli, ["journeys", "--db", db, "--json", *more])
    assert out.exit_code == 0, out.output
    return [
        {"customer": j["customer"], "contacts": [c["source"] for c in j["contacts"]]}
        for j in json.loads(out.output)["journeys"]
    ]


def test_a_rebuild_links_every_sites_contacts_whichever_site_ran_last(two_sites: Path) -> None:
    db = str(two_sites / "qa.db")
    runner = CliRunner()
    for site in ("a", "b"):
        cfg = str(two_sites / site / "qa.yaml")
        done = runner.invoke(
            cli, ["ingest", str(two_sites / site / "in"), "--db", db, "--config", cfg]
        )
        assert done.exit_code == 0, done.output
    after_b = _journeys(db)
    # Site a's phone-only contact is still a-1's, though site b's configuration ran last.
    by_customer = {j["customer"]: len(j["contacts"]) for j in after_b}
    assert by_customer == {"A-1": 2, "B-1": 2}
    for site in ("a", "b"):
        again = _journeys(db, "--rebuild", "--config", str(two_sites / site / "qa.yaml"))
        assert again == after_b
    # A site whose roster is emptied no longer links through it.
    (two_sites / "a" / "qa.yaml").write_text("customers: []\n", encoding="utf-8")
    emptied = _journeys(db, "--rebuild", "--config", str(two_sites / "a" / "qa.yaml"))
    assert sorted(len(j["contacts"]) for j in emptied if j["customer"] == "A-1") == [1]


def test_a_second_score_of_an_unchanged_batch_does_not_rebuild(
    two_sites: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa.journeys import run

    db = str(two_sites / "qa.db")
    cfg = str(two_sites / "a" / "qa.yaml")
    runner = CliRunner()
    score = ["score", str(two_sites / "a" / "in"), "--scorecard", str(CARD)]
    first = runner.invoke(cli, [*score, "--db", db, "--config", cfg, "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["scored"] == 2
    assert json.loads(first.stdout)["journeys"]["rebuilt"] is True
    built: list[int] = []
    real = run._rebuild

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(run, "_rebuild", counting)
    second = runner.invoke(cli, [*score, "--db", db, "--config", cfg, "--json"])
    assert second.exit_code == 0, second.output
    summary = json.loads(second.stdout)["journeys"]
    assert built == [] and summary["rebuilt"] is False
    assert summary["journeys"] == json.loads(first.stdout)["journeys"]["journeys"]
    # New contacts, a changed roster, or --rebuild build again.
    runner.invoke(cli, ["ingest", str(two_sites / "b" / "in"), "--db", db, "--config", cfg])
    assert built == [1]
    (two_sites / "a" / "qa.yaml").write_text("customers: []\n", encoding="utf-8")
    runner.invoke(cli, ["ingest", str(two_sites / "a" / "in"), "--db", db, "--config", cfg])
    assert built == [1, 1]
    _journeys(db, "--rebuild", "--config", cfg)
    assert built == [1, 1, 1]
