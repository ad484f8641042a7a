"""What trainers asked a card to say, in voice, chat and email:

- composite criteria: `all_of` (the company AND the agent's own name in the greeting),
  `any_of` (passcode characters OR date of birth AND postcode before the account is
  discussed) and `not`;
- `applies_when` with and/or/not over conversation events and metadata (channel,
  direction, work type, team, queue), and an explicit verdict when the trigger never happens;
- one criterion with a threshold per channel;
- strict validation with the file's line for each of them.
"""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path
from typing import Any

import pytest

from qa.matching import Matcher
from qa.model import Agent
from qa.scorecard.engine import score_interaction
from qa.scorecard.load import load_scorecard
from qa.yamlfile import FileErrors
from tests.test_criteria import CHANNELS, conversation


def card(tmp_path: Path, criteria: str) -> Any:
    path = tmp_path / "card.yaml"
    body = textwrap.indent(textwrap.dedent(criteria).strip("\n"), " " * 6)
    path.write_text(f"name: T\nsections:\n  - id: s\n    criteria:\n{body}\n", encoding="utf-8")
    return load_scorecard(path)


def results(loaded: Any, channel: str, lines: list[tuple[str, str]], **meta: Any) -> dict:
    item = conversation(channel, lines)
    item.language = "en"
    team = meta.pop("team", None)
    if team:
        item.agent = Agent("a", team=team)
    item.metadata = dict(meta.pop("metadata", {}))
    item = dataclasses.replace(item, **meta)
    ev = score_interaction(item, loaded, Matcher())
    return {r.id: r for r in ev.criteria}


GREETING = """
- id: greeting
  type: composite.v1
  points: 5
  all_of:
    - {id: company, type: phrase.v1, phrases: ["Fernbrook Water"], match: exact, window: {first_turns: 1}}
    - {id: own_name, type: phrase.v1, phrases: ['\\b(my name is|this is|I''m) [A-Z][a-z]+'], match: regex, window: {first_turns: 1}}
"""


@pytest.mark.parametrize("channel", CHANNELS)
def test_all_of_needs_the_company_and_the_own_name(channel: str, tmp_path: Path) -> None:
    loaded = card(tmp_path, GREETING)
    both = [("agent", "Good morning, Fernbrook Water, my name is Tomasz, how can I help?")]
    out = results(loaded, channel, both)["greeting"]
    assert out.result == "pass" and out.points == 5
    assert out.details["parts"] == {"company": "pass", "own_name": "pass"}
    company_only = [("agent", "Good morning, Fernbrook Water, how can I help?")]
    out = results(loaded, channel, company_only)["greeting"]
    assert out.result == "fail" and out.points == 0
    assert out.details["parts"] == {"company": "pass", "own_name": "fail"}
    assert "own_name: fail" in (out.note or "") and out.evidence


SECURITY = """
- id: security
  type: composite.v1
  critical: true
  any_of:
    - {id: passcode, type: order.v1, first: {phrases: ["characters of your passcode"]}, then: {phrases: ["your balance is"]}}
    - id: dob_and_postcode
      type: composite.v1
      all_of:
        - {id: dob, type: order.v1, first: {phrases: ["date of birth"]}, then: {phrases: ["your balance is"]}}
        - {id: postcode, type: order.v1, first: {phrases: ["your postcode"]}, then: {phrases: ["your balance is"]}}
"""


def security_call(checks: list[str]) -> list[tuple[str, str]]:
    lines = [("customer", "Hi, I'd like to know what I owe.")]
    for check in checks:
        lines += [("agent", check), ("customer", "Sure, here you go.")]
    return lines + [("agent", "Thanks. Your balance is forty-two pounds ten.")]


@pytest.mark.parametrize("channel", CHANNELS)
def test_any_of_passcode_or_date_of_birth_and_postcode(channel: str, tmp_path: Path) -> None:
    loaded = card(tmp_path, SECURITY)

    def verdict(checks: list[str]) -> str:
        return str(results(loaded, channel, security_call(checks))["security"].result)

    assert verdict(["Could I have the second and fourth characters of your passcode?"]) == "pass"
    assert verdict(["What's your date of birth?", "And your postcode, please?"]) == "pass"
    assert verdict(["What's your date of birth?"]) == "fail"  # one detail falls short
    assert verdict([]) == "fail"
    nothing_disclosed = [("customer", "What time do you open?"), ("agent", "From eight.")]
    assert results(loaded, channel, nothing_disclosed)["security"].result == "na"


@pytest.mark.parametrize("channel", CHANNELS)
def test_not_turns_a_pass_into_a_fail(channel: str, tmp_path: Path) -> None:
    loaded = card(
        tmp_path,
        """
        - id: no_promise
          type: composite.v1
          not: {id: promise, type: phrase.v1, phrases: ["guaranteed by tomorrow"], match: exact}
        """,
    )
    said = [("agent", "It's guaranteed by tomorrow, don't worry.")]
    assert results(loaded, channel, said)["no_promise"].result == "fail"
    assert results(loaded, channel, [("agent", "It should arrive soon.")])["no_promise"].result == (
        "pass"
    )


CLOSE = """
- id: close
  type: phrase.v1
  phrases: ["anything else"]
  match: exact
  applies_when:
    any_of:
      - {min_turns: 4}
      - all_of: [{channels: [email]}, {min_turns: 2}]
    not: {queues: [priority]}
"""


@pytest.mark.parametrize("channel", CHANNELS)
def test_applies_when_and_or_not_over_metadata(channel: str, tmp_path: Path) -> None:
    loaded = card(tmp_path, CLOSE)
    short = [("customer", "Can you resend my bill?"), ("agent", "Done, anything else?")]
    out = results(loaded, channel, short)["close"]
    # a two-message email thread is long enough; a two-turn call or chat is not
    assert out.result == ("pass" if channel == "email" else "na")
    long = short + [("customer", "No thanks."), ("agent", "Bye for now.")]
    assert results(loaded, channel, long)["close"].result == "pass"
    priority = results(loaded, channel, long, metadata={"queue": "Priority"})["close"]
    assert priority.result == "na" and "not when" in (priority.note or "")


TEAMS = """
- id: retention_script
  type: phrase.v1
  phrases: ["before you go"]
  match: exact
  applies_when:
    all_of:
      - any_of: [{teams: [Retention]}, {work_types: [cancellation]}]
      - {direction: outbound}
"""


@pytest.mark.parametrize("channel", CHANNELS)
def test_applies_when_team_work_type_and_direction(channel: str, tmp_path: Path) -> None:
    loaded = card(tmp_path, TEAMS)
    lines = [("agent", "Before you go, may I ask what made you decide?")]

    def verdict(**meta: Any) -> str:
        return str(results(loaded, channel, lines, **meta)["retention_script"].result)

    assert verdict(team="Retention", direction="outbound") == "pass"
    assert verdict(team="Billing", work_type="cancellation", direction="outbound") == "pass"
    assert verdict(team="Billing", work_type="inquiry", direction="outbound") == "na"
    assert verdict(team="Retention", direction="inbound") == "na"
    # no team is not the Retention team (an unrouted contact has no work type to rule out)
    assert verdict(work_type="inquiry", direction="outbound") == "na"


@pytest.mark.parametrize("channel", CHANNELS)
def test_the_trigger_never_happening_is_an_explicit_verdict(channel: str, tmp_path: Path) -> None:
    loaded = card(
        tmp_path,
        """
        - id: refund_timing
          type: phrase.v1
          phrases: ["within five working days"]
          match: exact
          applies_when:
            event: {phrases: ["refund"], speaker: customer}
        - id: no_transfer_needed
          type: phrase.v1
          phrases: ["I'll stay with you"]
          match: exact
          applies_when:
            event: {phrases: ["transfer me"], speaker: customer}
            otherwise: pass
        """,
    )
    asked = [("customer", "I want a refund."), ("agent", "It'll be back within five working days.")]
    out = results(loaded, channel, asked)
    assert out["refund_timing"].result == "pass"
    assert out["no_transfer_needed"].result == "pass"  # never asked: the card says pass
    assert out["no_transfer_needed"].evidence and out["no_transfer_needed"].max_points == 1
    other = [("customer", "My meter is broken."), ("agent", "I'll book an engineer.")]
    out = results(loaded, channel, other)
    assert out["refund_timing"].result == "na"
    assert out["refund_timing"].note == "the triggering event never happened"


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_threshold_per_channel(channel: str, tmp_path: Path) -> None:
    """Four turns of a call or chat are two messages of an email thread."""
    loaded = card(
        tmp_path,
        """
        - id: two_way
          type: metric.v1
          metric: turns
          min: 4
          by_channel: {email: {min: 2}}
        """,
    )
    lines = [("customer", "Hello, is my order on its way?"), ("agent", "Yes, it left today.")]
    out = results(loaded, channel, lines)["two_way"]
    assert out.result == ("pass" if channel == "email" else "fail"), out.note
    longer = lines + [("customer", "Great, thanks."), ("agent", "You're welcome.")]
    assert results(loaded, channel, longer)["two_way"].result == "pass"


@pytest.mark.parametrize(
    ("criteria", "line", "message"),
    [
        (
            """
            - id: g
              type: composite.v1
              all_of:
                - {id: a, type: phrase.v1, phrases: ["x"]}
                - {id: b, type: phrase.v1, phrases: ["y"]}
              any_of:
                - {id: c, type: phrase.v1, phrases: ["x"]}
                - {id: d, type: phrase.v1, phrases: ["y"]}
            """,
            5,
            "give one of all_of, any_of or not, not both all_of and any_of",
        ),
        (
            """
            - id: g
              type: composite.v1
              all_of:
                - {id: a, type: phrase.v1, phrases: ["x"], points: 3}
                - {id: b, type: phrase.v1, phrases: ["y"]}
            """,
            5,
            "part 'a': points, weight and critical belong to the composite",
        ),
        (
            """
            - id: g
              type: composite.v1
              not: {id: a, type: phrase.v1, phrasez: ["x"]}
            """,
            7,
            "not → phrasez: unknown key",
        ),
        (
            """
            - id: m
              type: metric.v1
              metric: first_response
              max: 60
              by_channel: {chat: {max: soon}}
            """,
            5,
            "by_channel → chat → max: must be a number",
        ),
        (
            """
            - id: m
              type: metric.v1
              metric: first_response
              max: 60
              by_channel: {chat: {points: 3}}
            """,
            5,
            "by_channel → chat: points cannot change by channel",
        ),
        (
            """
            - id: p
              type: phrase.v1
              phrases: ["x"]
              applies_when:
                any_of:
                  - {min_turnz: 4}
            """,
            10,
            "applies_when → any_of → 0 → min_turnz: unknown key",
        ),
        (
            """
            - id: p
              type: phrase.v1
              phrases: ["x"]
              applies_when:
                not: {channels: [chat], otherwise: pass}
            """,
            9,
            "otherwise: give it on the outermost condition only",
        ),
    ],
)
def test_errors_name_the_file_line_and_path(
    tmp_path: Path, criteria: str, line: int, message: str
) -> None:
    with pytest.raises(FileErrors) as caught:
        card(tmp_path, criteria)
    problems = caught.value.problems
    assert any(p.startswith(f"card.yaml:{line} ") and message in p for p in problems), problems


def test_cards_without_the_new_keys_read_as_before() -> None:
    """Unchanged cards keep their digest (the digest is of the file's text) and their
    criteria carry no new settings."""
    import hashlib

    from qa.resources import shipped_scorecards
    from tests.conftest import ROOT

    for name in shipped_scorecards():
        path = ROOT / "scorecards" / f"{name}.yaml"
        loaded = load_scorecard(path)
        assert loaded.hash == hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        for _, c in loaded.scorecard.criteria():
            assert c.by_channel is None and c.for_channel("email") is c
            cond = c.applies_when
            if cond is not None:
                assert (cond.all_of, cond.any_of, cond.not_, cond.otherwise) == (
                    None,
                    None,
                    None,
                    "na",
                )
