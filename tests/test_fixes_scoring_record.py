"""A re-score replaces the record of an earlier scoring's second reading (the flags it
removed, which the report lists beside the call), whether or not it reads the call again:
a call that no longer raises a flag, or is scored without a second reader or campaigns,
kept the old record, and the report showed flags removed from a scoring long replaced."""

from __future__ import annotations

from typing import Any

import pytest

from qa import scoring
from qa.matching import Matcher
from qa.model import Evidence, Flag, Turn
from qa.scoring import score_interactions
from qa.store import Store
from qa.voice.verify import Verifier, VerifySettings
from tests.test_mut_scoring import chat, loaded

EARLIER = [{"kind": "forbidden_claim", "fact": "price", "removed": True, "readings": []}]
SAID = [Evidence(0, "agent", 0.0, 1.0, "good day")]
FLAG = Flag("forbidden_claim", "high", "spring", "price", "said a wrong price", evidence=SAID)


@pytest.mark.parametrize(
    ("raised", "campaigns", "verifier"),
    [
        ([], [], Verifier()),  # no flag now: nothing to read again
        ([FLAG], [], None),  # no second reader this time
        ([FLAG], [], Verifier(VerifySettings(enabled=False))),  # second readings switched off
        ([FLAG], None, Verifier()),  # campaigns not checked
        ([FLAG], [], Verifier()),  # read again (no recording to hear): nothing removed
    ],
)
def test_a_rescore_replaces_the_earlier_second_readings_record(
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    raised: list[Flag],
    campaigns: list[Any] | None,
    verifier: Verifier | None,
) -> None:
    monkeypatch.setattr(scoring, "check_interaction", lambda *a, **k: list(raised))
    call = chat("v1", channel="voice", turns=[Turn("agent", "good day", 0.0, 1.0)])
    store.save_interactions([call])
    store.set_metadata("v1", "verification", EARLIER)
    [stored] = store.load_interactions(["v1"])
    assert stored.metadata["verification"] == EARLIER
    card = loaded([{"id": "greet", "phrases": ["good"]}], channels=["voice"])
    score_interactions(store, [stored], card, Matcher(), campaigns=campaigns, verifier=verifier)
    assert stored.metadata["verification"] == []
    [again] = store.load_interactions(["v1"])
    assert again.metadata.get("verification") == []


def test_a_call_never_read_again_records_nothing(store: Store) -> None:
    call = chat("v1", channel="voice", turns=[Turn("agent", "good day", 0.0, 1.0)])
    store.save_interactions([call])
    card = loaded([{"id": "greet", "phrases": ["good"]}], channels=["voice"])
    score_interactions(store, [call], card, Matcher(), campaigns=[], verifier=Verifier())
    assert "verification" not in call.metadata
    [again] = store.load_interactions(["v1"])
    assert "verification" not in again.metadata
