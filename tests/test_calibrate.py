from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.calibrate import agreement, cohen_kappa, confusion, pearson
from qa.cli import cli
from tests.conftest import EXAMPLES, ROOT

P, F, N = "pass", "fail", "na"


def test_hand_checked_table() -> None:
    machine = [P, P, F, F, P, F, P, P, F, P]
    human = [P, F, F, F, P, P, P, P, F, P]
    pairs = list(zip(machine, human, strict=True))
    # 8 of 10 agree; chance agreement (6*6 + 4*4) / 100 = 0.52; kappa = 0.28 / 0.48.
    assert agreement(pairs) == 0.8
    assert cohen_kappa(pairs) == pytest.approx(0.58333, abs=1e-4)
    table = confusion(pairs)
    assert table[P] == {P: 5, F: 1, N: 0} and table[F] == {P: 1, F: 3, N: 0}


def test_edge_cases() -> None:
    assert agreement([(P, P), (F, F), (N, N)]) == 1.0
    assert cohen_kappa([(P, P), (F, F), (N, N)]) == 1.0  # perfect agreement
    assert agreement([(P, P)] * 4) == 1.0
    assert cohen_kappa([(P, P)] * 4) is None  # all one class: kappa is undefined
    assert agreement([]) is None and cohen_kappa([]) is None  # a criterion with no pairs
    assert cohen_kappa([(P, F), (F, P)]) == -1.0  # systematic disagreement
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert pearson([1, 1, 1], [2, 3, 4]) is None


@pytest.fixture(scope="module")
def scored_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("cal") / "qa.db"
    # Only the text channels, so this stays fast; the calls' ratings count as unknown here.
    args = [
        "score",
        str(EXAMPLES / "chats"),
        str(EXAMPLES / "emails"),
        "--manifest",
        str(EXAMPLES / "manifest.csv"),
    ]
    result = CliRunner().invoke(
        cli,
        [
            *args,
            "--scorecard",
            str(ROOT / "scorecards/inbound_service.yaml"),
            "--db",
            str(db),
            "--config",
            str(EXAMPLES / "qa.yaml"),
        ],
    )
    assert result.exit_code == 0, result.output
    return db


def test_calibrate_example_prints_table_and_writes_linked_page(
    tmp_path: Path, scored_db: Path
) -> None:
    out = tmp_path / "report"
    human = EXAMPLES / "calibration" / "human_evaluations.csv"
    result = CliRunner().invoke(
        cli, ["calibrate", str(human), "--db", str(scored_db), "--out", str(out)]
    )
    assert (
        result.exit_code == 1
    )  # the rows about calls are unknown in this database: counted, listed
    assert "criterion" in result.output and "kappa" in result.output and "(all)" in result.output
    assert "unknown interaction 'l.chen_20260305_1003.flac'" in result.output
    assert "human against human" in result.output
    html = (out / "calibration.html").read_text()
    links = re.findall(r'href="t/([0-9a-f]{16})\.html#turn-(\w+)"', html)
    disagreements = html.count('<div class="flag">')
    assert disagreements >= 4 and len(links) >= disagreements
    for ident, turn in links:
        assert f'id="turn-{turn}"' in (out / "t" / f"{ident}.html").read_text()
    again = CliRunner().invoke(cli, ["calibrate", str(human), "--db", str(scored_db), "--json"])
    data = json.loads(again.stdout)
    assert data["import"]["added"] == 0 and data["import"]["already"] > 0


def test_bad_rows_are_listed_counted_and_ignored(tmp_path: Path, scored_db: Path) -> None:
    csv = tmp_path / "h.csv"
    csv.write_text(
        "source,criterion_id,result,evaluator\n"
        "webchat_0142.txt,greeting,pass,ann\n"
        "webchat_0142.txt,greeting,fail,ann\n"
        "nope.json,greeting,pass,ann\n"
        "webchat_0142.txt,greting,pass,ann\n"
        "webchat_0142.txt,anything_else,maybe,ann\n"
    )
    result = CliRunner().invoke(cli, ["calibrate", str(csv), "--db", str(scored_db), "--json"])
    assert result.exit_code == 1
    bad = {b["line"]: b["reason"] for b in json.loads(result.stdout)["import"]["bad_rows"]}
    assert set(bad) == {3, 4, 5, 6}
    assert "duplicate" in bad[3] and "unknown interaction" in bad[4]
    assert "unknown criterion 'greting'" in bad[5] and "not pass, fail, na or a number" in bad[6]


def test_missing_columns_is_a_usage_error(tmp_path: Path, scored_db: Path) -> None:
    csv = tmp_path / "h.csv"
    csv.write_text("id,score\n1,2\n")
    result = CliRunner().invoke(cli, ["calibrate", str(csv), "--db", str(scored_db)])
    assert result.exit_code == 2 and "needs the columns" in result.output
