"""Two stories judged by the campaign facts the contacts were scored against: the flag (JSON,
export, journey page) names the contact that was right; without campaigns, or with the
fact out of its window, nothing changes; the build digest follows the campaign sets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import cli

CARD = Path(__file__).resolve().parent.parent / "scorecards" / "chat_email_support.yaml"

CAMPAIGN = """\
# Fibre 500 in June: the price every agent should quote.
id: FIBRE-JUNE
name: Fibre 500 in June
from: {start}
to: {end}
products: ["Fibre 500"]
facts:
  - id: price
    about: ["price", "a month", "monthly"]
    value: {{money: {{amount: 34, currency: GBP, period: month}}}}
"""


def _chat(path: Path, when: str, agent: str, price: str) -> None:
    turns = [
        ("customer", "Hi, how much is Fibre 500 a month? I'm thinking of upgrading."),
        ("agent", f"Fibre 500 is {price} a month."),
        ("customer", "Thanks, I'll think about it."),
    ]
    path.write_text(
        json.dumps(
            {
                "agent": agent,
                "customer": "K-7",
                "started_at": when,
                "messages": [{"from": r, "text": t, "ts": when} for r, t in turns],
            }
        ),
        encoding="utf-8",
    )


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    _chat(folder / "a.json", "2026-06-01T09:00:00Z", "a.one", "£30")
    _chat(folder / "b.json", "2026-06-03T09:00:00Z", "b.two", "£34")
    (folder / "manifest.csv").write_text(
        "file,customer_id,case_id\na.json,K-7,CASE-1\nb.json,K-7,CASE-1\n", encoding="utf-8"
    )
    return folder


def _campaigns(tmp_path: Path, start: str = "2026-06-01", end: str = "2026-06-30") -> Path:
    camps = tmp_path / f"campaigns-{start}"
    camps.mkdir(exist_ok=True)
    (camps / "fibre.yaml").write_text(CAMPAIGN.format(start=start, end=end), encoding="utf-8")
    return camps


def _score(folder: Path, db: str, camps: Path | None) -> dict:
    more = ["--campaigns", str(camps)] if camps else []
    r = CliRunner().invoke(
        cli, ["score", str(folder), "--scorecard", str(CARD), "--db", db, "--json", *more]
    )
    assert r.exit_code in (0, 2), r.output  # 2: a contact below the pass mark
    return json.loads(r.stdout)


def _stories(db: str) -> list[dict]:
    r = CliRunner().invoke(cli, ["journeys", "--db", db, "--json"])
    assert r.exit_code == 0, r.output
    return [
        f
        for j in json.loads(r.output)["journeys"]
        for f in j["flags"]
        if f["kind"] == "journey_inconsistency"
    ]


def _ids(db: str) -> dict[str, str]:
    r = CliRunner().invoke(cli, ["export", "--db", db])
    return {Path(i["source"]).name: i["id"] for i in json.loads(r.output)["interactions"]}


def test_the_campaign_fact_names_the_contact_that_was_right(folder: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "qa.db")
    _score(folder, db, _campaigns(tmp_path))
    ids = _ids(db)
    [flag] = _stories(db)
    assert flag["details"]["right"] == "b"
    assert flag["details"]["right_contact"] == ids["b.json"]
    assert flag["details"]["right_agent"] == "b.two"
    assert flag["details"]["known_fact"]["campaign"] == "FIBRE-JUNE"
    assert flag["details"]["known_fact"]["shown"] == "GBP 34.00 a month"
    assert flag["campaign"] == "FIBRE-JUNE" and flag["severity"] == "high"
    # The export's journeys section carries the same flag.
    r = CliRunner().invoke(cli, ["export", "--db", db])
    exported = [
        f
        for j in json.loads(r.output)["journeys"]
        for f in j["flags"]
        if f["kind"] == "journey_inconsistency"
    ]
    assert exported[0]["details"]["right_contact"] == ids["b.json"]
    # The journey page says which contact was right, and by which campaign fact.
    out = tmp_path / "report"
    assert CliRunner().invoke(cli, ["report", "--out", str(out), "--db", db]).exit_code == 0
    [page] = (out / "j").glob("*.html")
    html = page.read_text(encoding="utf-8")
    assert "Right: contact #2 (b.two)" in html
    assert "Campaign fact price of Fibre 500 in June (2026-06-01 to 2026-06-30)" in html


def test_without_campaigns_the_flag_says_nothing_is_known(folder: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "qa.db")
    _score(folder, db, None)
    [flag] = _stories(db)
    assert flag["details"]["right"] is None and flag["details"]["right_contact"] is None
    assert flag["details"]["known_fact"] is None and flag["campaign"] is None


def test_a_campaign_out_of_its_window_decides_nothing(folder: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "qa.db")
    _score(folder, db, _campaigns(tmp_path, "2026-06-02", "2026-06-30"))  # not yet on 1 June
    [flag] = _stories(db)
    assert flag["details"]["known_fact"] is None and flag["details"]["right"] is None


def test_the_build_digest_follows_the_campaign_sets(folder: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "qa.db")
    first = _score(folder, db, _campaigns(tmp_path, "2026-05-01", "2026-05-31"))
    assert first["journeys"]["rebuilt"] is True
    assert _stories(db)[0]["details"]["known_fact"] is None
    again = _score(folder, db, _campaigns(tmp_path, "2026-05-01", "2026-05-31"))
    assert again["journeys"]["rebuilt"] is False  # the same campaign set: nothing to build
    runner = CliRunner()
    r = runner.invoke(
        cli,
        ["rescore", "--scorecard", str(CARD), "--db", db, "--campaigns", str(_campaigns(tmp_path))],
    )
    assert r.exit_code in (0, 2), r.output
    # Nothing new to ingest, but the contacts now carry another campaign set: built again.
    r = runner.invoke(cli, ["ingest", str(folder), "--db", db, "--json"])
    assert json.loads(r.stdout)["journeys"]["rebuilt"] is True, r.output
    assert _stories(db)[0]["details"]["right"] == "b"
    r = runner.invoke(cli, ["ingest", str(folder), "--db", db, "--json"])
    assert json.loads(r.stdout)["journeys"]["rebuilt"] is False
