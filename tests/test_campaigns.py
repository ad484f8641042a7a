from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from qa.campaigns.check import check_interaction
from qa.campaigns.evaluate import VIOLATIONS, case_interaction, evaluate
from qa.campaigns.schema import load_campaigns
from qa.cli import cli
from qa.statements.quantities import extract
from qa.yamlfile import FileErrors
from tests.conftest import EXAMPLES, ROOT

CAMPAIGNS = ROOT / "scorecards" / "campaigns"
EVAL = ROOT / "tests" / "data" / "campaign_eval.yaml"


@pytest.fixture(scope="module")
def campaigns():  # type: ignore[no-untyped-def]
    return load_campaigns(CAMPAIGNS)


def kinds(turns: list[list[str]], date: str, channel: str, campaigns) -> set[str]:  # type: ignore[no-untyped-def]
    case = {"id": "t", "date": date, "channel": channel, "turns": turns}
    return {f.kind for f in check_interaction(case_interaction(case), campaigns)}


EXAMPLES_BY_KIND = {
    "contradiction": [["agent", "Spring Unlimited is $39 a month."]],
    "retired_claim": [["agent", "And you get a free phone with every plan."]],
    "expired_offer": [["agent", "Our Winter Saver is $29 a month."]],
    "denied_offer": [
        ["customer", "I saw Spring Unlimited at $35 a month."],
        ["agent", "Sorry, there is no such offer."],
    ],
    "missing_disclosure": [
        [
            "agent",
            "Spring Unlimited is $35 a month for 12 months with unlimited data and 300 international minutes.",
        ]
    ],
    "missed_key_point": [
        ["agent", "Spring Unlimited is $35 a month. After 12 months the price is $45 a month."]
    ],
}


@pytest.mark.parametrize("channel", ["voice", "chat", "email"])
@pytest.mark.parametrize("kind", sorted(EXAMPLES_BY_KIND))
def test_each_flag_kind_on_each_channel(kind: str, channel: str, campaigns) -> None:  # type: ignore[no-untyped-def]
    assert kind in kinds(EXAMPLES_BY_KIND[kind], "2026-03-10", channel, campaigns)


@pytest.mark.parametrize("channel", ["voice", "chat", "email"])
def test_consistent_statements_raise_nothing(channel: str, campaigns) -> None:  # type: ignore[no-untyped-def]
    said = [
        [
            "agent",
            "Spring Unlimited is thirty-five dollars a month for twelve months, with unlimited data "
            "and 300 international minutes. After 12 months the price is $45 a month.",
        ]
    ]
    assert kinds(said, "2026-03-10", channel, campaigns) == set()


def test_inactive_campaign_raises_only_expired_offer(campaigns) -> None:  # type: ignore[no-untyped-def]
    wrong_price = [["agent", "Spring Unlimited is $39 a month."]]
    assert kinds(wrong_price, "2026-07-01", "chat", campaigns) == {"expired_offer"}
    no_offer = [["agent", "I checked Spring Unlimited for you."]]
    assert kinds(no_offer, "2026-07-01", "chat", campaigns) == set()


def test_flag_carries_quote_time_campaign_and_fact(campaigns) -> None:  # type: ignore[no-untyped-def]
    case = {
        "id": "t",
        "date": "2026-03-10",
        "channel": "voice",
        "turns": [["customer", "What's the price?"], ["agent", "Spring Unlimited is $39 a month."]],
    }
    [flag] = [
        f for f in check_interaction(case_interaction(case), campaigns) if f.kind == "contradiction"
    ]
    assert flag.campaign == "SPRING-UNLIMITED" and flag.severity == "high"
    assert flag.fact == "price: USD 35.00 a month (Spring Unlimited)"
    [ev] = flag.evidence
    assert (ev.turn, ev.role, ev.start, ev.quote) == (
        1,
        "agent",
        5.0,
        "Spring Unlimited is $39 a month.",
    )


@pytest.mark.parametrize(
    ("text", "kind", "value", "unit"),
    [
        ("$39.99 a month", "money", 39.99, "USD"),
        ("twenty percent off", "percent", 20.0, None),
        ("for six months", "duration", 6.0, "month"),
        ("until the end of March", "date", 331.0, "03-31"),
        ("three hundred minutes", "count", 300.0, "minute"),
        ("forty-five pounds per month", "money", 45.0, "GBP"),
    ],
)
def test_quantities_in_digits_and_words(
    text: str, kind: str, value: float, unit: str | None
) -> None:
    _, [q] = extract(text)
    assert (q.kind, q.value, q.unit) == (kind, value, unit)


def test_lexical_precision_and_recall_on_the_labelled_set(campaigns) -> None:  # type: ignore[no-untyped-def]
    assert len(yaml.safe_load(EVAL.read_text())["cases"]) >= 60
    scores, misses, _ = evaluate(EVAL, campaigns)
    for kind in ("contradiction", "denied_offer", "expired_offer"):
        assert scores[kind].precision >= 0.9 and scores[kind].recall >= 0.85, (kind, misses)


@pytest.mark.models
def test_with_semantic_matching_every_violation_kind_meets_its_target(campaigns) -> None:  # type: ignore[no-untyped-def]
    from qa.matching import Matcher

    scores, misses, _ = evaluate(EVAL, campaigns, Matcher())
    for kind in VIOLATIONS:
        assert scores[kind].precision >= 0.9 and scores[kind].recall >= 0.85, (kind, misses)


def test_malformed_campaign_file_reports_every_error(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "id: SUMMER\nname: Summer\nfrom: 2026-13-01\nto: 2026-08-31\nproducts: [Summer Deal]\n"
        "facts:\n  - id: price\n    value: {money: {amount: cheap}}\n    colour: red\n"
    )
    with pytest.raises(FileErrors) as caught:
        load_campaigns(tmp_path)
    text = "\n".join(caught.value.problems)
    assert "bad.yaml:3 from:" in text
    assert "bad.yaml:8 facts → 0 → value → money → amount: must be a number" in text
    assert "bad.yaml:9 facts → 0 → colour: unknown key" in text
    result = CliRunner().invoke(cli, ["campaigns", "validate", str(tmp_path)])
    assert result.exit_code == 2 and result.output.count("bad.yaml:") == 3


def test_campaigns_check_explains(campaigns) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(
        cli,
        [
            "campaigns",
            "check",
            "Spring Unlimited is thirty nine dollars a month",
            "--date",
            "2026-03-10",
            "--campaigns",
            str(CAMPAIGNS),
        ],
    )
    assert result.exit_code == 0
    assert "Speaks of: SPRING-UNLIMITED" in result.output
    assert "CONTRADICTS" in result.output and "FLAG contradiction" in result.output
    data = json.loads(
        CliRunner()
        .invoke(
            cli,
            [
                "campaigns",
                "check",
                "Fibre Max is 20% off",
                "--date",
                "2026-03-10",
                "--campaigns",
                str(CAMPAIGNS),
                "--json",
            ],
        )
        .stdout
    )
    assert data["comparisons"][0]["consistent"] is True and data["flags"] == []


def test_score_with_campaigns_shows_flags_in_show_and_export(tmp_path: Path) -> None:
    db = str(tmp_path / "qa.db")
    runner = CliRunner()
    args = [
        "score",
        str(EXAMPLES / "chats"),
        str(EXAMPLES / "emails"),
        "--manifest",
        str(EXAMPLES / "manifest.csv"),
        "--scorecard",
        str(ROOT / "scorecards/inbound_service.yaml"),
        "--campaigns",
        str(CAMPAIGNS),
        "--db",
        db,
        "--config",
        str(EXAMPLES / "qa.yaml"),
    ]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    items = json.loads(runner.invoke(cli, ["export", "--db", db]).stdout)["interactions"]
    by_source = {Path(i["source"]).name: i for i in items}
    chat = by_source["spring_offer_chat.json"]
    assert {f["kind"] for f in chat["flags"]} >= {"denied_offer", "expired_offer", "retired_claim"}
    email = next(i for i in items if any("spring-quote" in i["source"] for _ in [0]))
    assert {f["kind"] for f in email["flags"]} >= {"contradiction"}
    for f in chat["flags"] + email["flags"]:
        assert f["evidence"] and f["evidence"][0]["quote"] and f["campaign"]
    card = next(c for c in chat["evaluations"][0]["criteria"] if c["id"] == "campaign_consistency")
    assert card["result"] == "fail"
    shown = runner.invoke(cli, ["show", chat["id"], "--db", db]).output
    assert "denied_offer" in shown and "Spring Unlimited" in shown
    again = json.loads(runner.invoke(cli, [*args, "--json"]).stdout)
    assert again["scored"] == 0  # same cards, same campaigns: nothing to redo
