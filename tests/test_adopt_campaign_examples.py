"""Campaign `examples:`: strictly validated, consulted by the checker, written into the
campaign file with its comments kept, and kept quiet by `qa campaigns test`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa.campaigns import check as checker
from qa.campaigns.check import check_interaction, explain
from qa.campaigns.examples import (
    Ruled,
    adopt_example,
    adopt_negative,
    campaign_file,
    check_campaign_examples,
    example_contact,
    obligation_of,
    ruled_item,
    sentence_key,
)
from qa.campaigns.schema import Campaign, load_campaigns
from qa.cli import cli
from qa.errors import ConfigError
from qa.scoring import campaigns_key
from qa.yamlfile import FileErrors, validate_file
from tests.conftest import ROOT

DAY = dt.date(2026, 3, 2)  # Spring Unlimited runs from March to May 2026
CITE = "I saw the Spring Unlimited offer, how much is it?"
PRICED = "On Spring Unlimited you'd pay $40 a month including the insurance."
AFTER_TERM = "Spring Unlimited has no contract at all after the first twelve months."


@pytest.fixture
def camps(tmp_path: Path) -> Path:
    folder = tmp_path / "campaigns"
    shutil.copytree(ROOT / "scorecards" / "campaigns", folder, ignore=shutil.ignore_patterns("zh"))
    return folder


def _kinds(sentence: str, folder: Path, day: dt.date = DAY) -> list[tuple[str, str]]:
    out = explain(sentence, day, "chat", load_campaigns(folder), CITE)
    return [(f["kind"], f["fact"]) for f in out["flags"]]


def _spring(folder: Path) -> Path:
    return campaign_file(folder, "SPRING-UNLIMITED")


def test_ruled_item_reads_where_each_flag_kind_is_taught() -> None:
    assert ruled_item("contradiction", "S", "price: USD 35.00 a month (S)") == Ruled(
        "S", "facts", "price"
    )
    assert ruled_item("retired_claim", "S", "retired claim free_phone from W") == Ruled(
        "S", "retired_claims", "free_phone"
    )
    assert ruled_item("expired_offer", "W", "valid 2025-12-01 to 2026-02-28") == Ruled(
        "W", "campaign", "W"
    )
    assert ruled_item("denied_offer", "W", "Winter valid ...") == Ruled("W", "campaign", "W")
    assert ruled_item("missing_disclosure", "S", "disclosure d: after 12 months") is None
    assert ruled_item("missed_key_point", "S", "key point k: unlimited data") is None
    assert ruled_item("contradiction", None, "price: x") is None


def test_examples_are_validated_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "id: C\nname: C\nfrom: 2026-01-01\nto: 2026-12-31\nproducts: [C]\nfacts:\n"
        "  - id: price\n    value: {money: {amount: 5}}\n    examples:\n"
        "      negative:\n        - 'It is $6.'\n        - 'it is  $6'\n"
        "  - id: fee\n    value: {money: {amount: 1, period: once}}\n    examples:\n"
        "      negative: ['  ']\n"
        "  - id: term\n    value: {duration: {amount: 1, unit: year}}\n    examples:\n"
        "      positive: ['It is two years.']\n"
    )
    with pytest.raises(FileErrors) as err:
        validate_file(path, Campaign)
    text = str(err.value)
    assert "c.yaml:11 facts → 0 → examples → negative" in text and "repeats 'It is $6.'" in text
    assert "facts → 1 → examples → negative" in text and "example 1 is empty" in text
    assert "facts → 2 → examples → positive" in text  # only negative examples exist
    path.write_text(
        "id: C\nname: C\nfrom: 2026-01-01\nto: 2026-12-31\nproducts: [C]\n"
        f"examples:\n  negative: [{json.dumps('x' * 1001)}]\n"
    )
    with pytest.raises(FileErrors, match="examples → negative: .*1001 characters"):
        validate_file(path, Campaign)


def test_campaigns_without_examples_dump_as_before(camps: Path) -> None:
    """A campaign set's digest decides whether an interaction is checked again: files
    without `examples:` keep theirs."""
    for c in load_campaigns(camps):
        dumped = json.dumps(c.model_dump(mode="json"))
        assert '"examples"' not in dumped
    before = campaigns_key(load_campaigns(camps))
    adopt_negative(_spring(camps), Ruled("SPRING-UNLIMITED", "facts", "price"), PRICED)
    assert campaigns_key(load_campaigns(camps)) != before  # an adopted example re-checks


def test_a_negative_example_silences_only_its_own_sentence_and_fact(camps: Path) -> None:
    price = ("contradiction", "price: USD 35.00 a month (Spring Unlimited)")
    assert price in _kinds(PRICED, camps)
    assert ("retired_claim", "retired claim no_contract") in _kinds(AFTER_TERM, camps)
    added = adopt_negative(_spring(camps), Ruled("SPRING-UNLIMITED", "facts", "price"), PRICED)
    assert added == 1
    assert _kinds(PRICED, camps) == []
    # Normalised: case, spacing and end punctuation do not matter.
    assert _kinds("on spring unlimited  you'd pay $40 a month including the insurance", camps) == []
    # Another sentence about the same fact is still checked.
    assert price in _kinds("Spring Unlimited is $40 a month.", camps)
    # The fact's example does not silence the retired claim.
    assert ("retired_claim", "retired claim no_contract") in _kinds(AFTER_TERM, camps)
    # The same hook runs when whole interactions are scored.
    camp = next(c for c in load_campaigns(camps) if c.id == "SPRING-UNLIMITED")
    flags = check_interaction(example_contact(camp, PRICED, DAY), load_campaigns(camps))
    assert not [f for f in flags if f.kind == "contradiction"]


def test_an_expired_offer_is_ruled_on_the_campaign_itself(camps: Path) -> None:
    after = dt.date(2026, 3, 10)  # Winter Saver ended on 2026-02-28
    said = "Winter Saver is still $29 a month for you."
    out = explain(said, after, "chat", load_campaigns(camps), "Can I still get Winter Saver?")
    assert [f["kind"] for f in out["flags"]] == ["expired_offer"]
    winter = campaign_file(camps, "WINTER-2025")
    assert adopt_negative(winter, Ruled("WINTER-2025", "campaign", "WINTER-2025"), said) == 1
    text = winter.read_text()
    assert text.startswith("# Ended: agents who still quote it")
    assert text.rstrip().endswith(f"examples:\n  negative:\n    - {json.dumps(said)}")
    out = explain(said, after, "chat", load_campaigns(camps), "Can I still get Winter Saver?")
    assert out["flags"] == []


def test_adopting_keeps_the_file_and_finds_the_item_in_its_section(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    original = (
        "# Owned by marketing.\nid: C\nname: Cplan\nfrom: 2026-01-01\nto: 2026-12-31\n"
        "products: [Cplan]\nfacts:\n  - id: x  # the price\n"
        "    value: {money: {amount: 5}}\n\n    # kept\nretired_claims:\n  - id: x\n"
        "    phrases: [free gift]\n  - {id: flow, phrases: [old thing]}\n"
    )
    path.write_text(original)
    assert adopt_negative(path, Ruled("C", "retired_claims", "x"), "A free gift, no.") == 1
    assert adopt_negative(path, Ruled("C", "retired_claims", "x"), "a free gift no") == 0
    assert adopt_negative(path, Ruled("C", "facts", "x"), "Cplan is $6.") == 1
    text = path.read_text()
    assert "  - id: x  # the price\n" in text and "    # kept\n" in text
    camp = validate_file(path, Campaign)
    assert camp.facts[0].examples.negative == ["Cplan is $6."]
    assert camp.retired_claims[0].examples.negative == ["A free gift, no."]
    with pytest.raises(ConfigError, match="cannot find the line '- id: flow'"):
        adopt_negative(path, Ruled("C", "retired_claims", "flow"), "An old thing.")
    with pytest.raises(ConfigError, match="has no facts.nope"):
        adopt_negative(path, Ruled("C", "facts", "nope"), "Whatever.")
    assert validate_file(path, Campaign).retired_claims[1].examples is None
    assert not list(tmp_path.glob("*.adopting"))


def test_campaigns_test_fails_when_the_checker_ignores_examples(
    camps: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    adopt_negative(_spring(camps), Ruled("SPRING-UNLIMITED", "facts", "price"), PRICED)
    adopt_negative(
        _spring(camps), Ruled("SPRING-UNLIMITED", "retired_claims", "no_contract"), AFTER_TERM
    )
    checks = check_campaign_examples(load_campaigns(camps), None)
    assert [(c.criterion, c.actual, c.ok) for c in checks] == [
        ("facts.price", "quiet", True),
        ("retired_claims.no_contract", "quiet", True),
    ]
    monkeypatch.setattr(checker, "without_ruled_out", lambda flags, campaigns: flags)
    checks = check_campaign_examples(load_campaigns(camps), None)
    assert [(c.criterion, c.actual, c.ok) for c in checks] == [
        ("facts.price", "raised", False),
        ("retired_claims.no_contract", "raised", False),
    ]
    r = CliRunner().invoke(cli, ["campaigns", "test", str(camps)])
    assert r.exit_code == 1 and "MISMATCH" in r.output and "0 passed, 2 failed" in r.output


def test_campaigns_test_says_when_there_is_nothing_to_test(camps: Path) -> None:
    # Campaigns start with no examples: nothing to test is no usage error (exit 0, not 2).
    r = CliRunner().invoke(cli, ["campaigns", "test", str(camps)])
    assert r.exit_code == 0 and "no campaign has `examples:` yet, nothing to test" in r.output
    r = CliRunner().invoke(cli, ["campaigns", "test", str(camps), "--json"])
    assert r.exit_code == 0 and r.output.strip() == "[]"


def test_sentence_key_reads_both_chinese_scripts_alike() -> None:
    assert sentence_key("這個優惠每月三十元。") == sentence_key("这个优惠每月三十元")
    assert sentence_key("It is  $6!") == sentence_key("it is $6")


# -- missed disclosures and key points ---------------------------------------------------------
SOLD = "I can sign you up to Spring Unlimited today."
OTHER_WORDS = "You get as much data as you like, with nothing capped."
PAYING = "Yes, Spring Unlimited is $35 a month and you can pay it for her today."
UNLIMITED = Ruled("SPRING-UNLIMITED", "key_points", "unlimited_data")
SPRING = Ruled("SPRING-UNLIMITED", "campaign", "SPRING-UNLIMITED")


def _owed(folder: Path, *said: str) -> list[str]:
    camps = load_campaigns(folder)
    camp = next(c for c in camps if c.id == "SPRING-UNLIMITED")
    contact = example_contact(camp, said[0], DAY)
    for text in said[1:]:
        contact.turns.append(dataclasses.replace(contact.turns[-1], text=text))
    return sorted(
        r.label
        for f in check_interaction(contact, camps)
        if (r := obligation_of(f.kind, f.campaign, f.fact)) is not None
    )


def test_obligation_of_reads_missed_disclosures_and_key_points() -> None:
    assert obligation_of("missing_disclosure", "S", "disclosure d1: after 12 months") == Ruled(
        "S", "disclosures", "d1"
    )
    assert obligation_of("missed_key_point", "S", "key point k: unlimited data") == Ruled(
        "S", "key_points", "k"
    )
    assert obligation_of("contradiction", "S", "price: x") is None
    assert obligation_of("missed_key_point", None, "key point k: x") is None


def test_obligation_examples_are_validated_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    head = "id: C\nname: C\nfrom: 2026-01-01\nto: 2026-12-31\nproducts: [C]\n"
    path.write_text(
        head + "disclosures:\n  - id: d\n    phrases: [a fee applies]\n    examples:\n"
        "      positive: ['There is a fee.', 'there is a fee']\n"
        "key_points:\n  - id: k\n    phrases: [fast]\n    examples:\n      negative: ['Slow.']\n"
        "facts:\n  - id: price\n    value: {money: {amount: 5}}\n    examples:\n"
        "      not_pitch: ['It is $5.']\n"
        "examples:\n  not_pitch: ['']\n"
    )
    with pytest.raises(FileErrors) as err:
        validate_file(path, Campaign)
    text = str(err.value)
    assert "c.yaml:10 disclosures → 0 → examples → positive" in text and "repeats" in text
    assert "key_points → 0 → examples → negative" in text  # wordings are positive only
    assert "facts → 0 → examples → not_pitch" in text  # a fact is never pitched
    assert "examples → not_pitch" in text and "example 1 is empty" in text
    path.write_text(
        head + "disclosures:\n  - id: d\n    phrases: [a fee applies]\n    examples:\n"
        "      positive: ['There is a fee.']\nexamples:\n  not_pitch: ['Your bill is $5.']\n"
    )
    camp = validate_file(path, Campaign)
    assert camp.disclosures[0].positives == ["There is a fee."]
    assert camp.examples is not None and camp.examples.not_pitch == ["Your bill is $5."]
    assert '"not_pitch"' not in json.dumps(
        Campaign.model_validate(
            {**camp.model_dump(by_alias=True), "examples": {"negative": ["x"]}}
        ).model_dump(mode="json")
    )  # a campaign without not_pitch examples dumps as before


def test_an_accepted_wording_gives_its_key_point_and_nothing_else(camps: Path) -> None:
    owed = ["disclosures.price_after_term", "key_points.international", "key_points.unlimited_data"]
    assert _owed(camps, SOLD, OTHER_WORDS) == owed
    assert adopt_example(_spring(camps), UNLIMITED, OTHER_WORDS, "positive") == 1
    assert adopt_example(_spring(camps), UNLIMITED, OTHER_WORDS.lower(), "positive") == 0
    assert _owed(camps, SOLD, OTHER_WORDS) == owed[:2]
    assert _owed(camps, SOLD, "You get as much data as you like with nothing capped") == owed[:2]
    assert _owed(camps, SOLD) == owed  # not said: still owed


def test_a_sentence_ruled_no_pitch_owes_nothing(camps: Path) -> None:
    owed = ["disclosures.price_after_term", "key_points.international", "key_points.unlimited_data"]
    assert _owed(camps, PAYING) == owed
    assert adopt_example(_spring(camps), SPRING, PAYING, "not_pitch") == 1
    assert _owed(camps, PAYING) == []
    assert _owed(camps, PAYING, SOLD) == owed  # a real pitch after it still owes them
    text = _spring(camps).read_text()
    assert text.startswith("# Owned by marketing.")
    assert text.rstrip().endswith(f"examples:\n  not_pitch:\n    - {json.dumps(PAYING)}")
    # The campaign's negative examples are kept beside it, and the kinds stay apart.
    assert adopt_negative(_spring(camps), SPRING, "Spring Unlimited is not for you.") == 1
    assert f"not_pitch:\n    - {json.dumps(PAYING)}" in _spring(camps).read_text()
    with pytest.raises(ConfigError, match="takes no positive examples"):
        adopt_example(_spring(camps), SPRING, PAYING, "positive")
    with pytest.raises(ConfigError, match="takes no not_pitch examples"):
        adopt_example(
            _spring(camps), Ruled("SPRING-UNLIMITED", "facts", "price"), PAYING, "not_pitch"
        )


def test_campaigns_test_fails_when_the_checker_ignores_obligation_examples(
    camps: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    adopt_example(_spring(camps), UNLIMITED, OTHER_WORDS, "positive")
    adopt_example(_spring(camps), SPRING, PAYING, "not_pitch")
    checks = check_campaign_examples(load_campaigns(camps), None)
    assert [(c.criterion, c.expected, c.actual, c.ok) for c in checks] == [
        ("SPRING-UNLIMITED", "quiet", "quiet", True),
        ("key_points.unlimited_data", "given", "given", True),
    ]
    monkeypatch.setattr(checker, "said_as_adopted", lambda item, text: False)
    monkeypatch.setattr(checker, "not_a_pitch", lambda camp, text: False)
    checks = check_campaign_examples(load_campaigns(camps), None)
    assert [(c.criterion, c.actual, c.ok) for c in checks] == [
        ("SPRING-UNLIMITED", "raised", False),
        ("key_points.unlimited_data", "missed", False),
    ]
    r = CliRunner().invoke(cli, ["campaigns", "test", str(camps)])
    assert r.exit_code == 1 and "0 passed, 2 failed" in r.output
