"""Recognition confidence carried to every judgment on a call: evidence quotes carry it, and
what rests on words heard with low confidence waits for review."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner
from markupsafe import escape

from qa.cli import cli
from qa.model import Evidence, Interaction, Turn, Word
from qa.voice.confidence import evidence_confidence, quoted_words
from tests.conftest import ROOT

OUTBOUND = ROOT / "scorecards" / "outbound_telesales.yaml"
CAMPAIGNS = ROOT / "scorecards" / "campaigns"


def words(text: str, probs: dict[str, float], start: float = 0.0) -> list[Word]:
    return [
        Word(start + i * 0.4, start + i * 0.4 + 0.3, w, probs.get(w, 0.95))
        for i, w in enumerate(text.split())
    ]


def test_a_quote_is_matched_to_its_words() -> None:
    ws = words("Hello there. It is $35 a month or $12 month. Thanks.", {"$12": 0.3})
    got = quoted_words(ws, "It is $35 a month or $12 month.")
    assert [w.word for w in got] == ["It", "is", "$35", "a", "month", "or", "$12", "month."]
    item = Interaction("x", "voice", "x", turns=[Turn("agent", "...", words=ws)])
    ev = Evidence(0, "agent", 0.0, 5.0, "It is $35 a month or $12 month.")
    assert evidence_confidence(item, ev) == round((7 * 0.95 + 0.3) / 8, 2)
    assert evidence_confidence(item, ev, quantities=True) == 0.3  # the price decides
    chat = Interaction("y", "chat", "y", turns=[Turn("agent", "It is $35.")])
    assert evidence_confidence(chat, Evidence(0, "agent", 0, 0, "It is $35.")) is None


def _call(tmp_path: Path, price_prob: float, greeting_prob: float) -> Path:
    """An outbound call transcript from a dialler, with the vendor's word confidences."""
    agent1 = "Hello, this is Sam from Northwind Mobile, thank you for taking my call."
    agent2 = "Spring Unlimited is $39 a month for 12 months."
    turns = [
        {
            "speaker": "agent",
            "start": 0.0,
            "end": 5.0,
            "text": agent1,
            "words": [
                {"word": w.word, "start": w.start, "end": w.end, "confidence": w.probability}
                for w in words(agent1, {}, 0.0)
            ],
        },
        {"speaker": "customer", "start": 6.0, "end": 8.0, "text": "Hi, what is the offer?"},
        {
            "speaker": "agent",
            "start": 9.0,
            "end": 14.0,
            "text": agent2,
            "words": [
                {"word": w.word, "start": w.start, "end": w.end, "confidence": w.probability}
                for w in words(agent2, {"$39": price_prob}, 9.0)
            ],
        },
    ]
    for w in turns[0]["words"]:  # type: ignore[union-attr]
        w["confidence"] = greeting_prob  # type: ignore[index]
    path = tmp_path / f"call_{price_prob}.json"
    path.write_text(
        json.dumps({"started_at": "2026-03-10T10:00:00Z", "agent": "s.lee", "turns": turns})
    )
    return path


def _score(tmp_path: Path, path: Path) -> dict:
    db = tmp_path / "qa.db"
    runner = CliRunner()
    args = ["score", str(path), "--scorecard", str(OUTBOUND), "--campaigns", str(CAMPAIGNS)]
    result = runner.invoke(cli, [*args, "--db", str(db)])
    assert result.exit_code == 0, result.output
    [item] = json.loads(runner.invoke(cli, ["export", "--db", str(db)]).stdout)["interactions"]
    return item


def test_a_price_heard_clearly_is_a_violation(tmp_path: Path) -> None:
    item = _score(tmp_path, _call(tmp_path, price_prob=0.93, greeting_prob=0.9))
    [flag] = [f for f in item["flags"] if f["kind"] == "contradiction"]
    assert flag["status"] == "open"
    assert flag["evidence"][0]["asr_confidence"] == 0.93
    crit = {c["id"]: c for c in item["evaluations"][0]["criteria"]}
    assert crit["campaign_consistency"]["result"] == "fail"  # the open flag counts


def test_a_price_heard_with_low_confidence_waits_for_review(tmp_path: Path) -> None:
    item = _score(tmp_path, _call(tmp_path, price_prob=0.31, greeting_prob=0.9))
    [flag] = [f for f in item["flags"] if f["kind"] == "contradiction"]
    assert flag["status"] == "review" and "low confidence" in flag["message"]
    assert flag["evidence"][0]["asr_confidence"] == 0.31
    ev = item["evaluations"][0]
    crit = {c["id"]: c for c in ev["criteria"]}
    assert crit["campaign_consistency"]["result"] == "pass"  # no standing violation


def test_results_on_misheard_words_are_review_not_points(tmp_path: Path) -> None:
    item = _score(tmp_path, _call(tmp_path, price_prob=0.93, greeting_prob=0.35))
    ev = item["evaluations"][0]
    reviewed = [c for c in ev["criteria"] if c["result"] == "review"]
    assert reviewed, [(c["id"], c["result"], c["evidence"]) for c in ev["criteria"]]
    for c in reviewed:
        assert c["points"] == 0 and c["max_points"] == 0
        assert all(e["asr_confidence"] < 0.6 for e in c["evidence"] if e["asr_confidence"])
    assert ev["max"] == sum(c["max_points"] for c in ev["criteria"])
    scored = [c for c in ev["criteria"] if c["result"] in ("pass", "fail")]
    assert all(
        e.get("asr_confidence") is None or e["asr_confidence"] >= 0.6
        for c in scored
        for e in c["evidence"]
    )


def test_a_critical_result_under_review_is_no_auto_fail() -> None:
    from qa.model import CriterionResult, Evaluation
    from qa.voice.confidence import review_results

    ws = words("Hello, Northwind Mobile here.", {}, 0.0)
    for w in ws:
        w.probability = 0.3
    item = Interaction(
        "x", "voice", "x", turns=[Turn("agent", "Hello, Northwind Mobile here.", 0, 2, words=ws)]
    )
    quote = Evidence(0, "agent", 0.0, 2.0, "Hello, Northwind Mobile here.")
    results = [
        CriterionResult("greeting", "s", "phrase.v1", "fail", 0.0, 10.0, 0.9, [quote]),
        CriterionResult("other", "s", "phrase.v1", "pass", 5.0, 5.0, 0.9, []),
    ]
    ev = Evaluation("card", "h", 5.0, 15.0, 0.0, True, False, results)
    review_results(item, ev, {"greeting": True}, pass_mark=80)
    assert results[0].result == "review" and results[0].details["was"] == "fail"
    assert (ev.total, ev.max, ev.percent, ev.auto_fail, ev.passed) == (5.0, 5.0, 100.0, False, True)


def test_the_report_queues_review_results_with_their_moment_and_never_coaches_them(
    tmp_path: Path,
) -> None:
    path = _call(tmp_path, price_prob=0.31, greeting_prob=0.35)
    item = _score(tmp_path, path)
    crit = {c["id"]: c for c in item["evaluations"][0]["criteria"]}
    reviewed = {k for k, c in crit.items() if c["result"] == "review"}
    assert reviewed
    out = tmp_path / "report"
    runner = CliRunner()
    result = runner.invoke(cli, ["report", "--out", str(out), "--db", str(tmp_path / "qa.db")])
    assert result.exit_code == 0, result.output
    [page] = (out / "agents").glob("*.html")
    html = page.read_text()
    coaching = html.split('<section class="coaching">')[1].split("</section>")[0]
    queue = html.split('<section class="flags review-queue">')[1].split("</section>")[0]
    card = yaml.safe_load(OUTBOUND.read_text())
    names = {c["id"]: str(escape(c["name"])) for s in card["sections"] for c in s["criteria"]}
    for cid in reviewed:
        assert names[cid] in queue and names[cid] not in coaching
        note = crit[cid]["note"]
        assert str(escape(note)) in queue
        start = crit[cid]["evidence"][0]["start"]
        assert f'data-start="{start}"' in queue  # the audio moment
    assert "heard with low confidence" in queue  # the held price flag is queued too
    transcript = (out / "t" / f"{item['id']}.html").read_text()
    assert "for review" in transcript
