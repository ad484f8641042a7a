"""A call held for review (its roles in doubt) waits for a person: the report shows it as
held, in the review queue, and counts it in no average and no coaching item."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qa.report.build import ReportBuilder, templates_env
from qa.report.data import ReportData


def call(ident: str, status: str, percent: float, result: str) -> tuple[Any, Any, Any]:
    item = {
        "id": ident,
        "channel": "voice",
        "source": f"calls/{ident}.wav",
        "agent_id": "ann",
        "agent_name": "Ann",
        "agent_team": "Care",
        "started_at": "2026-03-01T10:00:00Z",
        "status": status,
        "error": "roles in doubt (confidence 0.02)" if status == "review" else None,
        "metadata": {},
        "work_type": None,
    }
    ev = {
        "id": f"ev-{ident}",
        "scorecard": "Inbound",
        "scorecard_hash": "h",
        "percent": percent,
        "auto_fail": False,
        "campaigns_hash": None,
        "engine": "e",
    }
    res = {
        "criterion_id": "greet",
        "result": result,
        "points": 0.0 if result == "fail" else 2.0,
        "max_points": 2.0,
        "evidence": [],
        "note": None,
        "details": None,
    }
    return item, ev, res


@pytest.mark.parametrize(
    ("held_status", "average", "opportunities", "queued"),
    [("review", 90.0, 0, 1), ("transcribed", 60.0, 1, 0)],
)
def test_a_held_call_is_shown_but_not_counted(
    tmp_path: Path, held_status: str, average: float, opportunities: int, queued: int
) -> None:
    calls = [call("ok", "transcribed", 90.0, "pass"), call("doubt", held_status, 30.0, "fail")]
    data = ReportData(
        {i["id"]: i for i, _, _ in calls},
        {i["id"]: e for i, e, _ in calls},
        {e["id"]: [r] for _, e, r in calls},
        {},
        {},
    )
    builder = ReportBuilder(data, templates_env(), tmp_path)
    [agent] = builder.agents().values()
    assert agent["average"] == average
    assert len(agent["opportunities"]) == opportunities
    assert [e["held"] for e in agent["evaluation_list"]].count(True) == queued
    assert len(agent["review_results"]) == queued
    if queued:
        assert agent["review_results"][0]["note"].startswith("roles in doubt")
    assert builder.team(builder.agents())["average"] == average


@pytest.mark.parametrize(
    ("status", "said"),
    [("review", "No evaluations on this page."), ("transcribed", "Top coaching")],
)
def test_an_agent_with_only_a_held_call_is_not_told_every_criterion_was_met(
    tmp_path: Path, status: str, said: str
) -> None:
    item, ev, res = call("doubt", status, 30.0, "fail")
    data = ReportData({"doubt": item}, {"doubt": ev}, {ev["id"]: [res]}, {}, {})
    builder = ReportBuilder(data, templates_env(), tmp_path)
    [agent] = builder.agents().values()
    page = tmp_path / "agent.html"
    builder.render("agent.html", page, "../", ["doubt"], agent=agent, journey_view=None)
    html = page.read_text(encoding="utf-8")
    assert said in html
    assert "every criterion was met" not in html
