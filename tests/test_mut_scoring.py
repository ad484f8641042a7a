"""The scoring arithmetic and the scoring stage pinned value by value: points, N/A out of the
maximum, fractions, rounding, critical auto-fail, the pass mark at its boundary, the N/A
rules, batching, and what a rescore reports as changed.

Criterion verdicts come from a fake evaluator here, so that the engine's arithmetic is
tested apart from the criterion types (which have tests of their own)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from qa import scoring
from qa.campaigns.schema import load_campaigns
from qa.config import Config, VoiceConfig
from qa.errors import ConfigError
from qa.executors.local import Sequential
from qa.matching import Matcher
from qa.model import Agent, Evidence, Interaction, Turn, Word
from qa.routing.rules import Routing, load_routing
from qa.scorecard.context import Context, Outcome
from qa.scorecard.engine import (
    EVALUATORS,
    evaluate_criterion,
    score_interaction,
    semantic_sentences,
    semantic_specs,
)
from qa.scorecard.load import LoadedScorecard
from qa.scorecard.schema import Scorecard
from qa.scoring import (
    Change,
    Comparison,
    ScoreReport,
    _under,
    campaigns_key,
    rescore,
    score_interactions,
    score_paths,
    stored_campaigns,
)
from qa.store import Store, content_id
from qa.voice.batch import TranscribeReport
from qa.voice.pipeline import VoiceSettings
from tests.conftest import ROOT, write_chat_json
from tests.test_voice_unit import FakeTranscriber, stereo_file


def loaded(criteria: list[dict[str, Any]], pass_mark: float = 80, **extra: Any) -> LoadedScorecard:
    sections: dict[str, list[dict[str, Any]]] = {}
    for c in criteria:
        c = dict(c)
        if c.setdefault("type", "phrase.v1") == "phrase.v1":
            c = {"phrases": ["x"], "match": "exact", **c}
        sections.setdefault(c.pop("section", "main"), []).append(c)
    raw = {
        "name": "Test card",
        "pass_mark": pass_mark,
        "sections": [{"id": s, "criteria": cs} for s, cs in sections.items()],
        **extra,
    }
    text = json.dumps(raw, sort_keys=True)
    return LoadedScorecard(Scorecard.model_validate(raw), content_id(text), text, Path("t.yaml"))


def chat(ident: str = "c1", agent: str | None = "ann", **fields: Any) -> Interaction:
    return Interaction(
        id=ident,
        channel=fields.pop("channel", "chat"),
        source=fields.pop("source", f"/in/{ident}.json"),
        agent=Agent(agent) if agent else None,
        turns=fields.pop(
            "turns",
            [Turn("customer", "Hi, my bill is wrong.", 0.0), Turn("agent", "Hello, sorry.", 30.0)],
        ),
        **fields,
    )


@pytest.fixture
def verdicts(monkeypatch: pytest.MonkeyPatch) -> dict[str, Outcome]:
    """criterion id -> the outcome the fake evaluator gives."""
    given: dict[str, Outcome] = {}
    monkeypatch.setitem(EVALUATORS, "phrase.v1", lambda c, ctx: given[c.id])
    return given


def test_totals_points_na_and_fractions(verdicts: dict[str, Outcome]) -> None:
    ev_a = [Evidence(1, "agent", 30.0, 30.0, "Hello")]
    verdicts.update(
        a=Outcome("pass", ev_a, 0.876, note="n", details={"d": 1}),
        b=Outcome("fail", confidence=0.5),
        c=Outcome("na", confidence=0.3, note="not here"),
        d=Outcome("fail", fraction=0.5),
        e=Outcome("pass", fraction=0.25),
    )
    card = loaded(
        [
            {"id": "a", "points": 5, "section": "open"},
            {"id": "b", "points": 10},
            {"id": "c", "points": 20},
            {"id": "d", "points": 4},
            {"id": "e", "weight": 3},
        ]
    )
    ev = score_interaction(chat(), card, Matcher())
    got = {r.id: (r.result, r.points, r.max_points, r.confidence) for r in ev.criteria}
    assert got == {
        "a": ("pass", 5.0, 5.0, 0.88),
        "b": ("fail", 0.0, 10.0, 0.5),
        "c": ("na", 0.0, 0.0, 1.0),  # N/A is out of the maximum, and certain
        "d": ("fail", 2.0, 4.0, 0.9),
        "e": ("pass", 0.75, 3.0, 0.9),
    }
    assert (ev.total, ev.max, ev.percent) == (7.75, 22.0, 35.2)
    assert (ev.auto_fail, ev.passed) == (False, False)
    assert (ev.scorecard_name, ev.scorecard_hash) == ("Test card", card.hash)
    first = ev.criteria[0]
    assert (first.section, first.type, first.evidence) == ("open", "phrase.v1", ev_a)
    assert (first.note, first.details) == ("n", {"d": 1})
    assert [r.section for r in ev.criteria] == ["open", "main", "main", "main", "main"]
    assert ev.criteria[2].note == "not here"


def test_a_criterion_with_no_points_or_weight_is_worth_one(verdicts: dict[str, Outcome]) -> None:
    verdicts.update(a=Outcome("pass"), b=Outcome("fail"))
    ev = score_interaction(chat(), loaded([{"id": "a"}, {"id": "b"}]), Matcher())
    assert (ev.total, ev.max, ev.percent) == (1.0, 2.0, 50.0)


def test_points_round_to_two_places(verdicts: dict[str, Outcome]) -> None:
    verdicts.update(a=Outcome("pass", fraction=1 / 3), b=Outcome("pass", fraction=2 / 3))
    ev = score_interaction(
        chat(), loaded([{"id": "a", "points": 7}, {"id": "b", "points": 1}]), Matcher()
    )
    assert [r.points for r in ev.criteria] == [2.33, 0.67]
    assert ev.total == 3.0
    assert ev.percent == 37.5


@pytest.mark.parametrize(
    ("pass_mark", "passed"),
    [(75.0, True), (74.9, True), (75.1, False), (0.0, True), (100.0, False)],
)
def test_pass_mark_boundary(verdicts: dict[str, Outcome], pass_mark: float, passed: bool) -> None:
    verdicts.update(a=Outcome("pass"), b=Outcome("fail"))
    card = loaded([{"id": "a", "points": 3}, {"id": "b", "points": 1}], pass_mark=pass_mark)
    ev = score_interaction(chat(), card, Matcher())
    assert ev.percent == 75.0
    assert ev.passed is passed


def test_percent_rounds_to_one_place(verdicts: dict[str, Outcome]) -> None:
    verdicts.update(a=Outcome("pass"), b=Outcome("fail"))
    card = loaded([{"id": "a", "points": 2}, {"id": "b", "points": 1}], pass_mark=66.7)
    ev = score_interaction(chat(), card, Matcher())
    assert ev.percent == 66.7
    assert ev.passed is True


def test_a_critical_failure_fails_the_evaluation(verdicts: dict[str, Outcome]) -> None:
    verdicts.update(a=Outcome("pass"), b=Outcome("fail"), c=Outcome("pass"))
    card = loaded(
        [{"id": "a", "points": 9}, {"id": "b", "points": 1, "critical": True}, {"id": "c"}],
        pass_mark=10,
    )
    ev = score_interaction(chat(), card, Matcher())
    assert ev.auto_fail is True
    assert ev.percent == 0.0
    assert ev.passed is False
    assert (ev.total, ev.max) == (10.0, 11.0)  # points are still shown


def test_a_critical_criterion_that_passes_or_is_na_does_not_fail(
    verdicts: dict[str, Outcome],
) -> None:
    verdicts.update(a=Outcome("pass"), b=Outcome("na"), c=Outcome("fail"))
    card = loaded(
        [
            {"id": "a", "critical": True, "points": 4},
            {"id": "b", "critical": True},
            {"id": "c", "points": 1},
        ],
        pass_mark=80,
    )
    ev = score_interaction(chat(), card, Matcher())
    assert ev.auto_fail is False
    assert ev.percent == 80.0
    assert ev.passed is True


def test_all_na_scores_zero(verdicts: dict[str, Outcome]) -> None:
    verdicts.update(a=Outcome("na"))
    ev = score_interaction(chat(), loaded([{"id": "a", "points": 5}], pass_mark=0), Matcher())
    assert (ev.total, ev.max, ev.percent, ev.auto_fail) == (0.0, 0.0, 0.0, False)


def ctx_for(item: Interaction) -> Context:
    return Context(item, Matcher())


def criterion(card: LoadedScorecard, ident: str) -> Any:
    return next(c for _, c in card.scorecard.criteria() if c.id == ident)


def test_channels_decide_na(verdicts: dict[str, Outcome]) -> None:
    verdicts.update(a=Outcome("pass"), b=Outcome("pass"))
    card = loaded([{"id": "a"}, {"id": "b", "channels": ["email"]}], channels=["chat", "email"])
    out = evaluate_criterion(criterion(card, "b"), ctx_for(chat()), ["chat", "email"])
    assert (out.result, out.note) == ("na", "not scored on chat")
    out = evaluate_criterion(criterion(card, "a"), ctx_for(chat()), ["chat", "email"])
    assert out.result == "pass"
    out = evaluate_criterion(criterion(card, "a"), ctx_for(chat(channel="voice")), ["chat"])
    assert (out.result, out.note) == ("na", "not scored on voice")
    out = evaluate_criterion(criterion(card, "b"), ctx_for(chat(channel="email")), ["chat"])
    assert out.result == "pass"  # the criterion's channels win over the card's
    ev = score_interaction(chat(), loaded([{"id": "a"}], channels=["voice"]), Matcher())
    assert ev.criteria[0].result == "na"


def test_no_transcript_is_na(verdicts: dict[str, Outcome]) -> None:
    verdicts.update(a=Outcome("pass"))
    card = loaded([{"id": "a"}])
    out = evaluate_criterion(criterion(card, "a"), ctx_for(chat(turns=[])), ["chat"])
    assert (out.result, out.note) == ("na", "no transcript")


def condition_card(**when: Any) -> Any:
    return criterion(loaded([{"id": "a", "applies_when": when}]), "a")


def test_applies_when_direction_campaign_and_turns(verdicts: dict[str, Outcome]) -> None:
    verdicts.update(a=Outcome("pass"))

    def result(c: Any, item: Interaction) -> tuple[str, str | None]:
        out = evaluate_criterion(c, ctx_for(item), ["chat"])
        return out.result, out.note

    inbound = condition_card(direction="inbound")
    assert result(inbound, chat(direction="inbound")) == ("pass", None)
    assert result(inbound, chat(direction="outbound")) == ("na", "only for inbound interactions")
    assert result(inbound, chat()) == ("na", "only for inbound interactions")
    spring = condition_card(campaign="Spring")
    assert result(spring, chat(campaign="SPRING")) == ("pass", None)
    assert result(spring, chat(campaign="Autumn")) == ("na", "only for campaign Spring")
    assert result(spring, chat()) == ("na", "only for campaign Spring")
    turns = condition_card(min_turns=2)
    assert result(turns, chat()) == ("pass", None)  # exactly two
    three = condition_card(min_turns=3)
    assert result(three, chat()) == ("na", "only with at least 3 turns")
    zero = condition_card(min_turns=0)
    assert result(zero, chat(turns=[Turn("agent", "x")])) == ("pass", None)
    both = condition_card(direction="inbound", campaign="Spring")
    assert result(both, chat(direction="inbound", campaign="Autumn"))[0] == "na"
    assert result(both, chat(direction="inbound", campaign="spring")) == ("pass", None)


def test_applies_when_mentions_by_whom(verdicts: dict[str, Outcome]) -> None:
    verdicts.update(a=Outcome("pass"))

    def result(c: Any) -> tuple[str, str | None]:
        out = evaluate_criterion(c, ctx_for(chat()), ["chat"])
        return out.result, out.note

    bill = {"phrases": ["my bill"], "match": "exact"}
    sorry = {"phrases": ["sorry"], "match": "exact"}
    assert result(condition_card(customer_mentions=bill)) == ("pass", None)
    # Said by the customer, so the agent never raised it, whatever speaker the phrases name.
    assert result(condition_card(agent_mentions={**bill, "speaker": "customer"})) == (
        "na",
        "the agent never raised it",
    )
    assert result(condition_card(customer_mentions={**sorry, "speaker": "agent"})) == (
        "na",
        "the customer never raised it",
    )
    assert result(condition_card(agent_mentions=sorry)) == ("pass", None)
    assert result(condition_card(customer_mentions=bill, agent_mentions=bill))[1] == (
        "the agent never raised it"
    )


def test_semantic_specs_and_sentences() -> None:
    card = loaded(
        [
            {
                "id": "a",
                "match": "semantic",
                "speaker": "customer",
                "window": {"first_turns": 1},
                "phrases": ["problem"],
            },
            {"id": "b", "phrases": ["x"]},
            {
                "id": "c",
                "applies_when": {
                    "customer_mentions": {"phrases": ["p"], "match": "semantic"},
                    "agent_mentions": {"phrases": ["q"], "match": "fuzzy"},
                },
            },
            {
                "id": "d",
                "type": "order.v1",
                "first": {"phrases": ["hi"], "match": "semantic", "speaker": "customer"},
                "then": {"phrases": ["bye"]},
            },
        ]
    )
    specs = {c.id: semantic_specs(c) for _, c in card.scorecard.criteria()}
    assert specs["a"][0][0] == "customer" and specs["a"][0][1].first_turns == 1
    assert specs["b"] == []
    assert specs["c"] == [("any", None)]
    assert specs["d"] == [("customer", None)]
    item = chat(
        turns=[
            Turn("customer", "My bill is wrong. It doubled!", 0.0),
            Turn("agent", "Hello there.", 5.0),
            Turn("customer", "Later words.", 9.0),
        ]
    )
    only_first = loaded(
        [
            {
                "id": "a",
                "match": "semantic",
                "speaker": "customer",
                "window": {"first_turns": 1},
                "phrases": ["p"],
            }
        ]
    )
    assert semantic_sentences(only_first, item) == ["My bill is wrong.", "It doubled!"]
    anyone = loaded(
        [{"id": "c", "applies_when": {"agent_mentions": {"phrases": ["p"], "match": "semantic"}}}]
    )
    assert semantic_sentences(anyone, item) == [
        "My bill is wrong.",
        "It doubled!",
        "Hello there.",
        "Later words.",
    ]
    assert semantic_sentences(loaded([{"id": "b"}]), item) == []


def test_key_points_with_semantic_match_are_embedded() -> None:
    card = loaded(
        [
            {
                "id": "k",
                "type": "product_explanation.v1",
                "key_points": [
                    {"id": "price", "phrases": ["costs"], "match": "semantic"},
                    {"id": "term", "phrases": ["months"], "match": "exact"},
                ],
            }
        ]
    )
    [(_, c)] = card.scorecard.criteria()
    assert semantic_specs(c) == [("agent", None)]


class RecordingMatcher(Matcher):
    def __init__(self) -> None:
        super().__init__()
        self.prefetched: list[list[str]] = []

    def prefetch(self, sentences_: list[str]) -> None:
        self.prefetched.append(sentences_)


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def start(self, total: int, label: str) -> None:
        self.calls.append(("start", (total, label)))

    def advance(self, item: str, amount: int = 1) -> None:
        self.calls.append(("advance", item))

    def finish(self) -> None:
        self.calls.append(("finish", None))


def test_score_interactions_report_batches_and_progress(
    verdicts: dict[str, Outcome], store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    verdicts.update(a=Outcome("pass"))
    card = loaded([{"id": "a", "match": "semantic", "phrases": ["hello"]}])
    items = [chat(f"c{i}", source=f"/in/{i}.json") for i in range(5)]
    items[1].metadata = {"metrics": {"from_ingest": 7, "turns": 99}}
    waiting = chat("v1", channel="voice", turns=[], status="registered", source="/in/v1.wav")
    failed = chat("v2", channel="voice", turns=[], status="failed", source="/in/v2.wav")
    store.save_interactions([*items, waiting, failed])
    monkeypatch.setattr(scoring, "SAVE_EVERY", 2)
    monkeypatch.setattr(scoring, "PREFETCH", 3)
    saved: list[int] = []
    real_save = store.save_evaluations
    monkeypatch.setattr(
        store, "save_evaluations", lambda b, *a: (saved.append(len(b)), real_save(b, *a))
    )
    matcher = RecordingMatcher()
    progress = Recorder()
    report = score_interactions(store, [*items, waiting, failed], card, matcher, progress)
    assert saved == [2, 2, 1]
    # Item 0's sentences at once (the window's and every other); no act read in it: the
    # agent sentences of items 1-2 once it is scored; of 3-4 (v1 has none) when item 2
    # comes (half of PREFETCH ahead); v2 has none: nothing to hand.
    assert [len(p) for p in matcher.prefetched] == [3, 2, 2]
    assert matcher.prefetched[1] == ["Hello, sorry."] * 2
    assert (report.scored, report.already, report.flags) == (5, 0, 0)
    assert report.waiting == ["v1"]
    assert sorted(report.evaluations) == [f"c{i}" for i in range(5)]
    assert report.flags_by_id == {f"c{i}": None for i in range(5)}
    assert progress.calls[0] == ("start", (7, "Scoring"))
    assert progress.calls[1:-1] == [("advance", i.source) for i in [*items, waiting, failed]]
    assert progress.calls[-1] == ("finish", None)
    assert store.count("evaluations") == 5
    [row] = list(store.db.query("SELECT name, hash FROM scorecards"))
    assert (row["name"], row["hash"]) == ("Test card", card.hash)
    meta = json.loads(
        next(iter(store.db.query("SELECT metadata FROM interactions WHERE id = 'c1'")))["metadata"]
    )
    assert meta["metrics"]["from_ingest"] == 7
    assert meta["metrics"]["turns"] == 2  # computed now, over the stored one
    assert report.as_dict() == {
        "scored": 5,
        "already_scored": 0,
        "flags": 0,
        "waiting_for_transcription": 1,
        "failed": 0,
        "failures": [],
        "engine": report.engine,
        "rescored_for_engine": 0,
        "changed_by_engine": {},
    }
    assert report.engine and report.engine.startswith("0.")


def test_no_prefetch_without_semantic_matching(verdicts: dict[str, Outcome], store: Store) -> None:
    verdicts.update(a=Outcome("pass"))
    matcher = RecordingMatcher()
    score_interactions(store, [chat()], loaded([{"id": "a"}]), matcher)
    assert matcher.prefetched == []


def test_checked_against_no_campaigns_is_not_unchecked(
    verdicts: dict[str, Outcome], store: Store
) -> None:
    verdicts.update(a=Outcome("pass"))
    store.save_interactions([chat()])
    report = score_interactions(store, [chat()], loaded([{"id": "a"}]), Matcher(), campaigns=[])
    assert report.flags_by_id == {"c1": []}
    assert campaigns_key([]) == content_id("campaigns", [])
    assert campaigns_key(None) is None
    assert store.evaluated_ids(loaded([{"id": "a"}]).hash, campaigns_key([])) == {"c1"}
    [row] = list(store.db.query("SELECT campaigns_hash FROM evaluations"))
    assert row["campaigns_hash"] == campaigns_key([])


def test_under(tmp_path: Path) -> None:
    root = (tmp_path / "calls").resolve()
    assert _under(str(root), [root])
    assert _under(str(root / "a" / "b.json"), [root])
    assert not _under(str(tmp_path / "calls2" / "b.json"), [root])
    assert not _under(str(tmp_path / "b.json"), [root])
    assert _under(str(tmp_path / "x" / "b.json"), [root, (tmp_path / "x").resolve()])
    assert not _under(str(tmp_path / "b.json"), [])


def exact_card() -> LoadedScorecard:
    return loaded([{"id": "greet", "phrases": ["good"], "points": 2}])


def test_score_paths_scores_only_what_is_under_the_paths(tmp_path: Path, store: Store) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    write_chat_json(one / "a.json", text="Good morning")
    write_chat_json(one / "b.json", agent="bo", text="Hi")
    write_chat_json(two / "c.json", text="Good evening")
    card = exact_card()
    first = score_paths([one], store, Config(), card, Matcher())
    assert (first.scored, first.already) == (2, 0)
    assert first.ingest is not None and len(first.ingest.interaction_ids) == 2
    assert sorted(e.percent for e in first.evaluations.values()) == [0.0, 100.0]
    both = score_paths([one, two], store, Config(), card, Matcher())
    assert (both.scored, both.already) == (1, 2)
    again = score_paths([two], store, Config(), card, Matcher())
    assert (again.scored, again.already) == (0, 1)
    (one / "bad.json").write_text("{", encoding="utf-8")
    failed = score_paths([one], store, Config(), card, Matcher())
    assert [Path(f.source).name for f in failed.failures] == ["bad.json"]
    assert failed.as_dict()["ingest"]["failed"] == 1
    other = loaded([{"id": "greet", "phrases": ["good"], "points": 3}])
    assert score_paths([one, two], store, Config(), other, Matcher()).scored == 3


def test_rescore_reports_what_changed(tmp_path: Path, store: Store) -> None:
    items = [
        chat("c1", turns=[Turn("agent", "good day, thanks", 0.0)]),
        chat("c2", agent=None, turns=[Turn("agent", "hello", 0.0)]),
        chat("c3", agent="bo", turns=[Turn("agent", "good bye", 0.0)]),
        chat("empty", turns=[]),
    ]
    store.save_interactions(items)
    old = loaded(
        [
            {"id": "greet", "phrases": ["good"], "points": 2},
            {"id": "close", "phrases": ["bye"], "points": 1},
            {"id": "same", "phrases": ["good"], "points": 1},
        ]
    )
    new = loaded(
        [
            {"id": "greet", "phrases": ["good"], "points": 4},
            {"id": "thanks", "phrases": ["thanks"], "points": 1},
            {"id": "same", "phrases": ["good"], "points": 1},
        ]
    )
    report, none = rescore(store, old, Matcher())
    assert none is None and report.scored == 3
    report, comparison = rescore(store, new, Matcher(), compare_with=old)
    assert comparison is not None
    assert report.scored == 3 and comparison.interactions == 3
    got = sorted(
        (c.interaction_id, c.agent, c.criterion, c.before, c.after, c.points_before, c.points_after)
        for c in comparison.changes
    )
    assert got == [
        ("c1", "ann", "close", "fail", "absent", 0.0, 0.0),
        ("c1", "ann", "greet", "pass", "pass", 2.0, 4.0),
        ("c1", "ann", "thanks", "absent", "pass", 0.0, 1.0),
        ("c2", None, "close", "fail", "absent", 0.0, 0.0),
        ("c2", None, "thanks", "absent", "fail", 0.0, 0.0),
        ("c3", "bo", "close", "pass", "absent", 1.0, 0.0),
        ("c3", "bo", "greet", "pass", "pass", 2.0, 4.0),
        ("c3", "bo", "thanks", "absent", "fail", 0.0, 0.0),
    ]
    assert comparison.by_criterion() == {"close": 3, "greet": 2, "thanks": 3}
    assert comparison.by_agent() == {"(no agent)": 1, "ann": 1, "bo": 1}
    out = comparison.as_dict()
    assert out["interactions_scored"] == 3
    assert out["interactions_changed"] == 3
    assert list(out["by_criterion"]) == ["close", "greet", "thanks"]
    assert len(out["changes"]) == 8
    assert {"interaction_id", "criterion", "before", "after"} <= set(out["changes"][0])


def test_a_failed_criterion_that_now_passes_is_a_change(tmp_path: Path, store: Store) -> None:
    store.save_interactions([chat("c1", turns=[Turn("agent", "hello", 0.0)])])
    old = loaded([{"id": "greet", "phrases": ["good"]}])
    new = loaded([{"id": "greet", "phrases": ["hello"]}])
    _, comparison = rescore(store, new, Matcher(), compare_with=old)
    assert comparison is not None
    [change] = comparison.changes
    assert (change.before, change.after, change.points_before, change.points_after) == (
        "fail",
        "pass",
        0.0,
        1.0,
    )
    _, same = rescore(store, new, Matcher(), compare_with=new)
    assert same is not None and same.changes == []


def test_comparison_counts_interactions_once_per_agent() -> None:
    changes = [
        Change("i1", "ann", "a", "pass", "fail", 1, 0),
        Change("i1", "ann", "b", "pass", "fail", 1, 0),
        Change("i2", "ann", "a", "pass", "fail", 1, 0),
        Change("i3", None, "a", "fail", "pass", 0, 1),
    ]
    comparison = Comparison(changes, 10)
    assert comparison.by_agent() == {"(no agent)": 1, "ann": 2}
    assert comparison.by_criterion() == {"a": 3, "b": 1}
    assert comparison.as_dict()["interactions_changed"] == 3
    assert comparison.as_dict()["interactions_scored"] == 10


def test_score_report_as_dict_with_ingest() -> None:
    report = ScoreReport(scored=1, already=2, flags=3, waiting=["w"])
    out = report.as_dict()
    assert out == {
        "scored": 1,
        "already_scored": 2,
        "flags": 3,
        "waiting_for_transcription": 1,
        "failed": 0,
        "failures": [],
        "engine": None,
        "rescored_for_engine": 0,
        "changed_by_engine": {},
    }


# --- rescore: the campaigns given, kept or dropped; routing again; the old card now ------

CAMPAIGNS = load_campaigns(ROOT / "scorecards" / "campaigns")
PITCH = "Spring Unlimited is $35 a month."
NY = "America/New_York"
NO_VERIFICATION = {
    "flags_kept": 0,
    "flags_removed": 0,
    "audio_seconds_decoded_again": 0.0,
    "seconds": 0.0,
}


def pitch(ident: str, stamp: str = "2026-06-01T03:30:00Z", **fields: Any) -> Interaction:
    """A pitch of Spring Unlimited: at 03:30 UTC on 1 June, 23:30 on 31 May in New York,
    the offer's last day there and a day late in UTC."""
    return chat(ident, turns=[Turn("agent", PITCH, 0.0)], started_at=stamp, **fields)


@pytest.fixture
def pitching(monkeypatch: pytest.MonkeyPatch) -> None:
    """The act reader reads every sentence as an offer presented (and none as a denial)."""
    import qa.acts

    def classify(texts: list[str], names: list[str], **_: Any) -> list[dict[str, float]]:
        return [{"present_offer": 0.9, "deny_offer": 0.0} for _ in texts]

    monkeypatch.setattr(qa.acts, "classify", classify)


def consistency() -> LoadedScorecard:
    return loaded([{"id": "camp", "type": "campaign_consistency.v1", "kinds": KINDS}])


def flag_kinds(report: ScoreReport, ident: str) -> list[str] | None:
    flags = report.flags_by_id[ident]
    return None if flags is None else sorted(str(f.kind) for f in flags)


KINDS = ["missing_disclosure", "expired_offer"]
ON_TIME = ["missed_key_point", "missed_key_point", "missing_disclosure"]


def test_rescore_checks_the_campaigns_given_on_the_sites_day(store: Store, pitching: None) -> None:
    store.save_interactions([pitch("c1")])
    progress = Recorder()
    report, _ = rescore(
        store, consistency(), Matcher(), progress=progress, campaigns=CAMPAIGNS, site_tz=NY
    )
    assert flag_kinds(report, "c1") == ON_TIME  # not expired_offer: the site's day
    assert report.scored == 1 and report.evaluations["c1"].criteria[0].result == "fail"
    assert report.verification == NO_VERIFICATION  # a verifier of its own
    assert progress.calls == [
        ("start", (1, "Scoring")),
        ("advance", "/in/c1.json"),
        ("finish", None),
    ]
    [row] = list(store.db.query("SELECT campaigns_hash FROM evaluations"))
    assert row["campaigns_hash"] == campaigns_key(CAMPAIGNS)


def test_rescore_keeps_the_campaign_set_each_interaction_was_checked_against(
    store: Store, pitching: None
) -> None:
    checked, unchecked = pitch("c1"), pitch("c2")
    store.save_interactions([checked, unchecked])
    card = consistency()
    score_interactions(store, [checked], card, Matcher(), campaigns=CAMPAIGNS, site_tz=NY)
    score_interactions(store, [unchecked], card, Matcher())
    progress = Recorder()
    report, _ = rescore(store, card, Matcher(), progress=progress, site_tz=NY)
    assert flag_kinds(report, "c1") == ON_TIME
    assert flag_kinds(report, "c2") is None
    assert report.verification == NO_VERIFICATION
    # One group per campaign set: each its own pass.
    assert progress.calls == [
        ("start", (1, "Scoring")),
        ("advance", "/in/c1.json"),
        ("finish", None),
        ("start", (1, "Scoring")),
        ("advance", "/in/c2.json"),
        ("finish", None),
    ]
    dropped, _ = rescore(store, card, Matcher(), keep_campaigns=False)
    assert dropped.flags_by_id == {"c1": None, "c2": None}
    with pytest.raises(ConfigError) as err:
        stored_campaigns(store, "nope")
    assert str(err.value) == "the campaign set nope is not in the database: give --campaigns DIR"
    with pytest.raises(ConfigError) as err:
        rescore(store, None, Matcher())
    assert str(err.value) == "give a scorecard or a routing file"


def test_compare_scores_the_old_card_now_with_the_metrics_flags_and_word_confidence(
    store: Store, pitching: None
) -> None:
    heard = [Word(0.0, 0.5, "good", 0.3), Word(0.5, 1.0, "day", 0.3)]
    items = [
        pitch("c1", "2026-05-31T10:00:00Z", metadata={"metrics": {"silence_total": 50.0}}),
        chat("v1", channel="voice", turns=[Turn("agent", "good day", 0.0, 1.0, words=heard)]),
    ]
    store.save_interactions(items)
    old = loaded(
        [
            {"id": "silence", "type": "metric.v1", "metric": "silence_total", "max": 10},
            {"id": "camp", "type": "campaign_consistency.v1", "kinds": KINDS, "points": 2},
            {"id": "greet", "phrases": ["good"], "points": 3},
            {"id": "thanks", "phrases": ["thank you"], "speaker": "customer", "critical": True},
        ],
        channels=["chat", "voice"],
    )
    new = loaded([{"id": "other", "phrases": ["nothing said"]}], channels=["chat", "voice"])
    _, comparison = rescore(store, new, Matcher(), compare_with=old, campaigns=CAMPAIGNS)
    assert comparison is not None
    got = sorted(
        (c.interaction_id, c.criterion, c.before, c.points_before) for c in comparison.changes
    )
    assert got == [
        ("c1", "camp", "fail", 0.0),  # the flags of this rescore's check
        ("c1", "greet", "fail", 0.0),
        ("c1", "other", "absent", 0.0),
        ("c1", "silence", "fail", 0.0),  # the metric stored at ingest
        ("c1", "thanks", "fail", 0.0),
        # The call names no campaign: the old card is scored with the campaigns checked.
        ("v1", "camp", "na", 0.0),
        # Every other result on the call rests on words heard at 0.3: each waits for a person.
        ("v1", "greet", "review", 0.0),
        ("v1", "other", "absent", 0.0),
        ("v1", "silence", "review", 0.0),
        ("v1", "thanks", "fail", 0.0),  # no words: a failure stands
    ]


def test_compare_reads_the_old_cards_stored_evaluation(store: Store, pitching: None) -> None:
    item = pitch("c1", "2026-05-31T10:00:00Z")
    store.save_interactions([item])
    old = consistency()
    score_interactions(store, [item], old, Matcher(), campaigns=CAMPAIGNS)
    new = loaded([{"id": "greet", "phrases": ["spring"]}])
    # Not checked now: scored now, the old card would say N/A; as stored, it failed.
    _, comparison = rescore(store, new, Matcher(), compare_with=old, keep_campaigns=False)
    assert comparison is not None
    assert [(c.criterion, c.before, c.after) for c in comparison.changes] == [
        ("greet", "absent", "pass"),
        ("camp", "fail", "absent"),
    ]


def two_card_routing(tmp_path: Path) -> Routing:
    """Card a (a criterion for orders only, one for inbound contacts only) and card b for
    every contact but email, which gets card b alone."""

    def card(name: str, criteria: list[dict[str, Any]]) -> None:
        raw = {"name": name, "sections": [{"id": "main", "criteria": criteria}]}
        (tmp_path / f"{name}.yaml").write_text(json.dumps(raw), encoding="utf-8")

    x = {"type": "phrase.v1", "phrases": ["x"], "match": "exact"}
    card(
        "a",
        [
            {"id": "orders", **x, "applies_when": {"work_types": ["inbound_order"]}},
            {"id": "inbound", **x, "applies_when": {"direction": "inbound"}},
        ],
    )
    card("b", [{"id": "any", **x}])
    (tmp_path / "routing.yaml").write_text(
        "rules:\n"
        "  - {id: mail, when: {channel: email}, scorecards: [b.yaml]}\n"
        "default: {scorecards: [a.yaml, b.yaml]}\n",
        encoding="utf-8",
    )
    return load_routing(tmp_path / "routing.yaml")


def test_rescore_routes_again_and_scores_with_every_card_of_the_route(
    tmp_path: Path, store: Store
) -> None:
    routing = two_card_routing(tmp_path)
    complaint = {"work_type": "inbound_complaint"}
    store.save_interactions(
        [chat("c1", metadata=complaint), chat("e1", channel="email", metadata=complaint)]
    )
    report, none = rescore(store, None, Matcher(), routing=routing, campaigns=[])
    assert none is None and report.scored == 3
    names = {
        (r["interaction_id"], r["name"])
        for r in store.db.query(
            "SELECT e.interaction_id, s.name FROM evaluations e"
            " JOIN scorecards s ON s.hash = e.scorecard_hash"
        )
    }
    assert names == {("c1", "a"), ("c1", "b"), ("e1", "b")}
    [a_hash] = [r["hash"] for r in store.db.query("SELECT hash FROM scorecards WHERE name = 'a'")]
    results = store.stored_results(a_hash, ["c1"])["c1"]["criteria"]
    # The routed work type rules the order criterion out; the decided direction lets the
    # inbound one apply.
    assert results == {"orders": ("na", 0.0), "inbound": ("fail", 0.0)}


# --- score_paths: transcription, routing, the verifier, what counts as an engine change ---


class CountingExecutor(Sequential):
    """The sequential executor, counting the batches it is given."""

    def __init__(self, transcriber: Any) -> None:
        super().__init__(transcriber=transcriber)
        self.batches = 0

    def transcribe(self, tasks: list[Any], lookup: Any = None) -> Any:
        self.batches += 1
        yield from super().transcribe(tasks, lookup)


def test_score_paths_transcribes_what_waits_and_verifies_and_reports_it(
    tmp_path: Path, store: Store, pitching: None
) -> None:
    folder = tmp_path / "calls"
    folder.mkdir()
    stereo_file(folder / "call.wav", left=0.5, right=0.3)
    stereo_file(folder / "gone.wav", left=0.6, right=0.2)
    card = loaded([{"id": "greet", "phrases": ["spring"]}], channels=["voice"])
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,started_at\ncall.wav,2026-06-10T10:00:00Z\n", encoding="utf-8")
    progress = Recorder()
    # Without voice settings a recording waits for `qa transcribe`.
    first = score_paths([folder], store, Config(), card, Matcher(), manifest, progress=progress)
    assert (first.scored, len(first.waiting), first.transcription) == (0, 2, None)
    assert progress.calls[:3] == [
        ("start", (2, "Ingesting")),
        ("advance", "call.wav"),
        ("advance", "gone.wav"),
    ]
    (folder / "gone.wav").unlink()
    said = [(0.0, 0.4, "Spring"), (0.4, 0.9, "Unlimited"), (1.0, 1.4, "is"), (1.5, 2.4, "$35")]
    executor = CountingExecutor(FakeTranscriber({5: said}))
    progress = Recorder()
    report = score_paths(
        [folder],
        store,
        Config(voice=VoiceConfig(verify=False)),  # no second reading: no model here
        card,
        Matcher(),
        manifest,
        progress=progress,
        voice=VoiceSettings(),
        campaigns=CAMPAIGNS,
        executor=executor,
    )
    assert executor.batches == 1
    assert report.transcription is not None
    assert report.as_dict()["transcription"] == report.transcription.as_dict()
    assert report.transcription.as_dict()["transcribed"] == 1
    assert [(Path(f.source).name, f.stage) for f in report.failures] == [("gone.wav", "transcribe")]
    assert report.scored == 1
    [flags] = [sorted(str(f.kind) for f in fs or []) for fs in report.flags_by_id.values()]
    assert "expired_offer" in flags  # pitched ten days after the offer ended
    assert report.verification == NO_VERIFICATION  # a verifier, switched off by the config
    labels = [c[1][1] for c in progress.calls if c[0] == "start"]
    assert labels == ["Ingesting", "Transcribing (audio seconds)", "Scoring"]


def test_score_paths_routes_each_contact_and_counts_what_was_scored_before(
    tmp_path: Path, store: Store
) -> None:
    routing = two_card_routing(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    write_chat_json(folder / "a.json")
    (folder / "manifest.csv").write_text("file,work_type\na.json,inbound_complaint\n")
    first = score_paths(
        [folder], store, Config(), None, Matcher(), folder / "manifest.csv", routing=routing
    )
    assert (first.scored, first.already, first.engine_rescored) == (2, 0, [])
    [a_hash] = [r["hash"] for r in store.db.query("SELECT hash FROM scorecards WHERE name = 'a'")]
    [ident] = [r["id"] for r in store.db.query("SELECT id FROM interactions")]
    results = store.stored_results(a_hash, [ident])[ident]["criteria"]
    assert results == {"orders": ("na", 0.0), "inbound": ("fail", 0.0)}
    again = score_paths([folder], store, Config(), None, Matcher(), routing=routing)
    assert (again.scored, again.already) == (0, 2)  # both cards' evaluations, counted
    # Other campaigns re-check, but the engine did not change.
    checked = score_paths([folder], store, Config(), None, Matcher(), routing=routing, campaigns=[])
    assert (checked.scored, checked.engine_rescored) == (2, [])


def test_score_paths_judges_campaigns_on_the_sites_day_and_says_what_it_verified(
    tmp_path: Path, store: Store, pitching: None
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    messages = [{"from": "agent", "text": PITCH, "ts": "2026-06-01T03:30:00Z"}]
    (folder / "p.json").write_text(json.dumps({"agent": "a1", "messages": messages}))
    progress = Recorder()
    report = score_paths(
        [folder],
        store,
        Config(timezone=NY),
        consistency(),
        Matcher(),
        progress=progress,
        campaigns=CAMPAIGNS,
    )
    [flags] = [sorted(str(f.kind) for f in fs or []) for fs in report.flags_by_id.values()]
    assert flags == ON_TIME
    assert report.verification == NO_VERIFICATION
    assert [c[1] for c in progress.calls if c[0] == "start"] == [(1, "Ingesting"), (1, "Scoring")]


def test_score_report_as_dict_with_verification_transcription_and_memory() -> None:
    report = ScoreReport(
        verification=NO_VERIFICATION,
        transcription=TranscribeReport(audio_seconds=90.0),
        driver_peak_rss_mb=123.46,
    )
    out = report.as_dict()
    assert out["verification"] == NO_VERIFICATION
    assert out["transcription"] == TranscribeReport(audio_seconds=90.0).as_dict()
    assert out["transcription"]["audio_minutes"] == 1.5
    assert out["driver_peak_rss_mb"] == 123.5


def test_applies_when_work_types(verdicts: dict[str, Outcome]) -> None:
    verdicts.update(a=Outcome("pass"))

    def result(c: Any, item: Interaction) -> tuple[str, str | None]:
        out = evaluate_criterion(c, ctx_for(item), ["chat"])
        return out.result, out.note

    orders = condition_card(work_types=["inbound_order", "inbound_return"])
    assert result(orders, chat(work_type="inbound_order")) == ("pass", None)
    assert result(orders, chat(work_type="inbound_complaint")) == (
        "na",
        "only for work types inbound_order, inbound_return",
    )
    # A contact that was never routed has no work type: nothing rules it out.
    assert result(orders, chat()) == ("pass", None)
    assert result(condition_card(direction="inbound"), chat(work_type="x"))[0] == "na"
    # No campaign is no campaign, whatever the condition's name.
    assert result(condition_card(campaign="xxxx"), chat()) == ("na", "only for campaign xxxx")
