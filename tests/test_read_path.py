"""The one read path: bulk reads whose number of queries does not grow with the data."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from qa.export import (
    _write_json,
    export_csv,
    export_json,
    failure_sections,
    iter_interactions,
    journey_sections,
    review_sections,
)
from qa.model import Agent, CriterionResult, Evaluation, Evidence, Flag, Interaction, Turn
from qa.report.data import Filters, load_report_data
from qa.store import Store
from qa.store.read import Selection, known_values, read_interactions, unknown_filters
from qa.vocabulary import Channel


def fill(store: Store, n: int) -> None:
    items = [
        Interaction(
            id=f"i{k:05d}",
            channel=Channel.CHAT,
            source=f"chat{k}.json",
            agent=Agent(f"a{k % 7}", f"Agent {k % 7}", f"team{k % 2}"),
            started_at=f"2026-03-{1 + k % 28:02d}T10:00:00",
            turns=[Turn("agent", "Hello, how can I help?", 0.0), Turn("customer", "Hi", 5.0)],
        )
        for k in range(n)
    ]
    store.save_interactions(items)
    store.save_scorecard("card", "h1", "name: card")
    quote = Evidence(0, "agent", 0.0, 0.0, "Hello")
    crit = [
        CriterionResult("greet", "open", "phrase.v1", "pass", 2.0, 2.0, 0.9, [quote]),
        CriterionResult("close", "end", "phrase.v1", "fail", 0.0, 2.0, 0.8, []),
    ]
    ev = Evaluation("card", "h1", 2.0, 4.0, 50.0, False, False, crit)
    flag = Flag("expired_offer", "high", "Spring", "price", "said $30", [quote])
    store.save_evaluations([(i.id, ev, {"turns": 2}, [flag], "c1") for i in items], "e1")


def count_queries(store: Store, work: Callable[[], object]) -> int:
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    try:
        work()
    finally:
        store.conn.set_trace_callback(None)
    return len(seen)


def test_export_issues_a_bounded_number_of_queries(tmp_path: Path) -> None:
    small, large = Store(tmp_path / "small.db"), Store(tmp_path / "large.db")
    fill(small, 20)  # ten times the rows, the same number of queries
    fill(large, 200)
    for run in (export_json, export_csv):
        few = count_queries(small, lambda run=run: run(small))
        many = count_queries(large, lambda run=run: run(large))
        # (20 before acknowledgements, disputes and their counts were exported; 24 before
        # the read path read in one transaction, its BEGIN and COMMIT; 26 before the inputs
        # that failed were exported)
        assert few == many <= 27, (run.__name__, few, many)
    text = export_json(large)
    assert text == json.dumps(
        {
            "interactions": list(iter_interactions(large)),
            **journey_sections(large),
            **review_sections(large),
            **failure_sections(large),
        },
        ensure_ascii=False,
        indent=2,
    )
    data = json.loads(text)["interactions"]
    assert len(data) == 200
    first = data[0]
    assert first["agent"] == {"id": "a0", "name": "Agent 0", "team": "team0"}
    assert [c["id"] for c in first["evaluations"][0]["criteria"]] == ["greet", "close"]
    assert (
        first["evaluations"][0]["engine"] == "e1" and first["flags"][0]["kind"] == "expired_offer"
    )
    report = count_queries(large, lambda: load_report_data(large, Filters(team="team1")))
    assert report <= 25


def test_selection_filters(tmp_path: Path) -> None:
    store = Store(tmp_path / "qa.db")
    fill(store, 60)
    everyone = read_interactions(store)
    assert len(everyone) == 60 and [v.id for v in everyone] == sorted(v.id for v in everyone)
    mine = read_interactions(store, Selection(agent="a3"))
    assert mine and {v.agent_id for v in mine} == {"a3"}
    team = read_interactions(store, Selection(team="team0", since="2026-03-05", until="2026-03-06"))
    assert team and all(
        v.team == "team0" and "2026-03-05" <= (v.started_at or "")[:10] <= "2026-03-06"
        for v in team
    )
    some = read_interactions(store, Selection(ids=["i00003", "i00004", "nope"], turns=False))
    assert [v.id for v in some] == ["i00003", "i00004"] and not some[0].turns
    assert some[0].latest is not None and some[0].latest.criteria[1].result == "fail"


def test_export_json_writes_what_the_standard_library_writes() -> None:
    cases: list[object] = [
        {},
        [],
        "plain",
        1.5,
        [[[]], {}, [{}]],
        {'é\n"\\\u2028': ["x", -0.0, 1e300, 10**20, True, False, None, 3]},
        {1: "int key", 2.5: "float key", None: "none key"},
        {True: "bool key", False: "other bool key"},
        {"nan": float("nan"), "inf": [float("inf"), float("-inf")], "t": ("a", 1)},
    ]
    for case in cases:
        parts: list[str] = []
        _write_json(case, "\n", parts.append)
        assert "".join(parts) == json.dumps(case, ensure_ascii=False, indent=2), case
    for bad in ({"k": object()}, {("tuple", "key"): 1}):
        with pytest.raises(TypeError):
            _write_json(bad, "\n", [].append)


def test_export_csv_rows(tmp_path: Path) -> None:
    store = Store(tmp_path / "qa.db")
    fill(store, 3)
    store.save_interactions(
        [Interaction(id="z", channel=Channel.CHAT, source="z.json", turns=[Turn("agent", "Hi", 0)])]
    )
    rows = list(csv.DictReader(io.StringIO(export_csv(store))))
    assert len(rows) == 3 * 2 + 1
    assert rows[0]["interaction_id"] == "i00000" and rows[0]["criterion_id"] == "greet"
    assert rows[0]["evidence_quote"] == "Hello" and rows[0]["auto_fail"] == "False"
    assert rows[1]["criterion_id"] == "close" and rows[1]["evidence_quote"] == ""
    assert rows[0]["team"] == "team0" and rows[0]["percent"] == "50.0"
    assert rows[-1]["interaction_id"] == "z" and rows[-1]["scorecard"] == ""


def test_unknown_agent_or_team_filters_are_named_with_the_known_values(tmp_path: Path) -> None:
    store = Store(tmp_path / "qa.db")
    fill(store, 14)
    # A team known only from the agent's record still selects: the check agrees with it.
    store.conn.execute("UPDATE interactions SET team = NULL WHERE agent_id = 'a3'")
    store.conn.execute("UPDATE agents SET team = 'night' WHERE id = 'a3'")
    store.conn.commit()
    assert known_values(store, "agent") == [f"a{k}" for k in range(7)]
    assert known_values(store, "team") == ["night", "team0", "team1"]
    assert unknown_filters(store, Selection(agent="a3", team="night")) == []
    assert len(read_interactions(store, Selection(team="night"))) == 2
    assert unknown_filters(store, Selection(agent="zz", team="ghosts")) == [
        ("agent", "zz", [f"a{k}" for k in range(7)]),
        ("team", "ghosts", ["night", "team0", "team1"]),
    ]
    assert unknown_filters(store, Selection()) == []


def test_a_read_sees_one_state_while_qa_score_commits(tmp_path: Path):
    """`qa serve` reads while `qa score` writes: an evaluation committed between the read of
    evaluations and the read of their criteria must be seen whole or not at all (a 500 on the
    agent page under the load bench, before)."""
    db = tmp_path / "qa.db"
    reader, writer = Store(db), Store(db)
    fill(reader, 3)
    crit = [CriterionResult("greet", "open", "phrase.v1", "pass", 2.0, 2.0, 0.9, [])]
    later = Evaluation("card", "h1", 2.0, 2.0, 100.0, False, True, crit)
    done: list[bool] = []

    def commit_meanwhile(statement: str) -> None:
        if statement.lstrip().startswith("SELECT c.evaluation_id") and not done:
            done.append(True)
            writer.save_evaluations([("i00000", later, {"turns": 2}, [], "c1")], "e2")

    reader.conn.set_trace_callback(commit_meanwhile)
    try:
        items = read_interactions(reader, Selection(agent="a0", turns=False))
    finally:
        reader.conn.set_trace_callback(None)
    assert done  # the writer did commit in the middle of the read
    first = {i.id: i for i in items}["i00000"]
    assert [len(e.criteria) for e in first.evaluations] == [2]  # the state before, whole
    again = {i.id: i for i in read_interactions(reader, Selection(agent="a0"))}["i00000"]
    assert [len(e.criteria) for e in again.evaluations] == [1]  # the next read: the new one
    reader.close()
    writer.close()
