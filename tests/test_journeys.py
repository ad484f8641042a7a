"""Customer journeys: identity across channels, journeys, repeats, FCR, conflicts, unlinked
contacts, bad survey metadata, and the CLI/export shapes. Small cases of our own."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import cli
from qa.journeys import identity as ident
from qa.journeys.build import build, find_reference
from qa.journeys.model import Contact, Turn
from qa.journeys.outcome import detect
from qa.store import Store

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)  # a Monday

FEE = "my direct debit was taken twice this month and I want the duplicate payment refunded"
FEE2 = "the duplicate direct debit payment still has not been refunded to my bank"
HUB = "my router hub keeps dropping the wifi connection every evening, the lights flash orange"


def contact(
    iid: str,
    hours: float,
    text: str,
    *,
    agent_text: str = "I've sorted that for you now.",
    channel: str = "chat",
    by: str = "customer",
    agent: str = "a.one",
    outcome: str | None = "resolved",
) -> Contact:
    turns = (Turn(0, "customer", text), Turn(1, "agent", agent_text))
    if by == "agent":
        turns = (Turn(0, "agent", agent_text), Turn(1, "customer", "ok"))
    return Contact(
        interaction_id=iid,
        source=f"{iid}.json",
        channel=channel,
        started_at=T0 + timedelta(hours=hours),
        agent_id=agent,
        team="Billing",
        direction="outbound" if by == "agent" else "inbound",
        initiated_by="agent" if by == "agent" else "customer",
        turns=turns,
        outcome=outcome,
    )


def ids(iid: str, *pairs: tuple[str, str]) -> ident.ContactIds:
    return ident.ContactIds(iid, [ident.Ident(k, v, "manifest") for k, v in pairs])


def background() -> list[Contact]:
    """Other customers' contacts, so that word weights mean something."""
    topics = [
        "I want to cancel my broadband contract because I'm moving abroad",
        "can you tell me the standing charge on the fixed tariff",
        "my smart meter display is blank since the weekend",
        "how do I add a second account holder to my energy account",
        "I need a copy of my annual statement for the council",
        "there is a power cut on our street since this morning",
    ]
    return [contact(f"bg{i}", 1000 + i, t) for i, t in enumerate(topics)]


# ----------------------------------------------------------------------------- identity
def test_phone_forms_are_one_number() -> None:
    assert ident.normalise_phone("07700 900512") == "+447700900512"
    assert ident.normalise_phone("+44 7700 900512") == "+447700900512"
    assert ident.normalise_phone("0044 7700-900512") == "+447700900512"
    assert ident.normalise_phone("12") is None
    assert ident.normalise_email("Ann Lee <Ann.Lee@Example.COM>") == "ann.lee@example.com"
    assert ident.normalise_email("not an address") is None


def test_identifiers_link_transitively_and_explain_the_link() -> None:
    found = ident.resolve(
        [
            ids("a", ("customer_id", "C1"), ("phone", "+447700900001")),
            ids("b", ("phone", "+447700900001"), ("email", "x@example.com")),
            ids("c", ("email", "x@example.com")),
            ids("d", ("login", "xlogin")),
        ],
        [[ident.Ident("customer_id", "C1", "roster"), ident.Ident("login", "xlogin", "roster")]],
    )
    assert {found.customer_of[i] for i in "abcd"} == {"C1"}
    explained = " | ".join(found.customers["C1"].explain())
    assert "phone +447700900001" in explained and "joins a, b" in explained
    assert not found.conflicts


def test_one_email_two_customer_ids_is_a_conflict_never_a_merge() -> None:
    found = ident.resolve(
        [
            ids("a", ("customer_id", "C1"), ("email", "home@example.com")),
            ids("b", ("customer_id", "C2"), ("email", "home@example.com")),
            ids("c", ("email", "home@example.com")),
        ]
    )
    assert found.customer_of["a"] == "C1" and found.customer_of["b"] == "C2"
    assert found.customer_of["c"] is None  # the shared address alone links to nobody
    [conflict] = found.conflicts
    assert conflict.value == "home@example.com" and conflict.customer_ids == ["C1", "C2"]


def test_a_chain_joining_two_customer_ids_is_refused_and_reported() -> None:
    found = ident.resolve(
        [
            ids("a", ("customer_id", "C1"), ("phone", "+447700900001")),
            ids("b", ("phone", "+447700900001"), ("email", "y@example.com")),
            ids("c", ("customer_id", "C2"), ("email", "z@example.com")),
            ids("d", ("email", "y@example.com"), ("email", "z@example.com")),
        ]
    )
    assert found.customer_of["a"] != found.customer_of["c"]
    assert found.conflicts and found.conflicts[0].customer_ids == ["C1", "C2"]


def test_contacts_without_identifiers_stay_unlinked() -> None:
    found = ident.resolve([ids("a"), ids("b"), ids("c", ("customer_id", "C1"))])
    assert found.unlinked == ["a", "b"]
    result = build([contact("a", 0, FEE), contact("b", 5, FEE2), contact("c", 6, HUB)], found)
    assert sorted(len(j.contacts) for j in result.journeys) == [1, 1, 1]
    assert not result.repeats


def test_hashed_identifiers_still_link_and_hide_the_value() -> None:
    norm = ident.Normaliser(hash_emails=True, hash_phones=True)
    one, two = norm.email("Ann <ann@example.com>"), norm.email("ANN@example.com")
    assert one == two and one is not None and "example" not in one
    assert norm.phone("07700 900512") == norm.phone("+447700900512")


# ----------------------------------------------------------------------------- journeys
def linked(
    *pairs: tuple[str, float, str], customer: str = "C1"
) -> tuple[list[Contact], ident.Identity]:
    cs = [contact(i, h, t) for i, h, t in pairs] + background()
    found = ident.resolve(
        [ids(c.interaction_id, ("customer_id", customer)) for c in cs[: len(pairs)]]
        + [ids(c.interaction_id, ("customer_id", c.interaction_id)) for c in cs[len(pairs) :]]
    )
    return cs, found


def journey_of(result, iid: str):  # type: ignore[no-untyped-def]
    return next(j for j in result.journeys if any(c.interaction_id == iid for c in j.contacts))


def test_same_reason_inside_the_window_is_one_journey_and_a_repeat() -> None:
    cs, found = linked(("a", 0, FEE), ("b", 167.5, FEE2))
    result = build(cs, found, window_hours=168)
    assert journey_of(result, "a") is journey_of(result, "b")
    [rep] = result.repeats
    assert rep.interaction_id == "b" and rep.details["earlier"] == "a"
    assert result.fcr[journey_of(result, "a").id] is False


def test_same_reason_just_outside_the_window_is_a_new_journey() -> None:
    cs, found = linked(("a", 0, FEE), ("b", 168.5, FEE2))
    result = build(cs, found, window_hours=168)
    assert journey_of(result, "a") is not journey_of(result, "b")
    assert not result.repeats


def test_the_window_is_configurable() -> None:
    cs, found = linked(("a", 0, FEE), ("b", 30, FEE2))
    assert build(cs, found, window_hours=24).repeats == []
    assert len(build(cs, found, window_hours=48).repeats) == 1


def test_a_new_matter_inside_the_window_is_a_new_journey() -> None:
    cs, found = linked(("a", 0, FEE), ("b", 30, HUB))
    result = build(cs, found)
    assert journey_of(result, "a") is not journey_of(result, "b")
    assert result.fcr[journey_of(result, "a").id] is True


def test_a_case_id_joins_at_any_distance_without_making_a_repeat() -> None:
    cs, found = linked(("a", 0, FEE), ("b", 24 * 9, HUB))
    result = build(cs, found, case_of={"a": ["CS-1"], "b": ["CS-1"]})
    assert journey_of(result, "a") is journey_of(result, "b")
    assert not result.repeats  # 9 days later: same journey, not a repeat
    assert any("case id CS-1" in why for why in journey_of(result, "a").linked_by)


def test_an_explicit_reference_joins_outside_the_window() -> None:
    later = "Hi, I was on your chat on Monday about something else entirely, the refund"
    cs, found = linked(("a", 0, FEE), ("b", 24 * 14, later))
    result = build(cs, found)
    assert journey_of(result, "a") is journey_of(result, "b")
    ref = find_reference(cs[1], {})
    assert ref is not None and ref.channel == "chat" and ref.day_hint


def test_agent_contacts_join_the_journey_they_serve_and_never_repeat() -> None:
    cs, found = linked(("a", 0, FEE))
    callback = contact("cb", 20, "", by="agent", agent_text="Calling you back about the refund")
    cs.append(callback)
    found = ident.resolve(
        [ids("a", ("customer_id", "C1")), ids("cb", ("customer_id", "C1"))]
        + [ids(c.interaction_id, ("customer_id", c.interaction_id)) for c in cs[1:-1]]
    )
    result = build(cs, found)
    assert journey_of(result, "a") is journey_of(result, "cb")
    assert not result.repeats
    lone = build([callback], ident.resolve([ids("cb", ("customer_id", "C9"))]))
    assert lone.fcr[lone.journeys[0].id] is None  # no journey starts with an agent


def test_fcr_needs_a_resolved_first_contact() -> None:
    cs, found = linked(("a", 0, FEE))
    cs[0] = contact("a", 0, FEE, outcome="unresolved")
    result = build(cs, found)
    assert result.fcr[journey_of(result, "a").id] is False


# ----------------------------------------------------------------------------- outcome
@pytest.mark.parametrize(
    ("agent", "customer", "want"),
    [
        ("I've updated the date on your account, all done.", "great thanks", "resolved"),
        ("I've passed that to the billing team to review.", "ok", "unresolved"),
        ("I've logged your complaint with our complaints team.", "fine", "complaint"),
        ("Here is the breakdown.", "I want to make a complaint about this", "complaint"),
    ],
)
def test_outcome(agent: str, customer: str, want: str) -> None:
    turns = [Turn(0, "customer", "hello, a question"), Turn(1, "agent", agent)]
    turns.append(Turn(2, "customer", customer))
    assert detect(turns).value == want


def test_outcome_from_the_manifest_wins() -> None:
    turns = [Turn(0, "agent", "I can't do that, I'm afraid")]
    assert detect(turns, {"outcome": "Resolved"}).value == "resolved"
    assert detect(turns, {"outcome": "Resolved"}).source == "metadata"


# ----------------------------------------------------------------------------- end to end
def _chat(path: Path, customer: str | None, when: str, text: str, reply: str) -> None:
    data = {
        "agent": "b.two",
        "started_at": when,
        "messages": [
            {"from": "customer", "text": text, "ts": when},
            {"from": "agent", "text": reply, "ts": when},
        ],
    }
    if customer:
        data["customer"] = customer
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    _chat(folder / "c1.json", "K-1", "2026-05-04T09:00:00Z", FEE, "I've passed it to billing.")
    _chat(folder / "c2.json", None, "2026-05-06T09:00:00Z", FEE2, "I've refunded it now.")
    _chat(folder / "c3.json", None, "2026-05-06T10:00:00Z", HUB, "I've reset the hub for you.")
    _chat(folder / "c4.json", "K-2", "2026-05-07T10:00:00Z", HUB, "I've reset the hub for you.")
    (folder / "manifest.csv").write_text(
        "file,phone,survey_offered,survey_score\n"
        "c1.json,07700 900123,yes,4\n"
        "c2.json,+44 7700 900123,no,\n"
        "c3.json,,maybe,11\n"
        "c4.json,,yes,3\n",
        encoding="utf-8",
    )
    (tmp_path / "roster.yaml").write_text(
        "customers:\n  - id: K-2\n    phones: ['07700 900999']\n", encoding="utf-8"
    )
    (tmp_path / "qa.yaml").write_text("customers_file: roster.yaml\n", encoding="utf-8")
    return tmp_path


def test_ingest_builds_journeys_and_export_carries_them(site: Path) -> None:
    db, cfg = str(site / "qa.db"), str(site / "qa.yaml")
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(site / "in"), "--db", db, "--config", cfg])
    assert result.exit_code == 0, result.output
    assert "manifest.csv:4" in result.output and "survey_score" in result.output
    out = runner.invoke(cli, ["journeys", "--db", db, "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    by_source = {c["source"].rsplit("/", 1)[-1]: j for j in data["journeys"] for c in j["contacts"]}
    assert by_source["c1.json"] is by_source["c2.json"] or (
        by_source["c1.json"]["id"] == by_source["c2.json"]["id"]
    )
    assert by_source["c1.json"]["customer"] == "K-1"  # the phone in two forms joined them
    assert by_source["c1.json"]["fcr"] is False
    assert by_source["c3.json"]["unlinked"] is True
    [rep] = by_source["c2.json"]["repeats"]
    exported = runner.invoke(cli, ["export", "--db", db])
    doc = json.loads(exported.output)
    assert {"interactions", "journeys", "identifier_conflicts", "survey_gaming"} <= set(doc)
    flags = [f for i in doc["interactions"] for f in i["flags"] if f["kind"] == "repeat_contact"]
    assert len(flags) == 1 and flags[0]["earlier"] == rep["earlier"]
    one = runner.invoke(cli, ["journeys", "--db", db, "--customer", "K-1"])
    assert one.exit_code == 0 and "repeat of" in one.output
    missing = runner.invoke(cli, ["journeys", "--db", db, "--customer", "nobody"])
    assert missing.exit_code == 2


def test_a_bad_roster_names_its_line(tmp_path: Path) -> None:
    (tmp_path / "roster.yaml").write_text(
        "customers:\n  - id: K-1\n    phone: ['07700 900999']\n", encoding="utf-8"
    )
    (tmp_path / "qa.yaml").write_text("customers_file: roster.yaml\n", encoding="utf-8")
    Store(tmp_path / "x.db").close()  # qa journeys reads a database that is there
    result = CliRunner().invoke(
        cli, ["journeys", "--db", str(tmp_path / "x.db"), "--config", str(tmp_path / "qa.yaml")]
    )
    assert result.exit_code == 2
    assert "roster.yaml:3" in result.output


def test_an_agent_follow_up_that_names_the_call_joins_beyond_the_window() -> None:
    cs, found = linked(("a", 0, FEE))
    note = contact(
        "f",
        24 * 9,
        "",
        by="agent",
        agent_text="Following your call with my colleague on 4 May, the reading is corrected.",
        channel="email",
    )
    cs.append(note)
    found = ident.resolve(
        [ids("a", ("customer_id", "C1")), ids("f", ("customer_id", "C1"))]
        + [ids(c.interaction_id, ("customer_id", c.interaction_id)) for c in cs[1:-1]]
    )
    result = build(cs, found)
    assert journey_of(result, "a") is journey_of(result, "f")
    assert any("explicit_reference" in why for why in journey_of(result, "f").linked_by)


def test_redacted_phones_and_addresses_still_link_as_hashes(site: Path) -> None:
    (site / "qa.yaml").write_text(
        "customers_file: roster.yaml\nredact: {phones: true, emails: true}\n", encoding="utf-8"
    )
    db, cfg = str(site / "qa.db"), str(site / "qa.yaml")
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["ingest", str(site / "in"), "--db", db, "--config", cfg]).exit_code == 0
    )
    data = json.loads(runner.invoke(cli, ["journeys", "--db", db, "--json"]).output)
    by_source = {
        c["source"].rsplit("/", 1)[-1]: j["id"] for j in data["journeys"] for c in j["contacts"]
    }
    assert by_source["c1.json"] == by_source["c2.json"]  # joined by the hashed phone
    import sqlite3

    conn = sqlite3.connect(db)
    stored = " ".join(str(r) for r in conn.execute("SELECT metadata FROM interactions"))
    stored += " ".join(str(r) for r in conn.execute("SELECT value FROM customer_identifiers"))
    assert "900123" not in stored and "sha256:" in stored
