"""Precision and recall of the campaign checks per flag kind, on the labelled set in
tests/data/campaign_eval.yaml: lexical matching alone and with semantic matching, side by side.

    .venv/bin/python bench/bench_campaigns.py
"""

from __future__ import annotations

import platform
from datetime import date
from pathlib import Path

from qa.campaigns.evaluate import VIOLATIONS, evaluate
from qa.campaigns.schema import load_campaigns
from qa.matching import Matcher

ROOT = Path(__file__).resolve().parent.parent


def fmt(v: float | None) -> str:
    return "  -  " if v is None else f"{v:.2f}"


def main() -> None:
    campaigns = load_campaigns(ROOT / "scorecards" / "campaigns")
    data = ROOT / "tests" / "data" / "campaign_eval.yaml"
    lexical, _, n = evaluate(data, campaigns)
    semantic, misses, _ = evaluate(data, campaigns, Matcher())
    print(f"# campaign checks, {date.today()}, {platform.machine()}; {n} labelled cases")
    print(f"{'kind':<20} {'lexical P':>9} {'R':>5}   {'+semantic P':>11} {'R':>5}   support")
    for kind, s in semantic.items():
        lx = lexical[kind]
        mark = " (violation)" if kind in VIOLATIONS else ""
        print(
            f"{kind:<20} {fmt(lx.precision):>9} {fmt(lx.recall):>5}   {fmt(s.precision):>11} {fmt(s.recall):>5}   {s.tp + s.fn}{mark}"
        )
    print("misses with semantic matching:", ", ".join(misses) or "none")


if __name__ == "__main__":
    main()
