from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from qa.cli import cli
from qa.scorecard.load import load_scorecard
from tests.conftest import EXAMPLES, ROOT, write_tone_wav

CARD = ROOT / "scorecards" / "inbound_service.yaml"


TEXT_EXAMPLES = [
    str(EXAMPLES / "chats"),
    str(EXAMPLES / "emails"),
    "--manifest",
    str(EXAMPLES / "manifest.csv"),
]


def score_examples(db: Path) -> CliRunner:
    """The chats and emails of the demo batch (the calls have tests of their own)."""
    runner = CliRunner()
    args = ["score", *TEXT_EXAMPLES, "--scorecard", str(CARD), "--db", str(db)]
    result = runner.invoke(cli, [*args, "--config", str(EXAMPLES / "qa.yaml")])
    assert result.exit_code == 0, result.output
    return runner


def test_score_stores_results_with_evidence(tmp_path: Path) -> None:
    db = tmp_path / "qa.db"
    runner = score_examples(db)
    data = json.loads(runner.invoke(cli, ["export", "--db", str(db)]).stdout)["interactions"]
    assert data and all(len(i["evaluations"]) == 1 for i in data)
    card = load_scorecard(CARD)
    declared = {c.id: c for _, c in card.scorecard.criteria()}
    for item in data:
        ev = item["evaluations"][0]
        assert ev["scorecard"] == {"name": "Inbound service", "hash": card.hash}
        assert [c["id"] for c in ev["criteria"]] == list(declared)
        for c in ev["criteria"]:
            spec = declared[c["id"]]
            if c["result"] == "na":
                assert (c["points"], c["max_points"]) == (0.0, 0.0), c
            else:
                assert c["max_points"] == spec.max_points and c["evidence"], c
                assert 0.0 <= c["points"] <= c["max_points"]
            for e in c["evidence"]:
                assert {"turn", "role", "start", "end", "quote"} <= set(e)
                if e["turn"] is not None:  # the quote comes from the turn it names
                    assert e["role"] == item["turns"][e["turn"]]["role"]
        # The totals, recomputed from the criteria.
        critical_fail = any(
            c["result"] == "fail" and declared[c["id"]].critical for c in ev["criteria"]
        )
        total = round(sum(c["points"] for c in ev["criteria"]), 2)
        maximum = round(sum(c["max_points"] for c in ev["criteria"]), 2)
        assert (ev["total"], ev["max"], ev["auto_fail"]) == (total, maximum, critical_fail)
        assert ev["percent"] == (0.0 if critical_fail else round(100 * total / maximum, 1))
    chat = next(i for i in data if i["metadata"].get("conversation_id") == "ch-5002")
    upsell = next(
        c for c in chat["evaluations"][0]["criteria"] if c["id"] == "no_pitch_over_problem"
    )
    assert upsell["result"] == "fail"
    assert [e["role"] for e in upsell["evidence"]] == ["customer", "agent"]
    assert "cancel my broadband" in upsell["evidence"][0]["quote"]
    assert chat["metrics"]["first_response"] == 70.0
    shown = runner.invoke(cli, ["show", chat["id"], "--db", str(db)]).output
    assert "no_pitch_over_problem" in shown and "Fibre Max" in shown


def test_second_run_scores_nothing(tmp_path: Path) -> None:
    db = tmp_path / "qa.db"
    score_examples(db)
    args = ["score", *TEXT_EXAMPLES, "--scorecard", str(CARD), "--db", str(db), "--json"]
    result = CliRunner().invoke(cli, [*args, "--config", str(EXAMPLES / "qa.yaml")])
    summary = json.loads(result.stdout)
    total = len(
        json.loads(CliRunner().invoke(cli, ["export", "--db", str(db)]).stdout)["interactions"]
    )
    assert summary["scored"] == 0 and summary["already_scored"] == total > 5


def test_bad_scorecard_stops_before_any_work(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nsections: []\npass_mark: high\n")
    db = tmp_path / "qa.db"
    result = CliRunner().invoke(
        cli, ["score", str(EXAMPLES), "--scorecard", str(bad), "--db", str(db)]
    )
    assert result.exit_code == 2
    assert "bad.yaml:3 pass_mark" in result.output
    assert not db.exists()


def test_rescore_compare_reports_exactly_what_changed(tmp_path: Path) -> None:
    db = tmp_path / "qa.db"
    runner = score_examples(db)
    stricter = tmp_path / "stricter.yaml"
    stricter.write_text(
        CARD.read_text().replace(
            "metric: first_response\n        max: 60", "metric: first_response\n        max: 30"
        )
    )
    assert stricter.read_text() != CARD.read_text()
    data = json.loads(runner.invoke(cli, ["export", "--db", str(db)]).stdout)["interactions"]
    expected = {
        i["id"]
        for i in data
        if i["channel"] == "chat" and 30 < i["metrics"]["first_response"] <= 60
    }
    agents = {i["agent"]["id"] for i in data if i["id"] in expected}
    assert len(expected) >= 2
    result = runner.invoke(
        cli,
        [
            "rescore",
            "--scorecard",
            str(stricter),
            "--compare",
            str(CARD),
            "--db",
            str(db),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    compare = json.loads(result.stdout)["compare"]
    assert {c["interaction_id"] for c in compare["changes"]} == expected
    assert {c["criterion"] for c in compare["changes"]} == {"response_time"}
    assert set(compare["by_agent"]) == agents
    assert all(c["before"] == "pass" and c["after"] == "fail" for c in compare["changes"])
    text = runner.invoke(
        cli, ["rescore", "--scorecard", str(stricter), "--compare", str(CARD), "--db", str(db)]
    ).output
    assert f"{len(expected)} of {len(data)} interactions change" in text


def test_rescore_does_no_audio_work(tmp_path: Path) -> None:
    db = tmp_path / "qa.db"
    score_examples(db)
    wav = write_tone_wav(tmp_path / "call.wav")  # registered, never transcribed
    assert CliRunner().invoke(cli, ["ingest", str(wav), "--db", str(db)]).exit_code == 0
    probe = (
        "import sys\nfrom qa.cli import main\n"
        # The stand-in text model, as in this process: the real one is not what is tested.
        "from tests.text_model import use_real_model\nuse_real_model(False)\n"
        f"sys.argv = ['qa', 'rescore', '--scorecard', {str(CARD)!r}, '--db', {str(db)!r}]\n"
        "import atexit\n"
        "atexit.register(lambda: print('AUDIO', any(m in sys.modules for m in "
        "('faster_whisper', 'ctranslate2', 'av', 'pyannote'))))\n"
        "main()\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert " interactions re-scored" in out.stdout, out.stdout + out.stderr
    assert "AUDIO False" in out.stdout
