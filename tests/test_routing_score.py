"""Routing through the pipeline: `qa score --routing`, `qa rescore --routing`, `qa route`,
storage, show/export keys, resuming without duplicates, and the reports per work type."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from qa import scoring
from qa.cli import cli
from tests.conftest import ROOT

CARDS = ROOT / "scorecards"

SURVEY = [
    (
        "agent",
        "Hello, this is Joy calling from Northwind Mobile with a short survey about your"
        " visit to our shop. It takes two minutes. Is now a good time?",
    ),
    ("customer", "Yes, go on."),
    ("agent", "How likely are you to recommend the shop to a friend, from one to ten?"),
    ("customer", "Eight."),
    ("agent", "Thank you for your time."),
]
COMPLAINT = [
    ("customer", "My bill is wrong again, I was charged twice this month and I'm not happy."),
    ("agent", "Hello, this is Marco at Northwind Mobile. I'm sorry about that. How can I help?"),
    ("customer", "Refund the second charge please."),
    ("agent", "I've refunded it, you'll see it in three days. Is there anything else?"),
]


def chat(path: Path, agent: str, turns: list[tuple[str, str]]) -> Path:
    messages = [
        {"from": role, "text": text, "ts": f"2026-03-01T10:{n:02d}:00Z"}
        for n, (role, text) in enumerate(turns)
    ]
    path.write_text(json.dumps({"agent": agent, "messages": messages}), encoding="utf-8")
    return path


def batch(tmp_path: Path, manifest: str | None = None) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir(exist_ok=True)
    chat(folder / "survey.json", "a1", SURVEY)
    chat(folder / "complaint.json", "a2", COMPLAINT)
    if manifest is not None:
        (folder / "manifest.csv").write_text(manifest, encoding="utf-8")
    return folder


def run(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result


def export(db: Path) -> dict[str, dict[str, Any]]:
    data = json.loads(run("export", "--db", str(db)).stdout)
    return {Path(i["source"]).name: i for i in data["interactions"]}


MANIFEST = (
    "file,direction,work_type,queue\n"
    "survey.json,inbound,inbound_complaint,billing\n"
    "complaint.json,inbound,inbound_complaint,billing\n"
)


def test_a_manifest_work_type_always_overrides_detection(tmp_path: Path) -> None:
    """Acceptance 5: the survey chat says it is a survey; the manifest says complaint. The
    manifest wins, through `qa route` and `qa score --routing`, and export says so."""
    folder = batch(tmp_path, MANIFEST)
    db = tmp_path / "q.db"
    routed = json.loads(
        run("route", str(folder), "--routing", "routing", "--db", str(db), "--json").stdout
    )
    by_source = {Path(r["source"]).name: r for r in routed["interactions"]}
    survey = by_source["survey.json"]
    assert survey["work_type"]["value"] == "inbound_complaint"
    assert survey["work_type"]["source"] == "metadata"
    assert survey["rule"] == "inbound_written" and not survey["undecided"]
    assert [c["name"] for c in survey["scorecards"]] == ["Chat and email support"]

    run("score", str(folder), "--routing", "routing", "--db", str(db))
    item = export(db)["survey.json"]
    assert item["work_type"] == "inbound_complaint"
    assert item["routing"]["work_type"]["source"] == "metadata"
    assert [e["scorecard"]["name"] for e in item["evaluations"]] == ["Chat and email support"]

    # Without the column, the same conversation is not taken for a complaint by metadata.
    other = tmp_path / "other"
    other.mkdir()
    chat(other / "survey.json", "a1", SURVEY)
    bare = json.loads(run("route", str(other), "--db", str(tmp_path / "b.db"), "--json").stdout)[
        "interactions"
    ][0]
    assert bare["work_type"]["source"] != "metadata"


def test_every_card_of_the_route_scores_and_a_rerun_scores_nothing_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    routing = tmp_path / "routing.yaml"
    routing.write_text(
        f"always: [{CARDS / 'general_contact.yaml'}]\n"
        "rules:\n"
        "  - {id: complaints, when: {work_type: inbound_complaint},"
        " scorecards: [chat_email_support]}\n"
        "default: {scorecards: [inbound_service]}\n",
        encoding="utf-8",
    )
    folder = batch(tmp_path, MANIFEST)
    db = tmp_path / "q.db"

    # A run killed after its first card: the second card's evaluations are missing.
    real = scoring.score_interactions
    calls = {"n": 0}

    def dies_on_the_second_card(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(scoring, "score_interactions", dies_on_the_second_card)
    with pytest.raises(KeyboardInterrupt):
        scoring.score_paths(
            [folder], _store(db), _config(), None, _matcher(), routing=_routing(routing)
        )
    monkeypatch.setattr(scoring, "score_interactions", real)

    first = json.loads(
        run("score", str(folder), "--routing", str(routing), "--db", str(db), "--json").stdout
    )
    assert first["scored"] == 2 and first["already_scored"] == 2  # the first card's, kept
    again = json.loads(
        run("score", str(folder), "--routing", str(routing), "--db", str(db), "--json").stdout
    )
    assert again["scored"] == 0 and again["already_scored"] == 4
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT interaction_id, scorecard_hash, count(*) FROM evaluations"
            " GROUP BY interaction_id, scorecard_hash"
        ).fetchall()
        routes = conn.execute("SELECT count(*) FROM routings").fetchone()[0]
    assert len(rows) == 4 and {r[2] for r in rows} == {1}
    assert routes == 2
    for item in export(db).values():
        assert [e["scorecard"]["name"] for e in item["evaluations"]] == [
            "General contact",
            "Chat and email support",
        ] or sorted(e["scorecard"]["name"] for e in item["evaluations"]) == [
            "Chat and email support",
            "General contact",
        ]
        assert [c["name"] for c in item["routing"]["scorecards"]] == [
            "General contact",
            "Chat and email support",
        ]
        assert item["routing"]["rule"] == "complaints"


def _store(db: Path) -> Any:
    from qa.store import Store

    return Store(db)


def _config() -> Any:
    from qa.config import Config

    return Config()


def _matcher() -> Any:
    from qa.matching import Matcher

    return Matcher()


def _routing(path: Path) -> Any:
    from qa.routing.rules import load_routing

    return load_routing(path)


def test_rescore_with_routing_routes_again_and_scores_with_the_new_cards(tmp_path: Path) -> None:
    folder = batch(tmp_path, MANIFEST)
    db = tmp_path / "q.db"
    run("score", str(folder), "--routing", "routing", "--db", str(db))
    assert {i["routing"]["rule"] for i in export(db).values()} == {"inbound_written"}

    changed = tmp_path / "routing.yaml"
    changed.write_text(
        "rules:\n"
        "  - {id: billing_queue, when: {queue: billing}, scorecards: [inbound_service]}\n"
        "default: {scorecards: [general_contact]}\n",
        encoding="utf-8",
    )
    out = json.loads(run("rescore", "--routing", str(changed), "--db", str(db), "--json").stdout)
    assert out["scored"] == 2
    for item in export(db).values():
        assert item["routing"]["rule"] == "billing_queue"
        assert item["routing"]["routing_file"] == str(changed)
        names = [e["scorecard"]["name"] for e in item["evaluations"]]
        assert names[-1] == "Inbound service"  # the old card's evaluation stays, as history
    result = CliRunner().invoke(
        cli, ["rescore", "--routing", str(changed), "--compare", "inbound_service", "--db", str(db)]
    )
    assert result.exit_code == 2 and "--compare goes with --scorecard" in result.output


def test_show_and_export_carry_the_routing_keys_and_keep_the_old_ones(tmp_path: Path) -> None:
    folder = batch(tmp_path, MANIFEST)
    db = tmp_path / "q.db"
    run("score", str(folder), "--routing", "routing", "--db", str(db))
    shown = json.loads(run("show", "complaint.json", "--db", str(db), "--json").stdout)
    old_keys = {"id", "channel", "source", "agent", "direction", "campaign", "turns", "metrics"}
    assert old_keys | {"evaluations", "flags", "work_type", "contact_reason", "routing"} <= set(
        shown
    )
    r = shown["routing"]
    for name in ("work_type", "direction", "contact_reason"):
        assert set(r[name]) == {"value", "confidence", "source"}
        assert r[name]["source"] in {"metadata", "detected", "default"}
    assert shown["direction"] == "inbound" == r["direction"]["value"]
    assert {"evidence", "rule", "rule_line", "undecided", "reason", "scorecards"} <= set(r)
    text = run("show", "complaint.json", "--db", str(db)).stdout
    assert "work type: inbound_complaint (metadata" in text and "rule: inbound_written" in text

    rows = list(
        csv.DictReader(io.StringIO(run("export", "--format", "csv", "--db", str(db)).stdout))
    )
    assert rows and {r["work_type"] for r in rows} == {"inbound_complaint"}
    assert {r["work_type_source"] for r in rows} == {"metadata"}
    assert {r["routing_rule"] for r in rows} == {"inbound_written"}
    assert {"criterion_id", "result", "direction_confidence", "contact_reason_source"} <= set(
        rows[0]
    )


def test_route_explains_each_decision_with_its_evidence(tmp_path: Path) -> None:
    folder = batch(tmp_path, MANIFEST)
    db = tmp_path / "q.db"
    text = run("route", str(folder), "--db", str(db)).stdout
    assert text.count("work type:") == 2
    assert "rule:           inbound_written (routing.yaml:" in text
    assert "-> Chat and email support (" in text
    # By id as well as by path, from the database.
    data = json.loads(run("route", "survey.json", "--db", str(db), "--json").stdout)
    [one] = data["interactions"]
    assert data["routing"]["file"].endswith("routing.yaml")
    stable = {"id", "source", "channel", "work_type", "direction", "contact_reason", "evidence"}
    assert stable | {"rule", "line", "scorecards", "undecided", "reason"} <= set(one)
    for clue in one["evidence"]:
        assert {"turn", "role", "quote", "supports", "score"} <= set(clue)


def test_an_undecided_contact_goes_to_the_default_and_route_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    chat(folder / "hm.json", "a1", [("customer", "Hm."), ("agent", "Okay.")])
    routing = tmp_path / "routing.yaml"
    routing.write_text(
        "min_confidence: 1.0\n"
        "rules:\n"
        "  - {id: c, when: {work_type: inbound_complaint}, scorecards: [chat_email_support]}\n"
        "default: {scorecards: [general_contact]}\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "q.db")
    text = run("route", str(folder), "--routing", str(routing), "--db", db).stdout
    assert "UNDECIDED" in text and "default (routing.yaml:4)" in text
    [one] = json.loads(
        run("route", str(folder), "--routing", str(routing), "--db", db, "--json").stdout
    )["interactions"]
    assert one["undecided"] and one["rule"] == "default"
    assert one["work_type"]["source"] in {"detected", "default"}


def test_reports_break_down_by_work_type_and_compare_with_peers_on_it(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    rows = ["file,direction,work_type"]
    for n in range(3):
        said = [*COMPLAINT[:-1], ("agent", f"Refunded, {n + 1} days to clear. Anything else?")]
        chat(folder / f"c{n}.json", f"agent{n}", said)
        rows.append(f"c{n}.json,inbound,inbound_complaint")
    chat(folder / "s0.json", "agent0", SURVEY)
    rows.append("s0.json,outbound,outbound_survey")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = tmp_path / "q.db"
    run("score", str(folder), "--routing", "routing", "--db", str(db))
    out = tmp_path / "report"
    run("report", "--out", str(out), "--db", str(db))
    index = (out / "index.html").read_text()
    assert "By channel and work type" in index
    assert "inbound_complaint" in index and "outbound_survey" in index
    page = next((out / "agents").glob("agent0-*.html")).read_text()
    assert "Percentile among peers on this channel and work type" in page
    assert "th of 3" in page  # three agents share chat and inbound_complaint
    assert "outbound_survey" in page


def test_a_criterion_for_other_work_types_is_never_coached(tmp_path: Path) -> None:
    """callback_care's retention move applies to retention callbacks only: on a complaint
    follow-up it is N/A and never a coaching opportunity, even where the customer says
    'cancel' and nobody answers it."""
    folder = tmp_path / "in"
    folder.mkdir()
    chat(
        folder / "f.json",
        "agent0",
        [
            ("agent", "Hi, it's Kim from Northwind Mobile, following up on your complaint."),
            ("customer", "It's still broken. I'll cancel my contract if it isn't fixed."),
            ("agent", "Okay, bye."),
        ],
    )
    (folder / "manifest.csv").write_text(
        "file,direction,work_type\nf.json,callback,callback_complaint_follow_up\n"
    )
    db = tmp_path / "q.db"
    run("score", str(folder), "--routing", "routing", "--db", str(db))
    [item] = export(db).values()
    results = {c["id"]: c["result"] for c in item["evaluations"][0]["criteria"]}
    assert results["retention_move"] == "na" and results["apologises"] == "fail"
    out = tmp_path / "report"
    run("report", "--out", str(out), "--db", str(db))
    page = next((out / "agents").glob("agent0-*.html")).read_text()
    coaching = page.split('class="coaching"')[1].split("</section>")[0]
    assert "Answers the wish to leave" not in coaching
    assert "Acknowledges the complaint" in coaching


def test_route_reads_stored_contacts_as_they_are_and_changes_nothing(tmp_path: Path) -> None:
    """`qa route FILE` on a file scored under its folder's manifest does not read the file
    again without that manifest (which would lose its metadata, or a call's transcript),
    and explaining a route with another routing file leaves the stored decision alone."""
    folder = batch(tmp_path, MANIFEST)
    db = tmp_path / "q.db"
    run("score", str(folder), "--routing", "routing", "--db", str(db))
    before = export(db)
    [one] = json.loads(run("route", str(folder / "survey.json"), "--db", str(db), "--json").stdout)[
        "interactions"
    ]
    assert one["work_type"] == {
        "value": "inbound_complaint",
        "confidence": 1.0,
        "source": "metadata",
    }

    other = tmp_path / "other.yaml"
    other.write_text("default: {scorecards: [general_contact]}\n", encoding="utf-8")
    shown = json.loads(
        run("route", str(folder), "--routing", str(other), "--db", str(db), "--json").stdout
    )
    assert {r["rule"] for r in shown["interactions"]} == {"default"}
    after = export(db)
    assert {k: v["routing"] for k, v in after.items()} == {
        k: v["routing"] for k, v in before.items()
    }
    assert {k: v["metadata"] for k, v in after.items()} == {
        k: v["metadata"] for k, v in before.items()
    }
