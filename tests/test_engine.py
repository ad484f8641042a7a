"""The engine stamp: an upgrade that changes results re-scores and says what changed;
a rescore keeps the campaign set each interaction was scored with."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from qa import matching
from qa.cli import cli
from qa.engine import engine_settings, engine_stamp
from qa.scorecard.load import load_scorecard
from tests.conftest import EXAMPLES, ROOT

CARD = ROOT / "scorecards" / "inbound_service.yaml"
DEMO_TEXT = [
    str(EXAMPLES / "chats"),
    str(EXAMPLES / "emails"),
    "--manifest",
    str(EXAMPLES / "manifest.csv"),
    "--config",
    str(EXAMPLES / "qa.yaml"),
]


def score(db: Path, *extra: str) -> dict[str, Any]:
    args = ["score", *DEMO_TEXT, "--scorecard", str(CARD), "--db", str(db), "--json", *extra]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def results(db: Path, card_hash: str) -> dict[str, dict[str, tuple[str, float]]]:
    """Per interaction, criterion -> (result, points) of its evaluation with this card."""
    data = json.loads(CliRunner().invoke(cli, ["export", "--db", str(db)]).stdout)
    out = {}
    for item in data["interactions"]:
        for ev in item["evaluations"]:
            if ev["scorecard"]["hash"] == card_hash:
                out[item["id"]] = {c["id"]: (c["result"], c["points"]) for c in ev["criteria"]}
    return out


def test_the_stamp_follows_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    before = engine_stamp(engine_settings({"text_model": "m"}))
    assert before.startswith("0.") and before == engine_stamp(engine_settings({"text_model": "m"}))
    assert engine_stamp(engine_settings({"text_model": "other"})) != before
    monkeypatch.setattr(matching, "FUZZY_DEFAULT", 0.5)
    assert engine_stamp(engine_settings({"text_model": "m"})) != before


def test_a_changed_matcher_default_rescores_and_says_what_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "qa.db"
    first = score(db)
    card_hash = load_scorecard(CARD).hash
    old = results(db, card_hash)
    assert first["scored"] == len(old) > 5
    assert score(db)["already_scored"] == len(old)  # same engine: nothing to do

    monkeypatch.setattr(matching, "FUZZY_DEFAULT", 0.5)
    second = score(db)
    new = results(db, card_hash)
    assert second["scored"] == second["rescored_for_engine"] == len(old)
    assert second["engine"] != first["engine"]
    changed = {
        ident: sorted(c for c in new[ident] if new[ident][c] != old[ident].get(c)) for ident in new
    }
    changed = {k: v for k, v in changed.items() if v}
    assert changed, "a looser fuzzy default should change some result"
    assert second["changed_by_engine"] == changed


def _readme_recipe() -> tuple[str, str]:
    """The README's steps 3 and 4 of the calibration loop, as written."""
    readme = (ROOT / "README.md").read_text()
    edit = re.search(r"# 3\. edit the YAML[^\n]*\n(sed .*?my_inbound\.yaml)\n", readme, re.S)
    run = re.search(r"\n(\.venv/bin/qa rescore --scorecard my_inbound\.yaml[^\n]*)\n", readme)
    assert edit and run
    return edit.group(1), run.group(1)


def test_the_readme_rescore_recipe_changes_only_what_the_new_card_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "demo.db"
    score(db, "--campaigns", str(ROOT / "scorecards" / "campaigns"))
    (tmp_path / "scorecards").symlink_to(ROOT / "scorecards")
    edit, run = _readme_recipe()
    done = subprocess.run(edit, shell=True, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    # The qa command as written, run in this process (the stand-in text model stays in use).
    words = shlex.split(run)
    assert words[0] == ".venv/bin/qa"
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, [*words[1:], "--json"], env={"QA_DB": str(db)})
    assert result.exit_code == 0, result.output
    compare = json.loads(result.stdout)["compare"]

    old_card, new_card = load_scorecard(CARD), load_scorecard(tmp_path / "my_inbound.yaml")
    old_crit = {c.id: c.model_dump() for _, c in old_card.scorecard.criteria()}
    edited = {c.id for _, c in new_card.scorecard.criteria() if c.model_dump() != old_crit[c.id]}
    assert edited == {"greeting"}
    before = results(db, old_card.hash)
    # --compare is a what-if: nothing is stored under the draft card, the live results stay.
    assert results(db, new_card.hash) == {}
    applied = CliRunner().invoke(cli, [*words[1:4], "--json"], env={"QA_DB": str(db)})
    assert applied.exit_code == 0, applied.output
    assert results(db, old_card.hash) == before
    after = results(db, new_card.hash)
    diff = {
        (ident, crit)
        for ident in before
        for crit in before[ident]
        if before[ident][crit] != after[ident][crit]
    }
    assert diff and {crit for _, crit in diff} <= edited  # the campaign criterion stays put
    assert {(c["interaction_id"], c["criterion"]) for c in compare["changes"]} == diff
    flagged = [i for i in before if before[i]["campaign_consistency"][0] == "fail"]
    assert flagged, "the demo has campaign flags: the campaign criterion must keep failing them"


def test_every_report_page_names_its_scorecard_version_and_campaign_set(tmp_path: Path) -> None:
    db = tmp_path / "qa.db"
    score(db, "--campaigns", str(ROOT / "scorecards" / "campaigns"))
    out = tmp_path / "report"
    result = CliRunner().invoke(cli, ["report", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    card = load_scorecard(CARD)
    digest = json.loads(CliRunner().invoke(cli, ["export", "--db", str(db)]).stdout)
    sets = {
        ev["campaigns"]
        for i in digest["interactions"]
        for ev in i["evaluations"]
        if ev["campaigns"]
    }
    assert len(sets) == 1
    pages = [out / "index.html", *(out / "agents").glob("*.html"), *(out / "t").glob("*.html")]
    assert len(pages) > 10
    for page in pages:
        html = page.read_text()
        assert f"Inbound service version <code>{card.hash[:8]}</code>" in html, page
        assert f"campaign set <code>{next(iter(sets))[:8]}</code>" in html, page
