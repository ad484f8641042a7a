"""Acceptance over the demo batch: `qa score examples --routing scorecards/routing.yaml`
(as scripts/demo.sh runs it) routes every example to the right card, every direction
appears, and no outbound call or callback is judged on an inbound-only criterion."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from qa.cli import cli
from qa.routing.rules import load_routing, shipped_routing
from tests.conftest import EXAMPLES, ROOT

DEMO = (ROOT / "scripts" / "demo.sh").read_text(encoding="utf-8")


def inbound_only_cards() -> set[str]:
    """Cards that the shipped routing gives to inbound work types only."""
    routing = load_routing(shipped_routing())
    types: dict[str, set[str]] = {}
    for rule in routing.spec.rules:
        for ref in rule.scorecards:
            name = routing.cards[ref].scorecard.name
            words = rule.when.work_type or []
            types.setdefault(name, set()).update([words] if isinstance(words, str) else words)
    return {name for name, ts in types.items() if ts and all(t.startswith("inbound") for t in ts)}


def score(db: Path, *paths: Path) -> dict[str, dict[str, Any]]:
    args = ["score", *map(str, paths), "--routing", str(ROOT / "scorecards" / "routing.yaml")]
    args += ["--config", str(EXAMPLES / "qa.yaml"), "--db", str(db)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code in (0, 1), result.output  # 1: a call held for review of its roles
    data = json.loads(CliRunner().invoke(cli, ["export", "--db", str(db)]).stdout)
    return {Path(i["source"]).name: i for i in data["interactions"]}


def check_no_outbound_on_inbound_cards(items: dict[str, dict[str, Any]]) -> set[str]:
    inbound_cards = inbound_only_cards()
    assert inbound_cards == {"Inbound service", "Chat and email support"}
    directions = set()
    for name, item in items.items():
        r = item["routing"]
        assert r is not None, name
        direction = r["direction"]["value"]
        directions.add(direction)
        if direction != "inbound":
            judged = {e["scorecard"]["name"] for e in item["evaluations"]}
            assert not judged & inbound_cards, (name, direction, judged)
            crits = {c["id"] for e in item["evaluations"] for c in e["criteria"]}
            assert "offer_help" not in crits, name
    return directions


def test_the_demo_scores_with_the_shipped_routing() -> None:
    assert 'qa score "${english[@]}" --manifest examples/manifest.csv' in DEMO
    assert "--routing scorecards/routing.yaml --campaigns scorecards/campaigns" in DEMO
    assert 'qa route "${english[@]}"' in DEMO
    for sub in ("calls", "chats", "emails", "transcripts"):
        assert f"examples/{sub}" in DEMO


def test_the_demo_texts_and_transcripts_go_to_the_right_cards(tmp_path: Path) -> None:
    """The demo without its recordings (no speech model): chats, emails, call transcripts."""
    folder = tmp_path / "examples"
    folder.mkdir()
    for sub in ("chats", "emails", "transcripts"):
        shutil.copytree(EXAMPLES / sub, folder / sub)
    shutil.copy(EXAMPLES / "manifest.csv", folder / "manifest.csv")
    items = score(tmp_path / "q.db", folder)
    assert check_no_outbound_on_inbound_cards(items) == {"inbound", "outbound", "callback"}
    cards = {n: [e["scorecard"]["name"] for e in i["evaluations"]] for n, i in items.items()}
    assert cards["j.okafor_20260308_1006.vtt"] == ["Outbound survey"]
    assert cards["a.khan_20260306_1004.vtt"] == ["Callback care"]
    assert cards["m.rossi_20260307_1005.vtt"] == ["Callback care"]
    assert items["m.rossi_20260307_1005.vtt"]["routing"]["work_type"]["source"] == "metadata"
    for name in ("chat_upgrade.json", "webchat_0142.txt", "billing-1.eml"):
        assert cards[name] == ["Chat and email support"], name


@pytest.mark.models
def test_the_whole_demo_routes_the_renewal_call_to_the_outbound_card(tmp_path: Path) -> None:
    """Acceptance 1, calls included (transcribed with the demo's speech model)."""
    items = score(tmp_path / "demo.db", EXAMPLES)
    assert check_no_outbound_on_inbound_cards(items) == {"inbound", "outbound", "callback"}
    renewal = items["s.okafor_20260303_1001.flac"]
    assert renewal["routing"]["work_type"]["value"] == "outbound_renewal"
    assert [e["scorecard"]["name"] for e in renewal["evaluations"]] == ["Outbound telesales"]
    complaint = items["l.chen_20260305_1003.flac"]
    assert complaint["routing"]["direction"]["value"] == "inbound"
    assert [e["scorecard"]["name"] for e in complaint["evaluations"]] == ["Inbound service"]


@pytest.mark.models  # judged with the real text model, as trainers run it
@pytest.mark.parametrize("name", ["outbound_survey", "callback_care", "general_contact"])
def test_the_routing_cards_pass_their_labelled_examples(name: str) -> None:
    card = ROOT / "scorecards" / f"{name}.yaml"
    examples = ROOT / "scorecards" / "examples" / name
    assert len(list(examples.glob("*.json"))) >= 2
    result = CliRunner().invoke(cli, ["scorecard", "test", str(card), "--examples", str(examples)])
    assert result.exit_code == 0, result.output
    assert " 0 failed" in result.output
