"""How `qa show` names what it prints."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("status", "line"),
    [
        ("review", "status: review  review: roles in doubt"),
        ("failed", "status: failed  error: roles in doubt"),
    ],
)
def test_show_labels_a_review_reason_as_review(status: str, line: str) -> None:
    from qa.show import render_interaction

    item = {
        "id": "abc",
        "channel": "voice",
        "source": "call.wav",
        "agent": {"id": None},
        "started_at": None,
        "duration": 3.0,
        "status": status,
        "error": "roles in doubt",
        "turns": [],
        "metrics": {},
        "evaluations": [],
        "flags": [],
    }
    assert line in render_interaction(item)
