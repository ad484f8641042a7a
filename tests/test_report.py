"""HTML reports: content, safety and template overrides (no browser needed here)."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from qa.cli import cli
from tests.conftest import EXAMPLES, ROOT

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"


def planted_batch(folder: Path) -> Path:
    """The demo chats and emails plus a chat and an email carrying markup attacks."""
    folder.mkdir()
    for sub in ("chats", "emails"):
        for f in (EXAMPLES / sub).iterdir():
            (folder / f.name).write_bytes(f.read_bytes())
    (folder / "manifest.csv").write_bytes((EXAMPLES / "manifest.csv").read_bytes())
    (folder / "attack.json").write_text(
        json.dumps(
            {
                "agent": "l.chen",
                "messages": [
                    {
                        "from": "customer",
                        "text": f"Hi {XSS_SCRIPT} my card 4111 1111 1111 1111",
                        "ts": "2026-03-06T10:00:00Z",
                    },
                    {
                        "from": "agent",
                        "text": "Hello, thanks for contacting Northwind Mobile. How can I help?",
                        "ts": "2026-03-06T10:00:20Z",
                    },
                    {
                        "from": "customer",
                        "text": f"I want to cancel {XSS_IMG}",
                        "ts": "2026-03-06T10:01:00Z",
                    },
                ],
            }
        )
    )
    (folder / "attack.eml").write_text(
        "From: Eve <eve@example.com>\nTo: care@northwind.example\nSubject: hello " + XSS_IMG + "\n"
        "Date: Fri, 06 Mar 2026 09:00:00 +0000\nMessage-ID: <x1@example.com>\n\n"
        f"Please look at this {XSS_SCRIPT} and {XSS_IMG} thanks\n"
    )
    return folder


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("report")
    batch = planted_batch(tmp / "batch")
    db = str(tmp / "qa.db")
    runner = CliRunner()
    args = ["score", str(batch), "--scorecard", str(ROOT / "scorecards/inbound_service.yaml")]
    result = runner.invoke(cli, [*args, "--db", db, "--config", str(EXAMPLES / "qa.yaml")])
    assert result.exit_code == 0, result.output
    out = tmp / "out"
    result = runner.invoke(cli, ["report", "--out", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    return out


def exported(report_dir: Path) -> list[dict]:  # type: ignore[type-arg]
    db = report_dir.parent / "qa.db"
    return json.loads(CliRunner().invoke(cli, ["export", "--db", str(db)]).stdout)["interactions"]


def test_report_has_index_agents_and_transcripts(report_dir: Path) -> None:
    index = (report_dir / "index.html").read_text()
    assert "Team overview" in index and "Lin Chen" in index
    agents = list((report_dir / "agents").glob("*.html"))
    transcripts = list((report_dir / "t").glob("*.html"))
    items = exported(report_dir)
    assert len(agents) == len({i["agent"]["id"] for i in items}) >= 5  # unknown agents share a page
    assert len(transcripts) == len(items) >= 10
    for page in agents + transcripts + [report_dir / "index.html"]:
        html = page.read_text()
        assert "http://" not in html and "https://" not in html, page  # nothing from the network


def test_agent_page_coaching_cites_evidence_links(report_dir: Path) -> None:
    page = next(p for p in (report_dir / "agents").glob("l.chen-*.html"))
    html = page.read_text()
    assert "Top coaching opportunities" in html
    card = yaml.safe_load((ROOT / "scorecards/inbound_service.yaml").read_text())
    coaching = {
        " ".join(c["coaching"].split()) for sec in card["sections"] for c in sec["criteria"]
    }
    shown = re.findall(r'<p class="todo">(.*?)</p>', html, re.S)
    assert len(shown) == 3 and all(" ".join(unescape(t).split()) in coaching for t in shown)
    links = re.findall(r'href="\.\./t/([0-9a-f]{16})\.html#turn-(\d+|top)"', html)
    assert len(links) >= 3
    for ident, turn in links:
        target = (report_dir / "t" / f"{ident}.html").read_text()
        assert f'id="turn-{turn}"' in target


def test_customer_text_is_escaped_and_cards_never_appear(report_dir: Path) -> None:
    for page in report_dir.rglob("*.html"):
        html = page.read_text()
        assert XSS_SCRIPT not in html and XSS_IMG not in html, page
        assert "4111" not in html
    attack = next(p for p in (report_dir / "t").glob("*.html") if "alert(1)" in p.read_text())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in attack.read_text()


def test_filters_and_template_override(tmp_path: Path, report_dir: Path) -> None:
    db = report_dir.parent / "qa.db"
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "agent.html").write_text(
        '{% extends "default:agent.html" %}{% block title %}Coaching for {{ agent.name }}{% endblock %}'
    )
    out = tmp_path / "one"
    result = CliRunner().invoke(
        cli,
        [
            "report",
            "--out",
            str(out),
            "--db",
            str(db),
            "--agent",
            "l.chen",
            "--templates",
            str(mine),
        ],
    )
    assert result.exit_code == 0, result.output
    [page] = (out / "agents").glob("*.html")
    html = page.read_text()
    assert "<title>Coaching for Lin Chen</title>" in html and "Top coaching opportunities" in html
    assert all(
        "l.chen" in p.read_text() or "Lin Chen" in p.read_text() for p in (out / "t").glob("*.html")
    )
    result = CliRunner().invoke(
        cli, ["report", "--out", str(tmp_path / "x"), "--db", str(db), "--since", "2026-03-06"]
    )
    assert result.exit_code == 0
    later = [i for i in exported(report_dir) if (i["started_at"] or "") >= "2026-03-06"]
    assert len(list((tmp_path / "x" / "t").glob("*.html"))) == len(later) >= 3


def test_csv_export_one_row_per_criterion(report_dir: Path) -> None:
    db = report_dir.parent / "qa.db"
    text = CliRunner().invoke(cli, ["export", "--format", "csv", "--db", str(db)]).stdout
    rows = text.strip().splitlines()
    assert rows[0].startswith("interaction_id,source,channel")
    card = yaml.safe_load((ROOT / "scorecards/inbound_service.yaml").read_text())
    criteria = sum(len(sec["criteria"]) for sec in card["sections"])
    assert len(rows) == 1 + len(exported(report_dir)) * criteria
