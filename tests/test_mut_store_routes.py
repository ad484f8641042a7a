"""The store's newer writes pinned value by value: routing rows (redacted evidence, JSON
columns, one row per interaction) and the identifier hashes kept before redaction masks a
customer's addresses and phone numbers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from qa.journeys.identity import hash_value
from qa.model import Interaction, Turn
from qa.redact import RedactionPolicy
from qa.store import Store
from tests.test_mut_store import CARD, rows


def route(ident: str = "c1", **fields: Any) -> dict[str, Any]:
    return {
        "interaction_id": ident,
        "work_type": "sales",
        "work_type_confidence": 0.75,
        "work_type_source": "rule",
        "rule": "sales calls",
        "rule_line": 4,
        "undecided": 0,
        "route_key": "k1",
        **fields,
    }


def test_a_route_is_stored_with_redacted_evidence_and_json_columns(tmp_path: Path) -> None:
    store = Store(tmp_path / "qa.db", RedactionPolicy(emails=True))
    evidence = [
        {"turn": 1, "quote": f"card {CARD}, mail sam@example.com"},
        {"turn": 2, "quote": None},
        {"turn": 3},
    ]
    cards = [{"name": "sales", "hash": "h1"}]
    store.save_routes([route(evidence=evidence, scorecards=cards)])
    [row] = rows(store, "SELECT * FROM routings")
    assert row["created_at"][:2] == "20" and row["created_at"].endswith("+00:00")
    assert {k: v for k, v in row.items() if k != "created_at" and v is not None} == {
        **route(),  # every plain column as given
        "evidence": '[{"quote": "card [CARD], mail [EMAIL]", "turn": 1}, '
        '{"quote": "", "turn": 2}, {"quote": "", "turn": 3}]',
        "scorecards": '[{"hash": "h1", "name": "sales"}]',
    }
    store.close()


def test_a_route_without_evidence_or_scorecards_stores_empty_lists(store: Store) -> None:
    store.save_routes([route("c1", evidence=None), route("c2", work_type="service")])
    got = rows(store, "SELECT interaction_id, work_type, evidence, scorecards FROM routings")
    assert sorted(
        (r["interaction_id"], r["work_type"], r["evidence"], r["scorecards"]) for r in got
    ) == [
        ("c1", "sales", "[]", "[]"),
        ("c2", "service", "[]", "[]"),
    ]


def test_a_new_route_replaces_the_interactions_last(store: Store) -> None:
    store.save_routes([route(work_type="sales")])
    store.save_routes([route(work_type="service", rule_line=9)])
    got = rows(store, "SELECT interaction_id, work_type, rule_line FROM routings")
    assert got == [{"interaction_id": "c1", "work_type": "service", "rule_line": 9}]


def contact(customer: str | None, sender: str | None, phone: str | None) -> Interaction:
    return Interaction(
        id="e1",
        channel="email",
        source="/in/e1.eml",
        turns=[
            Turn("customer", "hello", 0.0, 0.0, speaker=sender),
            Turn("agent", "hi", 5.0, 5.0, speaker="agent@northwind.example"),
        ],
        customer_id=customer,
        metadata={"phone": phone, "n": 1} if phone else {"n": 1},
    )


def stored_metadata(tmp_path: Path, policy: RedactionPolicy, item: Interaction) -> Any:
    store = Store(tmp_path / "qa.db", policy)
    store.save_interactions([item])
    [row] = rows(store, "SELECT metadata FROM interactions")
    store.close()
    return json.loads(row["metadata"])


ANN = hash_value("ann@example.com")
BOB = hash_value("bob@example.org")
PHONE = hash_value("7700900512")


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        # Nothing masked: the metadata as given, no hashes.
        (RedactionPolicy(), {"phone": "07700 900512", "n": 1}),
        (RedactionPolicy(national_ids=True), {"phone": "07700 900512", "n": 1}),
        # Addresses masked: the customer's id and the customer's senders hashed, not the agent's.
        (
            RedactionPolicy(emails=True),
            {"phone": "07700 900512", "n": 1, "identifier_hashes": {"email": sorted([ANN, BOB])}},
        ),
        (
            RedactionPolicy(phones=True),
            {"phone": "[PHONE]", "n": 1, "identifier_hashes": {"phone": [PHONE]}},
        ),
        (
            RedactionPolicy(emails=True, phones=True),
            {
                "phone": "[PHONE]",
                "n": 1,
                "identifier_hashes": {"email": sorted([ANN, BOB]), "phone": [PHONE]},
            },
        ),
    ],
)
def test_identifier_hashes_are_kept_for_what_redaction_masks(
    tmp_path: Path, policy: RedactionPolicy, expected: dict[str, Any]
) -> None:
    item = contact("Ann@Example.com", "Bob <bob@example.org>", "07700 900512")
    assert stored_metadata(tmp_path, policy, item) == expected


def test_no_identifier_to_hash_leaves_the_metadata_as_given(tmp_path: Path) -> None:
    item = contact("cu1", "bob", None)
    assert stored_metadata(tmp_path, RedactionPolicy(emails=True, phones=True), item) == {"n": 1}
