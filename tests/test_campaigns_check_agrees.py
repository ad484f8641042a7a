"""`qa campaigns check` and `qa score` give the same verdict on the same sentence.

Runs the real text model on every single-sentence case of the labelled campaign set."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml

from qa.campaigns.check import check_interaction, explain
from qa.campaigns.evaluate import case_interaction
from qa.campaigns.schema import load_campaigns
from qa.matching import Matcher
from qa.vocabulary import VIOLATION_KINDS
from tests.conftest import ROOT

CASES = yaml.safe_load((ROOT / "tests" / "data" / "campaign_eval.yaml").read_text())["cases"]
# One agent sentence, alone or after one customer turn: what `qa campaigns check` takes.
SINGLE = [
    c
    for c in CASES
    if c["turns"][-1][0] == "agent"
    and len(c["turns"]) <= 2
    and all(r == "customer" for r, _ in c["turns"][:-1])
    and len(c["turns"][-1][1].split(". ")) == 1
]


pytestmark = pytest.mark.models


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher()


def test_enough_cases() -> None:
    assert len(SINGLE) >= 20


@pytest.mark.parametrize(
    "case",
    SINGLE,
    ids=[c["id"] for c in SINGLE],
)
def test_check_and_score_agree(case: dict[str, Any], matcher: Matcher) -> None:
    campaigns = load_campaigns(ROOT / "scorecards" / "campaigns")
    scored = check_interaction(case_interaction(case), campaigns, matcher)
    day = case["date"] if isinstance(case["date"], dt.date) else dt.date.fromisoformat(case["date"])
    context = case["turns"][0][1] if len(case["turns"]) == 2 else ""
    said = case["turns"][-1][1]
    checked = explain(said, day, case["channel"], campaigns, context, matcher)["flags"]
    assert {f.kind for f in scored if f.kind in VIOLATION_KINDS} == {
        f["kind"] for f in checked if f["kind"] in VIOLATION_KINDS
    }
