"""The scoring stage's writes pinned where the other scoring pins leave room: the card as
stored (its text and its JSON definition), scoring in this process unless workers are asked
for, and an interaction rewritten by another run while this one scored it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from qa import scoring
from qa.engine import engine_settings, engine_stamp
from qa.matching import Matcher
from qa.model import Evidence, Flag, Interaction, Turn, Word
from qa.scorecard.context import Context, Outcome
from qa.scorecard.engine import EVALUATORS, score_interaction, semantic_specs
from qa.scoring import score_interactions
from qa.store import Store
from qa.store.connection import to_json
from qa.voice.verify import Verifier
from tests.test_mut_scoring import chat, loaded


def test_the_card_is_stored_with_its_text_and_its_json_definition(store: Store) -> None:
    """A float setting left at an integer default (script reading's 165 words a minute) is
    stored as JSON gives it, 165.0, as the card's other numbers are."""
    card = loaded(
        [
            {"id": "greet", "points": 2},
            {"id": "read", "type": "script_reading.v1", "script": ["Thank you for calling."]},
        ],
        pass_mark=75,
    )
    report = score_interactions(store, [], card, Matcher())
    assert report.scored == 0
    [row] = list(store.db.query("SELECT hash, name, yaml, definition FROM scorecards"))
    assert (row["hash"], row["name"], row["yaml"]) == (card.hash, "Test card", card.text)
    assert row["definition"] == to_json(card.scorecard.model_dump(mode="json"))
    definition = json.loads(row["definition"])
    assert definition["pass_mark"] == 75.0
    [read] = [c for s in definition["sections"] for c in s["criteria"] if c["id"] == "read"]
    assert read["fast_wpm"] == 165.0
    assert '"fast_wpm": 165.0' in row["definition"]


def test_interactions_are_scored_in_this_process_by_default(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without `workers`, no pool is asked for, however many interactions there are."""
    pooled: list[int] = []

    def in_pool(job: Any, workers: int) -> Any:
        pooled.append(workers)
        return scoring._scorings(job, job.items)

    monkeypatch.setattr(scoring, "_in_pool", in_pool)
    items = [chat(f"c{k}") for k in range(3)]
    store.save_interactions(items)
    card = loaded([{"id": "greet", "phrases": ["hello"]}])
    report = score_interactions(store, items, card, Matcher())
    assert pooled == [] and report.scored == 3
    # No campaigns, no second reading: nothing recorded of one, here or in the store.
    assert [i.metadata for i in items] == [{}, {}, {}]
    assert [i.metadata.get("verification") for i in store.load_interactions()] == [None] * 3
    report = score_interactions(store, items, card, Matcher(), workers=2)
    assert pooled == [2] and report.scored == 3
    # The engine that scored, kept once with its settings.
    [row] = list(store.db.query("SELECT stamp, settings FROM engines"))
    assert (row["stamp"], row["settings"]) == (
        report.engine,
        to_json(engine_settings(Matcher().settings())),
    )
    assert report.engine == engine_stamp(engine_settings(Matcher().settings()))


@pytest.mark.parametrize("save_every", [1, 200])
def test_an_interaction_rewritten_since_it_was_loaded_is_not_written(
    store: Store, monkeypatch: pytest.MonkeyPatch, save_every: int
) -> None:
    """Another run grew the thread while this one scored the old one: the old evaluation is
    counted in the report but not written over the new content, whether it is saved with a
    full batch or with the rest at the end; what is written names the engine."""
    monkeypatch.setattr(scoring, "SAVE_EVERY", save_every)
    store.save_interactions([chat("c1"), chat("c2")])
    old, kept = store.load_interactions(["c1", "c2"])
    assert old.content is not None
    grown = [*old.turns, Turn("customer", "And my address changed too.", 60.0)]
    store.save_interactions([chat("c1", turns=grown)])
    card = loaded([{"id": "greet", "phrases": ["hello"]}])
    report = score_interactions(store, [old, kept], card, Matcher())
    assert report.scored == 2 and sorted(report.evaluations) == ["c1", "c2"]
    rows = list(store.db.query("SELECT interaction_id, content, engine FROM evaluations"))
    assert [tuple(r.values()) for r in rows] == [("c2", kept.content, report.engine)]
    assert report.engine is not None


def test_the_scored_interactions_carry_the_second_readings_record(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a second reading removed is kept on each interaction handed in, as in the store,
    and the flags it kept are counted over every interaction."""
    said = [Evidence(1, "agent", 0.0, 0.0, "Hello, sorry.")]
    flags = [
        Flag("forbidden_claim", "high", "spring", fact, "said a wrong figure", evidence=said)
        for fact in ("price", "term", "fee")
    ]
    monkeypatch.setattr(scoring, "check_interaction", lambda item, *a, **k: list(flags))
    record = [{"kind": "forbidden_claim", "removed": True}]
    keeps = {"c1": 2, "c2": 1}

    def second_reading(item: Interaction, found: list[Flag], check: Any, verifier: Any) -> Any:
        item.metadata["verification"] = list(record)
        return found[: keeps[item.id]]

    monkeypatch.setattr(scoring, "verify_flags", second_reading)
    items = [chat("c1"), chat("c2")]
    store.save_interactions(items)
    card = loaded([{"id": "greet", "phrases": ["hello"]}])
    report = score_interactions(store, items, card, Matcher(), campaigns=[], verifier=Verifier())
    assert [i.metadata for i in items] == [{"verification": record}, {"verification": record}]
    assert {i.id: i.metadata.get("verification") for i in store.load_interactions()} == {
        "c1": record,
        "c2": record,
    }
    assert (report.scored, report.flags) == (2, 3)
    assert {k: [f.fact for f in v or []] for k, v in report.flags_by_id.items()} == {
        "c1": ["price", "term"],
        "c2": ["price"],
    }


def test_a_scorer_that_loses_an_interaction_stops_the_run(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Results are matched to interactions one for one: one missing is an error, not an
    interaction silently left unscored."""
    real = scoring._scorings
    monkeypatch.setattr(scoring, "_scorings", lambda job, items: real(job, items[:-1]))
    items = [chat("c1"), chat("c2")]
    store.save_interactions(items)
    card = loaded([{"id": "greet", "phrases": ["hello"]}])
    with pytest.raises(ValueError, match="zip"):
        score_interactions(store, items, card, Matcher())


def test_campaigns_are_checked_with_the_runs_matcher_and_site(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first check and the second reading's check of the words decoded again are the
    same check: the run's campaigns, matcher and site time zone."""
    seen: list[tuple[Any, ...]] = []
    flag = Flag("forbidden_claim", "high", "spring", "price", "said a wrong price")

    def check(item: Interaction, campaigns: Any, matcher: Any, site_tz: Any) -> list[Flag]:
        seen.append((item.id, campaigns, matcher, site_tz))
        return [flag]

    def second_reading(item: Interaction, found: list[Flag], again: Any, verifier: Any) -> Any:
        return again(item)

    monkeypatch.setattr(scoring, "check_interaction", check)
    monkeypatch.setattr(scoring, "verify_flags", second_reading)
    items = [chat("c1")]
    store.save_interactions(items)
    matcher = Matcher()
    card = loaded([{"id": "greet", "phrases": ["hello"]}])
    report = score_interactions(
        store, items, card, matcher, campaigns=[], site_tz="Asia/Tokyo", verifier=Verifier()
    )
    assert seen == [("c1", [], matcher, "Asia/Tokyo")] * 2
    assert report.flags_by_id == {"c1": [flag]}


def test_each_interaction_is_scored_with_its_metrics_flags_and_campaigns(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Metrics stored at ingest reach the criteria with those measured now over them; the
    flags that stand and the campaigns checked go with them."""
    given: list[tuple[Any, ...]] = []
    real = scoring.score_interaction

    def score(item: Interaction, card: Any, matcher: Any, *rest: Any) -> Any:
        given.append((item.id, *rest))
        return real(item, card, matcher, *rest)

    monkeypatch.setattr(scoring, "score_interaction", score)
    monkeypatch.setattr(scoring, "check_interaction", lambda *a, **k: [])
    item = chat("c1", metadata={"metrics": {"wpm_agent": 150.0, "turns": 9}})
    store.save_interactions([item])
    card = loaded(
        [
            {"id": "greet", "phrases": ["hello"]},
            {"id": "pace", "type": "metric.v1", "metric": "wpm_agent", "max": 160},
        ]
    )
    campaigns: list[Any] = []
    report = score_interactions(store, [item], card, Matcher(), campaigns=campaigns)
    [(ident, metrics, flags, checked)] = given
    assert (ident, flags, checked) == ("c1", [], [])
    assert checked is campaigns
    assert metrics == {
        "wpm_agent": 150.0,
        "first_response": 30.0,
        "response_avg": 30.0,
        "response_longest": 30.0,
        "handle_time": 30.0,
        "talk_ratio": 0.5,
        "turns": 2,
    }
    pace = report.evaluations["c1"].criteria[1]
    assert (pace.result, pace.note) == ("pass", "wpm_agent = 150 (wanted ≤ 160)")


def test_a_critical_failure_still_fails_a_call_whose_other_result_waits_for_review(
    store: Store,
) -> None:
    """A result decided on words heard with low confidence goes to review and the totals are
    worked out again: with the card's critical criteria, so a critical failure still fails."""
    heard = [Word(0.0, 0.5, "good", 0.3), Word(0.5, 1.0, "day", 0.3)]
    clear = [Word(1.0, 1.5, "thanks", 0.95)]
    turns = [
        Turn("agent", "good day", 0.0, 1.0, words=heard),
        Turn("customer", "thanks", 1.0, 1.5, words=clear),
    ]
    call = chat("v1", channel="voice", turns=turns)
    store.save_interactions([call])
    card = loaded(
        [
            {"id": "greet", "phrases": ["good"], "points": 3},
            {
                "id": "thanked",
                "phrases": ["goodbye"],
                "speaker": "customer",
                "points": 1,
                "critical": True,
            },
        ],
        channels=["voice"],
    )
    report = score_interactions(store, [call], card, Matcher())
    ev = report.evaluations["v1"]
    assert [(r.id, r.result) for r in ev.criteria] == [("greet", "review"), ("thanked", "fail")]
    assert (ev.total, ev.max, ev.percent, ev.auto_fail, ev.passed) == (0.0, 1.0, 0.0, True, False)


class ExpectingMatcher(Matcher):
    def __init__(self) -> None:
        super().__init__()
        self.expected: list[list[str]] = []

    def expect(self, sentences_: list[str]) -> None:
        self.expected.append(list(sentences_))
        super().expect(sentences_)


def test_the_sentences_acts_may_be_read_from_are_expected_a_part_at_a_time(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every sentence but an identifier alone: the first interaction's, and the rest of
    PREFETCH; no act asked for in the first, the rest again, then the next PREFETCH."""
    monkeypatch.setattr(scoring, "PREFETCH", 3)
    items = [
        chat(f"c{k}", turns=[Turn("customer", f"Line {k} here. 4417."), Turn("agent", "Sure.")])
        for k in range(5)
    ]
    store.save_interactions(items)
    matcher = ExpectingMatcher()
    score_interactions(store, items, loaded([{"id": "greet", "phrases": ["sure"]}]), matcher)
    assert matcher.expected == [
        ["Line 0 here.", "Sure."],
        ["Line 1 here.", "Sure.", "Line 2 here.", "Sure."],
        ["Line 1 here.", "Sure.", "Line 2 here.", "Sure."],
        ["Line 3 here.", "Sure.", "Line 4 here.", "Sure."],
    ]
    assert not matcher.expected_asked


def sem(speaker: str) -> dict[str, Any]:
    return {"phrases": ["s"], "match": "semantic", "speaker": speaker}


@pytest.mark.parametrize(
    ("criterion", "specs"),
    [
        ({"type": "needs_discovery.v1", "pitch": sem("any")}, [("any", None)]),
        ({"type": "needs_discovery.v1", "pitch": {"phrases": ["Max"]}}, []),
        (
            {
                "type": "upsell_timing.v1",
                "pitch": sem("customer"),
                "complaint": sem("any"),
                "resolution": sem("agent"),
            },
            [("customer", None), ("any", None), ("agent", None)],
        ),
        (
            {"type": "upsell_timing.v1", "pitch": {"phrases": ["Max"]}, "resolution": sem("any")},
            [("any", None)],
        ),
        (
            {"type": "retention.v1", "churn": sem("customer"), "save": sem("any")},
            [("customer", None), ("any", None)],
        ),
        ({"type": "retention.v1", "save": sem("customer")}, [("customer", None)]),
        ({"type": "retention.v1"}, []),
        (
            {
                "type": "product_explanation.v1",
                "key_points": [
                    {"id": "a", "phrases": ["s"], "match": "semantic"},
                    {"id": "b", "phrases": ["s"], "match": "fuzzy"},
                    {"id": "c", "phrases": ["s"], "match": "semantic"},
                ],
            },
            [("agent", None), ("agent", None)],
        ),
    ],
)
def test_semantic_specs_of_every_step_with_phrases(
    criterion: dict[str, Any], specs: list[tuple[str, None]]
) -> None:
    """Each step of a criterion whose phrases are matched by meaning: whose turns it
    searches (the step's speaker), with no window, in the order of the steps."""
    [(_, c)] = loaded([{"id": "c", **criterion}]).scorecard.criteria()
    assert semantic_specs(c) == specs


@pytest.mark.parametrize("reader", ["ngrams", "model", "both", None])
def test_the_cards_reader_reaches_the_criteria(
    monkeypatch: pytest.MonkeyPatch, reader: str | None
) -> None:
    """Who reads a Chinese card's semantic phrases is the card's choice, as written."""
    seen: list[str | None] = []

    def reads(c: Any, ctx: Context) -> Outcome:
        seen.append(ctx.reader)
        return Outcome("pass")

    monkeypatch.setitem(EVALUATORS, "phrase.v1", reads)
    extra = {"reader": reader} if reader is not None else {}
    score_interaction(chat(), loaded([{"id": "a"}], language="zh", **extra), Matcher())
    assert seen == [reader]


def test_a_calls_flags_stand_unread_again_without_a_verifier(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scoring with campaigns but no second reader (a caller of score_interactions that
    gives none): the call's flags stand as the check found them, and nothing is recorded."""
    flag = Flag("forbidden_claim", "high", "spring", "price", "said a wrong price")
    monkeypatch.setattr(scoring, "check_interaction", lambda *a, **k: [flag])
    call = chat("v1", channel="voice", turns=[Turn("agent", "good day", 0.0, 1.0)])
    store.save_interactions([call])
    card = loaded([{"id": "greet", "phrases": ["good"]}], channels=["voice"])
    report = score_interactions(store, [call], card, Matcher(), campaigns=[])
    assert report.flags_by_id == {"v1": [flag]}
    assert (report.flags, report.verification, call.metadata) == (1, None, {})
