"""`qa export` carries what people did in the review app: the decision in force on each
result (`human`), each evaluation's acknowledgements, and each dispute with its outcome,
in JSON and in CSV; the dispute counts too. Keys are added, none renamed."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from qa.cli import cli
from qa.export import CSV_COLUMNS, REVIEW_CSV
from qa.review import feedback
from qa.store import Store
from qa.store.read import Selection, read_interactions
from tests.test_serve_decisions import crit, scored

LIMIT = 2000


def _export(db: Path, fmt: str) -> str:
    r = CliRunner().invoke(cli, ["export", "--format", fmt, "--db", str(db)])
    assert r.exit_code == 0, r.output
    return r.output


def _reviewed(tmp_path: Path) -> tuple[Path, str]:
    """A scored chat the agent acknowledged and disputed twice: one dispute overturned by
    an analyst, one still waiting."""
    db = scored(tmp_path)
    store = Store(db)
    item = read_interactions(store, Selection())[0]
    _, c = crit(item, "anything_else")
    assert c.result == "fail"
    feedback.acknowledge(store, item, "lin", "Seen, <b>thanks</b>.", 14, LIMIT)
    feedback.dispute(store, item, "lin", "anything_else", 'I asked "anything else?"', 14, LIMIT)
    row = feedback.list_disputes(store)[0]
    feedback.resolve(store, item, row, "ana", "overturned", "She did ask.", LIMIT)
    item = read_interactions(store, Selection())[0]
    other = next(x.criterion_id for x in item.latest.criteria if x.criterion_id != c.criterion_id)
    feedback.dispute(store, item, "lin", other, "Not fair.", 14, LIMIT)
    store.close()
    return db, other


def test_json_export_carries_acknowledgements_disputes_and_their_counts(tmp_path: Path) -> None:
    db, other = _reviewed(tmp_path)
    data = json.loads(_export(db, "json"))
    item = data["interactions"][0]
    ev_id = read_interactions(Store(db), Selection())[0].latest.id
    [ack] = item["acknowledgements"]
    assert ack == {
        "evaluation_id": ev_id,
        "by": "lin",
        "at": ack["at"],
        "comment": "Seen, <b>thanks</b>.",
    }
    assert [(d["criterion"], d["status"], d["by"]) for d in item["disputes"]] == [
        ("anything_else", "overturned", "lin"),
        (other, "pending", "lin"),
    ]
    done = item["disputes"][0]
    assert done["resolved_by"] == "ana" and done["resolution"] == "She did ask."
    assert done["reason"] == 'I asked "anything else?"' and done["resolved_at"]
    assert item["disputes"][1]["resolved_by"] is None
    # The overturn is a decision in force: the criterion reads as the analyst's, stamped.
    c = next(c for c in item["evaluations"][-1]["criteria"] if c["id"] == "anything_else")
    assert c["result"] == "pass" and c["human"]["by"] == "ana" and c["human"]["source"] == "dispute"
    counts = data["dispute_counts"]
    assert (counts["raised"], counts["open"], counts["overturned"], counts["upheld"]) == (
        2,
        1,
        1,
        0,
    )
    assert counts["per_analyst"] == {
        "ana": {"raised": 0, "waiting": 0, "upheld": 0, "overturned": 1}
    }
    # `qa show --json` carries the same keys for one interaction.
    r = CliRunner().invoke(cli, ["show", item["id"], "--json", "--db", str(db)])
    assert r.exit_code == 0, r.output
    shown = json.loads(r.output)
    assert shown["acknowledgements"] == item["acknowledgements"]
    assert shown["disputes"] == item["disputes"]


def test_csv_export_carries_the_decision_acknowledgement_and_dispute_of_each_row(
    tmp_path: Path,
) -> None:
    db, other = _reviewed(tmp_path)
    text = _export(db, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == CSV_COLUMNS and CSV_COLUMNS[-len(REVIEW_CSV) :] == REVIEW_CSV
    last = rows[-1]["scorecard_hash"], rows[-1]["total"]
    latest = [r for r in rows if (r["scorecard_hash"], r["total"]) == last]
    by = {r["criterion_id"]: r for r in latest}
    done = by["anything_else"]
    assert (done["result"], done["human_result"], done["human_by"]) == ("pass", "pass", "ana")
    assert (done["dispute_status"], done["disputed_by"], done["dispute_resolved_by"]) == (
        "overturned", "lin", "ana",
    )  # fmt: skip
    assert done["dispute_resolution"] == "She did ask."
    assert by[other]["dispute_status"] == "pending" and by[other]["dispute_reason"] == "Not fair."
    assert by[other]["human_result"] == ""
    quiet = [r for cid, r in by.items() if cid not in ("anything_else", other)]
    assert quiet and all(r["dispute_status"] == "" and r["human_by"] == "" for r in quiet)
    assert all(r["acknowledged_by"] == "lin" and r["acknowledged_at"] for r in latest)


def test_an_export_without_reviews_has_empty_review_keys(tmp_path: Path) -> None:
    db = scored(tmp_path)
    data = json.loads(_export(db, "json"))
    item = data["interactions"][0]
    assert item["acknowledgements"] == [] and item["disputes"] == []
    assert data["dispute_counts"]["raised"] == 0
    rows = list(csv.DictReader(io.StringIO(_export(db, "csv"))))
    assert all(not any(r[k] for k in REVIEW_CSV) for r in rows)
