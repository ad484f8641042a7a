"""The routing file: strict loading with located errors, rules in order, several cards,
conditions on any field, and undecided work types sent to the default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.cli import cli
from qa.errors import ConfigError
from qa.model import Agent, Interaction, Turn
from qa.resources import shipped_scorecards
from qa.routing.decision import Decided, WorkTypeDecision
from qa.routing.rules import DEFAULT_RULE, load_routing, shipped_routing
from qa.routing.taxonomy import load_taxonomy
from qa.vocabulary import RoutingSource
from qa.yamlfile import FileErrors
from tests.conftest import ROOT

CARDS = ROOT / "scorecards"


def write(tmp_path: Path, text: str, name: str = "routing.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def item(
    channel: str = "voice", metadata: dict | None = None, team: str | None = "Care"
) -> Interaction:
    return Interaction(
        id="i1",
        channel=channel,
        source="x.json",
        agent=Agent("a1", None, team),
        turns=[Turn("agent", "Hello")],
        metadata=metadata or {},
        language="en",
    )


def decision(
    work_type: str,
    confidence: float = 0.9,
    source: RoutingSource = RoutingSource.DETECTED,
    direction: str = "inbound",
) -> WorkTypeDecision:
    return WorkTypeDecision(
        Decided(work_type, confidence, source),
        Decided(direction, 0.9, RoutingSource.DETECTED),
        Decided("billing", 0.5, RoutingSource.DETECTED),
        [],
    )


ROUTING = f"""\
min_confidence: 0.6
always: [{CARDS / "general_contact.yaml"}]
rules:
  - id: renewals
    when: {{work_type: outbound_renewal, channel: voice}}
    scorecards: [outbound_telesales]
  - id: vip_queue
    when: {{fields: {{queue: VIP}}}}
    scorecards: [inbound_service, chat_email_support]
  - id: written
    when: {{channel: [Chat, email], team: care}}
    scorecards: [chat_email_support]
default:
  scorecards: [inbound_service]
"""


def test_the_first_matching_rule_gives_its_cards_and_always_adds_its_own(tmp_path: Path) -> None:
    routing = load_routing(write(tmp_path, ROUTING))
    names = lambda r: [c.scorecard.name for c in r.scorecards]  # noqa: E731

    r = routing.route(item(), decision("outbound_renewal", direction="outbound"))
    assert (r.rule, r.line, r.undecided) == ("renewals", 4, False)
    assert names(r) == ["General contact", "Outbound telesales"]
    assert "rule renewals matched" in r.reason

    # The renewal rule asks for voice: a renewal chat falls through to the written rule.
    r = routing.route(item("chat"), decision("outbound_renewal", direction="outbound"))
    assert r.rule == "written" and names(r) == ["General contact", "Chat and email support"]

    # Any manifest column, by `fields`; a rule may attach several cards.
    r = routing.route(item(metadata={"queue": "vip"}), decision("inbound_inquiry"))
    assert r.rule == "vip_queue"
    assert names(r) == ["General contact", "Inbound service", "Chat and email support"]

    r = routing.route(item(team="Sales"), decision("inbound_inquiry"))
    assert (r.rule, r.line) == (DEFAULT_RULE, 14)
    assert names(r) == ["General contact", "Inbound service"]
    assert "no rule matched" in r.reason


def test_an_undecided_work_type_goes_to_the_default_and_says_so(tmp_path: Path) -> None:
    routing = load_routing(write(tmp_path, ROUTING))
    low = routing.route(item(), decision("outbound_renewal", 0.55, direction="outbound"))
    assert low.rule == DEFAULT_RULE and low.undecided
    assert "0.55, below 0.6" in low.reason and "undecided, sent to the default" in low.reason
    none = routing.route(item(), decision("other", 0.0, RoutingSource.DEFAULT))
    assert none.rule == DEFAULT_RULE and none.undecided
    assert "no work type could be decided" in none.reason
    # Metadata is never undecided, whatever confidence it carries.
    given = routing.route(item(), decision("outbound_renewal", 0.1, RoutingSource.METADATA))
    assert given.rule == "renewals" and not given.undecided
    assert "from the metadata" in given.reason


def test_without_a_default_an_undecided_type_takes_a_rule_that_asks_no_type(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "rules:\n"
        "  - {id: renewals, when: {work_type: outbound_renewal}, scorecards: [outbound_telesales]}\n"
        "  - {id: anything, scorecards: [inbound_service]}\n",
    )
    routing = load_routing(path)
    r = routing.route(item(), decision("outbound_renewal", 0.2))
    assert r.rule == "anything" and r.undecided
    assert "which asks no work type" in r.reason


def test_no_rule_and_no_default_at_run_time_is_a_usage_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "rules:\n"
        "  - {id: voice, when: {channel: voice}, scorecards: [inbound_service]}\n"
        "  - {id: all, when: {}, scorecards: [inbound_service]}\n",
    )
    routing = load_routing(path)
    routing.spec.rules.pop()  # as if the catch-all were gone after loading
    with pytest.raises(ConfigError, match="no rule matches x.json"):
        routing.route(item("chat"), decision("inbound_inquiry"))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "rules:\n  - when: {work_type: inbound_inquiry}\n    scorecards: [no_such_card]\n"
            "default: {scorecards: [inbound_service]}\n",
            "routing.yaml:3 rules → 0 → scorecards → 0: no scorecard 'no_such_card'",
        ),
        (
            "rules:\n  - when:\n      work_type: [inbound_inquiry, outbound_teleporting]\n"
            "    scorecards: [inbound_service]\ndefault: {scorecards: [inbound_service]}\n",
            "routing.yaml:3 rules → 0 → when → work_type → 1: unknown work type"
            " 'outbound_teleporting'",
        ),
        (
            "rules:\n  - when: {work_type: inbound_inquiry}\n    scorecards: [inbound_service]\n"
            "    priority: 3\ndefault: {scorecards: [inbound_service]}\n",
            "routing.yaml:4 rules → 0 → priority: unknown key (check the spelling)",
        ),
        (
            "rules:\n  - when: {work_typ: inbound_inquiry}\n    scorecards: [inbound_service]\n"
            "default: {scorecards: [inbound_service]}\n",
            "routing.yaml:2 rules → 0 → when → work_typ: unknown key (check the spelling)",
        ),
        (
            "rules:\n  - when: {direction: sideways}\n    scorecards: [inbound_service]\n"
            "default: {scorecards: [inbound_service]}\n",
            "routing.yaml:2 rules → 0 → when → direction: unknown direction",
        ),
        (
            "rules:\n  - when: {channel: voice}\n    scorecards: [inbound_service]\n",
            "routing.yaml:1 default: is required: no rule matches every contact",
        ),
        (
            "min_confidence: 2\ndefault: {scorecards: [inbound_service]}\n",
            "routing.yaml:1 min_confidence: input should be less than or equal to 1",
        ),
    ],
    ids=[
        "missing-card",
        "unknown-work-type",
        "unknown-rule-field",
        "unknown-condition",
        "unknown-direction",
        "no-default",
        "out-of-range",
    ],
)
def test_bad_routing_files_name_file_line_and_path_and_exit_2(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(FileErrors) as caught:
        load_routing(path)
    assert any(p.startswith(problem) for p in caught.value.problems), caught.value.problems
    chat = tmp_path / "in"
    chat.mkdir()
    for args in (
        ["score", str(chat), "--routing", str(path)],
        ["rescore", "--routing", str(path)],
        ["route", "abc", "--routing", str(path)],
    ):
        result = CliRunner().invoke(cli, [*args, "--db", str(tmp_path / "q.db")])
        assert result.exit_code == 2, result.output
        assert problem in result.output


def test_a_broken_card_named_by_the_routing_file_is_reported_with_both_places(
    tmp_path: Path,
) -> None:
    write(tmp_path, "name: x\nsections:\n  - id: s\n    criteria: []\n", "broken.yaml")
    path = write(tmp_path, "default: {scorecards: [broken.yaml]}\n")
    with pytest.raises(FileErrors) as caught:
        load_routing(path)
    assert caught.value.problems[0].startswith(
        "routing.yaml:1 default → scorecards → 0: scorecard 'broken.yaml': broken.yaml:4"
    )


def test_score_takes_a_scorecard_or_a_routing_file_not_both(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    db = str(tmp_path / "q.db")
    for extra, said in (
        ([], "give one of --scorecard FILE (one card for all) or --routing FILE"),
        (["--scorecard", "inbound_service", "--routing", "routing"], "not both"),
    ):
        result = CliRunner().invoke(cli, ["score", str(folder), "--db", db, *extra])
        assert result.exit_code == 2
        assert said in result.output


def test_the_shipped_routing_sends_every_work_type_to_a_shipped_card() -> None:
    routing = load_routing(shipped_routing())
    taxonomy = load_taxonomy()
    assert routing.spec.default is not None
    for name in taxonomy.names:
        direction = taxonomy.direction_of(name) or "inbound"
        for channel in ("voice", "chat", "email"):
            r = routing.route(item(channel), decision(name, 0.95, direction=direction))
            if name == taxonomy.default:
                assert r.rule == DEFAULT_RULE
            else:
                assert r.rule != DEFAULT_RULE, (name, channel)
            for card in r.scorecards:
                assert card.path.parent == CARDS and card.path.stem in shipped_scorecards()
    # The routing file is no scorecard, and the shipped names resolve through it.
    assert "routing" not in shipped_scorecards()
    assert load_routing(Path("routing")).path == shipped_routing()


def test_outbound_and_callback_types_never_reach_an_inbound_card() -> None:
    routing = load_routing(shipped_routing())
    inbound_cards = {"Inbound service", "Chat and email support"}
    for name in load_taxonomy().names:
        if name.startswith(("outbound", "callback")):
            for channel in ("voice", "chat", "email"):
                r = routing.route(item(channel), decision(name, 0.95, direction="outbound"))
                assert not inbound_cards & {c.scorecard.name for c in r.scorecards}, name


def test_route_prints_the_json_schema() -> None:
    result = CliRunner().invoke(cli, ["route", "--schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["title"] == "qa routing file"
    assert schema["additionalProperties"] is False
    text = json.dumps(schema)
    for key in ("work_type", "direction", "channel", "queue", "team", "campaign", "language"):
        assert key in text
