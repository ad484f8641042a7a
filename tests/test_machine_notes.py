"""A failure with nothing to quote carries the machine's note of where it looked. The note
names every phrase it missed (or how many more), says where it looked in the channel's own
terms, and is never shown as words said: not in the report, `qa show` or `qa calibrate`."""

from __future__ import annotations

from typing import Any

import pytest

from qa.calibrate import Calibration, CriterionAgreement, Disagreement, render_calibration
from qa.report.build import templates_env
from qa.show import render_interaction
from tests.test_mut_criteria import A, C, verdict

FIVE = {"type": "phrase.v1", "phrases": ["aa one", "bb two", "cc three", "dd four", "ee five"]}
LINES = [(C, "My bill is wrong."), (A, "Let me look."), (C, "Thanks."), (A, "Done.")]


@pytest.mark.parametrize(
    ("channel", "where"),
    [
        ("voice", "in the agent turns, 0–"),
        ("chat", "in the 2 agent messages"),
        ("email", "in the 2 agent messages"),
    ],
)
def test_a_missed_phrase_note_counts_the_rest_and_says_where_it_looked(
    channel: str, where: str
) -> None:
    out = verdict({**FIVE, "match": "exact"}, channel, LINES)
    assert out.result == "fail"
    assert out.note.startswith("none of 'aa one', 'bb two', 'cc three' and 2 more found ")
    assert where in out.note
    assert (" s" in out.note) == (channel == "voice")  # no seconds between messages
    [e] = out.evidence
    assert e.turn is None and e.quote == out.note


NOTE = {"turn": None, "role": "agent", "start": 0.0, "end": 19.0, "quote": "none of 'x' found"}
SAID = {"turn": 1, "role": "agent", "start": 4.0, "end": 6.0, "quote": "Hello there."}


@pytest.mark.parametrize(("e", "quoted"), [(NOTE, False), (SAID, True)])
def test_a_note_is_never_shown_as_a_quote(e: dict[str, Any], quoted: bool) -> None:
    link = templates_env().get_template("macros.html").module.evidence_link  # type: ignore[attr-defined]
    html = str(link("", {**e, "interaction_id": "i1", "channel": "voice", "date": None}))
    assert ("<q>" in html) == quoted
    assert ("Machine: none of &#39;x&#39; found" in html) == (not quoted)
    assert "0:00" not in html  # a note has no moment to play from
    item = {
        "id": "i1", "channel": "voice", "source": "a.wav", "agent": {"id": "ann"},
        "started_at": None, "duration": 20.0, "status": "scored", "error": None,
        "turns": [], "metrics": {}, "flags": [],
        "evaluations": [
            {
                "scorecard": {"name": "card", "hash": "0" * 16}, "total": 0, "max": 1,
                "percent": 0.0, "auto_fail": False,
                "criteria": [
                    {"id": "greet", "result": "fail", "points": 0, "max_points": 1, "evidence": [e]}
                ],
            }
        ],
    }  # fmt: skip
    text = render_interaction(item)
    assert ("(machine: none of 'x' found)" in text) == (not quoted)
    assert ("[00:04] agent: Hello there." in text) == quoted
    assert "agent: none of" not in text
    row = CriterionAgreement("greet", 1, 0.0, None, {})
    d = Disagreement("i1", "ann", "greet", "fail", "pass", "maria", "", [e], None)
    shown = render_calibration(Calibration([row], row, [d], []))
    assert ("machine note: none of 'x' found" in shown) == (not quoted)
    assert ('machine saw: "Hello there."' in shown) == quoted
