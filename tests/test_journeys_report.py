"""The journey pages of the report: timeline with transcript links, flags between contacts
with both moments, the agent and team additions, and customer text escaped."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from qa.cli import cli

SAID = "I was on your chat on Monday <b>about</b> the refund of the duplicate direct debit"


def _chat(path: Path, when: str, agent: str, turns: list[tuple[str, str]]) -> None:
    path.write_text(
        json.dumps(
            {
                "agent": agent,
                "customer": "K-9",
                "started_at": when,
                "messages": [{"from": r, "text": t, "ts": when} for r, t in turns],
            }
        ),
        encoding="utf-8",
    )


def test_report_writes_journey_pages_linked_to_transcripts(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _chat(
        folder / "a.json",
        "2026-05-04T09:00:00Z",
        "a.one",
        [
            ("customer", "My direct debit was taken twice, please refund the duplicate."),
            (
                "agent",
                "I've passed it to the billing team; the refund will be with you within 3 working days.",
            ),
        ],
    )
    _chat(
        folder / "b.json",
        "2026-05-08T09:00:00Z",
        "b.two",
        [("customer", SAID), ("agent", "I've refunded it now, sorry.")],
    )
    db = str(tmp_path / "qa.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(folder), "--db", db]).exit_code == 0
    out = tmp_path / "report"
    result = runner.invoke(cli, ["report", "--out", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    pages = list((out / "j").glob("*.html"))
    assert len(pages) == 1  # one journey of two contacts
    page = pages[0].read_text(encoding="utf-8")
    ids = [
        i["id"]
        for i in json.loads(runner.invoke(cli, ["export", "--db", db]).output)["interactions"]
    ]
    for iid in ids:
        assert f"../t/{iid}.html" in page
    assert "&lt;b&gt;about&lt;/b&gt;" in page and "<b>about</b>" not in page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f"j/{pages[0].stem}.html" in index
    [agent_page] = (out / "agents").glob("a.one-*.html")
    agent = agent_page.read_text(encoding="utf-8")
    assert "First-contact resolution: 0 of 1" in agent  # the customer had to come back
    assert f"../j/{pages[0].stem}.html" in agent


def test_team_index_gives_effort_per_work_type_and_its_agreement_with_the_survey(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    fee = "My direct debit was taken twice, please refund the duplicate payment."
    for name, when, customer, text in (
        ("x1.json", "2026-05-04T09:00:00Z", "K-1", fee),
        ("x2.json", "2026-05-06T09:00:00Z", "K-1", fee + " It still has not come back."),
        ("y1.json", "2026-05-04T10:00:00Z", "K-2", "The router hub keeps dropping the wifi."),
        ("z1.json", "2026-05-04T11:00:00Z", "K-3", "I need a copy of my annual statement."),
    ):
        data = {
            "agent": "a.one",
            "customer": customer,
            "started_at": when,
            "messages": [
                {"from": "customer", "text": text, "ts": when},
                {"from": "agent", "text": "I've passed it to the team.", "ts": when},
            ],
        }
        (folder / name).write_text(json.dumps(data), encoding="utf-8")
    (folder / "manifest.csv").write_text(
        "file,effort_score\nx1.json,6\nx2.json,6\ny1.json,2\nz1.json,1\n", encoding="utf-8"
    )
    db = str(tmp_path / "qa.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(folder), "--db", db]).exit_code == 0
    listed = json.loads(runner.invoke(cli, ["journeys", "--db", db, "--json"]).output)
    agreement = listed["effort_agreement"]
    assert agreement["journeys"] == 3 and agreement["spearman"] > 0.8
    exported = json.loads(runner.invoke(cli, ["export", "--db", db]).output)
    assert exported["effort_agreement"] == agreement
    assert all("work_type" in c for j in listed["journeys"] for c in j["contacts"])
    out = tmp_path / "report"
    assert runner.invoke(cli, ["report", "--out", str(out), "--db", db]).exit_code == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<td>Work type</td>" in index
    rho = f"{agreement['spearman']:.2f}"
    assert f"Spearman&#39;s rho {rho} over 3 journeys" in index or (
        f"Spearman's rho {rho} over 3 journeys" in index
    )
