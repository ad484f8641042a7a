"""Campaign checks by the meaning of a turn: pitches, denials, disclosures in other words and
retired claims in other words, on voice, chat and email; bounds and successors in schema v2.
The sentences are this repository's own (campaigns in scorecards/campaigns)."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from qa.campaigns.check import check_interaction, clauses, explain
from qa.campaigns.evaluate import case_interaction
from qa.campaigns.schema import load_campaigns
from tests.conftest import ROOT

CHANNELS = ["voice", "chat", "email"]
DAY = "2026-03-10"


@pytest.fixture(scope="module")
def campaigns():  # type: ignore[no-untyped-def]
    return load_campaigns(ROOT / "scorecards" / "campaigns")


@pytest.fixture(scope="module")
def matcher():  # type: ignore[no-untyped-def]
    from qa.matching import Matcher

    return Matcher()


def raised(turns, channel, campaigns, matcher=None, day=DAY, review=False):  # type: ignore[no-untyped-def]
    case = {"id": "t", "date": day, "channel": channel, "turns": turns}
    found = check_interaction(case_interaction(case), campaigns, matcher)
    return {(str(f.kind), f.fact.split(":")[0]) for f in found if review or f.status != "review"}


def kinds(turns, channel, campaigns, matcher=None, day=DAY) -> set[str]:  # type: ignore[no-untyped-def]
    return {k for k, _ in raised(turns, channel, campaigns, matcher, day)}


def test_clauses_split_at_commas_and_conjunctions() -> None:
    assert clauses("It is $35 a month, and it never goes up") == [
        "It is $35 a month",
        "it never goes up",
    ]
    assert clauses("No contract needed") == ["No contract needed"]


# 7. Retired claims: a negation in another clause does not hide the claim
@pytest.mark.parametrize("channel", CHANNELS)
def test_retired_claim_next_to_a_negated_clause(channel: str, campaigns) -> None:  # type: ignore[no-untyped-def]
    turns = [
        [
            "agent",
            "Spring Unlimited is $35 a month, with a free phone with every plan, nothing hidden.",
        ]
    ]
    assert "retired_claim" in kinds(turns, channel, campaigns)
    withdrawn = [["agent", "There's no free phone with every plan any more."]]
    assert "retired_claim" not in kinds(withdrawn, channel, campaigns)


# 4/11. Bounds said as bounds; a value right for another fact only when exactly right
def _v2(tmp_path: Path) -> list:  # type: ignore[type-arg]
    (tmp_path / "old.yaml").write_text(
        textwrap.dedent(
            """
            version: 2
            id: OLD
            name: Roam Basic
            from: 2026-01-01
            to: 2026-02-28
            products: ["Roam Basic"]
            facts:
              - id: price
                about: ["a month"]
                value: {money: {amount: 20, currency: USD, period: month}}
            """
        )
    )
    (tmp_path / "new.yaml").write_text(
        textwrap.dedent(
            """
            version: 2
            id: NEW
            name: Roam Basic Plus
            from: 2026-03-01
            to: 2026-06-30
            products: ["Roam Basic Plus"]
            supersedes: [OLD]
            facts:
              - id: price
                about: ["a month"]
                value: {money: {amount: 25, currency: USD, period: month}}
              - id: cover
                about: ["covers", "cover up to", "cover"]
                value: {money: {amount: 2000, currency: USD, period: once}, bound: up_to}
              - id: apr
                about: ["APR"]
                value: {percent: 12.5}
              - id: discount
                about: ["multi-line", "second line"]
                value: {percent: 15, bound: up_to}
            """
        )
    )
    return load_campaigns(tmp_path)


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_bound_said_as_a_bound_must_agree(channel: str, tmp_path: Path) -> None:
    cs = _v2(tmp_path)
    day = dt.date(2026, 4, 2)
    wrong = explain("Roam Basic Plus covers your gear up to $1,500.", day, channel, cs)
    assert [f["kind"] for f in wrong["flags"]] == ["contradiction"]
    right = explain("Roam Basic Plus covers your gear up to $2,000.", day, channel, cs)
    assert not right["flags"]
    case = explain("On Roam Basic Plus your second line gets 10% off.", day, channel, cs)
    assert not case["flags"]  # a case under the bound


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_wrong_value_is_not_excused_by_a_bound_of_another_fact(
    channel: str, tmp_path: Path
) -> None:
    cs = _v2(tmp_path)
    said = explain("Roam Basic Plus is at 9.5% APR.", dt.date(2026, 4, 2), channel, cs)
    assert [(f["kind"], f["fact"].split(":")[0]) for f in said["flags"]] == [
        ("contradiction", "apr")
    ]


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_ended_offer_sold_by_its_old_name_is_expired(channel: str, tmp_path: Path) -> None:
    cs = _v2(tmp_path)
    said = explain(
        "I can put you on Roam Basic today at $20 a month.", dt.date(2026, 4, 2), channel, cs
    )
    assert "expired_offer" in {f["kind"] for f in said["flags"]}
    assert said["topics"] == ["OLD"]
    new = explain("Roam Basic Plus is $25 a month.", dt.date(2026, 4, 2), channel, cs)
    assert new["topics"] == ["NEW"] and not new["flags"]


# 8. Pitch by the meaning of the turn
@pytest.mark.models
@pytest.mark.parametrize("channel", CHANNELS)
def test_pitch_by_meaning(channel: str, campaigns, matcher) -> None:  # type: ignore[no-untyped-def]
    pitch = [
        ["customer", "I'm thinking about a new mobile plan."],
        ["agent", "Spring Unlimited would suit you, it's $35 a month and I can set it up today."],
    ]
    assert "missed_key_point" in kinds(pitch, channel, campaigns, matcher)
    service = [
        ["customer", "Why was my bill higher this month?"],
        ["agent", "You're on Spring Unlimited and the extra was a roaming charge from your trip."],
    ]
    assert kinds(service, channel, campaigns, matcher) == set()
    refused = [
        ["customer", "Can I get Fibre Max at my address?"],
        [
            "agent",
            "I'm sorry, Fibre Max isn't available on your street because the network doesn't reach it yet.",
        ],
    ]
    assert not {"missing_disclosure", "missed_key_point"} & kinds(
        refused, channel, campaigns, matcher
    )


# 10. Denial by the meaning of the turn, judged against eligibility
@pytest.mark.models
@pytest.mark.parametrize("channel", CHANNELS)
def test_denial_by_meaning(channel: str, campaigns, matcher) -> None:  # type: ignore[no-untyped-def]
    denied = [
        ["customer", "I read about Spring Unlimited at 35 dollars, can I have it?"],
        ["agent", "We don't do that one, sorry, there's nothing like it on our price list."],
    ]
    assert "denied_offer" in kinds(denied, channel, campaigns, matcher)
    false_exclusion = [
        ["customer", "Can I get Spring Unlimited? I've been with you for years."],
        ["agent", "Sadly Spring Unlimited is for new customers only, so it wouldn't apply to you."],
    ]
    assert "denied_offer" in kinds(false_exclusion, channel, campaigns, matcher)
    no_fee = [
        ["customer", "Is there a fee to join Spring Unlimited?"],
        ["agent", "There's no joining fee, and it's $35 a month."],
    ]
    assert "denied_offer" not in kinds(no_fee, channel, campaigns, matcher)


# 9. A disclosure given in other words
@pytest.mark.models
@pytest.mark.parametrize("channel", CHANNELS)
def test_disclosure_in_other_words(channel: str, campaigns, matcher) -> None:  # type: ignore[no-untyped-def]
    base = [
        ["customer", "Tell me about Spring Unlimited."],
        [
            "agent",
            "Spring Unlimited is $35 a month with unlimited data and calls abroad.",
        ],
    ]
    missing = raised(base, channel, campaigns, matcher, review=True)
    assert ("missing_disclosure", "disclosure price_after_term") in missing
    told = [*base, ["agent", "Once the first year is over the monthly price rises to 45 dollars."]]
    assert ("missing_disclosure", "disclosure price_after_term") not in raised(
        told, channel, campaigns, matcher, review=True
    )


# 7. A retired claim in other words
@pytest.mark.models
@pytest.mark.parametrize("channel", CHANNELS)
def test_retired_claim_in_other_words(channel: str, campaigns, matcher) -> None:  # type: ignore[no-untyped-def]
    said = [["agent", "On Spring Unlimited every plan comes with a handset for free."]]
    assert "retired_claim" in kinds(said, channel, campaigns, matcher)
    negated = [["agent", "Spring Unlimited doesn't include a free phone any more."]]
    assert "retired_claim" not in kinds(negated, channel, campaigns, matcher)


# 6. An aside inside a condition keeps the figure hypothetical
@pytest.mark.parametrize("channel", CHANNELS)
def test_an_aside_inside_a_condition_stays_hypothetical(channel: str, campaigns) -> None:  # type: ignore[no-untyped-def]
    said = [
        [
            "agent",
            "If the market went up to, say, 60 dollars, Spring Unlimited would stay the same.",
        ]
    ]
    assert "contradiction" not in kinds(said, channel, campaigns)
    wrong = [["agent", "Spring Unlimited is 60 dollars a month."]]
    assert "contradiction" in kinds(wrong, channel, campaigns)


# 11. Another product of the same family is not the campaign's product
@pytest.mark.parametrize("channel", CHANNELS)
def test_a_name_with_another_number_is_another_product(channel: str, tmp_path: Path) -> None:
    (tmp_path / "fix.yaml").write_text(
        textwrap.dedent(
            """
            id: FIX2
            name: Saver Fix 2
            from: 2026-01-01
            to: 2026-12-31
            products: ["Saver Fix 2"]
            facts:
              - id: price
                about: ["a month"]
                value: {money: {amount: 30, currency: EUR, period: month}}
            """
        )
    )
    cs = load_campaigns(tmp_path)
    day = dt.date(2026, 5, 5)
    other = explain("Saver Fix 5 is 45 euro a month.", day, channel, cs)
    assert other["topics"] == [] and not other["flags"]
    misspelt = explain("Saver Fixx 2 is 45 euro a month.", day, channel, cs)
    assert [f["kind"] for f in misspelt["flags"]] == ["contradiction"]


# 8/10. "There isn't a cash-back offer on X": a denial of an offer, never a pitch of X
@pytest.mark.parametrize("channel", CHANNELS)
def test_no_such_offer_on_a_product_is_not_a_pitch(channel: str, campaigns) -> None:  # type: ignore[no-untyped-def]
    said = [
        ["customer", "Is there a loyalty discount on Spring Unlimited?"],
        ["agent", "There isn't a loyalty discount on Spring Unlimited at the moment."],
    ]
    assert not {"missing_disclosure", "missed_key_point"} & kinds(said, channel, campaigns)
    no_fee = [["agent", "There's no setup fee on Spring Unlimited, it's $35 a month."]]
    assert "missing_disclosure" in kinds(no_fee, channel, campaigns)


# 9. A clause that restates the offer's figures does not give a disclosure by being near it
@pytest.mark.models
@pytest.mark.parametrize("channel", CHANNELS)
def test_restating_the_offer_is_not_the_disclosure(channel: str, campaigns, matcher) -> None:  # type: ignore[no-untyped-def]
    pitch = [
        ["customer", "What does Spring Unlimited cost?"],
        ["agent", "Spring Unlimited is $35 a month, and you can sign up today."],
    ]
    found = raised(pitch, channel, campaigns, matcher, review=True)
    assert ("missing_disclosure", "disclosure price_after_term") in found


# 11. A product of the same family with another number is another product
@pytest.mark.parametrize("channel", CHANNELS)
def test_another_product_of_the_family_is_not_resolved_to_the_offer(
    channel: str, tmp_path: Path
) -> None:
    (tmp_path / "fix.yaml").write_text(
        textwrap.dedent(
            """
            id: FIX2
            name: Saver Fix 2
            from: 2026-01-01
            to: 2026-12-31
            products: ["Saver Fix 2"]
            facts:
              - id: price
                about: ["a month"]
                value: {money: {amount: 30, currency: EUR, period: month}}
            """
        )
    )
    cs = load_campaigns(tmp_path)
    turns = [
        ["customer", "How much is Saver Fix 2?"],
        ["agent", "Saver Fix 2 is 30 euro a month."],
        [
            "agent",
            "If you want longer, Saver Fix 5 is 45 euro a month, but that's a different tariff.",
        ],
    ]
    assert kinds(turns, channel, cs, day="2026-05-05") == set()
    wrong = [["customer", "How much is it?"], ["agent", "Saver Fix 2 is 45 euro a month."]]
    assert "contradiction" in kinds(wrong, channel, cs, day="2026-05-05")


# 10. "There's no fifteen percent offer on X" denies the cited offer
@pytest.mark.parametrize("channel", CHANNELS)
def test_no_such_discount_is_a_denial(channel: str, campaigns) -> None:  # type: ignore[no-untyped-def]
    turns = [
        ["customer", "I saw Fibre Max is 20% off at the moment."],
        ["agent", "There's no twenty percent discount on Fibre Max, I'm afraid."],
    ]
    assert "denied_offer" in kinds(turns, channel, campaigns)
    fee = [
        ["customer", "Is there a fee for Fibre Max?"],
        ["agent", "There's no fee on this offer, it's $45 a month."],
    ]
    assert "denied_offer" not in kinds(fee, channel, campaigns)


# 8. A service contact: the customer's own contract under an ended offer is not an offer now
@pytest.mark.parametrize("channel", CHANNELS)
def test_terms_of_the_customers_own_contract_are_not_an_expired_offer(
    channel: str, campaigns
) -> None:  # type: ignore[no-untyped-def]
    service = [
        ["customer", "I'm on Winter Saver from last year, when does my monthly price change?"],
        [
            "agent",
            "Your Winter Saver price stays at $29 a month until your contract ends in December.",
        ],
    ]
    assert "expired_offer" not in kinds(service, channel, campaigns)
    sold = [
        ["customer", "I'm on Winter Saver, can my partner get it too?"],
        ["agent", "Yes, Winter Saver is $29 a month and I can set it up for them today."],
    ]
    assert "expired_offer" in kinds(sold, channel, campaigns)


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_product_named_in_the_customers_own_words_is_a_service_contact(
    channel: str, campaigns
) -> None:  # type: ignore[no-untyped-def]
    turns = [
        ["customer", "How do I add a second phone to our Spring Unlimited account?"],
        ["agent", "Spring Unlimited is $35 a month for each line, I can add it for you."],
    ]
    assert not {"missing_disclosure", "missed_key_point"} & kinds(turns, channel, campaigns)


# 10. "There's no annual contract" says there is no fee or term: never a denial
@pytest.mark.models
@pytest.mark.parametrize("channel", CHANNELS)
def test_no_term_is_not_a_denial(channel: str, campaigns, matcher) -> None:  # type: ignore[no-untyped-def]
    turns = [
        ["customer", "Is Spring Unlimited a long contract?"],
        ["agent", "There's no annual commitment to worry about."],
    ]
    assert "denied_offer" not in kinds(turns, channel, campaigns, matcher)
